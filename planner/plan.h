/*
 * The planner: (inventory, facts) -> plan.  See docs/plan.md.
 */
#ifndef BERTH_PLANNER_PLAN_H
#define BERTH_PLANNER_PLAN_H

#include "core/error.h"
#include "core/facts.h"
#include "core/inventory.h"
#include "core/plan.h"

/*
 * The steps that take the hosts described by facts to the state inv
 * describes, for every domain in inventory order, each step after the steps
 * it waits for.  Pure: no I/O, and the same input gives the same plan.  A
 * converged fleet gives a plan with no steps.  Hosts and domains the
 * inventory does not name are left alone.
 *
 * Returns a new plan the caller frees with berth_plan_free(), or NULL with
 * the first preflight failure in *err (BERTH_ERROR_HOST, or
 * BERTH_ERROR_INPUT when the facts lack a host the plan needs): a message
 * that names what is wrong and how to fix it.
 */
struct berth_plan *berth_plan_make(const struct berth_inventory *inv,
				   const struct berth_facts *facts, struct berth_error **err);

#endif /* BERTH_PLANNER_PLAN_H */
