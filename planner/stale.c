/* A saved plan checked against the hosts as they are now: see stale.h. */
#include <stdarg.h>
#include <string.h>

#include "core/buf.h"
#include "core/name-index.h"
#include "core/uri.h"
#include "core/util.h"
#include "planner/domain-xml.h"
#include "planner/planner.h"
#include "planner/stale.h"

struct stale {
	const struct berth_plan *plan;
	struct berth_planner *pl;		/* the fresh facts, analysed */
	struct berth_name_index placements;	/* domain -> its fresh placement */
	struct berth_name_index leaves;		/* "domain\nplacement" a step leaves -> step */
	char **keys;				/* the names leaves borrows */
	size_t n_keys;
	struct berth_buf why;			/* "step 1 expected ...; step 2 ..." */
	unsigned n_stale;
};

static void differs(struct stale *st, const struct berth_step *s, const char *fmt, ...)
	BERTH_PRINTF(3, 4);

static void
differs(struct stale *st, const struct berth_step *s, const char *fmt, ...)
{
	va_list ap;

	berth_buf_addf(&st->why, "%sstep %u ", st->n_stale > 0 ? "; " : "", s->id);
	va_start(ap, fmt);
	berth_buf_vaddf(&st->why, fmt, ap);
	va_end(ap);
	st->n_stale++;
}

/* "web1\nrunning on h2": a domain and a placement, as one index key. */
static char *
leaves_key(const char *domain, const char *placement)
{
	return xasprintf("%s\n%s", domain != NULL ? domain : "", placement != NULL ? placement : "");
}

/* The identity of every host the step touches. */
static void
check_hosts(struct stale *st, const struct berth_step *s)
{
	for (size_t i = 0; i < s->expect.n_hosts; i++) {
		const struct berth_step_host_id *id = &s->expect.hosts[i];
		const struct berth_host_fact *h = berth_planner_host_fact(st->pl, id->host);

		if (h == NULL || !h->reachable) {
			differs(st, s, "needs host '%s', which is unreachable now", id->host);
			continue;
		}
		if (id->uuid != NULL && !berth_streq(id->uuid, h->host_uuid)) {
			differs(st, s, "expected host '%s' with UUID %s, it now has UUID %s",
				id->host, id->uuid, h->host_uuid != NULL ? h->host_uuid : "(none)");
		}
	}
}

/*
 * The domain's placement and definition.  Returns true if the step has run
 * already (its domain is where the step leaves it).
 */
static bool
check_domain(struct stale *st, const struct berth_step *s)
{
	const struct berth_placement *p = berth_name_index_find(&st->placements, s->domain);
	BERTH_AUTOFREE char *now = NULL;
	BERTH_AUTOFREE char *key = NULL;
	BERTH_AUTOFREE char *digest = NULL;

	if (p == NULL) {
		differs(st, s, "acts on domain '%s', which the inventory no longer has", s->domain);
		return false;
	}
	now = berth_placement_text(p);
	if (s->expect.placement == NULL || berth_streq(now, s->expect.placement)) {
		if (s->expect.definition == NULL)
			return false;
		digest = berth_definition_digest(p->have);
		if (!berth_streq(digest, s->expect.definition) && p->have != NULL &&
		    !berth_domain_matches(st->pl->inv, p->want, p->have, NULL))
			differs(st, s, "expected the definition of %s on %s as it was planned, it has changed since",
				s->domain, p->have != NULL ? p->src->name : s->host);
		return false;
	}
	key = leaves_key(s->domain, now);
	if (berth_name_index_find(&st->leaves, key) != NULL)
		return s->expect.leaves != NULL && berth_streq(now, s->expect.leaves);
	differs(st, s, "expected %s %s, it is now %s", s->domain, s->expect.placement, now);
	return false;
}

/*
 * A migration goes where the inventory says, by the URI berth makes from
 * it: a plan file edited to carry another URI (qemu+ext:///...?command=
 * would run a program as root on the source host) is refused.
 */
static void
check_uri(struct stale *st, const struct berth_step *s)
{
	const struct berth_host *dest;
	BERTH_AUTOFREE char *want = NULL;
	BERTH_AUTOFREE char *shown = NULL;

	if (!berth_step_kind_has(s->kind, BERTH_STEP_FIELD_URI))
		return;
	dest = s->dest != NULL ? berth_inventory_host(st->pl->inv, s->dest) : NULL;
	if (dest == NULL) {
		differs(st, s, "migrates to host '%s', which the inventory does not name",
			s->dest != NULL ? s->dest : "");
		return;
	}
	want = berth_host_peer_uri(dest);
	if (berth_streq(want, s->uri))
		return;
	shown = berth_uri_redacted(s->uri != NULL ? s->uri : "");
	differs(st, s, "migrates to '%s', not to the inventory's '%s'", shown, want);
}

/*
 * A lease step: the lease names the holder the plan saw, or the step's
 * dest already (it has run).  An unobserved lease (its share's server
 * unreachable) is check_hosts()'s to report.
 */
static void
check_lease(struct stale *st, const struct berth_step *s)
{
	const struct berth_placement *p;
	const char *before;

	if (!berth_step_kind_has(s->kind, BERTH_STEP_FIELD_PREVIOUS))
		return;
	p = s->domain != NULL ? berth_name_index_find(&st->placements, s->domain) : NULL;
	before = s->previous != NULL && s->previous[0] != '\0' ? s->previous : NULL;
	for (size_t i = 0; p != NULL && i < p->n_leases; i++) {
		const char *now = p->leases[i].holder;

		if (!berth_streq(p->leases[i].path, s->path) || berth_streq(now, before) ||
		    berth_streq(now, s->dest))
			continue;
		differs(st, s, "expected the lease %s to name %s, it now names %s", s->path,
			before != NULL ? before : "no host", now != NULL ? now : "no host");
	}
}

/* The free memory the step needs on its target. */
static void
check_memory(struct stale *st, const struct berth_step *s)
{
	const char *target = berth_step_target(s);
	const struct berth_host_fact *h = berth_planner_host_fact(st->pl, target);
	char need[32], have[32];

	if (s->expect.memory_kib == 0 || h == NULL || !h->reachable)
		return;
	if (h->memory_free_kib >= s->expect.memory_kib)
		return;
	differs(st, s, "needs %s of free memory on %s, it now has %s",
		berth_kib_text(need, sizeof(need), s->expect.memory_kib), target,
		berth_kib_text(have, sizeof(have), h->memory_free_kib));
}

int
berth_plan_check_stale(const struct berth_inventory *inv, const struct berth_plan *plan,
		       const struct berth_facts *facts, struct berth_error **err)
{
	struct stale st = { .plan = plan, .why = BERTH_BUF_INIT };
	int rc = 0;

	if (!berth_streq(plan->inventory_sha256, inv->sha256)) {
		berth_error_set(err, BERTH_ERROR_HOST,
				"plan is stale: the inventory '%s' has changed since the plan was made (SHA-256 %s then, %s now); run 'berth plan' again",
				inv->path, plan->inventory_sha256[0] != '\0' ? plan->inventory_sha256 : "(none)",
				inv->sha256);
		return -1;
	}
	st.pl = berth_planner_new(inv, facts);
	berth_name_index_init(&st.placements, st.pl->n_placements);
	for (size_t i = 0; i < st.pl->n_placements; i++)
		berth_name_index_add(&st.placements, st.pl->placements[i].want->name,
				     &st.pl->placements[i]);
	berth_name_index_init(&st.leaves, plan->n_steps);
	for (size_t i = 0; i < plan->n_steps; i++) {
		const struct berth_step *s = &plan->steps[i];

		if (s->domain != NULL && s->expect.leaves != NULL) {
			char *key = leaves_key(s->domain, s->expect.leaves);

			if (berth_name_index_add(&st.leaves, key, s) != NULL) {
				free(key);	/* the index keeps the first key */
				continue;
			}
			st.keys = xreallocarray(st.keys, st.n_keys + 1, sizeof(*st.keys));
			st.keys[st.n_keys++] = key;
		}
	}
	for (size_t i = 0; i < plan->n_steps; i++) {
		const struct berth_step *s = &plan->steps[i];
		bool done = false;

		check_hosts(&st, s);
		check_uri(&st, s);
		check_lease(&st, s);
		if (s->domain != NULL)
			done = check_domain(&st, s);
		if (!done)
			check_memory(&st, s);
	}
	if (st.n_stale > 0) {
		berth_error_set(err, BERTH_ERROR_HOST, "plan is stale: %s; run 'berth plan' again",
				st.why.buf);
		rc = -1;
	}
	berth_buf_release(&st.why);
	berth_name_index_release(&st.placements);
	berth_name_index_release(&st.leaves);
	for (size_t i = 0; i < st.n_keys; i++)
		free(st.keys[i]);
	free(st.keys);
	berth_planner_free(st.pl);
	return rc;
}
