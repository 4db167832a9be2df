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
#include <libxml/xmlreader.h>

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
	add_with_prop(devices, "serial", "type", "pty");
	add_with_prop(devices, "console", "type", "pty");

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

/* The comparison: differences collected as "what have -> want", ", "-separated. */
struct diff {
	struct berth_buf text;
};

static void differ(struct diff *df, const char *fmt, ...) BERTH_PRINTF(2, 3);

static void
differ(struct diff *df, const char *fmt, ...)
{
	va_list ap;

	if (df->text.len > 0)
		berth_buf_add(&df->text, ", ");
	va_start(ap, fmt);
	berth_buf_vaddf(&df->text, fmt, ap);
	va_end(ap);
}

static const char *
or_none(const char *s)
{
	return s != NULL && *s != '\0' ? s : "(none)";
}

/* Compares a string field: "LABEL HAVE -> WANT" when they differ. */
static void
compare_str(struct diff *df, const char *label, const char *have, const char *want)
{
	if (!berth_streq(have, want))
		differ(df, "%s %s -> %s", label, or_none(have), or_none(want));
}

/* Compares a field of a device: "disk vda format raw -> qcow2". */
static void
compare_part(struct diff *df, const char *part, const char *id, const char *field,
	     const char *have, const char *want)
{
	if (!berth_streq(have, want))
		differ(df, "%s %s %s %s -> %s", part, id, field, or_none(have), or_none(want));
}

static bool
same_nocase(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

static void
compare_disks(struct diff *df, const struct berth_inventory *inv, const char *const *servers,
	      const struct berth_domain *want, const struct berth_domain_fact *have)
{
	for (size_t i = 0; i < want->n_disks; i++) {
		const struct berth_disk *w = &want->disks[i];
		const struct berth_disk_fact *h = NULL;
		BERTH_AUTOFREE char *source = NULL;

		for (size_t j = 0; j < have->n_disks && h == NULL; j++) {
			if (berth_streq(have->disks[j].target, w->target))
				h = &have->disks[j];
		}
		if (h == NULL) {
			differ(df, "disk %s added", w->target);
			continue;
		}
		source = disk_source(inv, servers, w);
		compare_part(df, "disk", w->target, "source", h->source, source);
		compare_part(df, "disk", w->target, "format", h->format, w->format);
	}
	for (size_t j = 0; j < have->n_disks; j++) {
		bool wanted = false;

		for (size_t i = 0; i < want->n_disks && !wanted; i++)
			wanted = berth_streq(have->disks[j].target, want->disks[i].target);
		if (!wanted)
			differ(df, "disk %s removed", or_none(have->disks[j].target));
	}
}

static void
compare_nics(struct diff *df, const struct berth_domain *want,
	     const struct berth_domain_fact *have)
{
	for (size_t i = 0; i < want->n_nics; i++) {
		const struct berth_nic *w = &want->nics[i];
		const struct berth_nic_fact *h = NULL;

		for (size_t j = 0; j < have->n_nics && h == NULL; j++) {
			if (same_nocase(have->nics[j].mac, w->mac))
				h = &have->nics[j];
		}
		if (h == NULL) {
			differ(df, "nic %s added", w->mac);
			continue;
		}
		compare_part(df, "nic", w->mac, "bridge", h->bridge, w->bridge);
		compare_part(df, "nic", w->mac, "model", h->model, w->model);
	}
	for (size_t j = 0; j < have->n_nics; j++) {
		bool wanted = false;

		for (size_t i = 0; i < want->n_nics && !wanted; i++)
			wanted = same_nocase(have->nics[j].mac, want->nics[i].mac);
		if (!wanted)
			differ(df, "nic %s removed", or_none(have->nics[j].mac));
	}
}

/* What only a domain's XML says: its type and its direct kernel boot. */
struct xml_facts {
	xmlChar *type;
	xmlChar *kernel;
	xmlChar *initrd;
	xmlChar *cmdline;
};

/* The slot of f for an element of <os>, or NULL for the others. */
static xmlChar **
os_slot(struct xml_facts *f, const xmlChar *name)
{
	if (xmlStrEqual(name, X("kernel")))
		return &f->kernel;
	if (xmlStrEqual(name, X("initrd")))
		return &f->initrd;
	if (xmlStrEqual(name, X("cmdline")))
		return &f->cmdline;
	return NULL;
}

static void
xml_facts_clear(struct xml_facts *f)
{
	xmlFree(f->type);
	xmlFree(f->kernel);
	xmlFree(f->initrd);
	xmlFree(f->cmdline);
	*f = (struct xml_facts){ .type = NULL };
}

/*
 * Reads f from xml with libxml2's streaming reader, stopping after </os>:
 * the devices, most of a domain's XML, are never parsed, which keeps
 * comparing thousands of domains fast.  Returns false, f empty, if the XML
 * is not well-formed up to there.
 */
static bool
read_xml_facts(const char *xml, struct xml_facts *f)
{
	xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)strlen(xml), "domain.xml", NULL,
						XML_PARSE_NONET | XML_PARSE_NOERROR |
						XML_PARSE_NOWARNING);
	bool in_os = false;
	int rc;

	if (r == NULL)
		return false;
	while ((rc = xmlTextReaderRead(r)) == 1) {
		int depth = xmlTextReaderDepth(r);
		int kind = xmlTextReaderNodeType(r);
		const xmlChar *name = xmlTextReaderConstName(r);
		xmlChar **slot;

		if (depth == 0 && kind == XML_READER_TYPE_ELEMENT && f->type == NULL) {
			f->type = xmlTextReaderGetAttribute(r, X("type"));
		} else if (depth == 1 && xmlStrEqual(name, X("os"))) {
			if (kind == XML_READER_TYPE_END_ELEMENT || xmlTextReaderIsEmptyElement(r))
				break;
			in_os = true;
		} else if (in_os && depth == 2 && kind == XML_READER_TYPE_ELEMENT &&
			   (slot = os_slot(f, name)) != NULL && *slot == NULL) {
			*slot = xmlTextReaderReadString(r);
		}
	}
	xmlFreeTextReader(r);
	if (rc < 0)
		xml_facts_clear(f);
	return rc >= 0;
}

/* What facts keep only in the XML: the domain type and the direct kernel boot. */
static void
compare_xml(struct diff *df, const struct berth_domain *want, const char *xml)
{
	struct xml_facts f = { .type = NULL };

	if (xml == NULL || !read_xml_facts(xml, &f))
		return;
	compare_str(df, "type", (const char *)f.type, want->type);
	compare_str(df, "kernel", (const char *)f.kernel, want->kernel);
	compare_str(df, "initrd", (const char *)f.initrd, want->initrd);
	compare_str(df, "cmdline", (const char *)f.cmdline, want->cmdline);
	xml_facts_clear(&f);
}

bool
berth_domain_matches_servers(const struct berth_inventory *inv, const char *const *servers,
			     const struct berth_domain *want,
			     const struct berth_domain_fact *have, struct berth_buf *why)
{
	struct diff df = { .text = BERTH_BUF_INIT };
	char a[32], b[32];
	bool same;

	compare_xml(&df, want, have->xml);
	if (!same_nocase(have->uuid, want->uuid))
		differ(&df, "uuid %s -> %s", or_none(have->uuid), want->uuid);
	if (have->memory_kib != want->memory_kib) {
		differ(&df, "memory %s -> %s", berth_kib_text(a, sizeof(a), have->memory_kib),
		       berth_kib_text(b, sizeof(b), want->memory_kib));
	}
	if (have->vcpus != want->vcpus)
		differ(&df, "vcpus %u -> %u", have->vcpus, want->vcpus);
	compare_disks(&df, inv, servers, want, have);
	compare_nics(&df, want, have);
	if (!have->persistent)
		differ(&df, "transient -> persistent");

	same = df.text.len == 0;
	if (why != NULL)
		berth_buf_add(why, df.text.buf);
	berth_buf_release(&df.text);
	return same;
}

bool
berth_domain_matches(const struct berth_inventory *inv, const struct berth_domain *want,
		     const struct berth_domain_fact *have, struct berth_buf *why)
{
	return berth_domain_matches_servers(inv, NULL, want, have, why);
}
