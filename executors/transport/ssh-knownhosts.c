/*
 * Host keys for executors/ssh.c: known_hosts files, the order in which a
 * server is asked for its key types, and the check of the key it presents.
 * The host key is always verified; nothing here accepts an unknown or
 * changed key.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

static const char base64_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
berth_ssh_fingerprint_sha256(const unsigned char *digest, size_t len)
{
	struct berth_buf fp = BERTH_BUF_INIT;

	berth_buf_add(&fp, "SHA256:");
	for (size_t i = 0; i < len; i += 3) {
		unsigned long v = (unsigned long)digest[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;

		if (n > 1)
			v |= (unsigned long)digest[i + 1] << 8;
		if (n > 2)
			v |= digest[i + 2];
		/* n input bytes give n + 1 characters; OpenSSH drops the '='. */
		for (size_t k = 0; k <= n; k++)
			berth_buf_addch(&fp, base64_chars[(v >> (18 - 6 * k)) & 0x3f]);
	}
	return berth_buf_detach(&fp);
}

/* The known_hosts key-type bit for a libssh2 host key type, or 0. */
static int
knownhost_key_bit(int hostkey_type)
{
	switch (hostkey_type) {
	case LIBSSH2_HOSTKEY_TYPE_RSA:
		return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
	case LIBSSH2_HOSTKEY_TYPE_DSS:
		return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
	case LIBSSH2_HOSTKEY_TYPE_ED25519:
		return LIBSSH2_KNOWNHOST_KEY_ED25519;
	default:
		return 0;
	}
}

/* Host key algorithms, best first, with the known_hosts key type of each. */
static const struct {
	int key_bit;
	const char *method;
} hostkey_methods[] = {
	{ LIBSSH2_KNOWNHOST_KEY_ED25519, "ssh-ed25519" },
	{ LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ecdsa-sha2-nistp256" },
	{ LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ecdsa-sha2-nistp384" },
	{ LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ecdsa-sha2-nistp521" },
	{ LIBSSH2_KNOWNHOST_KEY_SSHRSA, "rsa-sha2-512" },
	{ LIBSSH2_KNOWNHOST_KEY_SSHRSA, "rsa-sha2-256" },
	{ LIBSSH2_KNOWNHOST_KEY_SSHRSA, "ssh-rsa" },
	{ LIBSSH2_KNOWNHOST_KEY_SSHDSS, "ssh-dss" },
};

#define N_HOSTKEY_METHODS (sizeof(hostkey_methods) / sizeof(hostkey_methods[0]))

/* The known_hosts file of host, and the name to look its key up under. */
static const char *
known_hosts_path(const struct berth_host *host)
{
	return host->known_hosts != NULL ? host->known_hosts : "~/.ssh/known_hosts";
}

/* checkp() of host's name for key (raw) of known_hosts type key_bit. */
static int
knownhost_check(LIBSSH2_KNOWNHOSTS *kh, const struct berth_host *host,
		const char *key, size_t key_len, int key_bit)
{
	return libssh2_knownhost_checkp(kh, host->address, host->port == 22 ? -1 : (int)host->port,
					key, key_len,
					LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | key_bit,
					NULL);
}

/*
 * Reads the known_hosts file at path into kh line by line, so that one line
 * libssh2 cannot parse (a key type it does not know, a marker) is skipped
 * instead of failing the whole file, as OpenSSH does.
 */
static int
knownhosts_read(LIBSSH2_KNOWNHOSTS *kh, const char *path, struct berth_error **err)
{
	BERTH_AUTOFREE char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;
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
		return -1;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		size_t len = (size_t)n;
		const char *p = line;

		lineno++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '\n' || *p == '\0')
			continue;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (libssh2_knownhost_readline(kh, line, len, LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0)
			berth_log_debug("%s:%u: a known_hosts line libssh2 cannot use, skipped",
					path, lineno);
	}
	fclose(fp);
	return 0;
}

LIBSSH2_KNOWNHOSTS *
berth_ssh_knownhosts_load(LIBSSH2_SESSION *session, const struct berth_host *host,
			  struct berth_error **err)
{
	LIBSSH2_KNOWNHOSTS *kh = libssh2_knownhost_init(session);

	if (kh == NULL)
		berth_oom();
	if (knownhosts_read(kh, known_hosts_path(host), err) < 0) {
		libssh2_knownhost_free(kh);
		return NULL;
	}
	return kh;
}

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
berth_ssh_knownhosts_prefer(LIBSSH2_SESSION *session, LIBSSH2_KNOWNHOSTS *kh,
		       const struct berth_host *host)
{
	struct berth_buf known = BERTH_BUF_INIT;
	struct berth_buf other = BERTH_BUF_INIT;
	const char **algs = NULL;
	int n_algs = libssh2_session_supported_algs(session, LIBSSH2_METHOD_HOSTKEY, &algs);

	/* Only algorithms this libssh2 supports are listed: libssh2 1.10
	 * corrupts the list while dropping one it does not know. */

	for (size_t i = 0; i < N_HOSTKEY_METHODS; i++) {
		int rc;
		struct berth_buf *list;

		if (!method_supported(algs, n_algs, hostkey_methods[i].method))
			continue;
		/* A key that cannot be right: MISMATCH means there is an
		 * entry of this type for the host, NOTFOUND that there is none. */
		rc = knownhost_check(kh, host, "", 1, hostkey_methods[i].key_bit);
		list = rc == LIBSSH2_KNOWNHOST_CHECK_MISMATCH ? &known : &other;
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
berth_ssh_knownhosts_verify(LIBSSH2_SESSION *session, LIBSSH2_KNOWNHOSTS *kh,
		const struct berth_host *host, struct berth_error **err)
{
	BERTH_AUTOFREE char *fp = NULL;
	const unsigned char *digest;
	const char *key;
	size_t key_len = 0;
	int key_type = 0;
	int rc;

	key = libssh2_session_hostkey(session, &key_len, &key_type);
	digest = (const unsigned char *)libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256);
	if (key == NULL || digest == NULL) {
		berth_error_set(err, BERTH_ERROR_HOST, "no host key from '%s': %s",
				host->address, berth_ssh_session_error(session));
		return -1;
	}
	fp = berth_ssh_fingerprint_sha256(digest, 32);
	rc = knownhost_check(kh, host, key, key_len, knownhost_key_bit(key_type));
	switch (rc) {
	case LIBSSH2_KNOWNHOST_CHECK_MATCH:
		berth_log_debug("host '%s': host key %s matches known_hosts '%s'",
				host->name, fp, known_hosts_path(host));
		return 0;
	case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
		berth_error_set(err, BERTH_ERROR_HOST,
				"host key for '%s' is not in known_hosts '%s' (%s)",
				host->address, known_hosts_path(host), fp);
		return -1;
	case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
		berth_error_set(err, BERTH_ERROR_HOST,
				"host key for '%s' does not match known_hosts '%s': got %s "
				"(possible man-in-the-middle, or the host was reinstalled)",
				host->address, known_hosts_path(host), fp);
		return -1;
	default:
		berth_error_set(err, BERTH_ERROR_HOST,
				"cannot check the host key of '%s' against known_hosts '%s': %s",
				host->address, known_hosts_path(host), berth_ssh_session_error(session));
		return -1;
	}
}
