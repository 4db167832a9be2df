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

/* Two hosts: a full one with a domain and an export, and an unreachable one. */
static struct berth_facts *
sample_facts(void)
{
	struct berth_facts *f = xcalloc(1, sizeof(*f));
	struct berth_host_fact *h;
	struct berth_domain_fact *d;

	f->n_hosts = 2;
	f->hosts = xcalloc(2, sizeof(*f->hosts));
	h = &f->hosts[0];
	h->name = xstrdup("h1");
	h->reachable = true;
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
	h->n_exports = 1;
	h->exports = xcalloc(1, sizeof(*h->exports));
	h->exports[0].path = xstrdup("/srv/berth-lab/share");
	h->exports[0].files = strv("web1.qcow2", NULL);
	h->exports[0].n_files = 1;
	h->n_domains = 1;
	h->domains = xcalloc(1, sizeof(*h->domains));
	d = &h->domains[0];
	d->name = xstrdup("web1");
	strcpy(d->uuid, "0c6b4b7e-6c39-5b5e-9a53-4d7e1d0b6f10");
	d->state = BERTH_DOM_RUNNING;
	d->persistent = true;
	d->memory_kib = 131072;
	d->vcpus = 1;
	d->n_disks = 1;
	d->disks = xcalloc(1, sizeof(*d->disks));
	d->disks[0].target = xstrdup("vda");
	d->disks[0].source = xstrdup("nfs://h3.lab/srv/berth-lab/share/web1.qcow2");
	d->disks[0].format = xstrdup("qcow2");
	d->n_nics = 1;
	d->nics = xcalloc(1, sizeof(*d->nics));
	d->nics[0].mac = xstrdup("52:54:00:18:00:65");
	d->nics[0].bridge = xstrdup("br0");
	d->nics[0].model = xstrdup("virtio");
	d->xml = xstrdup("<domain type='qemu'><name>web1</name></domain>");
	h = &f->hosts[1];
	h->name = xstrdup("h2");
	h->error = xstrdup("host 'h2': cannot connect to 'h2.lab' port 22: No route to host");
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

static void
test_facts_json_missing_key_is_named(void **state)
{
	BERTH_AUTOFREE char *path = NULL;
	BERTH_AUTOFREE char *msg = load_error("{\"format_version\": 1, \"hosts\": [{\"name\": \"h1\"}]}", &path);
	BERTH_AUTOFREE char *expected =
		xasprintf("%s: hosts[0].reachable: expected a value (the key is missing)", path);

	(void)state;
	assert_string_equal(msg, expected);
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
		cmocka_unit_test(test_facts_json_missing_key_is_named),
		cmocka_unit_test(test_facts_json_syntax_error_names_line_and_column),
		cmocka_unit_test(test_facts_json_other_format_version_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
