/*
 * executors/facts-xml.c: libvirt's capabilities and domain XML into facts,
 * from the fixtures in tests/facts/ (found through BERTH_TESTS_DIR).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "executors/facts/facts.h"

/* The text of tests/facts/NAME; the caller frees it. */
static char *
fixture(const char *name)
{
	const char *dir = getenv("BERTH_TESTS_DIR");
	BERTH_AUTOFREE char *path = xasprintf("%s/facts/%s", dir != NULL ? dir : "tests", name);
	struct berth_buf text = BERTH_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		fail_msg("cannot open fixture '%s'", path);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		berth_buf_addn(&text, chunk, n);
	fclose(fp);
	return berth_buf_detach(&text);
}

static void
test_capabilities_of_the_lab_give_arch_cpu_and_host_uuid(void **state)
{
	BERTH_AUTOFREE char *xml = fixture("capabilities-amd-lab.xml");
	struct berth_host_fact h = { 0 };

	(void)state;
	assert_int_equal(berth_facts_parse_capabilities(xml, &h, NULL), 0);
	assert_string_equal(h.arch, "x86_64");
	assert_string_equal(h.cpu_model, "kvm64");
	assert_string_equal(h.cpu_vendor, "AMD");
	assert_string_equal(h.host_uuid, "4c9ad469-ede2-58a1-a878-0549b8bf99e7");
	/* libvirt's host CPU model lists no nx here, although the CPU has it:
	 * the reason /proc/cpuinfo (over SSH) has the last word. */
	assert_false(h.cpu_nx);
	assert_false(h.cpu_vmx);
	assert_false(h.cpu_svm);
	berth_host_fact_clear(&h);
}

static void
test_capabilities_flags_come_from_the_host_cpu_only(void **state)
{
	BERTH_AUTOFREE char *xml = fixture("capabilities-intel-vmx.xml");
	struct berth_host_fact h = { 0 };

	(void)state;
	assert_int_equal(berth_facts_parse_capabilities(xml, &h, NULL), 0);
	assert_string_equal(h.cpu_vendor, "Intel");
	assert_string_equal(h.cpu_model, "Skylake-Server-IBRS");
	assert_true(h.cpu_nx);
	assert_true(h.cpu_vmx);
	/* svm is listed under <guest>, not the host CPU. */
	assert_false(h.cpu_svm);
	berth_host_fact_clear(&h);
}

static void
test_capabilities_that_are_not_xml_fail_with_the_parser_message(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_host_fact h = { 0 };

	(void)state;
	assert_int_equal(berth_facts_parse_capabilities("<capabilities><host>", &h, &err), -1);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	assert_non_null(strstr(berth_error_message(err), "cannot parse the capabilities XML: line 1: "));
	berth_error_clear(&err);
	assert_int_equal(berth_facts_parse_capabilities("<domain/>", &h, &err), -1);
	assert_string_equal(berth_error_message(err),
			    "cannot parse the capabilities XML: the root element is not <capabilities>");
	berth_host_fact_clear(&h);
}

static void
test_lab_guest_xml_gives_memory_vcpus_and_its_bridge_nic(void **state)
{
	BERTH_AUTOFREE char *xml = fixture("domain-lab-guest.xml");
	struct berth_domain_fact d = { 0 };

	(void)state;
	assert_int_equal(berth_facts_parse_domain_xml(xml, &d, NULL), 0);
	assert_string_equal(d.name, "facttest");
	assert_string_equal(d.uuid, "57622169-ebd9-4445-bd3c-d775fafbbb56");
	assert_int_equal(d.memory_kib, 131072);
	assert_int_equal(d.vcpus, 1);
	assert_int_equal(d.n_disks, 0);
	assert_int_equal(d.n_nics, 1);
	assert_string_equal(d.nics[0].mac, "52:54:00:18:00:6b");
	assert_string_equal(d.nics[0].bridge, "br0");
	assert_string_equal(d.nics[0].model, "virtio");
	assert_string_equal(d.xml, xml);
	berth_domain_fact_clear(&d);
}

static void
test_domain_xml_disks_become_nfs_urls_paths_and_empty_sources(void **state)
{
	BERTH_AUTOFREE char *xml = fixture("domain-nfs-disks.xml");
	struct berth_domain_fact d = { 0 };

	(void)state;
	assert_int_equal(berth_facts_parse_domain_xml(xml, &d, NULL), 0);
	assert_string_equal(d.name, "web1");
	assert_int_equal(d.n_disks, 3);
	assert_string_equal(d.disks[0].target, "vda");
	assert_string_equal(d.disks[0].source, "nfs://h3.lab/srv/berth-lab/share/web1.qcow2");
	assert_string_equal(d.disks[0].format, "qcow2");
	assert_string_equal(d.disks[1].target, "vdb");
	assert_string_equal(d.disks[1].source, "/var/lib/libvirt/images/web1-data.img");
	assert_string_equal(d.disks[1].format, "raw");
	assert_string_equal(d.disks[2].target, "sda");
	assert_string_equal(d.disks[2].source, "");
	assert_null(d.disks[2].format);
	berth_domain_fact_clear(&d);
}

static void
test_domain_xml_memory_units_and_current_vcpus(void **state)
{
	BERTH_AUTOFREE char *xml = fixture("domain-nfs-disks.xml");
	struct berth_domain_fact d = { 0 };

	(void)state;
	assert_int_equal(berth_facts_parse_domain_xml(xml, &d, NULL), 0);
	assert_int_equal(d.memory_kib, 2 * 1024 * 1024);	/* <memory unit='GiB'>2 */
	assert_int_equal(d.vcpus, 2);				/* current='2' of 4 */
	berth_domain_fact_clear(&d);
}

static void
test_domain_xml_nic_bridge_only_for_bridge_interfaces(void **state)
{
	BERTH_AUTOFREE char *xml = fixture("domain-nfs-disks.xml");
	struct berth_domain_fact d = { 0 };

	(void)state;
	assert_int_equal(berth_facts_parse_domain_xml(xml, &d, NULL), 0);
	assert_int_equal(d.n_nics, 2);
	assert_string_equal(d.nics[0].bridge, "br0");
	assert_string_equal(d.nics[1].mac, "52:54:00:aa:bb:02");
	assert_null(d.nics[1].bridge);
	assert_string_equal(d.nics[1].model, "e1000");
	berth_domain_fact_clear(&d);
}

static void
test_domain_xml_without_a_name_or_root_fails(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_domain_fact d = { 0 };

	(void)state;
	assert_int_equal(berth_facts_parse_domain_xml("<domain><uuid/></domain>", &d, &err), -1);
	assert_string_equal(berth_error_message(err), "cannot parse a domain's XML: it has no <name>");
	berth_error_clear(&err);
	assert_int_equal(berth_facts_parse_domain_xml("<network/>", &d, &err), -1);
	assert_string_equal(berth_error_message(err),
			    "cannot parse a domain's XML: the root element is not <domain>");
	berth_domain_fact_clear(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capabilities_of_the_lab_give_arch_cpu_and_host_uuid),
		cmocka_unit_test(test_capabilities_flags_come_from_the_host_cpu_only),
		cmocka_unit_test(test_capabilities_that_are_not_xml_fail_with_the_parser_message),
		cmocka_unit_test(test_lab_guest_xml_gives_memory_vcpus_and_its_bridge_nic),
		cmocka_unit_test(test_domain_xml_disks_become_nfs_urls_paths_and_empty_sources),
		cmocka_unit_test(test_domain_xml_memory_units_and_current_vcpus),
		cmocka_unit_test(test_domain_xml_nic_bridge_only_for_bridge_interfaces),
		cmocka_unit_test(test_domain_xml_without_a_name_or_root_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
