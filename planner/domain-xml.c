/*
 * The desired domain XML (libxml2 builds and formats it: no string pasting)
 * and the semantic comparison with a domain a host has: see domain-xml.h.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/domain-compare.h"
#include "core/util.h"
#include "planner/domain-xml.h"
#include "planner/planner.h"

/* libxml2 returns NULL only when it cannot allocate. */
static void *
xml_checked(void *p)
{
	if (p == NULL)
		berth_oom();
	return p;
}

static const xmlChar *
X(const char *s)
{
	return (const xmlChar *)s;
}

/* The address a host is reached at: its address, or its name. */
static const char *
host_address(const struct berth_host *h)
{
	return h->address != NULL ? h->address : h->name;
}

/*
 * The address of the server of disk's storage: from servers (aligned with
 * inv->storage) when given, else looked up among the hosts (validated
 * inventory: the storage and its server exist).
 */
static const char *
server_address(const struct berth_inventory *inv, const char *const *servers,
	       const struct berth_disk *disk)
{
	const struct berth_host *server;

	for (size_t i = 0; i < inv->n_storage; i++) {
		const struct berth_storage *st = &inv->storage[i];

		if (!berth_streq(st->name, disk->storage))
			continue;
		if (servers != NULL && servers[i] != NULL)
			return servers[i];
		server = berth_inventory_host(inv, st->server);
		return server != NULL ? host_address(server) : st->server;
	}
	return "";
}

static char *
disk_source(const struct berth_inventory *inv, const char *const *servers,
	    const struct berth_disk *disk)
{
	BERTH_AUTOFREE char *path = berth_disk_path(inv, disk);

	return xasprintf("nfs://%s%s", server_address(inv, servers, disk), path);
}

char *
berth_disk_path(const struct berth_inventory *inv, const struct berth_disk *disk)
{
	const struct berth_storage *st = berth_inventory_storage(inv, disk->storage);
	const char *export = st != NULL ? st->export_path : "";
	size_t len = strlen(export);

	while (len > 0 && export[len - 1] == '/')
		len--;
	return xasprintf("%.*s/%s", (int)len, export, disk->image);
}

char *
berth_disk_source(const struct berth_inventory *inv, const struct berth_disk *disk)
{
	return disk_source(inv, NULL, disk);
}

/* <name>text</name> under parent; text is escaped by libxml2. */
static xmlNodePtr
add_text(xmlNodePtr parent, const char *name, const char *text)
{
	return xml_checked(xmlNewTextChild(parent, NULL, X(name), X(text)));
}

/* <name/> under parent. */
static xmlNodePtr
add_empty(xmlNodePtr parent, const char *name)
{
	return xml_checked(xmlNewChild(parent, NULL, X(name), NULL));
}

static void
set_prop(xmlNodePtr node, const char *name, const char *value)
{
	xml_checked(xmlNewProp(node, X(name), X(value)));
}

/* <name ATTR='VALUE'/> under parent. */
static xmlNodePtr
add_with_prop(xmlNodePtr parent, const char *name, const char *attr, const char *value)
{
	xmlNodePtr node = add_empty(parent, name);

	set_prop(node, attr, value);
	return node;
}

static void
add_memory(xmlNodePtr root, const char *name, uint64_t kib)
{
	char text[32];

	snprintf(text, sizeof(text), "%" PRIu64, kib);
	set_prop(add_text(root, name, text), "unit", "KiB");
}

static void
add_os(xmlNodePtr root, const struct berth_domain *d)
{
	xmlNodePtr os = add_empty(root, "os");
	xmlNodePtr type = add_text(os, "type", "hvm");

	set_prop(type, "arch", d->arch);
	set_prop(type, "machine", d->machine);
	if (d->kernel != NULL)
		add_text(os, "kernel", d->kernel);
	if (d->initrd != NULL)
		add_text(os, "initrd", d->initrd);
	if (d->cmdline != NULL)
		add_text(os, "cmdline", d->cmdline);
	if (berth_streq(d->boot, "disk"))
		add_with_prop(os, "boot", "dev", "hd");
}

/* <cpu mode='MODE'> (with <model> for custom), when the inventory sets one. */
static void
add_cpu(xmlNodePtr root, const struct berth_domain *d)
{
	xmlNodePtr cpu;

	if (d->cpu_mode == NULL)
		return;
	cpu = add_with_prop(root, "cpu", "mode", d->cpu_mode);
	if (d->cpu_model != NULL) {
		set_prop(cpu, "match", "exact");
		set_prop(add_text(cpu, "model", d->cpu_model), "fallback", "forbid");
	}
}

static void
add_disk(xmlNodePtr devices, const struct berth_inventory *inv, const char *const *servers,
	 const struct berth_disk *disk)
{
	BERTH_AUTOFREE char *path = berth_disk_path(inv, disk);
	xmlNodePtr node = add_empty(devices, "disk");
	xmlNodePtr driver, source;

	set_prop(node, "type", "network");
	set_prop(node, "device", "disk");
	driver = add_with_prop(node, "driver", "name", "qemu");
	set_prop(driver, "type", disk->format);
	set_prop(driver, "cache", "none");
	source = add_with_prop(node, "source", "protocol", "nfs");
	set_prop(source, "name", path);
	add_with_prop(source, "host", "name", server_address(inv, servers, disk));
	set_prop(add_with_prop(node, "target", "dev", disk->target), "bus", "virtio");
}

static void
add_nic(xmlNodePtr devices, const struct berth_nic *nic)
{
	xmlNodePtr node = add_with_prop(devices, "interface", "type", "bridge");

	add_with_prop(node, "mac", "address", nic->mac);
	add_with_prop(node, "source", "bridge", nic->bridge);
	add_with_prop(node, "model", "type", nic->model);
}

char *
berth_domain_xml_servers(const struct berth_inventory *inv, const char *const *servers,
			 const struct berth_domain *d)
{
	xmlDocPtr doc = xml_checked(xmlNewDoc(X("1.0")));
	xmlNodePtr root = xml_checked(xmlNewNode(NULL, X("domain")));
	xmlNodePtr features, devices;
	xmlChar *mem = NULL;
	char vcpus[16];
	char *xml;
	int size = 0;

	xmlDocSetRootElement(doc, root);
	set_prop(root, "type", d->type);
	add_text(root, "name", d->name);
	add_text(root, "uuid", d->uuid);
	add_memory(root, "memory", d->memory_kib);
	add_memory(root, "currentMemory", d->memory_kib);
	snprintf(vcpus, sizeof(vcpus), "%u", d->vcpus);
	add_text(root, "vcpu", vcpus);
	add_os(root, d);
	add_cpu(root, d);
	features = add_empty(root, "features");
	add_empty(features, "acpi");
	add_text(root, "on_poweroff", "destroy");
	add_text(root, "on_reboot", "restart");
	add_text(root, "on_crash", "destroy");

	devices = add_empty(root, "devices");
	for (size_t i = 0; i < d->n_disks; i++)
		add_disk(devices, inv, servers, &d->disks[i]);
	for (size_t i = 0; i < d->n_nics; i++)
		add_nic(devices, &d->nics[i]);
	if (d->serial != BERTH_FALSE) {
		add_with_prop(devices, "serial", "type", "pty");
		add_with_prop(devices, "console", "type", "pty");
	}

	xmlDocDumpFormatMemory(doc, &mem, &size, 1);
	xmlFreeDoc(doc);
	xml_checked(mem);
	xml = xstrndup((const char *)mem, (size_t)size);
	xmlFree(mem);
	return xml;
}

char *
berth_domain_xml(const struct berth_inventory *inv, const struct berth_domain *d)
{
	return berth_domain_xml_servers(inv, NULL, d);
}

/* The inventory's domain d as the comparison sees it, its disk sources resolved. */
bool
berth_domain_matches_servers(const struct berth_inventory *inv, const char *const *servers,
			     const struct berth_domain *want,
			     const struct berth_domain_fact *have, struct berth_buf *why)
{
	struct berth_disk_fact *disks = xcalloc(want->n_disks + 1, sizeof(*disks));
	struct berth_nic_fact *nics = xcalloc(want->n_nics + 1, sizeof(*nics));
	struct berth_domain_shape shape = {
		.uuid = want->uuid,
		.memory_kib = want->memory_kib,
		.vcpus = want->vcpus,
		.type = want->type,
		.kernel = want->kernel,
		.initrd = want->initrd,
		.cmdline = want->cmdline,
		.cpu_mode = want->cpu_mode,
		.cpu_model = want->cpu_model,
		.boot = want->boot,
		.serial = want->serial,
		.disks = disks,
		.n_disks = want->n_disks,
		.nics = nics,
		.n_nics = want->n_nics,
	};
	bool same;

	for (size_t i = 0; i < want->n_disks; i++) {
		disks[i] = (struct berth_disk_fact){
			.target = want->disks[i].target,
			.source = disk_source(inv, servers, &want->disks[i]),
			.format = want->disks[i].format,
		};
	}
	for (size_t i = 0; i < want->n_nics; i++) {
		nics[i] = (struct berth_nic_fact){
			.mac = want->nics[i].mac,
			.bridge = want->nics[i].bridge,
			.model = want->nics[i].model,
		};
	}
	same = berth_domain_shape_matches(&shape, have, why);
	for (size_t i = 0; i < want->n_disks; i++)
		free(disks[i].source);
	free(disks);
	free(nics);
	return same;
}

bool
berth_domain_matches(const struct berth_inventory *inv, const struct berth_domain *want,
		     const struct berth_domain_fact *have, struct berth_buf *why)
{
	return berth_domain_matches_servers(inv, NULL, want, have, why);
}
