/*
 * stop: the domain shut off on its host: an ACPI shutdown request, then a
 * forced stop (destroy) if it is still running after the timeout.  Done
 * when it is shut off already.
 */
#include <time.h>

#include "core/facts.h"
#include "core/util.h"
#include "executors/transport/libvirt.h"
#include "executors/steps/step.h"

static int
stop_check(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
	int state, found = berth_step_lookup_state(ctx, step->host, step->domain, &state, err);

	if (found < 0)
		return -1;
	/* An undefined domain is as stopped as it gets. */
	return found == 0 || state == BERTH_DOM_SHUTOFF ? 1 : 0;
}

static int
stop_apply(struct berth_step_ctx *ctx, const struct berth_step *step,
	   struct berth_step_outcome *out, struct berth_error **err)
{
	struct timespec pause = { .tv_sec = 0, .tv_nsec = 100 * 1000 * 1000 };
	double start = berth_now_s();
	virDomainPtr dom;
	int state = BERTH_DOM_RUNNING;

	if (berth_sessions_lookup(ctx->sessions, step->host, step->domain, &dom, err) <= 0)
		return -1;
	berth_sessions_count_mutation(ctx->sessions, step->host, "virDomainShutdown", step->domain);
	if (virDomainShutdown(dom) < 0) {
		berth_libvirt_error(err, BERTH_ERROR_HOST, "host '%s': cannot shut down domain '%s'",
				    step->host, step->domain);
		virDomainFree(dom);
		return -1;
	}
	while (berth_now_s() - start < ctx->stop_timeout_s) {
		state = berth_step_domain_state(dom, step->host, err);
		if (state < 0 || state == BERTH_DOM_SHUTOFF)
			break;
		nanosleep(&pause, NULL);
	}
	if (state == BERTH_DOM_SHUTOFF) {
		berth_buf_addf(&out->note, "shut down in %.1f s", berth_now_s() - start);
	} else if (state >= 0) {
		berth_sessions_count_mutation(ctx->sessions, step->host, "virDomainDestroy", step->domain);
		if (virDomainDestroy(dom) < 0) {
			berth_libvirt_error(err, BERTH_ERROR_HOST,
					    "host '%s': domain '%s' did not shut down in %u s and cannot be destroyed",
					    step->host, step->domain, ctx->stop_timeout_s);
			state = -1;
		} else {
			berth_buf_addf(&out->note, "did not shut down in %u s: destroyed", ctx->stop_timeout_s);
		}
	}
	virDomainFree(dom);
	return state < 0 ? -1 : 0;
}

const struct berth_step_ops berth_step_stop_ops = {
	.check = stop_check,
	.apply = stop_apply,
};
