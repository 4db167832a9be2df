/* Small string helpers: see util.h. */
#include "core/buf.h"
#include "core/util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/mem.h"

#define SUGGEST_MAX_DISTANCE 2

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

size_t
berth_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a);
	size_t lb = strlen(b);
	BERTH_AUTOFREE size_t *row = xcalloc(lb + 1, sizeof(*row));

	/* One row of the Wagner-Fischer table: row[j] = distance(a[0..i), b[0..j)). */
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diagonal = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t above = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;

			row[j] = min3(above + 1, row[j - 1] + 1, diagonal + cost);
			diagonal = above;
		}
	}
	return row[lb];
}

const char *
berth_suggest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_distance = SUGGEST_MAX_DISTANCE + 1;

	for (size_t i = 0; i < n; i++) {
		size_t d = berth_edit_distance(word, candidates[i]);

		if (d == 0)
			return NULL;
		if (d < best_distance) {
			best = candidates[i];
			best_distance = d;
		}
	}
	return best;
}

char *
berth_shell_quote(const char *value)
{
	struct berth_buf q = BERTH_BUF_INIT;

	berth_buf_addch(&q, '\'');
	for (const char *p = value; *p != '\0'; p++) {
		if (*p == '\'')
			berth_buf_add(&q, "'\\''");
		else
			berth_buf_addch(&q, *p);
	}
	berth_buf_addch(&q, '\'');
	return berth_buf_detach(&q);
}

double
berth_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *
berth_kib_text(char *text, size_t size, uint64_t kib)
{
	if (kib >= 1024 * 1024 && kib % (1024 * 1024) == 0)
		snprintf(text, size, "%" PRIu64 " GiB", kib / (1024 * 1024));
	else if (kib % 1024 == 0)
		snprintf(text, size, "%" PRIu64 " MiB", kib / 1024);
	else
		snprintf(text, size, "%" PRIu64 " KiB", kib);
	return text;
}

void
berth_buf_add_escaped(struct berth_buf *b, const char *text)
{
	for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
		if (*c < 0x20 || *c == 0x7f)
			berth_buf_addf(b, "\\x%02X", *c);
		else
			berth_buf_addch(b, (char)*c);
	}
}

unsigned char
berth_first_control(const char *text)
{
	for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
		if (*c < 0x20 || *c == 0x7f)
			return *c;
	}
	return 0;
}

void
berth_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

bool
berth_strv_add_unique(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++) {
		if (strcmp((*v)[i], s) == 0)
			return false;
	}
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
	return true;
}
