/*
 * Host locks (see lock.h): one shell per host, started over a connection
 * of its own, flocks BERTH_LOCK_PATH, records the holder, answers with one
 * framed line and then holds the lock while its stdin, the SSH channel,
 * brings a heartbeat at least every BERTH_LOCK_EXPIRY_S seconds.  One
 * thread writes the heartbeats to every lock taken so far.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "executors/transport/lock.h"
#include "executors/transport/ssh.h"

/* Every line the lock shell answers with starts with this. */
#define MARK "BERTH-LOCK "

/* The shell's exit status when someone else holds the lock. */
#define EXIT_BUSY 75

/* How much of a holder value, or of other host output, a message shows. */
#define FIELD_MAX 128
#define OUTPUT_MAX 200

/* Where a refusal sends the person who meets it. */
#define BREAK_HINT "(to break a stale lock by hand, see 'Host locks' in docs/plan.md)"

/* One host's lock: the connection and the shell holding the flock. */
struct held_lock {
	char *host;
	struct berth_ssh *ssh;
	struct berth_ssh_exec *exec;
};

struct berth_host_locks {
	struct held_lock *held;
	size_t n;		/* taken so far; the heartbeat reads it under mu */
	pthread_mutex_t mu;
	pthread_cond_t wake;
	bool stop;
	bool beating;		/* the heartbeat thread runs */
	pthread_t heartbeat;
};

static double heartbeat_s = BERTH_LOCK_HEARTBEAT_S;
static unsigned expiry_s = BERTH_LOCK_EXPIRY_S;

void
berth_lock_set_heartbeat(double interval_s, unsigned expiry)
{
	heartbeat_s = interval_s > 0 ? interval_s : BERTH_LOCK_HEARTBEAT_S;
	expiry_s = expiry > 0 ? expiry : BERTH_LOCK_EXPIRY_S;
}

/* Copies s into *pos, cut to what *left has room for; returns the copy. */
static const char *
put_text(char **pos, size_t *left, const char *s)
{
	const char *start = *pos;
	size_t n = strlen(s);

	if (*left == 0)
		return "";
	if (n >= *left)
		n = *left - 1;
	memcpy(*pos, s, n);
	(*pos)[n] = '\0';
	*pos += n + 1;
	*left -= n + 1;
	return start;
}

void
berth_lock_holder_self(struct berth_lock_holder *h, char *buf, size_t size)
{
	char host[HOST_NAME_MAX + 1] = "unknown";
	char uid[16];
	char started[32] = "unknown";
	struct passwd *pw = getpwuid(geteuid());
	time_t now = time(NULL);
	struct tm tm;

	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	snprintf(uid, sizeof(uid), "%u", (unsigned)geteuid());
	if (gmtime_r(&now, &tm) != NULL)
		strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	h->controller = put_text(&buf, &size, host);
	h->user = put_text(&buf, &size, pw != NULL ? pw->pw_name : uid);
	h->started = put_text(&buf, &size, started);
	h->pid = (long)getpid();
}

/*
 * A copy of the n bytes at s that is safe to print: at most max of them,
 * each byte outside printable ASCII replaced by '?'; in a field value
 * (field) also space and the quote around values in messages; in other
 * text, newlines and tabs become spaces and trailing ones are cut.  Hosts
 * are untrusted: nothing they print reaches a terminal unfiltered.
 */
static char *
printable_copy(const char *s, size_t n, size_t max, bool field)
{
	char *copy = xstrndup(s, n < max ? n : max);
	size_t len = 0;

	for (char *p = copy; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (!field && (c == '\n' || c == '\t'))
			*p = ' ';
		else if (c < 0x20 || c > 0x7e || (field && (c == ' ' || c == '\'')))
			*p = '?';
		if (*p != ' ')
			len = (size_t)(p - copy) + 1;
	}
	if (!field)
		copy[len] = '\0';
	return copy;
}

/* A holder value as one field: printable_copy() for a field. */
static char *
field_copy(const char *value, size_t n)
{
	return printable_copy(value, n, FIELD_MAX, true);
}

/* self as the holder line written on the host: "controller=... pid=...". */
static char *
holder_line(const struct berth_lock_holder *self)
{
	BERTH_AUTOFREE char *controller = field_copy(self->controller, strlen(self->controller));
	BERTH_AUTOFREE char *user = field_copy(self->user, strlen(self->user));
	BERTH_AUTOFREE char *started = field_copy(self->started, strlen(self->started));

	return xasprintf("controller=%s pid=%ld user=%s started=%s", controller, self->pid,
			 user, started);
}

/*
 * The shell that takes the lock: answers MARK "locked" and holds it while
 * its stdin brings a byte at least every expiry_s seconds (dd reads one,
 * under timeout; EOF or silence ends the loop), or answers MARK "busy " and
 * the holder line and exits EXIT_BUSY when flock gives up (at once, or
 * after wait_s seconds).  The holder file is replaced by a rename, so a
 * reader never sees half of it, and removed while the lock is still held.
 * Only the shell holds the flock (the loop's subshell closes fd 9 first),
 * so killing the shell ends the lock.
 */
static char *
lock_script(const char *holder, unsigned wait_s)
{
	BERTH_AUTOFREE char *quoted = berth_shell_quote(holder);
	BERTH_AUTOFREE char *wait = wait_s > 0 ? xasprintf("-w %u", wait_s) : xstrdup("-n");
	struct berth_buf cmd = BERTH_BUF_INIT;

	berth_buf_addf(&cmd, "mkdir -p /run/lock && exec 9>>%s || exit 1\n", BERTH_LOCK_PATH);
	berth_buf_addf(&cmd,
		       "flock %s -E %d 9 || { rc=$?; [ $rc -ne %d ] || "
		       "printf '" MARK "busy %%s\\n' \"$(head -c %d %s 2>/dev/null | head -n 1)\"; "
		       "exit $rc; }\n",
		       wait, EXIT_BUSY, EXIT_BUSY, FIELD_MAX * 4, BERTH_LOCK_HOLDER_PATH);
	berth_buf_addf(&cmd, "printf '%%s\\n' %s >%s.$$ && mv -f %s.$$ %s || exit 1\n",
		       quoted, BERTH_LOCK_HOLDER_PATH, BERTH_LOCK_HOLDER_PATH,
		       BERTH_LOCK_HOLDER_PATH);
	berth_buf_addf(&cmd, "echo '" MARK "locked'\n"
		       "while [ \"$(exec 9>&-; timeout %u dd bs=1 count=1 2>/dev/null | wc -c)\" -eq 1 ]; do :; done\n"
		       "rm -f %s\n",
		       expiry_s, BERTH_LOCK_HOLDER_PATH);
	return berth_buf_detach(&cmd);
}

/* A holder as read back from a host: printable copies, "?" where missing. */
struct holder_text {
	char *controller;
	char *pid;
	char *user;
	char *started;
	bool any;	/* at least one of them was there */
};

static void
holder_text_release(struct holder_text *h)
{
	free(h->controller);
	free(h->pid);
	free(h->user);
	free(h->started);
}

/* True if the n bytes at s are a process id. */
static bool
is_pid(const char *s, size_t n)
{
	if (n == 0 || n > 20)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

/* Where the value of the field key (len bytes) goes in h, or NULL. */
static char **
holder_slot(struct holder_text *h, const char *key, size_t len)
{
	const struct {
		const char *key;
		char **value;
	} slots[] = {
		{ "controller", &h->controller }, { "pid", &h->pid },
		{ "user", &h->user }, { "started", &h->started },
	};

	for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		if (strlen(slots[i].key) == len && strncmp(slots[i].key, key, len) == 0)
			return slots[i].value;
	}
	return NULL;
}

/*
 * Parses the "key=value ..." fields of a holder line, up to its newline,
 * into h; the first of each key counts, unknown keys are skipped.
 */
static void
holder_parse(const char *line, struct holder_text *h)
{
	const char *end = line + strcspn(line, "\n");
	char **all[] = { &h->controller, &h->pid, &h->user, &h->started };

	*h = (struct holder_text){ 0 };
	for (const char *p = line; p < end; p += strspn(p, " ")) {
		size_t len = strcspn(p, " \n");
		const char *eq = memchr(p, '=', len);

		if (eq != NULL) {
			char **slot = holder_slot(h, p, (size_t)(eq - p));
			size_t n = len - (size_t)(eq + 1 - p);

			if (slot != NULL && *slot == NULL && (slot != &h->pid || is_pid(eq + 1, n))) {
				*slot = field_copy(eq + 1, n);
				h->any = true;
			}
		}
		p += len;
	}
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (*all[i] == NULL)
			*all[i] = xstrdup("?");
	}
}

/*
 * Who holds a lock, from the holder line of a busy answer: "locked by
 * another berth apply: controller '...', pid ..., user '...', since ...",
 * or that the holder did not say.  Returns a new string the caller frees.
 */
static char *
holder_describe(const char *busy)
{
	struct holder_text h;
	char *text;

	holder_parse(busy, &h);
	if (h.any)
		text = xasprintf("locked by another berth apply: controller '%s', pid %s, "
				 "user '%s', since %s", h.controller, h.pid, h.user, h.started);
	else
		text = xasprintf("locked by a process that named no holder in '%s' "
				 "(a lock taken by hand?)", BERTH_LOCK_HOLDER_PATH);
	holder_text_release(&h);
	return text;
}

/* The error for host, locked by the holder the busy line names. */
static void
report_busy(const char *host, const char *busy, unsigned timeout_s, struct berth_error **err)
{
	BERTH_AUTOFREE char *holder = holder_describe(busy);
	BERTH_AUTOFREE char *waited = timeout_s == 0 ?
		xstrdup("wait for it to end, or pass --lock-timeout DURATION to wait") :
		xasprintf("--lock-timeout of %u s ran out; wait for it to end, or pass a "
			  "longer --lock-timeout", timeout_s);

	berth_error_set(err, BERTH_ERROR_HOST, "host '%s' is %s; %s " BREAK_HINT, host, holder,
			waited);
}

/*
 * The error for host, whose lock shell answered line on stdout and
 * errout on stderr but neither "locked" nor "busy".
 */
static void
report_failure(const char *host, const struct berth_buf *line, const struct berth_buf *errout,
	       struct berth_error **err)
{
	const struct berth_buf *said = errout->len > 0 ? errout : line;
	BERTH_AUTOFREE char *text = printable_copy(said->buf, said->len, OUTPUT_MAX, false);

	berth_error_set(err, BERTH_ERROR_HOST, "host '%s': cannot lock '%s': %s", host,
			BERTH_LOCK_PATH, said->len > 0 ? text : "the host gave no answer");
}

/* What follows prefix in s, or NULL if s does not start with it. */
static const char *
after_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

/* Long enough for a lock shell to see EOF and exit; a cut connection costs no more. */
#define RELEASE_TIMEOUT_S 5

static void
held_lock_release(struct held_lock *held)
{
	if (held->ssh != NULL)
		berth_ssh_set_timeout(held->ssh, RELEASE_TIMEOUT_S);
	berth_ssh_exec_close(held->exec);
	berth_ssh_close(held->ssh);
	if (held->host != NULL)
		berth_log_debug("host '%s': lock released", held->host);
	free(held->host);
	*held = (struct held_lock){ 0 };
}

/* How one try at a host's lock went. */
enum try_result {
	TRY_LOCKED,	/* held->exec holds it */
	TRY_BUSY,	/* someone else does: line is MARK "busy " and the holder */
	TRY_FAILED,	/* the host could not be asked or could not lock: *err */
};

/*
 * Starts the lock shell for host on held->ssh, flock waiting up to wait_s.
 * line and errout get what it answered.
 */
static enum try_result
try_lock(const char *host, struct held_lock *held, const char *holder, unsigned wait_s,
	 struct berth_buf *line, struct berth_buf *errout, struct berth_error **err)
{
	BERTH_AUTOFREE char *script = lock_script(holder, wait_s);

	berth_buf_reset(line);
	berth_buf_reset(errout);
	held->exec = berth_ssh_exec_open(held->ssh, script, wait_s, line, errout, err);
	if (held->exec == NULL)
		return TRY_FAILED;
	if (after_prefix(line->buf, MARK "locked\n") != NULL)
		return TRY_LOCKED;
	berth_ssh_exec_close(held->exec);
	held->exec = NULL;
	if (after_prefix(line->buf, MARK "busy ") != NULL)
		return TRY_BUSY;
	report_failure(host, line, errout, err);
	return TRY_FAILED;
}

/*
 * Locks host name of inv into *held.  A host that is locked is refused at
 * once when timeout_s is 0; otherwise a warning says who holds it and
 * berth waits, at most until deadline (on berth_now_s()'s clock).  Returns
 * 0, or -1 with an error and *held empty.
 */
static int
lock_one(const struct berth_inventory *inv, const char *name, const char *holder,
	 unsigned timeout_s, double deadline, struct held_lock *held, struct berth_error **err)
{
	const struct berth_host *host = berth_inventory_host(inv, name);
	BERTH_AUTOBUF struct berth_buf line = BERTH_BUF_INIT;
	BERTH_AUTOBUF struct berth_buf errout = BERTH_BUF_INIT;
	enum try_result rc;
	unsigned wait_s;
	double left;

	if (host == NULL) {
		berth_error_set(err, BERTH_ERROR_INTERNAL,
				"cannot lock host '%s': not in inventory '%s'", name, inv->path);
		return -1;
	}
	held->ssh = berth_ssh_connect(host, err);
	if (held->ssh == NULL)
		return -1;
	rc = try_lock(name, held, holder, 0, &line, &errout, err);
	/* What is left of the timeout, in whole seconds rounded up (flock -w). */
	left = deadline - berth_now_s();
	wait_s = timeout_s > 0 && left > 0 ? (unsigned)(left + 0.999) : 0;
	if (rc == TRY_BUSY && wait_s > 0) {
		if (berth_log_enabled(BERTH_LOG_WARN)) {
			BERTH_AUTOFREE char *who = holder_describe(line.buf + strlen(MARK "busy "));

			berth_log_warn("host '%s' is %s; waiting up to %u s (--lock-timeout)",
				       name, who, wait_s);
		}
		rc = try_lock(name, held, holder, wait_s, &line, &errout, err);
	}
	if (rc == TRY_LOCKED) {
		held->host = xstrdup(name);
		berth_log_debug("host '%s': locked '%s'", name, BERTH_LOCK_PATH);
		return 0;
	}
	if (rc == TRY_BUSY)
		report_busy(name, line.buf + strlen(MARK "busy "), timeout_s, err);
	held_lock_release(held);
	return -1;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static struct berth_host_locks *
locks_new(void)
{
	struct berth_host_locks *locks = xcalloc(1, sizeof(*locks));
	pthread_condattr_t attr;

	pthread_mutex_init(&locks->mu, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&locks->wake, &attr);
	pthread_condattr_destroy(&attr);
	return locks;
}

/* Every heartbeat_s, one newline to each lock taken so far, until stop. */
static void *
heartbeat_main(void *arg)
{
	struct berth_host_locks *locks = arg;

	pthread_mutex_lock(&locks->mu);
	while (!locks->stop) {
		struct timespec until;
		long ns;

		clock_gettime(CLOCK_MONOTONIC, &until);
		ns = until.tv_nsec + (long)((heartbeat_s - (double)(long)heartbeat_s) * 1e9);
		until.tv_sec += (time_t)heartbeat_s + ns / 1000000000L;
		until.tv_nsec = ns % 1000000000L;
		if (pthread_cond_timedwait(&locks->wake, &locks->mu, &until) != ETIMEDOUT)
			continue;	/* woken: stop, or spurious */
		for (size_t i = 0; i < locks->n; i++) {
			if (berth_ssh_exec_write(locks->held[i].exec, "\n", 1) < 0)
				berth_log_debug("host '%s': cannot send the lock's heartbeat",
						locks->held[i].host);
		}
	}
	pthread_mutex_unlock(&locks->mu);
	return NULL;
}

static void
heartbeat_stop(struct berth_host_locks *locks)
{
	if (!locks->beating)
		return;
	pthread_mutex_lock(&locks->mu);
	locks->stop = true;
	pthread_cond_signal(&locks->wake);
	pthread_mutex_unlock(&locks->mu);
	pthread_join(locks->heartbeat, NULL);
	locks->beating = false;
}

struct berth_host_locks *
berth_host_locks_acquire(const struct berth_inventory *inv, const char *const *hosts,
			 size_t n_hosts, const struct berth_lock_holder *self,
			 unsigned timeout_s, struct berth_error **err)
{
	BERTH_AUTOPTR(berth_host_locks) locks = locks_new();
	BERTH_AUTOFREE const char **sorted = xcalloc(n_hosts, sizeof(*sorted));
	BERTH_AUTOFREE char *holder = holder_line(self);
	double deadline = berth_now_s() + timeout_s;

	if (n_hosts > 0)
		memcpy(sorted, hosts, n_hosts * sizeof(*sorted));
	qsort(sorted, n_hosts, sizeof(*sorted), compare_names);
	locks->held = xcalloc(n_hosts, sizeof(*locks->held));
	/* Beating from the first lock on: taking the others may take long (--lock-timeout). */
	locks->beating = n_hosts > 0 && pthread_create(&locks->heartbeat, NULL, heartbeat_main,
						       locks) == 0;
	for (size_t i = 0; i < n_hosts; i++) {
		struct held_lock taken = { 0 };

		if (i > 0 && strcmp(sorted[i], sorted[i - 1]) == 0)
			continue;
		if (lock_one(inv, sorted[i], holder, timeout_s, deadline, &taken, err) < 0)
			return NULL;
		pthread_mutex_lock(&locks->mu);
		locks->held[locks->n++] = taken;
		pthread_mutex_unlock(&locks->mu);
	}
	if (n_hosts > 0 && !locks->beating)
		berth_log_warn("cannot start the host locks' heartbeat: a lock whose connection is cut stays held until the host's sshd notices");
	return berth_steal_pointer(&locks);
}

void
berth_host_locks_release(struct berth_host_locks *locks)
{
	if (locks == NULL)
		return;
	heartbeat_stop(locks);
	/* Last taken, first released. */
	for (size_t i = locks->n; i > 0; i--)
		held_lock_release(&locks->held[i - 1]);
	free(locks->held);
	pthread_mutex_destroy(&locks->mu);
	pthread_cond_destroy(&locks->wake);
	free(locks);
}
