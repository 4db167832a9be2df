/*
 * Connections to libvirt on a host, and libvirt's errors turned into
 * berth errors.
 *
 * libvirt never prints an error itself once berth_libvirt_global_init()
 * has run: every failure is recorded with berth_libvirt_error(), which
 * appends libvirt's last error message of the calling thread.  A
 * connection may be used from one thread at a time; berth opens one per
 * host.
 */
#ifndef BERTH_EXECUTORS_LIBVIRT_H
#define BERTH_EXECUTORS_LIBVIRT_H

#include <libvirt/libvirt.h>

#include "core/error.h"
#include "core/facts.h"
#include "core/inventory.h"

/*
 * Initializes libvirt once for the process (virInitialize) and installs an
 * error handler that keeps libvirt quiet.  Called by the
 * berth_libvirt_open*() functions; call it before starting threads.  Aborts
 * if libvirt cannot be initialized.
 */
void berth_libvirt_global_init(void);

/*
 * Keepalive on every connection (libvirt's event loop runs in a thread of
 * its own), a message every keepalive_s seconds (the host's
 * libvirt_keepalive): a host or daemon that dies mid-call, a long
 * migration say, is noticed after about keepalive_s * (COUNT + 1) seconds,
 * and the call fails.
 */
#define BERTH_LIBVIRT_KEEPALIVE_COUNT 3

/*
 * Opens uri without ever asking anything interactively (an unknown host
 * key or a key passphrase is an error, not a prompt), within timeout_s
 * seconds in all, handshake included, and sets keepalive_s on the
 * connection.  A host that accepts the TCP connection and never answers
 * does not hang berth: the open runs in a thread of its own, and after
 * timeout_s the error is "cannot connect to libvirt at 'URI': no answer
 * within N s (TCP connection, SSH handshake or libvirt's greeting
 * stalled)" (the thread that still waits on libvirt is left to close what
 * it gets).  Other errors are "cannot connect to libvirt at 'URI':
 * LIBVIRT'S MESSAGE", without a host.  Returns a connection the caller
 * closes with virConnectClose(), or NULL with a HOST error.
 */
virConnectPtr berth_libvirt_open_uri_timeout(const char *uri, unsigned timeout_s,
					     unsigned keepalive_s, struct berth_error **err);

/*
 * berth_libvirt_open_uri_timeout() with the defaults:
 * BERTH_HOST_LIBVIRT_TIMEOUT_S (or what berth_libvirt_set_open_timeout()
 * set) and BERTH_HOST_LIBVIRT_KEEPALIVE_S.  Same returns.
 */
virConnectPtr berth_libvirt_open_uri(const char *uri, struct berth_error **err);

/*
 * Changes the timeout of berth_libvirt_open_uri() for the process (0: back
 * to BERTH_HOST_LIBVIRT_TIMEOUT_S), for tests; berth_libvirt_open() uses
 * the host's.  Not thread-safe.
 */
void berth_libvirt_set_open_timeout(unsigned seconds);

/*
 * Opens libvirt on host at berth_host_libvirt_uri(host) with
 * berth_libvirt_open_uri_timeout() and the host's libvirt_timeout and
 * libvirt_keepalive (berth_host_timeouts()).  Same returns, the errors
 * starting "host 'h2': ".
 */
virConnectPtr berth_libvirt_open(const struct berth_host *host, struct berth_error **err);

/*
 * Records an error of kind with the printf-formatted message followed by
 * ": " and libvirt's last error message in this thread (or "unknown libvirt
 * error").  Same rules as berth_error_set().
 */
void berth_libvirt_error(struct berth_error **err, enum berth_error_kind kind,
			 const char *fmt, ...) BERTH_PRINTF(3, 4);

/*
 * libvirt's domain state (virDomainState) and its reason collapsed to what
 * plans need: running (also blocked, or paused by a migration in
 * progress), paused, shutoff (also crashed), other.  Cannot fail.
 */
enum berth_dom_state berth_libvirt_dom_state(int state, int reason);

#endif /* BERTH_EXECUTORS_LIBVIRT_H */
