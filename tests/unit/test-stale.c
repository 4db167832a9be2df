/*
 * planner/stale.c: a saved plan is refused as stale when a fact it relied
 * on differs, for every kind of relied-on fact, and accepted when nothing
 * changed or when only its own steps have run.  Plans are made from the
 * golden cases' inventories and facts (tests/plans/), then the facts are
 * changed as a person or another apply would change the hosts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/facts.h"
#include "parser/inventory.h"
#include "planner/plan.h"
#include "planner/stale.h"

struct fixture {
	struct berth_inventory *inv;
	struct berth_facts *facts;
	struct berth_plan *plan;
};

/* Loads tests/plans/NAME and plans from it. */
static void
load(struct fixture *f, const char *name)
{
	const char *dir = getenv("BERTH_TESTS_DIR");
	char *inv_path = xasprintf("%s/plans/%s/inventory.yaml", dir, name);
	char *facts_path = xasprintf("%s/plans/%s/facts.json", dir, name);
	BERTH_AUTOPTR(berth_error) err = NULL;

	f->inv = berth_inventory_load(inv_path, &err);
	assert_null(err);
	f->facts = berth_facts_load(facts_path, &err);
	assert_null(err);
	f->plan = berth_plan_make(f->inv, f->facts, &err);
	assert_null(err);
	free(inv_path);
	free(facts_path);
}

static void
release(struct fixture *f)
{
	berth_plan_free(f->plan);
	berth_facts_free(f->facts);
	berth_inventory_free(f->inv);
}

static struct berth_host_fact *
host(struct fixture *f, const char *name)
{
	return (struct berth_host_fact *)berth_facts_host(f->facts, name);
}

/* Moves every domain of host a to host b (which has none), as a migration does. */
static void
move_domains(struct fixture *f, const char *a, const char *b)
{
	struct berth_host_fact *ha = host(f, a), *hb = host(f, b);

	assert_int_equal(hb->n_domains, 0);
	free(hb->domains);
	hb->domains = ha->domains;
	hb->n_domains = ha->n_domains;
	ha->domains = NULL;
	ha->n_domains = 0;
}

/* The stale check's message, or NULL if the plan may run. */
static char *
stale_message(struct fixture *f)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	int rc = berth_plan_check_stale(f->inv, f->plan, f->facts, &err);

	if (rc == 0) {
		assert_null(err);
		return NULL;
	}
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	return xstrdup(berth_error_message(err));
}

static void
assert_stale(struct fixture *f, const char *expected)
{
	char *msg = stale_message(f);

	assert_non_null(msg);
	assert_string_equal(msg, expected);
	free(msg);
}

static void
test_stale_unchanged_facts_let_the_plan_run(void **state)
{
	struct fixture f;

	(void)state;
	load(&f, "move-web1");
	assert_null(stale_message(&f));
	release(&f);
}

static void
test_stale_a_plan_partly_applied_may_run_again(void **state)
{
	struct fixture f;

	(void)state;
	load(&f, "move-web1");
	move_domains(&f, "h1", "h2");	/* step 1 has run */
	assert_null(stale_message(&f));
	release(&f);
}

/* The lease on web1's image, in h3's export. */
static struct berth_lease_fact *
web1_lease(struct fixture *f)
{
	struct berth_host_fact *h3 = host(f, "h3");

	assert_int_equal(h3->n_exports, 1);
	assert_int_equal(h3->exports[0].n_leases, 1);
	assert_string_equal(h3->exports[0].leases[0].image, "web1.qcow2");
	return &h3->exports[0].leases[0];
}

static void
test_stale_a_plan_whose_lease_step_ran_may_run_again(void **state)
{
	struct fixture f;
	struct berth_lease_fact *l;

	(void)state;
	load(&f, "move-web1");
	move_domains(&f, "h1", "h2");	/* steps 1 and 2 have run */
	l = web1_lease(&f);
	free(l->holder);
	l->holder = xstrdup("h2");
	assert_null(stale_message(&f));
	release(&f);
}

static void
test_stale_lease_taken_meanwhile_is_named(void **state)
{
	struct fixture f;
	struct berth_lease_fact *l;

	(void)state;
	load(&f, "move-web1");
	l = web1_lease(&f);
	free(l->holder);
	l->holder = xstrdup("h9");
	assert_stale(&f, "plan is stale: step 2 expected the lease "
		     "/srv/berth-lab/share/web1.qcow2.berth-lease to name h1, it now names h9; "
		     "run 'berth plan' again");
	release(&f);
}

static void
test_stale_domain_moved_by_hand_is_named(void **state)
{
	struct fixture f;

	(void)state;
	load(&f, "move-web1");
	move_domains(&f, "h1", "h3");
	assert_stale(&f, "plan is stale: step 1 expected web1 running on h1, it is now running on h3; "
		     "step 2 expected web1 running on h1, it is now running on h3; "
		     "step 3 expected web1 running on h1, it is now running on h3; "
		     "run 'berth plan' again");
	release(&f);
}

static void
test_stale_definition_changed_is_named(void **state)
{
	struct fixture f;
	struct berth_domain_fact *d;
	char *xml;

	(void)state;
	load(&f, "move-web1");
	d = &host(&f, "h1")->domains[0];
	d->memory_kib *= 2;
	xml = xasprintf("%s<!-- edited -->", d->xml);
	free(d->xml);
	d->xml = xml;
	assert_stale(&f, "plan is stale: step 1 expected the definition of web1 on h1 as it was planned, "
		     "it has changed since; run 'berth plan' again");
	release(&f);
}

static void
test_stale_host_identity_changed_is_named(void **state)
{
	struct fixture f;
	struct berth_host_fact *h2;

	(void)state;
	load(&f, "move-web1");
	h2 = host(&f, "h2");
	free(h2->host_uuid);
	h2->host_uuid = xstrdup("00000000-0000-0000-0000-000000000002");
	assert_stale(&f, "plan is stale: step 1 expected host 'h2' with UUID "
		     "0c0448e7-097f-567d-8b1d-c6bcfe814908, it now has UUID "
		     "00000000-0000-0000-0000-000000000002; step 3 expected host 'h2' with UUID "
		     "0c0448e7-097f-567d-8b1d-c6bcfe814908, it now has UUID "
		     "00000000-0000-0000-0000-000000000002; run 'berth plan' again");
	release(&f);
}

static void
test_stale_host_unreachable_is_named(void **state)
{
	struct fixture f;

	(void)state;
	load(&f, "move-web1");
	host(&f, "h2")->reachable = false;
	assert_stale(&f, "plan is stale: step 1 needs host 'h2', which is unreachable now; "
		     "step 3 needs host 'h2', which is unreachable now; run 'berth plan' again");
	release(&f);
}

static void
test_stale_memory_fell_below_need_is_named(void **state)
{
	struct fixture f;

	(void)state;
	load(&f, "move-web1");
	host(&f, "h2")->memory_free_kib = 65536;
	assert_stale(&f, "plan is stale: step 1 needs 128 MiB of free memory on h2, it now has 64 MiB; "
		     "run 'berth plan' again");
	release(&f);
}

static void
test_stale_memory_is_not_checked_once_the_step_has_run(void **state)
{
	struct fixture f;

	(void)state;
	load(&f, "start");
	host(&f, "h1")->domains[0].state = BERTH_DOM_RUNNING;	/* started */
	host(&f, "h1")->memory_free_kib = 0;
	assert_null(stale_message(&f));
	release(&f);
}

static void
test_stale_inventory_changed_refuses_the_whole_plan(void **state)
{
	struct fixture f;
	char *msg;

	(void)state;
	load(&f, "move-web1");
	f.inv->sha256[0] = f.inv->sha256[0] == '0' ? '1' : '0';
	msg = stale_message(&f);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "plan is stale: the inventory '"));
	assert_non_null(strstr(msg, "inventory.yaml' has changed since the plan was made (SHA-256 "));
	assert_non_null(strstr(msg, "; run 'berth plan' again"));
	free(msg);
	release(&f);
}

/* A plan file edited to migrate through another URI is refused. */
static void
test_stale_a_migration_uri_not_the_inventorys_is_refused(void **state)
{
	struct fixture f;

	(void)state;
	load(&f, "move-web1");
	free(f.plan->steps[0].uri);
	f.plan->steps[0].uri = xstrdup("qemu+ext:///system?command=/bin/sh");
	assert_stale(&f, "plan is stale: step 1 migrates to 'qemu+ext:///system?command=REDACTED', "
		     "not to the inventory's 'qemu+ssh://root@h2.lab/system'; run 'berth plan' again");
	release(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stale_unchanged_facts_let_the_plan_run),
		cmocka_unit_test(test_stale_a_plan_partly_applied_may_run_again),
		cmocka_unit_test(test_stale_a_plan_whose_lease_step_ran_may_run_again),
		cmocka_unit_test(test_stale_lease_taken_meanwhile_is_named),
		cmocka_unit_test(test_stale_domain_moved_by_hand_is_named),
		cmocka_unit_test(test_stale_definition_changed_is_named),
		cmocka_unit_test(test_stale_host_identity_changed_is_named),
		cmocka_unit_test(test_stale_host_unreachable_is_named),
		cmocka_unit_test(test_stale_memory_fell_below_need_is_named),
		cmocka_unit_test(test_stale_memory_is_not_checked_once_the_step_has_run),
		cmocka_unit_test(test_stale_inventory_changed_refuses_the_whole_plan),
		cmocka_unit_test(test_stale_a_migration_uri_not_the_inventorys_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
