/*
 * parser/inventory.h: YAML inventories into struct berth_inventory.
 *
 * Run as "test-inventory DIR" where DIR is tests/inventories in the source
 * tree; the test works from there, so messages name "invalid/NAME.yaml"
 * whatever the build directory.  Every valid/NAME.yaml must parse; every
 * invalid/NAME.yaml must fail with exactly the one line in NAME.err.
 * BERTH_REGENERATE=1 rewrites the .err files from what the parser says, for
 * a reviewer to read in the diff.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include <uuid/uuid.h>

#include "core/buf.h"
#include "core/output.h"
#include "parser/inventory.h"
#include "tests/fixture/golden.h"

/* The names of the *.yaml files in dir, sorted; returns how many. */
static size_t
list_yaml(const char *dir, struct dirent ***names)
{
	int n = scandir(dir, names, NULL, alphasort);
	size_t kept = 0;

	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		const char *name = (*names)[i]->d_name;
		size_t len = strlen(name);

		if (len > 5 && strcmp(name + len - 5, ".yaml") == 0)
			(*names)[kept++] = (*names)[i];
		else
			free((*names)[i]);
	}
	return kept;
}

static void
free_list(struct dirent **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Parses text, which must be valid; the caller frees the inventory. */
static struct berth_inventory *
parse_ok(const char *text)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_inventory *inv = berth_inventory_parse(text, strlen(text), "t.yaml", &err);

	if (inv == NULL)
		print_error("unexpected error: %s\n", berth_error_message(err));
	assert_non_null(inv);
	assert_null(err);
	return inv;
}

/* Parses text, which must be invalid with exactly the message expected. */
static void
parse_fails(const char *text, const char *expected)
{
	BERTH_AUTOPTR(berth_error) err = NULL;

	assert_null(berth_inventory_parse(text, strlen(text), "t.yaml", &err));
	assert_non_null(err);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_INPUT);
	assert_string_equal(berth_error_message(err), expected);
}

static void
test_inventory_every_valid_file_parses(void **state)
{
	struct dirent **names;
	size_t n = list_yaml("valid", &names);

	(void)state;
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		BERTH_AUTOFREE char *path = xasprintf("valid/%s", names[i]->d_name);
		BERTH_AUTOPTR(berth_error) err = NULL;
		BERTH_AUTOPTR(berth_inventory) inv = berth_inventory_load(path, &err);

		if (inv == NULL)
			print_error("%s: unexpected error: %s\n", path, berth_error_message(err));
		assert_non_null(inv);
		assert_string_equal(inv->path, path);
		assert_true(inv->n_hosts > 0);
	}
	free_list(names, n);
}

/*
 * Checks that valid/NAME resolves to the model in its .json file (which
 * BERTH_REGENERATE=1 rewrites instead); returns false if not.
 */
static bool
check_valid_model(const char *dir, const char *name)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/%s", dir, name);
	BERTH_AUTOFREE char *json_path = xasprintf("%s/%.*s.json", dir,
						   (int)(strlen(name) - 5), name);
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_inventory) inv = berth_inventory_load(path, &err);
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	struct berth_out *out;
	bool same;

	if (inv == NULL) {
		print_error("%s: unexpected error: %s\n", path, berth_error_message(err));
		return false;
	}
	/* The models hold expanded "~" paths: /home/tester, whoever runs this. */
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	out = berth_out_new(fp, BERTH_OUT_JSON);
	berth_inventory_print(out, inv);
	assert_int_equal(berth_out_finish(out, NULL), 0);
	berth_out_free(out);
	fclose(fp);
	same = berth_golden_check(json_path, text);
	free(text);
	return same;
}

static void
test_inventory_every_valid_file_resolves_to_its_model(void **state)
{
	struct dirent **names;
	size_t n = list_yaml("valid", &names);
	size_t failed = 0;

	const char *home = getenv("HOME");
	BERTH_AUTOFREE char *saved_home = home != NULL ? xstrdup(home) : NULL;

	(void)state;
	setenv("HOME", "/home/tester", 1);
	for (size_t i = 0; i < n; i++) {
		if (!check_valid_model("valid", names[i]->d_name))
			failed++;
	}
	if (saved_home != NULL)
		setenv("HOME", saved_home, 1);
	else
		unsetenv("HOME");
	free_list(names, n);
	assert_int_equal(failed, 0);
}

/*
 * Checks that invalid/NAME fails with the one line in its .err file (which
 * BERTH_REGENERATE=1 rewrites instead); returns false if not.
 */
static bool
check_invalid_file(const char *dir, const char *name)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/%s", dir, name);
	BERTH_AUTOFREE char *err_path = xasprintf("%s/%.*s.err", dir,
						  (int)(strlen(name) - 5), name);
	struct berth_buf lines = BERTH_BUF_INIT;
	struct berth_problems problems = BERTH_PROBLEMS_INIT;
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_inventory) inv = berth_inventory_read(path, &problems, &err);
	bool same;

	if (inv != NULL) {
		print_error("%s: parsed, but it should fail\n", path);
		return false;
	}
	if (berth_error_kind(err) != BERTH_ERROR_INPUT) {
		print_error("%s: error of kind %d, expected BERTH_ERROR_INPUT\n",
			    path, (int)berth_error_kind(err));
		return false;
	}
	/* Every problem, one per line; an error without a place alone. */
	for (size_t i = 0; i < problems.n; i++)
		berth_buf_addf(&lines, "%s\n", problems.items[i].text);
	if (problems.n == 0)
		berth_buf_addf(&lines, "%s\n", berth_error_message(err));
	berth_problems_release(&problems);
	same = berth_golden_check(err_path, lines.buf);
	berth_buf_release(&lines);
	return same;
}

static void
test_inventory_every_invalid_file_fails_with_its_exact_message(void **state)
{
	struct dirent **names;
	size_t n = list_yaml("invalid", &names);
	size_t failed = 0;

	(void)state;
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		if (!check_invalid_file("invalid", names[i]->d_name))
			failed++;
	}
	free_list(names, n);
	if (failed > 0)
		print_error("%zu of %zu invalid inventories did not fail as expected\n",
			    failed, n);
	assert_int_equal(failed, 0);
}

static void
test_inventory_include_reads_files_below_it_and_expands_vars(void **state)
{
	(void)state;
	/* include/ok: hosts, storage and domains over four files, with vars. */
	assert_true(check_valid_model("include/ok", "inventory.yaml"));
	/* include/bad: a path outside, a missing file, one twice, a cycle,
	 * a domain in two files, vars that are wrong or missing. */
	assert_true(check_invalid_file("include/bad", "inventory.yaml"));
}

static void
test_inventory_domain_xml_files_and_edits_are_checked(void **state)
{
	(void)state;
	/* A full domain XML file with XPath edits, and cpu:, boot: and serial:. */
	assert_true(check_valid_model("domain-xml", "inventory.yaml"));
	/* XML that is broken, not a <domain>, of another domain, outside the
	 * directory, beside the compact spec; edits that are not XPath. */
	assert_true(check_invalid_file("domain-xml", "bad.yaml"));
}

static void
test_inventory_include_needs_a_file(void **state)
{
	static const char text[] = "include: hosts.yaml\nhosts: {h1: }\n";
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	assert_null(berth_inventory_parse(text, strlen(text), "t.yaml", &err));
	assert_string_equal(berth_error_message(err),
			    "t.yaml:1:10: 'include' needs an inventory read from a file: the "
			    "files it names are relative to it");
}

static void
test_inventory_full_example_applies_defaults_aliases_and_units(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_inventory) inv = berth_inventory_load("valid/full.yaml", &err);
	const struct berth_host *h;
	const struct berth_domain *d;

	(void)state;
	assert_non_null(inv);
	assert_int_equal(inv->n_hosts, 3);
	assert_int_equal(inv->n_storage, 1);
	assert_int_equal(inv->n_domains, 3);

	/* Given keys win over defaults: */
	h = berth_inventory_host(inv, "h1");
	assert_string_equal(h->address, "h1.lab");
	assert_string_equal(h->user, "root");
	assert_int_equal(h->port, 22);
	assert_string_equal(h->key, "/srv/berth-lab/id_ed25519");
	assert_string_equal(h->libvirt_uri, "qemu+libssh2://root@h1.lab/system");
	assert_int_equal(h->timeouts.connect_s, 10);
	assert_int_equal(h->timeouts.command_s, 90);
	assert_int_equal(h->timeouts.libvirt_s, 120);
	assert_int_equal(h->timeouts.keepalive_s, 3600);
	assert_int_equal(h->loc.line, 14);
	assert_int_equal(h->loc.column, 3);

	/* ... Ansible's names set the same fields ... */
	h = berth_inventory_host(inv, "h2");
	assert_string_equal(h->address, "192.0.2.2");
	assert_string_equal(h->user, "deploy");
	assert_int_equal(h->port, 2222);
	assert_string_equal(h->key, "/etc/berth/h2.key");
	assert_string_equal(h->known_hosts, "/srv/berth-lab/known_hosts");
	assert_null(h->libvirt_uri);
	/* defaults: host: sets one timeout; the others stay built in. */
	assert_int_equal(h->timeouts.command_s, 60);
	assert_int_equal(h->timeouts.connect_s, 5);
	assert_int_equal(h->timeouts.libvirt_s, 20);
	assert_int_equal(h->timeouts.keepalive_s, 5);

	/* ... and an empty host has its name as address and defaults: host:. */
	h = berth_inventory_host(inv, "h3");
	assert_string_equal(h->address, "h3");
	assert_string_equal(h->user, "admin");
	assert_int_equal(h->port, 22);

	assert_string_equal(inv->storage[0].name, "share");
	assert_string_equal(inv->storage[0].server, "h3");
	assert_string_equal(inv->storage[0].export_path, "/srv/berth-lab/share");

	d = berth_inventory_domain(inv, "web1");
	assert_string_equal(d->host, "h1");
	assert_int_equal(d->state, BERTH_POWER_RUNNING);
	assert_int_equal(d->memory_kib, 128 * 1024);
	assert_int_equal(d->vcpus, 1);
	assert_true(d->uuid_given);
	assert_string_equal(d->uuid, "6f1c1bd2-5b1e-4d5e-9a3c-7d2f0e4b8a91");
	assert_string_equal(d->type, "kvm");
	assert_string_equal(d->arch, "x86_64");
	assert_string_equal(d->machine, "q35");
	assert_string_equal(d->kernel, "/srv/berth-lab/guest/vmlinuz");
	assert_string_equal(d->initrd, "/srv/berth-lab/guest/initrd.img");
	assert_string_equal(d->cmdline, "console=ttyS0 root=/dev/vda");
	assert_int_equal(d->loc.line, 34);
	assert_int_equal(d->loc.column, 3);
	assert_int_equal(d->n_disks, 2);
	assert_string_equal(d->disks[0].storage, "share");
	assert_string_equal(d->disks[0].image, "web1.qcow2");
	assert_int_equal(d->disks[0].size_bytes, 64ULL << 20);
	assert_string_equal(d->disks[0].format, "qcow2");
	assert_string_equal(d->disks[0].target, "vda");
	assert_int_equal(d->disks[0].loc.line, 47);
	assert_int_equal(d->disks[0].loc.column, 9);
	assert_int_equal(d->disks[1].size_bytes, 1ULL << 30);
	assert_string_equal(d->disks[1].format, "raw");
	assert_string_equal(d->disks[1].target, "vdb");
	assert_int_equal(d->n_nics, 2);
	assert_string_equal(d->nics[0].bridge, "br0");
	assert_string_equal(d->nics[0].mac, "52:54:00:18:00:65");
	assert_string_equal(d->nics[0].model, "virtio");
	assert_string_equal(d->nics[1].mac, "52:54:00:ab:cd:ef");
	assert_string_equal(d->nics[1].model, "e1000");

	/* A plain number is MiB, for disks as for memory; defaults: domain: fill in. */
	d = berth_inventory_domain(inv, "db1");
	assert_int_equal(d->state, BERTH_POWER_SHUTOFF);
	assert_int_equal(d->memory_kib, 1024 * 1024);
	assert_int_equal(d->vcpus, 2);
	assert_string_equal(d->type, "qemu");
	assert_string_equal(d->machine, "pc");
	assert_false(d->uuid_given);
	assert_int_equal(d->disks[0].size_bytes, 10ULL << 20);
	assert_int_equal(d->n_nics, 0);

	d = berth_inventory_domain(inv, "cache1");
	assert_int_equal(d->memory_kib, 256 * 1024);
	assert_null(d->kernel);
	assert_int_equal(d->n_disks, 0);
}

static void
test_inventory_built_in_defaults_fill_a_bare_host_and_domain(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = NULL;
	const char *home = getenv("HOME");
	BERTH_AUTOFREE char *saved_home = home != NULL ? xstrdup(home) : NULL;
	const struct berth_domain *d;

	(void)state;
	setenv("HOME", "/home/tester", 1);
	inv = parse_ok("hosts:\n  h1:\n  h2: {key: ~/.ssh/id_rsa}\n"
		       "domains:\n  web1: {host: h1, memory: 64M}\n");
	if (saved_home != NULL)
		setenv("HOME", saved_home, 1);
	else
		unsetenv("HOME");

	assert_string_equal(inv->hosts[0].address, "h1");
	assert_string_equal(inv->hosts[0].user, "root");
	assert_int_equal(inv->hosts[0].port, 22);
	assert_null(inv->hosts[0].key);
	assert_string_equal(inv->hosts[0].known_hosts, "/home/tester/.ssh/known_hosts");
	assert_null(inv->hosts[0].libvirt_uri);
	assert_int_equal(inv->hosts[0].timeouts.connect_s, 5);
	assert_int_equal(inv->hosts[0].timeouts.command_s, 30);
	assert_int_equal(inv->hosts[0].timeouts.libvirt_s, 20);
	assert_int_equal(inv->hosts[0].timeouts.keepalive_s, 5);
	assert_string_equal(inv->hosts[1].key, "/home/tester/.ssh/id_rsa");

	d = &inv->domains[0];
	assert_int_equal(d->state, BERTH_POWER_RUNNING);
	assert_int_equal(d->vcpus, 1);
	assert_string_equal(d->type, "kvm");
	assert_string_equal(d->arch, "x86_64");
	assert_string_equal(d->machine, "pc");
	assert_null(d->kernel);
	assert_null(d->initrd);
	assert_null(d->cmdline);
}

static void
test_inventory_memory_and_disk_sizes_accept_every_unit(void **state)
{
	static const struct {
		const char *size;
		uint64_t kib;
	} cases[] = {
		{ "512", 512 * 1024 },
		{ "2048K", 2048 }, { "2048KiB", 2048 },
		{ "128M", 128 * 1024 }, { "128MiB", 128 * 1024 }, { "128 MiB", 128 * 1024 },
		{ "2G", 2 * 1024 * 1024 }, { "2GiB", 2 * 1024 * 1024 },
		{ "1T", 1024ULL * 1024 * 1024 }, { "1TiB", 1024ULL * 1024 * 1024 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		BERTH_AUTOFREE char *text = xasprintf(
			"hosts: {h1: }\nstorage: {s: {server: h1, export: /s}}\n"
			"domains:\n  d: {host: h1, memory: '%s', "
			"disks: [{storage: s, image: d.img, size: '%s'}]}\n",
			cases[i].size, cases[i].size);
		BERTH_AUTOPTR(berth_inventory) inv = parse_ok(text);

		assert_int_equal(inv->domains[0].memory_kib, cases[i].kib);
		assert_int_equal(inv->domains[0].disks[0].size_bytes, cases[i].kib * 1024);
	}
}

static void
test_inventory_timeouts_accept_seconds_minutes_and_hours(void **state)
{
	static const struct {
		const char *duration;
		unsigned seconds;
	} cases[] = {
		{ "90", 90 }, { "'90'", 90 }, { "1", 1 }, { "1s", 1 }, { "45s", 45 },
		{ "5m", 300 }, { "60m", 3600 }, { "1h", 3600 }, { "3600", 3600 }, { "0090s", 90 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		BERTH_AUTOFREE char *text = xasprintf(
			"hosts:\n  h1:\n    connect_timeout: %s\n    command_timeout: %s\n"
			"    libvirt_timeout: %s\n    libvirt_keepalive: %s\n",
			cases[i].duration, cases[i].duration, cases[i].duration, cases[i].duration);
		BERTH_AUTOPTR(berth_inventory) inv = parse_ok(text);
		const struct berth_host_timeouts *t = &inv->hosts[0].timeouts;

		assert_int_equal(t->connect_s, cases[i].seconds);
		assert_int_equal(t->command_s, cases[i].seconds);
		assert_int_equal(t->libvirt_s, cases[i].seconds);
		assert_int_equal(t->keepalive_s, cases[i].seconds);
	}
}

static void
test_inventory_timeout_outside_1s_to_1h_or_without_a_unit_is_refused(void **state)
{
	static const char *const refused[] = {
		"-1", "0", "0s", "0m", "5x", "5 s", "5S", "1.5m", "1m30s", "s", "3601", "61m", "2h",
		"99999999999999999999", "yes", "[1]",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		BERTH_AUTOFREE char *text = xasprintf("hosts: {h1: {command_timeout: %s}}\n",
						      refused[i]);
		BERTH_AUTOFREE char *expected = xasprintf(
			"t.yaml:1:31: host 'h1': 'command_timeout' must be a duration from 1s to 1h "
			"such as 30s, 5m or 90 (seconds), got %s%s%s",
			refused[i][0] == '[' ? "" : "'",
			refused[i][0] == '[' ? "a list" : refused[i],
			refused[i][0] == '[' ? "" : "'");

		parse_fails(text, expected);
	}
	/* The same check under defaults: host:, whose value every host gets. */
	parse_fails("defaults: {host: {connect_timeout: 0}}\nhosts: {h1: }\n",
		    "t.yaml:1:36: defaults: host: 'connect_timeout' must be a duration from 1s "
		    "to 1h such as 30s, 5m or 90 (seconds), got '0'");
}

static void
test_inventory_derived_uuid_is_stable_and_differs_by_name(void **state)
{
	static const char text[] = "hosts: {h1: }\n"
		"domains:\n  web1: {host: h1, memory: 64M}\n  web2: {host: h1, memory: 64M}\n";
	BERTH_AUTOPTR(berth_inventory) a = parse_ok(text);
	BERTH_AUTOPTR(berth_inventory) b = parse_ok(text);
	char expected[37];
	uuid_t ns, uuid;

	(void)state;
	assert_false(a->domains[0].uuid_given);
	assert_string_equal(a->domains[0].uuid, b->domains[0].uuid);
	assert_string_equal(a->domains[1].uuid, b->domains[1].uuid);
	assert_string_not_equal(a->domains[0].uuid, a->domains[1].uuid);

	/* The documented recipe: SHA-1 of the name under berth's namespace. */
	assert_int_equal(uuid_parse(BERTH_INVENTORY_UUID_NAMESPACE, ns), 0);
	uuid_generate_sha1(uuid, ns, "web1", 4);
	uuid_unparse_lower(uuid, expected);
	assert_string_equal(a->domains[0].uuid, expected);
	assert_int_equal(a->domains[0].uuid[14], '5');	/* a version 5 UUID */
}

static void
test_inventory_disk_targets_default_by_position_past_vdz(void **state)
{
	struct berth_buf text = BERTH_BUF_INIT;
	BERTH_AUTOPTR(berth_inventory) inv = NULL;

	(void)state;
	berth_buf_add(&text, "hosts: {h1: }\nstorage: {s: {server: h1, export: /s}}\n"
		      "domains:\n  d:\n    host: h1\n    memory: 64M\n    disks:\n");
	for (int i = 0; i < 28; i++)
		berth_buf_addf(&text, "      - {storage: s, image: d%d.img}\n", i);
	inv = parse_ok(text.buf);
	berth_buf_release(&text);
	assert_string_equal(inv->domains[0].disks[0].target, "vda");
	assert_string_equal(inv->domains[0].disks[25].target, "vdz");
	assert_string_equal(inv->domains[0].disks[26].target, "vdaa");
	assert_string_equal(inv->domains[0].disks[27].target, "vdab");
}

static void
test_inventory_parse_reads_only_len_bytes(void **state)
{
	static const char text[] = "hosts: {h1: }\nthis is not YAML: [";
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_inventory) inv = NULL;

	(void)state;
	inv = berth_inventory_parse(text, strlen("hosts: {h1: }\n"), NULL, &err);
	assert_non_null(inv);
	assert_string_equal(inv->path, "<inventory>");
}

static void
test_inventory_parse_without_an_error_slot_still_fails(void **state)
{
	(void)state;
	assert_null(berth_inventory_parse("hosts: 3\n", 9, "t.yaml", NULL));
	assert_null(berth_inventory_load("invalid/does-not-exist.yaml", NULL));
}

static void
test_inventory_load_names_a_file_it_cannot_read(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;

	(void)state;
	assert_null(berth_inventory_load("invalid/does-not-exist.yaml", &err));
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_INPUT);
	assert_string_equal(berth_error_message(err),
			    "cannot read inventory 'invalid/does-not-exist.yaml': "
			    "No such file or directory");
	berth_error_clear(&err);
	assert_null(berth_inventory_load("valid", &err));
	assert_string_equal(berth_error_message(err),
			    "cannot read inventory 'valid': not a regular file");
}

/* Parses text, which must be invalid with exactly the problems expected. */
static void
parse_fails_with(const char *text, const char *const *expected, size_t n)
{
	struct berth_problems problems = BERTH_PROBLEMS_INIT;
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOFREE char *path = xstrdup("/tmp/berth-test-inventory-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_null(berth_inventory_read(path, &problems, &err));
	unlink(path);
	assert_int_equal(problems.n, n);
	for (size_t i = 0; i < n; i++) {
		BERTH_AUTOFREE char *line = xasprintf("%s:%s", path, expected[i]);

		assert_string_equal(problems.items[i].text, line);
	}
	berth_problems_release(&problems);
}

/* The names in the JSON array a, as one "a,b,c" string; the caller frees it. */
static char *
json_names(const json_t *a)
{
	struct berth_buf sb = BERTH_BUF_INIT;
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		berth_buf_addf(&sb, "%s%s", i == 0 ? "" : ",", json_string_value(v));
	return berth_buf_detach(&sb);
}

static char *
strv_names(char *const *v, size_t n)
{
	struct berth_buf sb = BERTH_BUF_INIT;

	for (size_t i = 0; i < n; i++)
		berth_buf_addf(&sb, "%s%s", i == 0 ? "" : ",", v[i]);
	return berth_buf_detach(&sb);
}

static bool
ignored(const struct berth_inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->n_ignored_vars; i++) {
		if (strcmp(inv->ignored_vars[i], name) == 0)
			return true;
	}
	return false;
}

/* What berth resolved for the variable name of h, as ansible-inventory prints it. */
static char *
berth_value(const struct berth_inventory *inv, const struct berth_host *h, const char *name)
{
	if (strcmp(name, "ansible_host") == 0)
		return xstrdup(h->address);
	if (strcmp(name, "ansible_user") == 0)
		return xstrdup(h->user);
	if (strcmp(name, "ansible_port") == 0)
		return xasprintf("%u", h->port);
	if (strcmp(name, "ansible_ssh_private_key_file") == 0)
		return xstrdup(h->key);
	if (strncmp(name, "ansible_", 8) == 0)
		return xstrdup(ignored(inv, name) ? "(ignored)" : "(not ignored)");
	for (size_t i = 0; i < h->n_vars; i++) {
		if (strcmp(h->vars[i].name, name) == 0)
			return xstrdup(h->vars[i].value != NULL ? h->vars[i].value : "(not a scalar)");
	}
	return xstrdup("(missing)");
}

/* The value v as berth keeps it: the text of a scalar. */
static char *
ansible_value(const char *name, const json_t *v)
{
	if (strncmp(name, "ansible_", 8) == 0 && strcmp(name, "ansible_host") != 0 &&
	    strcmp(name, "ansible_user") != 0 && strcmp(name, "ansible_port") != 0 &&
	    strcmp(name, "ansible_ssh_private_key_file") != 0)
		return xstrdup("(ignored)");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	return xstrdup("(not a scalar)");
}

static void
test_inventory_ansible_groups_resolve_as_ansible_inventory_does(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_inventory) inv = berth_inventory_load("ansible/inventory.yaml", &err);
	json_t *expected = json_load_file("ansible/ansible-inventory.json", 0, NULL);
	json_t *hostvars = json_object_get(json_object_get(expected, "_meta"), "hostvars");
	const char *name;
	json_t *value;
	size_t groups = 0;

	(void)state;
	if (inv == NULL)
		print_error("unexpected error: %s\n", berth_error_message(err));
	assert_non_null(inv);
	assert_non_null(hostvars);
	/* The groups, each with the same hosts and children in the same order. */
	json_object_foreach(expected, name, value) {
		const struct berth_group *g = NULL;

		if (strcmp(name, "_meta") == 0)
			continue;
		for (size_t i = 0; i < inv->n_groups; i++) {
			if (strcmp(inv->groups[i].name, name) == 0)
				g = &inv->groups[i];
		}
		if (g == NULL)
			print_error("group '%s' is missing\n", name);
		assert_non_null(g);
		groups++;
		{
			BERTH_AUTOFREE char *want_hosts = json_names(json_object_get(value, "hosts"));
			BERTH_AUTOFREE char *have_hosts = strv_names(g->hosts, g->n_hosts);
			BERTH_AUTOFREE char *want_children =
				json_names(json_object_get(value, "children"));
			BERTH_AUTOFREE char *have_children = strv_names(g->children, g->n_children);

			/* ansible-inventory lists all's hosts under ungrouped only. */
			if (strcmp(name, "all") != 0)
				assert_string_equal(have_hosts, want_hosts);
			assert_string_equal(have_children, want_children);
		}
	}
	assert_int_equal(groups, inv->n_groups);
	/* The hosts, each with every variable resolved to the same value. */
	assert_int_equal(json_object_size(hostvars), inv->n_hosts);
	for (size_t i = 0; i < inv->n_hosts; i++) {
		const struct berth_host *h = &inv->hosts[i];
		json_t *vars = json_object_get(hostvars, h->name);
		size_t n_ansible = 0;

		assert_non_null(vars);
		json_object_foreach(vars, name, value) {
			BERTH_AUTOFREE char *want = ansible_value(name, value);
			BERTH_AUTOFREE char *have = berth_value(inv, h, name);

			if (strcmp(want, have) != 0)
				print_error("host '%s': '%s' is '%s' in Ansible, '%s' in berth\n",
					    h->name, name, want, have);
			assert_string_equal(have, want);
			if (strncmp(name, "ansible_", 8) != 0)
				n_ansible++;
		}
		/* berth keeps no variable Ansible does not have. */
		assert_int_equal(h->n_vars, n_ansible);
	}
	json_decref(expected);
}

struct docs {
	char *markdown;		/* docs/inventory.md */
	char *man;		/* docs/berth-inventory.5 */
	size_t missing;
};

static char *
read_whole(const char *path)
{
	FILE *fp = fopen(path, "r");
	struct berth_buf sb = BERTH_BUF_INIT;
	char chunk[4096];
	size_t n;

	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		berth_buf_addn(&sb, chunk, n);
	fclose(fp);
	return berth_buf_detach(&sb);
}

static void
check_documented(const char *section, const char *key, void *arg)
{
	struct docs *d = arg;
	BERTH_AUTOFREE char *md = xasprintf("`%s`", key);
	BERTH_AUTOFREE char *man = xasprintf("\\fB%s\\fP", key);

	if (strstr(d->markdown, md) == NULL) {
		print_error("%s: key '%s' is not in docs/inventory.md\n", section, key);
		d->missing++;
	}
	if (strstr(d->man, man) == NULL) {
		print_error("%s: key '%s' is not in docs/berth-inventory.5\n", section, key);
		d->missing++;
	}
}

static void
test_inventory_shipped_inventories_are_valid(void **state)
{
	static const char *const shipped[] = {
		"../../inventories/lab/inventory.yaml",
		"../../inventories/seeds/shared-storage-live.yaml",
		"../../inventories/seeds/block-migration.yaml",
		"../../inventories/seeds/cold-migration.yaml",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		BERTH_AUTOPTR(berth_error) err = NULL;
		BERTH_AUTOPTR(berth_inventory) inv = berth_inventory_load(shipped[i], &err);

		if (inv == NULL)
			print_error("%s: %s\n", shipped[i], berth_error_message(err));
		assert_non_null(inv);
		assert_true(inv->n_domains > 0);
	}
}

static void
test_inventory_every_key_is_documented(void **state)
{
	struct docs d = {
		.markdown = read_whole("../../docs/inventory.md"),
		.man = read_whole("../../docs/berth-inventory.5"),
	};

	(void)state;
	berth_inventory_each_key(check_documented, &d);
	free(d.markdown);
	free(d.man);
	assert_int_equal(d.missing, 0);
}

static void
test_inventory_load_refuses_what_is_not_a_small_regular_file(void **state)
{
	BERTH_AUTOFREE char *dir = xstrdup("/tmp/berth-test-inventory-XXXXXX");
	BERTH_AUTOFREE char *fifo = NULL;
	BERTH_AUTOFREE char *big = NULL;
	BERTH_AUTOFREE char *expected = NULL;
	BERTH_AUTOPTR(berth_error) err = NULL;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* A device that never ends: refused before anything is read. */
	assert_null(berth_inventory_load("/dev/zero", &err));
	assert_string_equal(berth_error_message(err),
			    "cannot read inventory '/dev/zero': not a regular file");
	berth_error_clear(&err);
	/* A FIFO nobody writes to: refused at once, not waited on. */
	fifo = xasprintf("%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_null(berth_inventory_load(fifo, &err));
	expected = xasprintf("cannot read inventory '%s': not a regular file", fifo);
	assert_string_equal(berth_error_message(err), expected);
	berth_error_clear(&err);
	free(expected);
	/* One byte over the limit (a sparse file: nothing is written). */
	big = xasprintf("%s/big.yaml", dir);
	fd = open(big, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, BERTH_INVENTORY_MAX_BYTES + 1), 0);
	close(fd);
	assert_null(berth_inventory_load(big, &err));
	expected = xasprintf("cannot read inventory '%s': larger than 64 MiB, the most "
			     "berth reads", big);
	assert_string_equal(berth_error_message(err), expected);
	unlink(big);
	unlink(fifo);
	rmdir(dir);
}

static void
test_inventory_every_problem_is_reported_in_file_order(void **state)
{
	static const char *const two[] = {
		"2:14: host 'h1': 'port' must be an integer from 1 to 65535, got '0'",
		"3:14: host 'h2': 'user' must be a string, got a list",
	};
	static const char *const defaults[] = {
		"1:20: host 'h1': 'port' must be an integer from 1 to 65535, got '0'",
		"2:28: defaults: domain: 'vcpus' must be an integer from 1 to 256, got 'many'",
	};
	static const char *const references[] = {
		"1:21: domain 'd': host 'h9' is not defined (did you mean 'h1'?)",
		"2:20: host 'h1': 'port' must be an integer from 1 to 65535, got '99999'",
	};
	static const char *const broken[] = {
		/* A broken entry is still a name: 'd' refers to 'h1' without a problem. */
		"2:7: host 'h1' must be a mapping, got 'oops'",
		"4:25: domain 'd': 'memory' must be a size like 128M, got 'lots'",
	};

	(void)state;
	/* Two problems, sorted by place, the first also in the error. */
	parse_fails("hosts:\n  h1: {port: 0}\n  h2: {user: [a]}\n",
		    "t.yaml:2:14: host 'h1': 'port' must be an integer from 1 to 65535, got '0' "
		    "(and 1 more problem)");
	parse_fails_with("hosts:\n  h1: {port: 0}\n  h2: {user: [a]}\n", two, 2);
	/* defaults: are read before what uses them, wherever they stand. */
	parse_fails_with("hosts: {h1: {port: 0}}\ndefaults: {domain: {vcpus: many}}\n",
			 defaults, 2);
	/* References are checked once every entry has been read. */
	parse_fails_with("domains: {d: {host: h9, memory: 1G}}\nhosts: {h1: {port: 99999}}\n",
			 references, 2);
	/* A required key given a wrong value is not also missing. */
	parse_fails_with("hosts:\n  h1: oops\ndomains:\n  d: {host: h1, memory: lots}\n",
			 broken, 2);
}

static void
test_inventory_libvirt_keys_build_the_uri(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = parse_ok(
		"hosts:\n"
		"  h1:\n"
		"    address: h1.lab\n"
		"    key: /k\n"
		"    known_hosts: /kh\n"
		"    libvirt:\n"
		"      transport: libssh2\n"
		"      host: h1-mgmt.lab\n"
		"      port: 2222\n"
		"      user: virt\n"
		"      socket: /run/libvirt/libvirt sock\n"
		"  h2:\n"
		"    address: h2.lab\n"
		"    port: 2200\n"
		"    known_hosts: /kh\n"
		"    libvirt: {socket: /s}\n");
	BERTH_AUTOFREE char *h1 = berth_host_libvirt_uri(&inv->hosts[0]);
	BERTH_AUTOFREE char *h2 = berth_host_libvirt_uri(&inv->hosts[1]);

	(void)state;
	assert_string_equal(h1, "qemu+libssh2://virt@h1-mgmt.lab:2222/system"
			    "?socket=/run/libvirt/libvirt%20sock&keyfile=/k&sshauth=privkey"
			    "&known_hosts=/kh&known_hosts_verify=normal");
	/* What libvirt: leaves out is the host's own. */
	assert_string_equal(h2, "qemu+libssh2://root@h2.lab:2200/system?socket=/s"
			    "&known_hosts=/kh&known_hosts_verify=normal");
	parse_fails("hosts:\n  h1:\n    libvirt: {transport: ssh}\n",
		    "t.yaml:3:26: host 'h1': libvirt: 'transport' must be 'libssh2', got 'ssh'");
	parse_fails("hosts:\n  h1:\n    libvirt: {socket: /s}\n    libvirt_uri: "
		    "qemu+libssh2://h1/system\n",
		    "t.yaml:3:14: host 'h1': give 'libvirt' or 'libvirt_uri', not both");
}

static void
test_inventory_libvirt_uri_that_runs_a_program_or_stays_local_is_refused(void **state)
{
	static const struct {
		const char *uri;
		const char *shown;	/* command= is not berth's parameter: its value is not shown */
		const char *why;
	} cases[] = {
		{ "qemu+ext:///system?command=/bin/sh", "qemu+ext:///system?command=REDACTED",
		  "the transport 'ext' runs a local program" },
		{ "qemu+ssh://root@h1.lab/system", "qemu+ssh://root@h1.lab/system",
		  "the transport 'ssh' runs the local ssh program" },
		{ "qemu:///system", "qemu:///system",
		  "a URI without a transport or a host opens the 'qemu' driver on this machine" },
		{ "qemu+unix:///system", "qemu+unix:///system",
		  "the transport 'unix' talks to a libvirt daemon on this machine" },
		{ "test:///default", "test:///default",
		  "a URI without a transport or a host opens the 'test' driver on this machine" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		BERTH_AUTOFREE char *text = xasprintf("hosts:\n  h1:\n    libvirt_uri: '%s'\n",
						      cases[i].uri);
		BERTH_AUTOFREE char *expected = xasprintf(
			"t.yaml:3:18: host 'h1': 'libvirt_uri' must be "
			"qemu+libssh2://[USER@]HOST[:PORT]/system, got '%s': %s",
			cases[i].shown, cases[i].why);

		parse_fails(text, expected);
	}
}

static void
test_inventory_libvirt_uri_password_is_refused_and_not_shown(void **state)
{
	(void)state;
	parse_fails("hosts: {h1: {libvirt_uri: 'qemu+libssh2://root:hunter2@h1.lab/system'}}\n",
		    "t.yaml:1:27: host 'h1': 'libvirt_uri' must be "
		    "qemu+libssh2://[USER@]HOST[:PORT]/system, got "
		    "'qemu+libssh2://root:REDACTED@h1.lab/system': it holds a password, which "
		    "berth never sends: berth logs in with 'key'");
}

static void
test_inventory_libvirt_uri_gets_the_keys_of_the_host(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = parse_ok(
		"hosts:\n  h1:\n    key: /k\n    known_hosts: /kh\n"
		"    libvirt_uri: qemu+libssh2://admin@kvm1.lab:2200/system\n");
	BERTH_AUTOFREE char *uri = berth_host_libvirt_uri(&inv->hosts[0]);

	(void)state;
	assert_string_equal(inv->hosts[0].libvirt_uri, "qemu+libssh2://admin@kvm1.lab:2200/system");
	assert_string_equal(uri, "qemu+libssh2://admin@kvm1.lab:2200/system"
			    "?keyfile=/k&sshauth=privkey&known_hosts=/kh&known_hosts_verify=normal");
}

static void
test_inventory_key_path_stays_one_libvirt_parameter(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = parse_ok(
		"hosts:\n  h1:\n    key: '/srv/k&known_hosts_verify=ignore#'\n"
		"    known_hosts: '/srv/kh#1'\n");
	BERTH_AUTOFREE char *uri = berth_host_libvirt_uri(&inv->hosts[0]);

	(void)state;
	assert_string_equal(uri, "qemu+libssh2://root@h1/system"
			    "?keyfile=/srv/k%26known_hosts_verify%3Dignore%23&sshauth=privkey"
			    "&known_hosts=/srv/kh%231&known_hosts_verify=normal");
}

static void
test_inventory_address_is_a_host_name_or_an_ip_address(void **state)
{
	static const char *const refused[] = {
		"h1.lab/system", "h1.lab?no_verify=1", "h1.lab#", "root@h1.lab", "h1 lab",
		"-oProxyCommand=x", "h1.lab:22", "[h1.lab]", "fe80::1%eth0",
	};
	BERTH_AUTOPTR(berth_inventory) inv = parse_ok(
		"hosts:\n  h1: {address: '[2001:db8::1]'}\n  h2: {address: '2001:db8::2'}\n"
		"  h3: {address: 192.0.2.3}\n  h4: {address: kvm-4.example.com}\n");

	(void)state;
	assert_string_equal(inv->hosts[0].address, "2001:db8::1");
	assert_string_equal(inv->hosts[1].address, "2001:db8::2");
	assert_string_equal(inv->hosts[2].address, "192.0.2.3");
	assert_string_equal(inv->hosts[3].address, "kvm-4.example.com");
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		BERTH_AUTOFREE char *text = xasprintf("hosts: {h1: {address: '%s'}}\n", refused[i]);
		BERTH_AUTOFREE char *expected = xasprintf(
			"t.yaml:1:23: host 'h1': 'address' must be a host name (letters, digits, "
			"'-', '_' and '.') or an IP address, got '%s'", refused[i]);

		parse_fails(text, expected);
	}
}

static void
test_inventory_quoted_booleans_and_nulls_are_text(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = parse_ok("hosts:\n  h1: {user: 'yes'}\n"
						      "  h2: {user: \"null\"}\n");

	(void)state;
	assert_string_equal(inv->hosts[0].user, "yes");
	assert_string_equal(inv->hosts[1].user, "null");
	parse_fails("hosts:\n  h1: {user: ~}\n",
		    "t.yaml:2:14: host 'h1': 'user' must be a string, got '~'");
	parse_fails("hosts:\n  h1: {user: }\n",
		    "t.yaml:2:14: host 'h1': 'user' must be a string, got an empty value");
	parse_fails("hosts:\n  h1: {user: ''}\n",
		    "t.yaml:2:14: host 'h1': 'user' must be a string, got an empty string");
}

static void
test_inventory_name_rule_allows_63_characters_from_the_set(void **state)
{
	char longest[64];
	char too_long[65];

	(void)state;
	memset(longest, 'a', 63);
	longest[63] = '\0';
	assert_true(berth_inventory_name_is_valid("h1"));
	assert_true(berth_inventory_name_is_valid("1"));
	assert_true(berth_inventory_name_is_valid("web-1.lab_2"));
	assert_true(berth_inventory_name_is_valid(longest));
	assert_false(berth_inventory_name_is_valid(""));
	assert_false(berth_inventory_name_is_valid("-web"));
	assert_false(berth_inventory_name_is_valid(".web"));
	assert_false(berth_inventory_name_is_valid("web 1"));
	assert_false(berth_inventory_name_is_valid("web/1"));
	assert_false(berth_inventory_name_is_valid("web1\n"));
	assert_false(berth_inventory_name_is_valid("wéb1"));
	memset(too_long, 'a', 64);
	too_long[64] = '\0';
	assert_false(berth_inventory_name_is_valid(too_long));
}

static void
test_inventory_thousands_of_entries_parse(void **state)
{
	struct berth_buf text = BERTH_BUF_INIT;
	BERTH_AUTOPTR(berth_inventory) inv = NULL;

	(void)state;
	berth_buf_add(&text, "hosts:\n");
	for (int i = 0; i < 2000; i++)
		berth_buf_addf(&text, "  h%d:\n", i);
	berth_buf_add(&text, "domains:\n");
	for (int i = 0; i < 4000; i++)
		berth_buf_addf(&text, "  d%d: {host: h%d, memory: 64M, nics: "
			       "[{bridge: br0, mac: '52:54:00:00:%02x:%02x'}]}\n",
			       i, i % 2000, i / 256, i % 256);
	inv = parse_ok(text.buf);
	berth_buf_release(&text);
	assert_int_equal(inv->n_hosts, 2000);
	assert_int_equal(inv->n_domains, 4000);
	assert_string_equal(inv->domains[3999].host, "h1999");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inventory_every_valid_file_parses),
		cmocka_unit_test(test_inventory_every_valid_file_resolves_to_its_model),
		cmocka_unit_test(test_inventory_include_reads_files_below_it_and_expands_vars),
		cmocka_unit_test(test_inventory_include_needs_a_file),
		cmocka_unit_test(test_inventory_domain_xml_files_and_edits_are_checked),
		cmocka_unit_test(test_inventory_every_invalid_file_fails_with_its_exact_message),
		cmocka_unit_test(test_inventory_full_example_applies_defaults_aliases_and_units),
		cmocka_unit_test(test_inventory_built_in_defaults_fill_a_bare_host_and_domain),
		cmocka_unit_test(test_inventory_memory_and_disk_sizes_accept_every_unit),
		cmocka_unit_test(test_inventory_timeouts_accept_seconds_minutes_and_hours),
		cmocka_unit_test(test_inventory_timeout_outside_1s_to_1h_or_without_a_unit_is_refused),
		cmocka_unit_test(test_inventory_derived_uuid_is_stable_and_differs_by_name),
		cmocka_unit_test(test_inventory_disk_targets_default_by_position_past_vdz),
		cmocka_unit_test(test_inventory_parse_reads_only_len_bytes),
		cmocka_unit_test(test_inventory_parse_without_an_error_slot_still_fails),
		cmocka_unit_test(test_inventory_load_names_a_file_it_cannot_read),
		cmocka_unit_test(test_inventory_every_problem_is_reported_in_file_order),
		cmocka_unit_test(test_inventory_load_refuses_what_is_not_a_small_regular_file),
		cmocka_unit_test(test_inventory_every_key_is_documented),
		cmocka_unit_test(test_inventory_shipped_inventories_are_valid),
		cmocka_unit_test(test_inventory_ansible_groups_resolve_as_ansible_inventory_does),
		cmocka_unit_test(test_inventory_libvirt_keys_build_the_uri),
		cmocka_unit_test(test_inventory_libvirt_uri_that_runs_a_program_or_stays_local_is_refused),
		cmocka_unit_test(test_inventory_libvirt_uri_password_is_refused_and_not_shown),
		cmocka_unit_test(test_inventory_libvirt_uri_gets_the_keys_of_the_host),
		cmocka_unit_test(test_inventory_key_path_stays_one_libvirt_parameter),
		cmocka_unit_test(test_inventory_address_is_a_host_name_or_an_ip_address),
		cmocka_unit_test(test_inventory_quoted_booleans_and_nulls_are_text),
		cmocka_unit_test(test_inventory_name_rule_allows_63_characters_from_the_set),
		cmocka_unit_test(test_inventory_thousands_of_entries_parse),
	};

	if (argc != 2 || chdir(argv[1]) < 0) {
		fprintf(stderr, "usage: %s TESTS/INVENTORIES-DIR (%s)\n", argv[0],
			argc == 2 ? strerror(errno) : "missing");
		return 2;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
