/*
 * Host-key verification for executors/ssh.c (internal to executors/): the
 * known_hosts file read as OpenSSH reads it, and the decision OpenSSH makes
 * with StrictHostKeyChecking=yes on the key a server presents.  Errors are
 * HOST errors that do not name the host yet (berth_ssh_connect() prefixes
 * them).
 *
 * A line is "[@revoked|@cert-authority] HOSTS KEYTYPE BASE64 [COMMENT]"
 * (sshd(8), SSH_KNOWN_HOSTS FILE FORMAT).  HOSTS is either one hashed name,
 * "|1|SALT|HMAC-SHA1(SALT, NAME)" in base64, or a comma-separated list of
 * patterns with '*' and '?', each possibly negated by '!'; a line is for a
 * name when a pattern matches it and no negated one does, whatever the case
 * of either.  A line OpenSSH would not use (an unknown marker or key type, a
 * key that does not decode, a bad hash) is skipped, as OpenSSH skips it.
 *
 * The name of a host is its address, or "[ADDRESS]:PORT" for a port other
 * than 22.  For a name, the key presented is
 *   REVOKED  if a @revoked line for the name holds it, whatever else does;
 *   OK       if a plain line for it holds it;
 *   CHANGED  if plain lines for it hold other keys, of any type, but not it;
 *   UNKNOWN  if no plain line is for the name.
 * When "[ADDRESS]:PORT" gives UNKNOWN, "ADDRESS" is looked up as OpenSSH
 * does, and only its OK (or REVOKED) counts: a line for "[ADDRESS]:PORT"
 * with another key is never overridden by one for "ADDRESS".
 * @cert-authority lines are read but never make a key acceptable: berth
 * does not accept host certificates.
 */
#ifndef BERTH_EXECUTORS_SSH_KNOWNHOSTS_H
#define BERTH_EXECUTORS_SSH_KNOWNHOSTS_H

#include <stddef.h>

#include <libssh2.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/inventory.h"
#include "core/mem.h"

/* The lines of one known_hosts file that OpenSSH would use. */
struct berth_ssh_knownhosts;

/* The decision on a presented host key: see the top of this file. */
enum berth_ssh_hostkey_status {
	BERTH_SSH_HOSTKEY_OK,
	BERTH_SSH_HOSTKEY_UNKNOWN,
	BERTH_SSH_HOSTKEY_CHANGED,
	BERTH_SSH_HOSTKEY_REVOKED,
	BERTH_SSH_HOSTKEY_LAST,
};

/*
 * libssh2's last error message on session, or "unknown error".  Owned by
 * the session, valid until its next call.
 */
const char *berth_ssh_session_error(LIBSSH2_SESSION *session);

/*
 * host's known_hosts file (host->known_hosts, else ~/.ssh/known_hosts),
 * read line by line; lines OpenSSH would skip are skipped (and logged at
 * debug level).  Returns the lines, freed with berth_ssh_knownhosts_free(),
 * or NULL with "cannot read known_hosts 'FILE': REASON".
 */
struct berth_ssh_knownhosts *berth_ssh_knownhosts_load(const struct berth_host *host,
						       struct berth_error **err);

/* Frees kh.  Accepts NULL. */
void berth_ssh_knownhosts_free(struct berth_ssh_knownhosts *kh);

BERTH_DEFINE_AUTOPTR(berth_ssh_knownhosts, berth_ssh_knownhosts_free)

/*
 * Appends to out the lines of kh for name, as "FILE:LINE", with
 * " @revoked" or " @cert-authority" after a marked one, separated by ", ":
 * the lines `ssh-keygen -l -F NAME -f FILE` finds.  Cannot fail.
 */
void berth_ssh_knownhosts_find(const struct berth_ssh_knownhosts *kh, const char *name,
			       struct berth_buf *out);

/*
 * The decision on key (the key blob of key_len bytes, as the server sent
 * it) for host.  Sets *line, when line is not NULL, to the line it rests on
 * (0 for UNKNOWN): the first line that holds the key for OK, the first
 * @revoked one for REVOKED, the last one with another key for CHANGED, as
 * OpenSSH names them.  On all but OK, sets err to
 *   "host key for 'ADDRESS' (SHA256:...) is marked @revoked in FILE:LINE",
 *   "host key for 'ADDRESS' does not match known_hosts 'FILE': got
 *    SHA256:... (possible man-in-the-middle, or the host was reinstalled);
 *    FILE:LINE has TYPE SHA256:... for 'NAME'", or
 *   "host key for 'ADDRESS' is not in known_hosts 'FILE' (SHA256:...)",
 *    followed, for a port other than 22, by "; looked up as
 *    '[ADDRESS]:PORT', then as 'ADDRESS'", and where a @cert-authority
 *    line is for the host, by "; FILE:LINE is a @cert-authority line, and
 *    berth does not accept host certificates".
 */
enum berth_ssh_hostkey_status berth_ssh_knownhosts_check(const struct berth_ssh_knownhosts *kh,
							 const struct berth_host *host,
							 const unsigned char *key, size_t key_len,
							 unsigned *line, struct berth_error **err);

/*
 * Before the handshake: asks the server for the host key types kh holds
 * for host first, as OpenSSH does, so a host with several keys presents
 * one that can be checked.  The other types follow, so a host with none
 * of them still reaches the check and fails there with its fingerprint.
 * Cannot fail (a refused preference is only logged).
 */
void berth_ssh_knownhosts_prefer(LIBSSH2_SESSION *session, const struct berth_ssh_knownhosts *kh,
				 const struct berth_host *host);

/*
 * After the handshake: berth_ssh_knownhosts_check() of the key the server
 * presented.  Returns 0 on OK, or -1 with the error of the check, or "no
 * host key from 'ADDRESS': REASON".
 */
int berth_ssh_knownhosts_verify(LIBSSH2_SESSION *session, const struct berth_ssh_knownhosts *kh,
				const struct berth_host *host, struct berth_error **err);

#endif /* BERTH_EXECUTORS_SSH_KNOWNHOSTS_H */
