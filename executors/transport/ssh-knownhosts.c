/*
 * Host keys for executors/ssh.c: known_hosts files read and judged as
 * OpenSSH reads and judges them (its hostfile.c, match.c, sshkey_read() and
 * check_host_key() in sshconnect.c, 9.2), the order in which a server is
 * asked for its key types, and the check of the key it presents.  The host
 * key is always verified; nothing here accepts an unknown, changed or
 * revoked key.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/buf.h"
#include "core/log.h"
#include "executors/transport/ssh-knownhosts.h"
#include "executors/transport/ssh.h"

/* libssh2's last error message for session, or "unknown error". */
const char *
berth_ssh_session_error(LIBSSH2_SESSION *session)
{
	char *msg = NULL;

	libssh2_session_last_error(session, &msg, NULL, 0);
	return msg != NULL && msg[0] != '\0' ? msg : "unknown error";
}

/* The base64 of data[0..len), with its '=' padding; the caller frees it. */
static char *
base64_encode(const unsigned char *data, size_t len)
{
	char *text = xmalloc(4 * ((len + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)text, data, (int)len);
	return text;
}

/*
 * The bytes of the base64 text[0..len) in a new buffer the caller frees,
 * *out_len of them; NULL if OpenSSH's decoder would refuse it.  That one
 * takes only the canonical spelling (groups of four, '=' only to pad, no
 * bits left over), so what was decoded must encode back to text.
 */
static unsigned char *
base64_decode(const char *text, size_t len, size_t *out_len)
{
	BERTH_AUTOFREE unsigned char *out = NULL;
	BERTH_AUTOFREE char *again = NULL;
	int n;

	if (len == 0 || len % 4 != 0 || len > INT_MAX)
		return NULL;
	out = xmalloc(len / 4 * 3);
	n = EVP_DecodeBlock(out, (const unsigned char *)text, (int)len);
	if (n < 0)
		return NULL;
	/* EVP_DecodeBlock() counts the bytes of the padding too. */
	n -= (text[len - 1] == '=') + (text[len - 2] == '=');
	again = base64_encode(out, (size_t)n);
	if (strlen(again) != len || memcmp(again, text, len) != 0)
		return NULL;
	*out_len = (size_t)n;
	return berth_steal_pointer(&out);
}

char *
berth_ssh_fingerprint_sha256(const unsigned char *digest, size_t len)
{
	BERTH_AUTOFREE char *base64 = base64_encode(digest, len);

	base64[strcspn(base64, "=")] = '\0';	/* OpenSSH drops the '=' */
	return xasprintf("SHA256:%s", base64);
}

/* "SHA256:..." of a key blob, as `ssh-keygen -l` prints it; the caller frees it. */
static char *
key_fingerprint(const unsigned char *key, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned md_len = 0;

	if (EVP_Digest(key, len, md, &md_len, EVP_sha256(), NULL) != 1)
		berth_oom();
	return berth_ssh_fingerprint_sha256(md, md_len);
}

/*
 * The key types OpenSSH reads in known_hosts, with the type their key blob
 * starts with (NULL: the same) and the number of strings after it in the
 * blob (0: not counted, for certificates).  Only the shape is checked, not
 * the key itself: a line OpenSSH refuses for a bad key value is, here, a
 * line with another key, which can only refuse more.  A plain line holding
 * a certificate is, for OpenSSH as here, a line with another key.
 */
static const struct key_type {
	const char *name;
	const char *blob_name;
	unsigned n_fields;
} key_types[] = {
	{ "ssh-ed25519", NULL, 1 },
	{ "sk-ssh-ed25519@openssh.com", NULL, 2 },
	{ "ecdsa-sha2-nistp256", NULL, 2 },
	{ "ecdsa-sha2-nistp384", NULL, 2 },
	{ "ecdsa-sha2-nistp521", NULL, 2 },
	{ "sk-ecdsa-sha2-nistp256@openssh.com", NULL, 3 },
	{ "ssh-rsa", NULL, 2 },
	{ "rsa-sha2-256", "ssh-rsa", 2 },
	{ "rsa-sha2-512", "ssh-rsa", 2 },
	{ "ssh-dss", NULL, 4 },
	{ "ssh-ed25519-cert-v01@openssh.com", NULL, 0 },
	{ "sk-ssh-ed25519-cert-v01@openssh.com", NULL, 0 },
	{ "ecdsa-sha2-nistp256-cert-v01@openssh.com", NULL, 0 },
	{ "ecdsa-sha2-nistp384-cert-v01@openssh.com", NULL, 0 },
	{ "ecdsa-sha2-nistp521-cert-v01@openssh.com", NULL, 0 },
	{ "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", NULL, 0 },
	{ "ssh-rsa-cert-v01@openssh.com", NULL, 0 },
	{ "rsa-sha2-256-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com", 0 },
	{ "rsa-sha2-512-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com", 0 },
	{ "ssh-dss-cert-v01@openssh.com", NULL, 0 },
};

#define N_KEY_TYPES (sizeof(key_types) / sizeof(key_types[0]))

/* The type a key blob of type starts with. */
static const char *
key_type_blob_name(const struct key_type *type)
{
	return type->blob_name != NULL ? type->blob_name : type->name;
}

/* The key type named name[0..len), or NULL. */
static const struct key_type *
key_type_find(const char *name, size_t len)
{
	for (size_t i = 0; i < N_KEY_TYPES; i++) {
		if (strlen(key_types[i].name) == len && memcmp(key_types[i].name, name, len) == 0)
			return &key_types[i];
	}
	return NULL;
}

/* Steps *p over one SSH string (a 32-bit length, then the bytes) before end. */
static bool
blob_string(const unsigned char **p, const unsigned char *end, const unsigned char **s,
	    size_t *len)
{
	uint32_t n;

	if (end - *p < 4)
		return false;
	n = (uint32_t)(*p)[0] << 24 | (uint32_t)(*p)[1] << 16 | (uint32_t)(*p)[2] << 8 | (*p)[3];
	if ((size_t)(end - *p) - 4 < n)
		return false;
	*s = *p + 4;
	*len = n;
	*p += 4 + (size_t)n;
	return true;
}

/* True if blob[0..len) has the shape of a key of type. */
static bool
key_has_shape(const struct key_type *type, const unsigned char *blob, size_t len)
{
	const char *name = key_type_blob_name(type);
	const unsigned char *p = blob;
	const unsigned char *end = blob + len;
	const unsigned char *s;
	size_t n;

	if (!blob_string(&p, end, &s, &n) || n != strlen(name) || memcmp(s, name, n) != 0)
		return false;
	if (type->n_fields == 0)
		return true;
	for (unsigned i = 0; i < type->n_fields; i++) {
		if (!blob_string(&p, end, &s, &n))
			return false;
	}
	return p == end;
}

enum line_marker {
	LINE_MARKER_NONE,
	LINE_MARKER_REVOKED,
	LINE_MARKER_CERT_AUTHORITY,
	LINE_MARKER_LAST,
};

static const char *const line_marker_names[] = {
	[LINE_MARKER_NONE] = "",
	[LINE_MARKER_REVOKED] = "@revoked",
	[LINE_MARKER_CERT_AUTHORITY] = "@cert-authority",
};

_Static_assert(sizeof(line_marker_names) / sizeof(line_marker_names[0]) == LINE_MARKER_LAST,
	       "one name per line marker");

/* One line of a known_hosts file that OpenSSH would use. */
struct line {
	unsigned number;
	enum line_marker marker;
	char *hosts;			/* the patterns, or the hashed name */
	const char *hash;		/* in hosts: HASH of "|1|SALT|HASH", else NULL */
	unsigned char salt[20];		/* SALT of "|1|SALT|HASH" */
	const struct key_type *type;
	unsigned char *key;		/* the key blob */
	size_t key_len;
};

struct berth_ssh_knownhosts {
	char *path;			/* as the inventory names it, for messages */
	struct line *lines;
	size_t n_lines;
};

static void
line_clear(struct line *l)
{
	free(l->hosts);
	free(l->key);
}

void
berth_ssh_knownhosts_free(struct berth_ssh_knownhosts *kh)
{
	if (kh == NULL)
		return;
	for (size_t i = 0; i < kh->n_lines; i++)
		line_clear(&kh->lines[i]);
	free(kh->lines);
	free(kh->path);
	free(kh);
}

/*
 * Reads the SALT of the hashed name "|1|SALT|HASH" in l->hosts into l, as
 * OpenSSH reads it.  False if OpenSSH would not.
 */
static bool
hashed_name_parse(struct line *l)
{
	const char *salt, *end;
	BERTH_AUTOFREE unsigned char *bytes = NULL;
	size_t len = 0;

	if (strncmp(l->hosts, "|1|", 3) != 0)
		return false;
	salt = l->hosts + 3;
	end = strchr(salt, '|');
	if (end == NULL)
		return false;
	bytes = base64_decode(salt, (size_t)(end - salt), &len);
	if (bytes == NULL || len != sizeof(l->salt))
		return false;
	memcpy(l->salt, bytes, len);
	l->hash = end + 1;
	return true;
}

/*
 * Parses text, one line of a known_hosts file without its newline, into l
 * as OpenSSH does.  Returns NULL, or why OpenSSH skips the line ("" for a
 * comment or a blank line).
 */
static const char *
line_parse(char *text, struct line *l)
{
	char *p = text + strspn(text, " \t");
	char *hosts;
	size_t len;

	if (*p == '\0' || *p == '#')
		return "";
	while (*p == '@') {
		/* At a space or a tab: OpenSSH looks for a tab only on a line
		 * without a space, so it skips "@revoked<TAB>* KEYTYPE KEY".
		 * Reading a revocation it skips only refuses more. */
		char *end = p + strcspn(p, " \t");
		enum line_marker m = LINE_MARKER_NONE;

		for (int i = LINE_MARKER_NONE + 1; *end != '\0' && i < LINE_MARKER_LAST; i++) {
			if (strlen(line_marker_names[i]) == (size_t)(end - p) &&
			    memcmp(line_marker_names[i], p, (size_t)(end - p)) == 0)
				m = (enum line_marker)i;
		}
		if (m == LINE_MARKER_NONE || l->marker != LINE_MARKER_NONE)
			return "a marker other than one @revoked or @cert-authority";
		l->marker = m;
		p = end + strspn(end, " \t");
	}
	hosts = p;
	p += strcspn(p, " \t");
	if (*p == '\0')
		return "no key";
	*p++ = '\0';
	p += strspn(p, " \t");
	if (*p == '\0' || *p == '#')
		return "no key";
	len = strcspn(p, " \t");
	l->type = key_type_find(p, len);
	if (l->type == NULL)
		return "a key type OpenSSH does not read";
	p += len + strspn(p + len, " \t");
	len = strcspn(p, " \t");
	if (len == 0)
		return "no key";
	l->key = base64_decode(p, len, &l->key_len);
	if (l->key == NULL || !key_has_shape(l->type, l->key, l->key_len))
		return "a key that does not decode";
	l->hosts = xstrdup(hosts);
	if (hosts[0] == '|' && !hashed_name_parse(l))
		return "a hashed host name that is not |1|SALT|HASH";
	return NULL;
}

/* The known_hosts file of host. */
static const char *
known_hosts_path(const struct berth_host *host)
{
	return host->known_hosts != NULL ? host->known_hosts : "~/.ssh/known_hosts";
}

struct berth_ssh_knownhosts *
berth_ssh_knownhosts_load(const struct berth_host *host, struct berth_error **err)
{
	const char *path = known_hosts_path(host);
	BERTH_AUTOPTR(berth_ssh_knownhosts) kh = NULL;
	BERTH_AUTOFREE char *text = NULL;
	size_t cap = 0;
	size_t alloc = 0;
	FILE *fp;

	if (path[0] == '~' && path[1] == '/' && getenv("HOME") != NULL) {
		BERTH_AUTOFREE char *full = xasprintf("%s%s", getenv("HOME"), path + 1);

		fp = fopen(full, "re");
	} else {
		fp = fopen(path, "re");
	}
	if (fp == NULL) {
		berth_error_set_errno(err, BERTH_ERROR_HOST, errno,
				      "cannot read known_hosts '%s'", path);
		return NULL;
	}
	kh = xcalloc(1, sizeof(*kh));
	kh->path = xstrdup(path);
	for (unsigned number = 1; getline(&text, &cap, fp) >= 0; number++) {
		struct line l = { .number = number };
		const char *skipped;

		text[strcspn(text, "\r\n")] = '\0';
		skipped = line_parse(text, &l);
		if (skipped != NULL) {
			if (skipped[0] != '\0')
				berth_log_debug("%s:%u: %s: skipped, as OpenSSH skips it",
						path, number, skipped);
			line_clear(&l);
			continue;
		}
		if (kh->n_lines == alloc) {
			alloc = alloc > 0 ? 2 * alloc : 16;
			kh->lines = xreallocarray(kh->lines, alloc, sizeof(*kh->lines));
		}
		kh->lines[kh->n_lines++] = l;
	}
	if (ferror(fp)) {
		berth_error_set_errno(err, BERTH_ERROR_HOST, errno,
				      "cannot read known_hosts '%s'", path);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	return berth_steal_pointer(&kh);
}

/* A copy of s in lower case, as OpenSSH compares host names. */
static char *
lowercase_dup(const char *s)
{
	char *copy = xstrdup(s);

	for (char *p = copy; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return copy;
}

/* The name host is looked up under: "[ADDRESS]:PORT" for a port other than 22 if with_port. */
static char *
host_name(const struct berth_host *host, bool with_port)
{
	BERTH_AUTOFREE char *address = lowercase_dup(host->address);

	if (with_port && host->port != 22)
		return xasprintf("[%s]:%u", address, host->port);
	return berth_steal_pointer(&address);
}

/* True if name (lower case) matches pattern[0..len): '*' any run, '?' any one. */
static bool
glob_matches(const char *name, const char *pattern, size_t len)
{
	const char *retry = NULL;
	size_t star = 0;
	size_t i = 0;

	while (*name != '\0') {
		if (i < len && pattern[i] == '*') {
			star = ++i;
			retry = name;
		} else if (i < len && (pattern[i] == '?' ||
				       tolower((unsigned char)pattern[i]) == *name)) {
			i++;
			name++;
		} else if (retry != NULL) {
			i = star;
			name = ++retry;
		} else {
			return false;
		}
	}
	while (i < len && pattern[i] == '*')
		i++;
	return i == len;
}

/*
 * True if name (lower case) matches one of the comma-separated patterns of
 * list and no negated ('!') one: OpenSSH's match_hostname() == 1.
 */
static bool
patterns_match(const char *list, const char *name)
{
	bool positive = false;

	while (*list != '\0') {
		bool negated = *list == '!';
		size_t len;

		if (negated)
			list++;
		len = strcspn(list, ",");
		/* As OpenSSH: a pattern this long fails the whole list. */
		if (len >= 1023)
			return false;
		if (glob_matches(name, list, len)) {
			if (negated)
				return false;
			positive = true;
		}
		list += len;
		if (*list == ',')
			list++;
	}
	return positive;
}

/* True if the hashed name of l is name: HMAC-SHA1 with its salt. */
static bool
hashed_name_is(const struct line *l, const char *name)
{
	BERTH_AUTOFREE char *hash = NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned md_len = 0;

	if (HMAC(EVP_sha1(), l->salt, sizeof(l->salt), (const unsigned char *)name, strlen(name),
		 md, &md_len) == NULL)
		berth_oom();
	hash = base64_encode(md, md_len);
	return strcmp(l->hash, hash) == 0;
}

/* True if l is a line for name (lower case). */
static bool
line_is_for(const struct line *l, const char *name)
{
	return l->hash != NULL ? hashed_name_is(l, name) : patterns_match(l->hosts, name);
}

void
berth_ssh_knownhosts_find(const struct berth_ssh_knownhosts *kh, const char *name,
			  struct berth_buf *out)
{
	BERTH_AUTOFREE char *lower = lowercase_dup(name);
	bool first = true;

	for (size_t i = 0; i < kh->n_lines; i++) {
		const struct line *l = &kh->lines[i];

		if (!line_is_for(l, lower))
			continue;
		berth_buf_addf(out, "%s%s:%u%s%s", first ? "" : ", ", kh->path, l->number,
			       l->marker != LINE_MARKER_NONE ? " " : "",
			       line_marker_names[l->marker]);
		first = false;
	}
}

/* What the lines for one name say of a key (OpenSSH's check_key_in_hostkeys()). */
struct lookup {
	enum berth_ssh_hostkey_status status;
	const struct line *line;	/* that the status rests on; NULL for UNKNOWN */
	const struct line *authority;	/* the first @cert-authority line, or NULL */
};

static struct lookup
lookup(const struct berth_ssh_knownhosts *kh, const char *name, const unsigned char *key,
       size_t key_len)
{
	struct lookup r = { .status = BERTH_SSH_HOSTKEY_UNKNOWN };
	const struct line *revoked = NULL;

	for (size_t i = 0; i < kh->n_lines; i++) {
		const struct line *l = &kh->lines[i];
		bool same;

		if (!line_is_for(l, name))
			continue;
		same = l->key_len == key_len && memcmp(l->key, key, key_len) == 0;
		if (l->marker == LINE_MARKER_CERT_AUTHORITY) {
			if (r.authority == NULL)
				r.authority = l;
		} else if (l->marker == LINE_MARKER_REVOKED) {
			if (revoked == NULL && same)
				revoked = l;
		} else if (r.status != BERTH_SSH_HOSTKEY_OK) {
			/* The first line with the key, or else the last with another. */
			r.status = same ? BERTH_SSH_HOSTKEY_OK : BERTH_SSH_HOSTKEY_CHANGED;
			r.line = l;
		}
	}
	if (revoked != NULL) {
		r.status = BERTH_SSH_HOSTKEY_REVOKED;
		r.line = revoked;
	}
	return r;
}

enum berth_ssh_hostkey_status
berth_ssh_knownhosts_check(const struct berth_ssh_knownhosts *kh, const struct berth_host *host,
			   const unsigned char *key, size_t key_len, unsigned *line,
			   struct berth_error **err)
{
	BERTH_AUTOFREE char *name = host_name(host, true);
	BERTH_AUTOFREE char *plain = host_name(host, false);
	BERTH_AUTOFREE char *fp = key_fingerprint(key, key_len);
	BERTH_AUTOFREE char *had = NULL;
	BERTH_AUTOBUF struct berth_buf unknown = BERTH_BUF_INIT;
	struct lookup r = lookup(kh, name, key, key_len);
	const struct line *authority = r.authority;

	/* OpenSSH's "checking without port identifier": only when no line is
	 * for "[ADDRESS]:PORT", and only a match (or a revocation) counts. */
	if (r.status == BERTH_SSH_HOSTKEY_UNKNOWN && strcmp(name, plain) != 0) {
		struct lookup p = lookup(kh, plain, key, key_len);

		if (p.status == BERTH_SSH_HOSTKEY_OK || p.status == BERTH_SSH_HOSTKEY_REVOKED)
			r = p;
		if (authority == NULL)
			authority = p.authority;
	}
	if (line != NULL)
		*line = r.line != NULL ? r.line->number : 0;
	switch (r.status) {
	case BERTH_SSH_HOSTKEY_OK:
		break;
	case BERTH_SSH_HOSTKEY_REVOKED:
		berth_error_set(err, BERTH_ERROR_HOST,
				"host key for '%s' (%s) is marked @revoked in %s:%u",
				host->address, fp, kh->path, r.line->number);
		break;
	case BERTH_SSH_HOSTKEY_CHANGED:
		had = key_fingerprint(r.line->key, r.line->key_len);
		berth_error_set(err, BERTH_ERROR_HOST,
				"host key for '%s' does not match known_hosts '%s': got %s "
				"(possible man-in-the-middle, or the host was reinstalled); "
				"%s:%u has %s %s for '%s'",
				host->address, kh->path, fp, kh->path, r.line->number,
				r.line->type->name, had, name);
		break;
	default:
		berth_buf_addf(&unknown, "host key for '%s' is not in known_hosts '%s' (%s)",
			       host->address, kh->path, fp);
		if (strcmp(name, plain) != 0)
			berth_buf_addf(&unknown, "; looked up as '%s', then as '%s'", name, plain);
		if (authority != NULL)
			berth_buf_addf(&unknown, "; %s:%u is a @cert-authority line, and berth "
				       "does not accept host certificates",
				       kh->path, authority->number);
		berth_error_set(err, BERTH_ERROR_HOST, "%s", unknown.buf);
		break;
	}
	return r.status;
}

/* True if a plain line of kh for name holds a key of type (NULL: of any type). */
static bool
holds_key_type(const struct berth_ssh_knownhosts *kh, const char *name, const char *type)
{
	for (size_t i = 0; i < kh->n_lines; i++) {
		const struct line *l = &kh->lines[i];

		if (l->marker == LINE_MARKER_NONE && line_is_for(l, name) &&
		    (type == NULL || strcmp(key_type_blob_name(l->type), type) == 0))
			return true;
	}
	return false;
}

/* Host key algorithms, best first, with the type of their key blobs. */
static const struct {
	const char *key_type;
	const char *method;
} hostkey_methods[] = {
	{ "ssh-ed25519", "ssh-ed25519" },
	{ "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256" },
	{ "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384" },
	{ "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521" },
	{ "ssh-rsa", "rsa-sha2-512" },
	{ "ssh-rsa", "rsa-sha2-256" },
	{ "ssh-rsa", "ssh-rsa" },
	{ "ssh-dss", "ssh-dss" },
};

#define N_HOSTKEY_METHODS (sizeof(hostkey_methods) / sizeof(hostkey_methods[0]))

/* True if this libssh2 knows the host key algorithm method. */
static bool
method_supported(const char **algs, int n, const char *method)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(algs[i], method) == 0)
			return true;
	}
	return false;
}

void
berth_ssh_knownhosts_prefer(LIBSSH2_SESSION *session, const struct berth_ssh_knownhosts *kh,
			    const struct berth_host *host)
{
	BERTH_AUTOFREE char *name = host_name(host, true);
	BERTH_AUTOFREE char *plain = host_name(host, false);
	struct berth_buf known = BERTH_BUF_INIT;
	struct berth_buf other = BERTH_BUF_INIT;
	const char **algs = NULL;
	int n_algs = libssh2_session_supported_algs(session, LIBSSH2_METHOD_HOSTKEY, &algs);
	/* The name whose lines decide: see berth_ssh_knownhosts_check(). */
	const char *decides = holds_key_type(kh, name, NULL) ? name : plain;

	/* Only algorithms this libssh2 supports are listed: libssh2 1.10
	 * corrupts the list while dropping one it does not know. */

	for (size_t i = 0; i < N_HOSTKEY_METHODS; i++) {
		struct berth_buf *list;

		if (!method_supported(algs, n_algs, hostkey_methods[i].method))
			continue;
		list = holds_key_type(kh, decides, hostkey_methods[i].key_type) ? &known : &other;
		berth_buf_addf(list, "%s%s", list->len > 0 ? "," : "", hostkey_methods[i].method);
	}
	if (known.len > 0) {
		if (other.len > 0)
			berth_buf_addf(&known, ",%s", other.buf);
		if (libssh2_session_method_pref(session, LIBSSH2_METHOD_HOSTKEY, known.buf) != 0)
			berth_log_debug("host '%s': libssh2 refused host key preference '%s'",
					host->name, known.buf);
	}
	if (n_algs > 0)
		libssh2_free(session, algs);
	berth_buf_release(&known);
	berth_buf_release(&other);
}

int
berth_ssh_knownhosts_verify(LIBSSH2_SESSION *session, const struct berth_ssh_knownhosts *kh,
			    const struct berth_host *host, struct berth_error **err)
{
	BERTH_AUTOFREE char *fp = NULL;
	size_t key_len = 0;
	int key_type = 0;
	unsigned line = 0;
	const unsigned char *key =
		(const unsigned char *)libssh2_session_hostkey(session, &key_len, &key_type);

	if (key == NULL) {
		berth_error_set(err, BERTH_ERROR_HOST, "no host key from '%s': %s",
				host->address, berth_ssh_session_error(session));
		return -1;
	}
	if (berth_log_enabled(BERTH_LOG_DEBUG)) {
		BERTH_AUTOFREE char *name = host_name(host, true);
		BERTH_AUTOBUF struct berth_buf lines = BERTH_BUF_INIT;

		berth_ssh_knownhosts_find(kh, name, &lines);
		berth_log_debug("host '%s': known_hosts lines for '%s': %s", host->name, name,
				lines.len > 0 ? lines.buf : "none");
	}
	if (berth_ssh_knownhosts_check(kh, host, key, key_len, &line, err) != BERTH_SSH_HOSTKEY_OK)
		return -1;
	fp = key_fingerprint(key, key_len);
	berth_log_debug("host '%s': host key %s matches %s:%u", host->name, fp, kh->path, line);
	return 0;
}
