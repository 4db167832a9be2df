/* Text and JSON from the same calls: see output.h. */
#include "core/output.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>

#include <jansson.h>

/* One open container; stack[0] is the root object. */
struct frame {
	json_t *node;		/* borrowed from its parent; NULL in text mode */
	bool is_array;
};

struct berth_out {
	FILE *fp;
	enum berth_out_mode mode;
	bool finished;
	json_t *root;		/* owned; NULL in text mode */
	struct frame *stack;
	size_t depth;
	size_t alloc;
};

static json_t *
checked(json_t *node)
{
	if (node == NULL)
		berth_oom();
	return node;
}

struct berth_out *
berth_out_new(FILE *fp, enum berth_out_mode mode)
{
	struct berth_out *out = xcalloc(1, sizeof(*out));

	assert((unsigned)mode < BERTH_OUT_LAST);
	out->fp = fp;
	out->mode = mode;
	if (mode == BERTH_OUT_JSON)
		out->root = checked(json_object());
	out->alloc = 8;
	out->stack = xreallocarray(NULL, out->alloc, sizeof(*out->stack));
	out->stack[0] = (struct frame){ .node = out->root, .is_array = false };
	out->depth = 1;
	return out;
}

enum berth_out_mode
berth_out_get_mode(const struct berth_out *out)
{
	return out->mode;
}

static bool
is_json(const struct berth_out *out)
{
	return out->mode == BERTH_OUT_JSON;
}

/* Puts value (a new reference, taken over) into the innermost container. */
static void
add(struct berth_out *out, const char *key, json_t *value)
{
	struct frame *top = &out->stack[out->depth - 1];
	int rc;

	assert(!out->finished);
	if (top->is_array) {
		rc = json_array_append_new(top->node, value);
	} else {
		assert(key != NULL);
		rc = json_object_set_new(top->node, key, value);
	}
	/* Keys are ASCII names from the code: only allocation can fail. */
	if (rc != 0)
		berth_oom();
}

static void
open_container(struct berth_out *out, const char *key, bool is_array)
{
	json_t *node = NULL;

	if (is_json(out)) {
		node = checked(is_array ? json_array() : json_object());
		add(out, key, node);
	}
	if (out->depth == out->alloc) {
		out->alloc *= 2;
		out->stack = xreallocarray(out->stack, out->alloc, sizeof(*out->stack));
	}
	out->stack[out->depth++] = (struct frame){ .node = node, .is_array = is_array };
}

static void
close_container(struct berth_out *out, bool is_array)
{
	(void)is_array;		/* only the asserts read it */
	assert(out->depth > 1 && "closing more than was opened");
	assert(out->stack[out->depth - 1].is_array == is_array &&
	       "closing an object as an array or an array as an object");
	out->depth--;
}

void
berth_out_open_object(struct berth_out *out, const char *key)
{
	open_container(out, key, false);
}

void
berth_out_close_object(struct berth_out *out)
{
	close_container(out, false);
}

void
berth_out_open_array(struct berth_out *out, const char *key)
{
	open_container(out, key, true);
}

void
berth_out_close_array(struct berth_out *out)
{
	close_container(out, true);
}

/* A JSON string for value; bytes outside ASCII become '?' if not UTF-8. */
static json_t *
json_text(const char *value)
{
	json_t *node = json_string(value);
	BERTH_AUTOFREE char *ascii = NULL;

	if (node != NULL)
		return node;
	ascii = xstrdup(value);
	for (char *p = ascii; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	}
	return checked(json_string(ascii));
}

void
berth_out_string(struct berth_out *out, const char *key,
		 const char *text_fmt, const char *value)
{
	assert(value != NULL);
	if (is_json(out))
		add(out, key, json_text(value));
	else if (text_fmt != NULL)
		fprintf(out->fp, text_fmt, value);
}

void
berth_out_int(struct berth_out *out, const char *key,
	      const char *text_fmt, long long value)
{
	if (is_json(out))
		add(out, key, checked(json_integer(value)));
	else if (text_fmt != NULL)
		fprintf(out->fp, text_fmt, value);
}

void
berth_out_uint(struct berth_out *out, const char *key,
	       const char *text_fmt, unsigned long long value)
{
	if (is_json(out)) {
		add(out, key, checked(value <= LLONG_MAX ?
				      json_integer((json_int_t)value) :
				      json_real((double)value)));
	} else if (text_fmt != NULL) {
		fprintf(out->fp, text_fmt, value);
	}
}

void
berth_out_bool(struct berth_out *out, const char *key,
	       const char *text_fmt, bool value)
{
	if (is_json(out))
		add(out, key, checked(json_boolean(value)));
	else if (text_fmt != NULL)
		fprintf(out->fp, text_fmt, value ? "true" : "false");
}

void
berth_out_null(struct berth_out *out, const char *key, const char *text)
{
	if (is_json(out))
		add(out, key, checked(json_null()));
	else if (text != NULL)
		fputs(text, out->fp);
}

void
berth_out_text(struct berth_out *out, const char *fmt, ...)
{
	va_list ap;

	if (is_json(out))
		return;
	va_start(ap, fmt);
	vfprintf(out->fp, fmt, ap);
	va_end(ap);
}

int
berth_out_flush_stream(FILE *fp, const char *name, struct berth_error **err)
{
	errno = 0;
	if (fflush(fp) == 0 && !ferror(fp))
		return 0;
	if (errno != 0)
		berth_error_set_errno(err, BERTH_ERROR_SYSTEM, errno, "cannot write %s", name);
	else
		berth_error_set(err, BERTH_ERROR_SYSTEM, "cannot write %s", name);
	return -1;
}

int
berth_out_finish(struct berth_out *out, struct berth_error **err)
{
	if (out->finished)
		return 0;
	assert(out->depth == 1 && "an object or array is still open");
	out->finished = true;

	/* A failed write sets the stream's error flag, which the flush reports. */
	if (is_json(out)) {
		json_dumpf(out->root, out->fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out->fp);
	}
	return berth_out_flush_stream(out->fp, out->fp == stdout ? "standard output" : "the output",
				      err);
}

void
berth_out_free(struct berth_out *out)
{
	if (out == NULL)
		return;
	berth_out_finish(out, NULL);
	json_decref(out->root);
	free(out->stack);
	free(out);
}
