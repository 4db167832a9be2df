/*
 * Allocation that cannot fail, and cleanup at scope exit.
 *
 * Every allocator here aborts the program with "berth: out of memory" when
 * the C library cannot give memory, so callers never check for NULL.  What
 * they return is owned by the caller and freed with free().
 *
 * Cleanup helpers (GCC/Clang __attribute__((cleanup))):
 *
 *	BERTH_AUTOFREE char *s = xstrdup("x");    free(s) at scope exit
 *
 *	BERTH_DEFINE_AUTOPTR(berth_error, berth_error_free)   once, in the header
 *	BERTH_AUTOPTR(berth_error) err = NULL;     berth_error_free(err) at exit
 *
 *	return berth_steal_pointer(&s);            hand s out, leave NULL behind
 *
 * BERTH_DEFINE_AUTOPTR takes a struct tag (berth_error for struct
 * berth_error) or a typedef name that is also a struct tag (json_t); the free
 * function must accept NULL.
 */
#ifndef BERTH_CORE_MEM_H
#define BERTH_CORE_MEM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#define BERTH_PRINTF(fmt_index, first_arg) \
	__attribute__((format(printf, fmt_index, first_arg)))

/* Prints "berth: out of memory" to stderr and aborts.  Never returns. */
void berth_oom(void) __attribute__((noreturn));

/* malloc(size); a size of 0 still returns a unique pointer.  Never NULL. */
void *xmalloc(size_t size) __attribute__((malloc));

/* calloc(nmemb, size), zeroed; aborts if nmemb * size overflows.  Never NULL. */
void *xcalloc(size_t nmemb, size_t size) __attribute__((malloc));

/* realloc(ptr, size); ptr may be NULL.  Never NULL. */
void *xrealloc(void *ptr, size_t size);

/* realloc(ptr, nmemb * size); aborts if the product overflows.  Never NULL. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);

/* A copy of the string s (not NULL).  Never NULL; the caller frees it. */
char *xstrdup(const char *s) __attribute__((malloc));

/*
 * A copy of at most n bytes of s, always NUL-terminated.  Never NULL; the
 * caller frees it.
 */
char *xstrndup(const char *s, size_t n) __attribute__((malloc));

/* The formatted string.  Never NULL; the caller frees it. */
char *xasprintf(const char *fmt, ...) BERTH_PRINTF(1, 2) __attribute__((malloc));

/* xasprintf() with a va_list.  Never NULL; the caller frees it. */
char *xvasprintf(const char *fmt, va_list ap) BERTH_PRINTF(1, 0) __attribute__((malloc));

/* The cleanup function behind BERTH_AUTOFREE: free(*(void **)p). */
static inline void
berth_autofree_cleanup(void *p)
{
	free(*(void **)p);
}

#define BERTH_AUTOFREE __attribute__((cleanup(berth_autofree_cleanup)))

#define BERTH_AUTOPTR_CLEANUP(type) berth_autoptr_cleanup_##type

#define BERTH_DEFINE_AUTOPTR(type, freefunc)				\
	static inline void						\
	BERTH_AUTOPTR_CLEANUP(type)(struct type **p)			\
	{								\
		freefunc(*p);						\
	}

#define BERTH_AUTOPTR(type) \
	__attribute__((cleanup(BERTH_AUTOPTR_CLEANUP(type)))) struct type *

/* The value of *pp, leaving NULL in *pp.  Used through berth_steal_pointer(). */
static inline void *
berth_steal_pointer_impl(void *pp)
{
	void **p = pp;
	void *value = *p;

	*p = NULL;
	return value;
}

/* Returns *pp with its own type and sets *pp to NULL: ownership moves out. */
#define berth_steal_pointer(pp) \
	((__typeof__(*(pp)))berth_steal_pointer_impl(pp))

#endif /* BERTH_CORE_MEM_H */
