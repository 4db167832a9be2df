/*
 * The observed state's lifetime and look-ups; executors/facts.c gathers it
 * and core/facts-json.c reads and writes it.
 */
#include <string.h>

#include "core/facts.h"
#include "core/util.h"

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
berth_domain_fact_clear(struct berth_domain_fact *d)
{
	free(d->name);
	for (size_t i = 0; i < d->n_disks; i++) {
		free(d->disks[i].target);
		free(d->disks[i].source);
		free(d->disks[i].format);
	}
	free(d->disks);
	for (size_t i = 0; i < d->n_nics; i++) {
		free(d->nics[i].mac);
		free(d->nics[i].bridge);
		free(d->nics[i].model);
	}
	free(d->nics);
	free(d->xml);
	memset(d, 0, sizeof(*d));
}

void
berth_host_fact_clear(struct berth_host_fact *h)
{
	free(h->name);
	free(h->error);
	free(h->hostname);
	free(h->fqdn);
	free_strv(h->addresses, h->n_addresses);
	free(h->arch);
	free(h->cpu_vendor);
	free(h->cpu_model);
	free(h->host_uuid);
	free_strv(h->bridges, h->n_bridges);
	for (size_t i = 0; i < h->n_exports; i++) {
		free(h->exports[i].path);
		free_strv(h->exports[i].files, h->exports[i].n_files);
		for (size_t j = 0; j < h->exports[i].n_leases; j++) {
			free(h->exports[i].leases[j].image);
			free(h->exports[i].leases[j].holder);
		}
		free(h->exports[i].leases);
	}
	free(h->exports);
	for (size_t i = 0; i < h->n_domains; i++)
		berth_domain_fact_clear(&h->domains[i]);
	free(h->domains);
	memset(h, 0, sizeof(*h));
}

void
berth_facts_free(struct berth_facts *facts)
{
	if (facts == NULL)
		return;
	for (size_t i = 0; i < facts->n_hosts; i++)
		berth_host_fact_clear(&facts->hosts[i]);
	free(facts->hosts);
	free(facts);
}

const struct berth_host_fact *
berth_facts_host(const struct berth_facts *facts, const char *name)
{
	for (size_t i = 0; i < facts->n_hosts; i++) {
		if (berth_streq(facts->hosts[i].name, name))
			return &facts->hosts[i];
	}
	return NULL;
}

const struct berth_domain_fact *
berth_host_fact_domain(const struct berth_host_fact *h, const char *name)
{
	for (size_t i = 0; i < h->n_domains; i++) {
		if (berth_streq(h->domains[i].name, name))
			return &h->domains[i];
	}
	return NULL;
}

static const char *const dom_state_names[] = {
	[BERTH_DOM_RUNNING] = "running",
	[BERTH_DOM_PAUSED] = "paused",
	[BERTH_DOM_SHUTOFF] = "shutoff",
	[BERTH_DOM_OTHER] = "other",
};
_Static_assert(sizeof(dom_state_names) / sizeof(dom_state_names[0]) == BERTH_DOM_LAST,
	       "a name for every domain state");

const char *
berth_dom_state_name(enum berth_dom_state state)
{
	return dom_state_names[state];
}

int
berth_dom_state_from_name(const char *name)
{
	for (int i = 0; i < BERTH_DOM_LAST; i++) {
		if (berth_streq(dom_state_names[i], name))
			return i;
	}
	return -1;
}
