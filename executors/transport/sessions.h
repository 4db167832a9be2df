/*
 * The connections an apply uses: one libvirt connection and one SSH session
 * per host, opened on first use and shared by every step that acts on that
 * host, from any thread.  Also counts the mutating libvirt calls berth makes,
 * so a test can prove that a converged apply makes none.
 */
#ifndef BERTH_EXECUTORS_SESSIONS_H
#define BERTH_EXECUTORS_SESSIONS_H

#include <libvirt/libvirt.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/inventory.h"
#include "executors/transport/ssh.h"

struct berth_sessions;

/*
 * How sessions reach a host: the act side opens connections only through
 * this table, so tests plug in libvirt's test:///default driver and a
 * recording fake of SSH.
 */
struct berth_sessions_ops {
	/* Opens libvirt on host: a connection, or NULL with a HOST error naming it. */
	virConnectPtr (*libvirt)(const struct berth_host *host, struct berth_error **err);
	/* Opens a command transport to host in *t: 0, or -1 with a HOST error naming it. */
	int (*ssh)(const struct berth_host *host, struct berth_transport *t,
		   struct berth_error **err);
};

/* libvirt at berth_host_libvirt_uri() and SSH with verified host keys. */
extern const struct berth_sessions_ops berth_sessions_real;

/* New, with no connection open yet.  inv must outlive it.  Cannot fail. */
struct berth_sessions *berth_sessions_new(const struct berth_inventory *inv);

/* berth_sessions_new() reaching hosts through ops (which must outlive it). */
struct berth_sessions *berth_sessions_new_with(const struct berth_inventory *inv,
					       const struct berth_sessions_ops *ops);

/* Closes every connection and frees s.  Accepts NULL. */
void berth_sessions_free(struct berth_sessions *s);
BERTH_DEFINE_AUTOPTR(berth_sessions, berth_sessions_free)

/*
 * The libvirt connection to host (opened now if it is not yet).  Borrowed:
 * valid until berth_sessions_free().  NULL with a HOST error naming the host
 * if it cannot be opened; the failure is remembered, not retried.
 */
virConnectPtr berth_sessions_libvirt(struct berth_sessions *s, const char *host,
				     struct berth_error **err);

/*
 * A new libvirt connection to host, not shared (the caller closes it with
 * virConnectClose()): for a call that must not wait behind the shared
 * connection's, such as aborting a migration that connection is running.
 * NULL with a HOST error naming the host.
 */
virConnectPtr berth_sessions_libvirt_own(struct berth_sessions *s, const char *host,
					 struct berth_error **err);

/*
 * Opens the libvirt connection of every host of the inventory at once, one
 * thread per host, so that no step pays for a connection on its own time.
 * A host that cannot be reached is remembered as by berth_sessions_libvirt()
 * and reported by the first step that needs it.  Cannot fail.
 */
void berth_sessions_open_all(struct berth_sessions *s);

/*
 * Runs cmd on host over SSH.  Returns 0 with its standard output appended to
 * out (which may be NULL), or -1 with a HOST error naming the host and the
 * command's exit status and standard error when it fails.
 */
int berth_sessions_run(struct berth_sessions *s, const char *host, const char *cmd,
		       struct berth_buf *out, struct berth_error **err);

/*
 * Records that a mutating libvirt call (call, e.g. "virDomainCreate") was
 * made on host for domain, and logs it at info level.  Thread-safe.
 */
void berth_sessions_count_mutation(struct berth_sessions *s, const char *host,
				   const char *call, const char *domain);

/* How many mutating calls were recorded so far. */
unsigned berth_sessions_mutations(const struct berth_sessions *s);

/*
 * The domain called name on host: 1 with *dom set (the caller frees it with
 * virDomainFree), 0 with *dom NULL if host has no such domain, -1 with an
 * error if host cannot be asked.
 */
int berth_sessions_lookup(struct berth_sessions *s, const char *host, const char *name,
			  virDomainPtr *dom, struct berth_error **err);

#endif /* BERTH_EXECUTORS_SESSIONS_H */
