/*
 * The planner's golden cases: tests/plans/NAME/ holds an inventory.yaml and
 * a facts.json, and either the expected plan (plan.txt, plan.json) or the
 * expected error (error.txt).  Run as "test-planner-golden NAME" from meson,
 * one test per case (tests/meson.build lists them).  BERTH_REGENERATE=1
 * rewrites the expected files from what the planner does now.
 *
 * Every plan.json is also read back with berth_plan_load_json() and must
 * print the same again.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/facts.h"
#include "parser/inventory.h"
#include "planner/plan.h"
#include "planner/render.h"
#include "tests/fixture/golden.h"

/* What berth_plan_print() writes in mode; "inventory.yaml" as the path. */
static char *
print(const struct berth_plan *plan, enum berth_out_mode mode)
{
	char *text = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&text, &size);
	struct berth_out *out = berth_out_new(fp, mode);

	if (fp == NULL || berth_plan_print(out, plan, "inventory.yaml", NULL) < 0)
		abort();
	berth_out_free(out);
	fclose(fp);
	return text;
}

/* The plan of the case in the current folder, or NULL with the error. */
static struct berth_plan *
plan_case(struct berth_error **err)
{
	BERTH_AUTOPTR(berth_inventory) inv = berth_inventory_load("inventory.yaml", err);
	BERTH_AUTOPTR(berth_facts) facts = NULL;

	if (inv == NULL)
		return NULL;
	facts = berth_facts_load("facts.json", err);
	if (facts == NULL)
		return NULL;
	return berth_plan_make(inv, facts, err);
}

/* plan.json read back prints as json again. */
static bool
round_trips(const char *json)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_plan) loaded = berth_plan_load_json("plan.json", &err);
	BERTH_AUTOFREE char *again = NULL;

	if (loaded == NULL) {
		fprintf(stderr, "cannot read plan.json back: %s\n", berth_error_message(err));
		return false;
	}
	again = print(loaded, BERTH_OUT_JSON);
	if (strcmp(again, json) != 0) {
		fprintf(stderr, "plan.json read back prints differently\n");
		return false;
	}
	return true;
}

/* Removes an expected file the case no longer has (when regenerating). */
static void
drop_stale(const char *name)
{
	if (berth_golden_regenerating() && unlink(name) == 0)
		fprintf(stderr, "removed %s\n", name);
}

static bool
check_error(const struct berth_error *err)
{
	BERTH_AUTOFREE char *expected = NULL;
	BERTH_AUTOFREE char *actual = xasprintf("%s\n", berth_error_message(err));

	expected = berth_golden_read("error.txt");
	if (expected == NULL && !berth_golden_regenerating()) {
		fprintf(stderr, "the planner failed, and the case expects a plan: %s", actual);
		return false;
	}
	drop_stale("plan.txt");
	drop_stale("plan.json");
	return berth_golden_check("error.txt", actual);
}

static bool
check_plan(const struct berth_plan *plan)
{
	BERTH_AUTOFREE char *text = print(plan, BERTH_OUT_TEXT);
	BERTH_AUTOFREE char *json = print(plan, BERTH_OUT_JSON);
	bool ok;

	if (access("error.txt", F_OK) == 0 && !berth_golden_regenerating()) {
		fprintf(stderr, "the planner made a plan, and the case expects an error:\n%s", text);
		return false;
	}
	drop_stale("error.txt");
	ok = berth_golden_check("plan.txt", text);
	ok = berth_golden_check("plan.json", json) && ok;
	return ok && round_trips(json);
}

int
main(int argc, char **argv)
{
	BERTH_AUTOFREE char *name = NULL;
	BERTH_AUTOFREE char *dir = NULL;
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_plan) plan = NULL;
	bool ok;

	if (argc != 2) {
		fprintf(stderr, "usage: test-planner-golden CASE\n");
		return 2;
	}
	name = xasprintf("plans/%s", argv[1]);
	dir = berth_golden_path(name);
	if (chdir(dir) < 0) {
		fprintf(stderr, "cannot enter '%s': %s\n", dir, strerror(errno));
		return 1;
	}
	plan = plan_case(&err);
	ok = plan != NULL ? check_plan(plan) : check_error(err);
	printf("%s - %s\n", ok ? "ok" : "not ok", argv[1]);
	return ok ? 0 : 1;
}
