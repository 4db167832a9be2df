/*
 * planner/plan.h: which steps a plan has, in which order, waiting for what.
 * Plans are compared through a one-line outline:
 * "1 image-create h3; 2 define web1 h1 (1); 3 start web1 h1 (2)".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "planner/plan.h"
#include "planner/render.h"
#include "tests/fixture/fixture.h"

/* The plan of the lab as it stands; fails the test on a preflight error. */
static struct berth_plan *
make(const struct berth_fx_case *lab)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_plan *plan = berth_plan_make(lab->inv, lab->facts, &err);

	if (err != NULL)
		fail_msg("unexpected error: %s", berth_error_message(err));
	assert_non_null(plan);
	return plan;
}

static char *
outline(const struct berth_plan *plan)
{
	struct berth_buf text = BERTH_BUF_INIT;

	for (size_t i = 0; i < plan->n_steps; i++) {
		const struct berth_step *s = &plan->steps[i];

		berth_buf_addf(&text, "%s%u %s", i > 0 ? "; " : "", s->id,
			       berth_step_kind_name(s->kind));
		if (s->domain != NULL)
			berth_buf_addf(&text, " %s", s->domain);
		berth_buf_addf(&text, " %s", s->host);
		if (s->dest != NULL)
			berth_buf_addf(&text, "->%s", s->dest);
		for (size_t j = 0; j < s->n_deps; j++)
			berth_buf_addf(&text, "%s%u", j == 0 ? " (" : ",", s->deps[j]);
		if (s->n_deps > 0)
			berth_buf_add(&text, ")");
	}
	return berth_buf_detach(&text);
}

/* The lab's plan has exactly this outline; returns the plan for more checks. */
static struct berth_plan *
assert_plan(const struct berth_fx_case *lab, const char *expected)
{
	struct berth_plan *plan = make(lab);
	char *text = outline(plan);

	assert_string_equal(text, expected);
	free(text);
	return plan;
}

/*
 * web1 as the inventory wants it (on want_host, in want) and, unless
 * have_host is NULL, as the facts have it (on have_host, in have).
 */
static struct berth_domain *
web1(struct berth_fx_case *lab, const char *want_host, enum berth_power want,
     const char *have_host, enum berth_dom_state have)
{
	struct berth_domain *d = berth_fx_lab_domain(lab->inv, "web1", want_host, want);

	if (have_host != NULL)
		berth_fx_lab_place(lab->facts, lab->inv, d, have_host, have);
	return d;
}

/* The lab's plan has this outline, and step id has this reason. */
static void
assert_plan_says(const struct berth_fx_case *lab, const char *expected, unsigned id,
		 const char *reason)
{
	struct berth_plan *plan = assert_plan(lab, expected);

	assert_in_range(id, 1, plan->n_steps);
	assert_string_equal(plan->steps[id - 1].reason, reason);
	berth_plan_free(plan);
}

static void
test_plan_defines_before_start(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_plan *plan;

	berth_fx_lab_domain(lab->inv, "web1", "h1", BERTH_POWER_RUNNING);
	plan = assert_plan(lab, "1 image-create h3; 2 lease web1 h3->h1; 3 define web1 h1 (2,1); "
				"4 start web1 h1 (3); 5 verify web1 h1 (4)");
	assert_string_equal(plan->steps[0].path, "/srv/berth-lab/share/web1.qcow2");
	assert_string_equal(plan->steps[0].format, "qcow2");
	assert_int_equal(plan->steps[0].size_bytes, 1024ULL * 1024 * 1024);
	assert_null(plan->steps[0].domain);
	assert_string_equal(plan->steps[1].path, "/srv/berth-lab/share/web1.qcow2.berth-lease");
	assert_string_equal(plan->steps[1].previous, "");
	assert_non_null(strstr(plan->steps[2].xml, "<name>web1</name>"));
	assert_string_equal(plan->steps[2].reason, "web1 is not defined on any host");
	assert_string_equal(plan->steps[3].reason, "inventory says running");
	berth_plan_free(plan);
}

static void
test_plan_skips_images_that_exist(void **state)
{
	struct berth_fx_case *lab = *state;

	berth_fx_lab_domain(lab->inv, "web1", "h2", BERTH_POWER_SHUTOFF);
	berth_fx_file(&lab->facts->hosts[2].exports[0], "web1.qcow2");
	berth_plan_free(assert_plan(lab, "1 lease web1 h3->h2; 2 define web1 h2 (1); "
					 "3 verify web1 h2 (2)"));
}

static void
test_plan_refuses_two_domains_on_one_image(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_domain *d;
	BERTH_AUTOPTR(berth_error) err = NULL;

	berth_fx_lab_domain(lab->inv, "web1", "h1", BERTH_POWER_SHUTOFF);
	d = berth_fx_lab_domain(lab->inv, "web2", "h2", BERTH_POWER_SHUTOFF);
	berth_fx_set(&d->disks[0].image, "web1.qcow2");
	assert_null(berth_plan_make(lab->inv, lab->facts, &err));
	assert_non_null(err);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_INPUT);
	assert_string_equal(berth_error_message(err),
			    "domains 'web1' and 'web2' both use disk image 'web1.qcow2' on storage 'share': two QEMUs writing one image corrupt it; give one of them another image in the inventory");
}

static void
test_plan_refuses_one_domain_using_an_image_twice(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_domain *d;
	BERTH_AUTOPTR(berth_error) err = NULL;

	d = berth_fx_lab_domain(lab->inv, "web1", "h1", BERTH_POWER_SHUTOFF);
	d->disks = xreallocarray(d->disks, 2, sizeof(*d->disks));
	d->disks[1] = (struct berth_disk){ 0 };
	berth_fx_set(&d->disks[1].target, "vdb");
	berth_fx_set(&d->disks[1].storage, d->disks[0].storage);
	berth_fx_set(&d->disks[1].image, d->disks[0].image);
	berth_fx_set(&d->disks[1].format, d->disks[0].format);
	d->disks[1].size_bytes = d->disks[0].size_bytes;
	d->n_disks = 2;
	assert_null(berth_plan_make(lab->inv, lab->facts, &err));
	assert_non_null(err);
	assert_string_equal(berth_error_message(err),
			    "domain 'web1' uses disk image 'web1.qcow2' on storage 'share' twice: give each disk its own image in the inventory");
}

static void
test_plan_of_a_converged_fleet_is_empty(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_domain *d;

	d = berth_fx_lab_domain(lab->inv, "web1", "h1", BERTH_POWER_RUNNING);
	berth_fx_lab_place(lab->facts, lab->inv, d, "h1", BERTH_DOM_RUNNING);
	d = berth_fx_lab_domain(lab->inv, "db1", "h2", BERTH_POWER_SHUTOFF);
	berth_fx_lab_place(lab->facts, lab->inv, d, "h2", BERTH_DOM_SHUTOFF);
	berth_plan_free(assert_plan(lab, ""));
}

static void
test_plan_migrates_before_verify(void **state)
{
	web1(*state, "h2", BERTH_POWER_RUNNING, "h1", BERTH_DOM_RUNNING);
	assert_plan_says(*state, "1 migrate-live web1 h1->h2; 2 lease web1 h3->h2 (1); "
			 "3 verify web1 h2 (2)",
			 1, "inventory places web1 on h2; it runs on h1");
}

static void
test_plan_migrates_then_redefines_then_stops(void **state)
{
	web1(*state, "h2", BERTH_POWER_SHUTOFF, "h1", BERTH_DOM_RUNNING)->memory_kib = 256 * 1024;
	assert_plan_says(*state, "1 migrate-live web1 h1->h2; 2 lease web1 h3->h2 (1); "
			 "3 define web1 h2 (2); 4 stop web1 h2 (3); 5 verify web1 h2 (4)",
			 3, "the definition of web1 differs from the inventory: "
			 "memory 128 MiB -> 256 MiB; it takes effect at the next boot");
}

static void
test_plan_starts_a_shut_off_domain(void **state)
{
	web1(*state, "h1", BERTH_POWER_RUNNING, "h1", BERTH_DOM_SHUTOFF);
	assert_plan_says(*state, "1 start web1 h1; 2 verify web1 h1 (1)",
			 1, "inventory says running; it is shut off");
}

static void
test_plan_stops_a_running_domain(void **state)
{
	web1(*state, "h1", BERTH_POWER_SHUTOFF, "h1", BERTH_DOM_RUNNING);
	assert_plan_says(*state, "1 stop web1 h1; 2 verify web1 h1 (1)",
			 1, "inventory says shutoff; it is running");
}

static void
test_plan_redefines_a_running_domain_for_its_next_boot(void **state)
{
	struct berth_plan *plan;

	web1(*state, "h1", BERTH_POWER_RUNNING, "h1", BERTH_DOM_RUNNING)->vcpus = 2;
	assert_plan_says(*state, "1 define web1 h1; 2 verify web1 h1 (1)",
			 1, "the definition of web1 differs from the inventory: vcpus 1 -> 2; "
			 "it takes effect at the next boot");
	plan = make(*state);
	assert_non_null(strstr(plan->steps[0].xml, "<vcpu>2</vcpu>"));
	berth_plan_free(plan);
}

static void
test_plan_redefines_a_shut_off_domain_before_starting_it(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_domain *d = web1(lab, "h1", BERTH_POWER_RUNNING, "h1", BERTH_DOM_SHUTOFF);

	berth_fx_set(&d->nics[0].bridge, "br1");
	berth_fx_bridge(berth_fx_find_host_fact(lab->facts, "h1"), "br1");
	assert_plan_says(lab, "1 define web1 h1; 2 start web1 h1 (1); 3 verify web1 h1 (2)",
			 1, "the definition of web1 differs from the inventory: "
			 "nic 52:54:00:00:00:01 bridge br0 -> br1");
}

static void
test_plan_leaves_unmanaged_domains_and_hosts_alone(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_inventory *other = berth_fx_lab();
	struct berth_host_fact *h9;
	struct berth_domain *d;

	d = berth_fx_lab_domain(lab->inv, "web1", "h1", BERTH_POWER_RUNNING);
	berth_fx_lab_place(lab->facts, lab->inv, d, "h1", BERTH_DOM_RUNNING);
	/* legacy runs on h1 but is not in the inventory; h9 is not a host of it. */
	d = berth_fx_lab_domain(other, "legacy", "h1", BERTH_POWER_RUNNING);
	berth_fx_domain_fact(&lab->facts->hosts[0], other, d, BERTH_DOM_RUNNING);
	h9 = berth_fx_host_fact(lab->facts, "h9");
	berth_fx_domain_fact(h9, lab->inv, &lab->inv->domains[0], BERTH_DOM_RUNNING);
	berth_fx_unreachable(berth_fx_host_fact(lab->facts, "h10"), "ssh: no route to host");
	berth_plan_free(assert_plan(lab, ""));
	berth_inventory_free(other);
}

static void
test_plan_keeps_inventory_order_across_domains(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_domain *d;

	berth_fx_lab_domain(lab->inv, "zeta", "h1", BERTH_POWER_SHUTOFF);
	d = berth_fx_lab_domain(lab->inv, "alpha", "h2", BERTH_POWER_RUNNING);
	berth_fx_lab_place(lab->facts, lab->inv, d, "h1", BERTH_DOM_RUNNING);
	berth_fx_file(&lab->facts->hosts[2].exports[0], "zeta.qcow2");
	berth_plan_free(assert_plan(lab, "1 lease zeta h3->h1; 2 define zeta h1 (1); "
					 "3 verify zeta h1 (2); 4 migrate-live alpha h1->h2; "
					 "5 lease alpha h3->h2 (4); 6 verify alpha h2 (5)"));
}

/* A lab with every kind of step, for the properties of whole plans. */
static void
mixed_lab(struct berth_fx_case *lab)
{
	struct berth_domain *d;

	berth_fx_lab_domain(lab->inv, "new1", "h1", BERTH_POWER_RUNNING);
	d = berth_fx_lab_domain(lab->inv, "mover", "h2", BERTH_POWER_SHUTOFF);
	berth_fx_lab_place(lab->facts, lab->inv, d, "h1", BERTH_DOM_RUNNING);
	d->vcpus = 2;
	d = berth_fx_lab_domain(lab->inv, "sleeper", "h2", BERTH_POWER_RUNNING);
	berth_fx_lab_place(lab->facts, lab->inv, d, "h2", BERTH_DOM_SHUTOFF);
	berth_fx_lab_domain(lab->inv, "new2", "h2", BERTH_POWER_SHUTOFF);
}

static void
test_plan_waits_only_for_earlier_steps(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_plan *plan;

	mixed_lab(lab);
	plan = make(lab);
	assert_int_equal(plan->n_steps, 16);
	for (size_t i = 0; i < plan->n_steps; i++) {
		assert_int_equal(plan->steps[i].id, i + 1);
		for (size_t j = 0; j < plan->steps[i].n_deps; j++)
			assert_in_range(plan->steps[i].deps[j], 1, plan->steps[i].id - 1);
	}
	berth_plan_free(plan);
}

/* The plan as JSON text. */
static char *
plan_json(const struct berth_plan *plan)
{
	char *text = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&text, &size);
	struct berth_out *out = berth_out_new(fp, BERTH_OUT_JSON);

	assert_int_equal(berth_plan_print(out, plan, "inventory.yaml", NULL), 0);
	berth_out_free(out);
	fclose(fp);
	return text;
}

static void
test_plan_is_deterministic(void **state)
{
	struct berth_fx_case *lab = *state;
	struct berth_plan *a, *b;
	char *ja, *jb;

	mixed_lab(lab);
	a = make(lab);
	b = make(lab);
	ja = plan_json(a);
	jb = plan_json(b);
	assert_string_equal(ja, jb);
	free(ja);
	free(jb);
	berth_plan_free(a);
	berth_plan_free(b);
}

#define LAB_TEST(name) \
	cmocka_unit_test_setup_teardown(name, berth_fx_case_setup, berth_fx_case_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		LAB_TEST(test_plan_defines_before_start),
		LAB_TEST(test_plan_skips_images_that_exist),
		LAB_TEST(test_plan_refuses_two_domains_on_one_image),
		LAB_TEST(test_plan_refuses_one_domain_using_an_image_twice),
		LAB_TEST(test_plan_of_a_converged_fleet_is_empty),
		LAB_TEST(test_plan_migrates_before_verify),
		LAB_TEST(test_plan_migrates_then_redefines_then_stops),
		LAB_TEST(test_plan_starts_a_shut_off_domain),
		LAB_TEST(test_plan_stops_a_running_domain),
		LAB_TEST(test_plan_redefines_a_running_domain_for_its_next_boot),
		LAB_TEST(test_plan_redefines_a_shut_off_domain_before_starting_it),
		LAB_TEST(test_plan_leaves_unmanaged_domains_and_hosts_alone),
		LAB_TEST(test_plan_keeps_inventory_order_across_domains),
		LAB_TEST(test_plan_waits_only_for_earlier_steps),
		LAB_TEST(test_plan_is_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
