/*
 * --limit PATTERN: Ansible's host patterns, over an inventory's hosts,
 * groups and domains.
 *
 * A pattern is terms split by ':' or ',': NAME (a host, a group: its hosts
 * and its children's, or a domain), a glob with '*' and '?' (fnmatch(3)
 * over the same names), '~REGEX' (a PCRE2 search in the names), 'all'.  A
 * term with '&' in front intersects, one with '!' excludes; as in Ansible,
 * the plain terms are joined first, then the '&' terms intersect, then the
 * '!' terms are taken away, whatever their order in the pattern.
 *
 * A term selects domains by their own names and by the hosts they are
 * placed on (so 'h1' selects every domain the inventory puts on h1), and
 * hosts by their names and groups, and by the domains placed on them.
 */
#ifndef BERTH_PARSER_PATTERN_H
#define BERTH_PARSER_PATTERN_H

#include <stdbool.h>

#include "core/error.h"
#include "core/inventory.h"
#include "core/mem.h"

struct berth_limit;

/*
 * Parses pattern.  Returns a new limit the caller frees with
 * berth_limit_free(), or NULL with a BERTH_ERROR_USAGE error for an empty
 * term, a term with control characters, or a regex PCRE2 refuses (its
 * message and offset).
 */
struct berth_limit *berth_limit_parse(const char *pattern, struct berth_error **err);

void berth_limit_free(struct berth_limit *limit);

BERTH_DEFINE_AUTOPTR(berth_limit, berth_limit_free)

/* True if limit selects domain d of inv. */
bool berth_limit_domain(const struct berth_limit *limit, const struct berth_inventory *inv,
			const struct berth_domain *d);

/* True if limit selects host h of inv. */
bool berth_limit_host(const struct berth_limit *limit, const struct berth_inventory *inv,
		      const struct berth_host *h);

/*
 * Keeps in inv only the domains limit selects (domains: what plan and
 * apply work on) or only the hosts (hosts: what facts gathers), freeing
 * the others.  Returns 0, or -1 with a BERTH_ERROR_USAGE error, inv
 * unchanged, if the pattern selects none.
 */
int berth_inventory_limit_domains(struct berth_inventory *inv, const struct berth_limit *limit,
				  const char *pattern, struct berth_error **err);
int berth_inventory_limit_hosts(struct berth_inventory *inv, const struct berth_limit *limit,
				const char *pattern, struct berth_error **err);

#endif /* BERTH_PARSER_PATTERN_H */
