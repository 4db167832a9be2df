/*
 * What the scheduler itself costs: plans of fake steps that do no I/O,
 * shaped like a fleet drain, run with the lab's default limits
 * (BERTH_APPLY_OPTS_INIT) and an interrupt flag that is never raised, as
 * 'berth apply' runs them:
 *
 *	build/.../bench/apply-fake [STEPS [RUNS]]
 *
 * Defaults: 20000 steps, 9 runs.  Runs plans of STEPS/4, STEPS/2 and STEPS
 * steps (4 x RUNS, 2 x RUNS and RUNS times), and prints one line per size:
 * the median wall time of berth_apply_plan_with(), the time per step, and
 * the ratio of the median to the size before (2.00 when the cost is linear
 * in the steps), as here from a release build on two CPUs:
 *
 *	steps=5000 median_ms=1.2 us_per_step=0.25 ratio=-
 *	steps=10000 median_ms=2.4 us_per_step=0.24 ratio=1.92
 *	steps=20000 median_ms=6.1 us_per_step=0.31 ratio=2.59
 *
 * The plans: 1000 hosts h0..h999; of every three domains, two migrate live
 * to the next host and are verified there, the third is defined, started
 * and verified where it is.  Exits 1 if the median for STEPS is over
 * 0.5 s per 20,000 steps (the target), 2 on bad arguments.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/util.h"
#include "executors/apply.h"
#include "executors/steps/step.h"

#define HOSTS 1000
#define BUDGET_S_PER_20000 0.5

static int
fake_check(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
	(void)ctx;
	(void)step;
	(void)err;
	return 0;
}

static int
fake_apply(struct berth_step_ctx *ctx, const struct berth_step *step,
	   struct berth_step_outcome *out, struct berth_error **err)
{
	(void)ctx;
	(void)step;
	(void)out;
	(void)err;
	return 0;
}

static const struct berth_step_ops fake_ops = { .check = fake_check, .apply = fake_apply };

static const struct berth_step_ops *
fake_ops_for(enum berth_step_kind kind)
{
	(void)kind;
	return &fake_ops;
}

/* Appends a step unless plan has n steps already.  Its id, or 0. */
static unsigned
add(struct berth_plan *plan, size_t n, enum berth_step_kind kind, const char *host,
    const char *dest, const char *domain, unsigned after)
{
	struct berth_step *step;

	if (plan->n_steps >= n)
		return 0;
	step = berth_plan_add_step(plan, kind, host, domain, "bench");
	if (dest != NULL)
		step->dest = xstrdup(dest);
	if (after != 0)
		berth_step_add_dep(step, after);
	return step->id;
}

static struct berth_plan *
make_plan(size_t n)
{
	struct berth_plan *plan = berth_plan_new();
	char host[16], next[16], domain[32];

	for (size_t d = 0; plan->n_steps < n; d++) {
		unsigned id;

		snprintf(host, sizeof(host), "h%zu", d % HOSTS);
		snprintf(next, sizeof(next), "h%zu", (d + 1) % HOSTS);
		snprintf(domain, sizeof(domain), "d%zu", d);
		if (d % 3 == 2) {
			id = add(plan, n, BERTH_STEP_DEFINE, host, NULL, domain, 0);
			id = add(plan, n, BERTH_STEP_START, host, NULL, domain, id);
			add(plan, n, BERTH_STEP_VERIFY, host, NULL, domain, id);
		} else {
			id = add(plan, n, BERTH_STEP_MIGRATE_LIVE, host, next, domain, 0);
			add(plan, n, BERTH_STEP_VERIFY, next, NULL, domain, id);
		}
	}
	return plan;
}

static int
compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median seconds of runs applies of an n-step plan, or -1 if one failed. */
static double
median_s(size_t n, unsigned runs)
{
	static volatile sig_atomic_t never;
	struct berth_apply_opts opts = BERTH_APPLY_OPTS_INIT;
	struct berth_inventory inv = { 0 };
	BERTH_AUTOPTR(berth_plan) plan = make_plan(n);
	BERTH_AUTOFREE double *s = xcalloc(runs, sizeof(*s));

	opts.interrupt = &never;
	for (unsigned r = 0; r < runs; r++) {
		struct berth_apply_report rep;
		struct berth_error *err = NULL;
		double start = berth_now_s();
		int rc = berth_apply_plan_with(&inv, plan, NULL, &opts, fake_ops_for, &rep, &err);

		s[r] = berth_now_s() - start;
		if (rc < 0 || rep.done != n) {
			fprintf(stderr, "apply-fake: %zu steps: %u done: %s\n", n, rep.done,
				err != NULL ? berth_error_message(err) : "no error");
			berth_error_free(err);
			berth_apply_report_release(&rep);
			return -1;
		}
		berth_apply_report_release(&rep);
	}
	qsort(s, runs, sizeof(*s), compare_doubles);
	return s[runs / 2];
}

/* Reads argv[i] into *value if it is there.  False if it is not a number. */
static bool
number_arg(int argc, char **argv, int i, unsigned long *value)
{
	char *end;

	if (argc <= i)
		return true;
	*value = strtoul(argv[i], &end, 10);
	return *argv[i] != '\0' && *end == '\0';
}

int
main(int argc, char **argv)
{
	unsigned long steps = 20000, runs = 9;
	const size_t parts[] = { 4, 2, 1 };
	double before = 0, median = 0, budget;

	if (argc > 3 || !number_arg(argc, argv, 1, &steps) || !number_arg(argc, argv, 2, &runs) ||
	    steps < 4 || runs < 1) {
		fprintf(stderr, "usage: apply-fake [STEPS>=4 [RUNS>=1]]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t n = steps / parts[i];

		/* Smaller plans run more often: each size takes about as long. */
		median = median_s(n, (unsigned)(runs * parts[i]));
		if (median < 0)
			return 1;
		printf("steps=%zu median_ms=%.1f us_per_step=%.2f ", n, median * 1e3, median * 1e6 / n);
		if (before > 0)
			printf("ratio=%.2f\n", median / before);
		else
			printf("ratio=-\n");
		before = median;
	}
	budget = BUDGET_S_PER_20000 * (double)steps / 20000;
	if (median > budget) {
		fprintf(stderr, "apply-fake: the median for %lu steps, %.0f ms, is over the budget of %.0f ms\n",
			steps, median * 1e3, budget * 1e3);
		return 1;
	}
	return 0;
}
