/*
 * The libssh2 transport: TCP connect with a timeout, handshake, host-key
 * verification against known_hosts (always; ssh-knownhosts.c), public-key
 * login, and one channel per command.  Every wait on the host has the
 * host's deadline (berth_host_timeouts()), and a stall is reported with
 * the stage it stopped at and the inventory key that sets its deadline.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libssh2.h>

#include "core/log.h"
#include "core/util.h"
#include "executors/transport/ssh-knownhosts.h"
#include "executors/transport/ssh.h"

struct berth_ssh {
	char *host;		/* the inventory's name, for messages */
	int fd;
	LIBSSH2_SESSION *session;
	bool handshaken;	/* so close says goodbye only on a live session */
	unsigned command_timeout_s;	/* the session's libssh2 timeout, and the
					 * longest a command may send nothing */
};

int
berth_transport_run(const struct berth_transport *t, const char *cmd,
		    struct berth_buf *out, struct berth_buf *err_out,
		    int *exit_status, struct berth_error **err)
{
	return t->ops->run(t->conn, cmd, out, err_out, exit_status, err);
}

static pthread_once_t ssh_once = PTHREAD_ONCE_INIT;

static void
ssh_init_once(void)
{
	if (libssh2_init(0) != 0) {
		fputs("berth: cannot initialize libssh2\n", stderr);
		abort();
	}
}

void
berth_ssh_global_init(void)
{
	pthread_once(&ssh_once, ssh_init_once);
}

/*
 * Connects a socket to ai within timeout_ms.  Returns the blocking socket,
 * or -1 with errno set (ETIMEDOUT when the time ran out).
 */
static int
connect_one(const struct addrinfo *ai, int timeout_ms)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			ai->ai_protocol);
	struct pollfd pfd;
	socklen_t len = sizeof(int);
	int soerr = 0;
	int rc;

	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS)
			goto fail;
		pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
		do {
			rc = poll(&pfd, 1, timeout_ms);
		} while (rc < 0 && errno == EINTR);
		if (rc == 0)
			errno = ETIMEDOUT;
		if (rc <= 0)
			goto fail;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
			goto fail;
		if (soerr != 0) {
			errno = soerr;
			goto fail;
		}
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
		goto fail;
	return fd;

fail:
	soerr = errno;
	close(fd);
	errno = soerr;
	return -1;
}

/*
 * A TCP connection to host, tried on each of its addresses in turn, each
 * within timeout_s.
 */
static int
connect_tcp(const struct berth_host *host, unsigned timeout_s, struct berth_error **err)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	char port[16];
	int fd = -1;
	int saved = 0;
	int rc;

	snprintf(port, sizeof(port), "%u", host->port);
	rc = getaddrinfo(host->address, port, &hints, &res);
	if (rc != 0) {
		berth_error_set(err, BERTH_ERROR_HOST, "cannot resolve '%s': %s", host->address,
				rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		fd = connect_one(ai, (int)timeout_s * 1000);
		if (fd < 0)
			saved = errno;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		if (saved == ETIMEDOUT)
			berth_error_set(err, BERTH_ERROR_HOST,
					"cannot connect to '%s' port %u: TCP connect got no answer within %u s (connect_timeout)",
					host->address, host->port, timeout_s);
		else
			berth_error_set(err, BERTH_ERROR_HOST, "cannot connect to '%s' port %u: %s",
					host->address, host->port, strerror(saved));
	}
	return fd;
}

/* The private keys tried when the inventory names none, as OpenSSH does. */
static const char *const default_keys[] = {
	".ssh/id_ed25519", ".ssh/id_ecdsa", ".ssh/id_rsa",
};

/*
 * Logs in to ssh's session as host->user with the private key at path.
 * Returns 0, 1 when the key was not accepted, or -1 with an error when the
 * host did not answer in time.
 */
static int
login_with_key(struct berth_ssh *ssh, const struct berth_host *host, const char *path,
	       struct berth_error **err)
{
	int rc = libssh2_userauth_publickey_fromfile_ex(ssh->session, host->user,
							(unsigned)strlen(host->user),
							NULL, path, NULL);

	if (rc == 0)
		return 0;
	if (rc != LIBSSH2_ERROR_TIMEOUT)
		return 1;
	berth_error_set(err, BERTH_ERROR_HOST,
			"authentication as '%s' with key '%s' got no answer within %u s (command_timeout)",
			host->user, path, ssh->command_timeout_s);
	return -1;
}

static int
authenticate(struct berth_ssh *ssh, const struct berth_host *host, struct berth_error **err)
{
	const char *home = getenv("HOME");
	int rc;

	if (host->key != NULL) {
		rc = login_with_key(ssh, host, host->key, err);
		if (rc <= 0)
			return rc;
		berth_error_set(err, BERTH_ERROR_HOST,
				"authentication as '%s' with key '%s' failed: %s",
				host->user, host->key, berth_ssh_session_error(ssh->session));
		return -1;
	}
	for (size_t i = 0; home != NULL && i < sizeof(default_keys) / sizeof(default_keys[0]); i++) {
		BERTH_AUTOFREE char *path = xasprintf("%s/%s", home, default_keys[i]);

		if (access(path, R_OK) == 0 && (rc = login_with_key(ssh, host, path, err)) <= 0)
			return rc;
	}
	berth_error_set(err, BERTH_ERROR_HOST,
			"authentication as '%s' failed: no key given and none of "
			"~/.ssh/id_ed25519, id_ecdsa, id_rsa was accepted", host->user);
	return -1;
}

/*
 * Handshake, host-key check against kh and login, on the connected socket
 * of ssh.
 */
static int
session_start(struct berth_ssh *ssh, const struct berth_ssh_knownhosts *kh,
	      const struct berth_host *host, struct berth_error **err)
{
	int rc;

	berth_ssh_knownhosts_prefer(ssh->session, kh, host);
	rc = libssh2_session_handshake(ssh->session, ssh->fd);
	if (rc == LIBSSH2_ERROR_TIMEOUT) {
		berth_error_set(err, BERTH_ERROR_HOST,
				"SSH handshake with '%s' port %u got no answer within %u s (command_timeout)",
				host->address, host->port, ssh->command_timeout_s);
		return -1;
	}
	if (rc != 0) {
		berth_error_set(err, BERTH_ERROR_HOST, "SSH handshake with '%s' port %u failed: %s",
				host->address, host->port, berth_ssh_session_error(ssh->session));
		return -1;
	}
	ssh->handshaken = true;
	if (berth_ssh_knownhosts_verify(ssh->session, kh, host, err) < 0)
		return -1;
	return authenticate(ssh, host, err);
}

struct berth_ssh *
berth_ssh_connect_notify(const struct berth_host *host, void (*reached)(void *data),
			 void *data, struct berth_error **err)
{
	BERTH_AUTOPTR(berth_ssh) ssh = xcalloc(1, sizeof(*ssh));
	const struct berth_host_timeouts timeouts = berth_host_timeouts(host);
	struct berth_ssh_knownhosts *kh;
	int rc = -1;

	berth_ssh_global_init();
	ssh->host = xstrdup(host->name);
	ssh->fd = -1;
	ssh->command_timeout_s = timeouts.command_s;
	ssh->session = libssh2_session_init();
	if (ssh->session == NULL)
		berth_oom();
	/* Every blocking libssh2 call (handshake, login, channel open and
	 * close) gives up after this long in all. */
	libssh2_session_set_blocking(ssh->session, 1);
	libssh2_session_set_timeout(ssh->session, (long)timeouts.command_s * 1000L);
	/* known_hosts first: a local mistake is found without a connection. */
	kh = berth_ssh_knownhosts_load(host, err);
	if (kh != NULL) {
		ssh->fd = connect_tcp(host, timeouts.connect_s, err);
		if (ssh->fd >= 0 && reached != NULL)
			reached(data);
		if (ssh->fd >= 0)
			rc = session_start(ssh, kh, host, err);
		berth_ssh_knownhosts_free(kh);
	}
	if (rc < 0) {
		berth_error_prefix(err, "host '%s': ", host->name);
		return NULL;
	}
	berth_log_debug("host '%s': SSH session as '%s' to '%s' port %u (%s, %s)",
			host->name, host->user, host->address, host->port,
			libssh2_session_methods(ssh->session, LIBSSH2_METHOD_KEX),
			libssh2_session_methods(ssh->session, LIBSSH2_METHOD_HOSTKEY));
	return berth_steal_pointer(&ssh);
}

struct berth_ssh *
berth_ssh_connect(const struct berth_host *host, struct berth_error **err)
{
	return berth_ssh_connect_notify(host, NULL, NULL, err);
}

/*
 * Waits until the session's socket is ready in the direction libssh2 is
 * blocked on, up to timeout_ms.  Returns 0, or -1 on timeout.
 */
static int
wait_socket(struct berth_ssh *ssh, int timeout_ms)
{
	int dir = libssh2_session_block_directions(ssh->session);
	struct pollfd pfd = { .fd = ssh->fd };
	int rc;

	if (dir == 0 || (dir & LIBSSH2_SESSION_BLOCK_INBOUND))
		pfd.events |= POLLIN;
	if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND)
		pfd.events |= POLLOUT;
	do {
		rc = poll(&pfd, 1, timeout_ms);
	} while (rc < 0 && errno == EINTR);
	return rc > 0 ? 0 : -1;
}

/* How read_streams() reads a command's output. */
struct read_mode {
	bool first_line;	/* stop once stdout has given a newline */
	int idle_s;		/* give up when nothing comes for this long */
	const char *idle_key;	/* the setting behind idle_s, for the message */
};

/* True if out holds a newline at or after byte start. */
static bool
has_newline(const struct berth_buf *out, size_t start)
{
	return memchr(out->buf + start, '\n', out->len - start) != NULL;
}

/*
 * Reads stdout and stderr of channel until both end (or, in first_line
 * mode, until stdout gives a newline), without blocking on one while the
 * other fills the window.  In first_line mode out must not be NULL, stdout
 * may give at most BERTH_SSH_LINE_MAX bytes before its newline, and stderr
 * past that many bytes is dropped.  Returns 0 or -1 with an error.
 */
static int
read_streams(struct berth_ssh *ssh, LIBSSH2_CHANNEL *channel, struct read_mode mode,
	     struct berth_buf *out, struct berth_buf *err_out, struct berth_error **err)
{
	size_t out_start = out != NULL ? out->len : 0;
	size_t err_start = err_out != NULL ? err_out->len : 0;
	char chunk[16384];
	int rc = 0;

	libssh2_session_set_blocking(ssh->session, 0);
	while (!libssh2_channel_eof(channel) && !(mode.first_line && has_newline(out, out_start))) {
		ssize_t n1 = libssh2_channel_read(channel, chunk, sizeof(chunk));
		ssize_t n2;

		if (n1 > 0 && out != NULL)
			berth_buf_addn(out, chunk, (size_t)n1);
		n2 = libssh2_channel_read_stderr(channel, chunk, sizeof(chunk));
		if (n2 > 0 && err_out != NULL &&
		    !(mode.first_line && err_out->len - err_start >= BERTH_SSH_LINE_MAX))
			berth_buf_addn(err_out, chunk, (size_t)n2);
		if ((n1 < 0 && n1 != LIBSSH2_ERROR_EAGAIN) || (n2 < 0 && n2 != LIBSSH2_ERROR_EAGAIN)) {
			berth_error_set(err, BERTH_ERROR_HOST, "cannot read the command's output: %s",
					berth_ssh_session_error(ssh->session));
			rc = -1;
			break;
		}
		if (mode.first_line && out->len - out_start > BERTH_SSH_LINE_MAX &&
		    !has_newline(out, out_start)) {
			berth_error_set(err, BERTH_ERROR_HOST,
					"the command printed more than %d bytes without a newline",
					BERTH_SSH_LINE_MAX);
			rc = -1;
			break;
		}
		if (n1 <= 0 && n2 <= 0 && !libssh2_channel_eof(channel) &&
		    wait_socket(ssh, mode.idle_s * 1000) < 0) {
			if (mode.first_line)
				berth_error_set(err, BERTH_ERROR_HOST,
						"the command did not answer: the host sent nothing for %d s (%s)",
						mode.idle_s, mode.idle_key);
			else
				berth_error_set(err, BERTH_ERROR_HOST,
						"the command did not finish: the host sent nothing for %d s (%s)",
						mode.idle_s, mode.idle_key);
			rc = -1;
			break;
		}
	}
	libssh2_session_set_blocking(ssh->session, 1);
	return rc;
}

/* The exit status of a command that ended on signal signame. */
static int
signal_status(const char *signame)
{
	static const struct {
		const char *name;
		int number;
	} signals[] = {
		{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
		{ "ABRT", SIGABRT }, { "FPE", SIGFPE }, { "KILL", SIGKILL }, { "SEGV", SIGSEGV },
		{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	};

	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
		if (berth_streq(signals[i].name, signame))
			return 128 + signals[i].number;
	}
	return 255;
}

/*
 * Records "host 'H': WHAT: WHY", WHY being libssh2's last error, or the
 * command timeout when that is what ran out.
 */
static void
channel_error(struct berth_ssh *ssh, const char *what, struct berth_error **err)
{
	if (libssh2_session_last_errno(ssh->session) == LIBSSH2_ERROR_TIMEOUT)
		berth_error_set(err, BERTH_ERROR_HOST,
				"host '%s': %s: no answer within %u s (command_timeout)",
				ssh->host, what, ssh->command_timeout_s);
	else
		berth_error_set(err, BERTH_ERROR_HOST, "host '%s': %s: %s", ssh->host, what,
				berth_ssh_session_error(ssh->session));
}

/* A new channel of ssh running cmd, or NULL with an error naming the host. */
static LIBSSH2_CHANNEL *
channel_start(struct berth_ssh *ssh, const char *cmd, struct berth_error **err)
{
	LIBSSH2_CHANNEL *channel = libssh2_channel_open_session(ssh->session);

	if (channel == NULL) {
		channel_error(ssh, "cannot open an SSH channel", err);
		return NULL;
	}
	if (libssh2_channel_exec(channel, cmd) != 0) {
		channel_error(ssh, "cannot run a command", err);
		libssh2_channel_free(channel);
		return NULL;
	}
	return channel;
}

int
berth_ssh_run(struct berth_ssh *ssh, const char *cmd, struct berth_buf *out,
	      struct berth_buf *err_out, int *exit_status, struct berth_error **err)
{
	const struct read_mode mode = {
		.idle_s = (int)ssh->command_timeout_s, .idle_key = "command_timeout",
	};
	LIBSSH2_CHANNEL *channel;
	char *signame = NULL;
	int rc = -1;

	channel = channel_start(ssh, cmd, err);
	if (channel == NULL)
		return -1;
	if (read_streams(ssh, channel, mode, out, err_out, err) < 0) {
		berth_error_prefix(err, "host '%s': ", ssh->host);
		goto cleanup;
	}
	/* Without its close, the exit status may not have come: not a 0. */
	if (libssh2_channel_close(channel) == LIBSSH2_ERROR_TIMEOUT ||
	    libssh2_channel_wait_closed(channel) == LIBSSH2_ERROR_TIMEOUT) {
		berth_error_set(err, BERTH_ERROR_HOST,
				"host '%s': the command did not finish: its output ended, then the host sent nothing for %u s (command_timeout)",
				ssh->host, ssh->command_timeout_s);
		goto cleanup;
	}
	*exit_status = libssh2_channel_get_exit_status(channel);
	libssh2_channel_get_exit_signal(channel, &signame, NULL, NULL, NULL, NULL, NULL);
	if (signame != NULL) {
		*exit_status = signal_status(signame);
		libssh2_free(ssh->session, signame);
	}
	rc = 0;

cleanup:
	libssh2_channel_free(channel);
	return rc;
}

struct berth_ssh_exec {
	LIBSSH2_CHANNEL *channel;
};

struct berth_ssh_exec *
berth_ssh_exec_open(struct berth_ssh *ssh, const char *cmd, unsigned wait_s,
		    struct berth_buf *line, struct berth_buf *err_out, struct berth_error **err)
{
	/* poll() takes int milliseconds. */
	const unsigned wait_max_s = INT_MAX / 1000 - ssh->command_timeout_s;
	const struct read_mode mode = {
		.first_line = true,
		.idle_s = (int)((wait_s < wait_max_s ? wait_s : wait_max_s) +
				ssh->command_timeout_s),
		.idle_key = wait_s > 0 ? "the wait it was given, then command_timeout" :
			    "command_timeout",
	};
	LIBSSH2_CHANNEL *channel = channel_start(ssh, cmd, err);
	struct berth_ssh_exec *exec;

	if (channel == NULL)
		return NULL;
	if (read_streams(ssh, channel, mode, line, err_out, err) < 0) {
		/* No goodbye: the host may be what stopped answering. */
		berth_error_prefix(err, "host '%s': ", ssh->host);
		libssh2_channel_free(channel);
		return NULL;
	}
	exec = xcalloc(1, sizeof(*exec));
	exec->channel = channel;
	return exec;
}

void
berth_ssh_set_timeout(struct berth_ssh *ssh, unsigned timeout_s)
{
	ssh->command_timeout_s = timeout_s;
	libssh2_session_set_timeout(ssh->session, (long)timeout_s * 1000L);
}

int
berth_ssh_exec_write(struct berth_ssh_exec *exec, const char *data, size_t n)
{
	while (n > 0) {
		ssize_t w = libssh2_channel_write(exec->channel, data, n);

		if (w <= 0)
			return -1;
		data += w;
		n -= (size_t)w;
	}
	return 0;
}

void
berth_ssh_exec_close(struct berth_ssh_exec *exec)
{
	if (exec == NULL)
		return;
	/* EOF on its stdin, then its end: blocking, so within the session timeout. */
	libssh2_channel_send_eof(exec->channel);
	libssh2_channel_wait_eof(exec->channel);
	libssh2_channel_close(exec->channel);
	libssh2_channel_wait_closed(exec->channel);
	libssh2_channel_free(exec->channel);
	free(exec);
}

void
berth_ssh_close(struct berth_ssh *ssh)
{
	if (ssh == NULL)
		return;
	if (ssh->handshaken)
		libssh2_session_disconnect(ssh->session, "berth done");
	if (ssh->session != NULL)
		libssh2_session_free(ssh->session);
	if (ssh->fd >= 0)
		close(ssh->fd);
	free(ssh->host);
	free(ssh);
}

static int
ssh_ops_run(void *conn, const char *cmd, struct berth_buf *out, struct berth_buf *err_out,
	    int *exit_status, struct berth_error **err)
{
	return berth_ssh_run(conn, cmd, out, err_out, exit_status, err);
}

static void
ssh_ops_close(void *conn)
{
	berth_ssh_close(conn);
}

const struct berth_transport_ops berth_ssh_transport_ops = {
	.run = ssh_ops_run,
	.close = ssh_ops_close,
};

struct berth_transport
berth_ssh_transport(struct berth_ssh *ssh)
{
	return (struct berth_transport){ .ops = &berth_ssh_transport_ops, .conn = ssh };
}
