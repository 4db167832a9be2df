/*
 * Two domain definitions compared field by field (see domain-compare.h).
 * Differences are collected as "what have -> want", separated by ", ".
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#include "core/domain-compare.h"
#include "core/util.h"

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
compare_disks(struct diff *df, const struct berth_domain_shape *want,
	      const struct berth_domain_fact *have)
{
	for (size_t i = 0; i < want->n_disks; i++) {
		const struct berth_disk_fact *w = &want->disks[i];
		const struct berth_disk_fact *h = NULL;

		for (size_t j = 0; j < have->n_disks && h == NULL; j++) {
			if (berth_streq(have->disks[j].target, w->target))
				h = &have->disks[j];
		}
		if (h == NULL) {
			differ(df, "disk %s added", or_none(w->target));
			continue;
		}
		compare_part(df, "disk", w->target, "source", h->source, w->source);
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
compare_nics(struct diff *df, const struct berth_domain_shape *want,
	     const struct berth_domain_fact *have)
{
	for (size_t i = 0; i < want->n_nics; i++) {
		const struct berth_nic_fact *w = &want->nics[i];
		const struct berth_nic_fact *h = NULL;

		for (size_t j = 0; j < have->n_nics && h == NULL; j++) {
			if (same_nocase(have->nics[j].mac, w->mac))
				h = &have->nics[j];
		}
		if (h == NULL) {
			differ(df, "nic %s added", or_none(w->mac));
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

static const xmlChar *
X(const char *s)
{
	return (const xmlChar *)s;
}

/* The slot of os for an element of <os>, or NULL for the others. */
static char **
os_slot(struct berth_domain_os *os, const xmlChar *name)
{
	if (xmlStrEqual(name, X("kernel")))
		return &os->kernel;
	if (xmlStrEqual(name, X("initrd")))
		return &os->initrd;
	if (xmlStrEqual(name, X("cmdline")))
		return &os->cmdline;
	return NULL;
}

/* A libxml2 string as a malloc'd one (NULL stays NULL). */
static char *
own(xmlChar *s)
{
	char *copy = s != NULL ? xstrdup((const char *)s) : NULL;

	xmlFree(s);
	return copy;
}

void
berth_domain_os_clear(struct berth_domain_os *os)
{
	free(os->type);
	free(os->kernel);
	free(os->initrd);
	free(os->cmdline);
	free(os->boot_dev);
	free(os->cpu_mode);
	free(os->cpu_model);
	*os = (struct berth_domain_os){ .type = NULL };
}

/* One element of the reader: where it is, in <os>, <cpu> or <devices>. */
static void
read_element(xmlTextReaderPtr r, struct berth_domain_os *os, const xmlChar *section)
{
	const xmlChar *name = xmlTextReaderConstName(r);
	char **slot;

	if (xmlStrEqual(section, X("os"))) {
		if ((slot = os_slot(os, name)) != NULL && *slot == NULL)
			*slot = own(xmlTextReaderReadString(r));
		else if (xmlStrEqual(name, X("boot")) && os->boot_dev == NULL)
			os->boot_dev = own(xmlTextReaderGetAttribute(r, X("dev")));
	} else if (xmlStrEqual(section, X("cpu"))) {
		if (xmlStrEqual(name, X("model")) && os->cpu_model == NULL)
			os->cpu_model = own(xmlTextReaderReadString(r));
	} else if (xmlStrEqual(section, X("devices"))) {
		if (xmlStrEqual(name, X("serial")))
			os->serial = true;
	}
}

bool
berth_domain_os_read(const char *xml, struct berth_domain_os *os)
{
	xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)strlen(xml), "domain.xml", NULL,
						XML_PARSE_NONET | XML_PARSE_NOERROR |
						XML_PARSE_NOWARNING);
	xmlChar *section = NULL;	/* the element at depth 1 being read */
	int rc;

	*os = (struct berth_domain_os){ .type = NULL };
	if (r == NULL)
		return false;
	while ((rc = xmlTextReaderRead(r)) == 1) {
		int depth = xmlTextReaderDepth(r);
		int kind = xmlTextReaderNodeType(r);
		const xmlChar *name = xmlTextReaderConstName(r);

		if (kind != XML_READER_TYPE_ELEMENT)
			continue;
		if (depth == 0 && os->type == NULL) {
			os->type = own(xmlTextReaderGetAttribute(r, X("type")));
		} else if (depth == 1) {
			xmlFree(section);
			section = xmlStrdup(name);
			if (xmlStrEqual(name, X("cpu")) && os->cpu_mode == NULL) {
				os->cpu_mode = own(xmlTextReaderGetAttribute(r, X("mode")));
				if (os->cpu_mode == NULL)
					os->cpu_mode = xstrdup("custom");	/* libvirt's default */
			}
		} else if (depth == 2 && section != NULL) {
			read_element(r, os, section);
		}
	}
	xmlFree(section);
	xmlFreeTextReader(r);
	if (rc < 0)
		berth_domain_os_clear(os);
	return rc >= 0;
}

/*
 * What facts keep only in the XML: the domain type, the direct kernel boot,
 * the boot device, the CPU and the serial console.
 */
static void
compare_os(struct diff *df, const struct berth_domain_shape *want, const char *xml)
{
	struct berth_domain_os os;

	if (xml == NULL || !berth_domain_os_read(xml, &os))
		return;
	compare_str(df, "type", os.type, want->type);
	compare_str(df, "kernel", os.kernel, want->kernel);
	compare_str(df, "initrd", os.initrd, want->initrd);
	compare_str(df, "cmdline", os.cmdline, want->cmdline);
	if (want->cpu_mode != NULL) {
		compare_str(df, "cpu mode", os.cpu_mode, want->cpu_mode);
		if (strcmp(want->cpu_mode, "custom") == 0)
			compare_str(df, "cpu model", os.cpu_model, want->cpu_model);
	}
	if (want->boot != NULL && strcmp(want->boot, "disk") == 0)
		compare_str(df, "boot", os.boot_dev, "hd");
	if (want->serial == BERTH_TRUE && !os.serial)
		differ(df, "serial console added");
	if (want->serial == BERTH_FALSE && os.serial)
		differ(df, "serial console removed");
	berth_domain_os_clear(&os);
}

bool
berth_domain_shape_matches(const struct berth_domain_shape *want,
			   const struct berth_domain_fact *have, struct berth_buf *why)
{
	struct diff df = { .text = BERTH_BUF_INIT };
	char a[32], b[32];
	bool same;

	compare_os(&df, want, have->xml);
	if (!same_nocase(have->uuid, want->uuid))
		differ(&df, "uuid %s -> %s", or_none(have->uuid), or_none(want->uuid));
	if (have->memory_kib != want->memory_kib) {
		differ(&df, "memory %s -> %s", berth_kib_text(a, sizeof(a), have->memory_kib),
		       berth_kib_text(b, sizeof(b), want->memory_kib));
	}
	if (have->vcpus != want->vcpus)
		differ(&df, "vcpus %u -> %u", have->vcpus, want->vcpus);
	compare_disks(&df, want, have);
	compare_nics(&df, want, have);
	if (!have->persistent)
		differ(&df, "transient -> persistent");

	same = df.text.len == 0;
	if (why != NULL)
		berth_buf_add(why, df.text.buf);
	berth_buf_release(&df.text);
	return same;
}
