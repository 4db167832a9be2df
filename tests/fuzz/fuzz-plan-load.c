/*
 * Fuzzes the saved-plan loader (planner/plan-load.c) and the check that a
 * saved plan still fits (planner/stale.c): 'berth apply --plan FILE'.  A
 * plan that loads is checked against the inventory and facts of every
 * golden case in tests/plans/ (the seeds are those cases' plan.json, so
 * their inventory_sha256 matches and the check goes past it).
 *
 * Beyond not crashing:
 *   - a refused plan is a BERTH_ERROR_INPUT error of one line naming the
 *     file;
 *   - a plan that loads has its steps in order, and prints as JSON that
 *     loads back the same (berth_fuzz_check_plan_round_trip());
 *   - the stale check refuses with one line "plan is stale: ...", or lets
 *     the plan run only if each migration goes to the URI berth makes from
 *     the inventory for its destination (a plan file cannot send a guest,
 *     or a command, anywhere else).
 */
#include "core/step-kind.h"
#include "core/util.h"
#include "planner/render.h"
#include "planner/stale.h"
#include "tests/fuzz/fuzz.h"

static void
check_fits(const struct berth_fuzz_case *c, const struct berth_plan *plan)
{
	BERTH_AUTOPTR(berth_error) err = NULL;

	if (berth_plan_check_stale(c->inv, plan, c->facts, &err) < 0) {
		berth_fuzz_check_error(err, BERTH_ERROR_HOST, "plan is stale: ",
				       "berth_plan_check_stale");
		return;
	}
	for (size_t i = 0; i < plan->n_steps; i++) {
		const struct berth_step *s = &plan->steps[i];
		const struct berth_host *dest;
		BERTH_AUTOFREE char *want = NULL;

		if (!berth_step_kind_has(s->kind, BERTH_STEP_FIELD_URI))
			continue;
		dest = s->dest != NULL ? berth_inventory_host(c->inv, s->dest) : NULL;
		if (dest == NULL)
			berth_fuzz_fail("case %s: step %u migrates to '%s', not an inventory host, "
					"and the plan is not stale", c->name, s->id,
					s->dest != NULL ? s->dest : "(none)");
		want = berth_host_peer_uri(dest);
		if (!berth_streq(s->uri, want))
			berth_fuzz_fail("case %s: step %u migrates by '%s', not '%s', and the plan "
					"is not stale", c->name, s->id,
					s->uri != NULL ? s->uri : "(none)", want);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct berth_fuzz_case *cases;

	(void)argc;
	(void)argv;
	berth_fuzz_setup();
	berth_fuzz_plan_cases(&cases);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct berth_fuzz_file file;
	const struct berth_fuzz_case *cases;
	size_t n_cases = berth_fuzz_plan_cases(&cases);
	const char *path = berth_fuzz_file_write(&file, data, size);
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_plan) plan = berth_plan_load_json(path, &err);

	if (plan == NULL) {
		berth_fuzz_check_error(err, BERTH_ERROR_INPUT, path, "berth_plan_load_json");
		return 0;
	}
	berth_fuzz_check_plan_order(plan);
	berth_fuzz_check_plan_round_trip(plan);
	for (size_t i = 0; i < n_cases; i++)
		check_fits(&cases[i], plan);
	return 0;
}
