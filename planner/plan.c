/*
 * From placements to steps: for each inventory domain, in inventory order,
 * the steps that bring it where and as the inventory says, each waiting
 * for the one before, and a verify step last.  planner.c decided what each
 * domain needs and preflight.c checked it can be done; this file only
 * writes it down in a valid order.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/digest.h"

#include "planner/domain-xml.h"
#include "planner/plan.h"
#include "planner/planner.h"
#include "planner/supported.h"

/* The steps of one domain, and where image steps are already in the plan. */
struct emitter {
	struct berth_plan *plan;
	const struct berth_planner *pl;
	const struct berth_placement *p;	/* the domain being emitted; NULL for images */
	unsigned last;			/* the domain's last step so far, 0: none */
};

/* The uuid of the inventory host called name as observed, or NULL. */
static const char *
host_uuid(const struct berth_planner *pl, const char *name)
{
	const struct berth_host_fact *h = berth_planner_host_fact(pl, name);

	return h != NULL ? h->host_uuid : NULL;
}

char *
berth_placement_text(const struct berth_placement *p)
{
	struct berth_buf b = BERTH_BUF_INIT;

	if (p->n_found == 0)
		return xstrdup("absent");
	if (p->n_found == 1)
		return berth_placement_where(berth_dom_state_name(p->found[0].dom->state),
					     p->found[0].host->name);
	berth_buf_add(&b, "defined on ");
	for (size_t i = 0; i < p->n_found; i++)
		berth_buf_addf(&b, "%s%s", i == 0 ? "" : " and ", p->found[i].host->name);
	return berth_buf_detach(&b);
}

char *
berth_definition_digest(const struct berth_domain_fact *have)
{
	char hex[BERTH_SHA256_HEX_LEN + 1];

	if (have == NULL || have->xml == NULL)
		return NULL;
	berth_sha256_hex(have->xml, strlen(have->xml), hex);
	return xstrdup(hex);
}

static struct berth_step *add_step(struct emitter *em, enum berth_step_kind kind,
				   const char *host, const char *domain,
				   const char *fmt, ...) BERTH_PRINTF(5, 6);

/* Appends a step that waits for the domain's previous step, and makes it the last. */
static struct berth_step *
add_step(struct emitter *em, enum berth_step_kind kind, const char *host,
	 const char *domain, const char *fmt, ...)
{
	BERTH_AUTOFREE char *reason = NULL;
	struct berth_step *s;
	va_list ap;

	va_start(ap, fmt);
	reason = xvasprintf(fmt, ap);
	va_end(ap);
	s = berth_plan_add_step(em->plan, kind, host, domain, "%s", reason);
	if (em->last != 0)
		berth_step_add_dep(s, em->last);
	em->last = s->id;
	if (domain != NULL)
		s->expect.placement = berth_placement_text(em->p);
	berth_step_expect_host(s, host, host_uuid(em->pl, host));
	return s;
}

/* The image steps of a new domain; returns their ids for the define to wait for. */
static void
emit_images(struct emitter *em, const struct berth_planner *pl,
	    const struct berth_placement *p, unsigned *ids)
{
	for (size_t i = 0; i < p->n_missing; i++) {
		const struct berth_disk *disk = p->missing[i].disk;
		struct berth_step *s;

		/* No two disks share an image (preflight "image-owner"). */
		em->last = 0;
		s = add_step(em, BERTH_STEP_IMAGE_CREATE, p->missing[i].server->name, NULL,
			     "%s needs disk image %s on storage %s; it is not there",
			     p->want->name, disk->image, disk->storage);
		s->path = berth_disk_path(pl->inv, disk);
		s->format = xstrdup(disk->format);
		s->size_bytes = disk->size_bytes;
		ids[i] = s->id;
	}
	em->last = 0;
}

/*
 * The lease steps that give p's images to its inventory host, in the
 * domain's chain: before it is defined or started there, after it has
 * migrated there.
 */
static void
emit_leases(struct emitter *em, const struct berth_placement *p)
{
	const struct berth_domain *d = p->want;

	for (size_t i = 0; i < p->n_leases; i++) {
		const struct berth_lease_need *l = &p->leases[i];
		struct berth_step *s;

		if (!berth_lease_moves(p, i))
			continue;
		if (l->holder == NULL)
			s = add_step(em, BERTH_STEP_LEASE, l->server->name, d->name,
				     "no host holds the lease on %s's image %s on storage %s; %s belongs on %s",
				     d->name, l->disk->image, l->disk->storage, d->name, d->host);
		else
			s = add_step(em, BERTH_STEP_LEASE, l->server->name, d->name,
				     "the lease on %s's image %s on storage %s names %s; %s belongs on %s",
				     d->name, l->disk->image, l->disk->storage, l->holder, d->name,
				     d->host);
		s->path = xstrdup(l->path);
		s->dest = xstrdup(d->host);
		s->previous = xstrdup(l->holder != NULL ? l->holder : "");
	}
}

/* A start of d on its host, which needs d's memory free there. */
static void
emit_start(struct emitter *em, const struct berth_domain *d, const char *reason)
{
	struct berth_step *s = add_step(em, BERTH_STEP_START, d->host, d->name, "%s", reason);

	s->expect.leaves = berth_placement_where("running", d->host);
	s->expect.memory_kib = d->memory_kib;
}

static void
emit_create(struct emitter *em, const struct berth_planner *pl, const struct berth_placement *p)
{
	const struct berth_domain *d = p->want;
	unsigned *images = xcalloc(p->n_missing, sizeof(*images));
	struct berth_step *s;

	emit_images(em, pl, p, images);
	emit_leases(em, p);
	s = add_step(em, BERTH_STEP_DEFINE, d->host, d->name,
		     "%s is not defined on any host", d->name);
	s->xml = berth_domain_xml_servers(pl->inv, pl->servers, d);
	s->expect.leaves = berth_placement_where("shutoff", d->host);
	for (size_t i = 0; i < p->n_missing; i++)
		berth_step_add_dep(s, images[i]);
	free(images);
	if (p->start)
		emit_start(em, d, "inventory says running");
}

/* The redefine of a domain already on its host, or just migrated there. */
static void
emit_redefine(struct emitter *em, const struct berth_planner *pl,
	      const struct berth_placement *p, bool running)
{
	struct berth_step *s;

	s = add_step(em, BERTH_STEP_DEFINE, p->want->host, p->want->name,
		     "the definition of %s differs from the inventory: %s%s",
		     p->want->name, p->why.buf,
		     running ? "; it takes effect at the next boot" : "");
	s->xml = berth_domain_xml_servers(pl->inv, pl->servers, p->want);
	s->expect.definition = berth_definition_digest(p->have);
}

static void
emit_placement(struct emitter *em, const struct berth_planner *pl,
	       const struct berth_placement *p)
{
	const struct berth_domain *d = p->want;
	struct berth_step *s;

	if (!berth_placement_acts(p))
		return;		/* converged: no steps at all */
	em->last = 0;
	em->p = p;
	switch (p->move) {
	case BERTH_MOVE_CREATE:
		emit_create(em, pl, p);
		break;
	case BERTH_MOVE_LIVE:
		s = add_step(em, BERTH_STEP_MIGRATE_LIVE, p->src->name, d->name,
			     "inventory places %s on %s; it runs on %s",
			     d->name, d->host, p->src->name);
		s->dest = xstrdup(d->host);
		s->uri = berth_host_peer_uri(p->host);
		s->expect.leaves = berth_placement_where("running", d->host);
		s->expect.definition = berth_definition_digest(p->have);
		s->expect.memory_kib = p->have->memory_kib;
		berth_step_expect_host(s, d->host, host_uuid(pl, d->host));
		emit_leases(em, p);
		if (p->redefine)
			emit_redefine(em, pl, p, true);
		break;
	case BERTH_MOVE_NONE:
		emit_leases(em, p);
		if (p->redefine)
			emit_redefine(em, pl, p, p->have->state == BERTH_DOM_RUNNING);
		if (p->start)
			emit_start(em, d, "inventory says running; it is shut off");
		break;
	case BERTH_MOVE_COLD:	/* refused by preflight */
	case BERTH_MOVE_LAST:
		return;
	}
	if (p->stop) {
		s = add_step(em, BERTH_STEP_STOP, d->host, d->name,
			     "inventory says shutoff; it is running");
		s->expect.leaves = berth_placement_where("shutoff", d->host);
	}
	if (d->state == BERTH_POWER_RUNNING)
		s = add_step(em, BERTH_STEP_VERIFY, d->host, d->name,
			     "check that %s runs on %s as the inventory says, and on no other host",
			     d->name, d->host);
	else
		s = add_step(em, BERTH_STEP_VERIFY, d->host, d->name,
			     "check that %s is defined and shut off on %s as the inventory says, and on no other host",
			     d->name, d->host);
	s->state = xstrdup(d->state == BERTH_POWER_RUNNING ? "running" : "shutoff");
}

struct berth_plan *
berth_plan_make(const struct berth_inventory *inv, const struct berth_facts *facts,
		struct berth_error **err)
{
	BERTH_AUTOPTR(berth_planner) pl = NULL;
	struct emitter em = { .plan = NULL };

	if (berth_plan_check_supported(inv, err) < 0)
		return NULL;
	pl = berth_planner_new(inv, facts);
	if (berth_preflight_run(pl, err) < 0)
		return NULL;
	em.plan = berth_plan_new();
	em.pl = pl;
	snprintf(em.plan->inventory_sha256, sizeof(em.plan->inventory_sha256), "%s", inv->sha256);
	for (size_t i = 0; i < pl->n_placements; i++)
		emit_placement(&em, pl, &pl->placements[i]);
	return em.plan;
}
