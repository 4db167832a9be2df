/*
 * Fuzzes the facts JSON loader (core/facts-json.c) and the planner
 * (planner/) on the facts it accepts: 'berth plan --facts FILE'.  The
 * input is a facts file; it is planned against the inventory of every
 * golden case in tests/plans/, whose hosts (h1, h2, h3) the seeds name.
 *
 * Beyond not crashing:
 *   - refused facts are a BERTH_ERROR_INPUT error of one line naming the
 *     file;
 *   - facts that load are written back as JSON that loads into the same
 *     facts (berth_fuzz_check_facts_round_trip());
 *   - the planner either refuses with a HOST or INPUT error of one line, or
 *     makes a plan whose steps are in order and which, saved as JSON, loads
 *     back as the same plan (berth_fuzz_check_plan_round_trip()).
 */
#include "planner/plan.h"
#include "tests/fuzz/fuzz.h"

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
	BERTH_AUTOPTR(berth_facts) facts = berth_facts_load(path, &err);

	if (facts == NULL) {
		berth_fuzz_check_error(err, BERTH_ERROR_INPUT, path, "berth_facts_load");
		return 0;
	}
	berth_fuzz_check_facts_round_trip(facts);
	for (size_t i = 0; i < n_cases; i++) {
		BERTH_AUTOPTR(berth_error) plan_err = NULL;
		BERTH_AUTOPTR(berth_plan) plan = berth_plan_make(cases[i].inv, facts, &plan_err);

		if (plan == NULL) {
			if (plan_err != NULL && berth_error_kind(plan_err) == BERTH_ERROR_INPUT)
				berth_fuzz_check_error(plan_err, BERTH_ERROR_INPUT, "",
						       "berth_plan_make");
			else
				berth_fuzz_check_error(plan_err, BERTH_ERROR_HOST, "",
						       "berth_plan_make");
			continue;
		}
		berth_fuzz_check_plan_order(plan);
		berth_fuzz_check_plan_round_trip(plan);
	}
	return 0;
}
