/*
 * The checks that need the whole inventory: names that refer to other
 * entries, and values that must be unique across entries.
 */
#ifndef BERTH_PARSER_REFERENCES_H
#define BERTH_PARSER_REFERENCES_H

#include "parser/fields.h"
#include "parser/yaml-tree.h"

/*
 * Checks p->inv, read from the document root: every storage server and
 * domain host names a host, every disk a storage entry; no MAC is on two
 * NICs, no UUID on two domains, no target on two disks of a domain.
 * Entries without a name (refused) and values missing (their problem is
 * already added) are skipped.  Returns 0, or -1 after berth_parse_fail() at
 * the node of each problem.
 */
int berth_check_references(struct berth_parse *p, const struct berth_yaml_node *root);

#endif /* BERTH_PARSER_REFERENCES_H */
