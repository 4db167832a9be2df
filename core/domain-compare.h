/*
 * The semantic comparison of two domain definitions: the one wanted (built
 * by the planner from the inventory, or read by a define step from the XML
 * its plan carries) and the one a host has (facts).  The planner uses it to
 * decide whether to redefine a domain, the define executor to decide whether
 * its step is already done; it lives here so that neither links the other.
 *
 * Pure: no I/O.  Uses libxml2's streaming reader for what facts keep only in
 * the XML (the domain type and its direct kernel boot).
 */
#ifndef BERTH_CORE_DOMAIN_COMPARE_H
#define BERTH_CORE_DOMAIN_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/facts.h"
#include "core/inventory.h"

/* What a definition is compared by.  Every pointer is borrowed. */
struct berth_domain_shape {
	const char *uuid;
	uint64_t memory_kib;
	unsigned vcpus;
	const char *type;		/* "kvm", "qemu" */
	const char *kernel;		/* direct kernel boot; NULL for none */
	const char *initrd;
	const char *cmdline;
	/* cpu: <cpu mode>, and its <model> for mode "custom"; NULL: not compared. */
	const char *cpu_mode;
	const char *cpu_model;
	/* boot "disk": <os><boot dev='hd'/>; NULL: not compared (kernel boot is). */
	const char *boot;
	/* A <serial> device: BERTH_TRUE, BERTH_FALSE, or BERTH_UNSET: not compared. */
	enum berth_tristate serial;
	/* Disks by target: source as facts spell it ("nfs://SERVER/PATH"), format. */
	const struct berth_disk_fact *disks;
	size_t n_disks;
	/* NICs by MAC (compared without regard to case): bridge, model. */
	const struct berth_nic_fact *nics;
	size_t n_nics;
};

/* The domain type and direct kernel boot read from a domain's XML. */
struct berth_domain_os {
	char *type;
	char *kernel;
	char *initrd;
	char *cmdline;
	char *boot_dev;		/* the first <os><boot dev>, or NULL */
	char *cpu_mode;		/* <cpu mode> ("custom" when <cpu> has none), or NULL */
	char *cpu_model;	/* <cpu><model>, or NULL */
	bool serial;		/* <devices> has a <serial> */
};

/*
 * Reads os from xml, stopping after </os> (the devices are never parsed,
 * which keeps comparing thousands of domains fast).  Returns true, or false
 * with os empty if the XML is not well-formed up to there.  The caller
 * frees os with berth_domain_os_clear().
 */
bool berth_domain_os_read(const char *xml, struct berth_domain_os *os);

/* Frees what os holds.  Cannot fail. */
void berth_domain_os_clear(struct berth_domain_os *os);

/*
 * True if have (what a host has) is defined as want says: UUID, memory,
 * vCPUs, each disk, each NIC, persistence, and, read from have's XML when
 * it is there, the type and the kernel, initrd and command line.  Power
 * state, autostart and the machine type are not compared.
 *
 * If they differ, returns false and appends to why (which may be NULL) every
 * difference, "have -> want", separated by ", ":
 * "memory 128 MiB -> 256 MiB, nic 52:54:00:18:00:65 bridge br1 -> br0".
 * Cannot fail.
 */
bool berth_domain_shape_matches(const struct berth_domain_shape *want,
				const struct berth_domain_fact *have, struct berth_buf *why);

#endif /* BERTH_CORE_DOMAIN_COMPARE_H */
