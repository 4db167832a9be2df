/*
 * planner/render.h: the plan as text and as JSON from the same calls, and
 * the JSON read back into the same plan.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "planner/render.h"

/* The example of docs/plan.md: an image, a define, a start, a migration, a stop. */
static struct berth_plan *
example_plan(void)
{
	struct berth_plan *plan = berth_plan_new();
	struct berth_step *s;

	s = berth_plan_add_step(plan, BERTH_STEP_IMAGE_CREATE, "h3", NULL,
				"web1 needs disk image web1.qcow2 on storage share; it is not there");
	s->path = xstrdup("/srv/berth-lab/share/web1.qcow2");
	s->format = xstrdup("qcow2");
	s->size_bytes = 1073741824;
	s = berth_plan_add_step(plan, BERTH_STEP_DEFINE, "h1", "web1",
				"web1 is not defined on any host");
	s->xml = xstrdup("<domain type=\"qemu\">\n  <name>web1</name>\n</domain>\n");
	berth_step_add_dep(s, 1);
	s = berth_plan_add_step(plan, BERTH_STEP_START, "h1", "web1", "inventory says running");
	berth_step_add_dep(s, 2);
	s = berth_plan_add_step(plan, BERTH_STEP_MIGRATE_LIVE, "h1", "db1",
				"inventory places db1 on h2; it runs on h1");
	s->dest = xstrdup("h2");
	s->uri = xstrdup("qemu+ssh://root@h2.lab/system");
	s->expect.placement = xstrdup("running on h1");
	s->expect.leaves = xstrdup("running on h2");
	s->expect.memory_kib = 131072;
	berth_step_expect_host(s, "h1", "783b372f-b621-567f-b0ce-0f3e4cf32542");
	berth_step_expect_host(s, "h2", NULL);
	s = berth_plan_add_step(plan, BERTH_STEP_STOP, "h2", "db1",
				"inventory says shutoff");
	berth_step_add_dep(s, 4);
	berth_step_add_dep(s, 1);
	s = berth_plan_add_step(plan, BERTH_STEP_VERIFY, "h2", "db1",
				"check that db1 is defined and shut off on h2");
	s->state = xstrdup("shutoff");
	berth_step_add_dep(s, 5);
	return plan;
}

/* What berth_plan_print() writes in mode. */
static char *
print(const struct berth_plan *plan, enum berth_out_mode mode)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	char *text = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&text, &size);
	struct berth_out *out = berth_out_new(fp, mode);

	assert_int_equal(berth_plan_print(out, plan, "inventories/lab/inventory.yaml", &err), 0);
	assert_null(err);
	berth_out_free(out);
	fclose(fp);
	return text;
}

static void
test_render_text_reads_like_terraform(void **state)
{
	struct berth_plan *plan = example_plan();
	char *text = print(plan, BERTH_OUT_TEXT);

	(void)state;
	assert_string_equal(text,
		"berth will perform these actions to match inventories/lab/inventory.yaml:\n"
		"\n"
		"  + 1 image-create /srv/berth-lab/share/web1.qcow2 on h3 (qcow2, 1073741824 bytes)\n"
		"        web1 needs disk image web1.qcow2 on storage share; it is not there\n"
		"  + 2 define web1 on h1 (after 1)\n"
		"        web1 is not defined on any host\n"
		"  > 3 start web1 on h1 (after 2)\n"
		"        inventory says running\n"
		"  ~ 4 migrate-live db1 from h1 to h2\n"
		"        inventory places db1 on h2; it runs on h1\n"
		"  < 5 stop db1 on h2 (after 4, 1)\n"
		"        inventory says shutoff\n"
		"  ? 6 verify db1 on h2 (after 5)\n"
		"        check that db1 is defined and shut off on h2\n"
		"\n"
		"Plan: 1 define, 1 start, 1 migrate, 1 stop, 1 image.\n");
	free(text);
	berth_plan_free(plan);
}

static void
test_render_text_without_changes_is_one_line(void **state)
{
	struct berth_plan *plan = berth_plan_new();
	char *text = print(plan, BERTH_OUT_TEXT);

	(void)state;
	assert_string_equal(text, "No changes. The hosts match inventories/lab/inventory.yaml.\n");
	free(text);
	berth_plan_free(plan);
}

static void
test_render_json_without_changes(void **state)
{
	struct berth_plan *plan = berth_plan_new();
	char *text = print(plan, BERTH_OUT_JSON);

	(void)state;
	assert_string_equal(text,
		"{\n"
		"  \"format_version\": 3,\n"
		"  \"inventory\": \"inventories/lab/inventory.yaml\",\n"
		"  \"inventory_sha256\": \"\",\n"
		"  \"changes\": false,\n"
		"  \"steps\": [],\n"
		"  \"summary\": {}\n"
		"}\n");
	free(text);
	berth_plan_free(plan);
}

static void
test_render_json_has_each_field_of_each_kind(void **state)
{
	struct berth_plan *plan = example_plan();
	char *text = print(plan, BERTH_OUT_JSON);

	(void)state;
	assert_non_null(strstr(text,
		"    {\n"
		"      \"id\": 1,\n"
		"      \"kind\": \"image-create\",\n"
		"      \"path\": \"/srv/berth-lab/share/web1.qcow2\",\n"
		"      \"host\": \"h3\",\n"
		"      \"format\": \"qcow2\",\n"
		"      \"size_bytes\": 1073741824,\n"
		"      \"after\": [],\n"
		"      \"reason\": \"web1 needs disk image web1.qcow2 on storage share; it is not there\",\n"
		"      \"expect\": {\n"
		"        \"hosts\": []\n"
		"      }\n"
		"    },\n"));
	assert_non_null(strstr(text,
		"      \"kind\": \"define\",\n"
		"      \"domain\": \"web1\",\n"
		"      \"host\": \"h1\",\n"
		"      \"xml\": \"<domain type=\\\"qemu\\\">\\n  <name>web1</name>\\n</domain>\\n\",\n"
		"      \"after\": [\n"
		"        1\n"
		"      ],\n"
		"      \"reason\": \"web1 is not defined on any host\",\n"));
	assert_non_null(strstr(text, "\"kind\": \"migrate-live\",\n"
				     "      \"domain\": \"db1\",\n"
				     "      \"host\": \"h1\",\n"
				     "      \"dest\": \"h2\",\n"
				     "      \"uri\": \"qemu+ssh://root@h2.lab/system\",\n"));
	assert_non_null(strstr(text,
		"      \"expect\": {\n"
		"        \"placement\": \"running on h1\",\n"
		"        \"leaves\": \"running on h2\",\n"
		"        \"memory_kib\": 131072,\n"
		"        \"hosts\": [\n"
		"          {\n"
		"            \"host\": \"h1\",\n"
		"            \"uuid\": \"783b372f-b621-567f-b0ce-0f3e4cf32542\"\n"
		"          },\n"
		"          {\n"
		"            \"host\": \"h2\",\n"
		"            \"uuid\": null\n"));
	assert_non_null(strstr(text, "      \"state\": \"shutoff\",\n"));
	assert_non_null(strstr(text, "  \"changes\": true,\n"));
	assert_non_null(strstr(text, "    \"define\": 1,\n"));
	assert_non_null(strstr(text, "    \"verify\": 1\n"));
	free(text);
	berth_plan_free(plan);
}

/* A file in a fresh temporary folder, holding text; remove with drop(). */
static char *
temp_file(const char *text)
{
	char dir[] = "/tmp/berth-test-XXXXXX";
	char *path;
	FILE *fp;

	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/plan.json", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
drop(char *path)
{
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	free(path);
}

/*
 * Prints plan as JSON, reads it back, and checks that the plan read back
 * prints the same JSON and the same text.  Returns plan's text (the caller
 * frees it).
 */
static char *
assert_round_trips(const struct berth_plan *plan)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	char *json = print(plan, BERTH_OUT_JSON);
	char *path = temp_file(json);
	struct berth_plan *loaded = berth_plan_load_json(path, &err);
	char *again, *text, *text_again;

	assert_null(err);
	assert_non_null(loaded);
	assert_int_equal(loaded->n_steps, plan->n_steps);
	again = print(loaded, BERTH_OUT_JSON);
	assert_string_equal(again, json);
	text = print(plan, BERTH_OUT_TEXT);
	text_again = print(loaded, BERTH_OUT_TEXT);
	assert_string_equal(text_again, text);
	free(text_again);
	free(again);
	free(json);
	drop(path);
	berth_plan_free(loaded);
	return text;
}

/*
 * A step of kind with every field its row of the step-kind table names set
 * to a value made from the field's key, and an expectation.
 */
static void
add_full_step(struct berth_plan *plan, enum berth_step_kind kind)
{
	struct berth_step *s = berth_plan_add_step(plan, kind, "h1", NULL, "reason of %s",
						   berth_step_kind_name(kind));

	for (int f = 0; f < BERTH_STEP_FIELD_LAST; f++) {
		char **slot = berth_step_string_slot(s, f);

		if (!berth_step_kind_has(kind, f) || f == BERTH_STEP_FIELD_HOST)
			continue;
		if (slot != NULL)
			*slot = xasprintf("%s-%u", berth_step_field(f)->key, s->id);
		else
			*berth_step_uint_slot(s, f) = 1000 + s->id;
	}
	if (s->id > 1)
		berth_step_add_dep(s, s->id - 1);
	s->expect.placement = xstrdup("absent");
	berth_step_expect_host(s, "h1", "uuid-h1");
}

/* The table walk: a step of every kind survives JSON and text unchanged. */
static void
test_render_every_kind_of_the_table_round_trips(void **state)
{
	struct berth_plan *plan = berth_plan_new();
	char *text;

	(void)state;
	for (int k = 0; k < BERTH_STEP_LAST; k++)
		add_full_step(plan, k);
	text = assert_round_trips(plan);
	for (int k = 0; k < BERTH_STEP_LAST; k++) {
		const struct berth_step_kind_desc *kind = berth_step_kind(k);
		char *line = xasprintf("  %s %d %s", kind->symbol, k + 1, kind->name);

		/* Each kind's line, and its text fields, are in the text plan. */
		assert_non_null(strstr(text, line));
		free(line);
		for (int f = 0; f < BERTH_STEP_FIELD_LAST; f++) {
			char *value = xasprintf("%s-%d", berth_step_field(f)->key, k + 1);

			if (berth_step_kind_has(k, f) && berth_step_field(f)->text != NULL &&
			    berth_step_field(f)->type == BERTH_STEP_FIELD_STRING)
				assert_non_null(strstr(text, value));
			free(value);
		}
		if (kind->summary != NULL) {
			char *count = xasprintf("1 %s", kind->summary);

			assert_non_null(strstr(text, count));
			free(count);
		}
	}
	free(text);
	berth_plan_free(plan);
}

/*
 * docs/plan.md lists the step kinds in a table of rows "| `NAME` | `SYMBOL` |":
 * exactly the kinds of the step-kind table, with their symbols.
 */
static void
test_docs_list_every_step_kind_of_the_table(void **state)
{
	const char *dir = getenv("BERTH_TESTS_DIR");
	char *path = xasprintf("%s/../docs/plan.md", dir != NULL ? dir : "tests");
	FILE *fp = fopen(path, "r");
	char line[1024];
	unsigned rows = 0;

	(void)state;
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		char name[64], symbol[8];
		int k;

		if (sscanf(line, "| `%63[^`]` | `%7[^`]` |", name, symbol) != 2)
			continue;
		k = berth_step_kind_from_name(name);
		if (k < 0)
			fail_msg("docs/plan.md lists '%s', which is not a step kind", name);
		assert_string_equal(symbol, berth_step_kind(k)->symbol);
		rows++;
	}
	fclose(fp);
	free(path);
	assert_int_equal(rows, BERTH_STEP_LAST);
}

static void
test_load_json_gives_back_the_plan_printed(void **state)
{
	struct berth_plan *plan = example_plan();

	(void)state;
	free(assert_round_trips(plan));
	berth_plan_free(plan);
}

/* Loading text fails with "PATH: " + expected. */
static void
assert_load_fails(const char *text, const char *expected)
{
	char *path = temp_file(text);
	BERTH_AUTOPTR(berth_error) err = NULL;
	char *want = xasprintf("%s: %s", path, expected);

	assert_null(berth_plan_load_json(path, &err));
	assert_non_null(err);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_INPUT);
	assert_string_equal(berth_error_message(err), want);
	free(want);
	drop(path);
}

#define PLAN_START "{\"format_version\": 3, \"inventory_sha256\": \"\", "
#define STEP_START PLAN_START "\"steps\": [{\"id\": 1, "

static void
test_load_json_names_the_file_and_the_field_at_fault(void **state)
{
	(void)state;
	assert_load_fails("{\"format_version\": 2, \"steps\": []}",
			  "format_version: 2 is an older plan format than this berth reads (3): "
			  "make the plan again with 'berth plan --out'");
	assert_load_fails("{\"steps\": []}",
			  "format_version: missing or not an integer: this is not a plan written by berth");
	assert_load_fails("{\"format_version\": 3, \"steps\": []}",
			  "inventory_sha256: missing or not a SHA-256 in hex");
	assert_load_fails(PLAN_START "\"x\": 1}", "steps: missing or not an array");
	assert_load_fails(STEP_START "\"kind\": \"reboot\"}]}",
			  "steps[0].kind: 'reboot' is not a step kind (define, start, "
			  "migrate-live, stop, image-create, lease, verify)");
	assert_load_fails(STEP_START "\"kind\": \"start\", \"domain\": \"web1\", "
			  "\"reason\": \"r\"}]}",
			  "steps[0].host: missing (a string is needed)");
	assert_load_fails(STEP_START "\"kind\": \"define\", \"host\": \"h1\", "
			  "\"domain\": \"web1\", \"reason\": \"r\"}]}",
			  "steps[0].xml: missing (a string is needed)");
	assert_load_fails(STEP_START "\"kind\": \"start\", \"host\": \"h1\", "
			  "\"domain\": \"web1\", \"reason\": \"r\", \"after\": [1]}]}",
			  "steps[0].after: element 0 does not name an earlier step (1 to 0)");
	assert_load_fails(STEP_START "\"kind\": \"migrate-live\", \"host\": \"h1\", "
			  "\"domain\": \"web1\", \"reason\": \"r\"}]}",
			  "steps[0].dest: missing (a string is needed)");
	assert_load_fails(STEP_START "\"kind\": \"start\", \"host\": \"h1\", "
			  "\"domain\": \"web1\", \"reason\": \"r\"}]}",
			  "steps[0].expect: missing or not an object");
	assert_load_fails(STEP_START "\"kind\": \"start\", \"host\": \"h1\", "
			  "\"domain\": \"web1\", \"reason\": \"r\", \"expect\": {\"leaves\": 7}}]}",
			  "steps[0].expect.leaves: not a string");
	assert_load_fails(STEP_START "\"kind\": \"start\", \"host\": \"h1\", "
			  "\"domain\": \"web1\", \"reason\": \"r\", \"expect\": {\"hosts\": "
			  "[{\"host\": \"h1\", \"uuid\": \"a\\nb\"}]}}]}",
			  "steps[0].expect.hosts[0].uuid: holds a control character (byte 0x0a)");
	assert_load_fails(STEP_START "\"kind\": \"start\", \"host\": \"h1\", "
			  "\"domain\": \"web1\", \"reason\": \"r\", \"expect\": {}}]}",
			  "steps[0].expect.hosts: missing or not an array");
	assert_load_fails(STEP_START "\"kind\": \"start\", \"host\": \"h1\", "
			  "\"domain\": \"web1\", \"reason\": \"r\", \"expect\": {\"hosts\": "
			  "[{\"host\": \"h1\"}, 7]}}]}",
			  "steps[0].expect.hosts: element 1 is not an object");
	assert_load_fails(PLAN_START "\"steps\": [{\"id\": 2}]}",
			  "steps[0].id: not 1 (steps are numbered from 1, in order)");
}

static void
test_load_json_reports_invalid_json_with_its_position(void **state)
{
	char *path = temp_file("{\"format_version\": 1,\n  \"steps\": [}\n");
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	assert_null(berth_plan_load_json(path, &err));
	assert_non_null(err);
	assert_non_null(strstr(berth_error_message(err), "plan.json:2:"));
	drop(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_text_reads_like_terraform),
		cmocka_unit_test(test_render_text_without_changes_is_one_line),
		cmocka_unit_test(test_render_json_without_changes),
		cmocka_unit_test(test_render_json_has_each_field_of_each_kind),
		cmocka_unit_test(test_load_json_gives_back_the_plan_printed),
		cmocka_unit_test(test_render_every_kind_of_the_table_round_trips),
		cmocka_unit_test(test_docs_list_every_step_kind_of_the_table),
		cmocka_unit_test(test_load_json_names_the_file_and_the_field_at_fault),
		cmocka_unit_test(test_load_json_reports_invalid_json_with_its_position),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
