/* core/json.h: loading JSON files, with file:line:column errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <unistd.h>

#include "core/json.h"
#include "tests/fixture/fixture.h"

/* Loads content from a temporary file; returns the value, or NULL and *err. */
static json_t *
load(const char *content, char **path_out, struct berth_error **err)
{
	char *path = berth_fx_write_temp(content);
	json_t *value = berth_json_load_file(path, err);

	unlink(path);
	*path_out = path;
	return value;
}

static void
test_json_load_file_reads_a_valid_document(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(json_t) value = NULL;
	BERTH_AUTOFREE char *path = NULL;

	(void)state;
	value = load("{\"hosts\": [{\"name\": \"kvm1\", \"memory_mib\": 4096}]}\n", &path, &err);
	assert_null(err);
	assert_non_null(value);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(value, "hosts"), 0), "name")), "kvm1");
}

static void
test_json_load_file_error_names_path_line_and_column(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOFREE char *path = NULL;
	BERTH_AUTOFREE char *expected = NULL;

	(void)state;
	assert_null(load("{\n  \"a\": 1,\n  \"b\": ]\n}\n", &path, &err));
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_INPUT);
	expected = xasprintf("%s:3:8: unexpected token near ']'", path);
	assert_string_equal(berth_error_message(err), expected);
}

static void
test_json_load_file_rejects_duplicate_keys(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOFREE char *path = NULL;
	BERTH_AUTOFREE char *expected = NULL;

	(void)state;
	assert_null(load("{\"a\": 1, \"a\": 2}", &path, &err));
	expected = xasprintf("%s:1:12: duplicate object key near '\"a\"'", path);
	assert_string_equal(berth_error_message(err), expected);
}

static void
test_json_load_file_missing_file_names_the_path(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	assert_null(berth_json_load_file("/nonexistent/facts.json", &err));
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_INPUT);
	assert_string_equal(berth_error_message(err),
			    "cannot open '/nonexistent/facts.json': No such file or directory");
}

static void
test_json_load_file_of_a_directory_is_a_read_error(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	assert_null(berth_json_load_file("/", &err));
	assert_string_equal(berth_error_message(err), "cannot read '/': Is a directory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_load_file_reads_a_valid_document),
		cmocka_unit_test(test_json_load_file_error_names_path_line_and_column),
		cmocka_unit_test(test_json_load_file_rejects_duplicate_keys),
		cmocka_unit_test(test_json_load_file_missing_file_names_the_path),
		cmocka_unit_test(test_json_load_file_of_a_directory_is_a_read_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
