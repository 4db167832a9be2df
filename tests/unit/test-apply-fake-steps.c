/*
 * executors/apply.c, the scheduler, with FAKE step executors that record
 * what ran when: no host is contacted.  Each fake step behaves as the test
 * sets it up by step id (see struct fake_step).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "executors/apply.h"
#include "executors/steps/step.h"

#define MAX_STEPS 2048

/* How long a fake waits for another step or for its abort before giving up. */
#define FAKE_WAIT_S 5

/* What a fake step does; all zero: check finds work, apply succeeds at once. */
struct fake_step {
	bool already;			/* check says the goal is met */
	bool fail;			/* apply fails: "boom" */
	unsigned hold_for;		/* apply waits until this step has started */
	int interrupts;			/* then sends this many SIGINTs */
	bool until_aborted;		/* then waits for its abort and fails */
	bool ignore_first_abort;	/* the first abort comes too early to count */
	unsigned sleep_ms;		/* then sleeps */
	const char *note;		/* and says this, with migration figures */
};

/* What the fakes saw, shared by every worker thread; reset() clears it. */
struct fake_record {
	struct fake_step step[MAX_STEPS + 1];
	unsigned started[MAX_STEPS];	/* step ids in start order */
	unsigned n_started;
	unsigned events;		/* starts and finishes so far */
	unsigned start_event[MAX_STEPS + 1];	/* 0: not started */
	unsigned finish_event[MAX_STEPS + 1];
	bool has_started[MAX_STEPS + 1];
	bool aborted[MAX_STEPS + 1];
	unsigned aborts[MAX_STEPS + 1];	/* calls of the fake abort */
	unsigned applied;
	unsigned running, max_running;
	unsigned running_on_h1, max_on_h1;
	unsigned migrating, max_migrating;
	unsigned early_starts;		/* steps started before a dependency finished */
	unsigned timeouts;		/* waits that gave up */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct fake_record r;
} seen = { .lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER };

/*
 * SIGINT as the CLI handles it (cli/interrupt.c): the first raises the
 * level to 1, the next to 2.  The scheduler's threads block it, so it
 * must arrive in the test's own thread.
 */
static volatile sig_atomic_t interrupt_level;
static volatile sig_atomic_t interrupt_off_main;	/* a worker took it */
static pthread_t main_thread;
static sem_t interrupt_handled;

static void
on_sigint(int sig)
{
	(void)sig;
	if (!pthread_equal(pthread_self(), main_thread))
		interrupt_off_main = 1;
	interrupt_level = interrupt_level == 0 ? 1 : 2;
	sem_post(&interrupt_handled);
}

/* Sends n SIGINTs to the process, each after the one before was handled. */
static void
send_interrupts(int n)
{
	for (int i = 0; i < n; i++) {
		kill(getpid(), SIGINT);
		while (sem_wait(&interrupt_handled) < 0)
			;
	}
}

static void
reset(void)
{
	pthread_mutex_lock(&seen.lock);
	memset(&seen.r, 0, sizeof(seen.r));
	pthread_mutex_unlock(&seen.lock);
	interrupt_level = 0;
}

static bool
is_migration(const struct berth_step *step)
{
	return berth_step_kind(step->kind)->class == BERTH_STEP_CLASS_MIGRATION;
}

/* Waits, with seen.lock held, until *flag is set.  False if it gave up. */
static bool
wait_for(const bool *flag)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += FAKE_WAIT_S;
	while (!*flag) {
		if (pthread_cond_timedwait(&seen.changed, &seen.lock, &until) != 0) {
			seen.r.timeouts++;
			return false;
		}
	}
	return true;
}

static int
fake_check(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
	(void)ctx;
	(void)err;
	return seen.r.step[step->id].already ? 1 : 0;
}

static int
fake_apply(struct berth_step_ctx *ctx, const struct berth_step *step,
	   struct berth_step_outcome *out, struct berth_error **err)
{
	const struct fake_step *fake = &seen.r.step[step->id];
	bool on_h1 = berth_streq(step->host, "h1") || berth_streq(step->dest, "h1");
	bool migration = is_migration(step);
	struct timespec pause = { fake->sleep_ms / 1000, (long)(fake->sleep_ms % 1000) * 1000000L };
	bool aborted = false;

	(void)ctx;
	pthread_mutex_lock(&seen.lock);
	for (size_t i = 0; i < step->n_deps; i++)
		seen.r.early_starts += seen.r.finish_event[step->deps[i]] == 0;
	seen.r.started[seen.r.n_started++] = step->id;
	seen.r.start_event[step->id] = ++seen.r.events;
	seen.r.has_started[step->id] = true;
	seen.r.applied++;
	if (++seen.r.running > seen.r.max_running)
		seen.r.max_running = seen.r.running;
	if (on_h1 && ++seen.r.running_on_h1 > seen.r.max_on_h1)
		seen.r.max_on_h1 = seen.r.running_on_h1;
	if (migration && ++seen.r.migrating > seen.r.max_migrating)
		seen.r.max_migrating = seen.r.migrating;
	pthread_cond_broadcast(&seen.changed);
	if (fake->hold_for != 0)
		wait_for(&seen.r.has_started[fake->hold_for]);
	pthread_mutex_unlock(&seen.lock);
	send_interrupts(fake->interrupts);
	pthread_mutex_lock(&seen.lock);
	if (fake->until_aborted)
		aborted = wait_for(&seen.r.aborted[step->id]);
	pthread_mutex_unlock(&seen.lock);

	nanosleep(&pause, NULL);

	pthread_mutex_lock(&seen.lock);
	seen.r.running--;
	seen.r.running_on_h1 -= on_h1;
	seen.r.migrating -= migration;
	seen.r.finish_event[step->id] = ++seen.r.events;
	pthread_mutex_unlock(&seen.lock);
	if (aborted) {
		berth_error_set(err, BERTH_ERROR_HOST, "migration aborted");
		return -1;
	}
	if (fake->fail) {
		berth_error_set(err, BERTH_ERROR_HOST, "boom");
		return -1;
	}
	if (fake->note != NULL) {
		berth_buf_add(&out->note, fake->note);
		out->has_migration = true;
		out->job_ms = 1020;
		out->downtime_ms = 35;
		out->data_bytes = 123456789;
	}
	return 0;
}

static int
fake_abort(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
	(void)ctx;
	(void)err;
	pthread_mutex_lock(&seen.lock);
	seen.r.aborts[step->id]++;
	if (!seen.r.step[step->id].ignore_first_abort || seen.r.aborts[step->id] > 1)
		seen.r.aborted[step->id] = true;
	pthread_cond_broadcast(&seen.changed);
	pthread_mutex_unlock(&seen.lock);
	return 0;
}

/* Like the real executors, only migrations can be aborted. */
static const struct berth_step_ops fake_ops = { .check = fake_check, .apply = fake_apply };
static const struct berth_step_ops fake_migrate_ops = {
	.check = fake_check, .apply = fake_apply, .abort = fake_abort,
};

static const struct berth_step_ops *
fake_ops_for(enum berth_step_kind kind)
{
	return berth_step_kind(kind)->class == BERTH_STEP_CLASS_MIGRATION ? &fake_migrate_ops
									  : &fake_ops;
}

/* What each test starts from: an empty plan, the lab's limits, the fakes reset. */
struct fixture {
	struct berth_plan *plan;
	struct berth_apply_opts opts;
	struct berth_apply_report rep;
	struct berth_error *err;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	f->plan = berth_plan_new();
	f->opts = (struct berth_apply_opts)BERTH_APPLY_OPTS_INIT;
	reset();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	berth_plan_free(f->plan);
	berth_apply_report_release(&f->rep);
	berth_error_free(f->err);
	free(f);
	return 0;
}

/* Applies f's plan with the fakes. */
static int
run(struct fixture *f)
{
	struct berth_inventory inv = { 0 };

	return berth_apply_plan_with(&inv, f->plan, NULL, &f->opts, fake_ops_for, &f->rep, &f->err);
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

/* Appends a live migration of domain from host to dest. */
static struct berth_step *
add_migration(struct berth_plan *plan, const char *domain, const char *host, const char *dest)
{
	struct berth_step *m = berth_plan_add_step(plan, BERTH_STEP_MIGRATE_LIVE, host, domain, "r");

	m->dest = xstrdup(dest);
	return m;
}

static void
test_apply_fake_steps_start_only_after_their_dependencies(void **state)
{
	struct fixture *f = *state;

	for (unsigned id = 1; id <= 4; id++)
		seen.r.step[id].sleep_ms = 5;
	add_web1_chain(f->plan);
	berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, "h2", "web2", "r");
	assert_int_equal(run(f), 0);
	assert_null(f->err);
	assert_int_equal(f->rep.done, 4);
	/* Each waits until the one before has finished, not merely started. */
	assert_int_equal(seen.r.early_starts, 0);
	assert_true(seen.r.start_event[3] > seen.r.finish_event[2]);
}

static void
test_apply_fake_steps_stop_starting_after_a_failure(void **state)
{
	struct fixture *f = *state;

	seen.r.step[1].fail = true;
	add_web1_chain(f->plan);
	assert_int_equal(run(f), -1);
	assert_int_equal(f->rep.failed, 1);
	assert_int_equal(f->rep.not_run, 2);
	assert_int_equal(seen.r.applied, 1);
	assert_string_equal(berth_error_message(f->err), "step 1 define web1 on h1 failed: boom");
	assert_int_equal(berth_error_kind(f->err), BERTH_ERROR_HOST);
	assert_int_equal(f->rep.interrupted, 0);
}

static void
test_apply_fake_steps_skip_apply_when_check_finds_the_goal_met(void **state)
{
	struct fixture *f = *state;

	seen.r.step[1].already = true;
	add_web1_chain(f->plan);
	assert_int_equal(run(f), 0);
	assert_int_equal(f->rep.skipped, 1);
	assert_int_equal(f->rep.done, 2);
	assert_int_equal(seen.r.applied, 2);
	assert_int_equal(seen.r.started[0], 2);
	assert_int_equal(f->rep.results[0].status, BERTH_STEP_STATUS_ALREADY);
}

static void
test_apply_fake_steps_honour_host_and_migration_limits(void **state)
{
	struct fixture *f = *state;

	for (unsigned id = 1; id <= 8; id++)
		seen.r.step[id].sleep_ms = 20;
	f->opts.parallel = 8;
	f->opts.per_host = 2;
	f->opts.migrations = 1;
	for (int i = 0; i < 5; i++)
		berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, "h1", "d", "r");
	for (int i = 0; i < 3; i++)
		add_migration(f->plan, "m", "h2", "h3");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->rep.done, 8);
	assert_int_equal(seen.r.max_on_h1, 2);
	assert_int_equal(seen.r.max_migrating, 1);
}

static void
test_apply_fake_steps_never_run_more_than_parallel_at_once(void **state)
{
	struct fixture *f = *state;
	char host[16];

	f->opts.parallel = 3;
	for (unsigned id = 1; id <= 12; id++) {
		snprintf(host, sizeof(host), "h%u", id);
		berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, host, "d", "r");
		seen.r.step[id].sleep_ms = 10;
	}
	assert_int_equal(run(f), 0);
	assert_int_equal(f->rep.done, 12);
	/* Reaches the limit (the hosts allow more), never passes it. */
	assert_int_equal(seen.r.max_running, 3);
}

static void
test_apply_fake_steps_start_a_ready_step_elsewhere_while_others_wait_for_their_limits(void **state)
{
	struct fixture *f = *state;

	f->opts.parallel = 4;
	f->opts.per_host = 1;
	f->opts.migrations = 1;
	berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, "h1", "web1", "r");	/* 1 */
	berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, "h1", "web2", "r");	/* 2: h1 is busy */
	add_migration(f->plan, "web3", "h2", "h3");				/* 3 */
	add_migration(f->plan, "web4", "h4", "h5");				/* 4: 1 migration at once */
	berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, "h6", "web6", "r");	/* 5 */
	/* 1 and 3 run until 5 has started: 5 must not wait behind 2 or 4. */
	seen.r.step[1].hold_for = 5;
	seen.r.step[3].hold_for = 5;
	assert_int_equal(run(f), 0);
	assert_int_equal(f->rep.done, 5);
	assert_int_equal(seen.r.timeouts, 0);
	assert_true(seen.r.start_event[5] < seen.r.finish_event[1]);
	assert_true(seen.r.start_event[5] < seen.r.finish_event[3]);
	assert_true(seen.r.start_event[2] > seen.r.finish_event[1]);
	assert_true(seen.r.start_event[4] > seen.r.finish_event[3]);
}

static void
test_apply_fake_steps_first_interrupt_lets_running_steps_finish_and_starts_nothing(void **state)
{
	struct fixture *f = *state;

	f->opts.parallel = 2;
	f->opts.interrupt = &interrupt_level;
	berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, "h1", "web1", "r");	/* 1 */
	add_migration(f->plan, "web2", "h2", "h3");				/* 2 */
	berth_step_add_dep(berth_plan_add_step(f->plan, BERTH_STEP_START, "h1", "web1", "r"), 1);
	berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, "h4", "web4", "r");	/* 4 */
	berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, "h5", "web5", "r");	/* 5 */
	/* The interrupt comes while 1 and 2 run; they go on long enough for
	 * the scheduler to notice it before either ends. */
	seen.r.step[1].hold_for = 2;
	seen.r.step[1].interrupts = 1;
	seen.r.step[1].sleep_ms = 300;
	seen.r.step[2].sleep_ms = 300;
	assert_int_equal(run(f), 0);
	assert_null(f->err);
	assert_int_equal(f->rep.interrupted, 1);
	assert_int_equal(seen.r.applied, 2);
	assert_int_equal(f->rep.done, 2);
	assert_int_equal(f->rep.not_run, 3);
	assert_int_equal(f->rep.in_flight, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(f->rep.results[i].status, BERTH_STEP_STATUS_DONE);
		assert_true(f->rep.results[i].in_flight);
		assert_false(f->rep.results[i].aborted);
	}
	for (size_t i = 2; i < 5; i++) {
		assert_int_equal(f->rep.results[i].status, BERTH_STEP_STATUS_NOT_RUN);
		assert_false(f->rep.results[i].in_flight);
	}
	/* The first interrupt aborts nothing. */
	assert_int_equal(seen.r.aborts[2], 0);
	assert_false(interrupt_off_main);
}

static void
test_apply_fake_steps_second_interrupt_aborts_each_running_migration_once(void **state)
{
	struct fixture *f = *state;

	f->opts.interrupt = &interrupt_level;
	f->opts.migrations = 2;
	add_migration(f->plan, "web1", "h1", "h2");				/* 1 */
	add_migration(f->plan, "web2", "h3", "h4");				/* 2 */
	berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, "h5", "web3", "r");	/* 3 */
	berth_step_add_dep(berth_plan_add_step(f->plan, BERTH_STEP_START, "h5", "web3", "r"), 3);
	add_migration(f->plan, "web5", "h6", "h7");				/* 5: 2 migrations at once */
	/* Both migrations run until aborted, then take a while to end, so the
	 * scheduler has time to abort them twice if it would. */
	seen.r.step[1].hold_for = 3;
	seen.r.step[1].interrupts = 2;
	seen.r.step[1].until_aborted = true;
	seen.r.step[1].sleep_ms = 150;
	seen.r.step[2].until_aborted = true;
	seen.r.step[2].sleep_ms = 150;
	seen.r.step[3].sleep_ms = 300;
	assert_int_equal(run(f), -1);
	assert_int_equal(seen.r.timeouts, 0);
	assert_int_equal(seen.r.aborts[1], 1);
	assert_int_equal(seen.r.aborts[2], 1);
	assert_string_equal(berth_error_message(f->err),
			    "step 1 migrate-live web1 from h1 to h2 failed: migration aborted");
	assert_int_equal(f->rep.interrupted, 2);
	assert_int_equal(f->rep.in_flight, 3);
	assert_int_equal(f->rep.results[0].status, BERTH_STEP_STATUS_FAILED);
	assert_true(f->rep.results[0].aborted);
	assert_string_equal(f->rep.results[0].error, "migration aborted");
	assert_int_equal(f->rep.results[1].status, BERTH_STEP_STATUS_FAILED);
	assert_true(f->rep.results[1].aborted);
	/* A define cannot be aborted: it runs to its end. */
	assert_int_equal(f->rep.results[2].status, BERTH_STEP_STATUS_DONE);
	assert_true(f->rep.results[2].in_flight);
	assert_false(f->rep.results[2].aborted);
	assert_int_equal(f->rep.results[3].status, BERTH_STEP_STATUS_NOT_RUN);
	assert_int_equal(f->rep.results[4].status, BERTH_STEP_STATUS_NOT_RUN);
	assert_int_equal(seen.r.applied, 3);
	assert_false(interrupt_off_main);
}

static void
test_apply_fake_steps_results_carry_note_error_and_migration_figures(void **state)
{
	struct fixture *f = *state;
	BERTH_AUTOFREE char *progress = NULL;
	size_t progress_len = 0;
	const struct berth_step_result *r;

	f->opts.parallel = 8;
	f->opts.progress = open_memstream(&progress, &progress_len);
	add_migration(f->plan, "web1", "h1", "h2");				/* 1 */
	berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, "h3", "web2", "r");	/* 2 */
	berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, "h4", "web3", "r");	/* 3 */
	berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, "h5", "web4", "r");	/* 4 */
	berth_step_add_dep(berth_plan_add_step(f->plan, BERTH_STEP_START, "h5", "web4", "r"), 4);
	seen.r.step[1].note = "migrated in 1.02 s";
	seen.r.step[3].already = true;
	seen.r.step[4].fail = true;
	assert_int_equal(run(f), -1);
	fclose(f->opts.progress);
	assert_string_equal(berth_error_message(f->err), "step 4 define web4 on h5 failed: boom");
	assert_int_equal(f->rep.n_results, 5);
	assert_int_equal(f->rep.done, 2);
	assert_int_equal(f->rep.skipped, 1);
	assert_int_equal(f->rep.failed, 1);
	assert_int_equal(f->rep.not_run, 1);

	r = &f->rep.results[0];
	assert_int_equal(r->status, BERTH_STEP_STATUS_DONE);
	assert_string_equal(r->note, "migrated in 1.02 s");
	assert_null(r->error);
	assert_true(r->has_migration);
	assert_int_equal(r->job_ms, 1020);
	assert_int_equal(r->downtime_ms, 35);
	assert_int_equal(r->data_bytes, 123456789);
	assert_true(r->seconds >= 0);
	r = &f->rep.results[1];
	assert_int_equal(r->status, BERTH_STEP_STATUS_DONE);
	assert_null(r->note);
	assert_false(r->has_migration);
	assert_int_equal(f->rep.results[2].status, BERTH_STEP_STATUS_ALREADY);
	r = &f->rep.results[3];
	assert_int_equal(r->status, BERTH_STEP_STATUS_FAILED);
	assert_string_equal(r->error, "boom");
	r = &f->rep.results[4];
	assert_int_equal(r->status, BERTH_STEP_STATUS_NOT_RUN);
	assert_null(r->note);
	assert_null(r->error);
	assert_true(r->seconds == 0);
	assert_false(r->in_flight);

	/* The progress lines say the same as it happens. */
	assert_non_null(strstr(progress, "  1 migrate-live web1 from h1 to h2: done in "));
	assert_non_null(strstr(progress, " s: migrated in 1.02 s\n"));
	assert_non_null(strstr(progress, "  3 define web3 on h4: already done\n"));
	assert_non_null(strstr(progress, "  4 define web4 on h5: FAILED\n"));
	assert_null(strstr(progress, "  5 "));
}

static void
test_apply_fake_steps_complete_a_chain_of_2000_steps(void **state)
{
	struct fixture *f = *state;
	char host[16];

	for (unsigned id = 1; id <= 2000; id++) {
		struct berth_step *step;

		snprintf(host, sizeof(host), "h%u", id % 7);
		step = berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, host, "d", "r");
		if (id > 1)
			berth_step_add_dep(step, id - 1);
	}
	assert_int_equal(run(f), 0);
	assert_int_equal(f->rep.done, 2000);
	assert_int_equal(seen.r.early_starts, 0);
	for (unsigned i = 0; i < 2000; i++)
		assert_int_equal(seen.r.started[i], i + 1);
}

static void
test_apply_fake_steps_complete_2000_independent_steps_within_the_limits(void **state)
{
	struct fixture *f = *state;
	char host[16], dest[16];

	for (unsigned id = 1; id <= 2000; id++) {
		snprintf(host, sizeof(host), "h%u", id % 50);
		snprintf(dest, sizeof(dest), "h%u", (id + 1) % 50);
		if (id % 10 == 0)
			add_migration(f->plan, "d", host, dest);
		else
			berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, host, "d", "r");
	}
	assert_int_equal(run(f), 0);
	assert_int_equal(f->rep.done, 2000);
	assert_int_equal(seen.r.applied, 2000);
	for (size_t i = 0; i < 2000; i++)
		assert_int_equal(f->rep.results[i].status, BERTH_STEP_STATUS_DONE);
	assert_true(seen.r.max_running <= f->opts.parallel);
	assert_true(seen.r.max_on_h1 <= f->opts.per_host);
	assert_true(seen.r.max_migrating <= f->opts.migrations);
}

static void
test_apply_fake_steps_refuse_a_step_waiting_for_a_later_one(void **state)
{
	struct fixture *f = *state;

	berth_step_add_dep(berth_plan_add_step(f->plan, BERTH_STEP_DEFINE, "h1", "web1", "r"), 2);
	berth_plan_add_step(f->plan, BERTH_STEP_START, "h1", "web1", "r");
	assert_int_equal(run(f), -1);
	assert_string_equal(berth_error_message(f->err),
			    "step 1 waits for step 2, which does not come before it");
	assert_int_equal(f->rep.not_run, 2);
	assert_int_equal(seen.r.applied, 0);
}

/* Each test runs from a fresh fixture. */
#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

/*
 * A host may take an abort too early to mean anything (a migration whose
 * QEMU job has not started): the scheduler asks again until the step ends.
 */
static void
test_apply_fake_steps_second_interrupt_asks_again_until_the_step_ends(void **state)
{
	struct fixture *f = *state;

	f->opts.interrupt = &interrupt_level;
	add_migration(f->plan, "web1", "h1", "h2");
	seen.r.step[1].interrupts = 2;
	seen.r.step[1].until_aborted = true;
	seen.r.step[1].ignore_first_abort = true;
	assert_int_equal(run(f), -1);
	assert_int_equal(seen.r.timeouts, 0);
	assert_int_equal(seen.r.aborts[1], 2);
	assert_int_equal(f->rep.results[0].status, BERTH_STEP_STATUS_FAILED);
	assert_string_equal(f->rep.results[0].error, "migration aborted");
}

int
main(void)
{
	struct sigaction sa = { .sa_handler = on_sigint };
	const struct CMUnitTest tests[] = {
		TEST(test_apply_fake_steps_start_only_after_their_dependencies),
		TEST(test_apply_fake_steps_stop_starting_after_a_failure),
		TEST(test_apply_fake_steps_skip_apply_when_check_finds_the_goal_met),
		TEST(test_apply_fake_steps_honour_host_and_migration_limits),
		TEST(test_apply_fake_steps_never_run_more_than_parallel_at_once),
		TEST(test_apply_fake_steps_start_a_ready_step_elsewhere_while_others_wait_for_their_limits),
		TEST(test_apply_fake_steps_first_interrupt_lets_running_steps_finish_and_starts_nothing),
		TEST(test_apply_fake_steps_second_interrupt_aborts_each_running_migration_once),
		TEST(test_apply_fake_steps_second_interrupt_asks_again_until_the_step_ends),
		TEST(test_apply_fake_steps_results_carry_note_error_and_migration_figures),
		TEST(test_apply_fake_steps_complete_a_chain_of_2000_steps),
		TEST(test_apply_fake_steps_complete_2000_independent_steps_within_the_limits),
		TEST(test_apply_fake_steps_refuse_a_step_waiting_for_a_later_one),
	};

	main_thread = pthread_self();
	sem_init(&interrupt_handled, 0, 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
