/*
 * The planner's working model, shared by its three parts and their tests:
 *
 *   planner.c    indexes the inventory and the facts by name, finds where
 *                each domain is defined now, and decides what it needs
 *                (a placement per domain);
 *   preflight.c  checks the placements against the hosts (one function per
 *                check, in one table) and stops the plan with a reason and
 *                a fix;
 *   plan.c       turns the placements into ordered steps.
 *
 * Only hosts the inventory names count: facts about other hosts, and
 * domains on them, are ignored (unmanaged).  Domains on inventory hosts
 * that the inventory does not name are left alone too.
 */
#ifndef BERTH_PLANNER_PLANNER_H
#define BERTH_PLANNER_PLANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/facts.h"
#include "core/inventory.h"
#include "core/name-index.h"

/* A host where a domain is defined now (a reachable inventory host). */
struct berth_site {
	const struct berth_host_fact *host;
	const struct berth_domain_fact *dom;
};

/* How a domain gets to the host the inventory places it on. */
enum berth_move {
	BERTH_MOVE_NONE,	/* defined there already (or defined twice: an error) */
	BERTH_MOVE_CREATE,	/* defined nowhere: images, define, start */
	BERTH_MOVE_LIVE,	/* running on another host: live migration */
	BERTH_MOVE_COLD,	/* shut off on another host: not supported (an error) */
	BERTH_MOVE_LAST,
};

/* A missing disk image that a new domain needs. */
struct berth_missing_image {
	const struct berth_disk *disk;
	const struct berth_host *server;	/* the storage server (inventory) */
};

/*
 * The lease on one of a domain's images (core/facts.h): where it is and
 * whom it names now.  Only for shares whose export berth observed.
 */
struct berth_lease_need {
	const struct berth_disk *disk;
	const struct berth_host *server;	/* the storage server (inventory) */
	char *path;				/* IMAGE-PATH.berth-lease on the server */
	const char *holder;			/* its host now, NULL: no lease */
};

/* One inventory domain: where it is, where it goes, what it needs. */
struct berth_placement {
	const struct berth_domain *want;
	const struct berth_host *host;		/* inventory host it belongs on */
	const struct berth_host_fact *dest;	/* its facts; NULL if absent or unreachable */

	struct berth_site *found;		/* where it is defined, facts order */
	size_t n_found;
	/* With exactly one location: that one (the source of a migration). */
	const struct berth_host_fact *src;
	const struct berth_domain_fact *have;

	enum berth_move move;
	bool redefine;			/* have differs from want (why says how) */
	struct berth_buf why;
	bool start;			/* ends running, not running there now */
	bool stop;			/* ends shut off, running there now */
	struct berth_missing_image *missing;	/* for BERTH_MOVE_CREATE and _LIVE */
	size_t n_missing;
	struct berth_lease_need *leases;	/* one per disk on an observed share */
	size_t n_leases;
	bool relabel;			/* a lease does not name want->host yet */
};

/* What the planner knows about one storage share of the inventory. */
struct berth_share {
	const struct berth_storage *storage;
	const struct berth_host *server;		/* NULL if not an inventory host */
	const struct berth_host_fact *server_fact;	/* NULL if not in facts */
	const struct berth_export_fact *export;		/* NULL if not observed */
	struct berth_name_index files;			/* file names in export */
	struct berth_name_index leases;			/* image -> holder, in export */
};

struct berth_planner {
	const struct berth_inventory *inv;
	const struct berth_facts *facts;
	struct berth_name_index hosts;	/* inventory host name -> struct berth_host */
	struct berth_name_index host_facts;	/* inventory host name -> its host fact */
	struct berth_name_index shares;	/* storage name -> struct berth_share */
	struct berth_share *share;	/* one per inventory storage, same order */
	const char **servers;		/* address of each storage's server, same order */
	struct berth_placement *placements;	/* one per inventory domain, same order */
	size_t n_placements;
	/* The first inventory host that is not in the facts or not reachable:
	 * what is defined there is unknown.  NULL if berth sees every host. */
	const struct berth_host *blind;
};

/*
 * Indexes inv and facts (both borrowed: they must outlive the planner),
 * locates every inventory domain on the hosts and decides what it needs.
 * Records no error: contradictions (a domain defined twice, a cold move)
 * are marked in the placements for the preflight checks to report.
 * Returns a new planner the caller frees with berth_planner_free().  Cannot
 * fail.
 */
struct berth_planner *berth_planner_new(const struct berth_inventory *inv,
					const struct berth_facts *facts);

/* Frees pl (not the inventory or facts it borrows).  Accepts NULL. */
void berth_planner_free(struct berth_planner *pl);
BERTH_DEFINE_AUTOPTR(berth_planner, berth_planner_free)

/* The facts of the inventory host called name, or NULL (not in the facts). */
const struct berth_host_fact *berth_planner_host_fact(const struct berth_planner *pl,
						      const char *name);

/* The inventory host called name, or NULL. */
const struct berth_host *berth_planner_host(const struct berth_planner *pl, const char *name);

/* The share for the inventory storage called name, or NULL. */
const struct berth_share *berth_planner_share(const struct berth_planner *pl, const char *name);

/* True if the placement adds steps on its destination host. */
bool berth_placement_acts(const struct berth_placement *p);

/* True if lease i of p does not name p's inventory host yet. */
bool berth_lease_moves(const struct berth_placement *p, size_t i);

/* True if the domain will run on its destination and does not run there now. */
bool berth_placement_arrives_running(const struct berth_placement *p);

/*
 * Where p's domain is defined across the inventory's reachable hosts, as a
 * step's expectations spell it (core/plan.h): "absent", "running on h1",
 * "shutoff on h1", or "defined on h1 and h2".  Returns a new string the
 * caller frees.  Cannot fail.
 */
char *berth_placement_text(const struct berth_placement *p);

/*
 * The SHA-256 (hex) of the definition have carries (its XML), or NULL when
 * have is NULL or has no XML.  Returns a new string the caller frees.
 */
char *berth_definition_digest(const struct berth_domain_fact *have);

/* One preflight check: returns 0, or -1 with the first failure in *err. */
struct berth_preflight_check {
	const char *name;
	int (*run)(const struct berth_planner *pl, struct berth_error **err);
};

/* Every check, in the order berth_preflight_run() runs them. */
extern const struct berth_preflight_check berth_preflight_checks[];
extern const size_t berth_preflight_n_checks;

/* The check called name, or NULL.  For tests that run one check alone. */
const struct berth_preflight_check *berth_preflight_find(const char *name);

/*
 * Runs every check in order and stops at the first failure.  Returns 0, or
 * -1 with a BERTH_ERROR_HOST or BERTH_ERROR_INPUT error that says what is
 * wrong and how to fix it.
 */
int berth_preflight_run(const struct berth_planner *pl, struct berth_error **err);

#endif /* BERTH_PLANNER_PLANNER_H */
