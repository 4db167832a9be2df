/*
 * core/uri.h and the URIs of core/inventory.h: what libvirt reads from the
 * URIs berth builds, which libvirt_uri an inventory may give, and what
 * messages show of a URI.
 *
 * libvirt reads a URI with libxml2's xmlParseURI and splits its query in
 * virURIParseParams(): on '&' (or ';' where no '&' is left), each name and
 * value unescaped by xmlURIUnescapeString(), the last of a name winning.
 * libvirt_reads() does the same, so the tests check what libvirt gets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <libxml/uri.h>

#include "core/buf.h"
#include "core/inventory.h"
#include "core/uri.h"

/*
 * What libvirt reads from uri: "host=HOST user=USER port=PORT path=PATH",
 * then one "NAME=VALUE" line per query parameter in order, then
 * "fragment=..." if there is one.  The caller frees it.
 */
static char *
libvirt_reads(const char *uri)
{
	struct berth_buf out = BERTH_BUF_INIT;
	xmlURIPtr parsed = xmlParseURI(uri);
	const char *q;

	assert_non_null(parsed);
	berth_buf_addf(&out, "host=%s user=%s port=%d path=%s\n",
		       parsed->server != NULL ? parsed->server : "",
		       parsed->user != NULL ? parsed->user : "",
		       parsed->port > 0 ? parsed->port : 0,
		       parsed->path != NULL ? parsed->path : "");
	for (q = parsed->query_raw; q != NULL && *q != '\0';) {
		const char *end = strchr(q, '&');
		const char *eq;
		char *name, *value;

		if (end == NULL)
			end = strchr(q, ';');
		if (end == NULL)
			end = q + strlen(q);
		eq = memchr(q, '=', (size_t)(end - q));
		if (eq == NULL)
			eq = end;
		name = xmlURIUnescapeString(q, (int)(eq - q), NULL);
		value = eq < end ? xmlURIUnescapeString(eq + 1, (int)(end - eq - 1), NULL) : NULL;
		berth_buf_addf(&out, "%s=%s\n", name, value != NULL ? value : "");
		xmlFree(name);
		xmlFree(value);
		q = *end != '\0' ? end + 1 : end;
	}
	if (parsed->fragment != NULL)
		berth_buf_addf(&out, "fragment=%s\n", parsed->fragment);
	xmlFreeURI(parsed);
	return berth_buf_detach(&out);
}

/* A host as the parser leaves it, with key and known_hosts as given. */
static struct berth_host
host_with(const char *user, const char *address, unsigned port, const char *key,
	  const char *known_hosts)
{
	return (struct berth_host){
		.name = (char *)"h1",
		.address = (char *)address,
		.user = (char *)user,
		.port = port,
		.key = (char *)key,
		.known_hosts = (char *)known_hosts,
	};
}

static void
test_uri_key_path_cannot_add_or_drop_libvirt_parameters(void **state)
{
	struct berth_host h = host_with("root", "h1.lab", 22,
					"/srv/keys/k&known_hosts_verify=ignore#",
					"/srv/berth-lab/known_hosts");
	BERTH_AUTOFREE char *uri = berth_host_libvirt_uri(&h);
	BERTH_AUTOFREE char *reads = libvirt_reads(uri);

	(void)state;
	assert_string_equal(reads,
			    "host=h1.lab user=root port=0 path=/system\n"
			    "keyfile=/srv/keys/k&known_hosts_verify=ignore#\n"
			    "sshauth=privkey\n"
			    "known_hosts=/srv/berth-lab/known_hosts\n"
			    "known_hosts_verify=normal\n");
	assert_string_equal(uri, "qemu+libssh2://root@h1.lab/system"
			    "?keyfile=/srv/keys/k%26known_hosts_verify%3Dignore%23"
			    "&sshauth=privkey&known_hosts=/srv/berth-lab/known_hosts"
			    "&known_hosts_verify=normal");
}

static void
test_uri_hash_and_semicolon_in_known_hosts_are_escaped(void **state)
{
	struct berth_host h = host_with("root", "h1.lab", 22, NULL, "/srv/kh#1;no_verify=1 x");
	BERTH_AUTOFREE char *uri = berth_host_libvirt_uri(&h);
	BERTH_AUTOFREE char *reads = libvirt_reads(uri);

	(void)state;
	assert_string_equal(uri, "qemu+libssh2://root@h1.lab/system"
			    "?known_hosts=/srv/kh%231%3Bno_verify%3D1%20x&known_hosts_verify=normal");
	assert_string_equal(reads,
			    "host=h1.lab user=root port=0 path=/system\n"
			    "known_hosts=/srv/kh#1;no_verify=1 x\n"
			    "known_hosts_verify=normal\n");
}

static void
test_uri_user_is_escaped_and_ipv6_bracketed(void **state)
{
	struct berth_host h = host_with("ops@corp", "2001:db8::1", 2222, NULL, NULL);
	BERTH_AUTOFREE char *uri = berth_host_libvirt_uri(&h);
	BERTH_AUTOFREE char *peer = berth_host_peer_uri(&h);
	BERTH_AUTOFREE char *reads = libvirt_reads(uri);

	(void)state;
	assert_string_equal(uri, "qemu+libssh2://ops%40corp@[2001:db8::1]:2222/system"
			    "?known_hosts_verify=normal");
	assert_string_equal(reads, "host=[2001:db8::1] user=ops@corp port=2222 path=/system\n"
			    "known_hosts_verify=normal\n");
	assert_string_equal(peer, "qemu+ssh://ops%40corp@[2001:db8::1]:2222/system");
}

static void
test_uri_plain_host_keeps_the_documented_form(void **state)
{
	struct berth_host h = host_with("root", "h2.lab", 22, "/srv/berth-lab/id_ed25519",
					"/srv/berth-lab/known_hosts");
	BERTH_AUTOFREE char *uri = berth_host_libvirt_uri(&h);
	BERTH_AUTOFREE char *peer = berth_host_peer_uri(&h);

	(void)state;
	assert_string_equal(uri, "qemu+libssh2://root@h2.lab/system"
			    "?keyfile=/srv/berth-lab/id_ed25519&sshauth=privkey"
			    "&known_hosts=/srv/berth-lab/known_hosts&known_hosts_verify=normal");
	assert_string_equal(peer, "qemu+ssh://root@h2.lab/system");
}

static void
test_uri_libvirt_uri_gets_berths_parameters_only_in_the_inventory_form(void **state)
{
	static const struct {
		const char *libvirt_uri;
		const char *opened;
	} cases[] = {
		{ "qemu+libssh2://admin@kvm1.lab:2200/system",
		  "qemu+libssh2://admin@kvm1.lab:2200/system"
		  "?keyfile=/k&sshauth=privkey&known_hosts=/kh&known_hosts_verify=normal" },
		/* Only code sets these (the parser refuses them): tests open libvirt's test driver. */
		{ "test:///default", "test:///default" },
		{ "qemu+libssh2://h1/system?keyfile=/t", "qemu+libssh2://h1/system?keyfile=/t" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct berth_host h = host_with("root", "h1.lab", 22, "/k", "/kh");
		BERTH_AUTOFREE char *uri = NULL;

		h.libvirt_uri = (char *)cases[i].libvirt_uri;
		uri = berth_host_libvirt_uri(&h);
		assert_string_equal(uri, cases[i].opened);
	}
}

static void
test_uri_escape_leaves_only_unreserved_characters(void **state)
{
	BERTH_AUTOBUF struct berth_buf b = BERTH_BUF_INIT;

	(void)state;
	berth_uri_add_escaped(&b, "aZ09-._~ &=;#?@:+%/\n\xc3\xa9", "");
	assert_string_equal(b.buf, "aZ09-._~%20%26%3D%3B%23%3F%40%3A%2B%25%2F%0A%C3%A9");
	berth_buf_reset(&b);
	berth_uri_add_escaped(&b, "/srv/a b/k", "/");
	assert_string_equal(b.buf, "/srv/a%20b/k");
}

static void
test_uri_host_rule_takes_names_and_addresses_only(void **state)
{
	static const char *const valid[] = {
		"h1", "h1.lab", "kvm-3.example.com", "host_1", "192.0.2.1", "2001:db8::1", "::1",
	};
	static const char *const invalid[] = {
		"", "h1/system", "h1?x", "h1#x", "root@h1", "h 1", "h\t1", "h\n1", "-h1", ".h1",
		"_h1", "h1:22", "[2001:db8::1]", "fe80::1%eth0", "h1%2F", "h\x7f",
	};
	char long_name[300];

	(void)state;
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		if (!berth_uri_host_is_valid(valid[i]))
			fail_msg("refused: '%s'", valid[i]);
	}
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		if (berth_uri_host_is_valid(invalid[i]))
			fail_msg("accepted: '%s'", invalid[i]);
	}
	memset(long_name, 'a', 253);
	long_name[253] = '\0';
	assert_true(berth_uri_host_is_valid(long_name));
	strcat(long_name, "a");
	assert_false(berth_uri_host_is_valid(long_name));
}

static void
test_uri_check_libvirt_accepts_only_the_libssh2_form(void **state)
{
	static const struct {
		const char *text;
		const char *canonical;	/* or NULL, refused */
		const char *why;
	} cases[] = {
		{ "qemu+libssh2://root@h1.lab/system", "qemu+libssh2://root@h1.lab/system", NULL },
		{ "qemu+libssh2://h1.lab:2222/system", "qemu+libssh2://h1.lab:2222/system", NULL },
		{ "qemu+libssh2://r%6Fot@[2001:db8::1]/system",
		  "qemu+libssh2://root@[2001:db8::1]/system", NULL },
		{ "qemu+ext:///system?command=/bin/sh", NULL,
		  "the transport 'ext' runs a local program" },
		{ "qemu+ssh://root@h1.lab/system", NULL,
		  "the transport 'ssh' runs the local ssh program" },
		{ "qemu+unix:///system?socket=/run/x", NULL,
		  "the transport 'unix' talks to a libvirt daemon on this machine" },
		{ "qemu+tcp://h1.lab/system", NULL, "the transport 'tcp' is not encrypted" },
		{ "qemu+tls://h1.lab/system", NULL,
		  "the transport 'tls' needs certificates that berth does not manage" },
		{ "qemu+libssh://h1.lab/system", NULL,
		  "berth does not support the transport 'libssh'" },
		{ "qemu:///system", NULL,
		  "a URI without a transport or a host opens the 'qemu' driver on this machine" },
		{ "test:///default", NULL,
		  "a URI without a transport or a host opens the 'test' driver on this machine" },
		{ "qemu://h1.lab/system", NULL, "a URI without a transport uses tls, which needs "
		  "certificates that berth does not manage" },
		{ "lxc+libssh2://h1.lab/", NULL, "berth manages only the qemu driver, not 'lxc'" },
		{ "h1.lab/system", NULL, "it has no scheme" },
		{ "qemu+libssh2:///system", NULL, "it names no host" },
		{ "qemu+libssh2://root:hunter2@h1.lab/system", NULL,
		  "it holds a password, which berth never sends: berth logs in with 'key'" },
		{ "qemu+libssh2://-oProxyCommand=x@h1.lab/system", NULL,
		  "the user '-oProxyCommand=x' is not letters, digits, '-', '_' and '.'" },
		{ "qemu+libssh2://@h1.lab/system", NULL,
		  "the user '@h1.lab/system' is not letters, digits, '-', '_' and '.'" },
		{ "qemu+libssh2://h1%2Fx/system", NULL,
		  "the host 'h1/x' is not a host name or an IP address" },
		{ "qemu+libssh2://h1.lab:70000/system", NULL, "the port 70000 is not from 1 to 65535" },
		{ "qemu+libssh2://h1.lab/session", NULL, "the path must be /system, got '/session'" },
		{ "qemu+libssh2://h1.lab", NULL, "the path must be /system, got ''" },
		{ "qemu+libssh2://h1.lab/system?no_verify=1", NULL,
		  "the parameter 'no_verify' is not allowed: query parameters are berth's alone "
		  "(it adds keyfile, known_hosts, known_hosts_verify and sshauth from 'key' and "
		  "'known_hosts')" },
		{ "qemu+libssh2://h1.lab/system#x", NULL,
		  "it has a fragment ('#...'), which libvirt does not read" },
		{ "qemu+libssh2://h1 lab/system", NULL, "it is not a URI" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		BERTH_AUTOFREE char *why = NULL;
		BERTH_AUTOFREE char *canonical = berth_uri_check_libvirt(cases[i].text, &why);

		if (cases[i].canonical != NULL) {
			if (canonical == NULL)
				fail_msg("'%s' refused: %s", cases[i].text, why);
			assert_string_equal(canonical, cases[i].canonical);
			assert_null(why);
		} else {
			if (canonical != NULL)
				fail_msg("'%s' accepted as '%s'", cases[i].text, canonical);
			assert_string_equal(why, cases[i].why);
		}
	}
}

static void
test_uri_redacted_hides_passwords_and_foreign_values(void **state)
{
	static const struct {
		const char *uri;
		const char *shown;
	} cases[] = {
		{ "qemu+libssh2://root:hunter2@h1.lab/system",
		  "qemu+libssh2://root:REDACTED@h1.lab/system" },
		{ "qemu+libssh2://root:p@ss:w@h1.lab:22/system?keyfile=/k",
		  "qemu+libssh2://root:REDACTED@h1.lab:22/system?keyfile=/k" },
		{ "qemu+ext:///system?command=/bin/sh&keyfile=/k;token=s3cret&flag#frag",
		  "qemu+ext:///system?command=REDACTED&keyfile=/k;token=REDACTED&flag#REDACTED" },
		{ "qemu+libssh2://h1/system?password=x=y&&known_hosts_verify=normal",
		  "qemu+libssh2://h1/system?password=REDACTED&&known_hosts_verify=normal" },
		{ "qemu:///system?", "qemu:///system?" },
		{ "qemu:///system#", "qemu:///system#" },
		{ "bogus:///berth", "bogus:///berth" },
		{ "user:pass@h1", "user:pass@h1" },	/* no authority: nothing to find */
		{ "", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		BERTH_AUTOFREE char *shown = berth_uri_redacted(cases[i].uri);

		assert_string_equal(shown, cases[i].shown);
	}
}

static void
test_uri_redacted_leaves_the_uri_berth_builds_unchanged(void **state)
{
	struct berth_host h = host_with("root", "h1.lab", 2222, "/srv/k#1", "/srv/kh");
	BERTH_AUTOFREE char *uri = berth_host_libvirt_uri(&h);
	BERTH_AUTOFREE char *shown = berth_uri_redacted(uri);

	(void)state;
	assert_string_equal(shown, uri);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_key_path_cannot_add_or_drop_libvirt_parameters),
		cmocka_unit_test(test_uri_hash_and_semicolon_in_known_hosts_are_escaped),
		cmocka_unit_test(test_uri_user_is_escaped_and_ipv6_bracketed),
		cmocka_unit_test(test_uri_plain_host_keeps_the_documented_form),
		cmocka_unit_test(test_uri_libvirt_uri_gets_berths_parameters_only_in_the_inventory_form),
		cmocka_unit_test(test_uri_escape_leaves_only_unreserved_characters),
		cmocka_unit_test(test_uri_host_rule_takes_names_and_addresses_only),
		cmocka_unit_test(test_uri_check_libvirt_accepts_only_the_libssh2_form),
		cmocka_unit_test(test_uri_redacted_hides_passwords_and_foreign_values),
		cmocka_unit_test(test_uri_redacted_leaves_the_uri_berth_builds_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
