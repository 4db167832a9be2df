/* all: and its groups, as Ansible reads them: see groups.h. */
#include "parser/groups.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/name-index.h"
#include "core/util.h"
#include "parser/names.h"

/* A group while all: is walked. */
struct group {
	char *name;
	struct berth_location loc;
	unsigned depth;			/* longest path from all, as Ansible counts */
	const struct berth_yaml_node **vars;	/* its vars: maps, file order */
	size_t n_vars;
	size_t *children;		/* group indexes, each once */
	size_t n_children;
	size_t *hosts;			/* host indexes, each once */
	size_t n_hosts;
	size_t *parents;
	size_t n_parents;
};

/* A host while all: is walked. */
struct host {
	const char *name;
	struct berth_location loc;
	const struct berth_yaml_node **maps;	/* its own settings, file order */
	size_t n_maps;
	size_t *groups;			/* direct groups, each once */
	size_t n_groups;
};

struct walk {
	struct berth_parse *p;
	struct group *groups;
	size_t n_groups;
	struct berth_name_index group_index;	/* name -> index + 1 */
	struct host *hosts;
	size_t n_hosts;
	struct berth_name_index host_index;	/* name -> index + 1 */
};

static const char *const group_keys[] = { "hosts", "vars", "children" };

#define N_GROUP_KEYS (sizeof(group_keys) / sizeof(group_keys[0]))

/* Appends i to the array *v of *n indexes unless it is there. */
static void
add_index(size_t **v, size_t *n, size_t i)
{
	for (size_t j = 0; j < *n; j++) {
		if ((*v)[j] == i)
			return;
	}
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = i;
}

static size_t
find_or_add_group(struct walk *w, const char *name, struct berth_location loc)
{
	const void *found = berth_name_index_find(&w->group_index, name);
	struct group *g;

	if (found != NULL)
		return (size_t)(uintptr_t)found - 1;
	w->groups = xreallocarray(w->groups, w->n_groups + 1, sizeof(*w->groups));
	g = &w->groups[w->n_groups];
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	g->loc = loc;
	berth_name_index_add(&w->group_index, g->name, (const void *)(uintptr_t)(w->n_groups + 1));
	return w->n_groups++;
}

static size_t
find_or_add_host(struct walk *w, const struct berth_yaml_node *key)
{
	const void *found = berth_name_index_find(&w->host_index, key->text);
	struct host *h;

	if (found != NULL)
		return (size_t)(uintptr_t)found - 1;
	w->hosts = xreallocarray(w->hosts, w->n_hosts + 1, sizeof(*w->hosts));
	h = &w->hosts[w->n_hosts];
	memset(h, 0, sizeof(*h));
	h->name = key->text;
	h->loc = key->loc;
	berth_name_index_add(&w->host_index, h->name, (const void *)(uintptr_t)(w->n_hosts + 1));
	return w->n_hosts++;
}

/*
 * Checks that key names an entry (a host or a group): a valid name.
 * Returns 0, or -1 after berth_parse_fail().
 */
static int
check_name(struct berth_parse *p, const struct berth_yaml_node *key, const char *what)
{
	BERTH_AUTOFREE char *got = berth_yaml_describe(key);

	if (key->kind != BERTH_YAML_SCALAR)
		return berth_parse_fail(p, key->loc, "%s name must be a string, got %s", what, got);
	if (!berth_name_is_valid(BERTH_NAME_ENTRY, key->text))
		return berth_parse_fail(p, key->loc, "%s name %s is not valid: it must %s", what,
					got, berth_name_rule(BERTH_NAME_ENTRY));
	return 0;
}


/*
 * Checks that key is not given twice in one mapping (seen holds the keys so
 * far).  YAML lets the later one win silently, Ansible warns; berth refuses.
 */
static int
check_once(struct berth_parse *p, struct berth_name_index *seen,
	   const struct berth_yaml_node *key, const char *what)
{
	const struct berth_yaml_node *first = berth_name_index_add(seen, key->text, key);

	if (first == NULL)
		return 0;
	return berth_parse_fail(p, key->loc, "duplicate %s '%s' (first at %u:%u)", what,
				key->text, first->loc.line, first->loc.column);
}

/*
 * True if key may name an entry of a hosts: or children: mapping: not a
 * merge key (the YAML tree refused it), a valid name, not given before in
 * the mapping (seen).  Else false, after the problem is added.
 */
static bool
entry_key_ok(struct walk *w, struct berth_name_index *seen, const struct berth_yaml_node *key,
	     const char *what)
{
	return !berth_yaml_is_merge_key(key) && check_name(w->p, key, what) == 0 &&
		check_once(w->p, seen, key, what) == 0;
}

static int walk_group(struct walk *w, size_t g, const struct berth_yaml_node *node);

/* hosts: of group g. */
static int
walk_hosts(struct walk *w, size_t g, const struct berth_yaml_node *value)
{
	BERTH_AUTOFREE char *subject = xasprintf("group '%s': 'hosts'", w->groups[g].name);
	const struct berth_yaml_node *map;
	int rc = berth_expect_mapping(w->p, value, "", subject, &map);
	struct berth_name_index seen;

	berth_name_index_init(&seen, map != NULL ? berth_yaml_n_pairs(map) : 0);
	for (size_t i = 0; map != NULL && i < berth_yaml_n_pairs(map); i++) {
		const struct berth_yaml_node *key = map->items[2 * i];
		const struct berth_yaml_node *settings;
		BERTH_AUTOFREE char *host_subject = NULL;
		size_t h;

		if (!entry_key_ok(w, &seen, key, "host")) {
			rc = -1;
			continue;
		}
		h = find_or_add_host(w, key);
		add_index(&w->groups[g].hosts, &w->groups[g].n_hosts, h);
		add_index(&w->hosts[h].groups, &w->hosts[h].n_groups, g);
		host_subject = xasprintf("host '%s'", key->text);
		if (berth_expect_mapping(w->p, map->items[2 * i + 1], "", host_subject, &settings) < 0)
			rc = -1;
		else if (settings != NULL) {
			struct host *hp = &w->hosts[h];

			hp->maps = xreallocarray(hp->maps, hp->n_maps + 1, sizeof(*hp->maps));
			hp->maps[hp->n_maps++] = settings;
		}
	}
	berth_name_index_release(&seen);
	return rc;
}

/* children: of group g. */
static int
walk_children(struct walk *w, size_t g, const struct berth_yaml_node *value)
{
	BERTH_AUTOFREE char *subject = xasprintf("group '%s': 'children'", w->groups[g].name);
	const struct berth_yaml_node *map;
	int rc = berth_expect_mapping(w->p, value, "", subject, &map);
	struct berth_name_index seen;

	berth_name_index_init(&seen, map != NULL ? berth_yaml_n_pairs(map) : 0);
	for (size_t i = 0; map != NULL && i < berth_yaml_n_pairs(map); i++) {
		const struct berth_yaml_node *key = map->items[2 * i];
		size_t child;

		if (!entry_key_ok(w, &seen, key, "group")) {
			rc = -1;
			continue;
		}
		if (strcmp(key->text, "all") == 0) {
			rc = berth_parse_fail(w->p, key->loc, "group 'all' holds every host; it "
					      "cannot be the child of another group");
			continue;
		}
		child = find_or_add_group(w, key->text, key->loc);
		if (child == g) {
			rc = berth_parse_fail(w->p, key->loc, "group '%s' cannot be a child of "
					      "itself", key->text);
			continue;
		}
		add_index(&w->groups[g].children, &w->groups[g].n_children, child);
		add_index(&w->groups[child].parents, &w->groups[child].n_parents, g);
		if (walk_group(w, child, map->items[2 * i + 1]) < 0)
			rc = -1;
	}
	berth_name_index_release(&seen);
	return rc;
}

/* The settings of group g: hosts:, vars:, children:. */
static int
walk_group(struct walk *w, size_t g, const struct berth_yaml_node *node)
{
	BERTH_AUTOFREE char *subject = xasprintf("group '%s'", w->groups[g].name);
	const struct berth_yaml_node *map;
	int rc = berth_expect_mapping(w->p, node, "", subject, &map);
	struct berth_name_index seen;

	berth_name_index_init(&seen, N_GROUP_KEYS);
	for (size_t i = 0; map != NULL && i < berth_yaml_n_pairs(map); i++) {
		const struct berth_yaml_node *key = map->items[2 * i];
		const struct berth_yaml_node *value = map->items[2 * i + 1];
		const struct berth_yaml_node *vars;
		const char *closest;

		if (berth_yaml_is_merge_key(key)) {
			rc = -1;
			continue;
		}
		if (key->kind == BERTH_YAML_SCALAR && check_once(w->p, &seen, key, "key") < 0) {
			rc = -1;
			continue;
		}
		if (key->kind == BERTH_YAML_SCALAR && strcmp(key->text, "hosts") == 0) {
			if (walk_hosts(w, g, value) < 0)
				rc = -1;
		} else if (key->kind == BERTH_YAML_SCALAR && strcmp(key->text, "children") == 0) {
			if (walk_children(w, g, value) < 0)
				rc = -1;
		} else if (key->kind == BERTH_YAML_SCALAR && strcmp(key->text, "vars") == 0) {
			BERTH_AUTOFREE char *vars_subject = xasprintf("%s: 'vars'", subject);
			struct group *gp;

			if (berth_expect_mapping(w->p, value, "", vars_subject, &vars) < 0) {
				rc = -1;
				continue;
			}
			gp = &w->groups[g];
			if (vars != NULL) {
				gp->vars = xreallocarray(gp->vars, gp->n_vars + 1, sizeof(*gp->vars));
				gp->vars[gp->n_vars++] = vars;
			}
		} else {
			BERTH_AUTOFREE char *got = berth_yaml_describe(key);

			closest = key->kind == BERTH_YAML_SCALAR
				? berth_suggest(key->text, group_keys, N_GROUP_KEYS) : NULL;
			rc = berth_parse_fail(w->p, key->loc, "%s: unknown key %s: a group has "
					      "'hosts', 'vars' and 'children'%s%s%s", subject, got,
					      closest != NULL ? " (did you mean '" : "",
					      closest != NULL ? closest : "",
					      closest != NULL ? "'?)" : "");
		}
	}
	berth_name_index_release(&seen);
	return rc;
}

/*
 * Orders the groups so that each comes after its parents (Kahn's algorithm)
 * and sets each one's depth: one more than its deepest parent, as Ansible
 * does.  A group left out is in a cycle: each such one is a problem.
 */
static int
set_depths(struct walk *w)
{
	BERTH_AUTOFREE size_t *waiting = xcalloc(w->n_groups, sizeof(*waiting));
	BERTH_AUTOFREE size_t *queue = xcalloc(w->n_groups, sizeof(*queue));
	size_t head = 0, tail = 0;
	int rc = 0;

	for (size_t g = 0; g < w->n_groups; g++) {
		waiting[g] = w->groups[g].n_parents;
		if (waiting[g] == 0)
			queue[tail++] = g;
	}
	while (head < tail) {
		const struct group *g = &w->groups[queue[head++]];

		for (size_t i = 0; i < g->n_children; i++) {
			struct group *c = &w->groups[g->children[i]];

			if (c->depth < g->depth + 1)
				c->depth = g->depth + 1;
			if (--waiting[g->children[i]] == 0)
				queue[tail++] = g->children[i];
		}
	}
	for (size_t g = 0; g < w->n_groups; g++) {
		if (waiting[g] > 0)
			rc = berth_parse_fail(w->p, w->groups[g].loc, "group '%s' is its own "
					      "descendant: its children lead back to it",
					      w->groups[g].name);
	}
	return rc;
}

/* qsort order of a host's groups: by depth, then name (Ansible's). */
static const struct walk *sort_walk;

static int
compare_groups(const void *a, const void *b)
{
	const struct group *x = &sort_walk->groups[*(const size_t *)a];
	const struct group *y = &sort_walk->groups[*(const size_t *)b];

	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Every group host h is in, directly or through children, into *out. */
static size_t
host_groups(const struct walk *w, const struct host *h, size_t *out, bool *seen)
{
	size_t n = 0;

	memset(seen, 0, w->n_groups * sizeof(*seen));
	for (size_t i = 0; i < h->n_groups; i++) {
		if (!seen[h->groups[i]]) {
			seen[h->groups[i]] = true;
			out[n++] = h->groups[i];
		}
	}
	/* out grows as it is read: each group's parents are added once. */
	for (size_t i = 0; i < n; i++) {
		const struct group *g = &w->groups[out[i]];

		for (size_t j = 0; j < g->n_parents; j++) {
			if (!seen[g->parents[j]]) {
				seen[g->parents[j]] = true;
				out[n++] = g->parents[j];
			}
		}
	}
	return n;
}

static const char *
add_where(struct berth_ansible *out, char *where)
{
	out->wheres = xreallocarray(out->wheres, out->n_wheres + 1, sizeof(*out->wheres));
	out->wheres[out->n_wheres++] = where;
	return where;
}

static void
add_layer(struct berth_ansible_host *ah, const struct berth_yaml_node *map, const char *where)
{
	ah->layers = xreallocarray(ah->layers, ah->n_layers + 1, sizeof(*ah->layers));
	ah->layers[ah->n_layers++] = (struct berth_vars_layer){ .map = map, .where = where };
}

/* Each host's layers of variables, lowest precedence first. */
static void
resolve_hosts(struct walk *w, struct berth_ansible *out)
{
	BERTH_AUTOFREE size_t *groups = xcalloc(w->n_groups, sizeof(*groups));
	BERTH_AUTOFREE bool *seen = xcalloc(w->n_groups, sizeof(*seen));
	BERTH_AUTOFREE const char **group_where = xcalloc(w->n_groups, sizeof(*group_where));

	for (size_t g = 0; g < w->n_groups; g++)
		group_where[g] = add_where(out, xasprintf("group '%s': vars: ", w->groups[g].name));
	out->hosts = xcalloc(w->n_hosts, sizeof(*out->hosts));
	out->n_hosts = w->n_hosts;
	for (size_t i = 0; i < w->n_hosts; i++) {
		const struct host *h = &w->hosts[i];
		struct berth_ansible_host *ah = &out->hosts[i];
		size_t n = host_groups(w, h, groups, seen);
		const char *where = add_where(out, xasprintf("host '%s': ", h->name));

		ah->name = h->name;
		ah->loc = h->loc;
		sort_walk = w;
		qsort(groups, n, sizeof(*groups), compare_groups);
		for (size_t j = 0; j < n; j++) {
			const struct group *g = &w->groups[groups[j]];

			for (size_t k = 0; k < g->n_vars; k++)
				add_layer(ah, g->vars[k], group_where[groups[j]]);
		}
		for (size_t k = 0; k < h->n_maps; k++)
			add_layer(ah, h->maps[k], where);
		for (size_t j = 0; j < h->n_groups; j++) {
			if (h->groups[j] != 0)
				berth_strv_add_unique(&ah->groups, &ah->n_groups,
						      w->groups[h->groups[j]].name);
		}
	}
}

/*
 * Copies the groups into the inventory, by name: all, then ungrouped (as
 * ansible-inventory lists them), then the others in file order.
 */
static void
store_groups(const struct walk *w, struct berth_inventory *inv)
{
	const void *found = berth_name_index_find(&w->group_index, "ungrouped");
	size_t ungrouped = found != NULL ? (size_t)(uintptr_t)found - 1 : 0;
	size_t n = 0;

	inv->groups = xcalloc(w->n_groups, sizeof(*inv->groups));
	inv->n_groups = w->n_groups;
	for (size_t k = 0; k < w->n_groups; k++) {
		size_t g = k == 0 ? 0 : k == 1 && ungrouped != 0 ? ungrouped
			: k <= ungrouped ? k - 1 : k;
		const struct group *from = &w->groups[g];
		struct berth_group *to = &inv->groups[n++];

		to->name = xstrdup(from->name);
		to->loc = from->loc;
		for (size_t i = 0; i < from->n_hosts; i++)
			berth_strv_add_unique(&to->hosts, &to->n_hosts,
					      w->hosts[from->hosts[i]].name);
		for (size_t i = 0; i < from->n_children; i++)
			berth_strv_add_unique(&to->children, &to->n_children,
					      w->groups[from->children[i]].name);
	}
}

/*
 * Ansible's "ungrouped": a child of all holding the hosts that are in no
 * group but all.  Added only when there is such a host, as ansible-inventory
 * lists it.
 */
static void
add_ungrouped(struct walk *w, struct berth_location loc)
{
	size_t u = SIZE_MAX;

	for (size_t i = 0; i < w->n_hosts; i++) {
		struct host *h = &w->hosts[i];

		if (h->n_groups != 1 || h->groups[0] != 0)
			continue;
		if (u == SIZE_MAX) {
			struct group *all;

			u = find_or_add_group(w, "ungrouped", loc);
			all = &w->groups[0];
			add_index(&all->children, &all->n_children, u);
			/* all's first child, as ansible-inventory lists it. */
			memmove(&all->children[1], &all->children[0],
				(all->n_children - 1) * sizeof(*all->children));
			all->children[0] = u;
			add_index(&w->groups[u].parents, &w->groups[u].n_parents, 0);
		}
		add_index(&w->groups[u].hosts, &w->groups[u].n_hosts, i);
		add_index(&h->groups, &h->n_groups, u);
	}
}

int
berth_ansible_read(struct berth_parse *p, const struct berth_yaml_node *all,
		   struct berth_ansible *out)
{
	struct walk w = { .p = p };
	int rc;

	memset(out, 0, sizeof(*out));
	berth_name_index_init(&w.group_index, 16);
	berth_name_index_init(&w.host_index, 16);
	find_or_add_group(&w, "all", all->loc);
	rc = walk_group(&w, 0, all);
	add_ungrouped(&w, all->loc);
	/* Even with a cycle each host still gets its groups' variables. */
	if (set_depths(&w) < 0)
		rc = -1;
	resolve_hosts(&w, out);
	store_groups(&w, p->inv);

	for (size_t g = 0; g < w.n_groups; g++) {
		free(w.groups[g].name);
		free(w.groups[g].vars);
		free(w.groups[g].children);
		free(w.groups[g].hosts);
		free(w.groups[g].parents);
	}
	free(w.groups);
	for (size_t h = 0; h < w.n_hosts; h++) {
		free(w.hosts[h].maps);
		free(w.hosts[h].groups);
	}
	free(w.hosts);
	berth_name_index_release(&w.group_index);
	berth_name_index_release(&w.host_index);
	return rc;
}

void
berth_ansible_release(struct berth_ansible *a)
{
	for (size_t i = 0; i < a->n_hosts; i++) {
		free(a->hosts[i].layers);
		berth_strv_free(a->hosts[i].groups, a->hosts[i].n_groups);
	}
	free(a->hosts);
	berth_strv_free(a->wheres, a->n_wheres);
	memset(a, 0, sizeof(*a));
}
