/* Inventory, facts, plan: see prepare.h. */
#include <stdio.h>
#include <string.h>

#include "cli/prepare.h"
#include "core/buf.h"
#include "core/log.h"
#include "executors/facts/facts.h"
#include "parser/inventory.h"
#include "parser/pattern.h"
#include "planner/plan.h"
#include "planner/render.h"

struct berth_inventory *
berth_load_inventory(const char *path, struct berth_error **err)
{
	struct berth_problems problems = BERTH_PROBLEMS_INIT;
	struct berth_inventory *inv = berth_inventory_read(path, &problems, err);
	size_t total = berth_problems_total(&problems);

	if (total > 1) {
		size_t shown = problems.n < BERTH_PROBLEMS_SHOWN ? problems.n : BERTH_PROBLEMS_SHOWN;

		for (size_t i = 0; i < shown; i++)
			fprintf(stderr, "berth: %s\n", problems.items[i].text);
		if (err != NULL)
			berth_error_clear(err);
		if (shown < total)
			berth_error_set(err, BERTH_ERROR_INPUT, "inventory '%s' is not valid: %zu "
					"problems, the first %zu shown", path, total, shown);
		else
			berth_error_set(err, BERTH_ERROR_INPUT,
					"inventory '%s' is not valid: %zu problems", path, total);
	}
	berth_problems_release(&problems);
	if (inv != NULL && inv->n_ignored_vars > 0) {
		BERTH_AUTOBUF struct berth_buf names = BERTH_BUF_INIT;

		for (size_t i = 0; i < inv->n_ignored_vars; i++)
			berth_buf_addf(&names, "%s'%s'", i == 0 ? "" : ", ", inv->ignored_vars[i]);
		berth_log_warn("inventory '%s': ignoring the Ansible variable%s berth does not use: %s",
			       path, inv->n_ignored_vars == 1 ? "" : "s", names.buf);
	}
	return inv;
}

struct berth_inventory *
berth_load_inventory_limited(const char *path, const char *limit, enum berth_limit_on on,
			     struct berth_error **err)
{
	BERTH_AUTOPTR(berth_limit) parsed = NULL;
	BERTH_AUTOPTR(berth_inventory) inv = NULL;

	if (limit != NULL) {
		parsed = berth_limit_parse(limit, err);
		if (parsed == NULL)
			return NULL;
	}
	inv = berth_load_inventory(path, err);
	if (inv == NULL || parsed == NULL)
		return berth_steal_pointer(&inv);
	if (on == BERTH_LIMIT_HOSTS ? berth_inventory_limit_hosts(inv, parsed, limit, err) < 0
	    : berth_inventory_limit_domains(inv, parsed, limit, err) < 0)
		return NULL;
	return berth_steal_pointer(&inv);
}

struct berth_facts *
berth_gather_facts(const struct berth_inventory *inv, struct berth_error **err)
{
	struct berth_facts *facts = berth_facts_gather(inv, err);

	if (facts == NULL)
		return NULL;
	for (size_t i = 0; i < facts->n_hosts; i++) {
		const struct berth_host_fact *h = &facts->hosts[i];
		BERTH_AUTOFREE char *prefix = xasprintf("host '%s': ", h->name);
		const char *why = h->error != NULL ? h->error : "unknown error";

		if (h->reachable)
			continue;
		/* The error names the host already; say it once. */
		if (strncmp(why, prefix, strlen(prefix)) == 0)
			why += strlen(prefix);
		berth_log_warn("host '%s' is unreachable: %s", h->name, why);
	}
	return facts;
}

int
berth_prepare(const char *inventory_path, const char *limit, const char *facts_path,
	      struct berth_prepared *p, struct berth_error **err)
{
	memset(p, 0, sizeof(*p));
	p->inv = berth_load_inventory_limited(inventory_path, limit, BERTH_LIMIT_DOMAINS, err);
	if (p->inv == NULL)
		return -1;
	if (facts_path != NULL)
		p->facts = berth_facts_load(facts_path, err);
	else
		p->facts = berth_gather_facts(p->inv, err);
	if (p->facts != NULL)
		p->plan = berth_plan_make(p->inv, p->facts, err);
	if (p->plan == NULL) {
		berth_prepared_release(p);
		return -1;
	}
	return 0;
}

int
berth_prepare_again(struct berth_prepared *p, struct berth_error **err)
{
	berth_plan_free(p->plan);
	p->plan = NULL;
	berth_facts_free(p->facts);
	p->facts = berth_gather_facts(p->inv, err);
	if (p->facts == NULL)
		return -1;
	p->plan = berth_plan_make(p->inv, p->facts, err);
	return p->plan != NULL ? 0 : -1;
}

int
berth_prepared_print(const struct berth_prepared *p, FILE *fp, enum berth_out_mode mode,
		     struct berth_error **err)
{
	BERTH_AUTOPTR(berth_out) out = berth_out_new(fp, mode);

	return berth_plan_print(out, p->plan, p->inv->path, err);
}

void
berth_prepared_release(struct berth_prepared *p)
{
	berth_plan_free(p->plan);
	berth_facts_free(p->facts);
	berth_inventory_free(p->inv);
	memset(p, 0, sizeof(*p));
}
