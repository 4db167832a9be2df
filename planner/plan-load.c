/*
 * Reading back a plan that berth_plan_print() wrote as JSON (render.h), so
 * a plan reviewed in a merge request is the plan that is applied.  Every
 * field is checked; an error names the file and the JSON path of the value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/digest.h"
#include "core/json.h"
#include "core/util.h"
#include "planner/render.h"

struct loader {
	const char *path;
	struct berth_error **err;
	const char *scope;	/* of the keys read, within the step: "", "expect." */
};

static int fail(const struct loader *ld, size_t i, const char *key, const char *fmt, ...)
	BERTH_PRINTF(4, 5);

/* Records "PATH: steps[I].SCOPEKEY: MESSAGE" and returns -1. */
static int
fail(const struct loader *ld, size_t i, const char *key, const char *fmt, ...)
{
	BERTH_AUTOFREE char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	berth_error_set(ld->err, BERTH_ERROR_INPUT, "%s: steps[%zu].%s%s: %s",
			ld->path, i, ld->scope != NULL ? ld->scope : "", key, msg);
	return -1;
}

/* The string at key as a new copy in *out; NULL for null or absent unless required. */
static int
read_string(const struct loader *ld, json_t *step, size_t i, const char *key,
	    bool required, char **out)
{
	json_t *v = json_object_get(step, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(ld, i, key, "missing (a string is needed)");
		return 0;
	}
	if (!json_is_string(v))
		return fail(ld, i, key, "not a string");
	/* What a plan says reaches messages and hosts: one line each, but
	 * for the domain XML, whose lines are its own. */
	for (const unsigned char *c = (const unsigned char *)json_string_value(v); *c != '\0'; c++) {
		bool xml_space = strcmp(key, "xml") == 0 && (*c == '\n' || *c == '\t' || *c == '\r');

		if ((*c < 0x20 || *c == 0x7f) && !xml_space)
			return fail(ld, i, key, "holds a control character (byte 0x%02x)", *c);
	}
	*out = xstrdup(json_string_value(v));
	return 0;
}

/* The non-negative integer at key, required. */
static int
read_uint(const struct loader *ld, json_t *step, size_t i, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(step, key);

	if (v == NULL)
		return fail(ld, i, key, "missing (an integer is needed)");
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return fail(ld, i, key, "not a non-negative integer");
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int
read_kind(const struct loader *ld, json_t *step, size_t i, enum berth_step_kind *kind)
{
	BERTH_AUTOFREE char *name = NULL;
	int k;

	if (read_string(ld, step, i, "kind", true, &name) < 0)
		return -1;
	k = berth_step_kind_from_name(name);
	if (k < 0)
		return fail(ld, i, "kind", "'%s' is not a step kind (%s)", name, berth_step_kind_names());
	*kind = (enum berth_step_kind)k;
	return 0;
}

/* The ids in "after": each names an earlier step, so the order stays valid. */
static int
read_after(const struct loader *ld, json_t *step, size_t i, struct berth_step *s)
{
	json_t *after = json_object_get(step, "after");
	json_t *v;
	size_t j;

	if (after == NULL)
		return 0;
	if (!json_is_array(after))
		return fail(ld, i, "after", "not an array");
	json_array_foreach(after, j, v) {
		json_int_t dep = json_is_integer(v) ? json_integer_value(v) : 0;

		if (dep < 1 || (unsigned long long)dep >= s->id) {
			return fail(ld, i, "after",
				    "element %zu does not name an earlier step (1 to %u)",
				    j, s->id - 1);
		}
		berth_step_add_dep(s, (unsigned)dep);
	}
	return 0;
}

/* Every field the step's kind carries (the step-kind table), each required. */
static int
read_kind_fields(const struct loader *ld, json_t *step, size_t i, struct berth_step *s)
{
	for (int f = 0; f < BERTH_STEP_FIELD_LAST; f++) {
		const struct berth_step_field_desc *fd = berth_step_field(f);
		int rc;

		if (f == BERTH_STEP_FIELD_HOST || !berth_step_kind_has(s->kind, f))
			continue;
		if (fd->type == BERTH_STEP_FIELD_UINT)
			rc = read_uint(ld, step, i, fd->key, berth_step_uint_slot(s, f));
		else
			rc = read_string(ld, step, i, fd->key, true, berth_step_string_slot(s, f));
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* "expect": what the step was planned from (planner/stale.c checks it). */
static int
read_expect(const struct loader *step_ld, json_t *step, size_t i, struct berth_step *s)
{
	json_t *e = json_object_get(step, "expect");
	struct loader ld = *step_ld;
	json_t *hosts, *h;
	size_t j;

	if (!json_is_object(e))
		return fail(&ld, i, "expect", "missing or not an object");
	ld.scope = "expect.";
	if (read_string(&ld, e, i, "placement", false, &s->expect.placement) < 0 ||
	    read_string(&ld, e, i, "leaves", false, &s->expect.leaves) < 0 ||
	    read_string(&ld, e, i, "definition_sha256", false, &s->expect.definition) < 0)
		return -1;
	if (json_object_get(e, "memory_kib") != NULL &&
	    read_uint(&ld, e, i, "memory_kib", &s->expect.memory_kib) < 0)
		return -1;
	hosts = json_object_get(e, "hosts");
	if (!json_is_array(hosts))
		return fail(&ld, i, "hosts", "missing or not an array");
	json_array_foreach(hosts, j, h) {
		BERTH_AUTOFREE char *scope = xasprintf("expect.hosts[%zu].", j);
		BERTH_AUTOFREE char *host = NULL;
		BERTH_AUTOFREE char *uuid = NULL;

		ld.scope = "expect.";	/* not the last element's: freed */
		if (!json_is_object(h))
			return fail(&ld, i, "hosts", "element %zu is not an object", j);
		ld.scope = scope;
		if (read_string(&ld, h, i, "host", true, &host) < 0 ||
		    read_string(&ld, h, i, "uuid", false, &uuid) < 0)
			return -1;
		berth_step_expect_host(s, host, uuid);
	}
	return 0;
}

static int
read_step(const struct loader *ld, struct berth_plan *plan, json_t *step, size_t i)
{
	BERTH_AUTOFREE char *host = NULL;
	BERTH_AUTOFREE char *reason = NULL;
	enum berth_step_kind kind = BERTH_STEP_LAST;
	struct berth_step *s;
	json_t *id = json_object_get(step, "id");

	if (!json_is_object(step))
		return fail(ld, i, "id", "the step is not an object");
	if (!json_is_integer(id) || json_integer_value(id) != (json_int_t)i + 1)
		return fail(ld, i, "id", "not %zu (steps are numbered from 1, in order)", i + 1);
	if (read_kind(ld, step, i, &kind) < 0 ||
	    read_string(ld, step, i, "host", true, &host) < 0 ||
	    read_string(ld, step, i, "reason", true, &reason) < 0)
		return -1;
	s = berth_plan_add_step(plan, kind, host, NULL, "%s", reason);
	if (read_kind_fields(ld, step, i, s) < 0 || read_after(ld, step, i, s) < 0)
		return -1;
	return read_expect(ld, step, i, s);
}

struct berth_plan *
berth_plan_load_json(const char *path, struct berth_error **err)
{
	BERTH_AUTOPTR(json_t) root = berth_json_load_file(path, err);
	BERTH_AUTOPTR(berth_plan) plan = NULL;
	struct loader ld = { .path = path, .err = err };
	json_t *version, *sha, *steps, *step;
	size_t i;

	if (root == NULL)
		return NULL;
	version = json_is_object(root) ? json_object_get(root, "format_version") : NULL;
	if (!json_is_integer(version)) {
		berth_error_set(err, BERTH_ERROR_INPUT,
				"%s: format_version: missing or not an integer: this is not a plan written by berth",
				path);
		return NULL;
	}
	if (json_integer_value(version) != BERTH_PLAN_FORMAT_VERSION) {
		bool older = json_integer_value(version) < BERTH_PLAN_FORMAT_VERSION;

		berth_error_set(err, BERTH_ERROR_INPUT,
				"%s: format_version: %lld is %s plan format than this berth reads (%d): make the plan again with 'berth plan --out'",
				path, (long long)json_integer_value(version),
				older ? "an older" : "a newer", BERTH_PLAN_FORMAT_VERSION);
		return NULL;
	}
	sha = json_object_get(root, "inventory_sha256");
	if (!json_is_string(sha) || (strlen(json_string_value(sha)) != BERTH_SHA256_HEX_LEN &&
				     strlen(json_string_value(sha)) != 0)) {
		berth_error_set(err, BERTH_ERROR_INPUT,
				"%s: inventory_sha256: missing or not a SHA-256 in hex", path);
		return NULL;
	}
	steps = json_object_get(root, "steps");
	if (!json_is_array(steps)) {
		berth_error_set(err, BERTH_ERROR_INPUT, "%s: steps: missing or not an array", path);
		return NULL;
	}
	plan = berth_plan_new();
	snprintf(plan->inventory_sha256, sizeof(plan->inventory_sha256), "%s", json_string_value(sha));
	json_array_foreach(steps, i, step) {
		if (read_step(&ld, plan, step, i) < 0)
			return NULL;
	}
	return berth_steal_pointer(&plan);
}
