/* core/output.h: one sequence of calls gives both the text and the JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>

#include "core/json.h"
#include "core/output.h"

/* An output into memory; finish() ends it and returns what was written. */
struct capture {
	FILE *fp;
	char *text;
	size_t size;
	struct berth_out *out;
};

static struct berth_out *
start(struct capture *c, enum berth_out_mode mode)
{
	c->fp = open_memstream(&c->text, &c->size);
	assert_non_null(c->fp);
	c->out = berth_out_new(c->fp, mode);
	return c->out;
}

static const char *
finish(struct capture *c)
{
	BERTH_AUTOPTR(berth_error) err = NULL;

	assert_int_equal(berth_out_finish(c->out, &err), 0);
	assert_null(err);
	berth_out_free(c->out);
	fclose(c->fp);
	return c->text;
}

static void
release(struct capture *c)
{
	free(c->text);
}

/* What a command would print about one host. */
static void
print_host(struct berth_out *out)
{
	berth_out_text(out, "Host:\n");
	berth_out_string(out, "name", "  name: %s\n", "kvm1");
	berth_out_uint(out, "memory_mib", "  memory: %llu MiB\n", 4096);
	berth_out_int(out, "free_delta_mib", "  free delta: %lld MiB\n", -512);
	berth_out_bool(out, "reachable", "  reachable: %s\n", true);
	berth_out_bool(out, "nested_kvm", NULL, false);
	berth_out_null(out, "error", "  error: none\n");
	berth_out_string(out, "uuid", NULL, "4c4c4544-0042-3510-8052-b4c04f4e4d32");
	berth_out_open_array(out, "bridges");
	berth_out_string(out, NULL, "  bridge %s\n", "br0");
	berth_out_string(out, "ignored-in-array", "  bridge %s\n", "br1");
	berth_out_close_array(out);
	berth_out_open_object(out, "cpu");
	berth_out_string(out, "vendor", "  cpu: %s", "GenuineIntel");
	berth_out_open_array(out, "flags");
	berth_out_text(out, " (");
	berth_out_string(out, NULL, "%s", "vmx");
	berth_out_text(out, " ");
	berth_out_string(out, NULL, "%s", "nx");
	berth_out_text(out, ")\n");
	berth_out_close_array(out);
	berth_out_close_object(out);
	berth_out_open_array(out, "domains");
	berth_out_open_object(out, NULL);
	berth_out_string(out, "name", "  domain %s", "web1");
	berth_out_string(out, "state", " %s\n", "running");
	berth_out_close_object(out);
	berth_out_close_array(out);
}

static const char expected_text[] =
	"Host:\n"
	"  name: kvm1\n"
	"  memory: 4096 MiB\n"
	"  free delta: -512 MiB\n"
	"  reachable: true\n"
	"  error: none\n"
	"  bridge br0\n"
	"  bridge br1\n"
	"  cpu: GenuineIntel (vmx nx)\n"
	"  domain web1 running\n";

static const char expected_json[] =
	"{\n"
	"  \"name\": \"kvm1\",\n"
	"  \"memory_mib\": 4096,\n"
	"  \"free_delta_mib\": -512,\n"
	"  \"reachable\": true,\n"
	"  \"nested_kvm\": false,\n"
	"  \"error\": null,\n"
	"  \"uuid\": \"4c4c4544-0042-3510-8052-b4c04f4e4d32\",\n"
	"  \"bridges\": [\n"
	"    \"br0\",\n"
	"    \"br1\"\n"
	"  ],\n"
	"  \"cpu\": {\n"
	"    \"vendor\": \"GenuineIntel\",\n"
	"    \"flags\": [\n"
	"      \"vmx\",\n"
	"      \"nx\"\n"
	"    ]\n"
	"  },\n"
	"  \"domains\": [\n"
	"    {\n"
	"      \"name\": \"web1\",\n"
	"      \"state\": \"running\"\n"
	"    }\n"
	"  ]\n"
	"}\n";

static void
test_out_json_and_text_come_from_same_calls(void **state)
{
	struct capture text = { 0 };
	struct capture json = { 0 };

	(void)state;
	print_host(start(&text, BERTH_OUT_TEXT));
	print_host(start(&json, BERTH_OUT_JSON));
	assert_string_equal(finish(&text), expected_text);
	assert_string_equal(finish(&json), expected_json);
	release(&text);
	release(&json);
}

static void
test_out_json_parses_back_with_every_field(void **state)
{
	struct capture c = { 0 };
	BERTH_AUTOPTR(json_t) root = NULL;
	json_error_t jerr;
	json_t *cpu;

	(void)state;
	print_host(start(&c, BERTH_OUT_JSON));
	root = json_loads(finish(&c), 0, &jerr);
	release(&c);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "name")), "kvm1");
	assert_int_equal(json_integer_value(json_object_get(root, "memory_mib")), 4096);
	assert_int_equal(json_integer_value(json_object_get(root, "free_delta_mib")), -512);
	assert_true(json_is_true(json_object_get(root, "reachable")));
	assert_true(json_is_false(json_object_get(root, "nested_kvm")));
	assert_true(json_is_null(json_object_get(root, "error")));
	assert_int_equal(json_array_size(json_object_get(root, "bridges")), 2);
	cpu = json_object_get(root, "cpu");
	assert_true(json_is_object(cpu));
	assert_string_equal(json_string_value(json_array_get(json_object_get(cpu, "flags"), 1)),
			    "nx");
}

static void
test_out_json_without_fields_is_an_empty_object(void **state)
{
	struct capture c = { 0 };

	(void)state;
	start(&c, BERTH_OUT_JSON);
	berth_out_text(c.out, "only text\n");
	assert_string_equal(finish(&c), "{}\n");
	release(&c);
}

static void
test_out_uint_above_llong_max_is_written_as_a_real(void **state)
{
	struct capture c = { 0 };
	BERTH_AUTOPTR(json_t) root = NULL;
	json_t *big;

	(void)state;
	start(&c, BERTH_OUT_JSON);
	berth_out_uint(c.out, "max", NULL, LLONG_MAX);
	berth_out_uint(c.out, "above", NULL, ULLONG_MAX);
	root = json_loads(finish(&c), 0, NULL);
	release(&c);
	assert_int_equal(json_integer_value(json_object_get(root, "max")), LLONG_MAX);
	big = json_object_get(root, "above");
	assert_true(json_is_real(big));
	assert_true(json_real_value(big) > 1.8e19);
}

static void
test_out_json_replaces_bytes_that_are_not_utf8(void **state)
{
	struct capture c = { 0 };

	(void)state;
	start(&c, BERTH_OUT_JSON);
	berth_out_string(c.out, "good", NULL, "caf\xc3\xa9");
	berth_out_string(c.out, "bad", NULL, "caf\xe9!");
	assert_string_equal(finish(&c), "{\n  \"good\": \"caf\xc3\xa9\",\n  \"bad\": \"caf?!\"\n}\n");
	release(&c);
}

static void
test_out_finish_writes_once_and_free_accepts_null(void **state)
{
	struct capture c = { 0 };

	(void)state;
	start(&c, BERTH_OUT_JSON);
	berth_out_bool(c.out, "ok", NULL, true);
	assert_int_equal(berth_out_finish(c.out, NULL), 0);
	assert_int_equal(berth_out_get_mode(c.out), BERTH_OUT_JSON);
	assert_string_equal(finish(&c), "{\n  \"ok\": true\n}\n");
	release(&c);
	berth_out_free(NULL);
}

static void
test_out_free_alone_writes_the_document(void **state)
{
	struct capture c = { 0 };

	(void)state;
	start(&c, BERTH_OUT_JSON);
	berth_out_int(c.out, "n", NULL, 1);
	berth_out_free(c.out);
	fclose(c.fp);
	assert_string_equal(c.text, "{\n  \"n\": 1\n}\n");
	release(&c);
}

static void
test_out_finish_reports_a_full_disk(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_out) out = NULL;
	FILE *full = fopen("/dev/full", "w");

	(void)state;
	if (full == NULL)
		skip();
	out = berth_out_new(full, BERTH_OUT_JSON);
	berth_out_string(out, "version", NULL, "1");
	assert_int_equal(berth_out_finish(out, &err), -1);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_SYSTEM);
	assert_string_equal(berth_error_message(err),
			    "cannot write the output: No space left on device");
	berth_out_free(berth_steal_pointer(&out));
	fclose(full);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_json_and_text_come_from_same_calls),
		cmocka_unit_test(test_out_json_parses_back_with_every_field),
		cmocka_unit_test(test_out_json_without_fields_is_an_empty_object),
		cmocka_unit_test(test_out_uint_above_llong_max_is_written_as_a_real),
		cmocka_unit_test(test_out_json_replaces_bytes_that_are_not_utf8),
		cmocka_unit_test(test_out_finish_writes_once_and_free_accepts_null),
		cmocka_unit_test(test_out_free_alone_writes_the_document),
		cmocka_unit_test(test_out_finish_reports_a_full_disk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
