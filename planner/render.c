/*
 * The plan as text and as JSON from the same calls (core/output.h): each
 * field is printed once, with its JSON key and its text format, and which
 * fields a step has, its symbol and its summary label all come from the
 * step-kind table (core/step-kinds.def).
 */
#include "core/plan.h"
#include "planner/render.h"

const char *
berth_step_kind_symbol(enum berth_step_kind kind)
{
	return berth_step_kind(kind)->symbol;
}

/* The fields of s's kind, in table order: "domain", "path", "host", ... */
static void
print_fields(struct berth_out *out, const struct berth_step *s)
{
	const struct berth_step_kind_desc *kind = berth_step_kind(s->kind);

	for (int f = 0; f < BERTH_STEP_FIELD_LAST; f++) {
		const struct berth_step_field_desc *fd = berth_step_field(f);
		const char *text = f == BERTH_STEP_FIELD_HOST ? kind->host_text : fd->text;
		const char *value;

		if (!berth_step_kind_has(s->kind, f))
			continue;
		if (fd->type == BERTH_STEP_FIELD_UINT) {
			berth_out_uint(out, fd->key, text,
				       *berth_step_uint_slot((struct berth_step *)s, f));
			continue;
		}
		value = berth_step_string(s, f);
		if (value != NULL)
			berth_out_string(out, fd->key, text, value);
		else
			berth_out_null(out, fd->key, NULL);
	}
}

/* What the step was planned from (JSON only; planner/stale.c checks it). */
static void
print_expect(struct berth_out *out, const struct berth_step_expect *e)
{
	berth_out_open_object(out, "expect");
	if (e->placement != NULL)
		berth_out_string(out, "placement", NULL, e->placement);
	if (e->leaves != NULL)
		berth_out_string(out, "leaves", NULL, e->leaves);
	if (e->definition != NULL)
		berth_out_string(out, "definition_sha256", NULL, e->definition);
	if (e->memory_kib > 0)
		berth_out_uint(out, "memory_kib", NULL, e->memory_kib);
	berth_out_open_array(out, "hosts");
	for (size_t i = 0; i < e->n_hosts; i++) {
		berth_out_open_object(out, NULL);
		berth_out_string(out, "host", NULL, e->hosts[i].host);
		if (e->hosts[i].uuid != NULL)
			berth_out_string(out, "uuid", NULL, e->hosts[i].uuid);
		else
			berth_out_null(out, "uuid", NULL);
		berth_out_close_object(out);
	}
	berth_out_close_array(out);
	berth_out_close_object(out);
}

/*
 * One step.  Text: "  + 1 define web1 on h1 (after 1)", then the reason
 * indented below it.  JSON: {"id", "kind", the kind's fields, "after",
 * "reason", "expect"}.
 */
static void
print_step(struct berth_out *out, const struct berth_step *s)
{
	berth_out_open_object(out, NULL);
	berth_out_text(out, "  %s ", berth_step_kind_symbol(s->kind));
	berth_out_uint(out, "id", "%llu ", s->id);
	berth_out_string(out, "kind", "%s", berth_step_kind_name(s->kind));
	print_fields(out, s);
	berth_out_open_array(out, "after");
	for (size_t i = 0; i < s->n_deps; i++)
		berth_out_uint(out, NULL, i == 0 ? " (after %llu" : ", %llu", s->deps[i]);
	berth_out_text(out, s->n_deps > 0 ? ")\n" : "\n");
	berth_out_close_array(out);
	berth_out_string(out, "reason", "        %s\n", s->reason);
	print_expect(out, &s->expect);
	berth_out_close_object(out);
}

/*
 * "Plan: 1 define, 1 start, 1 migrate.": the kinds the plan has, in table
 * order; kinds without a summary label count in the JSON only.
 */
static void
print_summary(struct berth_out *out, const struct berth_plan *plan, bool changes)
{
	unsigned long long count[BERTH_STEP_LAST] = { 0 };
	bool first = true;

	for (size_t i = 0; i < plan->n_steps; i++)
		count[plan->steps[i].kind]++;
	if (changes)
		berth_out_text(out, "\nPlan: ");
	berth_out_open_object(out, "summary");
	for (int k = 0; k < BERTH_STEP_LAST; k++) {
		const struct berth_step_kind_desc *kind = berth_step_kind(k);
		bool shown = changes && kind->summary != NULL;

		if (count[k] == 0)
			continue;
		if (shown && !first)
			berth_out_text(out, ", ");
		berth_out_uint(out, kind->name, shown ? "%llu" : NULL, count[k]);
		if (shown)
			berth_out_text(out, " %s", kind->summary);
		first = first && !shown;
	}
	berth_out_close_object(out);
	if (changes)
		berth_out_text(out, ".\n");
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
	berth_out_string(out, "inventory_sha256", NULL, plan->inventory_sha256);
	berth_out_bool(out, "changes", NULL, changes);
	berth_out_open_array(out, "steps");
	for (size_t i = 0; i < plan->n_steps; i++)
		print_step(out, &plan->steps[i]);
	berth_out_close_array(out);
	print_summary(out, plan, changes);
	return berth_out_finish(out, err);
}
