/*
 * The scheduler (see apply.h).  The calling thread dispatches: it starts a
 * worker thread for each step whose dependencies are done and whose hosts
 * and the cluster have room, then sleeps until a worker finishes.  Plans
 * are small enough (tens of steps) that a thread per step is simplest.
 */
#include <pthread.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "executors/apply.h"
#include "executors/steps/step.h"

enum step_status {
	STEP_PENDING,
	STEP_RUNNING,
	STEP_DONE,
	STEP_SKIPPED,
	STEP_FAILED,
};

struct scheduler;

struct job {
	struct scheduler *sched;
	const struct berth_step *step;
	enum step_status status;
	struct berth_error *error;
	struct berth_step_outcome out;
	double seconds;
	pthread_t thread;
	bool joinable;
};

struct scheduler {
	const struct berth_apply_opts *opts;
	const struct berth_step_ops *(*ops_for)(enum berth_step_kind kind);
	struct berth_step_ctx ctx;
	struct job *jobs;		/* one per step, same index */
	size_t n_jobs;
	pthread_mutex_t lock;
	pthread_cond_t finished;
	unsigned running;
	unsigned migrating;
};

static bool
touches(const struct berth_step *step, const char *host)
{
	return berth_streq(step->host, host) || berth_streq(step->dest, host);
}

static unsigned
running_on(const struct scheduler *s, const char *host)
{
	unsigned n = 0;

	for (size_t i = 0; i < s->n_jobs; i++) {
		if (s->jobs[i].status == STEP_RUNNING && touches(s->jobs[i].step, host))
			n++;
	}
	return n;
}

static bool
deps_done(const struct scheduler *s, const struct berth_step *step)
{
	for (size_t i = 0; i < step->n_deps; i++) {
		enum step_status st = s->jobs[step->deps[i] - 1].status;

		if (st != STEP_DONE && st != STEP_SKIPPED)
			return false;
	}
	return true;
}

static bool
has_room(const struct scheduler *s, const struct berth_step *step)
{
	if (s->running >= s->opts->parallel)
		return false;
	if (berth_step_kind(step->kind)->class == BERTH_STEP_CLASS_MIGRATION && s->migrating >= s->opts->migrations)
		return false;
	if (step->host != NULL && running_on(s, step->host) >= s->opts->per_host)
		return false;
	if (step->dest != NULL && running_on(s, step->dest) >= s->opts->per_host)
		return false;
	return true;
}

static void
describe(struct berth_buf *sb, const struct berth_step *step)
{
	berth_buf_addf(sb, "%u %s", step->id, berth_step_kind_name(step->kind));
	if (step->domain != NULL)
		berth_buf_addf(sb, " %s", step->domain);
	if (step->path != NULL)
		berth_buf_addf(sb, " %s", step->path);
	if (step->dest != NULL)
		berth_buf_addf(sb, " from %s to %s", step->host, step->dest);
	else
		berth_buf_addf(sb, " on %s", step->host);
}

static void
report_progress(const struct scheduler *s, const struct job *job)
{
	BERTH_AUTOBUF struct berth_buf line = BERTH_BUF_INIT;

	if (s->opts->progress == NULL)
		return;
	describe(&line, job->step);
	switch (job->status) {
	case STEP_DONE:
		berth_buf_addf(&line, ": done in %.2f s", job->seconds);
		break;
	case STEP_SKIPPED:
		berth_buf_add(&line, ": already done");
		break;
	default:
		berth_buf_add(&line, ": FAILED");
		break;
	}
	if (job->out.note.len > 0)
		berth_buf_addf(&line, ": %s", job->out.note.buf);
	flockfile(s->opts->progress);
	fprintf(s->opts->progress, "  %s\n", line.buf);
	fflush(s->opts->progress);
	funlockfile(s->opts->progress);
}

static void *
run_job(void *arg)
{
	struct job *job = arg;
	struct scheduler *s = job->sched;
	const struct berth_step_ops *ops = s->ops_for(job->step->kind);
	double start = berth_now_s();
	int rc;

	rc = ops->check(&s->ctx, job->step, &job->error);
	if (rc == 0)
		rc = ops->apply(&s->ctx, job->step, &job->out, &job->error) == 0 ? 2 : -1;
	job->seconds = berth_now_s() - start;

	pthread_mutex_lock(&s->lock);
	job->status = rc == 1 ? STEP_SKIPPED : rc == 2 ? STEP_DONE : STEP_FAILED;
	report_progress(s, job);
	s->running--;
	if (berth_step_kind(job->step->kind)->class == BERTH_STEP_CLASS_MIGRATION)
		s->migrating--;
	pthread_cond_signal(&s->finished);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* Starts every step that can start now.  Returns how many it started. */
static unsigned
dispatch(struct scheduler *s)
{
	unsigned started = 0;

	for (size_t i = 0; i < s->n_jobs; i++) {
		struct job *job = &s->jobs[i];

		if (job->status != STEP_PENDING || !deps_done(s, job->step) || !has_room(s, job->step))
			continue;
		job->status = STEP_RUNNING;
		s->running++;
		if (berth_step_kind(job->step->kind)->class == BERTH_STEP_CLASS_MIGRATION)
			s->migrating++;
		berth_log_debug("step %u %s: starting", job->step->id,
				berth_step_kind_name(job->step->kind));
		job->joinable = pthread_create(&job->thread, NULL, run_job, job) == 0;
		if (!job->joinable) {
			/* Out of threads: run it here, outside the lock. */
			pthread_mutex_unlock(&s->lock);
			run_job(job);
			pthread_mutex_lock(&s->lock);
		}
		started++;
	}
	return started;
}

static bool
any_failed(const struct scheduler *s)
{
	for (size_t i = 0; i < s->n_jobs; i++) {
		if (s->jobs[i].status == STEP_FAILED)
			return true;
	}
	return false;
}

int
berth_apply_plan(const struct berth_inventory *inv, const struct berth_plan *plan,
		 struct berth_sessions *sessions, const struct berth_apply_opts *opts,
		 struct berth_apply_report *rep, struct berth_error **err)
{
	return berth_apply_plan_with(inv, plan, sessions, opts, berth_step_ops_for, rep, err);
}

int
berth_apply_plan_with(const struct berth_inventory *inv, const struct berth_plan *plan,
		      struct berth_sessions *sessions, const struct berth_apply_opts *opts,
		      const struct berth_step_ops *(*ops_for)(enum berth_step_kind kind),
		      struct berth_apply_report *rep, struct berth_error **err)
{
	struct scheduler s = {
		.opts = opts,
		.ops_for = ops_for,
		.ctx = { .inv = inv, .sessions = sessions, .stop_timeout_s = opts->stop_timeout_s },
		.n_jobs = plan->n_steps,
	};
	struct job *first_failure = NULL;

	memset(rep, 0, sizeof(*rep));
	s.jobs = xcalloc(plan->n_steps + 1, sizeof(*s.jobs));
	for (size_t i = 0; i < plan->n_steps; i++) {
		s.jobs[i] = (struct job){ .sched = &s, .step = &plan->steps[i],
					  .out = { .note = BERTH_BUF_INIT } };
	}
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.finished, NULL);

	pthread_mutex_lock(&s.lock);
	for (;;) {
		if (!any_failed(&s))
			dispatch(&s);
		if (s.running == 0)
			break;
		pthread_cond_wait(&s.finished, &s.lock);
	}
	pthread_mutex_unlock(&s.lock);

	for (size_t i = 0; i < s.n_jobs; i++) {
		struct job *job = &s.jobs[i];

		if (job->joinable)
			pthread_join(job->thread, NULL);
		switch (job->status) {
		case STEP_DONE:
			rep->done++;
			break;
		case STEP_SKIPPED:
			rep->skipped++;
			break;
		case STEP_FAILED:
			rep->failed++;
			if (first_failure == NULL)
				first_failure = job;
			break;
		default:
			rep->not_run++;
			break;
		}
	}
	if (first_failure != NULL) {
		BERTH_AUTOBUF struct berth_buf what = BERTH_BUF_INIT;

		describe(&what, first_failure->step);
		if (first_failure->error == NULL)
			berth_error_set(err, BERTH_ERROR_INTERNAL, "step %s failed with no reason recorded",
					what.buf);
		else
			berth_error_set(err, berth_error_kind(first_failure->error), "step %s failed: %s",
					what.buf, berth_error_message(first_failure->error));
	}
	for (size_t i = 0; i < s.n_jobs; i++) {
		berth_error_free(s.jobs[i].error);
		berth_buf_release(&s.jobs[i].out.note);
	}
	free(s.jobs);
	pthread_cond_destroy(&s.finished);
	pthread_mutex_destroy(&s.lock);
	return first_failure != NULL ? -1 : 0;
}
