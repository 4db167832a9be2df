/*
 * How long the planner takes on a large synthetic fleet, built in memory:
 *
 *	build/.../bench/plan-synthetic [HOSTS [DOMAINS_PER_HOST [MOVING_PERCENT]]]
 *
 * Defaults: 1000 hosts, 10 domains each, 10 % of the domains running on the
 * next host over from the one the inventory places them on (so each of
 * those plans a live migration).  Every domain has one disk on a share
 * served by the last host (the worst place for a lookup that scans the
 * hosts) and one NIC on br0.  Prints one line:
 *
 *	hosts=1000 domains=10000 steps=2000 plan_ms=41.2
 *
 * Only berth_plan_make() is timed, not building the inventory and facts.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/util.h"
#include "planner/plan.h"
#include "tests/fixture/fixture.h"

#define EXPORT "/srv/bench/share"

static unsigned long
arg(int argc, char **argv, int i, unsigned long fallback)
{
	char *end;
	unsigned long v;

	if (argc <= i)
		return fallback;
	v = strtoul(argv[i], &end, 10);
	if (*argv[i] == '\0' || *end != '\0') {
		fprintf(stderr, "plan-synthetic: '%s' is not a number\n", argv[i]);
		exit(2);
	}
	return v;
}

/* The inventory: hosts h0..h(N-1), share on the last, domains hH-dD on hH. */
static struct berth_inventory *
make_inventory(unsigned long n_hosts, unsigned long per_host)
{
	struct berth_inventory *inv = berth_fx_inventory();
	char name[64], image[80], mac[32];

	for (unsigned long h = 0; h < n_hosts; h++) {
		snprintf(name, sizeof(name), "h%lu", h);
		berth_fx_host(inv, name);
	}
	berth_fx_storage(inv, "share", inv->hosts[n_hosts - 1].name, EXPORT);
	for (unsigned long h = 0; h < n_hosts; h++) {
		for (unsigned long d = 0; d < per_host; d++) {
			unsigned long n = h * per_host + d;
			struct berth_domain *dom;
			char host[32];

			snprintf(host, sizeof(host), "h%lu", h);
			snprintf(name, sizeof(name), "h%lu-d%lu", h, d);
			snprintf(image, sizeof(image), "%s.qcow2", name);
			snprintf(mac, sizeof(mac), "52:54:00:%02lx:%02lx:%02lx",
				 (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
			dom = berth_fx_domain(inv, name, host, BERTH_POWER_RUNNING, 64 * 1024);
			berth_fx_disk(dom, "share", image);
			berth_fx_nic(dom, "br0", mac);
		}
	}
	return inv;
}

/* Facts: every domain running as wanted, a share of them on the next host. */
static struct berth_facts *
make_facts(const struct berth_inventory *inv, unsigned long moving_percent)
{
	struct berth_facts *facts = berth_fx_facts();
	struct berth_export_fact *export;

	for (size_t h = 0; h < inv->n_hosts; h++)
		berth_fx_host_fact(facts, inv->hosts[h].name);
	export = berth_fx_export(&facts->hosts[inv->n_hosts - 1], EXPORT);
	for (size_t i = 0; i < inv->n_domains; i++) {
		const struct berth_domain *d = &inv->domains[i];
		size_t host = i / (inv->n_domains / inv->n_hosts);

		berth_fx_file(export, d->disks[0].image);
		if (i % 100 < moving_percent)
			host = (host + 1) % inv->n_hosts;
		berth_fx_domain_fact(&facts->hosts[host], inv, d, BERTH_DOM_RUNNING);
	}
	return facts;
}

int
main(int argc, char **argv)
{
	unsigned long n_hosts = arg(argc, argv, 1, 1000);
	unsigned long per_host = arg(argc, argv, 2, 10);
	unsigned long moving = arg(argc, argv, 3, 10);
	struct berth_inventory *inv;
	struct berth_facts *facts;
	struct berth_error *err = NULL;
	struct berth_plan *plan;
	double start, ms;

	if (n_hosts < 2 || per_host < 1 || moving > 100) {
		fprintf(stderr, "usage: plan-synthetic [HOSTS>=2 [DOMAINS_PER_HOST>=1 [MOVING_PERCENT<=100]]]\n");
		return 2;
	}
	inv = make_inventory(n_hosts, per_host);
	facts = make_facts(inv, moving);
	start = berth_now_s();
	plan = berth_plan_make(inv, facts, &err);
	ms = (berth_now_s() - start) * 1000;
	if (plan == NULL) {
		fprintf(stderr, "plan-synthetic: %s\n", berth_error_message(err));
		return 1;
	}
	printf("hosts=%lu domains=%zu steps=%zu plan_ms=%.1f\n", n_hosts, inv->n_domains,
	       plan->n_steps, ms);
	berth_plan_free(plan);
	berth_facts_free(facts);
	berth_inventory_free(inv);
	return 0;
}
