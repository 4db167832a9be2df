/*
 * The plan as text and as JSON from the same calls (core/output.h): each
 * field is printed once, with its JSON key and its text format.
 */
#include "core/plan.h"
#include "planner/render.h"

/* Per kind: the text symbol, and its count's text in the summary line. */
static const struct {
	const char *symbol;
	const char *summary_text;	/* NULL: JSON only */
} kind_text[] = {
	[BERTH_STEP_IMAGE_CREATE] = { "+", "%llu image." },
	[BERTH_STEP_DEFINE] = { "+", "%llu define, " },
	[BERTH_STEP_START] = { ">", "%llu start, " },
	[BERTH_STEP_STOP] = { "<", "%llu stop, " },
	[BERTH_STEP_MIGRATE_LIVE] = { "~", "%llu migrate, " },
	[BERTH_STEP_VERIFY] = { "?", NULL },
};
_Static_assert(sizeof(kind_text) / sizeof(kind_text[0]) == BERTH_STEP_LAST,
	       "a symbol for every step kind");

/* The order of the summary: the text reads "Plan: 1 define, ... 0 image.". */
static const enum berth_step_kind summary_order[] = {
	BERTH_STEP_DEFINE,
	BERTH_STEP_START,
	BERTH_STEP_MIGRATE_LIVE,
	BERTH_STEP_STOP,
	BERTH_STEP_IMAGE_CREATE,
	BERTH_STEP_VERIFY,
};
_Static_assert(sizeof(summary_order) / sizeof(summary_order[0]) == BERTH_STEP_LAST,
	       "every step kind in the summary");

const char *
berth_step_kind_symbol(enum berth_step_kind kind)
{
	return kind_text[kind].symbol;
}

/* A string field, or JSON null (and nothing in the text) when s is NULL. */
static void
string_or_null(struct berth_out *out, const char *key, const char *text_fmt, const char *s)
{
	if (s != NULL)
		berth_out_string(out, key, text_fmt, s);
	else
		berth_out_null(out, key, NULL);
}

/*
 * One step.  Text: "  + 1 define web1 on h1 (after 1)", then the reason
 * indented below it.  JSON: {"id", "kind", "domain", "path", "host", "dest",
 * "format", "size_bytes", "after", "reason", "xml"}, the image fields only
 * on image steps and xml only on define steps.
 */
static void
print_step(struct berth_out *out, const struct berth_step *s)
{
	bool image = s->kind == BERTH_STEP_IMAGE_CREATE;

	berth_out_open_object(out, NULL);
	berth_out_text(out, "  %s ", berth_step_kind_symbol(s->kind));
	berth_out_uint(out, "id", "%llu ", s->id);
	berth_out_string(out, "kind", "%s", berth_step_kind_name(s->kind));
	string_or_null(out, "domain", " %s", s->domain);
	if (image)
		berth_out_string(out, "path", " %s", s->path != NULL ? s->path : "");
	berth_out_string(out, "host", s->dest != NULL ? " from %s" : " on %s", s->host);
	string_or_null(out, "dest", " to %s", s->dest);
	if (image) {
		berth_out_string(out, "format", " (%s, ", s->format != NULL ? s->format : "");
		berth_out_uint(out, "size_bytes", "%llu bytes)", s->size_bytes);
	}
	berth_out_open_array(out, "after");
	for (size_t i = 0; i < s->n_deps; i++)
		berth_out_uint(out, NULL, i == 0 ? " (after %llu" : ", %llu", s->deps[i]);
	berth_out_text(out, s->n_deps > 0 ? ")\n" : "\n");
	berth_out_close_array(out);
	berth_out_string(out, "reason", "        %s\n", s->reason);
	if (s->kind == BERTH_STEP_DEFINE)
		berth_out_string(out, "xml", NULL, s->xml != NULL ? s->xml : "");
	berth_out_close_object(out);
}

static void
print_summary(struct berth_out *out, const struct berth_plan *plan, bool changes)
{
	unsigned long long count[BERTH_STEP_LAST] = { 0 };

	for (size_t i = 0; i < plan->n_steps; i++)
		count[plan->steps[i].kind]++;
	if (changes)
		berth_out_text(out, "\nPlan: ");
	berth_out_open_object(out, "summary");
	for (size_t i = 0; i < BERTH_STEP_LAST; i++) {
		enum berth_step_kind kind = summary_order[i];

		berth_out_uint(out, berth_step_kind_name(kind),
			       changes ? kind_text[kind].summary_text : NULL, count[kind]);
	}
	berth_out_close_object(out);
	if (changes)
		berth_out_text(out, "\n");
}

int
berth_plan_print(struct berth_out *out, const struct berth_plan *plan,
		 const char *inventory_path, struct berth_error **err)
{
	bool changes = berth_plan_has_changes(plan);

	berth_out_uint(out, "format_version", NULL, BERTH_PLAN_FORMAT_VERSION);
	berth_out_string(out, "inventory",
			 changes ? "berth will perform these actions to match %s:\n\n" :
			 "No changes. The hosts match %s.\n",
			 inventory_path);
	berth_out_bool(out, "changes", NULL, changes);
	berth_out_open_array(out, "steps");
	for (size_t i = 0; i < plan->n_steps; i++)
		print_step(out, &plan->steps[i]);
	berth_out_close_array(out);
	print_summary(out, plan, changes);
	return berth_out_finish(out, err);
}
