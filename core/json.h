/*
 * Reading JSON files (facts and plans saved by berth) with jansson.
 *
 * json_t values are reference counted: release one with json_decref(), or
 * declare it BERTH_AUTOPTR(json_t) to release it at scope exit.
 */
#ifndef BERTH_CORE_JSON_H
#define BERTH_CORE_JSON_H

#include <jansson.h>

#include "core/error.h"
#include "core/mem.h"

/*
 * The JSON value in the file at path.  Returns a new reference the caller
 * releases with json_decref(), or NULL with a BERTH_ERROR_INPUT error:
 * "PATH:LINE:COLUMN: MESSAGE" for invalid JSON (jansson's position and
 * words), "cannot open 'PATH': REASON" or "cannot read 'PATH': REASON" if
 * the file cannot be read.
 * Duplicate keys in an object are an error.
 */
json_t *berth_json_load_file(const char *path, struct berth_error **err);

BERTH_DEFINE_AUTOPTR(json_t, json_decref)

#endif /* BERTH_CORE_JSON_H */
