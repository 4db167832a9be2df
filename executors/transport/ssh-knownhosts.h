/*
 * Host-key verification for executors/ssh.c (internal to executors/).
 * Functions take a libssh2 session of berth_ssh; errors are HOST errors
 * that do not name the host yet (berth_ssh_connect() prefixes them).
 */
#ifndef BERTH_EXECUTORS_SSH_KNOWNHOSTS_H
#define BERTH_EXECUTORS_SSH_KNOWNHOSTS_H

#include <libssh2.h>

#include "core/error.h"
#include "core/inventory.h"

/*
 * libssh2's last error message on session, or "unknown error".  Owned by
 * the session, valid until its next call.
 */
const char *berth_ssh_session_error(LIBSSH2_SESSION *session);

/*
 * host's known_hosts file (host->known_hosts, else ~/.ssh/known_hosts)
 * read line by line, so that a line libssh2 cannot parse (a key type it
 * does not know, a marker) is skipped, as OpenSSH does, instead of failing
 * the whole file.  Returns the collection, freed with
 * libssh2_knownhost_free(), or NULL with "cannot read known_hosts 'FILE':
 * REASON".
 */
LIBSSH2_KNOWNHOSTS *berth_ssh_knownhosts_load(LIBSSH2_SESSION *session,
					      const struct berth_host *host,
					      struct berth_error **err);

/*
 * Before the handshake: asks the server for the host key types kh holds
 * for host first, as OpenSSH does, so a host with several keys presents
 * one that can be checked.  The other types follow, so a host with none
 * of them still reaches the check and fails there with its fingerprint.
 * Cannot fail (a refused preference is only logged).
 */
void berth_ssh_knownhosts_prefer(LIBSSH2_SESSION *session, LIBSSH2_KNOWNHOSTS *kh,
				 const struct berth_host *host);

/*
 * After the handshake: checks the key the server presented against kh,
 * under "ADDRESS" and, for a port other than 22, "[ADDRESS]:PORT".
 * Returns 0 on a match, or -1 with "host key for 'ADDRESS' is not in
 * known_hosts 'FILE' (SHA256:...)" or "host key for 'ADDRESS' does not
 * match known_hosts 'FILE': got SHA256:... (possible man-in-the-middle, or
 * the host was reinstalled)".
 */
int berth_ssh_knownhosts_verify(LIBSSH2_SESSION *session, LIBSSH2_KNOWNHOSTS *kh,
				const struct berth_host *host, struct berth_error **err);

#endif /* BERTH_EXECUTORS_SSH_KNOWNHOSTS_H */
