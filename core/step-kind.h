/*
 * What a step kind is, read from THE table (core/step-kinds.def) by every
 * part of berth that deals with kinds: the plan's text and JSON, reading a
 * saved plan back, the summary line, the scheduler's limits, the message
 * after a failure, and the executors.  Nothing else switches on a kind.
 *
 * Adding a kind: one row in step-kinds.def, its executor
 * executors/steps/step-OPS.c (in executors/steps/meson.build), and the
 * planner code that emits it.  docs/development.md says the same.
 */
#ifndef BERTH_CORE_STEP_KIND_H
#define BERTH_CORE_STEP_KIND_H

#include <stdbool.h>
#include <stddef.h>

/* How the scheduler limits a kind (beyond --parallel and the per-host limit). */
enum berth_step_class {
	BERTH_STEP_CLASS_HOST,		/* host preparation: images, exports, mounts, bridges */
	BERTH_STEP_CLASS_DOMAIN,	/* define, start, stop */
	BERTH_STEP_CLASS_MIGRATION,	/* counts against the migrations limit */
	BERTH_STEP_CLASS_VERIFY,	/* changes nothing */
	BERTH_STEP_CLASS_LAST,
};

/*
 * The fields a step may carry beyond id, kind, host, after, reason and
 * expect, in the order plans print them (core/step-kind.c has each field's
 * JSON key, type and text).
 */
enum berth_step_field {
	BERTH_STEP_FIELD_DOMAIN,
	BERTH_STEP_FIELD_PATH,
	BERTH_STEP_FIELD_HOST,		/* every kind has it */
	BERTH_STEP_FIELD_DEST,
	BERTH_STEP_FIELD_FORMAT,
	BERTH_STEP_FIELD_SIZE,
	BERTH_STEP_FIELD_URI,
	BERTH_STEP_FIELD_STATE,
	BERTH_STEP_FIELD_XML,
	BERTH_STEP_FIELD_PREVIOUS,
	BERTH_STEP_FIELD_LAST,
};

#define BERTH_STEP_F_DOMAIN (1u << BERTH_STEP_FIELD_DOMAIN)
#define BERTH_STEP_F_PATH (1u << BERTH_STEP_FIELD_PATH)
#define BERTH_STEP_F_HOST (1u << BERTH_STEP_FIELD_HOST)
#define BERTH_STEP_F_DEST (1u << BERTH_STEP_FIELD_DEST)
#define BERTH_STEP_F_FORMAT (1u << BERTH_STEP_FIELD_FORMAT)
#define BERTH_STEP_F_SIZE (1u << BERTH_STEP_FIELD_SIZE)
#define BERTH_STEP_F_URI (1u << BERTH_STEP_FIELD_URI)
#define BERTH_STEP_F_STATE (1u << BERTH_STEP_FIELD_STATE)
#define BERTH_STEP_F_XML (1u << BERTH_STEP_FIELD_XML)
#define BERTH_STEP_F_PREVIOUS (1u << BERTH_STEP_FIELD_PREVIOUS)

enum berth_step_kind {
#define BERTH_STEP_KIND(id, ops, name, symbol, summary, class, fields, host_text, after_failure) \
	BERTH_STEP_##id,
#include "core/step-kinds.def"
#undef BERTH_STEP_KIND
	BERTH_STEP_LAST,
};

/* One row of the table. */
struct berth_step_kind_desc {
	const char *name;		/* "migrate-live" */
	const char *symbol;		/* "~" */
	const char *summary;		/* "migrate", or NULL: not in the text summary */
	enum berth_step_class class;
	unsigned fields;		/* BERTH_STEP_F_* (BERTH_STEP_F_HOST always) */
	const char *host_text;		/* " on %s" or " from %s" */
	const char *after_failure;	/* what a failure of this kind leaves */
};

/* The row of kind (below BERTH_STEP_LAST).  Cannot fail. */
const struct berth_step_kind_desc *berth_step_kind(enum berth_step_kind kind);

/* The kind called name, or -1. */
int berth_step_kind_from_name(const char *name);

/* True if kind carries field. */
bool berth_step_kind_has(enum berth_step_kind kind, enum berth_step_field field);

/*
 * Every kind's name in table order, separated by ", ", for messages:
 * "define, start, ...".  Static storage; cannot fail.
 */
const char *berth_step_kind_names(void);

#endif /* BERTH_CORE_STEP_KIND_H */
