/*
 * What the inventory language can say that the planner does not plan yet:
 * refused up front, with the setting named, rather than silently left out
 * of the plan.
 */
#ifndef BERTH_PLANNER_SUPPORTED_H
#define BERTH_PLANNER_SUPPORTED_H

#include "core/error.h"
#include "core/inventory.h"

/*
 * Returns 0 if the planner can plan everything inv says, or -1 with a
 * BERTH_ERROR_INPUT error naming the first setting it cannot: storage that
 * is not NFS through QEMU's client, host: auto and hosts: (placement),
 * autostart, xml: and edits:, and a migration policy beyond live p2p with
 * libvirt's defaults, for now.  (state: absent is planned when nothing is to be
 * undefined: see preflight's "absent".)
 */
int berth_plan_check_supported(const struct berth_inventory *inv, struct berth_error **err);

#endif /* BERTH_PLANNER_SUPPORTED_H */
