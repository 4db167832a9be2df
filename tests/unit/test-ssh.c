/*
 * executors/ssh.c: the fingerprint as OpenSSH prints it, shell quoting, a
 * connection loopback refuses, hosts that stall (a listener on loopback
 * that this test holds silent, or whose queue it keeps full), each given
 * up after the host's timeout with its stage named, and a real OpenSSH
 * server on loopback
 * (tests/fixture/sshd.h, on a free port, so known_hosts entries take the
 * "[127.0.0.1]:PORT" form): host-key verification, login, commands with
 * their output and exit status, and commands left running after their
 * first line (berth_ssh_exec_open()).  sshd runs in its own mount namespace
 * with a private /run, so nothing outside the test's directory changes;
 * the tests that need it are skipped when not run as root or when
 * /usr/sbin/sshd or ssh-keygen is missing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/util.h"
#include "executors/transport/ssh.h"
#include "tests/fixture/sshd.h"

/*
 * An ed25519 key made with ssh-keygen for this test:
 *   ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEPt2jxQTWFPrlNLKzWH676Q8rh4jWa52xUJqkuLOpal
 * `ssh-keygen -lf` prints SHA256:OjD+NDwR+vSRvNOI/xZRVq3n3ggFvkpV2SjOJ64Mhd4;
 * the SHA-256 of the key blob (what libssh2_hostkey_hash() gives) is below.
 */
static const unsigned char fixture_digest[32] = {
	0x3a, 0x30, 0xfe, 0x34, 0x3c, 0x11, 0xfa, 0xf4, 0x91, 0xbc, 0xd3, 0x88, 0xff, 0x16, 0x51, 0x56,
	0xad, 0xe7, 0xde, 0x08, 0x05, 0xbe, 0x4a, 0x55, 0xd9, 0x28, 0xce, 0x27, 0xae, 0x0c, 0x85, 0xde,
};

static void
test_fingerprint_is_what_ssh_keygen_prints(void **state)
{
	BERTH_AUTOFREE char *fp = berth_ssh_fingerprint_sha256(fixture_digest, 32);

	(void)state;
	assert_string_equal(fp, "SHA256:OjD+NDwR+vSRvNOI/xZRVq3n3ggFvkpV2SjOJ64Mhd4");
}

static void
test_fingerprint_base64_has_no_padding(void **state)
{
	BERTH_AUTOFREE char *one = berth_ssh_fingerprint_sha256((const unsigned char *)"f", 1);
	BERTH_AUTOFREE char *two = berth_ssh_fingerprint_sha256((const unsigned char *)"fo", 2);
	BERTH_AUTOFREE char *three = berth_ssh_fingerprint_sha256((const unsigned char *)"foo", 3);
	BERTH_AUTOFREE char *none = berth_ssh_fingerprint_sha256((const unsigned char *)"", 0);

	(void)state;
	assert_string_equal(one, "SHA256:Zg");		/* base64 "Zg==" */
	assert_string_equal(two, "SHA256:Zm8");		/* base64 "Zm8=" */
	assert_string_equal(three, "SHA256:Zm9v");
	assert_string_equal(none, "SHA256:");
}

static void
test_shell_quote_survives_single_quotes(void **state)
{
	BERTH_AUTOFREE char *plain = berth_shell_quote("/srv/share");
	BERTH_AUTOFREE char *quotes = berth_shell_quote("it's a 'test'");
	BERTH_AUTOFREE char *empty = berth_shell_quote("");

	(void)state;
	assert_string_equal(plain, "'/srv/share'");
	assert_string_equal(quotes, "'it'\\''s a '\\''test'\\'''");
	assert_string_equal(empty, "''");
}

/* The server and the files of one test run (tests/fixture/sshd.h). */
static struct berth_fx_sshd srv;
static char *other_known_hosts;	/* another key under the server's name */
static char *empty_known_hosts;
static char *fingerprint;	/* of the server's key, as ssh-keygen prints it */

/* The whole file at path, or NULL. */
static char *
slurp(const char *path)
{
	struct berth_buf text = BERTH_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		berth_buf_addn(&text, chunk, n);
	fclose(fp);
	berth_buf_trim_trailing_newline(&text);
	return berth_buf_detach(&text);
}

static void
test_connect_refused_names_the_host_address_and_port(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	unsigned port = berth_fx_free_port();
	struct berth_host host = {
		.name = "lo", .address = "127.0.0.1", .user = "root", .port = port,
		.key = "/nonexistent/key", .known_hosts = "/dev/null",
	};
	BERTH_AUTOFREE char *expected =
		xasprintf("host 'lo': cannot connect to '127.0.0.1' port %u: Connection refused", port);

	(void)state;
	assert_null(berth_ssh_connect(&host, &err));
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	assert_string_equal(berth_error_message(err), expected);
}

/* berth_fx_unanswered_listener(), which must work. */
static int
unanswered_listener(int backlog, unsigned *port)
{
	int fd = berth_fx_unanswered_listener(backlog, port);

	assert_true(fd >= 0);
	return fd;
}

/* A connection to 127.0.0.1:port started without waiting for it. */
static int
connect_nowait(unsigned port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	return fd;
}

/*
 * berth_ssh_connect() to 127.0.0.1:port with a 1 s connect_timeout and
 * command_timeout fails, with a HOST error, in less than 3 s; returns
 * the message, which the caller frees.
 */
static char *
connect_gives_up_within_the_timeout(unsigned port)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_host host = {
		.name = "lo", .address = "127.0.0.1", .user = "root", .port = port,
		.key = "/nonexistent/key", .known_hosts = "/dev/null",
		.timeouts = { .connect_s = 1, .command_s = 1 },
	};
	double start = berth_now_s();
	double took;

	assert_null(berth_ssh_connect(&host, &err));
	took = berth_now_s() - start;
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	if (took < 0.5 || took > 3.0)
		fail_msg("gave up after %.1f s, not about 1 s: %s", took, berth_error_message(err));
	return xstrdup(berth_error_message(err));
}

static void
test_ssh_handshake_with_a_silent_host_gives_up_after_command_timeout(void **state)
{
	unsigned port;
	int fd = unanswered_listener(4, &port);
	BERTH_AUTOFREE char *message = connect_gives_up_within_the_timeout(port);
	BERTH_AUTOFREE char *expected = xasprintf(
		"host 'lo': SSH handshake with '127.0.0.1' port %u got no answer within 1 s "
		"(command_timeout)", port);

	(void)state;
	assert_string_equal(message, expected);
	close(fd);
}

static void
test_ssh_tcp_connect_to_a_full_queue_gives_up_after_connect_timeout(void **state)
{
	unsigned port;
	int fd = unanswered_listener(0, &port);
	int filling[4];
	BERTH_AUTOFREE char *message = NULL;
	BERTH_AUTOFREE char *expected = xasprintf(
		"host 'lo': cannot connect to '127.0.0.1' port %u: TCP connect got no answer "
		"within 1 s (connect_timeout)", port);

	(void)state;
	/* Past a full accept queue, Linux drops the SYNs: connect() waits. */
	for (size_t i = 0; i < sizeof(filling) / sizeof(filling[0]); i++)
		filling[i] = connect_nowait(port);
	message = connect_gives_up_within_the_timeout(port);
	assert_string_equal(message, expected);
	for (size_t i = 0; i < sizeof(filling) / sizeof(filling[0]); i++)
		close(filling[i]);
	close(fd);
}

static void
test_close_accepts_null(void **state)
{
	(void)state;
	berth_ssh_close(NULL);
	berth_ssh_transport_ops.close(NULL);
}

static int
setup_server(void **state)
{
	BERTH_AUTOFREE char *path = NULL;
	const char *d;

	(void)state;
	if (berth_fx_sshd_start(&srv, "lo") < 0)
		return -1;
	if (srv.pid <= 0)
		return 0;	/* every test skips */
	d = srv.dir;
	/* Another key under "[127.0.0.1]:PORT"; no key at all. */
	other_known_hosts = xasprintf("%s/other_known_hosts", d);
	empty_known_hosts = xasprintf("%s/empty_known_hosts", d);
	if (berth_fx_sh("ssh-keygen -q -t ed25519 -N '' -f %s/other -C other && "
			"awk -v p=%u '{ print \"[127.0.0.1]:\" p, $1, $2 }' %s/other.pub > %s && "
			": > %s && ssh-keygen -lf %s/host.pub | cut -d' ' -f2 > %s/fingerprint",
			d, srv.port, d, other_known_hosts, empty_known_hosts, d, d) < 0)
		return -1;
	path = xasprintf("%s/fingerprint", d);
	fingerprint = slurp(path);
	return fingerprint != NULL ? 0 : -1;
}

static int
teardown_server(void **state)
{
	(void)state;
	berth_fx_sshd_stop(&srv);
	free(other_known_hosts);
	free(empty_known_hosts);
	free(fingerprint);
	return 0;
}

#define NEED_SERVER()					\
	do {						\
		(void)state;				\
		if (srv.pid <= 0)			\
			skip();				\
	} while (0)

/* A new session to the server, which runs cmd once; returns the session. */
static struct berth_ssh *
run_on_server(const char *cmd, struct berth_buf *out, struct berth_buf *err_out, int *status)
{
	struct berth_ssh *ssh = berth_ssh_connect(&srv.host, NULL);

	assert_non_null(ssh);
	assert_int_equal(berth_ssh_run(ssh, cmd, out, err_out, status, NULL), 0);
	return ssh;
}

static void
test_ssh_runs_a_command_with_both_streams_and_its_status(void **state)
{
	BERTH_AUTOPTR(berth_ssh) ssh = NULL;
	BERTH_AUTOBUF struct berth_buf out = BERTH_BUF_INIT;
	BERTH_AUTOBUF struct berth_buf err_out = BERTH_BUF_INIT;
	int status = -1;

	NEED_SERVER();
	ssh = run_on_server("echo out; echo err >&2; exit 3", &out, &err_out, &status);
	assert_string_equal(out.buf, "out\n");
	assert_string_equal(err_out.buf, "err\n");
	assert_int_equal(status, 3);
	/* The same session runs a second command. */
	berth_buf_reset(&out);
	assert_int_equal(berth_ssh_run(ssh, "printf %s ok", &out, NULL, &status, NULL), 0);
	assert_string_equal(out.buf, "ok");
	assert_int_equal(status, 0);
}

static void
test_ssh_reads_megabytes_on_both_streams_without_stalling(void **state)
{
	BERTH_AUTOPTR(berth_ssh) ssh = NULL;
	BERTH_AUTOBUF struct berth_buf out = BERTH_BUF_INIT;
	BERTH_AUTOBUF struct berth_buf err_out = BERTH_BUF_INIT;
	int status = -1;

	NEED_SERVER();
	/* More than a channel window (2 MiB) on stderr before stdout ends. */
	ssh = run_on_server("head -c 3000000 /dev/zero >&2; head -c 3000000 /dev/zero",
			    &out, &err_out, &status);
	assert_int_equal(out.len, 3000000);
	assert_int_equal(err_out.len, 3000000);
	assert_int_equal(status, 0);
}

static void
test_ssh_command_silent_past_command_timeout_is_given_up(void **state)
{
	BERTH_AUTOPTR(berth_ssh) ssh = NULL;
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOBUF struct berth_buf out = BERTH_BUF_INIT;
	struct berth_host host = srv.host;
	double start;
	int status = -1;

	NEED_SERVER();
	/* Connected with the default timeout (a handshake under valgrind can
	 * take more than a second), then down to one second of silence. */
	ssh = berth_ssh_connect(&host, NULL);
	assert_non_null(ssh);
	berth_ssh_set_timeout(ssh, 1);
	/* Output keeps a command going however long it runs ... */
	assert_int_equal(berth_ssh_run(ssh, "for i in 1 2 3; do sleep 0.6; echo $i; done",
				       &out, NULL, &status, NULL), 0);
	assert_string_equal(out.buf, "1\n2\n3\n");
	/* ... a second of silence ends it. */
	start = berth_now_s();
	assert_int_equal(berth_ssh_run(ssh, "echo started; sleep 5", &out, NULL, &status, &err),
			 -1);
	assert_true(berth_now_s() - start < 3.0);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	assert_string_equal(berth_error_message(err),
			    "host 'lo': the command did not finish: the host sent nothing for 1 s "
			    "(command_timeout)");
}

static void
test_ssh_command_killed_by_a_signal_exits_128_plus_it(void **state)
{
	BERTH_AUTOPTR(berth_ssh) ssh = NULL;
	int status = -1;

	NEED_SERVER();
	ssh = run_on_server("kill -TERM $$", NULL, NULL, &status);
	assert_int_equal(status, 128 + SIGTERM);
}

/*
 * A new session to the server on which cmd is started and left running
 * (*exec); returns the session.
 */
static struct berth_ssh *
exec_on_server(const char *cmd, struct berth_buf *line, struct berth_buf *err_out,
	       struct berth_ssh_exec **exec)
{
	struct berth_ssh *ssh = berth_ssh_connect(&srv.host, NULL);

	assert_non_null(ssh);
	*exec = berth_ssh_exec_open(ssh, cmd, 0, line, err_out, NULL);
	assert_non_null(*exec);
	return ssh;
}

static void
test_ssh_exec_returns_the_first_line_while_the_command_runs_on(void **state)
{
	BERTH_AUTOPTR(berth_ssh) ssh = NULL;
	BERTH_AUTOBUF struct berth_buf line = BERTH_BUF_INIT;
	BERTH_AUTOBUF struct berth_buf out = BERTH_BUF_INIT;
	struct berth_ssh_exec *exec;
	int status = -1;

	NEED_SERVER();
	/* It runs until its stdin ends: the line comes back before that. */
	ssh = exec_on_server("echo ready; exec cat >/dev/null", &line, NULL, &exec);
	assert_string_equal(line.buf, "ready\n");
	/* The session runs other commands meanwhile. */
	assert_int_equal(berth_ssh_run(ssh, "echo other", &out, NULL, &status, NULL), 0);
	assert_string_equal(out.buf, "other\n");
	berth_ssh_exec_close(exec);
}

static void
test_ssh_exec_close_ends_the_command_before_it_returns(void **state)
{
	BERTH_AUTOPTR(berth_ssh) ssh = NULL;
	BERTH_AUTOBUF struct berth_buf line = BERTH_BUF_INIT;
	BERTH_AUTOFREE char *cmd = NULL;
	BERTH_AUTOFREE char *mark = NULL;
	struct berth_ssh_exec *exec;

	NEED_SERVER();
	mark = xasprintf("%s/exec-ended", srv.dir);
	cmd = xasprintf("echo ready; cat >/dev/null; echo ended > %s", mark);
	ssh = exec_on_server(cmd, &line, NULL, &exec);
	assert_int_not_equal(access(mark, F_OK), 0);
	berth_ssh_exec_close(exec);
	assert_int_equal(access(mark, F_OK), 0);
}

static void
test_ssh_exec_of_a_command_that_ends_first_gives_all_it_printed(void **state)
{
	BERTH_AUTOPTR(berth_ssh) ssh = NULL;
	BERTH_AUTOBUF struct berth_buf line = BERTH_BUF_INIT;
	BERTH_AUTOBUF struct berth_buf err_out = BERTH_BUF_INIT;
	struct berth_ssh_exec *exec;

	NEED_SERVER();
	ssh = exec_on_server("printf partial; echo why >&2; exit 3", &line, &err_out, &exec);
	assert_string_equal(line.buf, "partial");
	assert_string_equal(err_out.buf, "why\n");
	berth_ssh_exec_close(exec);
}

static void
test_ssh_exec_refuses_a_first_line_past_the_limit(void **state)
{
	BERTH_AUTOPTR(berth_ssh) ssh = NULL;
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOBUF struct berth_buf line = BERTH_BUF_INIT;

	NEED_SERVER();
	ssh = berth_ssh_connect(&srv.host, NULL);
	assert_non_null(ssh);
	assert_null(berth_ssh_exec_open(ssh, "head -c 100000 /dev/zero; cat >/dev/null", 0,
					&line, NULL, &err));
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	assert_string_equal(berth_error_message(err),
			    "host 'lo': the command printed more than 4096 bytes without a newline");
}

/*
 * Connecting to the server with the given known_hosts and key (NULL: the
 * right ones) fails with a HOST error whose message starts with expected.
 */
static void
expect_connect_error(const char *known_hosts, const char *key, const char *expected)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_host host = srv.host;

	if (known_hosts != NULL)
		host.known_hosts = (char *)known_hosts;
	if (key != NULL)
		host.key = (char *)key;
	assert_null(berth_ssh_connect(&host, &err));
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	if (strncmp(berth_error_message(err), expected, strlen(expected)) != 0)
		fail_msg("expected '%s...', got '%s'", expected, berth_error_message(err));
}

static void
test_ssh_refuses_a_key_that_does_not_match_with_its_fingerprint(void **state)
{
	BERTH_AUTOFREE char *expected = NULL;

	NEED_SERVER();
	expected = xasprintf("host 'lo': host key for '127.0.0.1' does not match known_hosts '%s': "
			     "got %s (possible man-in-the-middle, or the host was reinstalled)",
			     other_known_hosts, fingerprint);
	expect_connect_error(other_known_hosts, NULL, expected);
}

static void
test_ssh_refuses_a_host_missing_from_known_hosts(void **state)
{
	BERTH_AUTOFREE char *expected = NULL;

	NEED_SERVER();
	expected = xasprintf("host 'lo': host key for '127.0.0.1' is not in known_hosts '%s' (%s)",
			     empty_known_hosts, fingerprint);
	expect_connect_error(empty_known_hosts, NULL, expected);
}

static void
test_ssh_login_with_a_key_the_host_does_not_accept_fails(void **state)
{
	BERTH_AUTOFREE char *other_key = NULL;
	BERTH_AUTOFREE char *expected = NULL;

	NEED_SERVER();
	other_key = xasprintf("%s/other", srv.dir);
	expected = xasprintf("host 'lo': authentication as '%s' with key '%s' failed: ",
			     srv.host.user, other_key);
	expect_connect_error(NULL, other_key, expected);
}

static void
test_ssh_missing_known_hosts_file_is_an_error(void **state)
{
	BERTH_AUTOFREE char *missing = NULL;
	BERTH_AUTOFREE char *expected = NULL;

	NEED_SERVER();
	missing = xasprintf("%s/no_known_hosts", srv.dir);
	expected = xasprintf("host 'lo': cannot read known_hosts '%s': No such file or directory",
			     missing);
	expect_connect_error(missing, NULL, expected);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint_is_what_ssh_keygen_prints),
		cmocka_unit_test(test_fingerprint_base64_has_no_padding),
		cmocka_unit_test(test_shell_quote_survives_single_quotes),
		cmocka_unit_test(test_connect_refused_names_the_host_address_and_port),
		cmocka_unit_test(test_ssh_handshake_with_a_silent_host_gives_up_after_command_timeout),
		cmocka_unit_test(test_ssh_tcp_connect_to_a_full_queue_gives_up_after_connect_timeout),
		cmocka_unit_test(test_close_accepts_null),
		cmocka_unit_test(test_ssh_runs_a_command_with_both_streams_and_its_status),
		cmocka_unit_test(test_ssh_reads_megabytes_on_both_streams_without_stalling),
		cmocka_unit_test(test_ssh_command_silent_past_command_timeout_is_given_up),
		cmocka_unit_test(test_ssh_command_killed_by_a_signal_exits_128_plus_it),
		cmocka_unit_test(test_ssh_exec_returns_the_first_line_while_the_command_runs_on),
		cmocka_unit_test(test_ssh_exec_close_ends_the_command_before_it_returns),
		cmocka_unit_test(test_ssh_exec_of_a_command_that_ends_first_gives_all_it_printed),
		cmocka_unit_test(test_ssh_exec_refuses_a_first_line_past_the_limit),
		cmocka_unit_test(test_ssh_refuses_a_key_that_does_not_match_with_its_fingerprint),
		cmocka_unit_test(test_ssh_refuses_a_host_missing_from_known_hosts),
		cmocka_unit_test(test_ssh_login_with_a_key_the_host_does_not_accept_fails),
		cmocka_unit_test(test_ssh_missing_known_hosts_file_is_an_error),
	};

	return cmocka_run_group_tests(tests, setup_server, teardown_server);
}
