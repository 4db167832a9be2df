/*
 * Fuzzes the inventory parser (parser/inventory.c) and what is built from
 * an inventory it accepts: each host's libvirt and peer URIs
 * (core/inventory.c, core/uri.c) and each domain's XML
 * (planner/domain-xml.c).
 *
 * Beyond not crashing:
 *   - a refused inventory is a BERTH_ERROR_INPUT error of one line,
 *     "fuzz.yaml:LINE:COLUMN: MESSAGE";
 *   - each URI parses with libxml2 as libvirt parses it, back into the
 *     host's user, address and port, with exactly berth's own query
 *     parameters (their values the host's key and known_hosts paths): no
 *     value can add a parameter or end its component;
 *   - each domain's XML is well-formed, and the facts parser reads it back
 *     as a domain that matches the inventory's (berth_domain_matches()), so
 *     a domain berth defines is not redefined on the next run.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

#include "core/buf.h"
#include "core/util.h"
#include "executors/facts/facts.h"
#include "parser/inventory.h"
#include "planner/domain-xml.h"
#include "tests/fuzz/fuzz.h"

#define PATH "fuzz.yaml"

/* The user, host and port a URI should name. */
struct server {
	const char *user;
	const char *host;
	int port;		/* 0: none in the URI */
};

/* uri->server without the brackets of an IPv6 address; a new string. */
static char *
uri_host(const xmlURI *uri)
{
	size_t len = uri->server != NULL ? strlen(uri->server) : 0;

	if (len >= 2 && uri->server[0] == '[' && uri->server[len - 1] == ']')
		return xstrndup(uri->server + 1, len - 2);
	return xstrdup(uri->server != NULL ? uri->server : "");
}

static void
check_server(const char *text, const xmlURI *uri, const char *scheme, const struct server *want)
{
	BERTH_AUTOFREE char *host = uri_host(uri);

	if (!berth_streq(uri->scheme, scheme))
		berth_fuzz_fail("URI '%s': scheme '%s', not '%s'", text,
				uri->scheme != NULL ? uri->scheme : "", scheme);
	if (!berth_streq(uri->user, want->user))
		berth_fuzz_fail("URI '%s': user '%s', not '%s'", text,
				uri->user != NULL ? uri->user : "(none)", want->user);
	if (!berth_streq(host, want->host))
		berth_fuzz_fail("URI '%s': host '%s', not '%s'", text, host, want->host);
	if ((uri->port > 0 ? uri->port : 0) != want->port)
		berth_fuzz_fail("URI '%s': port %d, not %d", text, uri->port, want->port);
	if (!berth_streq(uri->path, "/system"))
		berth_fuzz_fail("URI '%s': path '%s', not '/system'", text,
				uri->path != NULL ? uri->path : "");
	if (uri->fragment != NULL)
		berth_fuzz_fail("URI '%s': a fragment '%s'", text, uri->fragment);
}

/*
 * The next parameter of the query at *q, split as libvirt splits it (on
 * '&' and ';'), must be name=value.
 */
static void
check_param(const char *text, const char **q, const char *name, const char *value)
{
	size_t len = strcspn(*q, "&;");
	const char *eq = memchr(*q, '=', len);
	BERTH_AUTOFREE char *got_name = NULL;
	BERTH_AUTOFREE char *got_value = NULL;

	if (eq == NULL)
		berth_fuzz_fail("URI '%s': parameter '%.*s' without a value where '%s' was due",
				text, (int)len, *q, name);
	got_name = xmlURIUnescapeString(*q, (int)(eq - *q), NULL);
	got_value = xmlURIUnescapeString(eq + 1, (int)(len - (size_t)(eq + 1 - *q)), NULL);
	if (got_name == NULL || got_value == NULL)
		berth_oom();
	if (strcmp(got_name, name) != 0 || strcmp(got_value, value) != 0)
		berth_fuzz_fail("URI '%s': parameter '%s'='%s' where '%s'='%s' was due", text,
				got_name, got_value, name, value);
	*q += len;
	if (**q != '\0')
		(*q)++;
}

static void
check_libvirt_uri(const struct berth_host *h)
{
	BERTH_AUTOFREE char *text = berth_host_libvirt_uri(h);
	xmlURIPtr uri = xmlParseURI(text);
	xmlURIPtr given = NULL;
	BERTH_AUTOFREE char *given_host = NULL;
	/* libvirt:'s keys, where given, over the host's own. */
	unsigned port = h->libvirt_port != 0 ? h->libvirt_port : h->port;
	struct server want = {
		.user = h->libvirt_user != NULL ? h->libvirt_user : h->user,
		.host = h->libvirt_host != NULL ? h->libvirt_host : h->address,
		.port = port != 22 ? (int)port : 0,
	};
	const char *q;

	if (uri == NULL)
		berth_fuzz_fail("host '%s': libvirt URI '%s' does not parse", h->name, text);
	if (h->libvirt_uri != NULL) {
		/* The inventory's own URI names the server; the parser checked its form. */
		given = xmlParseURI(h->libvirt_uri);
		if (given == NULL)
			berth_fuzz_fail("host '%s': libvirt_uri '%s' does not parse", h->name,
					h->libvirt_uri);
		given_host = uri_host(given);
		want = (struct server){
			.user = given->user, .host = given_host,
			.port = given->port > 0 ? given->port : 0,
		};
	}
	check_server(text, uri, "qemu+libssh2", &want);
	q = uri->query_raw != NULL ? uri->query_raw : "";
	if (h->libvirt_socket != NULL)
		check_param(text, &q, "socket", h->libvirt_socket);
	if (h->key != NULL) {
		check_param(text, &q, "keyfile", h->key);
		check_param(text, &q, "sshauth", "privkey");
	}
	if (h->known_hosts != NULL)
		check_param(text, &q, "known_hosts", h->known_hosts);
	check_param(text, &q, "known_hosts_verify", "normal");
	if (*q != '\0')
		berth_fuzz_fail("URI '%s': a parameter berth did not add: '%s'", text, q);
	xmlFreeURI(given);
	xmlFreeURI(uri);
}

static void
check_peer_uri(const struct berth_host *h)
{
	BERTH_AUTOFREE char *text = berth_host_peer_uri(h);
	xmlURIPtr uri = xmlParseURI(text);
	struct server want = {
		.user = h->user, .host = h->address, .port = h->port != 22 ? (int)h->port : 0,
	};

	if (uri == NULL)
		berth_fuzz_fail("host '%s': peer URI '%s' does not parse", h->name, text);
	check_server(text, uri, "qemu+ssh", &want);
	if (uri->query_raw != NULL)
		berth_fuzz_fail("peer URI '%s': a query '%s'", text, uri->query_raw);
	xmlFreeURI(uri);
}

static void
check_domain_xml(const struct berth_inventory *inv, const struct berth_domain *d)
{
	BERTH_AUTOFREE char *xml = berth_domain_xml(inv, d);
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_domain_fact have = { 0 };
	struct berth_buf why = BERTH_BUF_INIT;
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

	if (doc == NULL)
		berth_fuzz_fail("domain '%s': the XML is not well-formed:\n%s", d->name, xml);
	xmlFreeDoc(doc);
	if (berth_facts_parse_domain_xml(xml, &have, &err) < 0)
		berth_fuzz_fail("domain '%s': the facts parser refuses its XML: %s\n%s", d->name,
				berth_error_message(err), xml);
	if (!berth_streq(have.name, d->name) || strcmp(have.uuid, d->uuid) != 0)
		berth_fuzz_fail("domain '%s' (%s): its XML reads back as '%s' (%s)", d->name,
				d->uuid, have.name != NULL ? have.name : "", have.uuid);
	have.persistent = true;
	if (!berth_domain_matches(inv, d, &have, &why))
		berth_fuzz_fail("domain '%s': its own XML does not match it: %s\n%s", d->name,
				why.buf, xml);
	berth_buf_release(&why);
	berth_domain_fact_clear(&have);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	berth_fuzz_setup();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_inventory) inv = NULL;

	inv = berth_inventory_parse((const char *)data, size, PATH, &err);
	if (inv == NULL) {
		berth_fuzz_check_error(err, BERTH_ERROR_INPUT, PATH ":", "berth_inventory_parse");
		return 0;
	}
	if (err != NULL)
		berth_fuzz_fail("an inventory was parsed with an error: %s", berth_error_message(err));
	for (size_t i = 0; i < inv->n_hosts; i++) {
		check_libvirt_uri(&inv->hosts[i]);
		check_peer_uri(&inv->hosts[i]);
	}
	for (size_t i = 0; i < inv->n_domains; i++)
		check_domain_xml(inv, &inv->domains[i]);
	return 0;
}
