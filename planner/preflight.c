/*
 * Checks before any change ("preflight"): each looks at the placements the
 * planner decided and the hosts' facts, and stops the plan with what is
 * wrong and how to fix it, before a single step runs.  One function per
 * check, all in one table (berth_preflight_checks), run in table order; the
 * first failure wins, so the message is the first thing to fix.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/util.h"
#include "planner/domain-xml.h"
#include "planner/planner.h"

/* "virsh -c 'URI' VERB DOMAIN" for the inventory host called host_name. */
static char *
virsh(const struct berth_planner *pl, const char *host_name, const char *verb,
      const char *domain)
{
	const struct berth_host *h = berth_planner_host(pl, host_name);
	struct berth_buf cmd = BERTH_BUF_INIT;

	berth_buf_add(&cmd, "virsh ");
	if (h != NULL) {
		BERTH_AUTOFREE char *uri = berth_host_libvirt_uri(h);
		BERTH_AUTOFREE char *quoted = berth_shell_quote(uri);

		berth_buf_addf(&cmd, "-c %s ", quoted);
	}
	berth_buf_addf(&cmd, "%s %s", verb, domain);
	return berth_buf_detach(&cmd);
}

/*
 * A host a placement touches is not in the facts, or not reachable.  blind:
 * the host is touched only because berth cannot see what it holds.
 */
static int
host_not_in_facts(const struct berth_placement *p, const char *host,
		  const struct berth_host_fact *f, bool blind, struct berth_error **err)
{
	if (f != NULL)
		return 0;
	if (blind) {
		berth_error_set(err, BERTH_ERROR_INPUT,
				"host '%s' is not in the facts, so berth cannot tell whether domain '%s' is already defined there: gather the facts again for this inventory",
				host, p->want->name);
	} else {
		berth_error_set(err, BERTH_ERROR_INPUT,
				"host '%s' is not in the facts, and domain '%s' needs it: gather the facts again for this inventory",
				host, p->want->name);
	}
	return -1;
}

static int
host_unreachable(const struct berth_placement *p, const char *host,
		 const struct berth_host_fact *f, bool blind, struct berth_error **err)
{
	const char *why;

	if (f == NULL || f->reachable)
		return 0;
	why = f->error != NULL ? f->error : "no reason given";
	if (blind) {
		berth_error_set(err, BERTH_ERROR_HOST,
				"host '%s' is unreachable: %s: berth cannot tell whether domain '%s' is already defined there, so it does not define it on '%s'; make '%s' reachable, then plan again",
				host, why, p->want->name, p->want->host, host);
	} else {
		berth_error_set(err, BERTH_ERROR_HOST,
				"host '%s' is unreachable: %s: domain '%s' needs it; make it reachable over SSH and libvirt, or change the inventory so that the plan does not touch it",
				host, why, p->want->name);
	}
	return -1;
}

typedef int host_test(const struct berth_placement *p, const char *host,
		      const struct berth_host_fact *f, bool blind, struct berth_error **err);

/* Runs test on every host a step of the plan would touch. */
static int
for_each_touched_host(const struct berth_planner *pl, host_test *test, struct berth_error **err)
{
	for (size_t i = 0; i < pl->n_placements; i++) {
		const struct berth_placement *p = &pl->placements[i];
		const char *dest = p->want->host;

		if (p->n_found > 1 || !berth_placement_acts(p))
			continue;
		if (test(p, dest, berth_planner_host_fact(pl, dest), false, err) < 0)
			return -1;
		for (size_t j = 0; j < p->n_missing; j++) {
			const char *server = p->missing[j].server != NULL ?
					     p->missing[j].server->name :
					     p->missing[j].disk->storage;

			if (test(p, server, berth_planner_host_fact(pl, server), false, err) < 0)
				return -1;
		}
		if (p->move == BERTH_MOVE_CREATE && pl->blind != NULL &&
		    test(p, pl->blind->name, berth_planner_host_fact(pl, pl->blind->name),
			 true, err) < 0)
			return -1;
	}
	return 0;
}

/* Every host the plan touches is in the facts. */
static int
check_facts(const struct berth_planner *pl, struct berth_error **err)
{
	return for_each_touched_host(pl, host_not_in_facts, err);
}

/* Every host the plan touches was reached when the facts were gathered. */
static int
check_reachable(const struct berth_planner *pl, struct berth_error **err)
{
	return for_each_touched_host(pl, host_unreachable, err);
}

/* The site to undefine when a domain is defined twice: not where it belongs, not running. */
static const struct berth_site *
stale_site(const struct berth_placement *p)
{
	const struct berth_site *best = NULL;

	for (size_t i = 0; i < p->n_found; i++) {
		const struct berth_site *s = &p->found[i];

		if (berth_streq(s->host->name, p->want->host))
			continue;
		if (s->dom->state != BERTH_DOM_RUNNING)
			return s;
		if (best == NULL)
			best = s;
	}
	return best != NULL ? best : &p->found[0];
}

/* No domain is defined on two hosts: which one is real is for a person to say. */
static int
check_defined_once(const struct berth_planner *pl, struct berth_error **err)
{
	for (size_t i = 0; i < pl->n_placements; i++) {
		const struct berth_placement *p = &pl->placements[i];
		BERTH_AUTOBUF struct berth_buf hosts = BERTH_BUF_INIT;
		BERTH_AUTOFREE char *cmd = NULL;

		if (p->n_found < 2)
			continue;
		for (size_t j = 0; j < p->n_found; j++) {
			const char *sep = j == 0 ? "" : j + 1 == p->n_found ? " and " : ", ";

			berth_buf_addf(&hosts, "%s'%s'", sep, p->found[j].host->name);
		}
		cmd = virsh(pl, stale_site(p)->host->name, "undefine", p->want->name);
		berth_error_set(err, BERTH_ERROR_HOST,
				"domain '%s' is defined on %s: remove the stale definition, e.g. %s",
				p->want->name, hosts.buf, cmd);
		return -1;
	}
	return 0;
}

/* Every domain berth sees is running or shut off, the two states it plans from. */
static int
check_state(const struct berth_planner *pl, struct berth_error **err)
{
	for (size_t i = 0; i < pl->n_placements; i++) {
		const struct berth_placement *p = &pl->placements[i];
		BERTH_AUTOFREE char *cmd = NULL;

		if (p->have == NULL || p->have->state == BERTH_DOM_RUNNING ||
		    p->have->state == BERTH_DOM_SHUTOFF)
			continue;
		if (p->have->state == BERTH_DOM_PAUSED) {
			cmd = virsh(pl, p->src->name, "resume", p->want->name);
			berth_error_set(err, BERTH_ERROR_HOST,
					"domain '%s' is paused on '%s', and berth plans only from running or shut off: resume it (%s) or shut it off, then plan again",
					p->want->name, p->src->name, cmd);
		} else {
			cmd = virsh(pl, p->src->name, "destroy", p->want->name);
			berth_error_set(err, BERTH_ERROR_HOST,
					"domain '%s' on '%s' is neither running nor shut off (shutting down, crashed or saved): wait for it to settle, or turn it off (%s), then plan again",
					p->want->name, p->src->name, cmd);
		}
		return -1;
	}
	return 0;
}

/* A shut-off domain is not moved: cold migration is not implemented yet. */
static int
check_no_cold_migration(const struct berth_planner *pl, struct berth_error **err)
{
	for (size_t i = 0; i < pl->n_placements; i++) {
		const struct berth_placement *p = &pl->placements[i];
		BERTH_AUTOFREE char *cmd = NULL;

		if (p->move != BERTH_MOVE_COLD)
			continue;
		cmd = virsh(pl, p->src->name, "start", p->want->name);
		berth_error_set(err, BERTH_ERROR_HOST,
				"domain '%s' is shut off on '%s' but the inventory places it on '%s', and berth cannot move a shut-off domain yet: start it (%s) and plan again to migrate it live, or move it by hand (virsh dumpxml, define on '%s', undefine on '%s')",
				p->want->name, p->src->name, p->want->host, cmd,
				p->want->host, p->src->name);
		return -1;
	}
	return 0;
}

/* A domain keeps its UUID: libvirt refuses to redefine it with another one. */
static int
check_uuid_stable(const struct berth_planner *pl, struct berth_error **err)
{
	for (size_t i = 0; i < pl->n_placements; i++) {
		const struct berth_placement *p = &pl->placements[i];
		BERTH_AUTOFREE char *cmd = NULL;

		if (p->have == NULL || strcasecmp(p->have->uuid, p->want->uuid) == 0)
			continue;
		cmd = virsh(pl, p->src->name, "undefine", p->want->name);
		berth_error_set(err, BERTH_ERROR_HOST,
				"domain '%s' on '%s' has the UUID '%s' but the inventory gives it '%s', and libvirt cannot change a domain's UUID: set uuid: %s for '%s' in the inventory, or undefine it (%s) so that berth defines it anew",
				p->want->name, p->src->name, p->have->uuid, p->want->uuid,
				p->have->uuid, p->want->name, cmd);
		return -1;
	}
	return 0;
}

/* A domain that moves finds its disk images on the storage server. */
static int
check_images(const struct berth_planner *pl, struct berth_error **err)
{
	for (size_t i = 0; i < pl->n_placements; i++) {
		const struct berth_placement *p = &pl->placements[i];
		const struct berth_disk *disk;
		const struct berth_share *sh;
		BERTH_AUTOFREE char *cmd = NULL;

		if (p->move != BERTH_MOVE_LIVE || p->n_missing == 0)
			continue;
		disk = p->missing[0].disk;
		sh = berth_planner_share(pl, disk->storage);
		cmd = virsh(pl, p->src->name, "domblklist", p->want->name);
		berth_error_set(err, BERTH_ERROR_HOST,
				"domain '%s': disk image '%s' missing on storage '%s' ('%s' on '%s'): restore the image, or point the disk in the inventory at the image the domain uses (%s)",
				p->want->name, disk->image, disk->storage,
				sh->storage->export_path, sh->storage->server, cmd);
		return -1;
	}
	return 0;
}

static bool
has_bridge(const struct berth_host_fact *h, const char *bridge)
{
	for (size_t i = 0; i < h->n_bridges; i++) {
		if (berth_streq(h->bridges[i], bridge))
			return true;
	}
	return false;
}

/* The destination has every bridge the domain's NICs use, now and as desired. */
static int
check_bridges(const struct berth_planner *pl, struct berth_error **err)
{
	for (size_t i = 0; i < pl->n_placements; i++) {
		const struct berth_placement *p = &pl->placements[i];
		const struct berth_host_fact *h = p->dest;

		if (h == NULL || !berth_placement_acts(p))
			continue;
		for (size_t j = 0; j < p->want->n_nics; j++) {
			const char *bridge = p->want->nics[j].bridge;

			if (has_bridge(h, bridge))
				continue;
			berth_error_set(err, BERTH_ERROR_HOST,
					"host '%s' has no bridge '%s' that domain '%s' needs: create it, or change the NIC's bridge in the inventory",
					h->name, bridge, p->want->name);
			return -1;
		}
		for (size_t j = 0; p->move == BERTH_MOVE_LIVE && j < p->have->n_nics; j++) {
			const char *bridge = p->have->nics[j].bridge;
			BERTH_AUTOFREE char *cmd = NULL;

			if (bridge == NULL || has_bridge(h, bridge))
				continue;
			cmd = virsh(pl, p->src->name, "edit", p->want->name);
			berth_error_set(err, BERTH_ERROR_HOST,
					"host '%s' has no bridge '%s' that domain '%s' uses now on '%s', and a live migration keeps the domain's NICs: create it on '%s', or move the NIC to a bridge '%s' has first (%s)",
					h->name, bridge, p->want->name, p->src->name, h->name,
					h->name, cmd);
			return -1;
		}
	}
	return 0;
}

static const char *
or_unknown(const char *s)
{
	return s != NULL ? s : "unknown";
}

static const char *
host_arch(const struct berth_host_fact *h)
{
	return or_unknown(h->arch);
}

static const char *
host_cpu_vendor(const struct berth_host_fact *h)
{
	return or_unknown(h->cpu_vendor);
}

static const char *
host_nx(const struct berth_host_fact *h)
{
	return h->cpu_nx ? "yes" : "no";
}

/*
 * Every live migration goes between hosts alike in one property (what,
 * read by get); fix says what to do when they are not.
 */
static int
check_migration_alike(const struct berth_planner *pl, const char *what,
		      const char *(*get)(const struct berth_host_fact *), const char *fix,
		      struct berth_error **err)
{
	for (size_t i = 0; i < pl->n_placements; i++) {
		const struct berth_placement *p = &pl->placements[i];
		const char *from, *to;

		if (p->move != BERTH_MOVE_LIVE || p->dest == NULL)
			continue;
		from = get(p->src);
		to = get(p->dest);
		if (strcmp(from, to) == 0)
			continue;
		berth_error_set(err, BERTH_ERROR_HOST,
				"domain '%s' cannot migrate live from '%s' to '%s': %s differs ('%s' on '%s', '%s' on '%s'): %s",
				p->want->name, p->src->name, p->dest->name, what, from,
				p->src->name, to, p->dest->name, fix);
		return -1;
	}
	return 0;
}

static int
check_arch(const struct berth_planner *pl, struct berth_error **err)
{
	return check_migration_alike(pl, "the architecture", host_arch,
				     "place the domain on a host of the same architecture", err);
}

static int
check_cpu_vendor(const struct berth_planner *pl, struct berth_error **err)
{
	return check_migration_alike(pl, "the CPU vendor", host_cpu_vendor,
				     "place the domain on a host with the same CPU vendor", err);
}

static int
check_nx(const struct berth_planner *pl, struct berth_error **err)
{
	return check_migration_alike(pl, "the nx CPU flag", host_nx,
				     "enable NX (XD, execute disable) in the firmware of both hosts, or place the domain on a host with the same flag",
				     err);
}

static bool
is_localhost(const char *name)
{
	return strcmp(name, "localhost") == 0 || strncmp(name, "localhost.", 10) == 0;
}

/* A migration destination has a canonical name that is not localhost. */
static int
check_fqdn(const struct berth_planner *pl, struct berth_error **err)
{
	for (size_t i = 0; i < pl->n_placements; i++) {
		const struct berth_placement *p = &pl->placements[i];
		const char *fqdn;

		if (p->move != BERTH_MOVE_LIVE || p->dest == NULL)
			continue;
		fqdn = p->dest->fqdn;
		if (fqdn != NULL && *fqdn != '\0' && !is_localhost(fqdn))
			continue;
		berth_error_set(err, BERTH_ERROR_HOST,
				"host '%s' %s, and libvirt cannot migrate domain '%s' to it (migration requires an FQDN): give '%s' a fully qualified host name that resolves to its address (hostname and /etc/hosts on '%s')",
				p->dest->name,
				fqdn == NULL || *fqdn == '\0' ? "has no fully qualified name" :
				"calls itself 'localhost'",
				p->want->name, p->dest->name, p->dest->name);
		return -1;
	}
	return 0;
}

/* What the plan starts on one host. */
struct demand {
	const struct berth_host_fact *host;
	uint64_t kib;			/* UINT64_MAX once the sum overflowed */
	bool overflow;			/* the sum is past UINT64_MAX KiB */
	size_t n;
	struct berth_buf names;		/* "web1 256 MiB, web2 512 MiB" */
};

/* How many domains a memory error names before "and N more". */
enum { DEMAND_NAMES_SHOWN = 5 };

static void
add_demand(struct demand *dm, const struct berth_placement *p)
{
	uint64_t kib = p->move == BERTH_MOVE_LIVE ? p->have->memory_kib : p->want->memory_kib;
	char text[32];

	if (__builtin_add_overflow(dm->kib, kib, &dm->kib)) {
		dm->overflow = true;
		dm->kib = UINT64_MAX;
	}
	if (dm->n < DEMAND_NAMES_SHOWN) {
		berth_buf_addf(&dm->names, "%s%s %s", dm->n > 0 ? ", " : "", p->want->name,
			       berth_kib_text(text, sizeof(text), kib));
	}
	dm->n++;
}

/* The first host whose free memory is less than what the plan starts there. */
static int
report_demand(const struct demand *dm, struct berth_error **err)
{
	char have[32], need[32];

	if (!dm->overflow && dm->kib <= dm->host->memory_free_kib)
		return 0;
	/* A sum past 2^64 KiB is more than any host has: say so, not what it wrapped to. */
	berth_error_set(err, BERTH_ERROR_HOST,
			"host '%s' has %s of free memory but the plan starts %s%s of domains there (%s%s): free memory on '%s', or place some of these domains on another host",
			dm->host->name,
			berth_kib_text(have, sizeof(have), dm->host->memory_free_kib),
			dm->overflow ? "more than " : "",
			berth_kib_text(need, sizeof(need), dm->kib), dm->names.buf,
			dm->n > DEMAND_NAMES_SHOWN ? ", ..." : "", dm->host->name);
	return -1;
}

/*
 * Each destination has the free memory for every domain the plan starts or
 * migrates there.  Domains that leave a host are not counted as freeing
 * memory: the order of steps does not promise they leave first.
 */
static int
check_memory(const struct berth_planner *pl, struct berth_error **err)
{
	struct demand *dm = xcalloc(pl->inv->n_hosts, sizeof(*dm));
	struct berth_name_index by_host;
	size_t n = 0;
	int rc = 0;

	berth_name_index_init(&by_host, pl->inv->n_hosts);
	for (size_t i = 0; i < pl->n_placements; i++) {
		const struct berth_placement *p = &pl->placements[i];
		struct demand *d;

		if (p->dest == NULL || p->n_found > 1 || !berth_placement_arrives_running(p))
			continue;
		d = (struct demand *)berth_name_index_find(&by_host, p->dest->name);
		if (d == NULL) {
			d = &dm[n++];
			d->host = p->dest;
			berth_buf_init(&d->names, 0);
			berth_name_index_add(&by_host, p->dest->name, d);
		}
		add_demand(d, p);
	}
	for (size_t i = 0; i < pl->inv->n_hosts && rc == 0; i++) {
		const struct demand *d = berth_name_index_find(&by_host, pl->inv->hosts[i].name);

		if (d != NULL)
			rc = report_demand(d, err);
	}
	for (size_t i = 0; i < n; i++)
		berth_buf_release(&dm[i].names);
	free(dm);
	berth_name_index_release(&by_host);
	return rc;
}

/* No other domain on the destination has the UUID of one the plan brings there. */
static int
check_uuid_unique(const struct berth_planner *pl, struct berth_error **err)
{
	for (size_t i = 0; i < pl->n_placements; i++) {
		const struct berth_placement *p = &pl->placements[i];
		const struct berth_host_fact *h = p->dest;

		if (h == NULL || (p->move != BERTH_MOVE_CREATE && p->move != BERTH_MOVE_LIVE))
			continue;
		for (size_t j = 0; j < h->n_domains; j++) {
			const struct berth_domain_fact *other = &h->domains[j];
			BERTH_AUTOFREE char *cmd = NULL;

			if (strcasecmp(other->uuid, p->want->uuid) != 0 ||
			    berth_streq(other->name, p->want->name))
				continue;
			cmd = virsh(pl, h->name, "undefine", other->name);
			berth_error_set(err, BERTH_ERROR_HOST,
					"host '%s' has domain '%s' with the UUID '%s' that the inventory gives to domain '%s': undefine '%s' (%s), or give '%s' another uuid in the inventory",
					h->name, other->name, other->uuid, p->want->name,
					other->name, cmd, p->want->name);
			return -1;
		}
	}
	return 0;
}

/* No two inventory domains use one disk image: each image has one lease. */
static int
check_image_owner(const struct berth_planner *pl, struct berth_error **err)
{
	struct berth_name_index owners;
	char **keys = NULL;
	size_t n_keys = 0;
	int rc = 0;

	berth_name_index_init(&owners, pl->n_placements);
	for (size_t i = 0; i < pl->n_placements && rc == 0; i++) {
		const struct berth_domain *d = pl->placements[i].want;

		for (size_t j = 0; j < d->n_disks && rc == 0; j++) {
			char *key = berth_disk_path(pl->inv, &d->disks[j]);
			const struct berth_domain *other = berth_name_index_add(&owners, key, d);

			keys = xreallocarray(keys, n_keys + 1, sizeof(*keys));
			keys[n_keys++] = key;
			if (other == NULL)
				continue;
			if (other == d)
				berth_error_set(err, BERTH_ERROR_INPUT,
						"domain '%s' uses disk image '%s' on storage '%s' twice: give each disk its own image in the inventory",
						d->name, d->disks[j].image, d->disks[j].storage);
			else
				berth_error_set(err, BERTH_ERROR_INPUT,
						"domains '%s' and '%s' both use disk image '%s' on storage '%s': two QEMUs writing one image corrupt it; give one of them another image in the inventory",
						other->name, d->name, d->disks[j].image,
						d->disks[j].storage);
			rc = -1;
		}
	}
	berth_name_index_release(&owners);
	for (size_t i = 0; i < n_keys; i++)
		free(keys[i]);
	free(keys);
	return rc;
}

/*
 * A lease that the plan takes from another host names a host that berth
 * sees, where the domain does not run: else a QEMU there may still hold
 * the image, and starting the domain here would run it twice.
 */
static int
check_leases(const struct berth_planner *pl, struct berth_error **err)
{
	for (size_t i = 0; i < pl->n_placements; i++) {
		const struct berth_placement *p = &pl->placements[i];

		if (p->n_found > 1 || p->move == BERTH_MOVE_COLD)
			continue;	/* refused by their own checks */
		for (size_t j = 0; j < p->n_leases; j++) {
			const struct berth_lease_need *l = &p->leases[j];
			const struct berth_host_fact *h;

			if (!berth_lease_moves(p, j) || l->holder == NULL ||
			    (p->src != NULL && berth_streq(l->holder, p->src->name)))
				continue;
			if (berth_planner_host(pl, l->holder) == NULL) {
				berth_error_set(err, BERTH_ERROR_HOST,
						"domain '%s': its disk image '%s' on storage '%s' is leased to host '%s', which the inventory does not name: a QEMU there may still run it, and running it on '%s' too would corrupt the image; shut it down on '%s', then remove the lease '%s' on '%s', or add '%s' to the inventory",
						p->want->name, l->disk->image, l->disk->storage, l->holder,
						p->want->host, l->holder, l->path, l->server->name,
						l->holder);
				return -1;
			}
			h = berth_planner_host_fact(pl, l->holder);
			if (h == NULL || !h->reachable) {
				berth_error_set(err, BERTH_ERROR_HOST,
						"domain '%s': its disk image '%s' on storage '%s' is leased to host '%s', which is unreachable: berth cannot tell whether a QEMU there still runs it; make '%s' reachable, or, once no QEMU there uses the image, remove the lease '%s' on '%s'",
						p->want->name, l->disk->image, l->disk->storage, l->holder,
						l->holder, l->path, l->server->name);
				return -1;
			}
		}
	}
	return 0;
}

/*
 * A domain whose state is absent is defined on no host: berth does not
 * undefine domains yet, so one it finds stops the plan, named.
 */
static int
check_absent(const struct berth_planner *pl, struct berth_error **err)
{
	for (size_t i = 0; i < pl->n_placements; i++) {
		const struct berth_placement *p = &pl->placements[i];
		BERTH_AUTOFREE char *cmd = NULL;

		if (p->want->state != BERTH_POWER_ABSENT || p->n_found == 0)
			continue;
		cmd = virsh(pl, p->found[0].host->name, "undefine", p->want->name);
		berth_error_set(err, BERTH_ERROR_INPUT,
				"domain '%s' is to be absent, but it is defined on '%s': berth does not undefine domains yet; shut it down and undefine it there (%s; its disks stay), or give it another state",
				p->want->name, p->found[0].host->name, cmd);
		return -1;
	}
	return 0;
}

const struct berth_preflight_check berth_preflight_checks[] = {
	{ "facts", check_facts },
	{ "reachable", check_reachable },
	{ "absent", check_absent },
	{ "defined-once", check_defined_once },
	{ "state", check_state },
	{ "cold-migration", check_no_cold_migration },
	{ "uuid-stable", check_uuid_stable },
	{ "image-owner", check_image_owner },
	{ "leases", check_leases },
	{ "images", check_images },
	{ "bridges", check_bridges },
	{ "arch", check_arch },
	{ "cpu-vendor", check_cpu_vendor },
	{ "nx", check_nx },
	{ "fqdn", check_fqdn },
	{ "memory", check_memory },
	{ "uuid-unique", check_uuid_unique },
};

const size_t berth_preflight_n_checks =
	sizeof(berth_preflight_checks) / sizeof(berth_preflight_checks[0]);

const struct berth_preflight_check *
berth_preflight_find(const char *name)
{
	for (size_t i = 0; i < berth_preflight_n_checks; i++) {
		if (strcmp(berth_preflight_checks[i].name, name) == 0)
			return &berth_preflight_checks[i];
	}
	return NULL;
}

int
berth_preflight_run(const struct berth_planner *pl, struct berth_error **err)
{
	for (size_t i = 0; i < berth_preflight_n_checks; i++) {
		if (berth_preflight_checks[i].run(pl, err) < 0)
			return -1;
	}
	return 0;
}
