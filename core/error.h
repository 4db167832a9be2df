/*
 * One error object, recorded where the failure is found and reported once,
 * at the top (the CLI), instead of being printed deep inside a library.
 *
 * Functions that can fail take a "struct berth_error **err" as their last
 * argument, return -1 or NULL, and record why with berth_error_set():
 *
 *	if (stat(path, &st) < 0) {
 *		berth_error_set_errno(err, BERTH_ERROR_INPUT, errno,
 *				      "cannot read inventory '%s'", path);
 *		return -1;
 *	}
 *
 * Callers add where it happened with berth_error_prefix() on the way up:
 * "host 'kvm2': " + "mount of '192.0.2.4:/nfsshare' failed: ...".
 *
 * Rules: err may be NULL (the caller does not want the details); the first
 * error recorded wins, and later berth_error_set() calls on an already set
 * *err are dropped, so the root cause is what the user sees.  Messages are one
 * greppable string with values quoted and the place named (STYLE.md), and
 * always one line: control bytes in what they quote are stored as \xNN.
 */
#ifndef BERTH_CORE_ERROR_H
#define BERTH_CORE_ERROR_H

#include "core/mem.h"

enum berth_error_kind {
	BERTH_ERROR_USAGE,	/* bad command line (exit 2) */
	BERTH_ERROR_INPUT,	/* invalid inventory, facts or plan file (exit 2) */
	BERTH_ERROR_HOST,	/* a host failed or could not be reached (exit 1) */
	BERTH_ERROR_SYSTEM,	/* the local system failed: I/O, fork (exit 1) */
	BERTH_ERROR_INTERNAL,	/* a bug in berth (exit 1) */
	BERTH_ERROR_LAST,
};

struct berth_error;

/*
 * Records an error of the given kind with the printf-formatted message in
 * *err.  Does nothing if err is NULL or *err is already set (first error
 * wins).  Cannot fail.  *err belongs to the caller, who frees it with
 * berth_error_free() or berth_error_clear().
 */
void berth_error_set(struct berth_error **err, enum berth_error_kind kind,
		     const char *fmt, ...) BERTH_PRINTF(3, 4);

/*
 * berth_error_set() with ": strerror(errnum)" appended to the message.
 * Same rules.
 */
void berth_error_set_errno(struct berth_error **err, enum berth_error_kind kind,
			   int errnum, const char *fmt, ...) BERTH_PRINTF(4, 5);

/*
 * Puts the printf-formatted context in front of the message of *err, so
 * "host 'kvm2': " turns "x failed" into "host 'kvm2': x failed".  Does
 * nothing if err or *err is NULL.  Cannot fail.
 */
void berth_error_prefix(struct berth_error **err, const char *fmt, ...) BERTH_PRINTF(2, 3);

/* The message, owned by err and valid until it is freed.  err is not NULL. */
const char *berth_error_message(const struct berth_error *err);

/* The kind err was recorded with.  err is not NULL. */
enum berth_error_kind berth_error_kind(const struct berth_error *err);

/*
 * The exit status the CLI ends with for err: 0 for NULL, 2 for usage and
 * input errors, 1 for the others.
 */
int berth_error_exit_code(const struct berth_error *err);

/* Frees err.  Accepts NULL. */
void berth_error_free(struct berth_error *err);

/* Frees *err and sets it to NULL, so the slot can record a new error. */
void berth_error_clear(struct berth_error **err);

BERTH_DEFINE_AUTOPTR(berth_error, berth_error_free)

#endif /* BERTH_CORE_ERROR_H */
