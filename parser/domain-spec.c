/* cpu:, boot:, serial:, xml: and edits: of a domain: see domain-spec.h. */
#include "parser/domain-spec.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "parser/include.h"

#define N_FIELDS(table) (sizeof(table) / sizeof((table)[0]))

static const char *const cpu_modes[] = {
	"host-passthrough", "host-model", "custom", "maximum", NULL,
};

struct cpu_keys {
	char *mode;
	char *model;
};

static const struct berth_field cpu_fields[] = {
	{ "mode", NULL, BERTH_FIELD_CHOICE, .offset = offsetof(struct cpu_keys, mode),
	  .choices = cpu_modes },
	{ "model", NULL, BERTH_FIELD_STRING, .offset = offsetof(struct cpu_keys, model) },
};

int
berth_read_domain_cpu(struct berth_parse *p, const struct berth_yaml_node *value,
		      const char *name, const char *where, void *obj)
{
	struct berth_domain *d = obj;
	struct cpu_keys keys = { NULL, NULL };
	BERTH_AUTOFREE char *inner = xasprintf("%s%s: ", where, name);
	int rc;

	rc = berth_fields_parse_nested(p, value, name, where, cpu_fields, N_FIELDS(cpu_fields),
				       &keys, false);
	if (rc == 0 && berth_streq(keys.mode, "custom") && keys.model == NULL)
		rc = berth_parse_fail(p, value->loc, "%s'model' is required with mode 'custom'",
				      inner);
	if (rc == 0 && keys.model != NULL && !berth_streq(keys.mode, "custom"))
		rc = berth_parse_fail(p, berth_fields_loc(value, "model", value->loc),
				      "%s'model' is only for mode 'custom'", inner);
	free(d->cpu_mode);
	free(d->cpu_model);
	d->cpu_mode = keys.mode;
	d->cpu_model = keys.model;
	return rc;
}

/* Silences libxml2's own printing while an XPath compiles: berth reports it. */
static void
quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

int
berth_read_domain_xml(struct berth_parse *p, const struct berth_yaml_node *value,
		      const char *name, const char *where, void *obj)
{
	struct berth_domain *d = obj;
	BERTH_AUTOBUF struct berth_buf text = BERTH_BUF_INIT;
	BERTH_AUTOFREE char *named = NULL;
	const xmlError *e;
	xmlNodePtr root, child;
	xmlDocPtr doc;
	int rc = 0;

	if (berth_read_repo_file(p, value, where, name, &text, &named) < 0)
		return -1;
	/* No network, no entities substituted, nothing printed. */
	doc = xmlReadMemory(text.buf, (int)text.len, named, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		BERTH_AUTOFREE char *why = NULL;
		size_t n;

		e = xmlGetLastError();
		why = xstrdup(e != NULL && e->message != NULL ? e->message : "?");
		n = strlen(why);
		while (n > 0 && (why[n - 1] == '\n' || why[n - 1] == ' '))
			why[--n] = '\0';
		rc = berth_parse_fail(p, value->loc, "%s'%s' is not well-formed XML: %s line %d: "
				      "%s", where, name, named, e != NULL ? e->line : 0, why);
		xmlResetLastError();
		return rc;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || xmlStrcmp(root->name, (const xmlChar *)"domain") != 0) {
		rc = berth_parse_fail(p, value->loc, "%s'%s' must hold a libvirt <domain>, its "
				      "root is <%s>", where, named,
				      root != NULL ? (const char *)root->name : "");
	} else {
		for (child = root->children; child != NULL; child = child->next) {
			xmlChar *text_name;

			if (child->type != XML_ELEMENT_NODE ||
			    xmlStrcmp(child->name, (const xmlChar *)"name") != 0)
				continue;
			text_name = xmlNodeGetContent(child);
			if (text_name != NULL && strcmp((const char *)text_name, d->name) != 0)
				rc = berth_parse_fail(p, value->loc, "%s'%s' names the domain "
						      "'%s', not '%s'", where, named,
						      (const char *)text_name, d->name);
			xmlFree(text_name);
		}
	}
	xmlFreeDoc(doc);
	if (rc < 0)
		return rc;
	free(d->xml_file);
	free(d->xml);
	d->xml_file = berth_steal_pointer(&named);
	d->xml = xstrndup(text.buf, text.len);
	return 0;
}

/* True if text compiles as an XPath expression. */
static bool
xpath_ok(const char *text)
{
	xmlXPathCompExprPtr comp;

	xmlSetGenericErrorFunc(NULL, quiet);
	comp = xmlXPathCompile((const xmlChar *)text);
	xmlSetGenericErrorFunc(NULL, NULL);
	xmlResetLastError();
	if (comp == NULL)
		return false;
	xmlXPathFreeCompExpr(comp);
	return true;
}

/* One item of edits: {set: XPATH, value: TEXT} or {delete: XPATH}. */
static int
read_edit(struct berth_parse *p, const struct berth_yaml_node *item, const char *where,
	  struct berth_edit *edit)
{
	const struct berth_yaml_node *set, *del, *value, *xpath;
	int rc = 0;

	edit->loc = item->loc;
	if (item->kind != BERTH_YAML_MAPPING)
		return berth_parse_fail(p, item->loc, "%smust be {set: XPATH, value: TEXT} or "
					"{delete: XPATH}", where);
	set = berth_yaml_get(item, "set");
	del = berth_yaml_get(item, "delete");
	value = berth_yaml_get(item, "value");
	for (size_t i = 0; i < berth_yaml_n_pairs(item); i++) {
		const struct berth_yaml_node *key = item->items[2 * i];

		if (key->kind != BERTH_YAML_SCALAR || (strcmp(key->text, "set") != 0 &&
						       strcmp(key->text, "delete") != 0 &&
						       strcmp(key->text, "value") != 0))
			rc = berth_parse_fail(p, key->loc, "%sunknown key: an edit has 'set' and "
					      "'value', or 'delete'", where);
	}
	if ((set == NULL) == (del == NULL))
		return berth_parse_fail(p, item->loc, "%sgive 'set' or 'delete', one of them", where);
	if (del != NULL && value != NULL)
		return berth_parse_fail(p, value->loc, "%s'value' is only for 'set'", where);
	if (set != NULL && (value == NULL || value->kind != BERTH_YAML_SCALAR ||
			    berth_first_control(value->text) != 0))
		return berth_parse_fail(p, value != NULL ? value->loc : item->loc,
					"%s'set' needs a 'value': text without control characters",
					where);
	xpath = set != NULL ? set : del;
	if (xpath->kind != BERTH_YAML_SCALAR || berth_first_control(xpath->text) != 0 ||
	    !xpath_ok(xpath->text)) {
		BERTH_AUTOFREE char *got = berth_yaml_describe(xpath);

		return berth_parse_fail(p, xpath->loc, "%s'%s' must be an XPath expression, got %s",
					where, set != NULL ? "set" : "delete", got);
	}
	edit->xpath = xstrdup(xpath->text);
	edit->value = set != NULL ? xstrdup(value->text) : NULL;
	return rc;
}

int
berth_read_domain_edits(struct berth_parse *p, const struct berth_yaml_node *value,
			const char *name, const char *where, void *obj)
{
	struct berth_domain *d = obj;
	int rc = 0;

	if (berth_yaml_is_null(value))
		return 0;
	if (value->kind != BERTH_YAML_SEQUENCE) {
		BERTH_AUTOFREE char *got = berth_yaml_describe(value);

		return berth_parse_fail(p, value->loc, "%s'%s' must be a list, got %s", where, name,
					got);
	}
	d->edits = xcalloc(value->n_items + 1, sizeof(*d->edits));
	for (size_t i = 0; i < value->n_items; i++) {
		BERTH_AUTOFREE char *item_where = xasprintf("%sedit %zu: ", where, i + 1);

		if (read_edit(p, value->items[i], item_where, &d->edits[d->n_edits++]) < 0)
			rc = -1;
	}
	return rc;
}

int
berth_check_domain_spec(struct berth_parse *p, const struct berth_yaml_node *map,
			const struct berth_domain *d, const char *where)
{
	static const char *const compact[] = {
		"memory", "vcpus", "cpu", "boot", "kernel", "initrd", "cmdline", "disks", "nics",
		"serial", "type", "arch", "machine",
	};
	const struct berth_yaml_node *xml = map != NULL ? berth_yaml_get(map, "xml") : NULL;
	int rc = 0;

	if (berth_streq(d->boot, "kernel") && d->kernel == NULL && !p->lenient)
		rc = berth_parse_fail(p, berth_fields_loc(map, "boot", d->loc),
				      "%sboot 'kernel' needs a 'kernel'", where);
	if (berth_streq(d->boot, "disk") && map != NULL && berth_yaml_get(map, "kernel") != NULL)
		rc = berth_parse_fail(p, berth_fields_loc(map, "kernel", d->loc),
				      "%s'kernel' is only for boot 'kernel'", where);
	if (xml == NULL)
		return rc;
	for (size_t i = 0; i < sizeof(compact) / sizeof(compact[0]); i++) {
		const struct berth_yaml_node *v = berth_yaml_get(map, compact[i]);

		if (v != NULL)
			rc = berth_parse_fail(p, v->loc, "%s'%s' is the compact spec's: with 'xml' "
					      "the file says it", where, compact[i]);
	}
	return rc;
}
