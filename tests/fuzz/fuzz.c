/* What the fuzz targets share: see fuzz.h. */
#include "tests/fuzz/fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/log.h"
#include "core/output.h"
#include "parser/inventory.h"
#include "planner/render.h"

/* The path the plan's JSON names its inventory by; any will do. */
#define PLAN_INVENTORY "inventory.yaml"

void
berth_fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

const char *
berth_fuzz_file_write(struct berth_fuzz_file *f, const void *data, size_t size)
{
	const char *p = data;

	if (f->fd == 0) {
		f->fd = memfd_create("berth-fuzz-input", MFD_CLOEXEC);
		if (f->fd < 0)
			berth_fuzz_fail("memfd_create: %s", strerror(errno));
		snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
	}
	if (ftruncate(f->fd, 0) < 0)
		berth_fuzz_fail("ftruncate '%s': %s", f->path, strerror(errno));
	for (size_t done = 0; done < size;) {
		ssize_t n = pwrite(f->fd, p + done, size - done, (off_t)done);

		if (n <= 0)
			berth_fuzz_fail("write '%s': %s", f->path, strerror(errno));
		done += (size_t)n;
	}
	return f->path;
}

char *
berth_fuzz_string(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

const char *
berth_fuzz_setup(void)
{
	static FILE *null;
	const char *dir = getenv("BERTH_TESTS_DIR");

	if (null == NULL) {
		null = fopen("/dev/null", "we");
		if (null == NULL)
			berth_fuzz_fail("cannot open /dev/null: %s", strerror(errno));
		berth_log_set_output(null);
		berth_log_set_level(BERTH_LOG_ERROR);
	}
	return dir != NULL && dir[0] != '\0' ? dir : BERTH_FUZZ_TESTS_DIR;
}

void
berth_fuzz_check_error(const struct berth_error *err, enum berth_error_kind kind,
		       const char *prefix, const char *what)
{
	const char *msg;

	if (err == NULL)
		berth_fuzz_fail("%s failed without an error", what);
	msg = berth_error_message(err);
	if (berth_error_kind(err) != kind)
		berth_fuzz_fail("%s failed with an error of kind %d, not %d: %s", what,
				(int)berth_error_kind(err), (int)kind, msg);
	if (strncmp(msg, prefix, strlen(prefix)) != 0)
		berth_fuzz_fail("%s failed with a message that does not start with '%s': %s",
				what, prefix, msg);
	if (strchr(msg, '\n') != NULL)
		berth_fuzz_fail("%s failed with a message of more than one line: %s", what, msg);
}

void
berth_fuzz_check_plan_order(const struct berth_plan *plan)
{
	for (size_t i = 0; i < plan->n_steps; i++) {
		const struct berth_step *s = &plan->steps[i];

		if (s->id != i + 1)
			berth_fuzz_fail("step %zu has id %u", i + 1, s->id);
		for (size_t j = 0; j < s->n_deps; j++) {
			if (s->deps[j] == 0 || s->deps[j] >= s->id)
				berth_fuzz_fail("step %u waits for step %u, which is not before it",
						s->id, s->deps[j]);
		}
	}
}

/* plan as printed in mode, a new string the caller frees. */
static char *
plan_printed(const struct berth_plan *plan, enum berth_out_mode mode)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	struct berth_out *out;

	if (fp == NULL)
		berth_fuzz_fail("open_memstream: %s", strerror(errno));
	out = berth_out_new(fp, mode);
	if (berth_plan_print(out, plan, PLAN_INVENTORY, &err) < 0)
		berth_fuzz_fail("berth_plan_print: %s", berth_error_message(err));
	berth_out_free(out);
	if (fclose(fp) != 0)
		berth_fuzz_fail("writing the plan to memory: %s", strerror(errno));
	return text;
}

void
berth_fuzz_check_plan_round_trip(const struct berth_plan *plan)
{
	static struct berth_fuzz_file file;
	BERTH_AUTOFREE char *text = plan_printed(plan, BERTH_OUT_TEXT);
	BERTH_AUTOFREE char *json = plan_printed(plan, BERTH_OUT_JSON);
	BERTH_AUTOFREE char *again = NULL;
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_plan) loaded = NULL;
	const char *path = berth_fuzz_file_write(&file, json, strlen(json));

	if (text[0] == '\0')
		berth_fuzz_fail("the plan printed as text is empty");
	loaded = berth_plan_load_json(path, &err);
	if (loaded == NULL)
		berth_fuzz_fail("the plan berth wrote does not load: %s\n%s",
				err != NULL ? berth_error_message(err) : "(no error)", json);
	berth_fuzz_check_plan_order(loaded);
	again = plan_printed(loaded, BERTH_OUT_JSON);
	if (strcmp(json, again) != 0)
		berth_fuzz_fail("the plan loaded back prints differently:\n%s\nthen:\n%s", json,
				again);
}

void
berth_fuzz_check_facts_round_trip(const struct berth_facts *facts)
{
	static struct berth_fuzz_file file;
	BERTH_AUTOFREE char *json = berth_facts_to_json(facts);
	BERTH_AUTOFREE char *again = NULL;
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_facts) loaded = NULL;
	const char *path = berth_fuzz_file_write(&file, json, strlen(json));

	loaded = berth_facts_load(path, &err);
	if (loaded == NULL)
		berth_fuzz_fail("the facts berth wrote do not load: %s\n%s",
				err != NULL ? berth_error_message(err) : "(no error)", json);
	again = berth_facts_to_json(loaded);
	if (strcmp(json, again) != 0)
		berth_fuzz_fail("the facts loaded back are written differently:\n%s\nthen:\n%s",
				json, again);
}

static int
is_case(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

size_t
berth_fuzz_plan_cases(const struct berth_fuzz_case **cases)
{
	static struct berth_fuzz_case *loaded;
	static size_t n_loaded;
	BERTH_AUTOFREE char *dir = NULL;
	struct dirent **names = NULL;
	int n;

	if (loaded != NULL) {
		*cases = loaded;
		return n_loaded;
	}
	dir = xasprintf("%s/plans", berth_fuzz_setup());
	n = scandir(dir, &names, is_case, alphasort);
	if (n < 0)
		berth_fuzz_fail("cannot read '%s': %s", dir, strerror(errno));
	loaded = xcalloc((size_t)n + 1, sizeof(*loaded));
	for (int i = 0; i < n; i++) {
		BERTH_AUTOFREE char *inv_path = xasprintf("%s/%s/inventory.yaml", dir,
							   names[i]->d_name);
		BERTH_AUTOFREE char *facts_path = xasprintf("%s/%s/facts.json", dir,
							     names[i]->d_name);
		struct berth_fuzz_case c = { .name = xstrdup(names[i]->d_name) };

		c.inv = berth_inventory_load(inv_path, NULL);
		c.facts = c.inv != NULL ? berth_facts_load(facts_path, NULL) : NULL;
		free(names[i]);
		if (c.facts == NULL) {
			berth_inventory_free(c.inv);
			free(c.name);
			continue;
		}
		loaded[n_loaded++] = c;
	}
	free(names);
	if (n_loaded == 0)
		berth_fuzz_fail("no inventory.yaml and facts.json that load in '%s'", dir);
	*cases = loaded;
	return n_loaded;
}
