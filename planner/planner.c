/*
 * The planner's analysis: index the inventory and the facts by name, find
 * where each domain is defined now, decide what it needs.  See planner.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "planner/domain-xml.h"
#include "planner/planner.h"

const struct berth_host_fact *
berth_planner_host_fact(const struct berth_planner *pl, const char *name)
{
	/* NULL: a domain with no host (absent). */
	return name != NULL ? berth_name_index_find(&pl->host_facts, name) : NULL;
}

const struct berth_host *
berth_planner_host(const struct berth_planner *pl, const char *name)
{
	return name != NULL ? berth_name_index_find(&pl->hosts, name) : NULL;
}

const struct berth_share *
berth_planner_share(const struct berth_planner *pl, const char *name)
{
	return berth_name_index_find(&pl->shares, name);
}

bool
berth_placement_acts(const struct berth_placement *p)
{
	return p->move != BERTH_MOVE_NONE || p->redefine || p->start || p->stop || p->relabel;
}

bool
berth_lease_moves(const struct berth_placement *p, size_t i)
{
	return !berth_streq(p->leases[i].holder, p->want->host);
}

bool
berth_placement_arrives_running(const struct berth_placement *p)
{
	return p->move == BERTH_MOVE_LIVE || p->start;
}

/* Equal paths, ignoring trailing slashes: "/srv/share/" is "/srv/share". */
static bool
same_path(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	while (la > 1 && a[la - 1] == '/')
		la--;
	while (lb > 1 && b[lb - 1] == '/')
		lb--;
	return la == lb && memcmp(a, b, la) == 0;
}

static void
index_hosts(struct berth_planner *pl)
{
	const struct berth_inventory *inv = pl->inv;
	const struct berth_facts *facts = pl->facts;

	berth_name_index_init(&pl->hosts, inv->n_hosts);
	for (size_t i = 0; i < inv->n_hosts; i++)
		berth_name_index_add(&pl->hosts, inv->hosts[i].name, &inv->hosts[i]);

	/* Facts about hosts the inventory does not name are not berth's. */
	berth_name_index_init(&pl->host_facts, inv->n_hosts);
	for (size_t i = 0; i < facts->n_hosts; i++) {
		const struct berth_host_fact *h = &facts->hosts[i];

		if (h->name != NULL && berth_name_index_find(&pl->hosts, h->name) != NULL)
			berth_name_index_add(&pl->host_facts, h->name, h);
	}
	for (size_t i = 0; i < inv->n_hosts && pl->blind == NULL; i++) {
		const struct berth_host_fact *h = berth_planner_host_fact(pl, inv->hosts[i].name);

		if (h == NULL || !h->reachable)
			pl->blind = &inv->hosts[i];
	}
}

static void
index_shares(struct berth_planner *pl)
{
	const struct berth_inventory *inv = pl->inv;

	pl->share = xcalloc(inv->n_storage, sizeof(*pl->share));
	pl->servers = xcalloc(inv->n_storage, sizeof(*pl->servers));
	berth_name_index_init(&pl->shares, inv->n_storage);
	for (size_t i = 0; i < inv->n_storage; i++) {
		struct berth_share *sh = &pl->share[i];
		const struct berth_host_fact *f;

		sh->storage = &inv->storage[i];
		sh->server = berth_planner_host(pl, sh->storage->server);
		if (sh->server != NULL)
			pl->servers[i] = sh->server->address != NULL ? sh->server->address :
					 sh->server->name;
		f = berth_planner_host_fact(pl, sh->storage->server);
		sh->server_fact = f;
		for (size_t j = 0; f != NULL && f->reachable && j < f->n_exports; j++) {
			if (f->exports[j].path != NULL &&
			    same_path(f->exports[j].path, sh->storage->export_path)) {
				sh->export = &f->exports[j];
				break;
			}
		}
		berth_name_index_init(&sh->files, sh->export != NULL ? sh->export->n_files : 0);
		for (size_t j = 0; sh->export != NULL && j < sh->export->n_files; j++)
			berth_name_index_add(&sh->files, sh->export->files[j], sh->export->files[j]);
		berth_name_index_init(&sh->leases, sh->export != NULL ? sh->export->n_leases : 0);
		for (size_t j = 0; sh->export != NULL && j < sh->export->n_leases; j++)
			berth_name_index_add(&sh->leases, sh->export->leases[j].image,
					     sh->export->leases[j].holder);
		berth_name_index_add(&pl->shares, sh->storage->name, sh);
	}
}

/* Records every reachable inventory host where an inventory domain is defined. */
static void
locate_domains(struct berth_planner *pl, const struct berth_name_index *wanted)
{
	for (size_t i = 0; i < pl->facts->n_hosts; i++) {
		const struct berth_host_fact *h = &pl->facts->hosts[i];

		if (!h->reachable || h->name == NULL || berth_planner_host_fact(pl, h->name) != h)
			continue;
		for (size_t j = 0; j < h->n_domains; j++) {
			struct berth_placement *p;

			if (h->domains[j].name == NULL)
				continue;
			p = (struct berth_placement *)berth_name_index_find(wanted, h->domains[j].name);
			if (p == NULL)
				continue;	/* not in the inventory: left alone */
			p->found = xreallocarray(p->found, p->n_found + 1, sizeof(*p->found));
			p->found[p->n_found++] = (struct berth_site){ h, &h->domains[j] };
		}
	}
}

/* The images of p's disks that the storage servers do not have. */
static void
find_missing_images(const struct berth_planner *pl, struct berth_placement *p)
{
	const struct berth_domain *d = p->want;

	for (size_t i = 0; i < d->n_disks; i++) {
		const struct berth_share *sh = berth_planner_share(pl, d->disks[i].storage);

		if (sh == NULL)
			continue;	/* the parser rejects unknown storage */
		/* Unobserved (for a new domain): creating it touches the server,
		 * and preflight then says why the server was not seen. */
		if (sh->export == NULL && p->move != BERTH_MOVE_CREATE)
			continue;
		if (sh->export != NULL && berth_name_index_find(&sh->files, d->disks[i].image) != NULL)
			continue;
		p->missing = xreallocarray(p->missing, p->n_missing + 1, sizeof(*p->missing));
		p->missing[p->n_missing++] = (struct berth_missing_image){
			.disk = &d->disks[i],
			.server = sh->server,
		};
	}
}

/* The leases on p's images, on the shares whose export berth observed. */
static void
find_leases(const struct berth_planner *pl, struct berth_placement *p)
{
	const struct berth_domain *d = p->want;

	p->leases = xcalloc(d->n_disks, sizeof(*p->leases));
	for (size_t i = 0; i < d->n_disks; i++) {
		const struct berth_share *sh = berth_planner_share(pl, d->disks[i].storage);
		BERTH_AUTOFREE char *image = NULL;

		if (sh == NULL || sh->export == NULL || sh->server == NULL)
			continue;
		image = berth_disk_path(pl->inv, &d->disks[i]);
		p->leases[p->n_leases++] = (struct berth_lease_need){
			.disk = &d->disks[i],
			.server = sh->server,
			.path = xasprintf("%s" BERTH_LEASE_SUFFIX, image),
			.holder = berth_name_index_find(&sh->leases, d->disks[i].image),
		};
		p->relabel = p->relabel || berth_lease_moves(p, p->n_leases - 1);
	}
}

static void
decide(const struct berth_planner *pl, struct berth_placement *p)
{
	bool want_running = p->want->state == BERTH_POWER_RUNNING;
	bool running_there;

	/* Absent: nothing to do where it is not; preflight refuses where it is. */
	if (p->want->state == BERTH_POWER_ABSENT) {
		p->move = BERTH_MOVE_NONE;
		return;
	}
	find_leases(pl, p);
	if (p->n_found == 0) {
		p->move = BERTH_MOVE_CREATE;
		p->start = want_running;
		find_missing_images(pl, p);
		return;
	}
	if (p->n_found > 1)
		return;		/* defined twice: preflight reports it */

	p->src = p->found[0].host;
	p->have = p->found[0].dom;
	if (p->src == p->dest)
		p->move = BERTH_MOVE_NONE;
	else if (p->have->state == BERTH_DOM_RUNNING)
		p->move = BERTH_MOVE_LIVE;
	else
		p->move = BERTH_MOVE_COLD;
	p->redefine = !berth_domain_matches_servers(pl->inv, pl->servers, p->want, p->have,
						    &p->why);
	running_there = p->move == BERTH_MOVE_LIVE || p->have->state == BERTH_DOM_RUNNING;
	if (p->move == BERTH_MOVE_COLD)
		running_there = false;
	p->start = want_running && !running_there;
	p->stop = !want_running && running_there;
	if (p->move == BERTH_MOVE_LIVE)
		find_missing_images(pl, p);
}

struct berth_planner *
berth_planner_new(const struct berth_inventory *inv, const struct berth_facts *facts)
{
	struct berth_planner *pl = xcalloc(1, sizeof(*pl));
	struct berth_name_index wanted;

	pl->inv = inv;
	pl->facts = facts;
	index_hosts(pl);
	index_shares(pl);

	pl->n_placements = inv->n_domains;
	pl->placements = xcalloc(inv->n_domains, sizeof(*pl->placements));
	berth_name_index_init(&wanted, inv->n_domains);
	for (size_t i = 0; i < inv->n_domains; i++) {
		struct berth_placement *p = &pl->placements[i];

		p->want = &inv->domains[i];
		p->host = berth_planner_host(pl, p->want->host);
		p->dest = berth_planner_host_fact(pl, p->want->host);
		if (p->dest != NULL && !p->dest->reachable)
			p->dest = NULL;
		berth_buf_init(&p->why, 0);
		berth_name_index_add(&wanted, p->want->name, p);
	}
	locate_domains(pl, &wanted);
	berth_name_index_release(&wanted);
	for (size_t i = 0; i < pl->n_placements; i++)
		decide(pl, &pl->placements[i]);
	return pl;
}

void
berth_planner_free(struct berth_planner *pl)
{
	if (pl == NULL)
		return;
	for (size_t i = 0; i < pl->n_placements; i++) {
		free(pl->placements[i].found);
		free(pl->placements[i].missing);
		for (size_t j = 0; j < pl->placements[i].n_leases; j++)
			free(pl->placements[i].leases[j].path);
		free(pl->placements[i].leases);
		berth_buf_release(&pl->placements[i].why);
	}
	free(pl->placements);
	for (size_t i = 0; i < pl->inv->n_storage; i++) {
		berth_name_index_release(&pl->share[i].files);
		berth_name_index_release(&pl->share[i].leases);
	}
	free(pl->share);
	free(pl->servers);
	berth_name_index_release(&pl->shares);
	berth_name_index_release(&pl->host_facts);
	berth_name_index_release(&pl->hosts);
	free(pl);
}
