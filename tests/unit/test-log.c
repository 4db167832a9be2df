/* core/log.h: levels, line format, and whole lines from many threads. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"

/* Each test logs into a memory stream. */
struct capture {
	FILE *fp;
	char *text;
	size_t size;
};

static int
setup(void **state)
{
	struct capture *c = xcalloc(1, sizeof(*c));

	c->fp = open_memstream(&c->text, &c->size);
	assert_non_null(c->fp);
	berth_log_set_output(c->fp);
	berth_log_set_level(BERTH_LOG_WARN);
	berth_log_set_timestamps(false);
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct capture *c = *state;

	berth_log_set_output(NULL);
	berth_log_set_level(BERTH_LOG_WARN);
	berth_log_set_timestamps(false);
	fclose(c->fp);
	free(c->text);
	free(c);
	return 0;
}

/* What was logged so far (the stream is flushed after every line). */
static const char *
logged(void **state)
{
	struct capture *c = *state;

	return c->text != NULL ? c->text : "";
}

static int calls;

static int
count_call(void)
{
	return ++calls;
}

static void
test_log_level_defaults_to_warn(void **state)
{
	(void)state;
	assert_int_equal(berth_log_get_level(), BERTH_LOG_WARN);
	assert_true(berth_log_enabled(BERTH_LOG_ERROR));
	assert_true(berth_log_enabled(BERTH_LOG_WARN));
	assert_false(berth_log_enabled(BERTH_LOG_INFO));
}

static void
test_log_skips_messages_below_level(void **state)
{
	berth_log_error("e");
	berth_log_warn("w");
	berth_log_info("i");
	berth_log_debug("d");
	berth_log_trace("t");
	assert_string_equal(logged(state), "berth: error: e\nberth: warning: w\n");

	berth_log_set_level(BERTH_LOG_TRACE);
	berth_log_debug("d");
	berth_log_trace("t");
	assert_string_equal(logged(state),
			    "berth: error: e\nberth: warning: w\n"
			    "berth: debug: d\nberth: trace: t\n");
}

static void
test_log_does_not_evaluate_arguments_when_level_is_off(void **state)
{
	calls = 0;
	berth_log_debug("call %d", count_call());
	assert_int_equal(calls, 0);
	berth_log_warn("call %d", count_call());
	assert_int_equal(calls, 1);
	assert_string_equal(logged(state), "berth: warning: call 1\n");
}

static void
test_log_formats_one_line_per_message(void **state)
{
	berth_log_set_level(BERTH_LOG_INFO);
	berth_log_info("host '%s': %d domains", "kvm1", 3);
	berth_log_warn("ends in a newline already\n");
	berth_log_warn("host says '%s'", "a\nberth: error: forged\x1b[2J");
	assert_string_equal(logged(state),
			    "berth: info: host 'kvm1': 3 domains\n"
			    "berth: warning: ends in a newline already\n"
			    "berth: warning: host says 'a\\x0Aberth: error: forged\\x1B[2J'\n");
}

static void
test_log_timestamps_come_after_berth(void **state)
{
	regex_t re;

	berth_log_set_level(BERTH_LOG_DEBUG);
	berth_log_set_timestamps(true);
	berth_log_debug("gathering facts");
	assert_int_equal(regcomp(&re, "^berth: [0-2][0-9]:[0-5][0-9]:[0-6][0-9]\\.[0-9]{3} "
				 "debug: gathering facts\n$", REG_EXTENDED), 0);
	assert_int_equal(regexec(&re, logged(state), 0, NULL, 0), 0);
	regfree(&re);
}

static void
test_log_verbosity_maps_to_levels(void **state)
{
	(void)state;
	assert_int_equal(berth_log_level_from_verbosity(-1), BERTH_LOG_ERROR);
	assert_int_equal(berth_log_level_from_verbosity(0), BERTH_LOG_WARN);
	assert_int_equal(berth_log_level_from_verbosity(1), BERTH_LOG_INFO);
	assert_int_equal(berth_log_level_from_verbosity(2), BERTH_LOG_DEBUG);
	assert_int_equal(berth_log_level_from_verbosity(3), BERTH_LOG_TRACE);
	assert_int_equal(berth_log_level_from_verbosity(10), BERTH_LOG_TRACE);
}

static void
test_log_level_names_are_the_printed_words(void **state)
{
	(void)state;
	assert_string_equal(berth_log_level_name(BERTH_LOG_ERROR), "error");
	assert_string_equal(berth_log_level_name(BERTH_LOG_WARN), "warning");
	assert_string_equal(berth_log_level_name(BERTH_LOG_INFO), "info");
	assert_string_equal(berth_log_level_name(BERTH_LOG_DEBUG), "debug");
	assert_string_equal(berth_log_level_name(BERTH_LOG_TRACE), "trace");
}

#define THREADS 4
#define LINES_PER_THREAD 300

static void *
log_lines(void *arg)
{
	int thread = (int)(intptr_t)arg;
	char filler[200];

	/* Long lines, so an interleaving write would show. */
	memset(filler, 'a' + thread, sizeof(filler) - 1);
	filler[sizeof(filler) - 1] = '\0';
	for (int i = 0; i < LINES_PER_THREAD; i++)
		berth_log_warn("thread %d line %d %s", thread, i, filler);
	return NULL;
}

static void
test_log_lines_from_threads_never_interleave(void **state)
{
	pthread_t threads[THREADS];
	int seen[THREADS] = { 0 };
	BERTH_AUTOFREE char *text = NULL;
	char *saveptr = NULL;
	int lines = 0;

	for (int t = 0; t < THREADS; t++)
		assert_int_equal(pthread_create(&threads[t], NULL, log_lines,
						(void *)(intptr_t)t), 0);
	for (int t = 0; t < THREADS; t++)
		assert_int_equal(pthread_join(threads[t], NULL), 0);

	text = xstrdup(logged(state));
	for (char *line = strtok_r(text, "\n", &saveptr); line != NULL;
	     line = strtok_r(NULL, "\n", &saveptr)) {
		int thread, i, end = 0;
		char filler_byte[2] = "";

		assert_int_equal(sscanf(line, "berth: warning: thread %d line %d %n",
					&thread, &i, &end), 2);
		assert_true(thread >= 0 && thread < THREADS);
		/* Each thread's lines arrive whole and in its own order. */
		assert_int_equal(i, seen[thread]);
		seen[thread]++;
		assert_int_equal(strlen(line + end), 199);
		filler_byte[0] = (char)('a' + thread);
		assert_int_equal(strspn(line + end, filler_byte), 199);
		lines++;
	}
	assert_int_equal(lines, THREADS * LINES_PER_THREAD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_log_level_defaults_to_warn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_skips_messages_below_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_does_not_evaluate_arguments_when_level_is_off,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_formats_one_line_per_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_timestamps_come_after_berth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_verbosity_maps_to_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_level_names_are_the_printed_words,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_lines_from_threads_never_interleave,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
