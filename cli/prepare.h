/*
 * What 'berth plan' and 'berth apply' share: load the inventory, observe
 * the hosts (or load saved facts), and plan.
 */
#ifndef BERTH_CLI_PREPARE_H
#define BERTH_CLI_PREPARE_H

#include <stdio.h>

#include "core/error.h"
#include "core/facts.h"
#include "core/inventory.h"
#include "core/output.h"
#include "core/plan.h"

struct berth_prepared {
	struct berth_inventory *inv;
	struct berth_facts *facts;
	struct berth_plan *plan;
};

/* The most problems of an inventory the CLI prints. */
#define BERTH_PROBLEMS_SHOWN 100

/*
 * Reads and validates the inventory at path (berth_inventory_read()).  With
 * one problem, that problem is the error; with more, each of the first
 * BERTH_PROBLEMS_SHOWN is printed to standard error as "berth: PROBLEM" and
 * the error says how many there are.  A valid inventory whose all: sets
 * ansible_* variables berth does not use gets one warning naming them.
 * Returns a new inventory, or NULL with *err set.
 */
struct berth_inventory *berth_load_inventory(const char *path, struct berth_error **err);

/* What --limit keeps of an inventory (parser/pattern.h). */
enum berth_limit_on {
	BERTH_LIMIT_DOMAINS,	/* plan, apply, validate: the domains it selects */
	BERTH_LIMIT_HOSTS,	/* facts: the hosts it selects */
};

/*
 * berth_load_inventory(), then, with a limit pattern (NULL: none), only the
 * domains or hosts it selects.  Returns NULL with a BERTH_ERROR_USAGE error
 * for a pattern that is not valid or selects nothing.
 */
struct berth_inventory *berth_load_inventory_limited(const char *path, const char *limit,
						     enum berth_limit_on on,
						     struct berth_error **err);

/*
 * Gathers facts from inv's hosts, warning on standard error for each host
 * that cannot be reached ("host 'h2' is unreachable: WHY").  Returns new
 * facts the caller frees, or NULL with *err set on a local failure.
 */
struct berth_facts *berth_gather_facts(const struct berth_inventory *inv,
				       struct berth_error **err);

/*
 * Loads the inventory at inventory_path (only the domains limit selects,
 * when it is not NULL); takes facts from facts_path when
 * it is not NULL, else gathers them from the hosts (warning on standard
 * error for each unreachable host); makes the plan.  Returns 0 with every
 * field of p set (free with berth_prepared_release()), or -1 with *err set
 * and p empty.
 */
int berth_prepare(const char *inventory_path, const char *limit, const char *facts_path,
		  struct berth_prepared *p, struct berth_error **err);

/*
 * Gathers facts again and plans again with p's inventory, replacing p's
 * facts and plan.  Returns 0, or -1 with *err set.
 */
int berth_prepare_again(struct berth_prepared *p, struct berth_error **err);

/*
 * Prints p's plan to fp, as text or JSON (docs/plan.md).  Returns 0, or -1
 * with *err set if it cannot be written.
 */
int berth_prepared_print(const struct berth_prepared *p, FILE *fp, enum berth_out_mode mode,
			 struct berth_error **err);

/* Frees what p holds.  p itself may be on the stack. */
void berth_prepared_release(struct berth_prepared *p);

#endif /* BERTH_CLI_PREPARE_H */
