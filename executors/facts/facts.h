/*
 * Gathering facts: what each host of an inventory really looks like,
 * observed over libvirt and over SSH, all hosts in parallel.
 *
 * Per host, one thread opens ONE libvirt connection while a second one
 * opens ONE SSH session and runs the script (so the two overlap):
 *  - libvirt (facts-libvirt.c): FQDN, capabilities (arch, CPU, host UUID),
 *    memory, versions, and every domain from one bulk stats call plus one
 *    XML description each;
 *  - SSH (facts-ssh.c): one shell script that prints the hostname, what the
 *    FQDN resolves to, the CPU vendor and flags, the bridges and the files
 *    in the exports this host serves.
 * The XML is parsed by facts-xml.c, from strings, so it is tested without
 * hosts.  docs/facts.md describes every field and where it comes from.
 */
#ifndef BERTH_EXECUTORS_FACTS_H
#define BERTH_EXECUTORS_FACTS_H

#include <libvirt/libvirt.h>

#include "core/error.h"
#include "core/facts.h"
#include "core/inventory.h"
#include "executors/transport/ssh.h"

/* How gathering reaches a host; tests plug in fakes. */
struct berth_facts_connect_ops {
	/* Opens a transport to host in *t, calling reached(data) once the
	 * host has answered (before logging in: the libvirt side starts
	 * then).  Returns 0, or -1 with a HOST error naming the host. */
	int (*ssh)(const struct berth_host *host, struct berth_transport *t,
		   void (*reached)(void *data), void *data, struct berth_error **err);
	/* Opens libvirt on host.  Returns the connection, or NULL with a HOST
	 * error naming the host. */
	virConnectPtr (*libvirt)(const struct berth_host *host, struct berth_error **err);
};

/* The real ones: berth_ssh_connect_notify() and berth_libvirt_open(). */
extern const struct berth_facts_connect_ops berth_facts_connect_real;

/*
 * Facts about every host of inv, gathered in parallel (two threads per
 * host), in inventory order.  A host that cannot be reached or fails is
 * recorded as reachable = false with the error message (naming the host),
 * and the others are still gathered.  Returns new facts the caller frees
 * with berth_facts_free(), or NULL with a SYSTEM error only for a local
 * failure (a thread cannot be started).
 */
struct berth_facts *berth_facts_gather(const struct berth_inventory *inv,
				       struct berth_error **err);

/* berth_facts_gather() reaching hosts through ops.  Same returns. */
struct berth_facts *berth_facts_gather_with(const struct berth_inventory *inv,
					    const struct berth_facts_connect_ops *ops,
					    struct berth_error **err);

/*
 * Fills h (zeroed by the caller but for its name) with what libvirt on conn
 * reports: fqdn, arch, CPU, memory, versions, host UUID and the domains,
 * sorted by name.  Returns 0, or -1 with a HOST error naming the host
 * h->name, with libvirt's message appended.  h keeps what was filled before
 * the failure; the caller clears it.
 */
int berth_facts_from_libvirt(virConnectPtr conn, struct berth_host_fact *h,
			     struct berth_error **err);

/*
 * Runs berth_facts_ssh_script() for host through t with a new random
 * nonce, resolving fqdn (NULL: the host's `hostname -f`), and appends what
 * it printed from its begin marker on to out, for
 * berth_facts_parse_ssh_output(): whatever came before (a login banner, a
 * motd) is dropped.  Returns 0, or -1 with a HOST error naming the host:
 * the transport failed, the output has no begin marker of this run or does
 * not end with its end marker (the script did not reach its end: the error
 * has its exit status and the first line of its stderr, escaped), or it
 * holds a NUL byte.
 */
int berth_facts_ssh_run(const struct berth_transport *t, const struct berth_inventory *inv,
			const struct berth_host *host, const char *fqdn,
			struct berth_buf *out, struct berth_error **err);

/*
 * Looks up on the host, through t, what h->fqdn resolves to, into
 * h->addresses (which must be empty), with a small script framed as
 * berth_facts_ssh_script() frames its output (one "addresses" record).
 * Returns 0, or -1 with a HOST error naming the host.
 */
int berth_facts_ssh_resolve(const struct berth_transport *t, const struct berth_host *host,
			    struct berth_host_fact *h, struct berth_error **err);

/*
 * Runs berth_facts_ssh_script() for host through t and fills h's hostname,
 * addresses, CPU vendor and flags (overriding what the capabilities said:
 * /proc/cpuinfo is authoritative), bridges and exports.  h->fqdn, if set, is the name
 * whose addresses are looked up.  Returns 0, or -1 with a HOST error
 * naming the host.
 */
int berth_facts_from_ssh(const struct berth_transport *t, const struct berth_inventory *inv,
			 const struct berth_host *host, struct berth_host_fact *h,
			 struct berth_error **err);

/*
 * The shell script berth_facts_from_ssh() runs on host.  It only reads (the
 * hostname, the resolver, /proc/cpuinfo, /sys/class/net, the export
 * directories host serves) and prints framed records, each value with its
 * length in bytes, between "@@berth-facts NONCE begin" and "@@berth-facts
 * NONCE end" (the grammar is at the top of facts-ssh.c and in
 * docs/facts.md).  nonce is BERTH_REMOTE_NONCE_LEN lower-case hex digits
 * (berth_remote_nonce()); fqdn is the name to resolve, or NULL for
 * `hostname -f`.  Returns a new string the caller frees.  Cannot fail.
 */
char *berth_facts_ssh_script(const struct berth_inventory *inv, const struct berth_host *host,
			     const char *fqdn, const char *nonce);

/*
 * Parses the output of berth_facts_ssh_script(), as berth_facts_ssh_run()
 * leaves it (starting with the begin marker, whose nonce every header must
 * carry), into h: hostname, addresses, CPU vendor and flags where
 * /proc/cpuinfo has them, bridges, exports; names sorted, addresses
 * de-duplicated in the resolver's order.  h->fqdn is set from the output if
 * it is NULL.  A name or string that is not UTF-8 as jansson takes it (no
 * overlong forms, surrogates, code points above U+10FFFF, stray
 * continuation bytes) is left out with a warning naming h->name (a file or
 * a bridge is skipped; the hostname or FQDN stays NULL, the CPU vendor the
 * capabilities' one).
 * Returns 0; 1 when the script resolved another name than h->fqdn (it ran
 * before libvirt named the host), leaving h->addresses empty for
 * berth_facts_ssh_resolve(); -1 with a HOST error saying where and what
 * for output outside the grammar (cut short, an unknown, repeated or
 * missing record, a wrong length, a header without the nonce, bytes after
 * the end marker, an address that is not IPv4), after which h may hold
 * part of the output for the caller to clear.
 */
int berth_facts_parse_ssh_output(const char *out, struct berth_host_fact *h,
				 struct berth_error **err);

/*
 * Parses libvirt's capabilities XML into h (whose arch, CPU and host UUID
 * fields are still NULL): arch, CPU vendor and model,
 * nx/vmx/svm from the host CPU's features, host UUID.  Returns 0, or -1
 * with a HOST error for XML that does not parse.
 */
int berth_facts_parse_capabilities(const char *xml, struct berth_host_fact *h,
				   struct berth_error **err);

/*
 * Parses a domain's XML into d (zeroed by the caller): name, UUID, memory (KiB), vCPUs, disks and
 * NICs; d->xml gets a copy of xml.  State, persistence and autostart are
 * not in the XML and are left alone.  Returns 0, or -1 with a HOST error
 * for XML that does not parse or is not a domain.
 */
int berth_facts_parse_domain_xml(const char *xml, struct berth_domain_fact *d,
				 struct berth_error **err);

#endif /* BERTH_EXECUTORS_FACTS_H */
