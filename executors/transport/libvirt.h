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
 * error handler that keeps libvirt quiet.  Called by berth_libvirt_open()
 * and berth_libvirt_open_uri(); call it before starting threads.  Aborts
 * if libvirt cannot be initialized.
 */
void berth_libvirt_global_init(void);

/*
 * Keepalive on every connection (libvirt's event loop runs in a thread of
 * its own): a host or daemon that dies mid-call is noticed after about
 * interval * (count + 1) seconds, and the call fails.
 */
#define BERTH_LIBVIRT_KEEPALIVE_INTERVAL_S 5
#define BERTH_LIBVIRT_KEEPALIVE_COUNT 3

/* Seconds a libvirt connection may take to open, handshake included. */
#define BERTH_LIBVIRT_OPEN_TIMEOUT_S 20

/* Changes that timeout for the process (0: back to the default).  Not thread-safe. */
void berth_libvirt_set_open_timeout(unsigned seconds);

/*
 * Opens libvirt on host at berth_host_libvirt_uri(host), without ever
 * asking anything interactively (an unknown host key or a key passphrase
 * is an error, not a prompt).  Returns a connection the caller closes with
 * virConnectClose(), or NULL with a HOST error: "host 'h2': cannot connect
 * to libvirt at 'URI': LIBVIRT'S MESSAGE".
 */
virConnectPtr berth_libvirt_open(const struct berth_host *host, struct berth_error **err);

/*
 * Opens uri the same way; errors are "cannot connect to libvirt at 'URI':
 * ..." without a host.  Returns the connection or NULL.  A host that
 * accepts the TCP connection and never answers does not hang berth: after
 * the open timeout the error says "no answer within N s" (the thread that
 * still waits on libvirt is left to close what it gets).
 */
virConnectPtr berth_libvirt_open_uri(const char *uri, struct berth_error **err);

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
