/* core/facts-json.c: facts written as JSON load back the same. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/facts.h"
#include "tests/fixture/fixture.h"

static char **
strv(const char *a, const char *b)
{
	char **v = xcalloc(3, sizeof(*v));

	v[0] = xstrdup(a);
	if (b != NULL)
		v[1] = xstrdup(b);
	return v;
}

/*
 * The facts ONLY_REQUIRED_KEYS describes: two hosts, h1 reachable with a
 * domain and an export, h2 unreachable, and only what no fact can be
 * without; everything else zero.
 */
static struct berth_facts *
required_facts(void)
{
	struct berth_facts *f = xcalloc(1, sizeof(*f));
	struct berth_host_fact *h;
	struct berth_domain_fact *d;

	f->n_hosts = 2;
	f->hosts = xcalloc(2, sizeof(*f->hosts));
	h = &f->hosts[0];
	h->name = xstrdup("h1");
	h->reachable = true;
	h->n_exports = 1;
	h->exports = xcalloc(1, sizeof(*h->exports));
	h->exports[0].path = xstrdup("/srv/berth-lab/share");
	h->n_domains = 1;
	h->domains = xcalloc(1, sizeof(*h->domains));
	d = &h->domains[0];
	d->name = xstrdup("web1");
	strcpy(d->uuid, "0c6b4b7e-6c39-5b5e-9a53-4d7e1d0b6f10");
	d->state = BERTH_DOM_RUNNING;
	d->n_disks = 2;
	d->disks = xcalloc(2, sizeof(*d->disks));
	d->disks[0].target = xstrdup("vda");
	d->n_nics = 1;
	d->nics = xcalloc(1, sizeof(*d->nics));
	d->nics[0].mac = xstrdup("52:54:00:18:00:65");
	f->hosts[1].name = xstrdup("h2");
	return f;
}

/* required_facts() with every other field of h1 and h2 filled in. */
static struct berth_facts *
sample_facts(void)
{
	struct berth_facts *f = required_facts();
	struct berth_host_fact *h = &f->hosts[0];
	struct berth_domain_fact *d = &h->domains[0];

	h->hostname = xstrdup("h1");
	h->fqdn = xstrdup("h1.lab");
	h->addresses = strv("198.18.0.11", NULL);
	h->n_addresses = 1;
	h->arch = xstrdup("x86_64");
	h->cpu_vendor = xstrdup("AuthenticAMD");
	h->cpu_model = xstrdup("EPYC");
	h->cpu_nx = true;
	h->cpu_svm = true;
	h->memory_total_kib = 24683620;
	h->memory_free_kib = 20000000;
	h->libvirt_version = 9000000;
	h->qemu_version = 7002022;
	h->host_uuid = xstrdup("4c9ad469-ede2-58a1-a878-0549b8bf99e7");
	h->bridges = strv("br0", "br1");
	h->n_bridges = 2;
	h->exports[0].files = strv("web1.qcow2", "web1.qcow2.berth-lease");
	h->exports[0].n_files = 2;
	h->exports[0].leases = xcalloc(1, sizeof(*h->exports[0].leases));
	h->exports[0].leases[0].image = xstrdup("web1.qcow2");
	h->exports[0].leases[0].holder = xstrdup("h1");
	h->exports[0].n_leases = 1;
	d->persistent = true;
	d->memory_kib = 131072;
	d->vcpus = 1;
	d->disks[0].source = xstrdup("nfs://h3.lab/srv/berth-lab/share/web1.qcow2");
	d->disks[0].format = xstrdup("qcow2");
	d->disks[1].source = xstrdup("");	/* an empty CD-ROM */
	d->nics[0].bridge = xstrdup("br0");
	d->nics[0].model = xstrdup("virtio");
	d->xml = xstrdup("<domain type='qemu'><name>web1</name></domain>");
	f->hosts[1].error = xstrdup("host 'h2': cannot connect to 'h2.lab' port 22: No route to host");
	return f;
}

static void
test_facts_json_round_trip_keeps_every_field(void **state)
{
	BERTH_AUTOPTR(berth_facts) facts = sample_facts();
	BERTH_AUTOPTR(berth_facts) loaded = NULL;
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOFREE char *json = berth_facts_to_json(facts);
	BERTH_AUTOFREE char *path = berth_fx_write_temp(json);
	BERTH_AUTOFREE char *again = NULL;
	const struct berth_domain_fact *d;

	(void)state;
	loaded = berth_facts_load(path, &err);
	unlink(path);
	assert_null(err);
	assert_non_null(loaded);
	again = berth_facts_to_json(loaded);
	assert_string_equal(json, again);
	assert_int_equal(loaded->n_hosts, 2);
	assert_false(berth_facts_host(loaded, "h2")->reachable);
	d = berth_host_fact_domain(berth_facts_host(loaded, "h1"), "web1");
	assert_non_null(d);
	assert_string_equal(d->nics[0].bridge, "br0");
	assert_string_equal(d->uuid, "0c6b4b7e-6c39-5b5e-9a53-4d7e1d0b6f10");
	assert_int_equal(berth_facts_host(loaded, "h1")->memory_free_kib, 20000000);
	assert_int_equal(berth_facts_host(loaded, "h1")->exports[0].n_leases, 1);
	assert_string_equal(berth_facts_host(loaded, "h1")->exports[0].leases[0].image, "web1.qcow2");
	assert_string_equal(berth_facts_host(loaded, "h1")->exports[0].leases[0].holder, "h1");
}

/* Loads content and returns the error message (free it), asserting failure. */
static char *
load_error(const char *content, char **path_out)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	char *path = berth_fx_write_temp(content);
	struct berth_facts *f = berth_facts_load(path, &err);

	unlink(path);
	assert_null(f);
	assert_non_null(err);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_INPUT);
	*path_out = path;
	return xstrdup(berth_error_message(err));
}

static void
test_facts_json_wrong_type_names_the_json_path(void **state)
{
	BERTH_AUTOPTR(berth_facts) facts = sample_facts();
	BERTH_AUTOFREE char *json = berth_facts_to_json(facts);
	BERTH_AUTOFREE char *path = NULL;
	BERTH_AUTOFREE char *msg = NULL;
	BERTH_AUTOFREE char *expected = NULL;
	char *at = strstr(json, "\"free_kib\": 20000000");

	(void)state;
	assert_non_null(at);
	memcpy(at, "\"free_kib\": \"lots\"  ", strlen("\"free_kib\": \"lots\"  "));
	msg = load_error(json, &path);
	expected = xasprintf("%s: hosts[0].memory.free_kib: expected a non-negative integer", path);
	assert_string_equal(msg, expected);
}

/* Loads content, asserting success; the caller frees the facts. */
static struct berth_facts *
load_ok(const char *content)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOFREE char *path = berth_fx_write_temp(content);
	struct berth_facts *f = berth_facts_load(path, &err);

	unlink(path);
	assert_null(err);
	assert_non_null(f);
	return f;
}

/* Only the keys without which a fact means nothing: see required_facts(). */
#define ONLY_REQUIRED_KEYS \
	"{\"format_version\": 1, \"hosts\": [" \
	"{\"name\": \"h1\", \"reachable\": true," \
	" \"exports\": [{\"path\": \"/srv/berth-lab/share\"}]," \
	" \"domains\": [{\"name\": \"web1\"," \
	" \"uuid\": \"0c6b4b7e-6c39-5b5e-9a53-4d7e1d0b6f10\", \"state\": \"running\"," \
	" \"disks\": [{\"target\": \"vda\"}, {\"target\": null}]," \
	" \"nics\": [{\"mac\": \"52:54:00:18:00:65\"}]}]}," \
	"{\"name\": \"h2\", \"reachable\": false}]}"

static void
test_facts_load_missing_optional_keys_take_defaults(void **state)
{
	BERTH_AUTOPTR(berth_facts) loaded = load_ok(ONLY_REQUIRED_KEYS);
	BERTH_AUTOPTR(berth_facts) expected = required_facts();
	BERTH_AUTOFREE char *loaded_json = berth_facts_to_json(loaded);
	BERTH_AUTOFREE char *expected_json = berth_facts_to_json(expected);
	const struct berth_host_fact *h = berth_facts_host(loaded, "h1");
	const struct berth_domain_fact *d = berth_host_fact_domain(h, "web1");

	(void)state;
	/* Every field the writer knows, compared at once ... */
	assert_string_equal(loaded_json, expected_json);
	/* ... and one of each kind spelled out: null, false, 0, empty. */
	assert_null(h->fqdn);
	assert_null(h->cpu_vendor);
	assert_false(h->cpu_vmx);
	assert_int_equal(h->memory_free_kib, 0);
	assert_int_equal(h->libvirt_version, 0);
	assert_int_equal(h->n_addresses, 0);
	assert_int_equal(h->n_bridges, 0);
	assert_int_equal(h->exports[0].n_files, 0);
	assert_false(d->persistent);
	assert_int_equal(d->vcpus, 0);
	assert_null(d->disks[0].source);
	assert_null(d->disks[1].target);
	assert_null(d->nics[0].bridge);
	assert_null(d->xml);
	assert_int_equal(berth_facts_host(loaded, "h2")->n_domains, 0);
}

static void
test_facts_load_missing_hosts_is_no_hosts(void **state)
{
	BERTH_AUTOPTR(berth_facts) loaded = load_ok("{\"format_version\": 1}");

	(void)state;
	assert_int_equal(loaded->n_hosts, 0);
}

/*
 * Documents of one host: HOST holds just inner; HOST_WITH adds inner to a
 * host h1 with its required keys; DOMAIN_WITH, to its domain web1.
 */
#define HOST(inner) "{\"format_version\": 1, \"hosts\": [{" inner "}]}"
#define HOST_WITH(inner) HOST("\"name\": \"h1\", \"reachable\": true, " inner)
#define DOMAIN_WITH(inner) HOST_WITH("\"domains\": [{\"name\": \"web1\", " \
	"\"uuid\": \"0c6b4b7e-6c39-5b5e-9a53-4d7e1d0b6f10\", \"state\": \"running\", " inner "}]")

/* A document and the message its load fails with, after "FILE: ". */
struct load_failure {
	const char *content;
	const char *message;
};

static void
assert_load_failures(const struct load_failure *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		BERTH_AUTOFREE char *path = NULL;
		BERTH_AUTOFREE char *msg = load_error(cases[i].content, &path);
		BERTH_AUTOFREE char *expected = xasprintf("%s: %s", path, cases[i].message);

		assert_string_equal(msg, expected);
	}
}

static void
test_facts_load_missing_required_key_names_its_path(void **state)
{
	static const struct load_failure cases[] = {
		{ "{\"hosts\": []}",
		  "format_version: expected a value (the key is missing)" },
		{ HOST("\"reachable\": true"),
		  "hosts[0].name: expected a value (the key is missing)" },
		{ HOST("\"name\": \"h1\""),
		  "hosts[0].reachable: expected a value (the key is missing)" },
		{ HOST_WITH("\"exports\": [{\"files\": []}]"),
		  "hosts[0].exports[0].path: expected a value (the key is missing)" },
		{ HOST_WITH("\"exports\": [{\"path\": \"/e\", \"leases\": [{\"image\": \"a\"}]}]"),
		  "hosts[0].exports[0].leases[0].holder: expected a value (the key is missing)" },
		{ HOST_WITH("\"domains\": [{\"uuid\": \"0c6b4b7e-6c39-5b5e-9a53-4d7e1d0b6f10\", "
			    "\"state\": \"running\"}]"),
		  "hosts[0].domains[0].name: expected a value (the key is missing)" },
		{ HOST_WITH("\"domains\": [{\"name\": \"web1\", \"state\": \"running\"}]"),
		  "hosts[0].domains[0].uuid: expected a value (the key is missing)" },
		{ HOST_WITH("\"domains\": [{\"name\": \"web1\", "
			    "\"uuid\": \"0c6b4b7e-6c39-5b5e-9a53-4d7e1d0b6f10\"}]"),
		  "hosts[0].domains[0].state: expected a value (the key is missing)" },
		{ DOMAIN_WITH("\"disks\": [{\"source\": \"/var/lib/web1.qcow2\"}]"),
		  "hosts[0].domains[0].disks[0].target: expected a value (the key is missing)" },
		{ DOMAIN_WITH("\"nics\": [{\"bridge\": \"br0\"}]"),
		  "hosts[0].domains[0].nics[0].mac: expected a value (the key is missing)" },
	};

	(void)state;
	assert_load_failures(cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_facts_load_wrong_type_of_a_present_key_names_its_path(void **state)
{
	static const struct load_failure cases[] = {
		{ HOST("\"name\": null, \"reachable\": true"),
		  "hosts[0].name: expected a string" },
		{ HOST_WITH("\"hostname\": 7"),
		  "hosts[0].hostname: expected a string or null" },
		{ HOST_WITH("\"cpu\": []"),
		  "hosts[0].cpu: expected an object" },
		{ HOST_WITH("\"cpu\": {\"nx\": null}"),
		  "hosts[0].cpu.nx: expected true or false" },
		{ HOST_WITH("\"bridges\": \"br0\""),
		  "hosts[0].bridges: expected an array" },
		{ HOST_WITH("\"qemu_version\": -1"),
		  "hosts[0].qemu_version: expected a non-negative integer" },
		{ DOMAIN_WITH("\"disks\": [{\"target\": 1}]"),
		  "hosts[0].domains[0].disks[0].target: expected a string or null" },
		{ DOMAIN_WITH("\"xml\": false"),
		  "hosts[0].domains[0].xml: expected a string or null" },
		{ HOST_WITH("\"exports\": [{\"path\": \"/e\", \"leases\": [{\"image\": \"b\", "
			    "\"holder\": \"h1\"}, {\"image\": \"a\", \"holder\": \"h2\"}]}]"),
		  "hosts[0].exports[0].leases[1].image: expected a name after the previous lease's, in byte order, each once" },
	};

	(void)state;
	assert_load_failures(cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_facts_json_syntax_error_names_line_and_column(void **state)
{
	BERTH_AUTOFREE char *path = NULL;
	BERTH_AUTOFREE char *msg = load_error("{\"format_version\": 1,\n \"hosts\": [}\n", &path);
	BERTH_AUTOFREE char *prefix = xasprintf("%s:2:12: ", path);

	(void)state;
	assert_int_equal(strncmp(msg, prefix, strlen(prefix)), 0);
}

static void
test_facts_json_other_format_version_is_refused(void **state)
{
	BERTH_AUTOFREE char *path = NULL;
	BERTH_AUTOFREE char *msg = load_error("{\"format_version\": 7, \"hosts\": []}", &path);
	BERTH_AUTOFREE char *expected = xasprintf(
		"%s: facts format_version 7 is not supported (this berth reads 1)", path);

	(void)state;
	assert_string_equal(msg, expected);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_facts_json_round_trip_keeps_every_field),
		cmocka_unit_test(test_facts_json_wrong_type_names_the_json_path),
		cmocka_unit_test(test_facts_load_missing_optional_keys_take_defaults),
		cmocka_unit_test(test_facts_load_missing_hosts_is_no_hosts),
		cmocka_unit_test(test_facts_load_missing_required_key_names_its_path),
		cmocka_unit_test(test_facts_load_wrong_type_of_a_present_key_names_its_path),
		cmocka_unit_test(test_facts_json_syntax_error_names_line_and_column),
		cmocka_unit_test(test_facts_json_other_format_version_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
