/* struct berth_buf: its invariants hold through every operation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"

/* The invariants written at the top of core/buf.h. */
static void
assert_invariants(const struct berth_buf *sb)
{
	assert_non_null(sb->buf);
	assert_int_equal(sb->buf[sb->len], '\0');
	if (sb->alloc == 0) {
		assert_ptr_equal(sb->buf, berth_buf_empty);
		assert_int_equal(sb->len, 0);
	} else {
		assert_true(sb->len < sb->alloc);
	}
}

static void
test_buf_init_macro_is_an_empty_string_without_memory(void **state)
{
	struct berth_buf sb = BERTH_BUF_INIT;

	(void)state;
	assert_invariants(&sb);
	assert_int_equal(sb.alloc, 0);
	assert_string_equal(sb.buf, "");
}

static void
test_buf_init_with_hint_allocates_but_stays_empty(void **state)
{
	struct berth_buf sb;

	(void)state;
	berth_buf_init(&sb, 100);
	assert_invariants(&sb);
	assert_true(sb.alloc > 100);
	assert_int_equal(sb.len, 0);
	berth_buf_release(&sb);
}

static void
test_buf_add_and_addch_append(void **state)
{
	BERTH_AUTOBUF struct berth_buf sb = BERTH_BUF_INIT;

	(void)state;
	berth_buf_add(&sb, "kvm");
	berth_buf_addch(&sb, '2');
	berth_buf_add(&sb, "");
	assert_invariants(&sb);
	assert_string_equal(sb.buf, "kvm2");
	assert_int_equal(sb.len, 4);
}

static void
test_buf_addf_formats_and_appends(void **state)
{
	BERTH_AUTOBUF struct berth_buf sb = BERTH_BUF_INIT;

	(void)state;
	berth_buf_add(&sb, "host ");
	berth_buf_addf(&sb, "'%s' has %d vCPUs", "kvm1", 8);
	assert_invariants(&sb);
	assert_string_equal(sb.buf, "host 'kvm1' has 8 vCPUs");
}

static void
test_buf_addf_grows_past_initial_allocation(void **state)
{
	BERTH_AUTOBUF struct berth_buf sb = BERTH_BUF_INIT;
	char big[1000];
	size_t first_alloc;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	berth_buf_init(&sb, 8);
	first_alloc = sb.alloc;
	berth_buf_addf(&sb, "<%s>", big);
	assert_invariants(&sb);
	assert_true(sb.alloc > first_alloc);
	assert_int_equal(sb.len, sizeof(big) + 1);
	assert_int_equal(sb.buf[0], '<');
	assert_int_equal(sb.buf[sb.len - 1], '>');
	assert_int_equal(strspn(sb.buf + 1, "x"), sizeof(big) - 1);
}

static void
test_buf_addn_keeps_embedded_nul(void **state)
{
	BERTH_AUTOBUF struct berth_buf sb = BERTH_BUF_INIT;

	(void)state;
	berth_buf_addn(&sb, "a\0b", 3);
	assert_invariants(&sb);
	assert_int_equal(sb.len, 3);
	assert_memory_equal(sb.buf, "a\0b", 4);
	assert_int_equal(strlen(sb.buf), 1);
}

static void
test_buf_large_growth_keeps_every_byte(void **state)
{
	BERTH_AUTOBUF struct berth_buf sb = BERTH_BUF_INIT;
	const size_t n = 1 << 20;
	size_t first_wrong = n;

	(void)state;
	for (size_t i = 0; i < n; i++)
		berth_buf_addch(&sb, (char)('a' + i % 26));
	assert_invariants(&sb);
	assert_int_equal(sb.len, n);
	for (size_t i = 0; i < n && first_wrong == n; i++) {
		if (sb.buf[i] != (char)('a' + i % 26))
			first_wrong = i;
	}
	assert_int_equal(first_wrong, n);
}

static void
test_buf_reset_empties_but_keeps_memory(void **state)
{
	BERTH_AUTOBUF struct berth_buf sb = BERTH_BUF_INIT;
	const char *memory;
	size_t alloc;

	(void)state;
	berth_buf_add(&sb, "some text");
	memory = sb.buf;
	alloc = sb.alloc;
	berth_buf_reset(&sb);
	assert_invariants(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	assert_ptr_equal(sb.buf, memory);
	assert_int_equal(sb.alloc, alloc);
}

static void
test_buf_reset_of_unallocated_buffer_writes_nothing(void **state)
{
	struct berth_buf sb = BERTH_BUF_INIT;

	(void)state;
	berth_buf_reset(&sb);
	berth_buf_rtrim(&sb);
	berth_buf_trim_trailing_newline(&sb);
	assert_invariants(&sb);
	assert_int_equal(berth_buf_empty[0], '\0');
}

static void
test_buf_release_returns_to_init_state(void **state)
{
	struct berth_buf sb = BERTH_BUF_INIT;

	(void)state;
	berth_buf_add(&sb, "text");
	berth_buf_release(&sb);
	assert_invariants(&sb);
	assert_int_equal(sb.alloc, 0);
	berth_buf_release(&sb);
	assert_invariants(&sb);
}

static void
test_buf_detach_hands_over_the_string(void **state)
{
	struct berth_buf sb = BERTH_BUF_INIT;
	char *s;

	(void)state;
	berth_buf_add(&sb, "virsh list");
	s = berth_buf_detach(&sb);
	assert_string_equal(s, "virsh list");
	assert_invariants(&sb);
	assert_int_equal(sb.alloc, 0);
	free(s);
}

static void
test_buf_detach_of_empty_buffer_returns_allocated_empty_string(void **state)
{
	struct berth_buf sb = BERTH_BUF_INIT;
	char *s;

	(void)state;
	s = berth_buf_detach(&sb);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_ptr_not_equal(s, berth_buf_empty);
	free(s);
}

static void
test_buf_setlen_truncates(void **state)
{
	BERTH_AUTOBUF struct berth_buf sb = BERTH_BUF_INIT;

	(void)state;
	berth_buf_add(&sb, "kvm1.example.org");
	berth_buf_setlen(&sb, 4);
	assert_invariants(&sb);
	assert_string_equal(sb.buf, "kvm1");
}

static void
test_buf_rtrim_removes_all_trailing_whitespace(void **state)
{
	BERTH_AUTOBUF struct berth_buf sb = BERTH_BUF_INIT;

	(void)state;
	berth_buf_add(&sb, " x86_64 \t\r\n\n");
	berth_buf_rtrim(&sb);
	assert_invariants(&sb);
	assert_string_equal(sb.buf, " x86_64");

	berth_buf_reset(&sb);
	berth_buf_add(&sb, " \n ");
	berth_buf_rtrim(&sb);
	assert_string_equal(sb.buf, "");
}

static void
test_buf_trim_trailing_newline_removes_exactly_one(void **state)
{
	BERTH_AUTOBUF struct berth_buf sb = BERTH_BUF_INIT;

	(void)state;
	berth_buf_add(&sb, "line\n\n");
	berth_buf_trim_trailing_newline(&sb);
	assert_string_equal(sb.buf, "line\n");
	berth_buf_trim_trailing_newline(&sb);
	assert_string_equal(sb.buf, "line");
	berth_buf_trim_trailing_newline(&sb);
	assert_string_equal(sb.buf, "line");

	berth_buf_add(&sb, " \r\n");
	berth_buf_trim_trailing_newline(&sb);
	assert_invariants(&sb);
	assert_string_equal(sb.buf, "line ");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_init_macro_is_an_empty_string_without_memory),
		cmocka_unit_test(test_buf_init_with_hint_allocates_but_stays_empty),
		cmocka_unit_test(test_buf_add_and_addch_append),
		cmocka_unit_test(test_buf_addf_formats_and_appends),
		cmocka_unit_test(test_buf_addf_grows_past_initial_allocation),
		cmocka_unit_test(test_buf_addn_keeps_embedded_nul),
		cmocka_unit_test(test_buf_large_growth_keeps_every_byte),
		cmocka_unit_test(test_buf_reset_empties_but_keeps_memory),
		cmocka_unit_test(test_buf_reset_of_unallocated_buffer_writes_nothing),
		cmocka_unit_test(test_buf_release_returns_to_init_state),
		cmocka_unit_test(test_buf_detach_hands_over_the_string),
		cmocka_unit_test(test_buf_detach_of_empty_buffer_returns_allocated_empty_string),
		cmocka_unit_test(test_buf_setlen_truncates),
		cmocka_unit_test(test_buf_rtrim_removes_all_trailing_whitespace),
		cmocka_unit_test(test_buf_trim_trailing_newline_removes_exactly_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
