/* libvirt URIs built, checked and shown: see uri.h. */
#include "core/uri.h"

#include <arpa/inet.h>
#include <assert.h>
#include <string.h>

#include <libxml/uri.h>

#include "core/mem.h"
#include "core/util.h"

/* The longest host name DNS allows, in bytes. */
#define HOST_NAME_MAX_LEN 253

#define LETTERS_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/* RFC 3986's unreserved characters: never escaped. */
#define UNRESERVED LETTERS_DIGITS "-._~"

/* What a host name or a libvirt_uri's user may hold. */
#define NAME_CHARS LETTERS_DIGITS "-_."

/* berth's own query parameters, whose values are paths and words, never secrets. */
static const char *const harmless_params[] = {
	"keyfile", "known_hosts", "known_hosts_verify", "sshauth", "socket",
};

void
berth_uri_add_escaped(struct berth_buf *b, const char *text, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
		if (strchr(UNRESERVED, *c) != NULL || strchr(keep, *c) != NULL) {
			berth_buf_addch(b, (char)*c);
		} else {
			berth_buf_addch(b, '%');
			berth_buf_addch(b, hex[*c >> 4]);
			berth_buf_addch(b, hex[*c & 0xf]);
		}
	}
}

void
berth_uri_add_server(struct berth_buf *b, const char *scheme, const char *user,
		     const char *host, unsigned port, const char *path)
{
	berth_buf_addf(b, "%s://", scheme);
	if (user != NULL) {
		berth_uri_add_escaped(b, user, "");
		berth_buf_addch(b, '@');
	}
	if (host == NULL)
		host = "";
	if (strchr(host, ':') != NULL) {
		/* An IPv6 address: its ':' stand, inside brackets (RFC 3986's IP-literal). */
		berth_buf_addch(b, '[');
		berth_uri_add_escaped(b, host, ":");
		berth_buf_addch(b, ']');
	} else {
		berth_uri_add_escaped(b, host, "");
	}
	if (port != 0)
		berth_buf_addf(b, ":%u", port);
	berth_uri_add_escaped(b, path, "/");
}

void
berth_uri_add_param(struct berth_buf *b, const char *name, const char *value)
{
	assert(name[0] != '\0' && strspn(name, "abcdefghijklmnopqrstuvwxyz_") == strlen(name));
	/* Every part before is escaped, so a '?' can only be the query's. */
	berth_buf_addch(b, strchr(b->buf, '?') != NULL ? '&' : '?');
	berth_buf_addf(b, "%s=", name);
	berth_uri_add_escaped(b, value, "/");
}

bool
berth_uri_host_is_valid(const char *host)
{
	struct in6_addr v6;
	size_t len = strlen(host);

	if (strchr(host, ':') != NULL)
		return inet_pton(AF_INET6, host, &v6) == 1;
	if (len == 0 || len > HOST_NAME_MAX_LEN || strchr(LETTERS_DIGITS, host[0]) == NULL)
		return false;
	return strspn(host, NAME_CHARS) == len;
}

/* Why scheme, not qemu+libssh2, is refused; server says whether a host is named. */
static char *
scheme_refused(const char *scheme, bool server)
{
	static const struct {
		const char *transport;
		const char *why;
	} transports[] = {
		{ "ext", "runs a local program" },
		{ "ssh", "runs the local ssh program" },
		{ "unix", "talks to a libvirt daemon on this machine" },
		{ "tcp", "is not encrypted" },
		{ "tls", "needs certificates that berth does not manage" },
	};
	const char *plus = strchr(scheme, '+');

	if (plus == NULL && !server)
		return xasprintf("a URI without a transport or a host opens the '%s' driver on "
				 "this machine", scheme);
	if (plus == NULL)
		return xstrdup("a URI without a transport uses tls, which needs certificates "
			       "that berth does not manage");
	for (size_t i = 0; i < sizeof(transports) / sizeof(transports[0]); i++) {
		if (strcmp(plus + 1, transports[i].transport) == 0)
			return xasprintf("the transport '%s' %s", plus + 1, transports[i].why);
	}
	if (strcmp(plus + 1, "libssh2") == 0)
		return xasprintf("berth manages only the qemu driver, not '%.*s'",
				 (int)(plus - scheme), scheme);
	return xasprintf("berth does not support the transport '%s'", plus + 1);
}

/* Why the parsed uri is not BERTH_URI_LIBVIRT_FORM, or NULL if it is. */
static char *
libvirt_uri_refused(const xmlURI *uri, const char *host)
{
	const char *user = uri->user;

	if (uri->scheme == NULL)
		return xstrdup("it has no scheme");
	if (strcmp(uri->scheme, "qemu+libssh2") != 0)
		return scheme_refused(uri->scheme, uri->server != NULL && uri->server[0] != '\0');
	if (host == NULL || host[0] == '\0')
		return xstrdup("it names no host");
	if (user != NULL && strchr(user, ':') != NULL)
		return xstrdup("it holds a password, which berth never sends: berth logs in "
			       "with 'key'");
	if (user != NULL && (user[0] == '\0' || strchr(LETTERS_DIGITS "_", user[0]) == NULL ||
			     strspn(user, NAME_CHARS) != strlen(user)))
		return xasprintf("the user '%s' is not letters, digits, '-', '_' and '.'", user);
	if (!berth_uri_host_is_valid(host))
		return xasprintf("the host '%s' is not a host name or an IP address", host);
	if (uri->port > 65535)
		return xasprintf("the port %d is not from 1 to 65535", uri->port);
	if (!berth_streq(uri->path, "/system"))
		return xasprintf("the path must be /system, got '%s'",
				 uri->path != NULL ? uri->path : "");
	if (uri->query_raw != NULL)
		return xasprintf("the parameter '%.*s' is not allowed: query parameters are "
				 "berth's alone (it adds keyfile, known_hosts, known_hosts_verify "
				 "and sshauth from 'key' and 'known_hosts')",
				 (int)strcspn(uri->query_raw, "=&;"), uri->query_raw);
	if (uri->fragment != NULL)
		return xstrdup("it has a fragment ('#...'), which libvirt does not read");
	return NULL;
}

char *
berth_uri_check_libvirt(const char *text, char **why)
{
	struct berth_buf canonical = BERTH_BUF_INIT;
	xmlURIPtr uri = xmlParseURI(text);
	BERTH_AUTOFREE char *host = NULL;
	size_t len;

	*why = NULL;
	if (uri == NULL) {
		*why = xstrdup("it is not a URI");
		return NULL;
	}
	/* libxml2 keeps the brackets of an IPv6 host; libvirt strips them too. */
	if (uri->server != NULL) {
		len = strlen(uri->server);
		if (len >= 2 && uri->server[0] == '[' && uri->server[len - 1] == ']')
			host = xstrndup(uri->server + 1, len - 2);
		else
			host = xstrdup(uri->server);
	}
	*why = libvirt_uri_refused(uri, host);
	if (*why == NULL)
		berth_uri_add_server(&canonical, "qemu+libssh2", uri->user, host,
				     uri->port > 0 ? (unsigned)uri->port : 0, "/system");
	xmlFreeURI(uri);
	if (*why != NULL)
		return NULL;
	return berth_buf_detach(&canonical);
}

static bool
is_harmless_param(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(harmless_params) / sizeof(harmless_params[0]); i++) {
		if (strlen(harmless_params[i]) == len && strncmp(name, harmless_params[i], len) == 0)
			return true;
	}
	return false;
}

char *
berth_uri_redacted(const char *uri)
{
	struct berth_buf out = BERTH_BUF_INIT;
	const char *query = uri + strcspn(uri, "?#");
	const char *authority = strstr(uri, "://");
	const char *from = uri;
	const char *q;

	/* userinfo: "USER:PASSWORD@" keeps USER. */
	if (authority != NULL && authority < query) {
		size_t len;
		const char *at, *colon;

		authority += 3;
		len = strcspn(authority, "/?#");
		at = memrchr(authority, '@', len);
		colon = at != NULL ? memchr(authority, ':', (size_t)(at - authority)) : NULL;
		if (colon != NULL) {
			berth_buf_addn(&out, uri, (size_t)(colon + 1 - uri));
			berth_buf_add(&out, BERTH_URI_REDACTED);
			from = at;
		}
	}
	berth_buf_addn(&out, from, (size_t)(query - from));
	q = query;
	if (*q == '?') {
		berth_buf_addch(&out, *q++);
		/* Split as libvirt does, on '&' and ';'. */
		while (*q != '\0' && *q != '#') {
			size_t n = strcspn(q, "&;#");
			const char *eq = memchr(q, '=', n);

			if (eq != NULL && !is_harmless_param(q, (size_t)(eq - q))) {
				berth_buf_addn(&out, q, (size_t)(eq + 1 - q));
				berth_buf_add(&out, BERTH_URI_REDACTED);
			} else {
				berth_buf_addn(&out, q, n);
			}
			q += n;
			if (*q == '&' || *q == ';')
				berth_buf_addch(&out, *q++);
		}
	}
	if (*q == '#') {
		berth_buf_addch(&out, '#');
		if (q[1] != '\0')
			berth_buf_add(&out, BERTH_URI_REDACTED);
	}
	return berth_buf_detach(&out);
}
