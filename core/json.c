/* Reading JSON files: see json.h. */
#include "core/json.h"

#include <errno.h>
#include <stdio.h>

/*
 * jansson's message quotes the input near the error, which may hold a
 * newline or a terminal escape: written with those bytes as \xNN, so that
 * the message stays one line and cannot drive a terminal.
 */
static void
escape_controls(char *out, size_t size, const char *text)
{
	size_t n = 0;

	for (const unsigned char *c = (const unsigned char *)text; *c != '\0' && n + 5 < size; c++) {
		if (*c < 0x20 || *c == 0x7f)
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", *c);
		else
			out[n++] = (char)*c;
	}
	out[n] = '\0';
}

json_t *
berth_json_load_file(const char *path, struct berth_error **err)
{
	json_error_t jerr;
	json_t *value;
	FILE *fp;

	/* Opened here, not by jansson, so the message names the path as given. */
	fp = fopen(path, "r");
	if (fp == NULL) {
		berth_error_set_errno(err, BERTH_ERROR_INPUT, errno, "cannot open '%s'", path);
		return NULL;
	}
	value = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	if (value == NULL && ferror(fp)) {
		/* A read error (a directory, EIO) rather than bad JSON. */
		berth_error_set_errno(err, BERTH_ERROR_INPUT, errno, "cannot read '%s'", path);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	if (value == NULL) {
		char text[4 * JSON_ERROR_TEXT_LENGTH + 1];

		escape_controls(text, sizeof(text), jerr.text);
		berth_error_set(err, BERTH_ERROR_INPUT, "%s:%d:%d: %s",
				path, jerr.line, jerr.column, text);
	}
	return value;
}
