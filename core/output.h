/*
 * One output path for people and machines (iproute2's json_print.h).
 *
 * A command prints each field once, with a key for JSON and a printf format
 * for text; the mode chosen at berth_out_new() decides which is used:
 *
 *	out = berth_out_new(stdout, json ? BERTH_OUT_JSON : BERTH_OUT_TEXT);
 *	berth_out_string(out, "name", "domain %s", name);
 *	berth_out_uint(out, "memory_mib", " (%llu MiB)\n", mib);
 *	berth_out_open_array(out, "disks");
 *	berth_out_string(out, NULL, "  disk %s\n", path);
 *	berth_out_close_array(out);
 *	berth_out_free(out);
 *
 * In text mode each value is printed at once through its text format; a NULL
 * format means "JSON only".  berth_out_text() adds decoration that JSON leaves
 * out.  Opening and closing objects and arrays prints nothing in text mode.
 *
 * In JSON mode the calls build a jansson tree under one root object, written
 * by berth_out_finish() (or berth_out_free()) as one document: indent 2, keys
 * in the order they were added, a trailing newline.  Inside an object every
 * value needs a key (a repeated key replaces the earlier value); inside an
 * array keys are ignored and may be NULL.  Strings that are not valid UTF-8
 * are written with '?' in place of each byte outside ASCII.
 *
 * Misuse (closing what is not open, finishing with something open, a missing
 * key inside an object) is a bug and trips an assert.
 */
#ifndef BERTH_CORE_OUTPUT_H
#define BERTH_CORE_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"
#include "core/mem.h"

enum berth_out_mode {
	BERTH_OUT_TEXT,
	BERTH_OUT_JSON,
	BERTH_OUT_LAST,
};

struct berth_out;

/*
 * A new output to fp in mode.  fp stays the caller's (never closed).  Never
 * NULL; free it with berth_out_free().
 */
struct berth_out *berth_out_new(FILE *fp, enum berth_out_mode mode);

/* The mode out was created with. */
enum berth_out_mode berth_out_get_mode(const struct berth_out *out);

/* Opens an object under key (ignored inside an array). */
void berth_out_open_object(struct berth_out *out, const char *key);

/* Closes the innermost open object. */
void berth_out_close_object(struct berth_out *out);

/* Opens an array under key (ignored inside an array). */
void berth_out_open_array(struct berth_out *out, const char *key);

/* Closes the innermost open array. */
void berth_out_close_array(struct berth_out *out);

/* A string; value is not NULL.  text_fmt gets value as its one argument. */
void berth_out_string(struct berth_out *out, const char *key,
		      const char *text_fmt, const char *value);

/* A signed integer; text_fmt gets value as its one argument ("%lld"). */
void berth_out_int(struct berth_out *out, const char *key,
		   const char *text_fmt, long long value);

/*
 * An unsigned integer; text_fmt gets value ("%llu").  JSON integers are
 * signed 64-bit in jansson, so a value above LLONG_MAX is written as a real.
 */
void berth_out_uint(struct berth_out *out, const char *key,
		    const char *text_fmt, unsigned long long value);

/* A boolean; text_fmt gets "true" or "false" as its one argument ("%s"). */
void berth_out_bool(struct berth_out *out, const char *key,
		    const char *text_fmt, bool value);

/* A JSON null; in text mode text (not a format) is printed as it is. */
void berth_out_null(struct berth_out *out, const char *key, const char *text);

/* Text-mode decoration (headings, separators); ignored in JSON mode. */
void berth_out_text(struct berth_out *out, const char *fmt, ...) BERTH_PRINTF(2, 3);

/*
 * Ends the output: in JSON mode writes the document, in text mode flushes.
 * Returns 0, or -1 with a BERTH_ERROR_SYSTEM error "cannot write the output:
 * REASON" if writing failed (a full disk, a closed pipe).  Only the first
 * call does anything.
 */
int berth_out_finish(struct berth_out *out, struct berth_error **err);

/*
 * Flushes fp and checks that nothing written to it was lost.  Returns 0, or
 * -1 with a BERTH_ERROR_SYSTEM error "cannot write NAME: REASON".
 */
int berth_out_flush_stream(FILE *fp, const char *name, struct berth_error **err);

/*
 * Finishes out if berth_out_finish() was not called (ignoring a write
 * error) and frees it.  Accepts NULL.
 */
void berth_out_free(struct berth_out *out);

BERTH_DEFINE_AUTOPTR(berth_out, berth_out_free)

#endif /* BERTH_CORE_OUTPUT_H */
