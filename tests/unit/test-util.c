/* core/util.h: string equality, edit distance and "did you mean" hints. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/remote.h"
#include "core/util.h"

static const char *const commands[] = { "apply", "facts", "help", "plan", "version" };
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
test_util_streq_compares_strings_and_nulls(void **state)
{
	(void)state;
	assert_true(berth_streq("kvm1", "kvm1"));
	assert_false(berth_streq("kvm1", "kvm2"));
	assert_true(berth_streq(NULL, NULL));
	assert_false(berth_streq("kvm1", NULL));
	assert_false(berth_streq(NULL, "kvm1"));
}

static void
test_util_edit_distance_of_known_pairs(void **state)
{
	(void)state;
	assert_int_equal(berth_edit_distance("", ""), 0);
	assert_int_equal(berth_edit_distance("plan", "plan"), 0);
	assert_int_equal(berth_edit_distance("", "abc"), 3);
	assert_int_equal(berth_edit_distance("abc", ""), 3);
	assert_int_equal(berth_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(berth_edit_distance("plna", "plan"), 2);
	assert_int_equal(berth_edit_distance("aply", "apply"), 1);
	assert_int_equal(berth_edit_distance("flaw", "lawn"), 2);
}

static void
test_util_edit_distance_is_symmetric(void **state)
{
	const char *words[] = { "", "kvm1", "kvm12", "vresion", "version", "br0" };

	(void)state;
	for (size_t i = 0; i < 6; i++) {
		for (size_t j = 0; j < 6; j++)
			assert_int_equal(berth_edit_distance(words[i], words[j]),
					 berth_edit_distance(words[j], words[i]));
	}
}

static void
test_util_suggest_returns_closest_within_two(void **state)
{
	(void)state;
	assert_string_equal(berth_suggest("plna", commands, N_COMMANDS), "plan");
	assert_string_equal(berth_suggest("aplly", commands, N_COMMANDS), "apply");
	assert_string_equal(berth_suggest("vresion", commands, N_COMMANDS), "version");
	assert_string_equal(berth_suggest("fact", commands, N_COMMANDS), "facts");
}

static void
test_util_suggest_returns_null_when_nothing_is_close(void **state)
{
	(void)state;
	assert_null(berth_suggest("bogus", commands, N_COMMANDS));
	assert_null(berth_suggest("migrate", commands, N_COMMANDS));
	assert_null(berth_suggest("x", commands, 0));
}

static void
test_util_suggest_returns_null_for_an_exact_match(void **state)
{
	(void)state;
	assert_null(berth_suggest("plan", commands, N_COMMANDS));
}

static void
test_util_suggest_prefers_the_first_of_equally_close(void **state)
{
	const char *const hosts[] = { "kvm1", "kvm2", "kvm3" };

	(void)state;
	assert_string_equal(berth_suggest("kvm4", hosts, 3), "kvm1");
	assert_string_equal(berth_suggest("kvm", hosts, 3), "kvm1");
}

/* Only "BERTH-NONCE WORD" lines of this nonce count; the last one wins. */
static void
test_remote_answer_ignores_banners_and_other_nonces(void **state)
{
	char nonce[BERTH_REMOTE_NONCE_LEN + 1], other[BERTH_REMOTE_NONCE_LEN + 1], word[32];
	char *out;

	(void)state;
	berth_remote_nonce(nonce);
	berth_remote_nonce(other);
	assert_int_equal(strlen(nonce), BERTH_REMOTE_NONCE_LEN);
	assert_string_not_equal(nonce, other);
	out = xasprintf("Welcome\nBERTH-%s exists\nBERTH-%s absent\nBERTH-%s Exists!\n",
			other, nonce, nonce);
	assert_int_equal(berth_remote_answer(out, nonce, word), 0);
	assert_string_equal(word, "absent");
	free(out);
	out = xasprintf("BERTH-%s exists\nBERTH-%s\n", other, nonce);
	assert_int_equal(berth_remote_answer(out, nonce, word), -1);
	free(out);
}

static void
test_remote_arg_quotes_every_value(void **state)
{
	BERTH_AUTOBUF struct berth_buf cmd = BERTH_BUF_INIT;

	(void)state;
	berth_remote_word(&cmd, "test -e");
	berth_remote_arg(&cmd, "a b;$(rm -rf /)'x");
	assert_string_equal(cmd.buf, "test -e 'a b;$(rm -rf /)'\\''x'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util_streq_compares_strings_and_nulls),
		cmocka_unit_test(test_util_edit_distance_of_known_pairs),
		cmocka_unit_test(test_util_edit_distance_is_symmetric),
		cmocka_unit_test(test_util_suggest_returns_closest_within_two),
		cmocka_unit_test(test_util_suggest_returns_null_when_nothing_is_close),
		cmocka_unit_test(test_util_suggest_returns_null_for_an_exact_match),
		cmocka_unit_test(test_util_suggest_prefers_the_first_of_equally_close),
		cmocka_unit_test(test_remote_answer_ignores_banners_and_other_nonces),
		cmocka_unit_test(test_remote_arg_quotes_every_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
