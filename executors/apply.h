/*
 * The scheduler: runs a plan's steps through their executors, in parallel
 * within limits, each step only after the steps it waits for.  Every step
 * re-checks its precondition on the live hosts first, so applying the same
 * plan twice, or resuming one that stopped half-way, does no harm.
 *
 * A pool of opts->parallel threads runs the steps; a step starts once its
 * dependencies are done and neither of its hosts runs opts->per_host steps
 * already (nor, for a migration, the cluster opts->migrations).  A step
 * that must wait for a limit does not hold up steps elsewhere.  The cost
 * of scheduling grows with the steps and their dependencies, not with
 * their square: bench/apply-fake measures it.
 *
 * On the first failure no new step starts; the steps already running
 * finish.  An interrupt (opts->interrupt) at level 1 does the same; at
 * level 2 the running steps are also asked to abort.  Every live migration
 * either completes or leaves its domain running on the source, so a failed
 * or interrupted apply leaves every guest running somewhere, and a new plan
 * from fresh facts finishes the job.
 */
#ifndef BERTH_EXECUTORS_APPLY_H
#define BERTH_EXECUTORS_APPLY_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "core/inventory.h"
#include "core/plan.h"
#include "executors/transport/sessions.h"

struct berth_apply_opts {
	unsigned parallel;		/* steps at once, cluster-wide (default 4) */
	unsigned per_host;		/* steps at once touching one host (default 2) */
	unsigned migrations;		/* live migrations at once (default 5: the inventory's
					 * max_parallel_migrations, docs/inventory.md) */
	unsigned stop_timeout_s;	/* graceful shutdown before destroy (default 120) */
	FILE *progress;			/* one line per finished step; NULL for none */
	/*
	 * The interrupt level, raised by the caller's signal handler; NULL:
	 * never interrupted.  0: run on.  1: start no new step and let the
	 * running ones finish.  2: also call the abort() of every step still
	 * in apply(), once each, from the calling thread (never from a
	 * signal handler); a step between check() and apply() then stops
	 * there.  Only the calling thread reads the level, within 50 ms of
	 * a change whether or not a step finishes.  The scheduler's threads
	 * block SIGINT and SIGTERM, so that they reach the calling thread
	 * (unless another thread of the program takes them) and never break
	 * into a step's I/O.
	 */
	const volatile sig_atomic_t *interrupt;
};

#define BERTH_APPLY_OPTS_INIT \
	{ .parallel = 4, .per_host = 2, .migrations = 5, .stop_timeout_s = 120, .progress = NULL, \
	  .interrupt = NULL }

/* What became of a step.  Zero is "not run". */
enum berth_step_status {
	BERTH_STEP_STATUS_NOT_RUN,	/* never started (a failure or an interrupt), or
					 * interrupted at level 2 between check and apply */
	BERTH_STEP_STATUS_DONE,		/* check found work, apply did it */
	BERTH_STEP_STATUS_ALREADY,	/* check found the goal already met */
	BERTH_STEP_STATUS_FAILED,	/* check or apply failed */
	BERTH_STEP_STATUS_LAST,
};

/* One step's result, for the summary and apply --json. */
struct berth_step_result {
	enum berth_step_status status;
	bool in_flight;			/* it was running when the first interrupt came */
	bool aborted;			/* its abort() was called (second interrupt) */
	double seconds;			/* check and apply; 0 if it did not start */
	char *note;			/* what apply said beyond "done", or NULL */
	char *error;			/* why it failed (status FAILED), or NULL */
	/* The migration figures of struct berth_step_outcome (steps/step.h). */
	bool has_migration;		/* the figures below were read */
	uint64_t job_ms;		/* the libvirt job's elapsed time */
	uint64_t downtime_ms;
	uint64_t data_bytes;		/* memory (and disk) transferred */
};

/*
 * What an apply did.  Filled by berth_apply_plan() whatever it returns;
 * the caller owns it and frees its contents with
 * berth_apply_report_release().  A report initialized to { 0 } may be
 * released without ever having been filled.
 */
struct berth_apply_report {
	struct berth_step_result *results;	/* one per plan step, in plan order */
	size_t n_results;
	unsigned done;			/* steps that acted */
	unsigned skipped;		/* steps whose goal already held */
	unsigned failed;
	unsigned not_run;		/* never started, or stopped before they acted */
	unsigned in_flight;		/* running when the first interrupt came (and
					 * counted above by how they ended) */
	int interrupted;		/* the level acted on: 0 none, 1 or 2 */
};

/*
 * Frees what rep holds (the results, their notes and errors) and leaves it
 * as { 0 }.  Accepts NULL and a report that was never filled.
 */
void berth_apply_report_release(struct berth_apply_report *rep);

/*
 * Runs plan against the hosts of inv through sessions, with the limits and
 * the interrupt of opts, and fills *rep (which the caller releases with
 * berth_apply_report_release(), whatever this returns).
 *
 * Returns 0 if no step failed: every step was done or already done, or an
 * interrupt stopped the apply early (rep->interrupted > 0 and rep->not_run
 * say so).  Returns -1 with *err set if a step failed: the failure of the
 * first failed step in plan order, with its step named and the kind of its
 * error, "step 1 define web1 on h1 failed: boom"; or, with nothing run, if
 * opts or plan cannot be run (a limit of 0: BERTH_ERROR_USAGE; a step
 * waiting for one that does not come before it: BERTH_ERROR_INTERNAL) or
 * not one thread could start (BERTH_ERROR_SYSTEM).
 */
int berth_apply_plan(const struct berth_inventory *inv, const struct berth_plan *plan,
		     struct berth_sessions *sessions, const struct berth_apply_opts *opts,
		     struct berth_apply_report *rep, struct berth_error **err);

struct berth_step_ops;

/*
 * berth_apply_plan() with the step executors that ops_for returns instead
 * of the real ones (which berth_step_ops_for() returns): tests and
 * benchmarks plug in fakes.  ops_for is called once per step, before any
 * step starts, and must not return NULL.
 */
int berth_apply_plan_with(const struct berth_inventory *inv, const struct berth_plan *plan,
			  struct berth_sessions *sessions, const struct berth_apply_opts *opts,
			  const struct berth_step_ops *(*ops_for)(enum berth_step_kind kind),
			  struct berth_apply_report *rep, struct berth_error **err);

#endif /* BERTH_EXECUTORS_APPLY_H */
