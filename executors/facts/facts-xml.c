/*
 * Facts from libvirt's XML, parsed with libxml2 XPath: the capabilities
 * (arch, CPU, host UUID) and each domain's definition (memory, vCPUs,
 * disks, NICs).  Pure functions of strings, so they are tested on fixtures.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "core/buf.h"
#include "core/util.h"
#include "executors/facts/facts.h"

/* A parsed document and an XPath context on it, freed together. */
struct xml_doc {
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
};

static void
xml_doc_free(struct xml_doc *x)
{
	if (x == NULL)
		return;
	xmlXPathFreeContext(x->ctx);
	xmlFreeDoc(x->doc);
	free(x);
}

BERTH_DEFINE_AUTOPTR(xml_doc, xml_doc_free)

/* Parses xml (what names it in errors) whose root must be root_name. */
static struct xml_doc *
xml_doc_parse(const char *xml, const char *root_name, const char *what,
	      struct berth_error **err)
{
	BERTH_AUTOPTR(xml_doc) x = xcalloc(1, sizeof(*x));
	xmlNodePtr root;

	x->doc = xmlReadMemory(xml, (int)strlen(xml), "facts.xml", NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (x->doc == NULL) {
		const xmlError *e = xmlGetLastError();
		BERTH_AUTOFREE char *msg = xstrdup(e != NULL && e->message != NULL ?
						   e->message : "not XML\n");

		msg[strcspn(msg, "\n")] = '\0';
		berth_error_set(err, BERTH_ERROR_HOST, "cannot parse %s: line %d: %s", what,
				e != NULL ? e->line : 0, msg);
		return NULL;
	}
	root = xmlDocGetRootElement(x->doc);
	if (root == NULL || !xmlStrEqual(root->name, BAD_CAST root_name)) {
		berth_error_set(err, BERTH_ERROR_HOST, "cannot parse %s: the root element is not <%s>",
				what, root_name);
		return NULL;
	}
	x->ctx = xmlXPathNewContext(x->doc);
	if (x->ctx == NULL)
		berth_oom();
	return berth_steal_pointer(&x);
}

/*
 * The string value of expr evaluated at node (NULL: the document), or NULL
 * when it is empty.  The caller frees the result.
 */
static char *
xpath_string(struct xml_doc *x, xmlNodePtr node, const char *expr)
{
	BERTH_AUTOFREE char *full = xasprintf("string(%s)", expr);
	xmlXPathObjectPtr obj;
	char *value = NULL;

	x->ctx->node = node != NULL ? node : xmlDocGetRootElement(x->doc);
	obj = xmlXPathEvalExpression(BAD_CAST full, x->ctx);
	if (obj != NULL && obj->type == XPATH_STRING && obj->stringval != NULL &&
	    obj->stringval[0] != '\0')
		value = xstrdup((const char *)obj->stringval);
	xmlXPathFreeObject(obj);
	return value;
}

/* The nodes expr selects at the root; the caller frees with xmlXPathFreeObject(). */
static xmlXPathObjectPtr
xpath_nodes(struct xml_doc *x, const char *expr, xmlNodeSetPtr *set)
{
	xmlXPathObjectPtr obj;

	x->ctx->node = xmlDocGetRootElement(x->doc);
	obj = xmlXPathEvalExpression(BAD_CAST expr, x->ctx);
	*set = obj != NULL && obj->type == XPATH_NODESET ? obj->nodesetval : NULL;
	return obj;
}

/* The number of nodes in set (which may be NULL). */
static size_t
node_count(const xmlNodeSetPtr set)
{
	return set != NULL && set->nodeNr > 0 ? (size_t)set->nodeNr : 0;
}

/* True if the feature called name is among the host CPU's features. */
static bool
has_feature(struct xml_doc *x, const char *name)
{
	BERTH_AUTOFREE char *expr =
		xasprintf("/capabilities/host/cpu/feature[@name='%s']/@name", name);
	BERTH_AUTOFREE char *found = xpath_string(x, NULL, expr);

	return found != NULL;
}

int
berth_facts_parse_capabilities(const char *xml, struct berth_host_fact *h,
			       struct berth_error **err)
{
	BERTH_AUTOPTR(xml_doc) x = xml_doc_parse(xml, "capabilities", "the capabilities XML",
						 err);

	if (x == NULL)
		return -1;
	h->arch = xpath_string(x, NULL, "/capabilities/host/cpu/arch");
	h->cpu_model = xpath_string(x, NULL, "/capabilities/host/cpu/model");
	h->cpu_vendor = xpath_string(x, NULL, "/capabilities/host/cpu/vendor");
	h->host_uuid = xpath_string(x, NULL, "/capabilities/host/uuid");
	h->cpu_nx = has_feature(x, "nx");
	h->cpu_vmx = has_feature(x, "vmx");
	h->cpu_svm = has_feature(x, "svm");
	return 0;
}

/*
 * value (a number) in unit, as libvirt writes memory sizes, in KiB; unit
 * NULL means KiB.  Returns 0, or -1 for a value or unit that is not one.
 */
static int
scaled_to_kib(const char *value, const char *unit, uint64_t *kib)
{
	static const struct {
		const char *unit;
		uint64_t bytes;
	} units[] = {
		{ "b", 1 }, { "byte", 1 }, { "bytes", 1 },
		{ "KB", 1000 }, { "k", 1024 }, { "KiB", 1024 },
		{ "MB", 1000000 }, { "M", 1048576 }, { "MiB", 1048576 },
		{ "GB", 1000000000 }, { "G", 1073741824 }, { "GiB", 1073741824 },
		{ "TB", 1000000000000 }, { "T", 1099511627776 }, { "TiB", 1099511627776 },
	};
	uint64_t bytes = 1024;
	unsigned long long n;
	char *end;

	if (value == NULL)
		return -1;
	errno = 0;
	n = strtoull(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0')
		return -1;
	if (unit != NULL) {
		size_t i = 0;

		while (i < sizeof(units) / sizeof(units[0]) && strcasecmp(units[i].unit, unit) != 0)
			i++;
		if (i == sizeof(units) / sizeof(units[0]))
			return -1;
		bytes = units[i].bytes;
	}
	if (bytes % 1024 == 0) {
		if (__builtin_mul_overflow(n, bytes / 1024, kib))
			return -1;
	} else {
		if (__builtin_mul_overflow(n, bytes, kib))
			return -1;
		*kib /= 1024;
	}
	return 0;
}

/*
 * A disk's source as one string: "nfs://SERVER/PATH" for NFS (and
 * "PROTOCOL://SERVER/NAME" for other network disks), the path for file
 * and block disks, "POOL/VOLUME" for volumes, "" when there is none.
 */
static char *
disk_source(struct xml_doc *x, xmlNodePtr disk)
{
	BERTH_AUTOFREE char *type = xpath_string(x, disk, "@type");
	char *source = NULL;

	if (berth_streq(type, "network")) {
		BERTH_AUTOFREE char *protocol = xpath_string(x, disk, "source/@protocol");
		BERTH_AUTOFREE char *server = xpath_string(x, disk, "source/host[1]/@name");
		BERTH_AUTOFREE char *name = xpath_string(x, disk, "source/@name");

		if (protocol != NULL)
			source = xasprintf("%s://%s%s%s", protocol, server != NULL ? server : "",
					   name != NULL && name[0] != '/' ? "/" : "",
					   name != NULL ? name : "");
	} else if (berth_streq(type, "volume")) {
		BERTH_AUTOFREE char *pool = xpath_string(x, disk, "source/@pool");
		BERTH_AUTOFREE char *volume = xpath_string(x, disk, "source/@volume");

		if (pool != NULL && volume != NULL)
			source = xasprintf("%s/%s", pool, volume);
	} else {
		source = xpath_string(x, disk, "source/@file");
		if (source == NULL)
			source = xpath_string(x, disk, "source/@dev");
		if (source == NULL)
			source = xpath_string(x, disk, "source/@dir");
	}
	return source != NULL ? source : xstrdup("");
}

static void
parse_disks(struct xml_doc *x, struct berth_domain_fact *d)
{
	xmlNodeSetPtr set;
	xmlXPathObjectPtr obj = xpath_nodes(x, "/domain/devices/disk", &set);

	d->n_disks = node_count(set);
	d->disks = xcalloc(d->n_disks, sizeof(*d->disks));
	for (size_t i = 0; i < d->n_disks; i++) {
		xmlNodePtr node = set->nodeTab[i];

		d->disks[i].target = xpath_string(x, node, "target/@dev");
		d->disks[i].source = disk_source(x, node);
		d->disks[i].format = xpath_string(x, node, "driver/@type");
	}
	xmlXPathFreeObject(obj);
}

static void
parse_nics(struct xml_doc *x, struct berth_domain_fact *d)
{
	xmlNodeSetPtr set;
	xmlXPathObjectPtr obj = xpath_nodes(x, "/domain/devices/interface", &set);

	d->n_nics = node_count(set);
	d->nics = xcalloc(d->n_nics, sizeof(*d->nics));
	for (size_t i = 0; i < d->n_nics; i++) {
		xmlNodePtr node = set->nodeTab[i];
		BERTH_AUTOFREE char *type = xpath_string(x, node, "@type");

		d->nics[i].mac = xpath_string(x, node, "mac/@address");
		if (berth_streq(type, "bridge"))
			d->nics[i].bridge = xpath_string(x, node, "source/@bridge");
		d->nics[i].model = xpath_string(x, node, "model/@type");
	}
	xmlXPathFreeObject(obj);
}

int
berth_facts_parse_domain_xml(const char *xml, struct berth_domain_fact *d,
			     struct berth_error **err)
{
	BERTH_AUTOPTR(xml_doc) x = xml_doc_parse(xml, "domain", "a domain's XML", err);
	BERTH_AUTOFREE char *uuid = NULL;
	BERTH_AUTOFREE char *memory = NULL;
	BERTH_AUTOFREE char *unit = NULL;
	BERTH_AUTOFREE char *vcpus = NULL;

	if (x == NULL)
		return -1;
	d->name = xpath_string(x, NULL, "/domain/name");
	if (d->name == NULL) {
		berth_error_set(err, BERTH_ERROR_HOST, "cannot parse a domain's XML: it has no <name>");
		return -1;
	}
	uuid = xpath_string(x, NULL, "/domain/uuid");
	if (uuid != NULL)
		snprintf(d->uuid, sizeof(d->uuid), "%s", uuid);
	memory = xpath_string(x, NULL, "/domain/memory");
	unit = xpath_string(x, NULL, "/domain/memory/@unit");
	if (scaled_to_kib(memory, unit, &d->memory_kib) < 0)
		d->memory_kib = 0;
	vcpus = xpath_string(x, NULL, "/domain/vcpu/@current");
	if (vcpus == NULL)
		vcpus = xpath_string(x, NULL, "/domain/vcpu");
	d->vcpus = vcpus != NULL ? (unsigned)strtoul(vcpus, NULL, 10) : 0;
	parse_disks(x, d);
	parse_nics(x, d);
	d->xml = xstrdup(xml);
	return 0;
}
