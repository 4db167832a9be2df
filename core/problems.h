/*
 * Problems found in an input file, each at a place: what a validation
 * collects so that one run reports every problem, not only the first
 * (berth validate, and any command that reads an inventory).
 *
 *	struct berth_problems ps = BERTH_PROBLEMS_INIT;
 *
 *	berth_problems_add(&ps, "inv.yaml", loc, "domain 'web1': 'memory' is required");
 *	...
 *	berth_problems_sort(&ps);
 *	for (size_t i = 0; i < ps.n; i++)
 *		puts(ps.items[i].text);	// "inv.yaml:7:3: domain 'web1': ..."
 *	berth_problems_release(&ps);
 *
 * At most BERTH_PROBLEMS_KEPT are kept; the rest are only counted, so a
 * hostile file cannot make the list grow without bound.
 */
#ifndef BERTH_CORE_PROBLEMS_H
#define BERTH_CORE_PROBLEMS_H

#include <stddef.h>

#include "core/error.h"
#include "core/inventory.h"
#include "core/name-index.h"

#define BERTH_PROBLEMS_KEPT 10000

struct berth_problem {
	char *file;		/* the file, as messages name it */
	struct berth_location loc;
	char *message;		/* what is wrong, one line, without the place */
	char *text;		/* "FILE:LINE:COLUMN: MESSAGE" */
	size_t order;		/* when it was found, to keep sorting stable */
};

struct berth_problems {
	struct berth_problem *items;
	size_t n;
	size_t alloc;
	size_t not_kept;	/* found past BERTH_PROBLEMS_KEPT */
	struct berth_name_index seen;	/* text -> problem, once alloc > 0 */
};

#define BERTH_PROBLEMS_INIT { .items = NULL }

/*
 * Adds the problem message at loc in file (loc.file, when it is set);
 * control bytes in message are
 * written as \xNN so it stays one line.  A problem already there (the same
 * text at the same place: a group's variable read for each of its hosts) is
 * not added again.  Cannot fail.
 */
void berth_problems_add(struct berth_problems *ps, const char *file,
			struct berth_location loc, const char *message);

/* How many problems were found, kept or not. */
size_t berth_problems_total(const struct berth_problems *ps);

/* Sorts the kept problems by file, line and column; ties keep their order. */
void berth_problems_sort(struct berth_problems *ps);

/*
 * Records in *err the BERTH_ERROR_INPUT error of the first kept problem, with
 * " (and N more problems)" after it when there are more.  ps holds at least
 * one problem.
 */
void berth_problems_to_error(const struct berth_problems *ps, struct berth_error **err);

/* Frees every problem and empties ps.  Accepts an empty ps. */
void berth_problems_release(struct berth_problems *ps);

#endif /* BERTH_CORE_PROBLEMS_H */
