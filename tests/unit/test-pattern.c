/*
 * --limit patterns (parser/pattern.c) over an inventory with groups, as
 * Ansible's host patterns select: names, groups, globs, ~regexes, '&' and
 * '!' terms, ':' and ',' lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "parser/inventory.h"
#include "parser/pattern.h"

static const char inventory[] =
	"all:\n"
	"  children:\n"
	"    kvm:\n"
	"      hosts: {h1: , h2: }\n"
	"      children:\n"
	"        fast:\n"
	"          hosts: {h2: }\n"
	"    edge:\n"
	"      hosts: {h3: }\n"
	"domains:\n"
	"  web1: {host: h1, memory: 64M}\n"
	"  web2: {host: h2, memory: 64M}\n"
	"  db1: {host: h2, memory: 64M}\n"
	"  gw: {host: h3, memory: 64M}\n";

/* What pattern selects, domains or hosts, as "a,b,c" in inventory order. */
static char *
selected(const char *pattern, bool want_hosts)
{
	struct berth_inventory *inv = berth_inventory_parse(inventory, strlen(inventory), "t.yaml",
							    NULL);
	struct berth_limit *limit = berth_limit_parse(pattern, NULL);
	struct berth_buf sb = BERTH_BUF_INIT;
	size_t n;

	assert_non_null(inv);
	assert_non_null(limit);
	n = want_hosts ? inv->n_hosts : inv->n_domains;
	for (size_t i = 0; i < n; i++) {
		bool in = want_hosts ? berth_limit_host(limit, inv, &inv->hosts[i])
			: berth_limit_domain(limit, inv, &inv->domains[i]);
		const char *name = want_hosts ? inv->hosts[i].name : inv->domains[i].name;

		if (in)
			berth_buf_addf(&sb, "%s%s", sb.len > 0 ? "," : "", name);
	}
	berth_limit_free(limit);
	berth_inventory_free(inv);
	return berth_buf_detach(&sb);
}

static char *
domains(const char *pattern)
{
	return selected(pattern, false);
}

static char *
hosts(const char *pattern)
{
	return selected(pattern, true);
}

static void
check(char *(*select)(const char *), const char *pattern, const char *expected)
{
	char *got = select(pattern);

	if (strcmp(got, expected) != 0)
		print_error("--limit '%s': expected '%s', got '%s'\n", pattern, expected, got);
	assert_string_equal(got, expected);
	free(got);
}

static void
test_pattern_selects_domains_by_name_host_and_group(void **state)
{
	(void)state;
	check(domains, "web1", "web1");
	check(domains, "h2", "web2,db1");		/* the domains placed on h2 */
	check(domains, "kvm", "web1,web2,db1");	/* a group, with its child's hosts */
	check(domains, "fast", "web2,db1");
	check(domains, "web*", "web1,web2");
	check(domains, "~^(db|gw)", "db1,gw");	/* a regex, searched */
	check(domains, "~eb", "web1,web2");
	check(domains, "all", "web1,web2,db1,gw");
	check(domains, "*", "web1,web2,db1,gw");
	check(domains, "web1:gw", "web1,gw");
	check(domains, "web1,gw", "web1,gw");
	check(domains, "nothing", "");
}

static void
test_pattern_intersects_then_excludes_whatever_the_order(void **state)
{
	(void)state;
	check(domains, "kvm:&web*", "web1,web2");
	check(domains, "kvm:!fast", "web1");
	check(domains, "!fast:kvm", "web1");		/* '!' last, wherever it stands */
	check(domains, "&h2:kvm:!web2", "db1");
	check(domains, "!gw", "web1,web2,db1");	/* only exclusions: from all */
	check(domains, "web?:!web2", "web1");
}

static void
test_pattern_selects_hosts_by_name_group_and_their_domains(void **state)
{
	(void)state;
	check(hosts, "h1", "h1");
	check(hosts, "kvm", "h1,h2");
	check(hosts, "gw", "h3");			/* the host gw is placed on */
	check(hosts, "kvm:!fast", "h1");
	check(hosts, "~^h[13]$", "h1,h3");
}

static void
test_pattern_that_cannot_be_read_is_refused(void **state)
{
	static const struct {
		const char *pattern;
		const char *message;
	} cases[] = {
		{ "", "--limit '' has an empty term: terms are names, globs or ~regexes split by "
		      "':' or ','" },
		{ "a,,b", "--limit 'a,,b' has an empty term: terms are names, globs or ~regexes "
			  "split by ':' or ','" },
		{ "!", "--limit '!' has an empty term: terms are names, globs or ~regexes split "
		       "by ':' or ','" },
		{ "~(", "--limit '~(': the regex '(' is not valid at offset 1: missing closing "
			"parenthesis" },
		{ "a\x1b", "--limit must not contain control characters (byte 0x1b)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct berth_error *err = NULL;

		assert_null(berth_limit_parse(cases[i].pattern, &err));
		assert_int_equal(berth_error_kind(err), BERTH_ERROR_USAGE);
		assert_string_equal(berth_error_message(err), cases[i].message);
		berth_error_free(err);
	}
}

static void
test_pattern_keeps_only_what_it_selects_or_refuses_an_empty_selection(void **state)
{
	struct berth_inventory *inv = berth_inventory_parse(inventory, strlen(inventory), "t.yaml",
							    NULL);
	struct berth_limit *limit = berth_limit_parse("fast", NULL);
	struct berth_limit *none = berth_limit_parse("nope", NULL);
	struct berth_error *err = NULL;

	(void)state;
	assert_int_equal(berth_inventory_limit_domains(inv, none, "nope", &err), -1);
	assert_string_equal(berth_error_message(err),
			    "--limit 'nope' selects no domain of inventory 't.yaml'");
	assert_int_equal(inv->n_domains, 4);
	assert_int_equal(berth_inventory_limit_domains(inv, limit, "fast", NULL), 0);
	assert_int_equal(inv->n_domains, 2);
	assert_string_equal(inv->domains[0].name, "web2");
	assert_string_equal(inv->domains[1].name, "db1");
	assert_int_equal(berth_inventory_limit_hosts(inv, limit, "fast", NULL), 0);
	assert_int_equal(inv->n_hosts, 1);
	assert_string_equal(inv->hosts[0].name, "h2");
	berth_error_free(err);
	berth_limit_free(limit);
	berth_limit_free(none);
	berth_inventory_free(inv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_selects_domains_by_name_host_and_group),
		cmocka_unit_test(test_pattern_intersects_then_excludes_whatever_the_order),
		cmocka_unit_test(test_pattern_selects_hosts_by_name_group_and_their_domains),
		cmocka_unit_test(test_pattern_that_cannot_be_read_is_refused),
		cmocka_unit_test(test_pattern_keeps_only_what_it_selects_or_refuses_an_empty_selection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
