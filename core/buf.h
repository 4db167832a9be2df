/*
 * A growable string buffer (git's strbuf).
 *
 * Invariants, true between any two calls:
 *  - buf is never NULL and buf[len] == '\0': buf can always be passed where a
 *    C string is expected.
 *  - While alloc == 0 the buffer owns no memory and buf points at the shared
 *    static empty string berth_buf_empty; nothing may be written through it.
 *  - Once alloc > 0, buf is malloc'd, owned by the buffer, and len < alloc.
 *  - len counts the bytes held, not counting the terminating NUL; the bytes
 *    may include NULs (added with berth_buf_addn), so strlen(buf) <= len.
 *
 * A buffer starts as BERTH_BUF_INIT or through berth_buf_init(), and ends
 * with berth_buf_release() or berth_buf_detach().  Declared with
 * BERTH_AUTOBUF it is released at scope exit:
 *
 *	BERTH_AUTOBUF struct berth_buf cmd = BERTH_BUF_INIT;
 *	berth_buf_addf(&cmd, "virsh start '%s'", name);
 *
 * Growing aborts on allocation failure (see mem.h), so no function here fails.
 */
#ifndef BERTH_CORE_BUF_H
#define BERTH_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/mem.h"

struct berth_buf {
	size_t alloc;
	size_t len;
	char *buf;
};

/* The empty string every unallocated buffer points at.  Never write to it. */
extern char berth_buf_empty[1];

#define BERTH_BUF_INIT { .alloc = 0, .len = 0, .buf = berth_buf_empty }

#define BERTH_AUTOBUF __attribute__((cleanup(berth_buf_release)))

/* Starts an empty buffer with room for at least hint bytes (0: none yet). */
void berth_buf_init(struct berth_buf *sb, size_t hint);

/* Frees the buffer's memory and leaves it as BERTH_BUF_INIT. */
void berth_buf_release(struct berth_buf *sb);

/*
 * Returns the buffer's string, which the caller now owns and frees with
 * free(); an empty buffer gives an allocated "".  Never NULL.  The buffer is
 * left as BERTH_BUF_INIT.
 */
char *berth_buf_detach(struct berth_buf *sb);

/* Makes room for at least extra more bytes after len.  len is unchanged. */
void berth_buf_grow(struct berth_buf *sb, size_t extra);

/* Empties the buffer (len 0) but keeps its memory for reuse. */
void berth_buf_reset(struct berth_buf *sb);

/* Sets len to newlen, which must be <= len, and terminates there. */
void berth_buf_setlen(struct berth_buf *sb, size_t newlen);

/* Appends the C string s. */
void berth_buf_add(struct berth_buf *sb, const char *s);

/* Appends n bytes from data, which may contain NULs. */
void berth_buf_addn(struct berth_buf *sb, const void *data, size_t n);

/* Appends the byte c. */
void berth_buf_addch(struct berth_buf *sb, char c);

/* Appends the printf-formatted text. */
void berth_buf_addf(struct berth_buf *sb, const char *fmt, ...) BERTH_PRINTF(2, 3);

/* berth_buf_addf() with a va_list. */
void berth_buf_vaddf(struct berth_buf *sb, const char *fmt, va_list ap) BERTH_PRINTF(2, 0);

/* Removes trailing whitespace (space, tab, newline, CR, ...). */
void berth_buf_rtrim(struct berth_buf *sb);

/* Removes one trailing "\n" or "\r\n", if present. */
void berth_buf_trim_trailing_newline(struct berth_buf *sb);

#endif /* BERTH_CORE_BUF_H */
