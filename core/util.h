/* Small string helpers shared by every stage. */
#ifndef BERTH_CORE_UTIL_H
#define BERTH_CORE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* True if a and b are the same string; two NULLs are equal, one is not. */
static inline bool
berth_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * The Levenshtein distance between a and b: how many single-byte
 * insertions, deletions and substitutions turn one into the other.  Cannot
 * fail (allocation aborts).
 */
size_t berth_edit_distance(const char *a, const char *b);

/*
 * The candidate closest to word, for "did you mean 'kvm2'?" hints: the first
 * of the n candidates with the smallest edit distance, if that distance is at
 * most 2 and word is not itself a candidate; otherwise NULL.  The result
 * points into candidates (not a copy).
 */
const char *berth_suggest(const char *word, const char *const *candidates, size_t n);

/*
 * "'VALUE'" quoted for a POSIX shell: single quotes, and each ' inside as
 * '\''.  Returns a new string the caller frees.  Cannot fail.
 */
char *berth_shell_quote(const char *value);

/*
 * Seconds on the monotonic clock, for measuring how long something took.
 * Cannot fail.
 */
double berth_now_s(void);

/*
 * A memory size for people: "4 GiB" or "256 MiB" when it is a whole number
 * of either, else "262100 KiB".  Written into text (size bytes) and returned.
 */
const char *berth_kib_text(char *text, size_t size, uint64_t kib);

struct berth_buf;

/*
 * Appends text to b with each control byte (below 0x20, and 0x7f) written
 * as \xHH, so that a quoted value keeps a message on one line and cannot
 * drive a terminal.  Cannot fail.
 */
void berth_buf_add_escaped(struct berth_buf *b, const char *text);

/* The first control byte (below 0x20, or 0x7f) in text, or 0 if none. */
unsigned char berth_first_control(const char *text);

/* Frees the n strings of v, then v.  Accepts NULL. */
void berth_strv_free(char **v, size_t n);

/*
 * Appends a copy of s to the array *v of *n strings, unless it holds s
 * already.  Returns true if it was added.
 */
bool berth_strv_add_unique(char ***v, size_t *n, const char *s);

#endif /* BERTH_CORE_UTIL_H */
