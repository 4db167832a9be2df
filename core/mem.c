/* Allocation that cannot fail: see mem.h. */
#include "core/mem.h"

#include <stdio.h>
#include <string.h>

void
berth_oom(void)
{
	fputs("berth: out of memory\n", stderr);
	abort();
}

static void *
checked(void *p)
{
	if (p == NULL)
		berth_oom();
	return p;
}

void *
xmalloc(size_t size)
{
	return checked(malloc(size ? size : 1));
}

void *
xcalloc(size_t nmemb, size_t size)
{
	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	return checked(calloc(nmemb, size));
}

void *
xrealloc(void *ptr, size_t size)
{
	return checked(realloc(ptr, size ? size : 1));
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(nmemb, size, &total))
		berth_oom();
	return xrealloc(ptr, total);
}

char *
xstrdup(const char *s)
{
	return checked(strdup(s));
}

char *
xstrndup(const char *s, size_t n)
{
	return checked(strndup(s, n));
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		berth_oom();
	return s;
}
