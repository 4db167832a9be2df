/* A growable string buffer: see buf.h for its invariants. */
#include "core/buf.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

char berth_buf_empty[1];

void
berth_buf_init(struct berth_buf *sb, size_t hint)
{
	*sb = (struct berth_buf)BERTH_BUF_INIT;
	if (hint > 0)
		berth_buf_grow(sb, hint);
}

void
berth_buf_release(struct berth_buf *sb)
{
	if (sb->alloc > 0)
		free(sb->buf);
	berth_buf_init(sb, 0);
}

char *
berth_buf_detach(struct berth_buf *sb)
{
	char *s = sb->alloc > 0 ? sb->buf : xstrdup("");

	berth_buf_init(sb, 0);
	return s;
}

void
berth_buf_grow(struct berth_buf *sb, size_t extra)
{
	size_t need;
	size_t alloc;

	/* len + extra + 1 for the NUL, without wrapping around. */
	if (__builtin_add_overflow(sb->len, extra, &need) ||
	    __builtin_add_overflow(need, 1, &need))
		berth_oom();
	if (need <= sb->alloc)
		return;

	/* Grow by half again (git's alloc_nr) so appends stay amortised O(1). */
	alloc = (sb->alloc + 16) / 2 * 3;
	if (alloc < need)
		alloc = need;
	if (sb->alloc == 0) {
		sb->buf = xmalloc(alloc);
		sb->buf[0] = '\0';
	} else {
		sb->buf = xrealloc(sb->buf, alloc);
	}
	sb->alloc = alloc;
}

void
berth_buf_reset(struct berth_buf *sb)
{
	berth_buf_setlen(sb, 0);
}

void
berth_buf_setlen(struct berth_buf *sb, size_t newlen)
{
	assert(newlen <= sb->len);
	sb->len = newlen;
	if (sb->alloc > 0)
		sb->buf[newlen] = '\0';
}

void
berth_buf_add(struct berth_buf *sb, const char *s)
{
	berth_buf_addn(sb, s, strlen(s));
}

void
berth_buf_addn(struct berth_buf *sb, const void *data, size_t n)
{
	if (n == 0)
		return;
	berth_buf_grow(sb, n);
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
berth_buf_addch(struct berth_buf *sb, char c)
{
	berth_buf_addn(sb, &c, 1);
}

void
berth_buf_addf(struct berth_buf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	berth_buf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void
berth_buf_vaddf(struct berth_buf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	/* Try in the room there is; if it is too small, grow once and redo. */
	if (sb->alloc == 0)
		berth_buf_grow(sb, 64);
	va_copy(copy, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, copy);
	va_end(copy);
	if (n < 0)
		berth_oom();
	if ((size_t)n >= sb->alloc - sb->len) {
		berth_buf_grow(sb, (size_t)n);
		va_copy(copy, ap);
		n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, copy);
		va_end(copy);
		assert(n >= 0 && (size_t)n < sb->alloc - sb->len);
	}
	sb->len += (size_t)n;
}

void
berth_buf_rtrim(struct berth_buf *sb)
{
	size_t len = sb->len;

	while (len > 0 && isspace((unsigned char)sb->buf[len - 1]))
		len--;
	berth_buf_setlen(sb, len);
}

void
berth_buf_trim_trailing_newline(struct berth_buf *sb)
{
	size_t len = sb->len;

	if (len > 0 && sb->buf[len - 1] == '\n') {
		len--;
		if (len > 0 && sb->buf[len - 1] == '\r')
			len--;
	}
	berth_buf_setlen(sb, len);
}
