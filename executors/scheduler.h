/*
 * The scheduler's own types, shared by its two files and nobody else:
 * apply.c (the pool, its ready queue and limits) and apply-interrupt.c
 * (interrupts and aborts).  See apply.c for how it works.
 */
#ifndef BERTH_EXECUTORS_SCHEDULER_H
#define BERTH_EXECUTORS_SCHEDULER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "executors/apply.h"
#include "executors/steps/step.h"

/* How often the calling thread looks at opts->interrupt, in ms. */
#define INTERRUPT_POLL_MS 50

/* A migration counts against three slots, any other step against one. */
#define MAX_SLOTS_PER_STEP 3

/* The slot of the migrations limit; host slots are numbered after it. */
#define MIGRATION_SLOT 1

/*
 * A FIFO of numbers from 1 (step ids, slot numbers), linked through an
 * array: next[i] follows i, 0 ends the FIFO.  A number is on at most one
 * FIFO of its array at a time.  Zeroed memory is an empty FIFO.
 */
struct berth_scheduler_fifo {
	unsigned head;
	unsigned tail;
};

struct berth_scheduler_slot {
	unsigned running;		/* steps counted against it now */
	unsigned limit;
	struct berth_scheduler_fifo waiting;		/* ready steps waiting for room here */
	bool pending;			/* on the scheduler's pending FIFO */
};

struct berth_scheduler_job {
	const struct berth_step *step;
	const struct berth_step_ops *ops;
	unsigned unfinished_deps;
	unsigned slots[MAX_SLOTS_PER_STEP];	/* the migrations slot first */
	unsigned n_slots;
	bool applying;			/* in apply(): an abort() means something */
	struct berth_error *error;	/* why it failed */
};

struct berth_scheduler;

struct berth_scheduler_worker {
	struct berth_scheduler *sched;
	pthread_t thread;
	struct berth_scheduler_job *job;		/* the step it runs now, or NULL */
};

struct berth_scheduler {
	const struct berth_apply_opts *opts;
	struct berth_step_ctx ctx;
	struct berth_step_result *results;	/* results[id - 1] */
	struct berth_scheduler_job *jobs;		/* jobs[id] for ids 1 .. n_jobs */
	unsigned *job_next;		/* the FIFO links of jobs */
	size_t n_jobs;
	/* The steps waiting for step id: dependents[first_dependent[id]]
	 * up to dependents[first_dependent[id + 1]]. */
	unsigned *dependents;
	size_t *first_dependent;
	struct berth_scheduler_slot *slots;		/* slots[MIGRATION_SLOT], then the hosts' */
	unsigned *slot_next;		/* the FIFO links of slots */
	struct berth_scheduler_worker *workers;
	size_t n_workers;

	pthread_mutex_t lock;		/* guards everything below and the jobs */
	pthread_cond_t work;		/* an idle worker may find a step */
	pthread_cond_t end;		/* ended became true */
	struct berth_scheduler_fifo ready;		/* dependencies done, limits not tried yet */
	struct berth_scheduler_fifo pending;		/* slots with room again and steps waiting */
	unsigned running;		/* steps taken by a worker, not finished */
	unsigned idle;			/* workers waiting on work */
	bool stopping;			/* a failure or an interrupt: start nothing */
	bool ended;			/* nothing runs and nothing will start */
	int level;			/* the interrupt level acted on */
	bool aborts_sent;
};

/* The plan id of job. */
static inline unsigned
berth_scheduler_job_id(const struct berth_scheduler *s, const struct berth_scheduler_job *job)
{
	return (unsigned)(job - s->jobs);
}

/*
 * Acts on a raised interrupt level: the steps running now are in flight,
 * and nothing new starts.  Called with the lock held, by the calling thread
 * only.
 */
void berth_scheduler_notice_interrupt(struct berth_scheduler *s);

/* Waits until the workers have ended, acting on interrupts meanwhile. */
void berth_scheduler_wait_for_end(struct berth_scheduler *s);

#endif /* BERTH_EXECUTORS_SCHEDULER_H */
