/* The migration policy: see policy.h. */
#include "parser/policy.h"
#include "parser/inventory.h"

#include <stdlib.h>
#include <string.h>

static const char *const modes[] = { "live", "cold", "auto", NULL };
static const char *const transports[] = { "p2p", "direct", "tcp", "tunnelled", "tls", NULL };
static const char *const timeout_actions[] = { "abort", "suspend", "postcopy", NULL };

#define N_FIELDS(table) (sizeof(table) / sizeof((table)[0]))

/* The policy's rows, for a policy at offset base of the struct read into. */
#define POLICY(member) offsetof(struct berth_migration_policy, member)
#define POLICY_ROWS(base)								\
	{ "mode", NULL, BERTH_FIELD_CHOICE, .offset = (base) + POLICY(mode),		\
	  .choices = modes },								\
	{ "transport", NULL, BERTH_FIELD_CHOICE, .offset = (base) + POLICY(transport),	\
	  .choices = transports },							\
	{ "max_downtime_ms", NULL, BERTH_FIELD_UNSIGNED,				\
	  .offset = (base) + POLICY(max_downtime_ms), .min = 1, .max = 600000 },	\
	{ "bandwidth_mib_s", NULL, BERTH_FIELD_UNSIGNED,				\
	  .offset = (base) + POLICY(bandwidth_mib_s), .min = 1, .max = 1000000 },	\
	{ "parallel_connections", NULL, BERTH_FIELD_UNSIGNED,				\
	  .offset = (base) + POLICY(parallel_connections), .min = 1, .max = 64 },	\
	{ "timeout_s", NULL, BERTH_FIELD_DURATION, .offset = (base) + POLICY(timeout_s),	\
	  .min = 1, .max = 86400 },							\
	{ "on_timeout", NULL, BERTH_FIELD_CHOICE, .offset = (base) + POLICY(on_timeout),	\
	  .choices = timeout_actions },							\
	{ "progress_timeout_s", NULL, BERTH_FIELD_DURATION,				\
	  .offset = (base) + POLICY(progress_timeout_s), .min = 1, .max = 86400 },	\
	{ "shutdown_timeout_s", NULL, BERTH_FIELD_DURATION,				\
	  .offset = (base) + POLICY(shutdown_timeout_s), .min = 1, .max = 3600 },	\
	{ "postcopy", NULL, BERTH_FIELD_TRISTATE, .offset = (base) + POLICY(postcopy) },	\
	{ "auto_converge", NULL, BERTH_FIELD_TRISTATE,					\
	  .offset = (base) + POLICY(auto_converge) },					\
	{ "compressed", NULL, BERTH_FIELD_TRISTATE, .offset = (base) + POLICY(compressed) }, \
	{ "force_off", NULL, BERTH_FIELD_TRISTATE, .offset = (base) + POLICY(force_off) }

static const struct berth_field policy_fields[] = { POLICY_ROWS(0) };

#define LIMIT(member) .offset = offsetof(struct berth_inventory, limits.member)

static const struct berth_field top_fields[] = {
	POLICY_ROWS(offsetof(struct berth_inventory, migration)),
	{ "max_parallel_migrations", NULL, BERTH_FIELD_UNSIGNED, LIMIT(max_parallel_migrations),
	  .min = 1, .max = 64 },
	{ "max_outbound_per_host", NULL, BERTH_FIELD_UNSIGNED, LIMIT(max_outbound_per_host),
	  .min = 1, .max = 64 },
	{ "max_inbound_per_host", NULL, BERTH_FIELD_UNSIGNED, LIMIT(max_inbound_per_host),
	  .min = 1, .max = 64 },
};

void
berth_policy_init(struct berth_migration_policy *policy)
{
	memset(policy, 0, sizeof(*policy));
}

static void
overlay_string(char **dst, const char *src)
{
	if (src == NULL)
		return;
	free(*dst);
	*dst = xstrdup(src);
}

void
berth_policy_overlay(struct berth_migration_policy *dst,
		     const struct berth_migration_policy *src)
{
	overlay_string(&dst->mode, src->mode);
	overlay_string(&dst->transport, src->transport);
	overlay_string(&dst->on_timeout, src->on_timeout);
	dst->max_downtime_ms = src->max_downtime_ms ? src->max_downtime_ms : dst->max_downtime_ms;
	dst->bandwidth_mib_s = src->bandwidth_mib_s ? src->bandwidth_mib_s : dst->bandwidth_mib_s;
	dst->parallel_connections = src->parallel_connections ? src->parallel_connections
		: dst->parallel_connections;
	dst->timeout_s = src->timeout_s ? src->timeout_s : dst->timeout_s;
	dst->progress_timeout_s = src->progress_timeout_s ? src->progress_timeout_s
		: dst->progress_timeout_s;
	dst->shutdown_timeout_s = src->shutdown_timeout_s ? src->shutdown_timeout_s
		: dst->shutdown_timeout_s;
	dst->postcopy = src->postcopy != BERTH_UNSET ? src->postcopy : dst->postcopy;
	dst->auto_converge = src->auto_converge != BERTH_UNSET ? src->auto_converge
		: dst->auto_converge;
	dst->compressed = src->compressed != BERTH_UNSET ? src->compressed : dst->compressed;
	dst->force_off = src->force_off != BERTH_UNSET ? src->force_off : dst->force_off;
}


int
berth_read_policy(struct berth_parse *p, const struct berth_yaml_node *value,
		  const char *where, struct berth_migration_policy *policy)
{
	const struct berth_yaml_node *map;
	BERTH_AUTOFREE char *inner = xasprintf("%smigration: ", where);

	if (berth_expect_mapping(p, value, where, "'migration'", &map) < 0)
		return -1;
	if (map == NULL)
		return 0;
	return berth_fields_parse(p, map, inner, policy_fields, N_FIELDS(policy_fields), policy,
				  false);
}

int
berth_read_top_migration(struct berth_parse *p, const struct berth_yaml_node *value)
{
	const struct berth_yaml_node *map;

	if (berth_expect_mapping(p, value, "", "'migration'", &map) < 0)
		return -1;
	if (map == NULL)
		return 0;
	return berth_fields_parse(p, map, "migration: ", top_fields, N_FIELDS(top_fields), p->inv,
				  false);
}

void
berth_policy_each_key(berth_inventory_key_fn *fn, void *arg)
{
	for (size_t i = 0; i < N_FIELDS(top_fields); i++)
		fn("migration", top_fields[i].key, arg);
}
