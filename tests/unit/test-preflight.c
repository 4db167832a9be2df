/*
 * planner/preflight.c: each check on its own, passing on the lab as it is
 * and failing, with its exact message, on the one thing it guards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "planner/planner.h"
#include "tests/fixture/fixture.h"

#define URI(host) "'qemu+libssh2://root@" host ".lab/system?known_hosts_verify=normal'"

/* The facts of lab host h1, h2 or h3. */
#define HOST(lab, name) berth_fx_find_host_fact((lab)->facts, (name))

/* Runs the check called name alone; returns the error message or NULL. */
static char *
run_check(const struct berth_fx_case *lab, const char *name)
{
	const struct berth_preflight_check *check = berth_preflight_find(name);
	BERTH_AUTOPTR(berth_planner) pl = NULL;
	BERTH_AUTOPTR(berth_error) err = NULL;
	int rc;

	assert_non_null(check);
	pl = berth_planner_new(lab->inv, lab->facts);
	rc = check->run(pl, &err);
	assert_int_equal(rc, err == NULL ? 0 : -1);
	return err != NULL ? xstrdup(berth_error_message(err)) : NULL;
}

static void
assert_passes(const struct berth_fx_case *lab, const char *name)
{
	char *msg = run_check(lab, name);

	if (msg != NULL)
		fail_msg("check '%s' failed: %s", name, msg);
}

static void
assert_fails(const struct berth_fx_case *lab, const char *name, const char *expected)
{
	char *msg = run_check(lab, name);

	assert_non_null(msg);
	assert_string_equal(msg, expected);
	free(msg);
}

/* web1 on want_host in the inventory, running on have_host as the inventory wants it. */
static struct berth_domain *
web1(struct berth_fx_case *lab, const char *want_host, const char *have_host)
{
	struct berth_domain *d = berth_fx_lab_domain(lab->inv, "web1", want_host,
						     BERTH_POWER_RUNNING);

	berth_fx_lab_place(lab->facts, lab->inv, d, have_host, BERTH_DOM_RUNNING);
	return d;
}

/* web1 runs on h1 and the inventory places it on h2: a live migration. */
static struct berth_domain *
move_web1(struct berth_fx_case *lab)
{
	return web1(lab, "h2", "h1");
}

/* The only domain of lab host name, as the facts have it. */
#define HAVE(lab, name) (&HOST(lab, name)->domains[0])

static void
test_preflight_table_finds_every_check_by_its_unique_name(void **state)
{
	(void)state;
	assert_true(berth_preflight_n_checks >= 14);
	for (size_t i = 0; i < berth_preflight_n_checks; i++) {
		assert_ptr_equal(berth_preflight_find(berth_preflight_checks[i].name),
				 &berth_preflight_checks[i]);
	}
	assert_null(berth_preflight_find("no-such-check"));
}

static void
test_preflight_facts_needs_every_host_the_plan_touches(void **state)
{
	struct berth_fx_case *lab = *state;

	berth_fx_lab_domain(lab->inv, "web1", "h1", BERTH_POWER_RUNNING);
	assert_passes(lab, "facts");
	berth_fx_host(lab->inv, "h4");
	berth_fx_set(&lab->inv->domains[0].host, "h4");
	assert_fails(lab, "facts", "host 'h4' is not in the facts, and domain 'web1' needs it: "
		     "gather the facts again for this inventory");
}

static void
test_preflight_reachable_refuses_an_unreachable_destination(void **state)
{
	struct berth_fx_case *lab = *state;

	move_web1(lab);
	assert_passes(lab, "reachable");
	berth_fx_unreachable(HOST(lab, "h2"), "ssh: connect to host h2.lab port 22: Connection refused");
	assert_fails(lab, "reachable",
		     "host 'h2' is unreachable: ssh: connect to host h2.lab port 22: Connection "
		     "refused: domain 'web1' needs it; make it reachable over SSH and libvirt, "
		     "or change the inventory so that the plan does not touch it");
}

static void
test_preflight_reachable_will_not_define_what_a_blind_host_may_hold(void **state)
{
	struct berth_fx_case *lab = *state;

	berth_fx_lab_domain(lab->inv, "web1", "h1", BERTH_POWER_RUNNING);
	berth_fx_unreachable(HOST(lab, "h2"), "timeout");
	assert_fails(lab, "reachable",
		     "host 'h2' is unreachable: timeout: berth cannot tell whether domain 'web1' "
		     "is already defined there, so it does not define it on 'h1'; make 'h2' "
		     "reachable, then plan again");
}

static void
test_preflight_reachable_ignores_hosts_a_converged_plan_does_not_touch(void **state)
{
	struct berth_fx_case *lab = *state;

	web1(lab, "h1", "h1");
	berth_fx_unreachable(HOST(lab, "h2"), "timeout");
	assert_passes(lab, "reachable");
}

static void
test_preflight_defined_once_names_every_host_and_the_stale_one(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_domain *d = web1(lab, "h1", "h1");

	assert_passes(lab, "defined-once");
	berth_fx_domain_fact(HOST(lab, "h2"), lab->inv, d, BERTH_DOM_SHUTOFF);
	berth_fx_domain_fact(HOST(lab, "h3"), lab->inv, d, BERTH_DOM_SHUTOFF);
	assert_fails(lab, "defined-once",
		     "domain 'web1' is defined on 'h1', 'h2' and 'h3': remove the stale "
		     "definition, e.g. virsh -c " URI("h2") " undefine web1");
}

static void
test_preflight_state_refuses_a_paused_domain(void **state)
{
	struct berth_fx_case *lab = *state;

	web1(lab, "h1", "h1");
	assert_passes(lab, "state");
	HAVE(lab, "h1")->state = BERTH_DOM_PAUSED;
	assert_fails(lab, "state",
		     "domain 'web1' is paused on 'h1', and berth plans only from running or shut "
		     "off: resume it (virsh -c " URI("h1") " resume web1) or shut it off, then "
		     "plan again");
}

static void
test_preflight_cold_migration_is_refused_with_a_way_out(void **state)
{
	struct berth_fx_case *lab = *state;

	move_web1(lab);
	assert_passes(lab, "cold-migration");
	HAVE(lab, "h1")->state = BERTH_DOM_SHUTOFF;
	assert_fails(lab, "cold-migration",
		     "domain 'web1' is shut off on 'h1' but the inventory places it on 'h2', and "
		     "berth cannot move a shut-off domain yet: start it (virsh -c " URI("h1")
		     " start web1) and plan again to migrate it live, or move it by hand (virsh "
		     "dumpxml, define on 'h2', undefine on 'h1')");
}

static void
test_preflight_uuid_stable_refuses_to_change_a_uuid(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_domain *d = web1(lab, "h1", "h1");

	assert_passes(lab, "uuid-stable");
	strcpy(HAVE(lab, "h1")->uuid, "11111111-2222-4333-8444-555555555555");
	strcpy(d->uuid, "11111111-2222-4333-8444-666666666666");
	assert_fails(lab, "uuid-stable",
		     "domain 'web1' on 'h1' has the UUID '11111111-2222-4333-8444-555555555555' "
		     "but the inventory gives it '11111111-2222-4333-8444-666666666666', and "
		     "libvirt cannot change a domain's UUID: set uuid: "
		     "11111111-2222-4333-8444-555555555555 for 'web1' in the inventory, or "
		     "undefine it (virsh -c " URI("h1") " undefine web1) so that berth defines "
		     "it anew");
}

static void
test_preflight_images_must_exist_for_a_migration(void **state)
{
	struct berth_fx_case *lab = *state;

	move_web1(lab);
	assert_passes(lab, "images");
	berth_fx_set(&HOST(lab, "h3")->exports[0].files[0], "other.qcow2");
	assert_fails(lab, "images",
		     "domain 'web1': disk image 'web1.qcow2' missing on storage 'share' "
		     "('/srv/berth-lab/share' on 'h3'): restore the image, or point the disk in "
		     "the inventory at the image the domain uses (virsh -c " URI("h1")
		     " domblklist web1)");
}

static void
test_preflight_bridges_the_inventory_wants_exist_on_the_destination(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_domain *d = berth_fx_lab_domain(lab->inv, "web1", "h2", BERTH_POWER_RUNNING);

	assert_passes(lab, "bridges");
	berth_fx_set(&d->nics[0].bridge, "br7");
	assert_fails(lab, "bridges",
		     "host 'h2' has no bridge 'br7' that domain 'web1' needs: create it, or "
		     "change the NIC's bridge in the inventory");
}

static void
test_preflight_bridges_a_migrating_domain_uses_now_exist_on_the_destination(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_domain *d = move_web1(lab);

	berth_fx_set(&HOST(lab, "h1")->domains[0].nics[0].bridge, "br1");
	(void)d;
	assert_fails(lab, "bridges",
		     "host 'h2' has no bridge 'br1' that domain 'web1' uses now on 'h1', and a "
		     "live migration keeps the domain's NICs: create it on 'h2', or move the NIC "
		     "to a bridge 'h2' has first (virsh -c " URI("h1") " edit web1)");
}

static void
test_preflight_arch_of_migration_hosts_is_the_same(void **state)
{
	struct berth_fx_case *lab = *state;

	move_web1(lab);
	assert_passes(lab, "arch");
	berth_fx_set(&HOST(lab, "h2")->arch, "aarch64");
	assert_fails(lab, "arch",
		     "domain 'web1' cannot migrate live from 'h1' to 'h2': the architecture "
		     "differs ('x86_64' on 'h1', 'aarch64' on 'h2'): place the domain on a host "
		     "of the same architecture");
}

static void
test_preflight_cpu_vendor_of_migration_hosts_is_the_same(void **state)
{
	struct berth_fx_case *lab = *state;

	move_web1(lab);
	assert_passes(lab, "cpu-vendor");
	berth_fx_set(&HOST(lab, "h2")->cpu_vendor, "AuthenticAMD");
	assert_fails(lab, "cpu-vendor",
		     "domain 'web1' cannot migrate live from 'h1' to 'h2': the CPU vendor "
		     "differs ('GenuineIntel' on 'h1', 'AuthenticAMD' on 'h2'): place the domain "
		     "on a host with the same CPU vendor");
}

static void
test_preflight_nx_of_migration_hosts_is_the_same(void **state)
{
	struct berth_fx_case *lab = *state;

	move_web1(lab);
	assert_passes(lab, "nx");
	HOST(lab, "h2")->cpu_nx = false;
	assert_fails(lab, "nx",
		     "domain 'web1' cannot migrate live from 'h1' to 'h2': the nx CPU flag "
		     "differs ('yes' on 'h1', 'no' on 'h2'): enable NX (XD, execute disable) in "
		     "the firmware of both hosts, or place the domain on a host with the same "
		     "flag");
}

static void
test_preflight_fqdn_of_a_migration_destination_is_set(void **state)
{
	struct berth_fx_case *lab = *state;

	move_web1(lab);
	assert_passes(lab, "fqdn");
	berth_fx_set(&HOST(lab, "h2")->fqdn, NULL);
	assert_fails(lab, "fqdn",
		     "host 'h2' has no fully qualified name, and libvirt cannot migrate domain "
		     "'web1' to it (migration requires an FQDN): give 'h2' a fully qualified host "
		     "name that resolves to its address (hostname and /etc/hosts on 'h2')");
}

static void
test_preflight_fqdn_of_a_migration_destination_is_not_localhost(void **state)
{
	struct berth_fx_case *lab = *state;

	move_web1(lab);
	berth_fx_set(&HOST(lab, "h2")->fqdn, "localhost.localdomain");
	assert_fails(lab, "fqdn",
		     "host 'h2' calls itself 'localhost', and libvirt cannot migrate domain 'web1' "
		     "to it (migration requires an FQDN): give 'h2' a fully qualified host name "
		     "that resolves to its address (hostname and /etc/hosts on 'h2')");
}

static void
test_preflight_memory_counts_every_domain_started_on_a_host(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_domain *d;

	move_web1(lab);				/* 128 MiB arriving on h2 */
	d = berth_fx_lab_domain(lab->inv, "web2", "h2", BERTH_POWER_RUNNING);
	d->memory_kib = 256 * 1024;		/* started there */
	berth_fx_lab_domain(lab->inv, "web3", "h2", BERTH_POWER_SHUTOFF);	/* not started */
	HOST(lab, "h2")->memory_free_kib = 384 * 1024;
	assert_passes(lab, "memory");
	HOST(lab, "h2")->memory_free_kib = 383 * 1024;
	assert_fails(lab, "memory",
		     "host 'h2' has 383 MiB of free memory but the plan starts 384 MiB of domains "
		     "there (web1 128 MiB, web2 256 MiB): free memory on 'h2', or place some of "
		     "these domains on another host");
}

static void
test_preflight_memory_summing_past_2_64_kib_is_more_than_the_host_has(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_domain *d;

	d = berth_fx_lab_domain(lab->inv, "web1", "h2", BERTH_POWER_RUNNING);
	d->memory_kib = UINT64_C(1) << 63;
	d = berth_fx_lab_domain(lab->inv, "web2", "h2", BERTH_POWER_RUNNING);
	d->memory_kib = UINT64_C(1) << 63;	/* the sum wraps to 0 KiB */
	assert_fails(lab, "memory",
		     "host 'h2' has 4 GiB of free memory but the plan starts more than "
		     "18446744073709551615 KiB of domains there (web1 8796093022208 GiB, "
		     "web2 8796093022208 GiB): free memory on 'h2', or place some of these "
		     "domains on another host");
}

static void
test_preflight_uuid_unique_on_the_destination(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_inventory *other = berth_fx_lab();
	struct berth_domain *d = berth_fx_lab_domain(lab->inv, "web1", "h2", BERTH_POWER_RUNNING);
	struct berth_domain *old = berth_fx_lab_domain(other, "old", "h2", BERTH_POWER_RUNNING);

	berth_fx_domain_fact(HOST(lab, "h2"), other, old, BERTH_DOM_SHUTOFF);
	assert_passes(lab, "uuid-unique");
	strcpy(d->uuid, "0a0b0c0d-0000-4000-8000-000000000001");
	strcpy(HOST(lab, "h2")->domains[0].uuid, d->uuid);
	assert_fails(lab, "uuid-unique",
		     "host 'h2' has domain 'old' with the UUID '0a0b0c0d-0000-4000-8000-000000000001' "
		     "that the inventory gives to domain 'web1': undefine 'old' (virsh -c "
		     URI("h2") " undefine old), or give 'web1' another uuid in the inventory");
	berth_inventory_free(other);
}

#define LAB_TEST(name) \
	cmocka_unit_test_setup_teardown(name, berth_fx_case_setup, berth_fx_case_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preflight_table_finds_every_check_by_its_unique_name),
		LAB_TEST(test_preflight_facts_needs_every_host_the_plan_touches),
		LAB_TEST(test_preflight_reachable_refuses_an_unreachable_destination),
		LAB_TEST(test_preflight_reachable_will_not_define_what_a_blind_host_may_hold),
		LAB_TEST(test_preflight_reachable_ignores_hosts_a_converged_plan_does_not_touch),
		LAB_TEST(test_preflight_defined_once_names_every_host_and_the_stale_one),
		LAB_TEST(test_preflight_state_refuses_a_paused_domain),
		LAB_TEST(test_preflight_cold_migration_is_refused_with_a_way_out),
		LAB_TEST(test_preflight_uuid_stable_refuses_to_change_a_uuid),
		LAB_TEST(test_preflight_images_must_exist_for_a_migration),
		LAB_TEST(test_preflight_bridges_the_inventory_wants_exist_on_the_destination),
		LAB_TEST(test_preflight_bridges_a_migrating_domain_uses_now_exist_on_the_destination),
		LAB_TEST(test_preflight_arch_of_migration_hosts_is_the_same),
		LAB_TEST(test_preflight_cpu_vendor_of_migration_hosts_is_the_same),
		LAB_TEST(test_preflight_nx_of_migration_hosts_is_the_same),
		LAB_TEST(test_preflight_fqdn_of_a_migration_destination_is_set),
		LAB_TEST(test_preflight_fqdn_of_a_migration_destination_is_not_localhost),
		LAB_TEST(test_preflight_memory_counts_every_domain_started_on_a_host),
		LAB_TEST(test_preflight_memory_summing_past_2_64_kib_is_more_than_the_host_has),
		LAB_TEST(test_preflight_uuid_unique_on_the_destination),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
