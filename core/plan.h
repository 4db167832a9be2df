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
#include "core/step-kind.h"

/* The identity of a host a step touches, as the plan saw it. */
struct berth_step_host_id {
	char *host;
	char *uuid;		/* libvirt's host UUID; NULL if not observed */
};

/*
 * The observed facts a step was planned from, so that a saved plan applied
 * later can be refused as stale (planner/stale.c) when they no longer hold.
 */
struct berth_step_expect {
	/* Where the step's domain was defined when planned, across the
	 * inventory's hosts: "running on h1", "shutoff on h1", "absent".
	 * NULL for steps without a domain. */
	char *placement;
	/* Where the step leaves its domain ("running on h2"); NULL: where it was. */
	char *leaves;
	/* SHA-256 (hex) of the host's definition of the domain the step
	 * relied on (on host); NULL when it relied on none. */
	char *definition;
	/* Free memory the step needs on berth_step_target() when it has not
	 * run yet; 0 for none. */
	uint64_t memory_kib;
	struct berth_step_host_id *hosts;	/* host, then dest */
	size_t n_hosts;
};

struct berth_step {
	unsigned id;			/* 1-based index in the plan */
	enum berth_step_kind kind;
	/* The fields of core/step-kind.h; a kind carries the ones its row
	 * names, the others are NULL or 0. */
	char *domain;
	char *path;			/* absolute path on host */
	char *host;			/* where it acts; the source of a migration */
	char *dest;			/* the destination of a migration */
	char *format;			/* image format: "qcow2" or "raw" */
	uint64_t size_bytes;		/* image size */
	char *uri;			/* the libvirt URI the source reaches dest at */
	char *state;			/* verify: "running" or "shutoff" */
	char *xml;			/* the domain XML to define */
	char *previous;			/* lease: its holder when planned, "" none */
	char *reason;			/* why the step exists, for people */
	unsigned *deps;			/* ids of the steps this one waits for */
	size_t n_deps;
	struct berth_step_expect expect;
};

/* How a field of core/step-kind.h is stored in struct berth_step and printed. */
enum berth_step_field_type {
	BERTH_STEP_FIELD_STRING,	/* a char * member */
	BERTH_STEP_FIELD_UINT,		/* a uint64_t member */
};

struct berth_step_field_desc {
	const char *key;		/* its JSON key */
	enum berth_step_field_type type;
	size_t offset;			/* in struct berth_step */
	const char *text;		/* its text in the plan line; NULL: JSON only */
};

/* The descriptor of field (below BERTH_STEP_FIELD_LAST).  Cannot fail. */
const struct berth_step_field_desc *berth_step_field(enum berth_step_field field);

/* The string field of step (NULL if unset), or for a UINT field NULL. */
const char *berth_step_string(const struct berth_step *step, enum berth_step_field field);

/* The slot of a string field in step.  For loaders. */
char **berth_step_string_slot(struct berth_step *step, enum berth_step_field field);

/* The slot of a UINT field in step.  For loaders. */
uint64_t *berth_step_uint_slot(struct berth_step *step, enum berth_step_field field);

/*
 * Appends how messages name step to sb: "3 migrate-live web2 from h1 to h2",
 * "1 image-create /srv/share/web1.qcow2 on h3".  Cannot fail.
 */
struct berth_buf;
void berth_step_describe(struct berth_buf *sb, const struct berth_step *step);

/* Where the step ends: the destination of a migration, else its host. */
const char *berth_step_target(const struct berth_step *step);

/*
 * A placement as expectations spell it: "running on h1" for state "running"
 * and host "h1".  Returns a new string the caller frees.  Cannot fail.
 */
char *berth_placement_where(const char *state, const char *host);

/* Adds the identity of host to step's expectations.  uuid may be NULL. */
void berth_step_expect_host(struct berth_step *step, const char *host, const char *uuid);

struct berth_plan {
	/* SHA-256 (hex) of the inventory the plan was made from; "" if unknown. */
	char inventory_sha256[65];
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

/* The kind's name: berth_step_kind(kind)->name. */
const char *berth_step_kind_name(enum berth_step_kind kind);

/* True if the plan changes anything (has a step other than verify). */
bool berth_plan_has_changes(const struct berth_plan *plan);

#endif /* BERTH_CORE_PLAN_H */
