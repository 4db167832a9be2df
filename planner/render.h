/*
 * The plan for people and for machines: one sequence of core/output.h calls
 * prints it as a Terraform-like diff (text mode) or as a JSON document
 * (JSON mode), and berth_plan_load_json() reads that document back so a
 * reviewed plan can be applied later.  docs/plan.md describes both.
 */
#ifndef BERTH_PLANNER_RENDER_H
#define BERTH_PLANNER_RENDER_H

#include "core/error.h"
#include "core/output.h"
#include "core/plan.h"

/* The version of the JSON plan document berth writes and reads. */
#define BERTH_PLAN_FORMAT_VERSION 3

/*
 * Prints plan, made from the inventory at inventory_path (shown as given),
 * to out and finishes out.  With no changes the text is one line, "No
 * changes. The hosts match PATH.".  Returns 0, or -1 with the
 * BERTH_ERROR_SYSTEM error of berth_out_finish() if writing failed.
 */
int berth_plan_print(struct berth_out *out, const struct berth_plan *plan,
		     const char *inventory_path, struct berth_error **err);

/*
 * The symbol that marks a step of kind in the text: "+" define and
 * image-create, ">" start, "<" stop, "~" migrate-live, "?" verify.
 */
const char *berth_step_kind_symbol(enum berth_step_kind kind);

/*
 * Reads a plan that berth_plan_print() wrote in JSON mode.  Returns a new
 * plan the caller frees with berth_plan_free(), or NULL with a
 * BERTH_ERROR_INPUT error naming the file: "PATH:LINE:COLUMN: ..." for
 * invalid JSON, "PATH: steps[2].kind: ..." for a value that is missing, of
 * the wrong type or out of range (an unknown kind, an "after" that does not
 * name an earlier step, an unsupported format_version).
 */
struct berth_plan *berth_plan_load_json(const char *path, struct berth_error **err);

#endif /* BERTH_PLANNER_RENDER_H */
