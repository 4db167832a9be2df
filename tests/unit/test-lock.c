/*
 * executors/transport/lock.c: host locks taken over real SSH connections
 * to two OpenSSH servers on loopback (tests/fixture/sshd.h), "kvm-a" and
 * "kvm-b".  Each server runs in its own mount namespace with a private
 * /run, so the lock files these tests take are in that /run, never in the
 * machine's /run/lock.  The tests that need the servers are skipped when
 * not run as root or when sshd or ssh-keygen is missing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "executors/transport/lock.h"
#include "executors/transport/ssh.h"
#include "tests/fixture/sshd.h"

static struct berth_fx_sshd srv_a;
static struct berth_fx_sshd srv_b;
static struct berth_inventory *inv;	/* kvm-a and kvm-b */
static struct berth_ssh *watch_a;	/* for looking at kvm-a: on_host() */
static struct berth_ssh *watch_b;

/* Holders as another apply would name itself. */
static const struct berth_lock_holder first = {
	.controller = "ci-runner-3", .pid = 4242, .user = "root",
	.started = "2026-12-01T16:20:03Z",
};
static const struct berth_lock_holder second = {
	.controller = "laptop", .pid = 77, .user = "alice", .started = "2026-12-01T17:00:00Z",
};

static const char *const kvm_a[] = { "kvm-a" };

/* The refusal of a lock on host held by the holder named in the middle. */
#define REFUSAL(host, holder)						\
	"host '" host "' is locked by another berth apply: " holder	\
	"; wait for it to end, or pass --lock-timeout DURATION to wait "	\
	"(to break a stale lock by hand, see 'Host locks' in docs/plan.md)"

#define FIRST_HOLDER \
	"controller 'ci-runner-3', pid 4242, user 'root', since 2026-12-01T16:20:03Z"

static void
test_lock_holder_self_names_this_host_process_user_and_now(void **state)
{
	char text[BERTH_LOCK_HOLDER_TEXT_SIZE];
	char host[256] = "";
	struct berth_lock_holder self;
	struct passwd *pw = getpwuid(geteuid());
	time_t before = time(NULL);
	struct tm tm;
	char started[32];

	(void)state;
	berth_lock_holder_self(&self, text, sizeof(text));
	assert_int_equal(gethostname(host, sizeof(host)), 0);
	assert_string_equal(self.controller, host);
	assert_int_equal(self.pid, getpid());
	assert_string_equal(self.user, pw->pw_name);
	/* ISO 8601 in UTC, within a second of now. */
	assert_int_equal(strlen(self.started), strlen("2026-12-01T16:20:03Z"));
	assert_non_null(strptime(self.started, "%Y-%m-%dT%H:%M:%SZ", &tm));
	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&before, &tm));
	if (!berth_streq(self.started, started)) {
		time_t after = before + 1;

		strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&after, &tm));
		assert_string_equal(self.started, started);
	}
}

static void
test_lock_holder_self_cuts_its_strings_to_the_room_given(void **state)
{
	char text[4];
	struct berth_lock_holder self;
	const char *strings[3];

	(void)state;
	berth_lock_holder_self(&self, text, sizeof(text));
	strings[0] = self.controller;
	strings[1] = self.user;
	strings[2] = self.started;
	/* Each string in text and ending there, or empty once text is full. */
	for (size_t i = 0; i < 3; i++) {
		if (strings[i][0] == '\0')
			continue;
		assert_true(strings[i] >= text && strings[i] < text + sizeof(text));
		assert_true(strings[i] + strlen(strings[i]) < text + sizeof(text));
	}
	assert_ptr_equal(self.controller, text);
}

static void
test_lock_release_accepts_null(void **state)
{
	(void)state;
	berth_host_locks_release(NULL);
}

/*
 * Locks hosts as self, waiting up to timeout_s; failing is failing the
 * test.  The caller releases the locks.
 */
static struct berth_host_locks *
lock_hosts(const char *const *hosts, size_t n, const struct berth_lock_holder *self,
	   unsigned timeout_s)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_host_locks *locks =
		berth_host_locks_acquire(inv, hosts, n, self, timeout_s, &err);

	if (locks == NULL)
		fail_msg("cannot lock: %s", berth_error_message(err));
	return locks;
}

static void
test_lock_of_no_hosts_holds_nothing(void **state)
{
	struct berth_host_locks *locks;

	(void)state;
	locks = lock_hosts(NULL, 0, &first, 0);
	berth_host_locks_release(locks);
}

static void
test_lock_of_a_host_not_in_the_inventory_is_a_bug(void **state)
{
	const char *const hosts[] = { "kvm-z" };
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	assert_null(berth_host_locks_acquire(inv, hosts, 1, &first, 0, &err));
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_INTERNAL);
	assert_string_equal(berth_error_message(err),
			    "cannot lock host 'kvm-z': not in inventory 'inventory.yaml'");
}

/* Adds a copy of host, called name, to inv. */
static void
add_host(struct berth_inventory *to, const struct berth_host *host, const char *name)
{
	struct berth_host *h;

	to->hosts = xreallocarray(to->hosts, to->n_hosts + 1, sizeof(*to->hosts));
	h = &to->hosts[to->n_hosts++];
	*h = (struct berth_host){
		.name = xstrdup(name), .address = xstrdup(host->address),
		.user = xstrdup(host->user), .port = host->port, .key = xstrdup(host->key),
		.known_hosts = xstrdup(host->known_hosts),
	};
}

static int
setup(void **state)
{
	(void)state;
	inv = xcalloc(1, sizeof(*inv));
	inv->path = xstrdup("inventory.yaml");
	if (berth_fx_sshd_start(&srv_a, "kvm-a") < 0 || berth_fx_sshd_start(&srv_b, "kvm-b") < 0)
		return -1;
	if (srv_a.pid > 0 && srv_b.pid > 0) {
		add_host(inv, &srv_a.host, "kvm-a");
		add_host(inv, &srv_b.host, "kvm-b");
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	berth_ssh_close(watch_a);
	berth_ssh_close(watch_b);
	berth_fx_sshd_stop(&srv_a);
	berth_fx_sshd_stop(&srv_b);
	berth_inventory_free(inv);
	return 0;
}

#define NEED_SERVERS()						\
	do {							\
		(void)state;					\
		if (srv_a.pid <= 0 || srv_b.pid <= 0)		\
			skip();					\
	} while (0)

/*
 * Runs cmd on srv over the test's own connection to it (opened on first
 * use, apart from any lock's); returns its exit status, with its stdout in
 * out (may be NULL).
 */
static int
on_host(struct berth_fx_sshd *srv, const char *cmd, struct berth_buf *out)
{
	struct berth_ssh **ssh = srv == &srv_a ? &watch_a : &watch_b;
	int status = -1;

	if (*ssh == NULL)
		*ssh = berth_ssh_connect(&srv->host, NULL);
	assert_non_null(*ssh);
	assert_int_equal(berth_ssh_run(*ssh, cmd, out, NULL, &status, NULL), 0);
	return status;
}

/* True if someone holds the flock on srv's lock file. */
static bool
locked_on(struct berth_fx_sshd *srv)
{
	int status = on_host(srv, "mkdir -p /run/lock && flock -n -E 75 " BERTH_LOCK_PATH
			     " true", NULL);

	assert_true(status == 0 || status == 75);
	return status == 75;
}

/* What srv's holder file says. */
static char *
holder_on(struct berth_fx_sshd *srv)
{
	struct berth_buf out = BERTH_BUF_INIT;

	on_host(srv, "cat " BERTH_LOCK_HOLDER_PATH " 2>/dev/null", &out);
	return berth_buf_detach(&out);
}

/*
 * Acquiring hosts as self, waiting up to timeout_s, fails within that and
 * a few seconds with a HOST error saying expected.
 */
static void
expect_refusal(const char *const *hosts, size_t n, const struct berth_lock_holder *self,
	       unsigned timeout_s, const char *expected)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	double started = berth_now_s();

	assert_null(berth_host_locks_acquire(inv, hosts, n, self, timeout_s, &err));
	assert_non_null(err);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	assert_string_equal(berth_error_message(err), expected);
	assert_true(berth_now_s() - started < timeout_s + 5.0);
}

static void
test_lock_is_taken_and_released(void **state)
{
	struct berth_host_locks *locks;
	BERTH_AUTOFREE char *holder = NULL;

	NEED_SERVERS();
	assert_false(locked_on(&srv_a));
	locks = lock_hosts(kvm_a, 1, &first, 0);
	assert_true(locked_on(&srv_a));
	assert_false(locked_on(&srv_b));
	holder = holder_on(&srv_a);
	assert_string_equal(holder, "controller=ci-runner-3 pid=4242 user=root "
			    "started=2026-12-01T16:20:03Z\n");
	berth_host_locks_release(locks);
	assert_false(locked_on(&srv_a));
	/* The holder file went before the lock did. */
	free(holder);
	holder = holder_on(&srv_a);
	assert_string_equal(holder, "");
}

static void
test_lock_second_acquire_refuses_naming_the_holder(void **state)
{
	struct berth_host_locks *locks;
	BERTH_AUTOFREE char *holder = NULL;
	double started;

	NEED_SERVERS();
	locks = lock_hosts(kvm_a, 1, &first, 0);
	started = berth_now_s();
	expect_refusal(kvm_a, 1, &second, 0, REFUSAL("kvm-a", FIRST_HOLDER));
	/* At once: a connection and one command, no waiting. */
	assert_true(berth_now_s() - started < 3.0);
	/* The refused apply did not take over the lock or the holder file. */
	assert_true(locked_on(&srv_a));
	holder = holder_on(&srv_a);
	assert_string_equal(holder, "controller=ci-runner-3 pid=4242 user=root "
			    "started=2026-12-01T16:20:03Z\n");
	berth_host_locks_release(locks);
}

static void
test_lock_after_release_a_new_acquire_succeeds(void **state)
{
	struct berth_host_locks *locks;
	BERTH_AUTOFREE char *holder = NULL;

	NEED_SERVERS();
	locks = lock_hosts(kvm_a, 1, &first, 0);
	berth_host_locks_release(locks);
	locks = lock_hosts(kvm_a, 1, &second, 0);
	holder = holder_on(&srv_a);
	assert_string_equal(holder, "controller=laptop pid=77 user=alice "
			    "started=2026-12-01T17:00:00Z\n");
	berth_host_locks_release(locks);
}

static void
test_lock_same_host_named_twice_is_locked_once(void **state)
{
	const char *const hosts[] = { "kvm-a", "kvm-a" };
	struct berth_host_locks *locks;

	NEED_SERVERS();
	locks = lock_hosts(hosts, 2, &first, 0);
	assert_true(locked_on(&srv_a));
	berth_host_locks_release(locks);
	assert_false(locked_on(&srv_a));
}

/* Another apply, in a child process. */
struct locker {
	pid_t pid;
	int said;	/* read end of its pipe: 'L' locked, 'F' refused */
};

/*
 * Starts a child that locks hosts as self (with its own pid, as berth
 * names itself), waiting up to timeout_s, and says how it went on a pipe;
 * then, with hold_ms >= 0, releases the locks after hold_ms and exits 0,
 * or with hold_ms < 0 holds them until it is killed.
 */
static struct locker
spawn_locker(const char *const *hosts, size_t n, const struct berth_lock_holder *self,
	     unsigned timeout_s, int hold_ms)
{
	struct locker l;
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	l.pid = fork();
	assert_true(l.pid >= 0);
	if (l.pid == 0) {
		struct berth_lock_holder me = *self;
		struct berth_host_locks *locks;

		/* A failed test leaves no holder behind: it dies with this process. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(fds[0]);
		me.pid = (long)getpid();
		locks = berth_host_locks_acquire(inv, hosts, n, &me, timeout_s, NULL);
		if (write(fds[1], locks != NULL ? "L" : "F", 1) != 1 || locks == NULL)
			_exit(1);
		if (hold_ms < 0)
			for (;;)
				pause();
		usleep((useconds_t)hold_ms * 1000);
		berth_host_locks_release(locks);
		_exit(0);
	}
	close(fds[1]);
	l.said = fds[0];
	return l;
}

/* Waits until the locker holds its locks; its failing fails the test. */
static void
locker_wait_locked(struct locker *l)
{
	char said = 0;

	assert_int_equal(read(l->said, &said, 1), 1);
	close(l->said);
	assert_int_equal(said, 'L');
}

/* Waits for the locker to exit 0, after it released its locks. */
static void
locker_wait_exit(struct locker *l)
{
	int status = -1;

	assert_int_equal(waitpid(l->pid, &status, 0), l->pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
test_lock_with_a_timeout_waits_for_the_holder_to_release(void **state)
{
	BERTH_AUTOFREE char *logged = NULL;
	BERTH_AUTOFREE char *expected = NULL;
	struct berth_host_locks *locks;
	size_t logged_len = 0;
	struct locker l;
	double started;
	FILE *log;

	NEED_SERVERS();
	l = spawn_locker(kvm_a, 1, &first, 0, 1200);
	locker_wait_locked(&l);
	log = open_memstream(&logged, &logged_len);
	assert_non_null(log);
	berth_log_set_output(log);
	started = berth_now_s();
	locks = lock_hosts(kvm_a, 1, &second, 10);
	berth_log_set_output(NULL);
	fclose(log);
	/* It waited for the holder, and not for the whole timeout. */
	assert_true(berth_now_s() - started >= 1.0);
	assert_true(berth_now_s() - started < 10.0);
	/* And said who it was waiting for. */
	expected = xasprintf("berth: warning: host 'kvm-a' is locked by another berth apply: "
			     "controller 'ci-runner-3', pid %ld, user 'root', since "
			     "2026-12-01T16:20:03Z; waiting up to ", (long)l.pid);
	if (strncmp(logged, expected, strlen(expected)) != 0)
		fail_msg("expected '%s...', got '%s'", expected, logged);
	locker_wait_exit(&l);
	berth_host_locks_release(locks);
}

static void
test_lock_timeout_that_runs_out_refuses_naming_the_holder(void **state)
{
	struct berth_host_locks *locks;
	double started;

	NEED_SERVERS();
	locks = lock_hosts(kvm_a, 1, &first, 0);
	started = berth_now_s();
	expect_refusal(kvm_a, 1, &second, 1,
		       "host 'kvm-a' is locked by another berth apply: " FIRST_HOLDER
		       "; --lock-timeout of 1 s ran out; wait for it to end, or pass a longer "
		       "--lock-timeout (to break a stale lock by hand, see 'Host locks' in "
		       "docs/plan.md)");
	assert_true(berth_now_s() - started >= 1.0);
	berth_host_locks_release(locks);
}

static void
test_lock_of_a_holder_killed_with_sigkill_vanishes(void **state)
{
	BERTH_AUTOFREE char *expected = NULL;
	struct berth_host_locks *locks;
	struct locker l;

	NEED_SERVERS();
	l = spawn_locker(kvm_a, 1, &first, 0, -1);
	locker_wait_locked(&l);
	expected = xasprintf(REFUSAL("kvm-a", "controller 'ci-runner-3', pid %ld, user 'root', "
				     "since 2026-12-01T16:20:03Z"), (long)l.pid);
	expect_refusal(kvm_a, 1, &second, 0, expected);
	assert_int_equal(kill(l.pid, SIGKILL), 0);
	assert_int_equal(waitpid(l.pid, NULL, 0), l.pid);
	/* No release ran: the host sees the connection end, and the shell with it. */
	locks = lock_hosts(kvm_a, 1, &second, 10);
	berth_host_locks_release(locks);
}

/*
 * A holder whose connection is cut (here: stopped with SIGSTOP, so its
 * connection stays open and silent, as behind a firewall that drops it)
 * sends no heartbeat, and the host drops the lock after the expiry; while
 * the heartbeats come, the lock outlives the expiry.
 */
static void
test_lock_whose_heartbeat_stops_expires_on_the_host(void **state)
{
	struct locker l;
	double stopped;

	NEED_SERVERS();
	berth_lock_set_heartbeat(0.5, 2);
	l = spawn_locker(kvm_a, 1, &first, 0, -1);
	locker_wait_locked(&l);
	sleep(4);
	assert_true(locked_on(&srv_a));		/* twice the expiry, heartbeats coming */
	assert_int_equal(kill(l.pid, SIGSTOP), 0);
	stopped = berth_now_s();
	while (locked_on(&srv_a) && berth_now_s() - stopped < 10.0)
		usleep(200 * 1000);
	assert_false(locked_on(&srv_a));
	assert_true(berth_now_s() - stopped >= 1.0);
	assert_int_equal(kill(l.pid, SIGKILL), 0);
	assert_int_equal(waitpid(l.pid, NULL, 0), l.pid);
	berth_lock_set_heartbeat(0, 0);
}

/* Releasing a lock over a connection that went silent does not wait the command_timeout. */
static void
test_lock_release_over_a_silent_connection_is_bounded(void **state)
{
	struct berth_host_locks *locks;
	double started;

	NEED_SERVERS();
	locks = lock_hosts(kvm_a, 1, &first, 0);
	assert_int_equal(kill(-srv_a.pid, SIGSTOP), 0);	/* every sshd of kvm-a */
	started = berth_now_s();
	berth_host_locks_release(locks);
	assert_true(berth_now_s() - started < 15.0);
	assert_int_equal(kill(-srv_a.pid, SIGCONT), 0);
	started = berth_now_s();
	while (locked_on(&srv_a) && berth_now_s() - started < 10.0)
		usleep(200 * 1000);
	assert_false(locked_on(&srv_a));
}

static void
test_lock_hosts_are_taken_in_sorted_order(void **state)
{
	const char *const kvm_b[] = { "kvm-b" };
	const char *const both[] = { "kvm-b", "kvm-a" };
	BERTH_AUTOFREE char *holder_a = NULL;
	BERTH_AUTOFREE char *expected = NULL;
	struct berth_host_locks *locks;
	struct locker l;

	NEED_SERVERS();
	locks = lock_hosts(kvm_b, 1, &first, 0);
	/* Named b first, but a comes first: it takes a, then waits for b. */
	l = spawn_locker(both, 2, &second, 10, 0);
	for (int i = 0; i < 50 && !locked_on(&srv_a); i++)
		usleep(100 * 1000);
	assert_true(locked_on(&srv_a));
	holder_a = holder_on(&srv_a);
	expected = xasprintf("controller=laptop pid=%ld user=alice started=2026-12-01T17:00:00Z\n",
			     (long)l.pid);
	assert_string_equal(holder_a, expected);
	/* Once b is free it has both, and then releases both. */
	berth_host_locks_release(locks);
	locker_wait_locked(&l);
	locker_wait_exit(&l);
	assert_false(locked_on(&srv_a));
	assert_false(locked_on(&srv_b));
}

static void
test_lock_refusal_shows_only_printable_bounded_holder_fields(void **state)
{
	struct berth_host_locks *locks;
	BERTH_AUTOFREE char *long_name = NULL;
	BERTH_AUTOFREE char *cmd = NULL;
	BERTH_AUTOFREE char *expected = NULL;

	NEED_SERVERS();
	locks = lock_hosts(kvm_a, 1, &first, 0);
	/* The host forges a holder: escapes, quotes, a bad pid, a long user. */
	long_name = xmalloc(301);
	memset(long_name, 'u', 300);
	long_name[300] = '\0';
	cmd = xasprintf("printf 'controller=evil\\033[2J\\007 pid=12x user=%s "
			"started=it'\\''s\\n' > " BERTH_LOCK_HOLDER_PATH, long_name);
	assert_int_equal(on_host(&srv_a, cmd, NULL), 0);
	long_name[128] = '\0';
	expected = xasprintf(REFUSAL("kvm-a", "controller 'evil?[2J?', pid ?, user '%s', "
				     "since it?s"), long_name);
	expect_refusal(kvm_a, 1, &second, 0, expected);
	berth_host_locks_release(locks);
}

static void
test_lock_held_by_hand_is_refused_without_a_holder(void **state)
{
	BERTH_AUTOPTR(berth_ssh) ssh = NULL;
	BERTH_AUTOBUF struct berth_buf line = BERTH_BUF_INIT;
	struct berth_ssh_exec *exec;

	NEED_SERVERS();
	/* What an operator might do: flock the file from a shell of their own. */
	ssh = berth_ssh_connect(&srv_a.host, NULL);
	assert_non_null(ssh);
	exec = berth_ssh_exec_open(ssh, "exec 9>>" BERTH_LOCK_PATH " && flock 9 && "
				   "rm -f " BERTH_LOCK_HOLDER_PATH " && echo held && "
				   "exec cat >/dev/null", 0, &line, NULL, NULL);
	assert_non_null(exec);
	assert_string_equal(line.buf, "held\n");
	expect_refusal(kvm_a, 1, &second, 0,
		       "host 'kvm-a' is locked by a process that named no holder in "
		       "'" BERTH_LOCK_HOLDER_PATH "' (a lock taken by hand?); wait for it to end, "
		       "or pass --lock-timeout DURATION to wait (to break a stale lock by hand, "
		       "see 'Host locks' in docs/plan.md)");
	berth_ssh_exec_close(exec);
	assert_false(locked_on(&srv_a));
}

static void
test_lock_broken_by_hand_with_fuser_is_gone(void **state)
{
	BERTH_AUTOBUF struct berth_buf pids = BERTH_BUF_INIT;
	struct berth_host_locks *locks;
	struct berth_host_locks *after;

	NEED_SERVERS();
	if (access("/usr/bin/fuser", X_OK) != 0)
		skip();
	locks = lock_hosts(kvm_a, 1, &first, 0);
	/* What docs/plan.md says to do: one process holds the file, kill it. */
	on_host(&srv_a, "fuser " BERTH_LOCK_PATH " 2>/dev/null | wc -w", &pids);
	assert_string_equal(pids.buf, "1\n");
	assert_int_equal(on_host(&srv_a, "fuser -k " BERTH_LOCK_PATH " >/dev/null 2>&1", NULL), 0);
	after = lock_hosts(kvm_a, 1, &second, 5);
	/* The broken lock's own release still ends cleanly. */
	berth_host_locks_release(locks);
	berth_host_locks_release(after);
	assert_false(locked_on(&srv_a));
}

static void
test_lock_that_cannot_reach_a_host_releases_the_ones_taken(void **state)
{
	const char *const hosts[] = { "kvm-a", "kvm-b" };
	BERTH_AUTOPTR(berth_error) err = NULL;
	unsigned port = srv_b.port;

	NEED_SERVERS();
	/* kvm-b at a port where nothing listens. */
	inv->hosts[1].port = berth_fx_free_port();
	assert_null(berth_host_locks_acquire(inv, hosts, 2, &first, 0, &err));
	inv->hosts[1].port = port;
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	assert_true(strncmp(berth_error_message(err), "host 'kvm-b': cannot connect to ",
			    strlen("host 'kvm-b': cannot connect to ")) == 0);
	assert_false(locked_on(&srv_a));
}

static void
test_lock_that_the_host_cannot_take_says_what_the_host_said(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	const char *const kvm_b[] = { "kvm-b" };

	NEED_SERVERS();
	/* A file where the lock's folder should be: mkdir -p fails. */
	assert_int_equal(on_host(&srv_b, "rm -rf /run/lock && touch /run/lock", NULL), 0);
	assert_null(berth_host_locks_acquire(inv, kvm_b, 1, &first, 0, &err));
	assert_int_equal(on_host(&srv_b, "rm -f /run/lock && mkdir /run/lock", NULL), 0);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	assert_string_equal(berth_error_message(err),
			    "host 'kvm-b': cannot lock '" BERTH_LOCK_PATH "': mkdir: cannot create "
			    "directory '/run/lock': File exists");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_holder_self_names_this_host_process_user_and_now),
		cmocka_unit_test(test_lock_holder_self_cuts_its_strings_to_the_room_given),
		cmocka_unit_test(test_lock_release_accepts_null),
		cmocka_unit_test(test_lock_of_no_hosts_holds_nothing),
		cmocka_unit_test(test_lock_of_a_host_not_in_the_inventory_is_a_bug),
		cmocka_unit_test(test_lock_is_taken_and_released),
		cmocka_unit_test(test_lock_second_acquire_refuses_naming_the_holder),
		cmocka_unit_test(test_lock_after_release_a_new_acquire_succeeds),
		cmocka_unit_test(test_lock_same_host_named_twice_is_locked_once),
		cmocka_unit_test(test_lock_with_a_timeout_waits_for_the_holder_to_release),
		cmocka_unit_test(test_lock_timeout_that_runs_out_refuses_naming_the_holder),
		cmocka_unit_test(test_lock_of_a_holder_killed_with_sigkill_vanishes),
		cmocka_unit_test(test_lock_hosts_are_taken_in_sorted_order),
		cmocka_unit_test(test_lock_refusal_shows_only_printable_bounded_holder_fields),
		cmocka_unit_test(test_lock_held_by_hand_is_refused_without_a_holder),
		cmocka_unit_test(test_lock_broken_by_hand_with_fuser_is_gone),
		cmocka_unit_test(test_lock_whose_heartbeat_stops_expires_on_the_host),
		cmocka_unit_test(test_lock_release_over_a_silent_connection_is_bounded),
		cmocka_unit_test(test_lock_that_cannot_reach_a_host_releases_the_ones_taken),
		cmocka_unit_test(test_lock_that_the_host_cannot_take_says_what_the_host_said),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
