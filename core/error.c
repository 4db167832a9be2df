/* The error object: see error.h. */
#include "core/error.h"

#include <assert.h>
#include <stdarg.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"

struct berth_error {
	enum berth_error_kind kind;
	char *message;
};

static const int exit_codes[] = {
	[BERTH_ERROR_USAGE] = 2,
	[BERTH_ERROR_INPUT] = 2,
	[BERTH_ERROR_HOST] = 1,
	[BERTH_ERROR_SYSTEM] = 1,
	[BERTH_ERROR_INTERNAL] = 1,
};
_Static_assert(sizeof(exit_codes) / sizeof(exit_codes[0]) == BERTH_ERROR_LAST,
	       "exit_codes must have one entry per enum berth_error_kind");

/*
 * A message is one line whatever it quotes (a host's error text, a value
 * read from facts): control bytes in text are written as \xNN.  Takes text
 * and returns it, or its escaped copy.
 */
static char *
one_line(char *text)
{
	struct berth_buf escaped = BERTH_BUF_INIT;

	if (berth_first_control(text) == 0)
		return text;
	berth_buf_add_escaped(&escaped, text);
	free(text);
	return berth_buf_detach(&escaped);
}

static void
record(struct berth_error **err, enum berth_error_kind kind, char *message)
{
	struct berth_error *e = xmalloc(sizeof(*e));

	assert((unsigned)kind < BERTH_ERROR_LAST);
	e->kind = kind;
	e->message = one_line(message);
	*err = e;
}

void
berth_error_set(struct berth_error **err, enum berth_error_kind kind,
		const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || *err != NULL)
		return;
	va_start(ap, fmt);
	record(err, kind, xvasprintf(fmt, ap));
	va_end(ap);
}

void
berth_error_set_errno(struct berth_error **err, enum berth_error_kind kind,
		      int errnum, const char *fmt, ...)
{
	BERTH_AUTOFREE char *what = NULL;
	char reason[256];
	va_list ap;

	if (err == NULL || *err != NULL)
		return;
	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	/* GNU strerror_r: thread-safe, returns the text (maybe not in reason). */
	record(err, kind, xasprintf("%s: %s", what,
				    strerror_r(errnum, reason, sizeof(reason))));
}

void
berth_error_prefix(struct berth_error **err, const char *fmt, ...)
{
	BERTH_AUTOFREE char *context = NULL;
	va_list ap;
	char *message;

	if (err == NULL || *err == NULL)
		return;
	va_start(ap, fmt);
	context = xvasprintf(fmt, ap);
	va_end(ap);
	message = xasprintf("%s%s", context, (*err)->message);
	free((*err)->message);
	(*err)->message = one_line(message);
}

const char *
berth_error_message(const struct berth_error *err)
{
	return err->message;
}

enum berth_error_kind
berth_error_kind(const struct berth_error *err)
{
	return err->kind;
}

int
berth_error_exit_code(const struct berth_error *err)
{
	if (err == NULL)
		return 0;
	return exit_codes[err->kind];
}

void
berth_error_free(struct berth_error *err)
{
	if (err == NULL)
		return;
	free(err->message);
	free(err);
}

void
berth_error_clear(struct berth_error **err)
{
	berth_error_free(*err);
	*err = NULL;
}
