/*
 * The observed state ("facts"): what each host really looks like, gathered
 * over SSH and libvirt by executors/facts.c, serialized to JSON and loaded
 * back (core/facts-json.c) so the planner can run offline.  docs/facts.md is
 * the schema.
 *
 * Plain data: every string is owned by the struct that holds it and freed by
 * berth_facts_free().  Strings that were not observed are NULL (JSON null).
 */
#ifndef BERTH_CORE_FACTS_H
#define BERTH_CORE_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/mem.h"

/* A domain's state as libvirt reports it, collapsed to what plans need. */
enum berth_dom_state {
	BERTH_DOM_RUNNING,	/* running, blocked, or being migrated */
	BERTH_DOM_PAUSED,
	BERTH_DOM_SHUTOFF,	/* shut off, crashed, or defined only */
	BERTH_DOM_OTHER,	/* shutting down, suspended to disk, ... */
	BERTH_DOM_LAST,
};

struct berth_disk_fact {
	char *target;		/* "vda" */
	/* The disk's source as a URL-like string: "nfs://SERVER/PATH" for an
	 * NFS network disk, the path for a file, "" when it has none. */
	char *source;
	char *format;		/* driver type: "qcow2", "raw", or NULL */
};

struct berth_nic_fact {
	char *mac;
	char *bridge;		/* NULL unless type='bridge' */
	char *model;
};

struct berth_domain_fact {
	char *name;
	char uuid[37];
	enum berth_dom_state state;
	bool persistent;
	bool autostart;
	/* From the persistent definition when there is one, else the live XML:
	 * a redefinition of a running domain shows here at once. */
	uint64_t memory_kib;
	unsigned vcpus;
	struct berth_disk_fact *disks;
	size_t n_disks;
	struct berth_nic_fact *nics;
	size_t n_nics;
	char *xml;		/* the persistent (inactive) XML, else the live XML */
};

/*
 * A lease berth keeps beside a disk image on a share: the symbolic link
 * IMAGE.berth-lease, whose target is the name of the inventory host that
 * may run a QEMU on IMAGE (docs/security.md, "Leases").
 */
#define BERTH_LEASE_SUFFIX ".berth-lease"

struct berth_lease_fact {
	char *image;		/* "web1.qcow2": the name without BERTH_LEASE_SUFFIX */
	char *holder;		/* the link's target: "h1" */
};

/* Files berth found in an export directory on a storage server. */
struct berth_export_fact {
	char *path;
	char **files;		/* names, sorted */
	size_t n_files;
	struct berth_lease_fact *leases;	/* sorted by image */
	size_t n_leases;
};

struct berth_host_fact {
	char *name;		/* the inventory's name for the host */
	bool reachable;
	char *error;		/* why not, when !reachable */
	char *hostname;		/* `hostname` on the host */
	char *fqdn;		/* libvirt's canonical host name */
	char **addresses;	/* what fqdn resolves to on the host */
	size_t n_addresses;
	char *arch;		/* "x86_64" */
	char *cpu_vendor;	/* "GenuineIntel", "AuthenticAMD" */
	char *cpu_model;	/* libvirt's host CPU model */
	bool cpu_nx;
	bool cpu_vmx;
	bool cpu_svm;
	uint64_t memory_total_kib;
	uint64_t memory_free_kib;
	unsigned long libvirt_version;	/* major * 1000000 + minor * 1000 + micro */
	unsigned long qemu_version;	/* same encoding */
	char *host_uuid;
	char **bridges;		/* Linux bridges, sorted */
	size_t n_bridges;
	struct berth_export_fact *exports;	/* only on storage servers */
	size_t n_exports;
	struct berth_domain_fact *domains;	/* sorted by name */
	size_t n_domains;
};

struct berth_facts {
	struct berth_host_fact *hosts;	/* in inventory order */
	size_t n_hosts;
};

void berth_facts_free(struct berth_facts *facts);
BERTH_DEFINE_AUTOPTR(berth_facts, berth_facts_free)

/* Frees what d holds (not d itself: domains live in an array). */
void berth_domain_fact_clear(struct berth_domain_fact *d);

/* Frees what h holds (not h itself: hosts live in an array). */
void berth_host_fact_clear(struct berth_host_fact *h);

/* The host called name, or NULL.  Borrowed from facts. */
const struct berth_host_fact *berth_facts_host(const struct berth_facts *facts,
					       const char *name);

/* The domain called name on h, or NULL.  Borrowed from h. */
const struct berth_domain_fact *berth_host_fact_domain(const struct berth_host_fact *h,
						       const char *name);

/* "running", "paused", "shutoff", "other". */
const char *berth_dom_state_name(enum berth_dom_state state);

/* The state called name, or -1. */
int berth_dom_state_from_name(const char *name);

/*
 * Facts as JSON (schema in docs/facts.md).  Returns a new string the caller
 * frees.  Cannot fail.
 */
char *berth_facts_to_json(const struct berth_facts *facts);

/*
 * Loads facts from a JSON file written by berth_facts_to_json().  Returns a
 * new berth_facts the caller frees, or NULL with an INPUT error naming the
 * file (and line:column for syntax errors, the JSON path for wrong types).
 */
struct berth_facts *berth_facts_load(const char *path, struct berth_error **err);

#endif /* BERTH_CORE_FACTS_H */
