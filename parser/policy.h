/*
 * migration:, the migration policy: at the top (with the cluster limits),
 * in a domain group, in a domain, each level over the one before.
 *
 * Inside parser/ only; docs/inventory.md ("migration:") has the keys.
 */
#ifndef BERTH_PARSER_POLICY_H
#define BERTH_PARSER_POLICY_H

#include "parser/fields.h"
#include "parser/inventory.h"

/* A policy with nothing set: NULL strings, 0 numbers, BERTH_UNSET booleans. */
void berth_policy_init(struct berth_migration_policy *policy);

/* Copies over dst what src sets (strings duplicated). */
void berth_policy_overlay(struct berth_migration_policy *dst,
			  const struct berth_migration_policy *src);

/*
 * Reads value (a mapping, or nothing) into policy over what it holds;
 * messages start with where.  Returns 0, or -1 after berth_parse_fail().
 */
int berth_read_policy(struct berth_parse *p, const struct berth_yaml_node *value,
		      const char *where, struct berth_migration_policy *policy);

/* Reads the top-level migration: into p->inv's migration and limits. */
int berth_read_top_migration(struct berth_parse *p, const struct berth_yaml_node *value);

/* Calls fn for each key of migration: (the policy's and the limits). */
void berth_policy_each_key(berth_inventory_key_fn *fn, void *arg);

#endif /* BERTH_PARSER_POLICY_H */
