/*
 * libvirt URIs built, checked and shown without letting an inventory say
 * more than berth means.
 *
 * Building: every part goes through berth_uri_add_escaped(), RFC 3986
 * percent-encoding in which only unreserved characters (and, for paths,
 * '/') stand as they are, so that no value can end its component: a '&',
 * ';', '=' or '#' in a key path stays in the key path.  libvirt reads the
 * URI with libxml2's xmlParseURI and unescapes each part, so it gets back
 * exactly the bytes berth wrote.  Query parameters are berth's alone:
 * berth_uri_add_param() takes a name berth wrote in its code.
 *
 * Checking: berth_uri_check_libvirt() accepts from an inventory only the one
 * form berth opens, BERTH_URI_LIBVIRT_FORM, parsed by libxml2 as libvirt
 * parses it.
 *
 * Showing: berth_uri_redacted() is what messages, logs and facts print.
 */
#ifndef BERTH_CORE_URI_H
#define BERTH_CORE_URI_H

#include <stdbool.h>

#include "core/buf.h"

/* What an inventory's libvirt_uri may be, as messages and docs write it. */
#define BERTH_URI_LIBVIRT_FORM "qemu+libssh2://[USER@]HOST[:PORT]/system"

/* What replaces a secret in berth_uri_redacted(). */
#define BERTH_URI_REDACTED "REDACTED"

/*
 * Appends text to b percent-encoded (upper-case hex): letters, digits,
 * '-', '.', '_', '~' and the characters in keep stand as they are, every
 * other byte becomes %HH.  keep is "" for user names and query values that
 * are not paths, "/" for paths.  Cannot fail.
 */
void berth_uri_add_escaped(struct berth_buf *b, const char *text, const char *keep);

/*
 * Appends SCHEME://[USER@]HOST[:PORT]PATH to b: user escaped, an IPv6 host
 * in brackets, port only when not 0, path escaped keeping '/'.  user may be
 * NULL (no "USER@").  Cannot fail.
 */
void berth_uri_add_server(struct berth_buf *b, const char *scheme, const char *user,
			  const char *host, unsigned port, const char *path);

/*
 * Appends "?NAME=VALUE" to b, or "&NAME=VALUE" when b already has a query:
 * value escaped keeping '/' (berth's values are paths and words).  name is
 * one of berth's own parameters, never text from an inventory.  Cannot fail.
 */
void berth_uri_add_param(struct berth_buf *b, const char *name, const char *value);

/*
 * True if host is a host name (letters, digits, '-', '_' and '.', starting
 * with a letter or digit, at most 253 bytes), an IPv4 address, or an IPv6
 * address without brackets.  Nothing else: no '/', '?', '#', '@', ':'
 * outside IPv6, whitespace or control bytes.
 */
bool berth_uri_host_is_valid(const char *host);

/*
 * Checks text, a libvirt URI from an inventory, against
 * BERTH_URI_LIBVIRT_FORM: scheme qemu+libssh2 (every other transport runs a
 * local program, talks to a local daemon or is not one berth supports), a
 * valid host, a user of letters, digits, '-', '_' and '.' without a
 * password, path /system, no query (berth adds keyfile, known_hosts,
 * known_hosts_verify and sshauth itself) and no fragment.  Returns the URI
 * as berth writes it (berth_uri_add_server()), a new string the caller
 * frees; or NULL with *why set to a new string the caller frees, a reason
 * to follow "got 'URI': " which names no secret.
 */
char *berth_uri_check_libvirt(const char *text, char **why);

/*
 * uri as messages, logs and facts may show it: the password of its
 * userinfo, the value of every query parameter except berth's own harmless
 * ones (keyfile, known_hosts, known_hosts_verify, sshauth) and any fragment
 * replaced by BERTH_URI_REDACTED.  Works on any text, a URI or not.
 * Returns a new string the caller frees.  Cannot fail.
 */
char *berth_uri_redacted(const char *uri);

#endif /* BERTH_CORE_URI_H */
