/* struct berth_error: recorded once, with context, mapped to exit codes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>

#include "core/error.h"

static void
test_error_set_records_kind_and_message(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	berth_error_set(&err, BERTH_ERROR_HOST, "host '%s' is not reachable", "kvm2");
	assert_non_null(err);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	assert_string_equal(berth_error_message(err), "host 'kvm2' is not reachable");
}

static void
test_error_first_error_wins(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	berth_error_set(&err, BERTH_ERROR_INPUT, "the root cause");
	berth_error_set(&err, BERTH_ERROR_INTERNAL, "a consequence");
	berth_error_set_errno(&err, BERTH_ERROR_SYSTEM, EIO, "another one");
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_INPUT);
	assert_string_equal(berth_error_message(err), "the root cause");
}

static void
test_error_null_err_is_tolerated_everywhere(void **state)
{
	struct berth_error *none = NULL;

	(void)state;
	berth_error_set(NULL, BERTH_ERROR_HOST, "ignored %d", 1);
	berth_error_set_errno(NULL, BERTH_ERROR_HOST, ENOENT, "ignored");
	berth_error_prefix(NULL, "context: ");
	berth_error_prefix(&none, "context: ");
	assert_null(none);
	berth_error_free(NULL);
	berth_error_clear(&none);
	assert_null(none);
	assert_int_equal(berth_error_exit_code(NULL), 0);
}

static void
test_error_set_errno_appends_strerror(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	berth_error_set_errno(&err, BERTH_ERROR_INPUT, ENOENT, "cannot open '%s'", "inv.yaml");
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_INPUT);
	assert_string_equal(berth_error_message(err),
			    "cannot open 'inv.yaml': No such file or directory");
}

static void
test_error_prefix_puts_context_in_front(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	berth_error_set(&err, BERTH_ERROR_HOST, "mount of '%s' failed", "192.0.2.4:/nfsshare");
	berth_error_prefix(&err, "host '%s': ", "kvm2");
	berth_error_prefix(&err, "step %d: ", 3);
	assert_string_equal(berth_error_message(err),
			    "step 3: host 'kvm2': mount of '192.0.2.4:/nfsshare' failed");
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
}

static void
test_error_exit_code_is_2_for_usage_and_input_else_1(void **state)
{
	(void)state;
	for (int kind = 0; kind < BERTH_ERROR_LAST; kind++) {
		BERTH_AUTOPTR(berth_error) err = NULL;
		int expected = (kind == BERTH_ERROR_USAGE || kind == BERTH_ERROR_INPUT) ? 2 : 1;

		berth_error_set(&err, (enum berth_error_kind)kind, "kind %d", kind);
		assert_int_equal(berth_error_exit_code(err), expected);
	}
}

static void
test_error_clear_frees_and_allows_a_new_error(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	berth_error_set(&err, BERTH_ERROR_HOST, "first");
	berth_error_clear(&err);
	assert_null(err);
	berth_error_set(&err, BERTH_ERROR_INPUT, "second");
	assert_string_equal(berth_error_message(err), "second");
}

static void
test_error_message_is_one_line_whatever_it_quotes(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_error) errno_err = NULL;

	(void)state;
	berth_error_set(&err, BERTH_ERROR_HOST, "host says '%s'", "a\nb\x1b[2J");
	assert_string_equal(berth_error_message(err), "host says 'a\\x0Ab\\x1B[2J'");
	berth_error_prefix(&err, "host '%s': ", "h\r1");
	assert_string_equal(berth_error_message(err), "host 'h\\x0D1': host says 'a\\x0Ab\\x1B[2J'");
	berth_error_set_errno(&errno_err, BERTH_ERROR_SYSTEM, EIO, "cannot read '%s'", "x\ty");
	assert_string_equal(berth_error_message(errno_err),
			    "cannot read 'x\\x09y': Input/output error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_set_records_kind_and_message),
		cmocka_unit_test(test_error_first_error_wins),
		cmocka_unit_test(test_error_null_err_is_tolerated_everywhere),
		cmocka_unit_test(test_error_set_errno_appends_strerror),
		cmocka_unit_test(test_error_prefix_puts_context_in_front),
		cmocka_unit_test(test_error_exit_code_is_2_for_usage_and_input_else_1),
		cmocka_unit_test(test_error_clear_frees_and_allows_a_new_error),
		cmocka_unit_test(test_error_message_is_one_line_whatever_it_quotes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
