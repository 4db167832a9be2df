/*
 * berth apply -i INVENTORY [--plan FILE] [--yes] [--json] [--parallel N]
 *             [--lock-timeout DURATION] [--stop-timeout DURATION]
 * Observes the hosts and plans (or loads a saved plan and checks it is not
 * stale), shows the plan, asks, locks the hosts the plan changes, checks
 * the plan again under the lock, runs exactly its steps, then observes and
 * plans again: a converged fleet plans to nothing.  docs/plan.md says what
 * is guaranteed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/apply-report.h"
#include "cli/cmd.h"
#include "cli/interrupt.h"
#include "cli/prepare.h"
#include "core/name-index.h"
#include "core/util.h"
#include "executors/apply.h"
#include "executors/transport/lock.h"
#include "parser/fields.h"
#include "parser/inventory.h"
#include "planner/plan.h"
#include "planner/render.h"
#include "planner/stale.h"

enum { OPT_PLAN = 256, OPT_PARALLEL, OPT_LOCK_TIMEOUT, OPT_STOP_TIMEOUT };

const struct berth_cli_option berth_cmd_apply_options[] = {
	{ 'i', "inventory", "FILE", "the inventory to apply (required)" },
	{ 'l', "limit", "PATTERN", "only the hosts and domains PATTERN selects (Ansible's patterns)" },
	{ OPT_PLAN, "plan", "FILE", "apply exactly this plan saved by 'berth plan --out', or refuse it as stale" },
	{ 'y', "yes", NULL, "do not ask for confirmation" },
	{ 'j', "json", NULL, "print the result as JSON (docs/plan.md); needs --yes" },
	{ OPT_PARALLEL, "parallel", "N", "steps at once, cluster-wide (default 4)" },
	{ OPT_LOCK_TIMEOUT, "lock-timeout", "DURATION",
	  "wait up to DURATION (30s, 5m, 1h) for hosts another apply has locked (default 0: refuse at once)" },
	{ OPT_STOP_TIMEOUT, "stop-timeout", "DURATION",
	  "give a guest DURATION to shut down gracefully before a stop step forces it off (default 120s)" },
	{ 0, NULL, NULL, NULL },
};

struct apply_cmd {
	const char *inventory;
	const char *limit;
	const char *plan_file;
	bool yes;
	bool json;
	bool stop_timeout_given;	/* --stop-timeout: over the inventory's */
	unsigned lock_timeout_s;
	struct berth_apply_opts opts;
};

/* Asks on the terminal; anything but "yes" declines.  SIGINT here ends berth. */
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

/* "90", "90s", "5m", "1h": seconds, at most a day (the inventory's way). */
static int
parse_duration(const char *option, const char *text, unsigned *seconds, struct berth_error **err)
{
	if (!berth_parse_duration(text, 86400, seconds)) {
		berth_error_set(err, BERTH_ERROR_USAGE,
				"--%s must be a duration up to 24h such as 30s, 5m or 1h, got '%s'",
				option, text);
		return -1;
	}
	return 0;
}

/* The hosts the plan changes, each once (the lock sorts them). */
static const char **
plan_hosts(const struct berth_plan *plan, size_t *n)
{
	const char **hosts = xcalloc(2 * plan->n_steps + 1, sizeof(*hosts));
	struct berth_name_index seen;

	*n = 0;
	berth_name_index_init(&seen, plan->n_steps);
	for (size_t i = 0; i < plan->n_steps; i++) {
		const struct berth_step *s = &plan->steps[i];
		const char *touched[] = { s->host, s->dest };

		if (berth_step_kind(s->kind)->class == BERTH_STEP_CLASS_VERIFY)
			continue;	/* changes nothing */
		for (size_t j = 0; j < 2; j++) {
			if (touched[j] != NULL && berth_name_index_add(&seen, touched[j], s) == NULL)
				hosts[(*n)++] = touched[j];
		}
	}
	berth_name_index_release(&seen);
	return hosts;
}

/* Gathers p's facts now and checks plan against them: nothing changed meanwhile. */
static int
check_fresh(struct berth_prepared *p, const struct berth_plan *plan, struct berth_error **err)
{
	berth_facts_free(p->facts);
	p->facts = berth_gather_facts(p->inv, err);
	if (p->facts == NULL)
		return -1;
	return berth_plan_check_stale(p->inv, plan, p->facts, err);
}

/* The inventory, the facts and the plan: fresh, or the saved one if not stale. */
static int
prepare(const struct apply_cmd *a, struct berth_prepared *p, struct berth_error **err)
{
	if (a->plan_file == NULL)
		return berth_prepare(a->inventory, a->limit, NULL, p, err);
	memset(p, 0, sizeof(*p));
	p->inv = berth_load_inventory_limited(a->inventory, a->limit, BERTH_LIMIT_DOMAINS, err);
	if (p->inv != NULL)
		p->plan = berth_plan_load_json(a->plan_file, err);
	if (p->plan == NULL || check_fresh(p, p->plan, err) < 0) {
		berth_prepared_release(p);
		return -1;
	}
	return 0;
}

/*
 * Runs plan's steps (the hosts are locked), then plans again into p to
 * verify; fills s.  Returns 0 or -1.
 */
static int
run_locked(const struct apply_cmd *a, struct berth_prepared *p, const struct berth_plan *plan,
	   struct berth_sessions *sessions,
	   struct berth_apply_report *rep, struct berth_apply_summary *s,
	   struct berth_error **err)
{
	struct berth_apply_opts opts = a->opts;
	int rc;

	if (!a->json)
		printf("\nApplying:\n");
	fflush(stdout);
	berth_interrupt_acting();
	opts.interrupt = &berth_interrupt_level;
	berth_sessions_open_all(sessions);
	rc = berth_apply_plan(p->inv, plan, sessions, &opts, rep, err);
	s->rep = rep;
	s->interrupt = berth_interrupt_level;
	s->mutations = berth_sessions_mutations(sessions);
	if (rc < 0) {
		berth_error_prefix(err, "apply stopped: ");
		return -1;
	}
	if (s->interrupt > 0)
		return 0;
	if (berth_prepare_again(p, err) < 0)
		return -1;
	s->remaining_steps = (long)p->plan->n_steps;
	s->verified = !berth_plan_has_changes(p->plan);
	if (!s->verified) {
		berth_error_set(err, BERTH_ERROR_HOST,
				"apply did not converge: planning again still finds %zu steps; see 'berth plan -i %s'",
				p->plan->n_steps, a->inventory);
		return -1;
	}
	return 0;
}

/*
 * What the inventory's migration: says of the whole apply: how many live
 * migrations at once (max_parallel_migrations) and, unless --stop-timeout
 * was given, how long a guest has to shut down (shutdown_timeout_s).
 */
static void
take_inventory_limits(struct apply_cmd *a, const struct berth_inventory *inv)
{
	if (inv->limits.max_parallel_migrations > 0)
		a->opts.migrations = inv->limits.max_parallel_migrations;
	if (inv->migration.shutdown_timeout_s > 0 && !a->stop_timeout_given)
		a->opts.stop_timeout_s = inv->migration.shutdown_timeout_s;
}

static int
apply(struct apply_cmd *a, struct berth_error **err)
{
	struct berth_sessions *sessions = NULL;
	BERTH_AUTOPTR(berth_out) out = NULL;
	struct berth_host_locks *locks = NULL;
	struct berth_apply_report rep = { 0 };
	struct berth_apply_summary s = {
		.inventory = a->inventory, .plan_file = a->plan_file, .remaining_steps = -1,
	};
	struct berth_lock_holder self;
	char holder_buf[BERTH_LOCK_HOLDER_TEXT_SIZE];
	struct berth_step_ctx where_ctx;
	struct berth_prepared p;
	struct berth_plan *planned;
	const char **hosts;
	size_t n_hosts;
	int rc;

	if (prepare(a, &p, err) < 0)
		return -1;
	take_inventory_limits(a, p.inv);
	s.plan = p.plan;
	if (!a->json && berth_prepared_print(&p, stdout, BERTH_OUT_TEXT, err) < 0) {
		berth_prepared_release(&p);
		return -1;
	}
	/* The steps to run are this plan's; p.plan is the verification's. */
	planned = p.plan;
	p.plan = NULL;
	out = berth_out_new(stdout, a->json ? BERTH_OUT_JSON : BERTH_OUT_TEXT);
	if (!berth_plan_has_changes(planned)) {
		s.verified = true;
		s.remaining_steps = 0;
		rc = a->json ? berth_apply_summary_print(out, &s, err) : 0;
		berth_plan_free(planned);
		berth_prepared_release(&p);
		return rc;
	}
	rc = a->yes ? 0 : confirm(planned, err);
	if (rc == 0) {
		hosts = plan_hosts(planned, &n_hosts);
		berth_lock_holder_self(&self, holder_buf, sizeof(holder_buf));
		locks = berth_host_locks_acquire(p.inv, (const char *const *)hosts, n_hosts, &self,
						 a->lock_timeout_s, err);
		free(hosts);
		rc = locks != NULL ? 0 : -1;
	}
	/* Under the lock: nothing changed since the plan was made or checked. */
	if (rc == 0)
		rc = check_fresh(&p, planned, err);
	if (rc == 0) {
		sessions = berth_sessions_new(p.inv);
		where_ctx = (struct berth_step_ctx){ .inv = p.inv, .sessions = sessions };
		s.ctx = &where_ctx;
		rc = run_locked(a, &p, planned, sessions, &rep, &s, err);
		if (berth_apply_summary_print(out, &s, rc < 0 ? NULL : err) < 0)
			rc = -1;
	}
	/* The sessions and the locks borrow the inventory: they go first. */
	berth_sessions_free(sessions);
	berth_host_locks_release(locks);
	berth_apply_report_release(&rep);
	berth_plan_free(planned);
	berth_prepared_release(&p);
	if (rc == 0 && s.interrupt > 0)
		return berth_interrupt_exit_code();
	if (rc < 0 && s.interrupt > 0 && err != NULL && *err != NULL)
		return berth_interrupt_exit_code();
	return rc;
}

int
berth_cmd_apply(const struct berth_command *self, int argc, char **argv,
		struct berth_error **err)
{
	struct apply_cmd a = { .opts = BERTH_APPLY_OPTS_INIT };
	struct berth_cli_getopt opt;
	int c, end;

	berth_command_getopt_init(&opt, self, argc, argv);
	while ((c = berth_cli_getopt_next(&opt, err)) > 0) {
		switch (c) {
		case 'i':
			a.inventory = opt.optarg;
			break;
		case 'l':
			a.limit = opt.optarg;
			break;
		case OPT_PLAN:
			a.plan_file = opt.optarg;
			break;
		case 'y':
			a.yes = true;
			break;
		case 'j':
			a.json = true;
			break;
		case OPT_PARALLEL:
			if (parse_count(opt.optarg, &a.opts.parallel, err) < 0)
				return -1;
			break;
		case OPT_LOCK_TIMEOUT:
			if (parse_duration("lock-timeout", opt.optarg, &a.lock_timeout_s, err) < 0)
				return -1;
			break;
		case OPT_STOP_TIMEOUT:
			if (parse_duration("stop-timeout", opt.optarg, &a.opts.stop_timeout_s, err) < 0)
				return -1;
			a.stop_timeout_given = true;
			break;
		}
	}
	end = berth_command_options_end(self, &opt, c, true, a.inventory, err);
	if (end <= 0)
		return end;
	if (a.json && !a.yes) {
		berth_error_set(err, BERTH_ERROR_USAGE, "--json needs --yes: a JSON result cannot ask for confirmation");
		return -1;
	}
	a.opts.progress = a.json ? stderr : stdout;
	berth_interrupt_install();
	return apply(&a, err);
}
