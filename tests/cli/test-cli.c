/*
 * The berth binary as a user meets it: output, streams and exit codes.
 * Run as "test-cli PATH-TO-BERTH" (tests/meson.build passes the built one).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "core/buf.h"
#include "core/json.h"

/* The commands in the table of cli/main.c: add a new command here too. */
static const char *const commands[] = { "apply", "facts", "help", "plan", "validate", "version" };
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char *berth_path;

struct result {
	int status;		/* exit status, or 128 + signal */
	struct berth_buf out;
	struct berth_buf err;
};

static void
read_all(FILE *fp, struct berth_buf *sb)
{
	char chunk[4096];
	size_t n;

	rewind(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		berth_buf_addn(sb, chunk, n);
	fclose(fp);
}

/*
 * Runs berth with args (NULL-terminated); stdout goes to stdout_path if it
 * is not NULL.  The caller releases r with result_release().
 */
static void
run_argv(struct result *r, const char *stdout_path, const char *const *args)
{
	char *argv[16] = { (char *)berth_path };
	FILE *out = tmpfile();
	FILE *err = tmpfile();
	pid_t pid;
	int status;

	for (size_t i = 0; args[i] != NULL; i++) {
		assert_true(i + 2 < sizeof(argv) / sizeof(argv[0]));
		argv[i + 1] = (char *)args[i];
	}
	assert_non_null(out);
	assert_non_null(err);

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int out_fd = stdout_path != NULL ? open(stdout_path, O_WRONLY) : fileno(out);

		dup2(out_fd, STDOUT_FILENO);
		dup2(fileno(err), STDERR_FILENO);
		execv(berth_path, argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	berth_buf_init(&r->out, 0);
	berth_buf_init(&r->err, 0);
	read_all(out, &r->out);
	read_all(err, &r->err);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NO_ARGS ((const char *const[]){ NULL })
#define run(r, ...) run_argv((r), NULL, ARGS(__VA_ARGS__))

static void
result_release(struct result *r)
{
	berth_buf_release(&r->out);
	berth_buf_release(&r->err);
}

/* Checks the exit status, showing stderr (valgrind's too) when it is wrong. */
static void
assert_status(const struct result *r, int expected)
{
	if (r->status != expected)
		print_error("berth exited %d, expected %d; stderr:\n%s\n",
			    r->status, expected, r->err.buf);
	assert_int_equal(r->status, expected);
}

static void
assert_contains(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle) == NULL)
		print_error("'%s' not found in:\n%s\n", needle, haystack);
	assert_non_null(strstr(haystack, needle));
}

/*
 * Runs berth with args and checks the exit status and both streams: each
 * must contain its needle, or be empty when the needle is NULL.  stdout goes
 * to stdout_path if it is not NULL.
 */
static void
expect_argv(int status, const char *out_has, const char *err_has,
	    const char *stdout_path, const char *const *args)
{
	struct result r;

	run_argv(&r, stdout_path, args);
	assert_status(&r, status);
	if (out_has != NULL)
		assert_contains(r.out.buf, out_has);
	else
		assert_string_equal(r.out.buf, "");
	if (err_has != NULL)
		assert_contains(r.err.buf, err_has);
	else
		assert_string_equal(r.err.buf, "");
	result_release(&r);
}

#define expect(status, out_has, err_has, ...) \
	expect_argv((status), (out_has), (err_has), NULL, ARGS(__VA_ARGS__))

#define VERSION_LINE "berth " BERTH_VERSION "\n"

static void
test_cli_version_option_prints_version_and_exits_0(void **state)
{
	struct result r;

	(void)state;
	run(&r, "--version");
	assert_status(&r, 0);
	assert_string_equal(r.out.buf, VERSION_LINE);
	result_release(&r);
	expect(0, VERSION_LINE, NULL, "-V");
}

static void
test_cli_version_command_prints_the_same_as_the_option(void **state)
{
	(void)state;
	expect(0, VERSION_LINE, NULL, "version");
}

static void
test_cli_version_json_is_valid_json_with_the_version(void **state)
{
	BERTH_AUTOPTR(json_t) doc = NULL;
	json_error_t jerr;
	struct result r;

	(void)state;
	run(&r, "version", "--json");
	assert_status(&r, 0);
	doc = json_loads(r.out.buf, 0, &jerr);
	assert_non_null(doc);
	assert_int_equal(json_object_size(doc), 1);
	assert_string_equal(json_string_value(json_object_get(doc, "version")), BERTH_VERSION);
	result_release(&r);
}

/* The lines of the "Commands:" section of the usage. */
static size_t
count_command_lines(const char *usage)
{
	const char *p = strstr(usage, "\nCommands:\n");
	size_t n = 0;

	assert_non_null(p);
	for (p = strchr(p + 1, '\n') + 1; strncmp(p, "  ", 2) == 0; p = strchr(p, '\n') + 1)
		n++;
	return n;
}

static void
test_cli_help_option_lists_every_command_and_exits_0(void **state)
{
	struct result r;

	(void)state;
	run(&r, "--help");
	assert_status(&r, 0);
	assert_contains(r.out.buf, "usage: berth");
	for (size_t i = 0; i < N_COMMANDS; i++) {
		BERTH_AUTOFREE char *line = xasprintf("\n  %s ", commands[i]);

		assert_contains(r.out.buf, line);
	}
	assert_int_equal(count_command_lines(r.out.buf), N_COMMANDS);
	assert_string_equal(r.err.buf, "");
	result_release(&r);
}

static void
test_cli_help_command_shows_each_command_usage(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_COMMANDS; i++) {
		BERTH_AUTOFREE char *usage = xasprintf("usage: berth %s", commands[i]);

		expect(0, usage, NULL, "help", commands[i]);
		expect(0, "--help", NULL, "help", commands[i]);
		expect(0, usage, NULL, commands[i], "--help");
	}
}

static void
test_cli_no_arguments_prints_usage_to_stderr_and_exits_2(void **state)
{
	(void)state;
	expect_argv(2, NULL, "usage: berth", NULL, NO_ARGS);
}

static void
test_cli_unknown_command_exits_2_without_a_far_suggestion(void **state)
{
	struct result r;

	(void)state;
	run(&r, "bogus");
	assert_status(&r, 2);
	assert_string_equal(r.err.buf, "berth: unknown command 'bogus'\nsee 'berth --help'\n");
	result_release(&r);
}

static void
test_cli_unknown_command_close_to_one_gets_a_suggestion(void **state)
{
	(void)state;
	expect(2, NULL, "berth: unknown command 'vresion' (did you mean 'version'?)\n",
	       "vresion");
}

static void
test_cli_unknown_option_exits_2(void **state)
{
	(void)state;
	expect(2, NULL, "berth: unknown option '--bogus'\nsee 'berth --help'\n", "--bogus");
	expect(2, NULL, "berth: unknown option '-x'\n", "-x", "version");
	expect(2, NULL, "berth: option '--ver' is ambiguous\n", "--ver");
}

static void
test_cli_command_usage_errors_exit_2_and_point_to_its_help(void **state)
{
	(void)state;
	expect(2, NULL, "berth: unknown option '--jsn' for command 'version' "
	       "(did you mean '--json'?)\nsee 'berth help version'\n", "version", "--jsn");
	expect(2, NULL, "option '--json' takes no argument", "version", "--json=yes");
	expect(2, NULL, "unexpected argument 'extra' for command 'version'", "version", "extra");
	expect(2, NULL, "unknown command 'bogus'", "help", "bogus");
}

static void
test_cli_double_dash_ends_global_options(void **state)
{
	(void)state;
	expect(0, VERSION_LINE, NULL, "-v", "--", "version");
}

static void
test_cli_verbose_twice_logs_debug_lines_to_stderr(void **state)
{
	(void)state;
	expect(0, VERSION_LINE, " debug: berth " BERTH_VERSION ": running command 'version'\n",
	       "-vv", "version");
}

static void
test_cli_output_that_cannot_be_written_exits_1(void **state)
{
	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	expect_argv(1, NULL, "berth: cannot write the output: No space left on device\n",
		    "/dev/full", ARGS("version", "--json"));
	expect_argv(1, NULL, "berth: cannot write standard output", "/dev/full",
		    ARGS("--help"));
}

/*
 * The path of tests/inventories/NAME in the source tree, from the
 * BERTH_TESTS_DIR meson sets (the caller frees it), or NULL without it.
 */
static char *
inventory_path(const char *name)
{
	const char *dir = getenv("BERTH_TESTS_DIR");

	return dir != NULL ? xasprintf("%s/inventories/%s", dir, name) : NULL;
}

static void
test_cli_validate_accepts_a_valid_inventory_and_exits_0(void **state)
{
	BERTH_AUTOFREE char *path = inventory_path("valid/full.yaml");
	BERTH_AUTOFREE char *line = NULL;

	(void)state;
	if (path == NULL)
		skip();
	line = xasprintf("inventory '%s' is valid: 3 hosts, 1 storage, 3 domains\n", path);
	expect(0, line, NULL, "validate", "-i", path);
	expect(0, line, NULL, "validate", "--inventory", path);
}

static void
test_cli_validate_reports_file_line_column_and_exits_2(void **state)
{
	BERTH_AUTOFREE char *path = inventory_path("invalid/unknown-host-suggestion.yaml");
	BERTH_AUTOFREE char *line = NULL;

	(void)state;
	if (path == NULL)
		skip();
	line = xasprintf("berth: %s:9:11: domain 'web1': host 'kvm3' is not defined "
			 "(did you mean 'kvm2'?)\n", path);
	expect(2, NULL, line, "validate", "-i", path);
}

static void
test_cli_validate_needs_a_readable_inventory(void **state)
{
	(void)state;
	expect(2, NULL, "berth: missing option '--inventory' for command 'validate'\n"
	       "see 'berth help validate'\n", "validate");
	expect(2, NULL, "berth: cannot read inventory 'no/such.yaml': No such file or directory\n",
	       "validate", "-i", "no/such.yaml");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_version_option_prints_version_and_exits_0),
		cmocka_unit_test(test_cli_version_command_prints_the_same_as_the_option),
		cmocka_unit_test(test_cli_version_json_is_valid_json_with_the_version),
		cmocka_unit_test(test_cli_help_option_lists_every_command_and_exits_0),
		cmocka_unit_test(test_cli_help_command_shows_each_command_usage),
		cmocka_unit_test(test_cli_no_arguments_prints_usage_to_stderr_and_exits_2),
		cmocka_unit_test(test_cli_unknown_command_exits_2_without_a_far_suggestion),
		cmocka_unit_test(test_cli_unknown_command_close_to_one_gets_a_suggestion),
		cmocka_unit_test(test_cli_unknown_option_exits_2),
		cmocka_unit_test(test_cli_command_usage_errors_exit_2_and_point_to_its_help),
		cmocka_unit_test(test_cli_double_dash_ends_global_options),
		cmocka_unit_test(test_cli_verbose_twice_logs_debug_lines_to_stderr),
		cmocka_unit_test(test_cli_output_that_cannot_be_written_exits_1),
		cmocka_unit_test(test_cli_validate_accepts_a_valid_inventory_and_exits_0),
		cmocka_unit_test(test_cli_validate_reports_file_line_column_and_exits_2),
		cmocka_unit_test(test_cli_validate_needs_a_readable_inventory),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-TO-BERTH\n", argv[0]);
		return 2;
	}
	berth_path = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
