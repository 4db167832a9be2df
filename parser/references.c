/* References and uniqueness across entries: see references.h. */
#include "parser/references.h"

#include <string.h>

#include "core/util.h"
#include "core/name-index.h"

struct checker {
	struct berth_parse *p;
	const struct berth_yaml_node *root;
	struct berth_name_index hosts;		/* name -> struct berth_host */
	struct berth_name_index storage;	/* name -> struct berth_storage */
	struct berth_name_index groups;		/* name -> struct berth_group */
	struct berth_name_index bridges;	/* name -> struct berth_bridge */
	const char **host_and_group_names;	/* for "did you mean" */
	size_t n_host_and_group_names;
	const char **bridge_names;
	size_t n_bridge_names;
	struct berth_name_index macs;		/* MAC -> struct berth_domain */
	struct berth_name_index uuids;		/* UUID -> struct berth_domain */
	const char **host_names;		/* for "did you mean" */
	size_t n_host_names;
	const char **storage_names;
	size_t n_storage_names;
	/* hosts: or storage: is there but not a mapping (or hosts: is missing):
	 * no name is known, so none is reported undefined. */
	bool hosts_broken;
	bool storage_broken;
};

/* True if root has the section but it is neither a mapping nor empty. */
static bool
section_broken(const struct berth_yaml_node *root, const char *section)
{
	const struct berth_yaml_node *value = berth_yaml_get(root, section);

	return value != NULL && value->kind != BERTH_YAML_MAPPING && !berth_yaml_is_null(value);
}

/* The settings of entry i of section (the mapping it was read from). */
static const struct berth_yaml_node *
entry_map(const struct checker *c, const char *section, size_t i)
{
	return berth_yaml_get(c->root, section)->items[2 * i + 1];
}

/* Item i of the list under key in the entry's settings map. */
static const struct berth_yaml_node *
list_item(const struct berth_yaml_node *map, const char *key, size_t i)
{
	return berth_yaml_get(map, key)->items[i];
}

static int
check_storage(struct checker *c, size_t i)
{
	const struct berth_storage *s = &c->p->inv->storage[i];
	BERTH_AUTOFREE char *where = NULL;

	const struct berth_host *server;

	/* No name: refused; no server: its problem is already there. */
	if (s->name == NULL || s->server == NULL || c->hosts_broken)
		return 0;
	server = berth_name_index_find(&c->hosts, s->server);
	if (server != NULL && berth_streq(server->role, "hypervisor"))
		return berth_parse_fail(c->p, server->loc, "host '%s' serves storage '%s', but "
					"its role is 'hypervisor': make it 'storage' or 'both'",
					server->name, s->name);
	if (server != NULL)
		return 0;
	where = xasprintf("storage '%s': ", s->name);
	return berth_parse_fail_undefined(c->p, berth_fields_loc(entry_map(c, "storage", i), "server", s->loc),
			      where, "server host", s->server, c->host_names,
			      c->n_host_names);
}

static int
check_uuid(struct checker *c, const struct berth_domain *d,
	   const struct berth_yaml_node *map, const char *where)
{
	const struct berth_domain *first;

	/* A given UUID that was wrong left none; the name gave one then. */
	if (d->uuid[0] == '\0')
		return 0;
	first = berth_name_index_add(&c->uuids, d->uuid, d);
	if (first == NULL)
		return 0;
	if (d->uuid_given)
		return berth_parse_fail(c->p, berth_fields_loc(map, "uuid", d->loc),
					"%suuid '%s' is already used by domain '%s'%s", where,
					d->uuid, first->name,
					first->uuid_given ? "" : " (derived from its name)");
	return berth_parse_fail(c->p, d->loc,
				"%suuid '%s' derived from its name is already used by domain '%s'",
				where, d->uuid, first->name);
}

static int
check_disks(struct checker *c, const struct berth_domain *d,
	    const struct berth_yaml_node *map, const char *where)
{
	int rc = 0;

	for (size_t i = 0; i < d->n_disks; i++) {
		const struct berth_disk *disk = &d->disks[i];
		const struct berth_yaml_node *item = list_item(map, "disks", i);
		BERTH_AUTOFREE char *disk_where = xasprintf("%sdisk %zu: ", where, i + 1);

		if (disk->storage != NULL && !c->storage_broken &&
		    berth_name_index_find(&c->storage, disk->storage) == NULL)
			rc = berth_parse_fail_undefined(c->p, berth_fields_loc(item, "storage", disk->loc),
					    disk_where, "storage", disk->storage,
					    c->storage_names, c->n_storage_names);
		for (size_t j = 0; j < i; j++) {
			if (berth_streq(d->disks[j].target, disk->target)) {
				rc = berth_parse_fail(c->p, berth_fields_loc(item, "target", disk->loc),
						      "%starget '%s' is already used by disk %zu",
						      disk_where, disk->target, j + 1);
				break;
			}
		}
	}
	return rc;
}

/* True if bridge b is to be on host h: named, in a named group, or every hypervisor. */
static bool
bridge_on(const struct checker *c, const struct berth_bridge *b, const struct berth_host *h)
{
	if (b->n_hosts == 0)
		return !berth_streq(h->role, "storage");
	for (size_t i = 0; i < b->n_hosts; i++) {
		const struct berth_group *g = berth_name_index_find(&c->groups, b->hosts[i]);

		if (strcmp(b->hosts[i], h->name) == 0 ||
		    (g != NULL && berth_group_holds(c->p->inv, g, h->name)))
			return true;
	}
	return false;
}

/* Each NIC's bridge is declared (when bridges: is there) and on the domain's host. */
static int
check_nic_bridges(struct checker *c, const struct berth_domain *d, const struct berth_host *h,
		  const struct berth_yaml_node *map, const char *where)
{
	int rc = 0;

	/* No bridges: any bridge will do; bridges: broken: its own problem. */
	if ((c->p->inv->n_bridges == 0 && berth_yaml_get(c->root, "bridges") == NULL) ||
	    section_broken(c->root, "bridges"))
		return 0;
	for (size_t i = 0; i < d->n_nics; i++) {
		const struct berth_nic *nic = &d->nics[i];
		struct berth_location loc = berth_fields_loc(list_item(map, "nics", i), "bridge",
							     nic->loc);
		const struct berth_bridge *b;
		BERTH_AUTOFREE char *nic_where = xasprintf("%snic %zu: ", where, i + 1);

		if (nic->bridge == NULL)
			continue;
		b = berth_name_index_find(&c->bridges, nic->bridge);
		if (b == NULL)
			rc = berth_parse_fail_undefined(c->p, loc, nic_where, "bridge", nic->bridge, c->bridge_names,
					    c->n_bridge_names);
		else if (h != NULL && !bridge_on(c, b, h))
			rc = berth_parse_fail(c->p, loc, "%sbridge '%s' is not on host '%s': add the "
					      "host (or a group of it) to the bridge's 'hosts'",
					      nic_where, nic->bridge, h->name);
	}
	return rc;
}

/*
 * What must differ between two storage entries: the NFS share (server and
 * export), the mount target, the local path, the pool name.  key is the
 * value that must be unique among those of the same kind; first holds what
 * came before.
 */
static int
check_storage_once(struct checker *c, struct berth_name_index *first, const char *key,
		   const struct berth_storage *s, const char *setting, const char *shown)
{
	const struct berth_storage *other;

	if (key == NULL)
		return 0;
	other = berth_name_index_add(first, key, s);
	if (other == NULL)
		return 0;
	return berth_parse_fail(c->p, berth_fields_loc(entry_map(c, "storage",
							       (size_t)(s - c->p->inv->storage)),
						      setting, s->loc),
				"storage '%s': %s %s is storage '%s''s already: two entries "
				"cannot share it", s->name, setting, shown, other->name);
}

static int
check_storage_unique(struct checker *c)
{
	const struct berth_inventory *inv = c->p->inv;
	struct berth_name_index shares, targets, paths, pools;
	char **keys = xcalloc(inv->n_storage + 1, sizeof(*keys));
	int rc = 0;

	berth_name_index_init(&shares, inv->n_storage);
	berth_name_index_init(&targets, inv->n_storage);
	berth_name_index_init(&paths, inv->n_storage);
	berth_name_index_init(&pools, inv->n_storage);
	for (size_t i = 0; i < inv->n_storage; i++) {
		const struct berth_storage *s = &inv->storage[i];
		BERTH_AUTOFREE char *shown = NULL;

		if (s->name == NULL)
			continue;
		if (s->server != NULL && s->export_path != NULL) {
			keys[i] = xasprintf("%s:%s", s->server, s->export_path);
			shown = xasprintf("'%s' of '%s'", s->export_path, s->server);
		}
		if (check_storage_once(c, &shares, keys[i], s, "export", shown) < 0)
			rc = -1;
		free(shown);
		shown = s->target != NULL ? xasprintf("'%s'", s->target) : NULL;
		if (check_storage_once(c, &targets, s->target, s, "target", shown) < 0)
			rc = -1;
		free(shown);
		shown = s->path != NULL ? xasprintf("'%s'", s->path) : NULL;
		if (check_storage_once(c, &paths, s->path, s, "path", shown) < 0)
			rc = -1;
		free(shown);
		shown = s->pool != NULL ? xasprintf("'%s'", s->pool) : NULL;
		if (check_storage_once(c, &pools, s->pool, s, "pool", shown) < 0)
			rc = -1;
	}
	berth_name_index_release(&shares);
	berth_name_index_release(&targets);
	berth_name_index_release(&paths);
	berth_name_index_release(&pools);
	berth_strv_free(keys, inv->n_storage);
	return rc;
}

/*
 * Where the name came from in list (a list of names, or one name): the item
 * that says it (items refused are in no array of names, so indexes do not
 * line up), else list itself, else fallback.
 */
static struct berth_location
item_loc(const struct berth_yaml_node *list, const char *name, struct berth_location fallback)
{
	if (list == NULL)
		return fallback;
	for (size_t k = 0; list->kind == BERTH_YAML_SEQUENCE && k < list->n_items; k++) {
		if (list->items[k]->kind == BERTH_YAML_SCALAR &&
		    strcmp(list->items[k]->text, name) == 0)
			return list->items[k]->loc;
	}
	return list->loc;
}

/* Each name in a bridge's hosts: is a host or a group. */
static int
check_bridge(struct checker *c, size_t i)
{
	const struct berth_bridge *b = &c->p->inv->bridges[i];
	const struct berth_yaml_node *map = entry_map(c, "bridges", i);
	const struct berth_yaml_node *list = map != NULL && map->kind == BERTH_YAML_MAPPING
		? berth_yaml_get(map, "hosts") : NULL;
	BERTH_AUTOFREE char *where = NULL;
	int rc = 0;

	if (b->name == NULL || c->hosts_broken)
		return 0;
	where = xasprintf("bridge '%s': ", b->name);
	for (size_t j = 0; j < b->n_hosts; j++) {
		struct berth_location loc = item_loc(list, b->hosts[j], b->loc);

		if (berth_name_index_find(&c->hosts, b->hosts[j]) == NULL &&
		    berth_name_index_find(&c->groups, b->hosts[j]) == NULL)
			rc = berth_parse_fail_undefined(c->p, loc, where, "host or group", b->hosts[j],
					    c->host_and_group_names, c->n_host_and_group_names);
	}
	return rc;
}

/* Each of a domain's hosts: (candidates) is a host or a group. */
static int
check_candidates(struct checker *c, const struct berth_domain *d,
		 const struct berth_yaml_node *map, const char *where)
{
	const struct berth_yaml_node *list = berth_yaml_get(map, "hosts");
	int rc = 0;

	for (size_t i = 0; !c->hosts_broken && i < d->n_candidates; i++) {
		struct berth_location loc = item_loc(list, d->candidates[i], d->loc);

		if (berth_name_index_find(&c->hosts, d->candidates[i]) == NULL &&
		    berth_name_index_find(&c->groups, d->candidates[i]) == NULL)
			rc = berth_parse_fail_undefined(c->p, loc, where, "host or group", d->candidates[i],
					    c->host_and_group_names, c->n_host_and_group_names);
	}
	return rc;
}

static int
check_nics(struct checker *c, const struct berth_domain *d,
	   const struct berth_yaml_node *map, const char *where)
{
	int rc = 0;

	for (size_t i = 0; i < d->n_nics; i++) {
		const struct berth_nic *nic = &d->nics[i];
		const struct berth_domain *first;
		size_t j = 0;

		if (nic->mac == NULL)
			continue;
		first = berth_name_index_add(&c->macs, nic->mac, d);
		if (first == NULL)
			continue;
		/* The first NIC of that domain with the MAC: in d, one before nic. */
		while (!berth_streq(first->nics[j].mac, nic->mac))
			j++;
		rc = berth_parse_fail(c->p, berth_fields_loc(list_item(map, "nics", i), "mac",
							      nic->loc),
				      "%snic %zu: mac '%s' is already used by domain '%s' nic %zu",
				      where, i + 1, nic->mac, first->name, j + 1);
	}
	return rc;
}

static int
check_domain(struct checker *c, size_t i)
{
	const struct berth_domain *d = &c->p->inv->domains[i];
	const struct berth_yaml_node *map = entry_map(c, "domains", i);
	BERTH_AUTOFREE char *where = NULL;
	const struct berth_host *host;
	int rc = 0;

	if (d->name == NULL)
		return 0;
	where = xasprintf("domain '%s': ", d->name);
	host = d->host != NULL && !c->hosts_broken ? berth_name_index_find(&c->hosts, d->host)
		: NULL;
	if (d->host != NULL && !c->hosts_broken && host == NULL)
		rc = berth_parse_fail_undefined(c->p, berth_fields_loc(map, "host", d->loc), where, "host",
				    d->host, c->host_names, c->n_host_names);
	else if (host != NULL && berth_streq(host->role, "storage"))
		rc = berth_parse_fail(c->p, berth_fields_loc(map, "host", d->loc),
				      "%shost '%s' has the role 'storage': it runs no domains; "
				      "place the domain on a hypervisor, or make the host's "
				      "role 'both'", where, d->host);
	else if (host != NULL && host->maintenance)
		rc = berth_parse_fail(c->p, berth_fields_loc(map, "host", d->loc),
				      "%shost '%s' is in maintenance: place the domain on another "
				      "host", where, d->host);
	if (check_uuid(c, d, map, where) < 0)
		rc = -1;
	if (check_disks(c, d, map, where) < 0)
		rc = -1;
	if (check_nics(c, d, map, where) < 0)
		rc = -1;
	if (check_nic_bridges(c, d, host, map, where) < 0)
		rc = -1;
	if (check_candidates(c, d, map, where) < 0)
		rc = -1;
	return rc;
}

/* A host whose role is not given: "both" if it serves storage, else "hypervisor". */
static void
set_roles(struct checker *c)
{
	struct berth_inventory *inv = c->p->inv;
	struct berth_name_index servers;

	berth_name_index_init(&servers, inv->n_storage);
	for (size_t i = 0; i < inv->n_storage; i++) {
		if (inv->storage[i].server != NULL)
			berth_name_index_add(&servers, inv->storage[i].server, &inv->storage[i]);
	}
	for (size_t i = 0; i < inv->n_hosts; i++) {
		struct berth_host *h = &inv->hosts[i];

		if (h->name != NULL && h->role == NULL)
			h->role = xstrdup(berth_name_index_find(&servers, h->name) != NULL
					  ? "both" : "hypervisor");
	}
	berth_name_index_release(&servers);
}

int
berth_check_references(struct berth_parse *p, const struct berth_yaml_node *root)
{
	const struct berth_inventory *inv = p->inv;
	struct checker c = { .p = p, .root = root };
	int rc = 0;

	c.host_names = xcalloc(inv->n_hosts, sizeof(*c.host_names));
	c.storage_names = xcalloc(inv->n_storage, sizeof(*c.storage_names));
	berth_name_index_init(&c.hosts, inv->n_hosts);
	berth_name_index_init(&c.storage, inv->n_storage);
	berth_name_index_init(&c.macs, inv->n_domains);
	berth_name_index_init(&c.uuids, inv->n_domains);
	/* hosts: missing is its own problem; every host named would be another. */
	c.hosts_broken = section_broken(root, "hosts") || section_broken(root, "all") ||
		(berth_yaml_get(root, "hosts") == NULL && berth_yaml_get(root, "all") == NULL);
	c.storage_broken = section_broken(root, "storage");
	/* Entries whose names were refused have none, and are left out. */
	for (size_t i = 0; i < inv->n_hosts; i++) {
		if (inv->hosts[i].name == NULL)
			continue;
		c.host_names[c.n_host_names++] = inv->hosts[i].name;
		berth_name_index_add(&c.hosts, inv->hosts[i].name, &inv->hosts[i]);
	}
	for (size_t i = 0; i < inv->n_storage; i++) {
		if (inv->storage[i].name == NULL)
			continue;
		c.storage_names[c.n_storage_names++] = inv->storage[i].name;
		berth_name_index_add(&c.storage, inv->storage[i].name, &inv->storage[i]);
	}
	berth_name_index_init(&c.groups, inv->n_groups);
	berth_name_index_init(&c.bridges, inv->n_bridges);
	c.host_and_group_names = xcalloc(inv->n_hosts + inv->n_groups + 1,
					 sizeof(*c.host_and_group_names));
	c.bridge_names = xcalloc(inv->n_bridges + 1, sizeof(*c.bridge_names));
	for (size_t i = 0; i < c.n_host_names; i++)
		c.host_and_group_names[c.n_host_and_group_names++] = c.host_names[i];
	for (size_t i = 0; i < inv->n_groups; i++) {
		c.host_and_group_names[c.n_host_and_group_names++] = inv->groups[i].name;
		berth_name_index_add(&c.groups, inv->groups[i].name, &inv->groups[i]);
	}
	for (size_t i = 0; i < inv->n_bridges; i++) {
		if (inv->bridges[i].name == NULL)
			continue;
		c.bridge_names[c.n_bridge_names++] = inv->bridges[i].name;
		berth_name_index_add(&c.bridges, inv->bridges[i].name, &inv->bridges[i]);
	}

	/* Before the checks: bridges on "every hypervisor" need the roles. */
	set_roles(&c);
	for (size_t i = 0; i < inv->n_storage; i++) {
		if (check_storage(&c, i) < 0)
			rc = -1;
	}
	if (check_storage_unique(&c) < 0)
		rc = -1;
	for (size_t i = 0; i < inv->n_bridges; i++) {
		if (check_bridge(&c, i) < 0)
			rc = -1;
	}
	for (size_t i = 0; i < inv->n_domains; i++) {
		if (check_domain(&c, i) < 0)
			rc = -1;
	}

	berth_name_index_release(&c.hosts);
	berth_name_index_release(&c.storage);
	berth_name_index_release(&c.groups);
	berth_name_index_release(&c.bridges);
	free(c.host_and_group_names);
	free(c.bridge_names);
	berth_name_index_release(&c.macs);
	berth_name_index_release(&c.uuids);
	free(c.host_names);
	free(c.storage_names);
	return rc;
}
