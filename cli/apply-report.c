/* The result of an apply, for people and machines: see apply-report.h. */
#include <string.h>
#include <time.h>

#include "cli/apply-report.h"
#include "core/buf.h"
#include "core/name-index.h"
#include "core/util.h"

static const char *const status_names[] = {
	[BERTH_STEP_STATUS_DONE] = "done",
	[BERTH_STEP_STATUS_ALREADY] = "already done",
	[BERTH_STEP_STATUS_FAILED] = "failed",
	[BERTH_STEP_STATUS_NOT_RUN] = "not run",
};
_Static_assert(sizeof(status_names) / sizeof(status_names[0]) == BERTH_STEP_STATUS_LAST,
	       "a name for every step status");

/* One step's outcome (JSON only: the progress lines said it as it happened). */
static void
print_step(struct berth_out *out, const struct berth_step *step,
	   const struct berth_step_result *r)
{
	berth_out_open_object(out, NULL);
	berth_out_uint(out, "id", NULL, step->id);
	berth_out_string(out, "kind", NULL, berth_step_kind_name(step->kind));
	if (step->domain != NULL)
		berth_out_string(out, "domain", NULL, step->domain);
	else
		berth_out_null(out, "domain", NULL);
	berth_out_string(out, "host", NULL, step->host);
	if (step->dest != NULL)
		berth_out_string(out, "dest", NULL, step->dest);
	else
		berth_out_null(out, "dest", NULL);
	berth_out_string(out, "status", NULL, status_names[r->status]);
	berth_out_bool(out, "in_flight", NULL, r->in_flight);
	berth_out_uint(out, "ms", NULL, (unsigned long long)(r->seconds * 1000.0 + 0.5));
	if (r->note != NULL && r->note[0] != '\0')
		berth_out_string(out, "note", NULL, r->note);
	else
		berth_out_null(out, "note", NULL);
	if (r->error != NULL)
		berth_out_string(out, "error", NULL, r->error);
	else
		berth_out_null(out, "error", NULL);
	if (r->has_migration) {
		berth_out_open_object(out, "migration");
		berth_out_uint(out, "job_ms", NULL, r->job_ms);
		berth_out_uint(out, "downtime_ms", NULL, r->downtime_ms);
		berth_out_uint(out, "data_bytes", NULL, r->data_bytes);
		berth_out_close_object(out);
	} else {
		berth_out_null(out, "migration", NULL);
	}
	berth_out_close_object(out);
}

/* After an interrupt: the steps in each state, one text line per group. */
static void
print_interrupted(struct berth_out *out, const struct berth_apply_summary *s)
{
	static const struct {
		const char *label;
		bool in_flight;
		bool not_run;
	} groups[] = {
		{ "finished", false, false },
		{ "in flight", true, false },
		{ "not run", false, true },
	};

	if (berth_out_get_mode(out) != BERTH_OUT_TEXT)
		return;
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		BERTH_AUTOBUF struct berth_buf line = BERTH_BUF_INIT;

		for (size_t i = 0; i < s->plan->n_steps; i++) {
			const struct berth_step_result *r = &s->rep->results[i];
			bool not_run = r->status == BERTH_STEP_STATUS_NOT_RUN;

			if (r->in_flight != groups[g].in_flight || not_run != groups[g].not_run)
				continue;
			berth_buf_add(&line, line.len > 0 ? "; " : "");
			berth_step_describe(&line, &s->plan->steps[i]);
			if (!not_run)
				berth_buf_addf(&line, " (%s)", status_names[r->status]);
		}
		berth_out_text(out, "  %s%s: %s\n", groups[g].label,
			       !groups[g].in_flight ? "" : s->interrupt > 1 ? " (aborted)" : " (let finish)",
			       line.len > 0 ? line.buf : "none");
	}
}

/* True if step i is one whose guest the report names: it failed, ran when interrupted, or did not run. */
static bool
affected(const struct berth_apply_summary *s, size_t i)
{
	const struct berth_step_result *r = &s->rep->results[i];

	return r->status == BERTH_STEP_STATUS_FAILED || r->in_flight ||
	       (s->interrupt > 0 && r->status == BERTH_STEP_STATUS_NOT_RUN);
}

/*
 * Where the domain called name is, read from the hosts; while it shows on
 * two hosts (an aborted migration still tearing down its destination), asked
 * again for up to WHERE_SETTLE_S seconds, so that what berth says is where
 * the guest stays.
 */
#define WHERE_SETTLE_S 30

static void
where_settled(struct berth_step_ctx *ctx, const char *name, struct berth_buf *where)
{
	struct timespec pause = { .tv_sec = 0, .tv_nsec = 500 * 1000 * 1000 };
	double start = berth_now_s();

	for (;;) {
		berth_buf_reset(where);
		berth_step_where(ctx, name, where);
		/* Only a guest seen on two hosts that answered is worth asking again. */
		if (strstr(where->buf, ", ") == NULL || strstr(where->buf, "unknown") != NULL ||
		    berth_now_s() - start >= WHERE_SETTLE_S)
			return;
		nanosleep(&pause, NULL);
	}
}

/*
 * Where each guest of the plan runs now, read from the hosts: JSON has every
 * one, the text only those of failed, interrupted or unrun steps.
 */
static void
print_where(struct berth_out *out, const struct berth_apply_summary *s)
{
	struct berth_name_index seen;
	bool text = berth_out_get_mode(out) == BERTH_OUT_TEXT;

	berth_out_open_object(out, "where");
	berth_name_index_init(&seen, s->plan->n_steps);
	for (size_t i = 0; s->ctx != NULL && i < s->plan->n_steps; i++) {
		const struct berth_step *step = &s->plan->steps[i];
		BERTH_AUTOBUF struct berth_buf where = BERTH_BUF_INIT;

		if (step->domain == NULL || (text && !affected(s, i)))
			continue;
		if (berth_name_index_add(&seen, step->domain, step) != NULL)
			continue;
		where_settled(s->ctx, step->domain, &where);
		berth_out_text(out, "  %s is now ", step->domain);
		berth_out_string(out, step->domain, "%s\n", where.buf);
	}
	berth_name_index_release(&seen);
	berth_out_close_object(out);
}

/*
 * What a failure of the first failed step's kind leaves (from the step-kind
 * table), and what an interrupt did.
 */
static void
print_after_failure(struct berth_out *out, const struct berth_apply_summary *s)
{
	for (size_t i = 0; i < s->plan->n_steps; i++) {
		if (s->rep->results[i].status != BERTH_STEP_STATUS_FAILED)
			continue;
		berth_out_text(out, "\nStep %u failed: %s.", s->plan->steps[i].id,
			       berth_step_kind(s->plan->steps[i].kind)->after_failure);
		break;
	}
	if (s->interrupt > 0)
		berth_out_text(out, "\nInterrupted%s.", s->interrupt > 1 ?
			       ": the running migrations were aborted" : "");
	berth_out_text(out, " Where the guests are now:\n");
}

int
berth_apply_summary_print(struct berth_out *out, const struct berth_apply_summary *s,
			  struct berth_error **err)
{
	const struct berth_apply_report *rep = s->rep;
	struct berth_apply_report none = { 0 };

	if (rep == NULL)
		rep = &none;
	berth_out_uint(out, "format_version", NULL, 1);
	berth_out_string(out, "inventory", NULL, s->inventory);
	if (s->plan_file != NULL)
		berth_out_string(out, "plan", NULL, s->plan_file);
	else
		berth_out_null(out, "plan", NULL);
	berth_out_open_array(out, "steps");
	for (size_t i = 0; s->rep != NULL && i < s->plan->n_steps; i++)
		print_step(out, &s->plan->steps[i], &s->rep->results[i]);
	berth_out_close_array(out);
	berth_out_text(out, "\nApply: ");
	berth_out_open_object(out, "summary");
	berth_out_uint(out, "done", "%llu done, ", rep->done);
	berth_out_uint(out, "already_done", "%llu already done, ", rep->skipped);
	berth_out_uint(out, "failed", "%llu failed, ", rep->failed);
	berth_out_uint(out, "not_run", "%llu not run; ", rep->not_run);
	berth_out_uint(out, "mutating_libvirt_calls", "%llu mutating libvirt calls.\n",
		       s->mutations);
	berth_out_close_object(out);
	berth_out_uint(out, "interrupted", NULL, (unsigned long long)s->interrupt);
	if (s->rep != NULL) {
		if (s->interrupt > 0)
			print_interrupted(out, s);
		if (rep->failed > 0 || s->interrupt > 0)
			print_after_failure(out, s);
		print_where(out, s);
	}
	berth_out_open_object(out, "verify");
	berth_out_bool(out, "converged", NULL, s->verified);
	if (s->remaining_steps >= 0)
		berth_out_uint(out, "remaining_steps", NULL, (unsigned long long)s->remaining_steps);
	else
		berth_out_null(out, "remaining_steps", NULL);
	berth_out_close_object(out);
	if (s->verified)
		berth_out_text(out, "Verified: planning again finds no changes.\n");
	return berth_out_finish(out, err);
}
