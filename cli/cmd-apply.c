/*
 * berth apply -i INVENTORY [--plan FILE] [--yes] [--parallel N]
 * Observes the hosts, plans, shows the plan, asks, applies it, then
 * observes and plans again: a converged fleet plans to nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/prepare.h"
#include "executors/apply.h"
#include "planner/render.h"

enum { OPT_PLAN = 256, OPT_PARALLEL };

const struct berth_cli_option berth_cmd_apply_options[] = {
	{ 'i', "inventory", "FILE", "the inventory to apply (required)" },
	{ OPT_PLAN, "plan", "FILE", "apply exactly this plan saved by 'berth plan --out'" },
	{ 'y', "yes", NULL, "do not ask for confirmation" },
	{ OPT_PARALLEL, "parallel", "N", "steps at once, cluster-wide (default 4)" },
	{ 0, NULL, NULL, NULL },
};

/* Asks on the terminal; anything but "yes" declines. */
static int
confirm(const struct berth_plan *plan, struct berth_error **err)
{
	char answer[16];

	if (!isatty(STDIN_FILENO)) {
		berth_error_set(err, BERTH_ERROR_USAGE,
				"refusing to apply without confirmation: standard input is not a terminal (pass --yes)");
		return -1;
	}
	printf("\nApply these %zu steps? Only 'yes' will be accepted: ", plan->n_steps);
	fflush(stdout);
	if (fgets(answer, sizeof(answer), stdin) == NULL || strcmp(answer, "yes\n") != 0) {
		berth_error_set(err, BERTH_ERROR_USAGE, "apply cancelled: nothing was changed");
		return -1;
	}
	return 0;
}

static int
parse_count(const char *text, unsigned *value, struct berth_error **err)
{
	char *end;
	unsigned long n = strtoul(text, &end, 10);

	if (*text == '\0' || *end != '\0' || n < 1 || n > 64) {
		berth_error_set(err, BERTH_ERROR_USAGE,
				"--parallel must be a number from 1 to 64, got '%s'", text);
		return -1;
	}
	*value = (unsigned)n;
	return 0;
}

static int
apply(struct berth_prepared *p, const struct berth_apply_opts *opts, struct berth_error **err)
{
	BERTH_AUTOPTR(berth_sessions) sessions = berth_sessions_new(p->inv);
	struct berth_apply_report rep;
	int rc;

	printf("\nApplying:\n");
	fflush(stdout);
	berth_sessions_open_all(sessions);
	rc = berth_apply_plan(p->inv, p->plan, sessions, opts, &rep, err);
	printf("\nApply: %u done, %u already done, %u failed, %u not run; %u mutating libvirt calls.\n",
	       rep.done, rep.skipped, rep.failed, rep.not_run, berth_sessions_mutations(sessions));
	if (rc < 0) {
		berth_error_prefix(err, "apply stopped: ");
		fprintf(stderr, "berth: a failed live migration leaves its guest running on the "
			"source; run 'berth apply' again to finish the job\n");
	}
	return rc;
}

int
berth_cmd_apply(const struct berth_command *self, int argc, char **argv,
		struct berth_error **err)
{
	struct berth_apply_opts opts = BERTH_APPLY_OPTS_INIT;
	const char *inventory = NULL, *plan_file = NULL;
	struct berth_prepared p;
	struct berth_cli_getopt opt;
	bool yes = false;
	int c, end, rc;

	berth_command_getopt_init(&opt, self, argc, argv);
	while ((c = berth_cli_getopt_next(&opt, err)) > 0) {
		switch (c) {
		case 'i':
			inventory = opt.optarg;
			break;
		case OPT_PLAN:
			plan_file = opt.optarg;
			break;
		case 'y':
			yes = true;
			break;
		case OPT_PARALLEL:
			if (parse_count(opt.optarg, &opts.parallel, err) < 0)
				return -1;
			break;
		}
	}
	end = berth_command_options_end(self, &opt, c, true, inventory, err);
	if (end <= 0)
		return end;
	opts.progress = stdout;

	if (berth_prepare(inventory, NULL, &p, err) < 0)
		return -1;
	if (plan_file != NULL) {
		/* The reviewed plan replaces the fresh one; each step re-checks
		 * the live hosts before it acts. */
		struct berth_plan *saved = berth_plan_load_json(plan_file, err);

		if (saved == NULL) {
			berth_prepared_release(&p);
			return -1;
		}
		berth_plan_free(p.plan);
		p.plan = saved;
	}
	rc = berth_prepared_print(&p, stdout, BERTH_OUT_TEXT, err);
	if (rc == 0 && berth_plan_has_changes(p.plan)) {
		if (!yes)
			rc = confirm(p.plan, err);
		if (rc == 0)
			rc = apply(&p, &opts, err);
		if (rc == 0)
			rc = berth_prepare_again(&p, err);
		if (rc == 0 && berth_plan_has_changes(p.plan)) {
			berth_error_set(err, BERTH_ERROR_HOST,
					"apply did not converge: planning again still finds %zu steps; see 'berth plan -i %s'",
					p.plan->n_steps, inventory);
			rc = -1;
		}
		if (rc == 0)
			printf("Verified: planning again finds no changes.\n");
	}
	berth_prepared_release(&p);
	return rc;
}
