/*
 * What 'berth apply' says when it has run a plan: per step its outcome,
 * the counts, where each guest of the plan runs now (read from the hosts,
 * not assumed), what a failure of the failed step's kind leaves behind, and
 * the verification.  Text and JSON (docs/plan.md, "apply --json") come from
 * the same calls (core/output.h).
 */
#ifndef BERTH_CLI_APPLY_REPORT_H
#define BERTH_CLI_APPLY_REPORT_H

#include "core/error.h"
#include "core/output.h"
#include "core/plan.h"
#include "executors/apply.h"
#include "executors/steps/step.h"

struct berth_apply_summary {
	const char *inventory;		/* the path as given */
	const char *plan_file;		/* --plan FILE, or NULL */
	const struct berth_plan *plan;
	const struct berth_apply_report *rep;	/* NULL: nothing ran */
	unsigned mutations;		/* mutating libvirt calls */
	int interrupt;			/* level reached: 0, 1 or 2 */
	struct berth_step_ctx *ctx;	/* to ask the hosts where guests run; NULL: do not */
	bool verified;			/* planning again found nothing */
	long remaining_steps;		/* steps planning again found; -1: verify not run */
};

/*
 * Prints s to out and finishes out.  Returns 0, or -1 with the
 * BERTH_ERROR_SYSTEM error of berth_out_finish().
 */
int berth_apply_summary_print(struct berth_out *out, const struct berth_apply_summary *s,
			      struct berth_error **err);

#endif /* BERTH_CLI_APPLY_REPORT_H */
