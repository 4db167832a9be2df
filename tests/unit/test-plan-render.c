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
	s = berth_plan_add_step(plan, BERTH_STEP_STOP, "h2", "db1",
				"inventory says shutoff");
	berth_step_add_dep(s, 4);
	berth_step_add_dep(s, 1);
	s = berth_plan_add_step(plan, BERTH_STEP_VERIFY, "h2", "db1",
				"check that db1 is defined and shut off on h2");
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
		"  \"format_version\": 1,\n"
		"  \"inventory\": \"inventories/lab/inventory.yaml\",\n"
		"  \"changes\": false,\n"
		"  \"steps\": [],\n"
		"  \"summary\": {\n"
		"    \"define\": 0,\n"
		"    \"start\": 0,\n"
		"    \"migrate-live\": 0,\n"
		"    \"stop\": 0,\n"
		"    \"image-create\": 0,\n"
		"    \"verify\": 0\n"
		"  }\n"
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
		"      \"domain\": null,\n"
		"      \"path\": \"/srv/berth-lab/share/web1.qcow2\",\n"
		"      \"host\": \"h3\",\n"
		"      \"dest\": null,\n"
		"      \"format\": \"qcow2\",\n"
		"      \"size_bytes\": 1073741824,\n"
		"      \"after\": [],\n"
		"      \"reason\": \"web1 needs disk image web1.qcow2 on storage share; it is not there\"\n"
		"    },\n"));
	assert_non_null(strstr(text,
		"      \"kind\": \"define\",\n"
		"      \"domain\": \"web1\",\n"
		"      \"host\": \"h1\",\n"
		"      \"dest\": null,\n"
		"      \"after\": [\n"
		"        1\n"
		"      ],\n"
		"      \"reason\": \"web1 is not defined on any host\",\n"
		"      \"xml\": \"<domain type=\\\"qemu\\\">\\n  <name>web1</name>\\n</domain>\\n\"\n"));
	assert_non_null(strstr(text, "\"kind\": \"migrate-live\",\n"
				     "      \"domain\": \"db1\",\n"
				     "      \"host\": \"h1\",\n"
				     "      \"dest\": \"h2\",\n"));
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

static void
test_load_json_gives_back_the_plan_printed(void **state)
{
	struct berth_plan *plan = example_plan();
	char *json = print(plan, BERTH_OUT_JSON);
	char *path = temp_file(json);
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_plan *loaded = berth_plan_load_json(path, &err);
	char *again, *text, *text_again;

	(void)state;
	assert_null(err);
	assert_non_null(loaded);
	again = print(loaded, BERTH_OUT_JSON);
	assert_string_equal(again, json);
	text = print(plan, BERTH_OUT_TEXT);
	text_again = print(loaded, BERTH_OUT_TEXT);
	assert_string_equal(text_again, text);
	free(text);
	free(text_again);
	free(again);
	free(json);
	drop(path);
	berth_plan_free(loaded);
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

#define STEP_START "{\"format_version\": 1, \"steps\": [{\"id\": 1, "

static void
test_load_json_names_the_file_and_the_field_at_fault(void **state)
{
	(void)state;
	assert_load_fails("{\"format_version\": 2, \"steps\": []}",
			  "format_version: not 1: this is not a plan written by this berth");
	assert_load_fails("{\"format_version\": 1}", "steps: missing or not an array");
	assert_load_fails(STEP_START "\"kind\": \"reboot\"}]}",
			  "steps[0].kind: 'reboot' is not a step kind (image-create, define, "
			  "start, stop, migrate-live, verify)");
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
			  "steps[0].dest: missing (a migration needs a destination)");
	assert_load_fails("{\"format_version\": 1, \"steps\": [{\"id\": 2}]}",
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
		cmocka_unit_test(test_load_json_names_the_file_and_the_field_at_fault),
		cmocka_unit_test(test_load_json_reports_invalid_json_with_its_position),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
