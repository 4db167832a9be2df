/*
 * The berth binary as a user meets it: output, streams and exit codes.
 * Run as "test-cli PATH-TO-BERTH" (tests/meson.build passes the built one).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
 * Runs berth with args (NULL-terminated); its stdout is stdout_fd, or a
 * file read into r->out when stdout_fd is -1.  The caller releases r with
 * result_release().
 */
static void
run_fd(struct result *r, int stdout_fd, const char *const *args)
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
		dup2(stdout_fd >= 0 ? stdout_fd : fileno(out), STDOUT_FILENO);
		dup2(fileno(err), STDERR_FILENO);
		/* As a shell starts it, so that death by SIGPIPE shows. */
		signal(SIGPIPE, SIG_DFL);
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

/* run_fd() with stdout going to stdout_path if it is not NULL. */
static void
run_argv(struct result *r, const char *stdout_path, const char *const *args)
{
	int fd = stdout_path != NULL ? open(stdout_path, O_WRONLY | O_CLOEXEC) : -1;

	assert_true(stdout_path == NULL || fd >= 0);
	run_fd(r, fd, args);
	if (fd >= 0)
		close(fd);
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

/* apply's own options are checked before any host is contacted. */
static void
test_cli_apply_option_values_are_checked_first(void **state)
{
	(void)state;
	expect(2, NULL, "berth: --lock-timeout must be a duration up to 24h such as 30s, 5m or 1h, "
	       "got '5x'\nsee 'berth help apply'\n", "apply", "-i", "none.yaml", "--lock-timeout", "5x");
	expect(2, NULL, "got '25h'", "apply", "-i", "none.yaml", "--lock-timeout", "25h");
	expect(2, NULL, "berth: --json needs --yes: a JSON result cannot ask for confirmation\n",
	       "apply", "-i", "none.yaml", "--json");
	expect(2, NULL, "--parallel must be a number from 1 to 64, got '0'", "apply", "-i",
	       "none.yaml", "--parallel", "0");
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
	expect_argv(1, NULL, "berth: cannot write standard output: No space left on device\n",
		    "/dev/full", ARGS("version", "--json"));
	expect_argv(1, NULL, "berth: cannot write standard output", "/dev/full",
		    ARGS("--help"));
}

/*
 * The path of tests/FOLDER/NAME in the source tree, from the BERTH_TESTS_DIR
 * meson sets (the caller frees it), or NULL without it.
 */
static char *
tests_path(const char *folder, const char *name)
{
	const char *dir = getenv("BERTH_TESTS_DIR");

	return dir != NULL ? xasprintf("%s/%s/%s", dir, folder, name) : NULL;
}

/* tests/inventories/NAME, as tests_path() gives it. */
static char *
inventory_path(const char *name)
{
	return tests_path("inventories", name);
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

/*
 * What a test of files berth writes works with: a new empty directory, and
 * the inventory and facts of the golden case move-web1 (NULL without
 * BERTH_TESTS_DIR), which berth plans from offline.
 */
struct scratch {
	char *dir;
	char *inv;
	char *facts;
};

/* A cmocka setup: *state becomes a new struct scratch. */
static int
scratch_setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct scratch *sc = xcalloc(1, sizeof(*sc));

	sc->dir = xasprintf("%s/berth-test-cli-XXXXXX", tmp != NULL ? tmp : "/tmp");
	sc->inv = tests_path("plans", "move-web1/inventory.yaml");
	sc->facts = tests_path("plans", "move-web1/facts.json");
	*state = sc;
	return mkdtemp(sc->dir) != NULL ? 0 : -1;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes the scratch directory with all it holds, and frees *state. */
static int
scratch_teardown(void **state)
{
	struct scratch *sc = *state;

	nftw(sc->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(sc->dir);
	free(sc->inv);
	free(sc->facts);
	free(sc);
	return 0;
}

#define SCRATCH_TEST(name) \
	cmocka_unit_test_setup_teardown(name, scratch_setup, scratch_teardown)

/* The scratch of a test that plans move-web1: skips the test without it. */
static struct scratch *
plan_case(void **state)
{
	struct scratch *sc = *state;

	if (sc->inv == NULL)
		skip();
	return sc;
}

/* "plan -i INVENTORY --facts FACTS" of move-web1, for ARGS() and expect(). */
#define PLAN_MOVE_WEB1(sc) "plan", "-i", (sc)->inv, "--facts", (sc)->facts

/* The path of name in the scratch directory; the caller frees it. */
static char *
scratch_path(const struct scratch *sc, const char *name)
{
	return xasprintf("%s/%s", sc->dir, name);
}

/* Checks that the file at path holds a saved plan. */
static void
assert_saved_plan(const char *path)
{
	struct berth_buf sb = BERTH_BUF_INIT;
	FILE *fp = fopen(path, "re");

	assert_non_null(fp);
	read_all(fp, &sb);
	assert_contains(sb.buf, "\"format_version\"");
	berth_buf_release(&sb);
}

/* The permission bits of the regular file at path (not a symlink). */
static mode_t
file_mode(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	return st.st_mode & 07777;
}

/* The number of entries of dir, not counting "." and "..". */
static int
count_entries(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, NULL);

	assert_true(n >= 2);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return n - 2;
}

static void
test_cli_plan_out_saves_the_plan_mode_0600_even_under_umask_000(void **state)
{
	struct scratch *sc = plan_case(state);
	BERTH_AUTOFREE char *out = scratch_path(sc, "p.json");
	mode_t old = umask(0);

	expect(0, "migrate-live web1 from h1 to h2", NULL, PLAN_MOVE_WEB1(sc), "--out", out);
	umask(old);
	assert_int_equal(file_mode(out), 0600);
	assert_saved_plan(out);
	assert_int_equal(count_entries(sc->dir), 1);
}

static void
test_cli_plan_out_replaces_a_symlink_and_leaves_its_target(void **state)
{
	struct scratch *sc = plan_case(state);
	BERTH_AUTOFREE char *out = scratch_path(sc, "p.json");
	BERTH_AUTOFREE char *target = scratch_path(sc, "precious");
	struct berth_buf kept = BERTH_BUF_INIT;
	FILE *fp = fopen(target, "we");

	assert_non_null(fp);
	fputs("not a plan\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(symlink(target, out), 0);
	expect(0, "migrate-live", NULL, PLAN_MOVE_WEB1(sc), "--out", out);
	fp = fopen(target, "re");
	assert_non_null(fp);
	read_all(fp, &kept);
	assert_string_equal(kept.buf, "not a plan\n");
	berth_buf_release(&kept);
	assert_int_equal(file_mode(out), 0600);		/* the link itself was replaced */
	assert_saved_plan(out);
}

static void
test_cli_plan_out_that_cannot_be_written_leaves_no_temp_file(void **state)
{
	struct scratch *sc = plan_case(state);
	BERTH_AUTOFREE char *out = scratch_path(sc, "a-directory");
	BERTH_AUTOFREE char *message =
		xasprintf("berth: cannot write plan '%s': Is a directory\n", out);

	assert_int_equal(mkdir(out, 0700), 0);
	expect(1, "migrate-live", message, PLAN_MOVE_WEB1(sc), "--out", out);
	assert_int_equal(count_entries(sc->dir), 1);
	assert_int_equal(count_entries(out), 0);
}

/*
 * Writes an inventory whose one host cannot be reached (no known_hosts, a
 * closed port on loopback) into the scratch directory; returns its path,
 * which the caller frees.
 */
static char *
write_unreachable_inventory(const struct scratch *sc)
{
	char *path = scratch_path(sc, "inventory.yaml");
	FILE *fp = fopen(path, "we");

	assert_non_null(fp);
	fprintf(fp, "hosts:\n  h1:\n    address: 127.0.0.1\n    port: 1\n"
		"    key: %s/no-key\n    known_hosts: %s/no-known-hosts\n", sc->dir, sc->dir);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void
test_cli_facts_output_is_mode_0600_even_under_umask_000(void **state)
{
	struct scratch *sc = *state;
	BERTH_AUTOFREE char *inv = write_unreachable_inventory(sc);
	BERTH_AUTOFREE char *out = scratch_path(sc, "facts.json");
	struct berth_buf saved = BERTH_BUF_INIT;
	mode_t old = umask(0);
	FILE *fp;

	expect(0, NULL, "berth: warning: host 'h1' is unreachable", "facts", "-i", inv, "-o", out);
	umask(old);
	assert_int_equal(file_mode(out), 0600);
	fp = fopen(out, "re");
	assert_non_null(fp);
	read_all(fp, &saved);
	assert_contains(saved.buf, "\"reachable\": false");
	berth_buf_release(&saved);
	assert_int_equal(count_entries(sc->dir), 2);
}

/* Runs berth with args writing to a pipe nobody reads; checks how it ends. */
static void
expect_reader_gone(const char *const *args)
{
	struct result r;
	int fds[2];

	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	close(fds[0]);
	run_fd(&r, fds[1], args);
	close(fds[1]);
	assert_status(&r, 1);		/* not 128 + SIGPIPE */
	assert_contains(r.err.buf, "berth: cannot write standard output: Broken pipe\n");
	result_release(&r);
}

static void
test_cli_reader_gone_exits_1_with_broken_pipe_not_by_sigpipe(void **state)
{
	struct scratch *sc = *state;
	BERTH_AUTOFREE char *unreachable = write_unreachable_inventory(sc);

	expect_reader_gone(ARGS("--help"));
	expect_reader_gone(ARGS("facts", "-i", unreachable));
	sc = plan_case(state);
	expect_reader_gone(ARGS(PLAN_MOVE_WEB1(sc)));
	expect_reader_gone(ARGS(PLAN_MOVE_WEB1(sc), "--json"));
}

static void
test_cli_plan_out_is_saved_though_the_reader_is_gone(void **state)
{
	struct scratch *sc = plan_case(state);
	BERTH_AUTOFREE char *out = scratch_path(sc, "p.json");

	expect_reader_gone(ARGS(PLAN_MOVE_WEB1(sc), "--out", out));
	assert_saved_plan(out);
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
		cmocka_unit_test(test_cli_apply_option_values_are_checked_first),
		cmocka_unit_test(test_cli_command_usage_errors_exit_2_and_point_to_its_help),
		cmocka_unit_test(test_cli_double_dash_ends_global_options),
		cmocka_unit_test(test_cli_verbose_twice_logs_debug_lines_to_stderr),
		cmocka_unit_test(test_cli_output_that_cannot_be_written_exits_1),
		cmocka_unit_test(test_cli_validate_accepts_a_valid_inventory_and_exits_0),
		cmocka_unit_test(test_cli_validate_reports_file_line_column_and_exits_2),
		cmocka_unit_test(test_cli_validate_needs_a_readable_inventory),
		SCRATCH_TEST(test_cli_plan_out_saves_the_plan_mode_0600_even_under_umask_000),
		SCRATCH_TEST(test_cli_plan_out_replaces_a_symlink_and_leaves_its_target),
		SCRATCH_TEST(test_cli_plan_out_that_cannot_be_written_leaves_no_temp_file),
		SCRATCH_TEST(test_cli_facts_output_is_mode_0600_even_under_umask_000),
		SCRATCH_TEST(test_cli_reader_gone_exits_1_with_broken_pipe_not_by_sigpipe),
		SCRATCH_TEST(test_cli_plan_out_is_saved_though_the_reader_is_gone),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-TO-BERTH\n", argv[0]);
		return 2;
	}
	berth_path = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
