/*
 * The scheduler: runs a plan's steps through their executors, in parallel
 * within limits, each step only after the steps it waits for.  Every step
 * re-checks its precondition on the live hosts first, so applying the same
 * plan twice, or resuming one that stopped half-way, does no harm.
 *
 * On the first failure no new step starts; the steps already running
 * finish.  Every live migration either completes or leaves its domain
 * running on the source, so a failed apply leaves every guest running
 * somewhere, and a new plan from fresh facts finishes the job.
 */
#ifndef BERTH_EXECUTORS_APPLY_H
#define BERTH_EXECUTORS_APPLY_H

#include <stdio.h>

#include "core/error.h"
#include "core/inventory.h"
#include "core/plan.h"
#include "executors/transport/sessions.h"

struct berth_apply_opts {
	unsigned parallel;		/* steps at once, cluster-wide (default 4) */
	unsigned per_host;		/* steps at once touching one host (default 2) */
	unsigned migrations;		/* live migrations at once (default 2) */
	unsigned stop_timeout_s;	/* graceful shutdown before destroy (default 120) */
	FILE *progress;			/* one line per finished step; NULL for none */
};

#define BERTH_APPLY_OPTS_INIT \
	{ .parallel = 4, .per_host = 2, .migrations = 2, .stop_timeout_s = 120, .progress = NULL }

struct berth_apply_report {
	unsigned done;			/* steps that acted */
	unsigned skipped;		/* steps whose goal already held */
	unsigned failed;
	unsigned not_run;		/* never started because of a failure */
};

/*
 * Runs plan against the hosts of inv through sessions.  Returns 0 if every
 * step succeeded or was already done, or -1 with *err set to the first
 * failure (its step named); rep counts what happened either way.
 */
int berth_apply_plan(const struct berth_inventory *inv, const struct berth_plan *plan,
		     struct berth_sessions *sessions, const struct berth_apply_opts *opts,
		     struct berth_apply_report *rep, struct berth_error **err);

struct berth_step_ops;

/*
 * berth_apply_plan() with the step executors that ops_for returns instead
 * of the real ones: tests plug in fakes that record calls.
 */
int berth_apply_plan_with(const struct berth_inventory *inv, const struct berth_plan *plan,
			  struct berth_sessions *sessions, const struct berth_apply_opts *opts,
			  const struct berth_step_ops *(*ops_for)(enum berth_step_kind kind),
			  struct berth_apply_report *rep, struct berth_error **err);

#endif /* BERTH_EXECUTORS_APPLY_H */
