/* Reading JSON files: see json.h. */
#include "core/json.h"
#include "core/buf.h"
#include "core/util.h"

#include <errno.h>
#include <stdio.h>

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
	/* jansson quotes the input near the error; berth_error_set() keeps
	 * a newline or a terminal escape in it from reaching the terminal. */
	if (value == NULL)
		berth_error_set(err, BERTH_ERROR_INPUT, "%s:%d:%d: %s",
				path, jerr.line, jerr.column, jerr.text);
	return value;
}
