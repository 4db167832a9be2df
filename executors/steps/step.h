/*
 * Step executors: one table of functions per step kind (step-*.c), found
 * by kind.  The scheduler (apply.c) calls check() first: every step
 * re-checks its own precondition against the live host, so a repeated or
 * resumed apply does no harm; only if the goal is not met yet does it call
 * apply().
 */
#ifndef BERTH_EXECUTORS_STEP_H
#define BERTH_EXECUTORS_STEP_H

#include <stdbool.h>

#include "core/error.h"
#include "core/inventory.h"
#include "core/plan.h"
#include "executors/transport/sessions.h"

struct berth_step_ctx {
	const struct berth_inventory *inv;
	struct berth_sessions *sessions;
	unsigned stop_timeout_s;	/* graceful shutdown before destroy */
};

/* What a step did, beyond succeeding: for the progress line and apply --json. */
struct berth_step_outcome {
	struct berth_buf note;		/* for people: "migrated in 1.02 s" */
	bool has_migration;		/* the figures below were read */
	uint64_t job_ms;		/* the libvirt job's elapsed time */
	uint64_t downtime_ms;
	uint64_t data_bytes;		/* memory (and disk) transferred */
};

struct berth_step_ops {
	/*
	 * 1 if the step's goal already holds on the live hosts (nothing to
	 * do), 0 if apply() must act, -1 with *err set if it cannot tell or
	 * the hosts are in a state the plan did not expect.
	 */
	int (*check)(struct berth_step_ctx *ctx, const struct berth_step *step,
		     struct berth_error **err);
	/*
	 * Does the step.  Returns 0, filling out (for people and --json) when
	 * there is more to say than "done", or -1 with *err set.
	 */
	int (*apply)(struct berth_step_ctx *ctx, const struct berth_step *step,
		     struct berth_step_outcome *out, struct berth_error **err);
	/*
	 * Optional (NULL: the step runs to its end).  Called from another
	 * thread while apply() runs, on a second interrupt: asks the host to
	 * abort the step, so that apply() returns soon with an error.  The
	 * scheduler asks again every 0.5 s until apply() returns (a host may
	 * take a request too early to mean anything), so one call is one
	 * attempt, and "nothing to abort yet" is not an error.  Returns 0, or
	 * -1 with *err set when the host refused for good.
	 */
	int (*abort)(struct berth_step_ctx *ctx, const struct berth_step *step,
		     struct berth_error **err);
};

/* The executor of each kind, from core/step-kinds.def. */
#define BERTH_STEP_KIND(id, ops, name, symbol, summary, class, fields, host_text, after_failure) \
	extern const struct berth_step_ops berth_step_##ops##_ops;
#include "core/step-kinds.def"
#undef BERTH_STEP_KIND

/* The executor of kind.  Never NULL for a kind below BERTH_STEP_LAST. */
const struct berth_step_ops *berth_step_ops_for(enum berth_step_kind kind);

/*
 * Runs cmd, a command of the step's kind that prints a framed answer with
 * nonce (core/remote.h), on the step's host over SSH, and reads the answer
 * into word.  Returns 0, or -1 with a HOST error: the command failed, or
 * its output holds no answer of this run (naming the step's path).
 */
int berth_step_run_framed(struct berth_step_ctx *ctx, const struct berth_step *step,
			  const char *cmd, const char *nonce, char word[32],
			  struct berth_error **err);

/* The domain's state as facts name it, or -1 with an error. */
int berth_step_domain_state(virDomainPtr dom, const char *host,
			    struct berth_error **err);

/*
 * Whether host has the domain called name, and its state: 1 with *state set,
 * 0 with *state -1 if host has no such domain, -1 with an error if host
 * cannot be asked.
 */
int berth_step_lookup_state(struct berth_step_ctx *ctx, const char *host, const char *name,
			    int *state, struct berth_error **err);

/*
 * Where the domain called name is defined across the inventory's hosts, read
 * from the hosts now, appended to out in the words of a step's expectations:
 * "running on h1", "shutoff on h2", "absent", "running on h1, shutoff on h2";
 * a host that cannot be asked adds "unknown on h3".  Cannot fail.
 */
void berth_step_where(struct berth_step_ctx *ctx, const char *name, struct berth_buf *out);

#endif /* BERTH_EXECUTORS_STEP_H */
