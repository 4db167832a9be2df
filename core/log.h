/*
 * Log messages for the person running berth, by level.
 *
 *	berth_log_warn("host '%s': no storage pool named '%s'", host, pool);
 *
 * prints "berth: warning: host 'kvm2': no storage pool named 'vms'\n" when the
 * level is WARN or more verbose.  The macros test the level first, so the
 * arguments are not even formatted when the message would be dropped.
 *
 * Each message is one line written with one write under flockfile(), so
 * lines from threads gathering facts in parallel never interleave.  The
 * level, output and timestamp settings are meant to be set once at start-up
 * (they are atomic, so changing them while threads log is safe, just racy).
 *
 * Logging is for progress and diagnostics.  Errors that end an operation are
 * recorded in a struct berth_error (error.h) and reported by the caller.
 */
#ifndef BERTH_CORE_LOG_H
#define BERTH_CORE_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/mem.h"

enum berth_log_level {
	BERTH_LOG_ERROR,
	BERTH_LOG_WARN,
	BERTH_LOG_INFO,
	BERTH_LOG_DEBUG,
	BERTH_LOG_TRACE,
	BERTH_LOG_LAST,
};

/* Messages at level and below (less verbose) are printed.  Default: WARN. */
void berth_log_set_level(enum berth_log_level level);

/* The current level. */
enum berth_log_level berth_log_get_level(void);

/* True if a message at level would be printed. */
bool berth_log_enabled(enum berth_log_level level);

/*
 * The level for a count of -v options: 0 WARN, 1 INFO, 2 DEBUG, 3 and more
 * TRACE; a negative count (quiet) gives ERROR.
 */
enum berth_log_level berth_log_level_from_verbosity(int verbosity);

/* The level's word as printed: "error", "warning", "info", "debug", "trace". */
const char *berth_log_level_name(enum berth_log_level level);

/*
 * Where messages go; NULL means stderr (the default).  The stream stays the
 * caller's: berth never closes it.
 */
void berth_log_set_output(FILE *fp);

/*
 * With on, each line carries the local time after "berth: ", as in
 * "berth: 14:03:07.250 debug: ...".  Default: off.
 */
void berth_log_set_timestamps(bool on);

/*
 * Prints one message at level, whatever the current level is (the macros
 * below check it).  A write error is ignored: logging cannot fail.
 */
void berth_log_write(enum berth_log_level level, const char *fmt, ...) BERTH_PRINTF(2, 3);

/* berth_log_write() with a va_list. */
void berth_log_vwrite(enum berth_log_level level, const char *fmt, va_list ap) BERTH_PRINTF(2, 0);

#define berth_log_at(level, ...)					\
	do {								\
		if (berth_log_enabled(level))				\
			berth_log_write((level), __VA_ARGS__);		\
	} while (0)

#define berth_log_error(...) berth_log_at(BERTH_LOG_ERROR, __VA_ARGS__)
#define berth_log_warn(...) berth_log_at(BERTH_LOG_WARN, __VA_ARGS__)
#define berth_log_info(...) berth_log_at(BERTH_LOG_INFO, __VA_ARGS__)
#define berth_log_debug(...) berth_log_at(BERTH_LOG_DEBUG, __VA_ARGS__)
#define berth_log_trace(...) berth_log_at(BERTH_LOG_TRACE, __VA_ARGS__)

#endif /* BERTH_CORE_LOG_H */
