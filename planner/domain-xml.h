/*
 * The libvirt domain XML the inventory asks for, and the semantic
 * comparison of a domain as the inventory wants it with the domain a host
 * has (facts), which is how the planner decides whether to redefine it.
 *
 * Disks are network disks that QEMU opens with its own NFS client from the
 * storage server named in the inventory (the hosts' kernels have no NFS
 * client), so a disk's source is "nfs://SERVER_ADDRESS/EXPORT/IMAGE".
 *
 * Everything here is pure: no I/O, the same input gives the same output.
 * The inventory is assumed valid (the parser checked it): a disk's storage
 * and that storage's server exist.
 */
#ifndef BERTH_PLANNER_DOMAIN_XML_H
#define BERTH_PLANNER_DOMAIN_XML_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/facts.h"
#include "core/inventory.h"

/*
 * The absolute path of disk's image on its storage server: the export path
 * and the image name joined by one '/'.  Returns a new string the caller
 * frees.  Cannot fail.
 */
char *berth_disk_path(const struct berth_inventory *inv, const struct berth_disk *disk);

/*
 * The disk's source as facts spell it: "nfs://ADDRESS/PATH", ADDRESS being
 * the inventory address of the storage server.  Returns a new string the
 * caller frees.  Cannot fail.
 */
char *berth_disk_source(const struct berth_inventory *inv, const struct berth_disk *disk);

/*
 * The domain XML for d (a domain of inv), built with libxml2 and formatted
 * with two-space indentation.  Returns a new string the caller frees.
 * Cannot fail (allocation aborts).
 */
char *berth_domain_xml(const struct berth_inventory *inv, const struct berth_domain *d);

/*
 * True if the domain a host has (have) is defined as the inventory wants
 * it (want): memory, vCPUs, UUID, persistence, each disk (by target: source
 * and format), each NIC (by MAC: bridge and model), and, read from have's
 * XML when facts carry it, the domain type and the kernel, initrd and
 * command line.  Power state is not compared.
 *
 * If they differ, returns false and appends to why (which may be NULL) a
 * short description of every difference, "have -> want" and separated by
 * ", ": "memory 128 MiB -> 256 MiB, nic 52:54:00:18:00:65 bridge br1 -> br0".
 * Cannot fail.
 */
bool berth_domain_matches(const struct berth_inventory *inv, const struct berth_domain *want,
			  const struct berth_domain_fact *have, struct berth_buf *why);

/*
 * The two functions above look up the server of each disk's storage among
 * the inventory's hosts, which costs a scan of the hosts per disk.  Callers
 * that build or compare many domains (the planner) resolve the servers once
 * and pass them: servers[i] is the address of the server of inv->storage[i]
 * (NULL entries, or a NULL servers, are looked up).  Otherwise the same.
 */
char *berth_domain_xml_servers(const struct berth_inventory *inv, const char *const *servers,
			       const struct berth_domain *d);
bool berth_domain_matches_servers(const struct berth_inventory *inv, const char *const *servers,
				  const struct berth_domain *want,
				  const struct berth_domain_fact *have, struct berth_buf *why);

#endif /* BERTH_PLANNER_DOMAIN_XML_H */
