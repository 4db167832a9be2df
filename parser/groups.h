/*
 * all:, the hosts part of an Ansible YAML inventory: groups with hosts, vars
 * and children, read into the inventory's groups, and for each host the
 * maps of variables that apply to it in Ansible's order of precedence.
 *
 * Inside parser/ only; inventory.c reads each host's settings from the maps
 * this finds (docs/inventory.md, "all:").
 */
#ifndef BERTH_PARSER_GROUPS_H
#define BERTH_PARSER_GROUPS_H

#include <stddef.h>

#include "parser/fields.h"
#include "parser/yaml-tree.h"

/* One mapping of variables, and where its messages say it is. */
struct berth_vars_layer {
	const struct berth_yaml_node *map;	/* borrowed from the YAML tree */
	const char *where;			/* "group 'kvm': vars: ", "host 'h1': " */
};

/* A host found under all:, with every map of variables that applies to it. */
struct berth_ansible_host {
	const char *name;		/* borrowed from the YAML tree */
	struct berth_location loc;	/* where it first appears */
	/* Lowest precedence first: all's vars, then each group's by depth and
	 * name (Ansible's order), then the host's own maps in file order. */
	struct berth_vars_layer *layers;
	size_t n_layers;
	char **groups;			/* the groups it is directly in, not "all" */
	size_t n_groups;
};

struct berth_ansible {
	struct berth_ansible_host *hosts;	/* in the order they first appear */
	size_t n_hosts;
	char **wheres;				/* the layers' where strings, owned */
	size_t n_wheres;
};

/*
 * Reads the value of all: into out and p->inv's groups ("all" first, then
 * "ungrouped" when hosts are only in all, then the others in file order).
 * Returns 0, or -1 after berth_parse_fail() for each problem: keys other
 * than hosts, vars and children; names that are not valid; a group that is
 * its own descendant.  out is filled either way; free it with
 * berth_ansible_release().
 */
int berth_ansible_read(struct berth_parse *p, const struct berth_yaml_node *all,
		       struct berth_ansible *out);

void berth_ansible_release(struct berth_ansible *a);

#endif /* BERTH_PARSER_GROUPS_H */
