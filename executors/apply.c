/*
 * The scheduler (see apply.h).
 *
 * A pool of worker threads, created once, each looping: take the next step
 * that may start, run its check() and apply() without the lock, record how
 * it ended, give back what it held, take the next.  Taking and giving back
 * happen under one lock and cost a constant per step (but see below for
 * migrations):
 *
 *  - Each step counts its unfinished dependencies.  When a step finishes,
 *    its dependents (an adjacency built once, O(steps + edges)) count
 *    down, and those at 0 join the ready queue, in the order they became
 *    ready.
 *  - Each limit is a slot with a counter: one per host (its name mapped to
 *    a small number once, through a name index), one for the cluster's
 *    migrations.  A step counts against its host's slot, and a migration
 *    against the migrations slot, its source's and its destination's.
 *  - A step whose slot is full waits in that slot's own queue, not in the
 *    ready queue, so it costs nothing until the slot has room again and
 *    never holds up steps elsewhere.  A slot that gets room back while
 *    steps wait for it is marked pending; its waiting steps are tried
 *    before new ready ones.  A step with one slot is thus tried at most
 *    twice.  A migration, with three, moves to another slot's queue each
 *    time it is tried while one of them is full: once or twice in a drain,
 *    more only where migrations and other steps keep refilling the same
 *    few slots in turn.
 *
 * The calling thread waits for the end.  While an interrupt can come it
 * wakes every 50 ms to look at the level, and at level 2 calls the running
 * steps' abort() itself.  The workers run with SIGINT and SIGTERM blocked,
 * so those signals reach the calling thread and never interrupt a step's
 * I/O.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/name-index.h"
#include "core/util.h"
#include "executors/apply.h"
#include "executors/scheduler.h"
#include "executors/steps/step.h"

static void
fifo_push(struct berth_scheduler_fifo *q, unsigned *next, unsigned i)
{
	next[i] = 0;
	if (q->tail == 0)
		q->head = i;
	else
		next[q->tail] = i;
	q->tail = i;
}

/* The first number, taken off the FIFO, or 0 if it is empty. */
static unsigned
fifo_pop(struct berth_scheduler_fifo *q, const unsigned *next)
{
	unsigned i = q->head;

	if (i != 0) {
		q->head = next[i];
		if (q->head == 0)
			q->tail = 0;
	}
	return i;
}

/* The slot number of host, numbered on first sight; 0 for no host. */
static unsigned
host_slot(struct berth_scheduler *s, struct berth_name_index *hosts, unsigned *n_slots,
	  const char *host)
{
	const struct berth_scheduler_slot *known;

	if (host == NULL)
		return 0;
	known = berth_name_index_add(hosts, host, &s->slots[*n_slots]);
	if (known != NULL)
		return (unsigned)(known - s->slots);
	s->slots[*n_slots].limit = s->opts->per_host;
	return (*n_slots)++;
}

/*
 * Fills s->jobs, their slots and the dependents adjacency from plan.
 * Returns 0, or -1 with *err set if a step waits for one that does not
 * come before it.
 */
static int
build(struct berth_scheduler *s, const struct berth_plan *plan,
      const struct berth_step_ops *(*ops_for)(enum berth_step_kind kind),
      struct berth_error **err)
{
	size_t n = plan->n_steps, n_edges = 0;
	struct berth_name_index hosts;
	unsigned n_slots = MIGRATION_SLOT + 1;

	s->jobs = xcalloc(n + 1, sizeof(*s->jobs));
	s->job_next = xcalloc(n + 1, sizeof(*s->job_next));
	s->first_dependent = xcalloc(n + 2, sizeof(*s->first_dependent));
	s->slots = xcalloc(2 * n + 2, sizeof(*s->slots));
	s->slots[MIGRATION_SLOT].limit = s->opts->migrations;
	berth_name_index_init(&hosts, n);
	for (size_t i = 0; i < n; i++) {
		const struct berth_step *step = &plan->steps[i];
		struct berth_scheduler_job *job = &s->jobs[i + 1];
		unsigned host, dest;

		job->step = step;
		job->ops = ops_for(step->kind);
		if (berth_step_kind(step->kind)->class == BERTH_STEP_CLASS_MIGRATION)
			job->slots[job->n_slots++] = MIGRATION_SLOT;
		host = host_slot(s, &hosts, &n_slots, step->host);
		dest = host_slot(s, &hosts, &n_slots, step->dest);
		if (host != 0)
			job->slots[job->n_slots++] = host;
		if (dest != 0 && dest != host)
			job->slots[job->n_slots++] = dest;
		job->unfinished_deps = (unsigned)step->n_deps;
		for (size_t d = 0; d < step->n_deps; d++) {
			if (step->deps[d] < 1 || step->deps[d] > i) {
				berth_error_set(err, BERTH_ERROR_INTERNAL,
						"step %u waits for step %u, which does not come before it",
						step->id, step->deps[d]);
				berth_name_index_release(&hosts);
				return -1;
			}
			s->first_dependent[step->deps[d]]++;
			n_edges++;
		}
	}
	berth_name_index_release(&hosts);
	s->slot_next = xcalloc(n_slots, sizeof(*s->slot_next));

	/* Counts to ends, then each edge placed backwards: ends become starts. */
	for (size_t id = 1; id <= n + 1; id++)
		s->first_dependent[id] += s->first_dependent[id - 1];
	s->dependents = xcalloc(n_edges + 1, sizeof(*s->dependents));
	for (size_t i = n; i-- > 0;) {
		const struct berth_step *step = &plan->steps[i];

		for (size_t d = step->n_deps; d-- > 0;)
			s->dependents[--s->first_dependent[step->deps[d]]] = (unsigned)i + 1;
	}
	for (unsigned id = 1; id <= n; id++) {
		if (s->jobs[id].unfinished_deps == 0)
			fifo_push(&s->ready, s->job_next, id);
	}
	return 0;
}

/*
 * Counts job against its slots and returns true if every one has room;
 * otherwise queues job on the first full one and returns false.
 */
static bool
take_slots(struct berth_scheduler *s, unsigned id)
{
	struct berth_scheduler_job *job = &s->jobs[id];

	for (unsigned i = 0; i < job->n_slots; i++) {
		struct berth_scheduler_slot *slot = &s->slots[job->slots[i]];

		if (slot->running >= slot->limit) {
			fifo_push(&slot->waiting, s->job_next, id);
			return false;
		}
	}
	for (unsigned i = 0; i < job->n_slots; i++)
		s->slots[job->slots[i]].running++;
	s->running++;
	return true;
}

/* Gives back job's slots; a slot that steps wait for becomes pending. */
static void
give_slots(struct berth_scheduler *s, const struct berth_scheduler_job *job)
{
	for (unsigned i = 0; i < job->n_slots; i++) {
		struct berth_scheduler_slot *slot = &s->slots[job->slots[i]];

		slot->running--;
		if (slot->waiting.head != 0 && !slot->pending) {
			slot->pending = true;
			fifo_push(&s->pending, s->slot_next, job->slots[i]);
		}
	}
	s->running--;
}

/* The next step to run, its slots taken, or NULL.  Called with the lock held. */
static struct berth_scheduler_job *
next_job(struct berth_scheduler *s)
{
	unsigned id;

	if (s->stopping)
		return NULL;
	/* First the steps that waited for a slot that has room now. */
	while (s->pending.head != 0) {
		struct berth_scheduler_slot *slot = &s->slots[s->pending.head];

		if (slot->running >= slot->limit || slot->waiting.head == 0) {
			slot->pending = false;
			fifo_pop(&s->pending, s->slot_next);
			continue;
		}
		id = fifo_pop(&slot->waiting, s->job_next);
		if (take_slots(s, id))
			return &s->jobs[id];
	}
	while ((id = fifo_pop(&s->ready, s->job_next)) != 0) {
		if (take_slots(s, id))
			return &s->jobs[id];
	}
	return NULL;
}

/* Records that job ended with status.  Called with the lock held. */
static void
finish(struct berth_scheduler *s, struct berth_scheduler_job *job, enum berth_step_status status)
{
	unsigned id = berth_scheduler_job_id(s, job);

	give_slots(s, job);
	s->results[id - 1].status = status;
	if (status == BERTH_STEP_STATUS_FAILED) {
		s->stopping = true;
		return;
	}
	if (status == BERTH_STEP_STATUS_NOT_RUN)
		return;
	for (size_t e = s->first_dependent[id]; e < s->first_dependent[id + 1]; e++) {
		unsigned d = s->dependents[e];

		if (--s->jobs[d].unfinished_deps == 0)
			fifo_push(&s->ready, s->job_next, d);
	}
}

/* check(), then apply() if the goal is not met yet.  Without the lock. */
static enum berth_step_status
run_step(struct berth_scheduler *s, struct berth_scheduler_job *job, struct berth_step_outcome *out)
{
	int rc = job->ops->check(&s->ctx, job->step, &job->error);

	if (rc > 0)
		return BERTH_STEP_STATUS_ALREADY;
	if (rc < 0)
		return BERTH_STEP_STATUS_FAILED;
	if (s->opts->interrupt != NULL) {
		/* Past a second interrupt, nothing that has not acted yet acts. */
		pthread_mutex_lock(&s->lock);
		job->applying = s->level < 2;
		pthread_mutex_unlock(&s->lock);
		if (!job->applying)
			return BERTH_STEP_STATUS_NOT_RUN;
	}
	if (job->ops->apply(&s->ctx, job->step, out, &job->error) < 0)
		return BERTH_STEP_STATUS_FAILED;
	return BERTH_STEP_STATUS_DONE;
}

static void
report_progress(const struct berth_scheduler *s, const struct berth_scheduler_job *job, enum berth_step_status status,
		const struct berth_step_result *r)
{
	BERTH_AUTOBUF struct berth_buf line = BERTH_BUF_INIT;

	if (s->opts->progress == NULL)
		return;
	berth_step_describe(&line, job->step);
	switch (status) {
	case BERTH_STEP_STATUS_DONE:
		berth_buf_addf(&line, ": done in %.2f s", r->seconds);
		break;
	case BERTH_STEP_STATUS_ALREADY:
		berth_buf_add(&line, ": already done");
		break;
	case BERTH_STEP_STATUS_NOT_RUN:
		berth_buf_add(&line, ": not run: interrupted before it acted");
		break;
	default:
		berth_buf_add(&line, ": FAILED");
		break;
	}
	if (r->note != NULL)
		berth_buf_addf(&line, ": %s", r->note);
	flockfile(s->opts->progress);
	fprintf(s->opts->progress, "  %s\n", line.buf);
	fflush(s->opts->progress);
	funlockfile(s->opts->progress);
}

/* Runs job and keeps its result; returns with the lock held. */
static void
run_job(struct berth_scheduler *s, struct berth_scheduler_job *job)
{
	struct berth_step_result *r = &s->results[berth_scheduler_job_id(s, job) - 1];
	struct berth_step_outcome out = { .note = BERTH_BUF_INIT };
	double start = berth_now_s();
	enum berth_step_status status = run_step(s, job, &out);

	r->seconds = berth_now_s() - start;
	if (out.note.len > 0)
		r->note = berth_buf_detach(&out.note);
	berth_buf_release(&out.note);
	r->has_migration = out.has_migration;
	r->job_ms = out.job_ms;
	r->downtime_ms = out.downtime_ms;
	r->data_bytes = out.data_bytes;
	if (status != BERTH_STEP_STATUS_FAILED)
		berth_error_clear(&job->error);
	else if (job->error == NULL)
		berth_error_set(&job->error, BERTH_ERROR_INTERNAL, "no reason recorded");
	if (job->error != NULL)
		r->error = xstrdup(berth_error_message(job->error));
	report_progress(s, job, status, r);

	pthread_mutex_lock(&s->lock);
	job->applying = false;		/* its abort thread stops asking */
	finish(s, job, status);
}

static void *
work(void *arg)
{
	struct berth_scheduler_worker *w = arg;
	struct berth_scheduler *s = w->sched;

	pthread_mutex_lock(&s->lock);
	while (!s->ended) {
		struct berth_scheduler_job *job = next_job(s);

		if (job == NULL && s->running == 0) {
			s->ended = true;
			pthread_cond_broadcast(&s->work);
			pthread_cond_signal(&s->end);
		} else if (job == NULL) {
			s->idle++;
			pthread_cond_wait(&s->work, &s->lock);
			s->idle--;
		} else {
			if (s->idle > 0 && (s->ready.head != 0 || s->pending.head != 0))
				pthread_cond_signal(&s->work);
			w->job = job;
			pthread_mutex_unlock(&s->lock);
			run_job(s, job);
			w->job = NULL;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/*
 * Starts the pool (at most one worker per step) and waits for its end.
 * The workers inherit a mask that blocks SIGINT and SIGTERM.  Returns 0,
 * or -1 with *err set if not even one worker could start.
 */
static int
run_pool(struct berth_scheduler *s, struct berth_error **err)
{
	sigset_t blocked, old;
	size_t started = 0;
	int rc = 0;

	berth_scheduler_notice_interrupt(s);		/* one that came before: nothing starts */
	s->n_workers = s->opts->parallel < s->n_jobs ? s->opts->parallel : s->n_jobs;
	s->workers = xcalloc(s->n_workers, sizeof(*s->workers));
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGINT);
	sigaddset(&blocked, SIGTERM);
	for (size_t i = 0; i < s->n_workers; i++)
		s->workers[i].sched = s;
	pthread_sigmask(SIG_BLOCK, &blocked, &old);
	for (size_t i = 0; i < s->n_workers && rc == 0; i++) {
		rc = pthread_create(&s->workers[started].thread, NULL, work, &s->workers[started]);
		started += rc == 0;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (started == 0) {
		berth_error_set_errno(err, BERTH_ERROR_SYSTEM, rc, "cannot start a thread to apply the plan");
		return -1;
	}
	/* Fewer threads than asked for run the same steps, only slower. */
	berth_scheduler_wait_for_end(s);
	for (size_t i = 0; i < started; i++)
		pthread_join(s->workers[i].thread, NULL);
	return 0;
}

/* The counts of rep, and the first failure in plan order as *err. */
static int
sum_up(const struct berth_scheduler *s, struct berth_apply_report *rep, struct berth_error **err)
{
	const struct berth_scheduler_job *first_failure = NULL;

	rep->interrupted = s->level;
	for (size_t i = 0; i < rep->n_results; i++) {
		const struct berth_step_result *r = &rep->results[i];

		rep->done += r->status == BERTH_STEP_STATUS_DONE;
		rep->skipped += r->status == BERTH_STEP_STATUS_ALREADY;
		rep->failed += r->status == BERTH_STEP_STATUS_FAILED;
		rep->not_run += r->status == BERTH_STEP_STATUS_NOT_RUN;
		rep->in_flight += r->in_flight;
		if (r->status == BERTH_STEP_STATUS_FAILED && first_failure == NULL)
			first_failure = &s->jobs[i + 1];
	}
	if (first_failure != NULL) {
		BERTH_AUTOBUF struct berth_buf what = BERTH_BUF_INIT;

		berth_step_describe(&what, first_failure->step);
		berth_error_set(err, berth_error_kind(first_failure->error), "step %s failed: %s",
				what.buf, berth_error_message(first_failure->error));
		return -1;
	}
	return 0;
}

static void
scheduler_release(struct berth_scheduler *s)
{
	for (size_t id = 1; s->jobs != NULL && id <= s->n_jobs; id++)
		berth_error_free(s->jobs[id].error);
	free(s->jobs);
	free(s->job_next);
	free(s->dependents);
	free(s->first_dependent);
	free(s->slots);
	free(s->slot_next);
	free(s->workers);
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
	struct berth_scheduler s = {
		.opts = opts,
		.ctx = { .inv = inv, .sessions = sessions, .stop_timeout_s = opts->stop_timeout_s },
		.n_jobs = plan->n_steps,
	};
	pthread_condattr_t monotonic;
	int rc;

	memset(rep, 0, sizeof(*rep));
	rep->results = xcalloc(plan->n_steps + 1, sizeof(*rep->results));
	rep->n_results = plan->n_steps;
	s.results = rep->results;
	if (opts->parallel < 1 || opts->per_host < 1 || opts->migrations < 1) {
		berth_error_set(err, BERTH_ERROR_USAGE,
				"apply limits must be at least 1: %u steps at once, %u per host, %u migrations",
				opts->parallel, opts->per_host, opts->migrations);
		rep->not_run = (unsigned)plan->n_steps;
		return -1;
	}
	if (build(&s, plan, ops_for, err) < 0) {
		scheduler_release(&s);
		rep->not_run = (unsigned)plan->n_steps;
		return -1;
	}
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.work, NULL);
	pthread_condattr_init(&monotonic);
	pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
	pthread_cond_init(&s.end, &monotonic);
	pthread_condattr_destroy(&monotonic);

	rc = s.n_jobs > 0 ? run_pool(&s, err) : 0;
	if (rc == 0)
		rc = sum_up(&s, rep, err);
	else
		rep->not_run = (unsigned)plan->n_steps;

	pthread_cond_destroy(&s.end);
	pthread_cond_destroy(&s.work);
	pthread_mutex_destroy(&s.lock);
	scheduler_release(&s);
	return rc;
}

void
berth_apply_report_release(struct berth_apply_report *rep)
{
	if (rep == NULL)
		return;
	for (size_t i = 0; i < rep->n_results; i++) {
		free(rep->results[i].note);
		free(rep->results[i].error);
	}
	free(rep->results);
	memset(rep, 0, sizeof(*rep));
}
