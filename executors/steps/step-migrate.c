/*
 * migrate-live: a running domain moved from its host to the destination
 * while it runs, over shared storage (its disks are NFS network disks both
 * hosts reach, so libvirt copies only memory).  Peer-to-peer: the source's
 * libvirtd connects to the destination's over SSH; the definition is made
 * persistent on the destination and removed from the source in the same
 * job.  Done when the domain runs on the destination and is gone from the
 * source.
 *
 * virDomainMigrateToURI3 rather than virDomainMigrate3: with PEER2PEER,
 * virDomainMigrate3 would hand the source libvirtd the URI of berth's own
 * connection to the destination, whose key paths are the controller's.  The
 * step carries the URI (the planner made it from the inventory), so a saved
 * plan migrates exactly where it was reviewed to.
 */
#include <time.h>

#include <libvirt/virterror.h>

#include "core/facts.h"
#include "core/log.h"
#include "core/uri.h"
#include "core/util.h"
#include "executors/transport/libvirt.h"
#include "executors/steps/step.h"

static const char *
where_text(int found, int state)
{
	if (found <= 0)
		return "absent";
	return berth_dom_state_name((enum berth_dom_state)state);
}

static int
migrate_check(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
	int on_src, on_dst, src_state, dst_state;

	on_src = berth_step_lookup_state(ctx, step->host, step->domain, &src_state, err);
	if (on_src < 0)
		return -1;
	on_dst = berth_step_lookup_state(ctx, step->dest, step->domain, &dst_state, err);
	if (on_dst < 0)
		return -1;
	if (on_dst == 1 && dst_state == BERTH_DOM_RUNNING && on_src == 0)
		return 1;
	if (on_src == 1 && src_state == BERTH_DOM_RUNNING && on_dst == 0)
		return 0;
	berth_error_set(err, BERTH_ERROR_HOST,
			"domain '%s' is %s on '%s' and %s on '%s', not running on '%s' only as the plan expected: run 'berth plan' again",
			step->domain, where_text(on_src, src_state), step->host,
			where_text(on_dst, dst_state), step->dest, step->host);
	return -1;
}

/*
 * The completed job's figures, read on the destination: with
 * UNDEFINE_SOURCE the source no longer has the domain to ask.
 */
static void
read_job_stats(struct berth_step_ctx *ctx, const struct berth_step *step,
	       struct berth_step_outcome *out)
{
	virTypedParameterPtr params = NULL;
	unsigned long long elapsed = 0, downtime = 0, bytes = 0;
	int nparams = 0;
	virDomainPtr dom;

	if (berth_sessions_lookup(ctx->sessions, step->dest, step->domain, &dom, NULL) != 1)
		return;
	if (virDomainGetJobStats(dom, &(int){ 0 }, &params, &nparams,
				 VIR_DOMAIN_JOB_STATS_COMPLETED) == 0) {
		virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_TIME_ELAPSED, &elapsed);
		virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_DOWNTIME, &downtime);
		virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_DATA_PROCESSED, &bytes);
		out->has_migration = true;
		out->job_ms = elapsed;
		out->downtime_ms = downtime;
		out->data_bytes = bytes;
		berth_buf_addf(&out->note, " (libvirt job %llu ms, downtime %llu ms, %.1f MiB transferred)",
			       elapsed, downtime, (double)bytes / (1024.0 * 1024.0));
		virTypedParamsFree(params, nparams);
	}
	virDomainFree(dom);
}

static int
migrate_apply(struct berth_step_ctx *ctx, const struct berth_step *step,
	      struct berth_step_outcome *out, struct berth_error **err)
{
	const unsigned int flags = VIR_MIGRATE_LIVE | VIR_MIGRATE_PEER2PEER |
				   VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE;
	virDomainPtr dom;
	double start;
	int rc;

	if (step->uri == NULL) {
		berth_error_set(err, BERTH_ERROR_INPUT, "step %u: the migration has no destination URI",
				step->id);
		return -1;
	}
	if (berth_sessions_lookup(ctx->sessions, step->host, step->domain, &dom, err) <= 0)
		return -1;
	berth_sessions_count_mutation(ctx->sessions, step->host, "virDomainMigrateToURI3", step->domain);
	start = berth_now_s();
	rc = virDomainMigrateToURI3(dom, step->uri, NULL, 0, flags);
	if (rc < 0) {
		BERTH_AUTOFREE char *shown = berth_uri_redacted(step->uri);

		berth_libvirt_error(err, BERTH_ERROR_HOST,
				    "host '%s': live migration of domain '%s' to '%s' (%s) failed",
				    step->host, step->domain, step->dest, shown);
	}
	virDomainFree(dom);
	if (rc < 0)
		return -1;
	berth_buf_addf(&out->note, "migrated in %.2f s", berth_now_s() - start);
	read_job_stats(ctx, step, out);
	return 0;
}

/*
 * The job runs in the source's libvirtd: only the source can abort it.  An
 * abort that comes before QEMU's migration has started (libvirt still
 * connecting the hosts) is taken and means nothing, and one before libvirt
 * has a job is refused with "no job is active"; both are fine here, since
 * the scheduler asks again while the step runs.
 */
static int
migrate_abort(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
	/* Its own connection: the shared one is busy with the migration. */
	virConnectPtr conn = berth_sessions_libvirt_own(ctx->sessions, step->host, err);
	virDomainPtr dom;
	int rc;

	if (conn == NULL)
		return -1;
	dom = virDomainLookupByName(conn, step->domain);
	if (dom == NULL) {
		virConnectClose(conn);
		return 0;	/* it has left the source: nothing to abort */
	}
	berth_sessions_count_mutation(ctx->sessions, step->host, "virDomainAbortJob", step->domain);
	rc = virDomainAbortJob(dom);
	if (rc < 0 && virGetLastErrorCode() == VIR_ERR_OPERATION_INVALID) {
		berth_log_debug("host '%s': no migration of '%s' to abort yet: %s",
				step->host, step->domain, virGetLastErrorMessage());
		rc = 0;
	} else if (rc < 0 && virDomainIsActive(dom) == 1) {
		berth_libvirt_error(err, BERTH_ERROR_HOST,
				    "host '%s': cannot abort the migration of domain '%s'",
				    step->host, step->domain);
	} else {
		rc = 0;		/* no longer active here: the migration completed */
	}
	virDomainFree(dom);
	virConnectClose(conn);
	return rc;
}

const struct berth_step_ops berth_step_migrate_live_ops = {
	.check = migrate_check,
	.apply = migrate_apply,
	.abort = migrate_abort,
};
