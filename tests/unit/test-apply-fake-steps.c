/*
 * executors/apply.c, the scheduler, with FAKE step executors that record
 * what ran when: no host is contacted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "executors/apply.h"
#include "executors/steps/step.h"

/* What the fakes saw, shared by every worker thread. */
static struct {
	pthread_mutex_t lock;
	unsigned started[16];		/* step ids in start order */
	unsigned n_started;
	unsigned finished[16];
	unsigned n_finished;
	unsigned applied;
	unsigned running_on_h1, max_on_h1;
	unsigned migrating, max_migrating;
	unsigned fail_id;		/* apply of this step fails */
	unsigned done_id;		/* check of this step says done */
	unsigned sleep_ms;
	unsigned early_starts;		/* steps started before a dependency finished */
} seen = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void
reset(void)
{
	pthread_mutex_lock(&seen.lock);
	memset(seen.started, 0, sizeof(seen.started));
	memset(seen.finished, 0, sizeof(seen.finished));
	seen.n_started = seen.n_finished = seen.applied = 0;
	seen.running_on_h1 = seen.max_on_h1 = seen.migrating = seen.max_migrating = 0;
	seen.fail_id = seen.done_id = seen.sleep_ms = seen.early_starts = 0;
	pthread_mutex_unlock(&seen.lock);
}

static int
fake_check(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
	(void)ctx;
	(void)err;
	return step->id == seen.done_id ? 1 : 0;
}

static int
fake_apply(struct berth_step_ctx *ctx, const struct berth_step *step,
	   struct berth_step_outcome *out, struct berth_error **err)
{
	bool on_h1 = berth_streq(step->host, "h1") || berth_streq(step->dest, "h1");
	bool migration = step->kind == BERTH_STEP_MIGRATE_LIVE;
	struct timespec pause = { 0, (long)seen.sleep_ms * 1000000L };

	(void)ctx;
	(void)out;
	pthread_mutex_lock(&seen.lock);
	for (size_t i = 0; i < step->n_deps; i++) {
		bool finished = false;

		for (unsigned j = 0; j < seen.n_finished; j++)
			finished = finished || seen.finished[j] == step->deps[i];
		seen.early_starts += !finished;
	}
	seen.started[seen.n_started++] = step->id;
	seen.applied++;
	if (on_h1 && ++seen.running_on_h1 > seen.max_on_h1)
		seen.max_on_h1 = seen.running_on_h1;
	if (migration && ++seen.migrating > seen.max_migrating)
		seen.max_migrating = seen.migrating;
	pthread_mutex_unlock(&seen.lock);

	nanosleep(&pause, NULL);

	pthread_mutex_lock(&seen.lock);
	seen.running_on_h1 -= on_h1;
	seen.migrating -= migration;
	seen.finished[seen.n_finished++] = step->id;
	pthread_mutex_unlock(&seen.lock);
	if (step->id == seen.fail_id) {
		berth_error_set(err, BERTH_ERROR_HOST, "boom");
		return -1;
	}
	return 0;
}

static const struct berth_step_ops fake_ops = { .check = fake_check, .apply = fake_apply };

static const struct berth_step_ops *
fake_ops_for(enum berth_step_kind kind)
{
	(void)kind;
	return &fake_ops;
}

static int
run(const struct berth_plan *plan, const struct berth_apply_opts *opts,
    struct berth_apply_report *rep, struct berth_error **err)
{
	struct berth_inventory inv = { 0 };

	return berth_apply_plan_with(&inv, plan, NULL, opts, fake_ops_for, rep, err);
}

/* Appends define, start and verify of web1 on h1, each after the one before. */
static void
add_web1_chain(struct berth_plan *plan)
{
	unsigned first = (unsigned)plan->n_steps + 1;

	berth_plan_add_step(plan, BERTH_STEP_DEFINE, "h1", "web1", "r");
	berth_step_add_dep(berth_plan_add_step(plan, BERTH_STEP_START, "h1", "web1", "r"), first);
	berth_step_add_dep(berth_plan_add_step(plan, BERTH_STEP_VERIFY, "h1", "web1", "r"), first + 1);
}

/* Where id sits in an order, or -1. */
static int
position(const unsigned *order, unsigned n, unsigned id)
{
	for (unsigned i = 0; i < n; i++) {
		if (order[i] == id)
			return (int)i;
	}
	return -1;
}

static void
test_apply_fake_steps_start_only_after_their_dependencies(void **state)
{
	BERTH_AUTOPTR(berth_plan) plan = berth_plan_new();
	struct berth_apply_opts opts = BERTH_APPLY_OPTS_INIT;
	struct berth_apply_report rep;
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	reset();
	seen.sleep_ms = 5;
	add_web1_chain(plan);
	berth_plan_add_step(plan, BERTH_STEP_DEFINE, "h2", "web2", "r");
	assert_int_equal(run(plan, &opts, &rep, &err), 0);
	assert_null(err);
	assert_int_equal(rep.done, 4);
	/* Each waits until the one before has finished, not merely started. */
	assert_int_equal(seen.early_starts, 0);
	assert_true(position(seen.started, seen.n_started, 3) > position(seen.started, seen.n_started, 2));
}

static void
test_apply_fake_steps_stop_starting_after_a_failure(void **state)
{
	BERTH_AUTOPTR(berth_plan) plan = berth_plan_new();
	struct berth_apply_opts opts = BERTH_APPLY_OPTS_INIT;
	struct berth_apply_report rep;
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	reset();
	seen.fail_id = 1;
	add_web1_chain(plan);
	assert_int_equal(run(plan, &opts, &rep, &err), -1);
	assert_int_equal(rep.failed, 1);
	assert_int_equal(rep.not_run, 2);
	assert_int_equal(seen.applied, 1);
	assert_string_equal(berth_error_message(err), "step 1 define web1 on h1 failed: boom");
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
}

static void
test_apply_fake_steps_skip_apply_when_check_finds_the_goal_met(void **state)
{
	BERTH_AUTOPTR(berth_plan) plan = berth_plan_new();
	struct berth_apply_opts opts = BERTH_APPLY_OPTS_INIT;
	struct berth_apply_report rep;
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	reset();
	seen.done_id = 1;
	add_web1_chain(plan);
	assert_int_equal(run(plan, &opts, &rep, &err), 0);
	assert_int_equal(rep.skipped, 1);
	assert_int_equal(rep.done, 2);
	assert_int_equal(seen.applied, 2);
	assert_int_equal(seen.started[0], 2);
}

static void
test_apply_fake_steps_honour_host_and_migration_limits(void **state)
{
	BERTH_AUTOPTR(berth_plan) plan = berth_plan_new();
	struct berth_apply_opts opts = BERTH_APPLY_OPTS_INIT;
	struct berth_apply_report rep;
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	reset();
	seen.sleep_ms = 20;
	opts.parallel = 8;
	opts.per_host = 2;
	opts.migrations = 1;
	for (int i = 0; i < 5; i++)
		berth_plan_add_step(plan, BERTH_STEP_DEFINE, "h1", "d", "r");
	for (int i = 0; i < 3; i++) {
		struct berth_step *m = berth_plan_add_step(plan, BERTH_STEP_MIGRATE_LIVE, "h2", "m", "r");

		m->dest = xstrdup("h3");
	}
	assert_int_equal(run(plan, &opts, &rep, &err), 0);
	assert_int_equal(rep.done, 8);
	assert_int_equal(seen.max_on_h1, 2);
	assert_int_equal(seen.max_migrating, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_fake_steps_start_only_after_their_dependencies),
		cmocka_unit_test(test_apply_fake_steps_stop_starting_after_a_failure),
		cmocka_unit_test(test_apply_fake_steps_skip_apply_when_check_finds_the_goal_met),
		cmocka_unit_test(test_apply_fake_steps_honour_host_and_migration_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
