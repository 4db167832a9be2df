/*
 * Whether a saved plan still fits the hosts: 'berth apply --plan FILE' runs
 * exactly the steps that were reviewed, or none of them.  See "The saved
 * plan is a contract" in docs/plan.md.
 */
#ifndef BERTH_PLANNER_STALE_H
#define BERTH_PLANNER_STALE_H

#include "core/error.h"
#include "core/facts.h"
#include "core/inventory.h"
#include "core/plan.h"

/*
 * Checks plan, loaded from a file, against inv (the inventory now) and
 * facts (gathered now).  Pure: no I/O.
 *
 * The plan is stale when the inventory's SHA-256 differs from the one the
 * plan records, or when any fact a step relied on differs and this plan's
 * own steps do not explain it:
 *   - where the step's domain is defined ("running on h1"): it must still be
 *     so, or be where one of the plan's steps for that domain leaves it (a
 *     partly applied plan, whose done steps then report "already done");
 *   - the definition it relied on: unchanged, or already what the inventory
 *     says (while the domain has not moved);
 *   - each host it touches: reachable, with the same host UUID;
 *   - the free memory it needs on its target, unless it has run already;
 *   - a migration's URI is the one berth makes from the inventory (a plan
 *     file cannot send a guest, or a command, anywhere else).
 *
 * Returns 0 if the plan can run, or -1 with a BERTH_ERROR_HOST error that
 * names every stale step and what differs, in one line:
 * "plan is stale: step 1 expected web1 running on h1, it is now running on
 * h3; run 'berth plan' again".
 */
int berth_plan_check_stale(const struct berth_inventory *inv, const struct berth_plan *plan,
			   const struct berth_facts *facts, struct berth_error **err);

#endif /* BERTH_PLANNER_STALE_H */
