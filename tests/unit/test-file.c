/*
 * core/file.h: files replaced atomically with exactly their mode, symlinks
 * at the path replaced rather than followed, failures that leave the old
 * file and no temporary file, and writes whose failure keeps its errno.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/file.h"

/* A fresh directory under $TMPDIR for one test; *state is its path. */
static int
setup_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/berth-test-file-XXXXXX", tmp != NULL ? tmp : "/tmp");

	if (mkdtemp(dir) == NULL) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

/* Removes the directory and what the test left in it: files, links, empty directories. */
static int
teardown_dir(void **state)
{
	char *dir = *state;
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		BERTH_AUTOFREE char *path = xasprintf("%s/%s", dir, e->d_name);

		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    unlink(path) < 0)
			rmdir(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(dir);
	free(dir);
	return 0;
}

/* Checks that the entries of dir but "." and "..", sorted, are names ("a b"). */
static void
assert_entries(const char *dir, const char *names)
{
	BERTH_AUTOBUF struct berth_buf sb = BERTH_BUF_INIT;
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);

	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		if (strcmp(list[i]->d_name, ".") != 0 && strcmp(list[i]->d_name, "..") != 0)
			berth_buf_addf(&sb, "%s%s", sb.len > 0 ? " " : "", list[i]->d_name);
		free(list[i]);
	}
	free(list);
	assert_string_equal(sb.buf, names);
}

/* Checks that the file at path holds exactly text. */
static void
assert_text(const char *path, const char *text)
{
	BERTH_AUTOBUF struct berth_buf sb = BERTH_BUF_INIT;
	FILE *fp = fopen(path, "re");
	char chunk[512];
	size_t n;

	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		berth_buf_addn(&sb, chunk, n);
	fclose(fp);
	assert_string_equal(sb.buf, text);
}

static void
write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "we");

	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	return st.st_mode & 07777;
}

/* berth_file_write_atomic() of text, expected to succeed. */
static void
write_ok(const char *path, const char *text, mode_t mode)
{
	BERTH_AUTOPTR(berth_error) err = NULL;

	if (berth_file_write_atomic(path, "plan", text, strlen(text), mode, &err) < 0)
		fail_msg("%s", berth_error_message(err));
	assert_null(err);
}

/* berth_file_write_atomic() of text, expected to fail with message. */
static void
write_fails(const char *path, const char *text, const char *message)
{
	BERTH_AUTOPTR(berth_error) err = NULL;

	assert_int_equal(berth_file_write_atomic(path, "plan", text, strlen(text), 0600, &err),
			 -1);
	assert_non_null(err);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_SYSTEM);
	assert_string_equal(berth_error_message(err), message);
}

static void
test_file_write_atomic_creates_exactly_mode_0600_under_umask_000(void **state)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/p.json", (char *)*state);
	mode_t old = umask(0);

	write_ok(path, "{}\n", 0600);
	umask(old);
	assert_int_equal(mode_of(path), 0600);
	assert_text(path, "{}\n");
	assert_entries(*state, "p.json");
}

static void
test_file_write_atomic_sets_the_mode_whatever_the_umask(void **state)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/p.json", (char *)*state);
	mode_t old = umask(0777);

	write_ok(path, "x", 0640);
	umask(old);
	assert_int_equal(mode_of(path), 0640);
}

static void
test_file_write_atomic_replaces_a_file_with_the_new_mode_and_breaks_hard_links(void **state)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/facts.json", (char *)*state);
	BERTH_AUTOFREE char *other = xasprintf("%s/other-link", (char *)*state);

	write_text(path, "old\n");
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(link(path, other), 0);
	write_ok(path, "new\n", 0600);
	assert_int_equal(mode_of(path), 0600);
	assert_text(path, "new\n");
	assert_text(other, "old\n");
}

static void
test_file_write_atomic_replaces_a_symlink_and_leaves_its_target(void **state)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/p.json", (char *)*state);
	BERTH_AUTOFREE char *target = xasprintf("%s/target", (char *)*state);

	write_text(target, "precious\n");
	assert_int_equal(chmod(target, 0644), 0);
	assert_int_equal(symlink("target", path), 0);
	write_ok(path, "plan\n", 0600);
	assert_int_equal(mode_of(path), 0600);	/* a file now, not a link */
	assert_text(path, "plan\n");
	assert_text(target, "precious\n");
	assert_int_equal(mode_of(target), 0644);
}

static void
test_file_write_atomic_to_a_dangling_symlink_does_not_create_its_target(void **state)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/p.json", (char *)*state);

	assert_int_equal(symlink("created-through-the-link", path), 0);
	write_ok(path, "plan\n", 0600);
	assert_entries(*state, "p.json");
}

static void
test_file_write_atomic_that_fails_leaves_the_old_file_and_no_temp_file(void **state)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/p.json", (char *)*state);
	BERTH_AUTOFREE char *message = xasprintf("cannot write plan '%s': File too large", path);
	BERTH_AUTOPTR(berth_error) err = NULL;
	char big[4096];
	struct rlimit saved, small;
	int rc;

	write_text(path, "old plan\n");
	memset(big, 'x', sizeof(big));
	/* Files may grow to 16 bytes: the write fails with EFBIG, not SIGXFSZ. */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	small = saved;
	small.rlim_cur = 16;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	rc = berth_file_write_atomic(path, "plan", big, sizeof(big), 0600, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);	/* before any assert fails */
	signal(SIGXFSZ, SIG_DFL);

	assert_int_equal(rc, -1);
	assert_non_null(err);
	assert_string_equal(berth_error_message(err), message);
	assert_text(path, "old plan\n");
	assert_entries(*state, "p.json");
}

static void
test_file_write_atomic_over_a_directory_fails_and_removes_its_temp_file(void **state)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/sub", (char *)*state);
	BERTH_AUTOFREE char *message = xasprintf("cannot write plan '%s': Is a directory", path);

	assert_int_equal(mkdir(path, 0700), 0);
	write_fails(path, "plan\n", message);
	assert_entries(*state, "sub");
}

static void
test_file_write_atomic_names_the_path_in_a_missing_directory(void **state)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/none/p.json", (char *)*state);
	BERTH_AUTOFREE char *message =
		xasprintf("cannot write plan '%s': No such file or directory", path);
	BERTH_AUTOFREE char *unnamed =
		xasprintf("cannot write '%s': No such file or directory", path);
	BERTH_AUTOPTR(berth_error) err = NULL;

	write_fails(path, "plan\n", message);
	/* Without a name for the file, the message has none either. */
	assert_int_equal(berth_file_write_atomic(path, NULL, "x", 1, 0600, &err), -1);
	assert_string_equal(berth_error_message(err), unnamed);
}

static void
test_file_write_atomic_refuses_a_path_that_names_no_file(void **state)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/", (char *)*state);
	BERTH_AUTOFREE char *message = xasprintf("cannot write plan '%s': Is a directory", path);

	write_fails(path, "plan\n", message);
	write_fails("", "plan\n", "cannot write plan '': No such file or directory");
	assert_entries(*state, "");
}

static void
test_file_write_atomic_of_a_bare_name_writes_in_the_current_directory(void **state)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/p.json", (char *)*state);
	char cwd[4096];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(*state), 0);
	write_ok("p.json", "here\n", 0600);
	assert_int_equal(chdir(cwd), 0);
	assert_text(path, "here\n");
}

static void
test_file_write_stream_reports_a_reader_gone_as_broken_pipe(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	int fds[2];
	FILE *fp;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	fp = fdopen(fds[1], "w");
	assert_non_null(fp);
	signal(SIGPIPE, SIG_IGN);		/* as berth's main() does */
	assert_int_equal(berth_file_write_stream(fp, "standard output", "plan\n", 5, &err), -1);
	signal(SIGPIPE, SIG_DFL);
	assert_non_null(err);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_SYSTEM);
	assert_string_equal(berth_error_message(err), "cannot write standard output: Broken pipe");
	fclose(fp);
}

static void
test_file_write_stream_writes_after_what_the_stream_holds(void **state)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/out", (char *)*state);
	BERTH_AUTOPTR(berth_error) err = NULL;
	FILE *fp = fopen(path, "we");

	assert_non_null(fp);
	fputs("first\n", fp);				/* still in fp's buffer */
	assert_int_equal(berth_file_write_stream(fp, "out", "second\n", 7, &err), 0);
	assert_null(err);
	assert_int_equal(fclose(fp), 0);
	assert_text(path, "first\nsecond\n");
}

#define DIR_TEST(name) cmocka_unit_test_setup_teardown(name, setup_dir, teardown_dir)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		DIR_TEST(test_file_write_atomic_creates_exactly_mode_0600_under_umask_000),
		DIR_TEST(test_file_write_atomic_sets_the_mode_whatever_the_umask),
		DIR_TEST(test_file_write_atomic_replaces_a_file_with_the_new_mode_and_breaks_hard_links),
		DIR_TEST(test_file_write_atomic_replaces_a_symlink_and_leaves_its_target),
		DIR_TEST(test_file_write_atomic_to_a_dangling_symlink_does_not_create_its_target),
		DIR_TEST(test_file_write_atomic_that_fails_leaves_the_old_file_and_no_temp_file),
		DIR_TEST(test_file_write_atomic_over_a_directory_fails_and_removes_its_temp_file),
		DIR_TEST(test_file_write_atomic_names_the_path_in_a_missing_directory),
		DIR_TEST(test_file_write_atomic_refuses_a_path_that_names_no_file),
		DIR_TEST(test_file_write_atomic_of_a_bare_name_writes_in_the_current_directory),
		cmocka_unit_test(test_file_write_stream_reports_a_reader_gone_as_broken_pipe),
		DIR_TEST(test_file_write_stream_writes_after_what_the_stream_holds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
