/*
 * The parts of a domain beyond placement and the compact spec's basics:
 * cpu:, boot:, serial:, xml: FILE (a full domain XML, checked with libxml2
 * when the inventory is read) and edits: (XPath set and delete, compiled
 * with libxml2).  Inside parser/ only; the table rows are in inventory.c.
 */
#ifndef BERTH_PARSER_DOMAIN_SPEC_H
#define BERTH_PARSER_DOMAIN_SPEC_H

#include "parser/fields.h"

int berth_read_domain_cpu(struct berth_parse *p, const struct berth_yaml_node *value,
			  const char *name, const char *where, void *obj);
int berth_read_domain_xml(struct berth_parse *p, const struct berth_yaml_node *value,
			  const char *name, const char *where, void *obj);
int berth_read_domain_edits(struct berth_parse *p, const struct berth_yaml_node *value,
			    const char *name, const char *where, void *obj);

/*
 * The checks across a domain's keys once all are read: boot against
 * kernel, xml: against the compact spec's keys (map gives them; NULL:
 * none).  Returns 0, or -1 after berth_parse_fail() for each problem.
 */
int berth_check_domain_spec(struct berth_parse *p, const struct berth_yaml_node *map,
			    const struct berth_domain *d, const char *where);

#endif /* BERTH_PARSER_DOMAIN_SPEC_H */
