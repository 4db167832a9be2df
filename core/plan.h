/*
 * A plan: the steps that take the observed hosts to the inventory, as a
 * directed acyclic graph.  Made by the planner (planner/plan.c), a pure
 * function of (inventory, facts); run by the executors' scheduler; printed
 * as a human diff or as JSON (docs/plan.md is the schema).
 *
 * Steps are stored in a valid order: every step comes after the steps it
 * waits for, so running them one by one in array order is correct, and a
 * parallel scheduler may start any step whose dependencies are done.
 */
#ifndef BERTH_CORE_PLAN_H
#define BERTH_CORE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mem.h"

enum berth_step_kind {
	BERTH_STEP_IMAGE_CREATE,	/* disk image on a storage server */
	BERTH_STEP_DEFINE,		/* define (or redefine) domain XML on a host */
	BERTH_STEP_START,
	BERTH_STEP_STOP,		/* graceful shutdown, then destroy after a timeout */
	BERTH_STEP_MIGRATE_LIVE,	/* host -> dest, shared storage */
	BERTH_STEP_VERIFY,		/* the domain is where and as the inventory says */
	BERTH_STEP_LAST,
};

struct berth_step {
	unsigned id;			/* 1-based index in the plan */
	enum berth_step_kind kind;
	char *host;			/* where it acts; the source of a migration */
	char *domain;			/* NULL for image steps */
	char *dest;			/* the destination of a migration, else NULL */
	char *reason;			/* why the step exists, for people */
	char *xml;			/* DEFINE: the domain XML */
	char *path;			/* IMAGE_CREATE: absolute path on host */
	char *format;			/* IMAGE_CREATE: "qcow2" or "raw" */
	uint64_t size_bytes;		/* IMAGE_CREATE */
	unsigned *deps;			/* ids of the steps this one waits for */
	size_t n_deps;
};

struct berth_plan {
	struct berth_step *steps;
	size_t n_steps;
};

void berth_plan_free(struct berth_plan *plan);
BERTH_DEFINE_AUTOPTR(berth_plan, berth_plan_free)

/* A new, empty plan.  Cannot fail. */
struct berth_plan *berth_plan_new(void);

/*
 * Appends a step of kind to plan with the printf-formatted reason and
 * returns it (borrowed; valid until the next add), its id set.  The caller
 * fills the other fields with owned strings.  Cannot fail.
 */
struct berth_step *berth_plan_add_step(struct berth_plan *plan, enum berth_step_kind kind,
				       const char *host, const char *domain,
				       const char *reason_fmt, ...) BERTH_PRINTF(5, 6);

/* Makes step wait for the step with id dep.  Cannot fail. */
void berth_step_add_dep(struct berth_step *step, unsigned dep);

/* "image-create", "define", "start", "stop", "migrate-live", "verify". */
const char *berth_step_kind_name(enum berth_step_kind kind);

/* True if the plan changes anything (has a step other than verify). */
bool berth_plan_has_changes(const struct berth_plan *plan);

#endif /* BERTH_CORE_PLAN_H */
