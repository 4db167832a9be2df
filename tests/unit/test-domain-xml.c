/*
 * planner/domain-xml.h: the domain XML berth defines (golden files in
 * tests/xml/, BERTH_REGENERATE=1 rewrites them), and the semantic
 * comparison that decides whether a domain must be redefined.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <libxml/parser.h>

#include "planner/domain-xml.h"
#include "tests/fixture/fixture.h"
#include "tests/fixture/golden.h"

/* web1: 128 MiB, one disk on share, one NIC on br0. */
static struct berth_domain *
web1(struct berth_inventory *inv)
{
	struct berth_domain *d = berth_fx_domain(inv, "web1", "h1", BERTH_POWER_RUNNING,
						 128 * 1024);

	berth_fx_disk(d, "share", "web1.qcow2");
	berth_fx_nic(d, "br0", "52:54:00:18:00:65");
	return d;
}

/* The XML of d matches tests/xml/NAME.xml and parses back. */
static void
check_golden(const struct berth_inventory *inv, const struct berth_domain *d, const char *name)
{
	char *xml = berth_domain_xml(inv, d);
	char *file = xasprintf("xml/%s.xml", name);
	char *path = berth_golden_path(file);
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), name, NULL, XML_PARSE_NONET);

	assert_non_null(doc);
	assert_string_equal((const char *)xmlDocGetRootElement(doc)->name, "domain");
	xmlFreeDoc(doc);
	assert_true(berth_golden_check(path, xml));
	free(path);
	free(file);
	free(xml);
}

static void
test_xml_network_disk_and_bridge_nic(void **state)
{
	struct berth_inventory *inv = berth_fx_lab();

	(void)state;
	web1(inv);
	check_golden(inv, &inv->domains[0], "web1");
	berth_inventory_free(inv);
}

static void
test_xml_direct_kernel_boot_escapes_text(void **state)
{
	struct berth_inventory *inv = berth_fx_lab();
	struct berth_domain *d = web1(inv);

	(void)state;
	d->kernel = xstrdup("/srv/berth-lab/guest/vmlinuz");
	d->initrd = xstrdup("/srv/berth-lab/guest/initrd.img");
	d->cmdline = xstrdup("console=ttyS0 ip=198.18.0.101::198.18.0.1:255.255.255.0 x=<a&b>");
	d->vcpus = 2;
	check_golden(inv, d, "direct-kernel");
	berth_inventory_free(inv);
}

static void
test_xml_two_disks_two_nics_raw(void **state)
{
	struct berth_inventory *inv = berth_fx_lab();
	struct berth_domain *d = web1(inv);
	struct berth_disk *data;

	(void)state;
	data = berth_fx_disk(d, "share", "web1-data.img");
	berth_fx_set(&data->format, "raw");
	berth_fx_nic(d, "br1", "52:54:00:18:00:66");
	berth_fx_set(&d->nics[1].model, "e1000");
	check_golden(inv, d, "two-disks-two-nics");
	berth_inventory_free(inv);
}

static void
test_xml_cpu_boot_from_disk_without_serial(void **state)
{
	struct berth_inventory *inv = berth_fx_lab();
	struct berth_domain *d = web1(inv);

	(void)state;
	d->cpu_mode = xstrdup("custom");
	d->cpu_model = xstrdup("Westmere");
	d->boot = xstrdup("disk");
	d->serial = BERTH_FALSE;
	check_golden(inv, d, "cpu-boot-disk-no-serial");
	berth_inventory_free(inv);
}

static void
test_disk_source_uses_the_server_address(void **state)
{
	struct berth_inventory *inv = berth_fx_lab();
	struct berth_domain *d = web1(inv);
	char *source, *path;

	(void)state;
	berth_fx_set(&inv->hosts[2].address, "198.18.0.13");
	berth_fx_set(&inv->storage[0].export_path, "/srv/share/");
	source = berth_disk_source(inv, &d->disks[0]);
	path = berth_disk_path(inv, &d->disks[0]);
	assert_string_equal(source, "nfs://198.18.0.13/srv/share/web1.qcow2");
	assert_string_equal(path, "/srv/share/web1.qcow2");
	free(source);
	free(path);
	berth_inventory_free(inv);
}

/* The lab with web1 on h1 defined exactly as the inventory wants it. */
static int
setup_pair(void **state)
{
	struct berth_fx_case *c;

	berth_fx_case_setup(state);
	c = *state;
	berth_fx_lab_place(c->facts, c->inv, web1(c->inv), "h1", BERTH_DOM_RUNNING);
	return 0;
}

/* web1 as the inventory wants it, and as h1 has it. */
#define WANT(c) (&(c)->inv->domains[0])
#define HAVE(c) (&(c)->facts->hosts[0].domains[0])

/* berth_domain_matches() is false and says exactly why. */
static void
assert_differs(const struct berth_fx_case *p, const char *why)
{
	BERTH_AUTOBUF struct berth_buf text = BERTH_BUF_INIT;

	assert_false(berth_domain_matches(p->inv, WANT(p), HAVE(p), &text));
	assert_string_equal(text.buf, why);
}

static void
test_matches_the_same_domain(void **state)
{
	struct berth_fx_case *p = *state;
	BERTH_AUTOBUF struct berth_buf why = BERTH_BUF_INIT;

	assert_true(berth_domain_matches(p->inv, WANT(p), HAVE(p), &why));
	assert_string_equal(why.buf, "");
	assert_true(berth_domain_matches(p->inv, WANT(p), HAVE(p), NULL));
}

static void
test_matches_ignores_power_state_and_case_of_mac_and_uuid(void **state)
{
	struct berth_fx_case *p = *state;

	HAVE(p)->state = BERTH_DOM_SHUTOFF;
	berth_fx_set(&WANT(p)->nics[0].mac, "52:54:00:ab:cd:ef");
	berth_fx_set(&HAVE(p)->nics[0].mac, "52:54:00:AB:CD:EF");
	strcpy(WANT(p)->uuid, "4b1c4f1e-9d0a-5c3e-8f00-0000000000aa");
	strcpy(HAVE(p)->uuid, "4B1C4F1E-9D0A-5C3E-8F00-0000000000AA");
	assert_true(berth_domain_matches(p->inv, WANT(p), HAVE(p), NULL));
}

static void
test_matches_says_memory_and_bridge_differ(void **state)
{
	struct berth_fx_case *p = *state;

	WANT(p)->memory_kib = 256 * 1024;
	berth_fx_set(&HAVE(p)->nics[0].bridge, "br1");
	assert_differs(p, "memory 128 MiB -> 256 MiB, nic 52:54:00:18:00:65 bridge br1 -> br0");
}

static void
test_matches_says_vcpus_uuid_and_persistence_differ(void **state)
{
	struct berth_fx_case *p = *state;

	WANT(p)->vcpus = 2;
	strcpy(WANT(p)->uuid, "00000000-0000-4000-8000-000000000002");
	strcpy(HAVE(p)->uuid, "00000000-0000-4000-8000-000000000001");
	HAVE(p)->persistent = false;
	HAVE(p)->memory_kib = 131000;
	assert_differs(p, "uuid 00000000-0000-4000-8000-000000000001 -> "
			  "00000000-0000-4000-8000-000000000002, "
			  "memory 131000 KiB -> 128 MiB, vcpus 1 -> 2, transient -> persistent");
}

static void
test_matches_says_disk_source_and_format_differ(void **state)
{
	struct berth_fx_case *p = *state;

	berth_fx_set(&HAVE(p)->disks[0].source, "/var/lib/libvirt/images/web1.qcow2");
	berth_fx_set(&HAVE(p)->disks[0].format, NULL);
	assert_differs(p, "disk vda source /var/lib/libvirt/images/web1.qcow2 -> "
			  "nfs://h3.lab/srv/berth-lab/share/web1.qcow2, "
			  "disk vda format (none) -> qcow2");
}

static void
test_matches_says_disks_and_nics_added_and_removed(void **state)
{
	struct berth_fx_case *p = *state;

	berth_fx_set(&HAVE(p)->disks[0].target, "sda");
	berth_fx_set(&HAVE(p)->nics[0].mac, "52:54:00:00:00:01");
	berth_fx_set(&HAVE(p)->nics[0].model, "e1000");
	assert_differs(p, "disk vda added, disk sda removed, "
			  "nic 52:54:00:18:00:65 added, nic 52:54:00:00:00:01 removed");
}

static void
test_matches_reads_type_and_kernel_from_the_xml(void **state)
{
	struct berth_fx_case *p = *state;

	berth_fx_set(&WANT(p)->type, "kvm");
	WANT(p)->cmdline = xstrdup("console=ttyS0");
	assert_differs(p, "type qemu -> kvm, cmdline (none) -> console=ttyS0");
}

static void
test_matches_reads_cpu_boot_and_serial_from_the_xml(void **state)
{
	struct berth_fx_case *p = *state;

	/* Not set in the inventory: whatever the domain has is fine. */
	assert_true(berth_domain_matches(p->inv, WANT(p), HAVE(p), NULL));
	WANT(p)->cpu_mode = xstrdup("host-passthrough");
	WANT(p)->boot = xstrdup("disk");
	WANT(p)->serial = BERTH_FALSE;
	assert_differs(p, "cpu mode (none) -> host-passthrough, boot (none) -> hd, "
			  "serial console removed");
}

static void
test_matches_without_xml_skips_what_only_the_xml_says(void **state)
{
	struct berth_fx_case *p = *state;

	berth_fx_set(&HAVE(p)->xml, NULL);
	berth_fx_set(&WANT(p)->type, "kvm");
	assert_true(berth_domain_matches(p->inv, WANT(p), HAVE(p), NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_network_disk_and_bridge_nic),
		cmocka_unit_test(test_xml_direct_kernel_boot_escapes_text),
		cmocka_unit_test(test_xml_two_disks_two_nics_raw),
		cmocka_unit_test(test_xml_cpu_boot_from_disk_without_serial),
		cmocka_unit_test(test_disk_source_uses_the_server_address),
		cmocka_unit_test_setup_teardown(test_matches_the_same_domain, setup_pair, berth_fx_case_teardown),
		cmocka_unit_test_setup_teardown(test_matches_reads_cpu_boot_and_serial_from_the_xml,
						setup_pair, berth_fx_case_teardown),
		cmocka_unit_test_setup_teardown(test_matches_ignores_power_state_and_case_of_mac_and_uuid,
						setup_pair, berth_fx_case_teardown),
		cmocka_unit_test_setup_teardown(test_matches_says_memory_and_bridge_differ,
						setup_pair, berth_fx_case_teardown),
		cmocka_unit_test_setup_teardown(test_matches_says_vcpus_uuid_and_persistence_differ,
						setup_pair, berth_fx_case_teardown),
		cmocka_unit_test_setup_teardown(test_matches_says_disk_source_and_format_differ,
						setup_pair, berth_fx_case_teardown),
		cmocka_unit_test_setup_teardown(test_matches_says_disks_and_nics_added_and_removed,
						setup_pair, berth_fx_case_teardown),
		cmocka_unit_test_setup_teardown(test_matches_reads_type_and_kernel_from_the_xml,
						setup_pair, berth_fx_case_teardown),
		cmocka_unit_test_setup_teardown(test_matches_without_xml_skips_what_only_the_xml_says,
						setup_pair, berth_fx_case_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
