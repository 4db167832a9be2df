/*
 * The desired state: what an inventory says the fleet should look like.
 *
 * Filled by the parser (parser/inventory.c) from YAML and validated there;
 * read by the planner and the executors.  Plain data: every string is owned
 * by the struct that holds it and freed by berth_inventory_free().  Every
 * element keeps the line and column of its YAML node, so later checks can
 * still name the place in the file.
 */
#ifndef BERTH_CORE_INVENTORY_H
#define BERTH_CORE_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mem.h"

/*
 * A place in an inventory file, 1-based as editors count.  file is the
 * file's path as messages name it (one the inventory owns: the inventory
 * itself or a file it includes), or NULL for the inventory itself.
 */
struct berth_location {
	unsigned line;
	unsigned column;
	const char *file;
};

/*
 * The built-in timeouts of a host, in seconds: what the parser gives a host
 * whose inventory sets none (docs/inventory.md), and what a host made by
 * code with 0 there gets from berth_host_timeouts().
 */
#define BERTH_HOST_CONNECT_TIMEOUT_S 5
#define BERTH_HOST_COMMAND_TIMEOUT_S 30
#define BERTH_HOST_LIBVIRT_TIMEOUT_S 20
#define BERTH_HOST_LIBVIRT_KEEPALIVE_S 5

/* How long berth waits on a host at each stage, in seconds; 0: the default. */
struct berth_host_timeouts {
	unsigned connect_s;	/* connect_timeout: a TCP connect (SSH), per address */
	unsigned command_s;	/* command_timeout: the SSH handshake, authentication,
				 * and each remote command while the host sends nothing */
	unsigned libvirt_s;	/* libvirt_timeout: opening libvirt, handshake included */
	unsigned keepalive_s;	/* libvirt_keepalive: libvirt's keepalive interval */
};

/*
 * The largest memory a domain may have (16 TiB, in KiB) and the largest disk
 * image (64 TiB, in bytes), as the inventory checks them: more than any host
 * berth runs on, and small enough that sums over every domain and disk of an
 * inventory (at most BERTH_INVENTORY_MAX_BYTES of YAML) stay far from 2^63.
 */
#define BERTH_DOMAIN_MEMORY_MAX_KIB (UINT64_C(16) << 30)
#define BERTH_DISK_SIZE_MAX_BYTES (UINT64_C(64) << 40)

/*
 * A variable of a host that berth does not use itself (a "site: lab" of an
 * Ansible inventory), as its groups and the host resolved it.
 */
struct berth_var {
	char *name;
	char *value;		/* the text of a scalar; NULL for a list or a mapping */
};

/*
 * A group of hosts under all: (Ansible's YAML inventory): the hosts directly
 * in it and its child groups, by name, in file order.
 */
struct berth_group {
	char *name;
	char **hosts;
	size_t n_hosts;
	char **children;
	size_t n_children;
	struct berth_location loc;
};

/* A hypervisor host and how berth reaches it over SSH and libvirt. */
struct berth_host {
	char *name;		/* key under hosts: */
	char *address;		/* address / ansible_host; default: name.  A host
				 * name or an IP address (berth_uri_host_is_valid()),
				 * IPv6 without brackets */
	char *user;		/* user / ansible_user; default "root" */
	unsigned port;		/* port / ansible_port; default 22 */
	char *key;		/* key / ansible_ssh_private_key_file; may be NULL */
	char *known_hosts;	/* known_hosts file; default ~/.ssh/known_hosts */
	/*
	 * libvirt_uri, or NULL: from an inventory always of the form
	 * qemu+libssh2://[USER@]HOST[:PORT]/system without a query (the parser
	 * checks it with berth_uri_check_libvirt()), to which
	 * berth_host_libvirt_uri() adds berth's parameters.  Any other URI can
	 * only be set by code (tests use test:///default) and is opened as is.
	 */
	char *libvirt_uri;
	/*
	 * libvirt: the same as structured keys (no libvirt_uri with them):
	 * host, port and user of libvirt's SSH connection when they differ from
	 * berth's own (NULL, 0: the same), and the remote libvirtd socket
	 * (NULL: libvirt's default).  The transport is always libssh2.
	 */
	char *libvirt_host;
	unsigned libvirt_port;
	char *libvirt_user;
	char *libvirt_socket;
	/* connect_timeout, command_timeout, libvirt_timeout, libvirt_keepalive;
	 * from an inventory never 0.  Read through berth_host_timeouts(). */
	struct berth_host_timeouts timeouts;
	/*
	 * role: "hypervisor" (runs domains), "storage" (serves storage only)
	 * or "both"; from an inventory never NULL: "both" for a host that
	 * serves a storage entry and says nothing, else "hypervisor".
	 */
	char *role;
	bool maintenance;	/* maintenance: true: no domain may be placed on it */
	uint64_t reserved_kib;	/* reserved: memory kept free for the host itself */
	/* vcpu_overcommit: vCPUs per physical CPU, in hundredths; 0: no limit */
	unsigned vcpu_overcommit_pct;
	/* The groups of all: the host is directly in (not "all"), file order. */
	char **groups;
	size_t n_groups;
	/* Its variables that are not berth settings (Ansible's hostvars), by name. */
	struct berth_var *vars;
	size_t n_vars;
	struct berth_location loc;
};

/*
 * Where the guests' disks live: an NFS share (type "nfs") that hypervisors
 * attach one way (attach "qemu": QEMU's own NFS client, network disks;
 * "pool": a libvirt netfs pool mounted at target; "fstab": a mount at
 * target with its fstab line), or a directory on each hypervisor (type
 * "local", for block migration).  The planner plans "nfs" + "qemu" today
 * and refuses the others (planner/supported.c).
 */
struct berth_storage {
	char *name;		/* key under storage: */
	char *type;		/* "nfs" (default) or "local" */
	char *server;		/* nfs: name of the host that serves it */
	char *export_path;	/* nfs: absolute path exported by the server */
	char **options;		/* nfs: export options ("rw", "sync", "sec=sys") */
	size_t n_options;
	char **clients;		/* nfs: who may mount it (hosts, groups, addresses,
				 * networks); none: every hypervisor */
	size_t n_clients;
	char *nfs_version;	/* nfs: "3", "4", "4.1", "4.2", or NULL: auto */
	char *server_kind;	/* nfs: "kernel", "ganesha" or "auto" (default) */
	char *attach;		/* nfs: "qemu" (default), "pool" or "fstab" */
	char *pool;		/* attach pool: the pool's name; default: name */
	char *target;		/* attach pool, fstab: the mount point, the same on
				 * every hypervisor */
	bool autostart;		/* attach pool: pool autostart; default true */
	char *path;		/* local: the directory on each hypervisor */
	struct berth_location loc;
};

/*
 * A Linux bridge the hosts need (bridges:).  berth checks today that each
 * NIC's bridge is declared and on the domain's host; making the bridge is
 * host preparation's.
 */
struct berth_bridge {
	char *name;		/* key under bridges:, a Linux interface name */
	char *uplink;		/* interface enslaved to it, or NULL */
	bool move_addresses;	/* the uplink's addresses and route move to it */
	bool stp;
	/* hosts: host and group names as given; none: every hypervisor */
	char **hosts;
	size_t n_hosts;
	struct berth_location loc;
};

enum berth_power {
	BERTH_POWER_RUNNING,
	BERTH_POWER_SHUTOFF,
	BERTH_POWER_ABSENT,	/* defined on no host */
	BERTH_POWER_LAST,
};

/* A disk image on a storage share. */
struct berth_disk {
	char *storage;		/* name of a storage: entry */
	char *image;		/* file name relative to the export */
	uint64_t size_bytes;	/* created with this size if missing */
	char *format;		/* "qcow2" (default) or "raw" */
	char *target;		/* guest device, default "vda", "vdb", ... */
	struct berth_location loc;
};

/* A NIC on a Linux bridge of the host. */
struct berth_nic {
	char *bridge;
	char *mac;		/* lower case, aa:bb:cc:dd:ee:ff */
	char *model;		/* default "virtio" */
	struct berth_location loc;
};

/* A boolean setting that may be left out: zero is "not set". */
enum berth_tristate {
	BERTH_UNSET,
	BERTH_FALSE,
	BERTH_TRUE,
};

/*
 * How a domain migrates (migration: at the top, in a domain group, in the
 * domain; each level over the one before).  0, NULL or BERTH_UNSET: not set, the level
 * before decides, and where none does, the built-in default.
 */
struct berth_migration_policy {
	char *mode;			/* "live" (default), "cold" or "auto" */
	char *transport;		/* "p2p" (default), "direct", "tcp", "tunnelled", "tls" */
	unsigned max_downtime_ms;	/* 0: libvirt's */
	unsigned bandwidth_mib_s;	/* 0: no limit */
	unsigned parallel_connections;	/* 0: one */
	unsigned timeout_s;		/* 0: none */
	char *on_timeout;		/* "abort" (default), "suspend", "postcopy" */
	unsigned progress_timeout_s;	/* 0: none */
	unsigned shutdown_timeout_s;	/* 0: apply's --stop-timeout (120 s) */
	enum berth_tristate postcopy;		/* default false */
	enum berth_tristate auto_converge;	/* default false */
	enum berth_tristate compressed;		/* default false */
	enum berth_tristate force_off;		/* default true: a guest that ignores
						 * shutdown is destroyed */
};

/* How many migrations at once (migration: at the top only); 0: not set. */
struct berth_migration_limits {
	unsigned max_parallel_migrations;	/* default 5 */
	unsigned max_outbound_per_host;		/* default 2 */
	unsigned max_inbound_per_host;		/* default: no limit */
};

/* One edit of a domain's XML (edits:): set an XPath's nodes' text, or delete them. */
struct berth_edit {
	char *xpath;
	char *value;		/* set: the text; NULL: delete */
	struct berth_location loc;
};

/* A libvirt domain and where it should run. */
struct berth_domain {
	char *name;
	/* name of a host in hosts:, or NULL: with host: auto or hosts: (the
	 * placement planner's), or for a domain whose state is absent */
	char *host;
	bool host_auto;		/* host: auto: berth picks among every hypervisor */
	char **candidates;	/* hosts: host and group names berth picks among */
	size_t n_candidates;
	enum berth_power state;
	bool autostart;		/* libvirt starts it with the host */
	uint64_t memory_kib;
	unsigned vcpus;
	char uuid[37];		/* given, or derived from the name (SHA-1) */
	bool uuid_given;
	char *type;		/* libvirt domain type: "kvm" (default), "qemu" */
	char *arch;		/* default "x86_64" */
	char *machine;		/* default "pc" */
	char *kernel;		/* direct kernel boot, all three may be NULL */
	char *initrd;
	char *cmdline;
	struct berth_disk *disks;
	size_t n_disks;
	struct berth_nic *nics;
	size_t n_nics;
	char *cpu_mode;		/* cpu: mode: host-passthrough, host-model, custom,
				 * maximum; NULL: libvirt's default */
	char *cpu_model;	/* cpu: model: with mode custom */
	char *boot;		/* "kernel" (with kernel:) or "disk"; NULL: kernel
				 * when there is one, else disk */
	enum berth_tristate serial;	/* serial: a serial console; BERTH_UNSET: yes */
	/* xml: a full domain XML file of the repository instead of the compact
	 * spec: its path as messages name it, and its text (NULL: none) */
	char *xml_file;
	char *xml;
	struct berth_edit *edits;	/* edits: XPath edits of the domain XML */
	size_t n_edits;
	char *group;		/* group: a domain group's name, or NULL */
	/* Its migration policy, the top's, its group's and its own merged. */
	struct berth_migration_policy migration;
	struct berth_location loc;
};

/* A domain group (domain_groups:): defaults and a policy its domains share. */
struct berth_domain_group {
	char *name;
	struct berth_migration_policy migration;	/* its own, over the top's */
	struct berth_location loc;
};

struct berth_inventory {
	char *path;		/* the file it was read from, for messages */
	/* SHA-256 (hex) of the bytes parsed: the inventory's, then each
	 * included file's name and bytes, in the order they were read */
	char sha256[65];
	char **includes;	/* the files it includes, directly or not, as named */
	size_t n_includes;
	struct berth_host *hosts;
	size_t n_hosts;
	/* From all:: "all" first, then the others in file order; none without all:. */
	struct berth_group *groups;
	size_t n_groups;
	/* ansible_* variables berth does not use, each name once, sorted. */
	char **ignored_vars;
	size_t n_ignored_vars;
	struct berth_storage *storage;
	size_t n_storage;
	struct berth_bridge *bridges;
	size_t n_bridges;
	struct berth_domain *domains;
	size_t n_domains;
	struct berth_domain_group *domain_groups;
	size_t n_domain_groups;
	struct berth_migration_policy migration;	/* migration: at the top */
	struct berth_migration_limits limits;
};

/* Frees what policy holds (not policy itself). */
void berth_migration_policy_clear(struct berth_migration_policy *policy);

/* Frees what host h holds (not h itself). */
void berth_host_clear(struct berth_host *h);

/* Frees what domain d holds (not d itself). */
void berth_domain_clear(struct berth_domain *d);

/* Frees inv and everything it holds.  Accepts NULL. */
void berth_inventory_free(struct berth_inventory *inv);

BERTH_DEFINE_AUTOPTR(berth_inventory, berth_inventory_free)

/* The host called name, or NULL.  Borrowed from inv. */
const struct berth_host *berth_inventory_host(const struct berth_inventory *inv,
					      const char *name);

/* The group of all: called name, or NULL.  Borrowed from inv. */
const struct berth_group *berth_inventory_group(const struct berth_inventory *inv,
						const char *name);

/*
 * True if group g of inv holds the host called host, directly or through
 * its children (a cycle among groups, which the parser refuses, ends too).
 */
bool berth_group_holds(const struct berth_inventory *inv, const struct berth_group *g,
		       const char *host);

/* The storage called name, or NULL.  Borrowed from inv. */
const struct berth_storage *berth_inventory_storage(const struct berth_inventory *inv,
						    const char *name);

/* The domain called name, or NULL.  Borrowed from inv. */
const struct berth_domain *berth_inventory_domain(const struct berth_inventory *inv,
						  const char *name);

/*
 * host's timeouts, each 0 (a host made by code without them) replaced by
 * its BERTH_HOST_*_S default.  Cannot fail.
 */
struct berth_host_timeouts berth_host_timeouts(const struct berth_host *host);

/*
 * The libvirt URI berth opens for host:
 * qemu+libssh2://USER@ADDRESS[:PORT]/system?keyfile=KEY&sshauth=privkey
 * &known_hosts=FILE&known_hosts_verify=normal (keyfile and sshauth only with
 * a key; the libvirt: keys' user, host, port in place of the host's, and
 * &socket=PATH, when set), every part escaped by core/uri.c so that no value can add a
 * parameter; with a libvirt_uri of the inventory's form, that URI and the
 * same parameters; with any other libvirt_uri (set by tests), that URI as is.
 * Returns a new string the caller frees.  Cannot fail.
 */
char *berth_host_libvirt_uri(const struct berth_host *host);

/*
 * The URI a source host's libvirtd uses to reach host as the destination of
 * a peer-to-peer migration: qemu+ssh://USER@ADDRESS[:PORT]/system, escaped
 * the same way, with the source host's own SSH keys (unlike
 * berth_host_libvirt_uri(), whose key paths are the controller's).  Returns
 * a new string the caller frees.  Cannot fail.
 */
char *berth_host_peer_uri(const struct berth_host *host);

const char *berth_power_name(enum berth_power state);

struct berth_out;

/*
 * Writes inv, as the parser resolved it (defaults applied, groups' variables
 * merged, paths expanded), into the open JSON object of out: "hosts",
 * "groups", "ignored_vars", "storage", "bridges", "domains", "domain_groups",
 * "migration" and "limits" (docs/inventory.md,
 * "The resolved inventory").  JSON only: prints nothing in text mode.
 */
void berth_inventory_print(struct berth_out *out, const struct berth_inventory *inv);

#endif /* BERTH_CORE_INVENTORY_H */
