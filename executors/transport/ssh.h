/*
 * Running commands on a host over SSH (libssh2), behind a table of
 * functions so that tests can plug in a fake transport.
 *
 *	BERTH_AUTOPTR(berth_ssh) ssh = berth_ssh_connect(host, err);
 *	struct berth_transport t = berth_ssh_transport(ssh);
 *	berth_transport_run(&t, "hostname", &out, &errout, &status, err);
 *
 * The host key is always verified against the host's known_hosts file:
 * there is no option to accept an unknown or changed key.  One session per
 * host; sessions are independent, so different threads may each use their
 * own session at the same time (one session must not be shared between
 * threads without a lock).
 */
#ifndef BERTH_EXECUTORS_SSH_H
#define BERTH_EXECUTORS_SSH_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/inventory.h"
#include "core/mem.h"

/* How a transport runs commands on one host.  conn is the transport's own. */
struct berth_transport_ops {
	/*
	 * Runs cmd (a shell command line) and appends what it printed on
	 * stdout to out and on stderr to err_out (either may be NULL to drop
	 * it); *exit_status gets its exit status (128 + N when killed by
	 * signal N).  Returns 0 when the command ran, whatever its status;
	 * -1 with a HOST error when it could not be run or its output could
	 * not be read.
	 */
	int (*run)(void *conn, const char *cmd, struct berth_buf *out,
		   struct berth_buf *err_out, int *exit_status, struct berth_error **err);
	/* Ends the connection and frees conn.  Accepts NULL. */
	void (*close)(void *conn);
};

/* A transport and its connection, passed around by value. */
struct berth_transport {
	const struct berth_transport_ops *ops;
	void *conn;
};

/* ops->run on t's connection.  Same returns. */
int berth_transport_run(const struct berth_transport *t, const char *cmd,
			struct berth_buf *out, struct berth_buf *err_out,
			int *exit_status, struct berth_error **err);

/* An SSH session to one host, authenticated. */
struct berth_ssh;

/* The table of berth_ssh_run() and berth_ssh_close(). */
extern const struct berth_transport_ops berth_ssh_transport_ops;

/*
 * Initializes libssh2 once for the process (pthread_once).  Called by
 * berth_ssh_connect(); call it before starting threads that open libvirt
 * connections over libssh2 too, so the library is set up exactly once.
 * Aborts if libssh2 cannot be initialized.
 */
void berth_ssh_global_init(void);

/*
 * Connects to host->address:host->port, verifies the host key against
 * host->known_hosts (tried as "ADDRESS" and, for a port other than 22,
 * "[ADDRESS]:PORT"), and logs in as host->user with the private key
 * host->key.  Waits on the host with its timeouts (berth_host_timeouts()):
 * connect_s for the TCP connect to each address, command_s for the whole
 * handshake, for each login attempt, and in the session for every later
 * exchange.  Returns a new session the caller ends with berth_ssh_close(),
 * or NULL with a HOST error that names the host: "host 'h1': host key for
 * 'h1.lab' is not in known_hosts 'FILE' (SHA256:...)", "... does not match
 * known_hosts 'FILE': got SHA256:...", "cannot connect to ...",
 * "authentication as 'root' with key 'KEY' failed".  A stall names its
 * stage and the key that sets its deadline:
 * "cannot connect to 'h1.lab' port 22: TCP connect got no answer within 5 s (connect_timeout)",
 * "SSH handshake with 'h1.lab' port 22 got no answer within 30 s (command_timeout)",
 * "authentication as 'root' with key 'KEY' got no answer within 30 s (command_timeout)".
 */
struct berth_ssh *berth_ssh_connect(const struct berth_host *host, struct berth_error **err);

/*
 * berth_ssh_connect() that calls reached(data) as soon as the TCP
 * connection is up, before the handshake, so that the caller can start
 * other work with a host that answers.  reached is not called when the
 * host cannot be reached.  Same returns.
 */
struct berth_ssh *berth_ssh_connect_notify(const struct berth_host *host,
					   void (*reached)(void *data), void *data,
					   struct berth_error **err);

/*
 * Runs cmd on one new channel of ssh; see berth_transport_ops.run.  Errors
 * name the host.  A command may run for as long as it likes while the host
 * sends something; after the host's command_timeout of silence it is given
 * up: "host 'h1': the command did not finish: the host sent nothing for
 * 30 s (command_timeout)".
 */
int berth_ssh_run(struct berth_ssh *ssh, const char *cmd, struct berth_buf *out,
		  struct berth_buf *err_out, int *exit_status, struct berth_error **err);

/* A command left running on its own channel of a session. */
struct berth_ssh_exec;

/* The longest first line berth_ssh_exec_open() reads. */
#define BERTH_SSH_LINE_MAX 4096

/*
 * Starts cmd on one new channel of ssh and reads until its stdout gives a
 * newline or the command ends, without waiting for it to exit: for a
 * command that answers once and then holds something (a lock) for as long
 * as its stdin stays open.  Appends to line what stdout gave (the first
 * line with its newline, and any bytes that came with it; all of it if the
 * command ended first) and to err_out (may be NULL) up to
 * BERTH_SSH_LINE_MAX bytes of stderr.  Gives up when nothing comes for
 * wait_s + the host's command_timeout seconds, or when stdout gives more
 * than BERTH_SSH_LINE_MAX bytes without a newline.
 *
 * Returns the running command, which the caller ends with
 * berth_ssh_exec_close() before closing ssh; or NULL with a HOST error
 * naming the host.  Same threading rule as berth_ssh_run(): ssh must not
 * be used from two threads at once.
 */
struct berth_ssh_exec *berth_ssh_exec_open(struct berth_ssh *ssh, const char *cmd,
					   unsigned wait_s, struct berth_buf *line,
					   struct berth_buf *err_out, struct berth_error **err);

/*
 * Sets the session's command timeout (the host's command_timeout at
 * connect) to timeout_s: the longest any blocking libssh2 call on it waits,
 * and the longest a command may go without sending anything.  For a caller
 * that knows its next calls should take no time, such as ending a command
 * that ends at EOF on a connection that may be cut.
 */
void berth_ssh_set_timeout(struct berth_ssh *ssh, unsigned timeout_s);

/*
 * Writes data to the command's stdin.  Returns 0, or -1 (the channel or
 * its connection is gone, or the write took longer than the host's
 * command_timeout).  For one thread at a time, like the session.
 */
int berth_ssh_exec_write(struct berth_ssh_exec *exec, const char *data, size_t n);

/*
 * Sends EOF on the command's stdin, waits (within the host's
 * command_timeout) for it to end and its channel to close, and frees exec.
 * Accepts NULL.
 */
void berth_ssh_exec_close(struct berth_ssh_exec *exec);

BERTH_DEFINE_AUTOPTR(berth_ssh_exec, berth_ssh_exec_close)

/* Ends the session and frees ssh.  Accepts NULL. */
void berth_ssh_close(struct berth_ssh *ssh);

BERTH_DEFINE_AUTOPTR(berth_ssh, berth_ssh_close)

/* ssh as a transport; ssh stays the caller's to close. */
struct berth_transport berth_ssh_transport(struct berth_ssh *ssh);

/*
 * The host key's fingerprint as OpenSSH prints it: "SHA256:" and the
 * base64 of the 32-byte SHA-256 digest of the key blob, without '='
 * padding.  Returns a new string the caller frees.  Cannot fail.
 */
char *berth_ssh_fingerprint_sha256(const unsigned char *digest, size_t len);

#endif /* BERTH_EXECUTORS_SSH_H */
