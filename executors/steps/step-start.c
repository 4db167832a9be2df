/* start: the domain running on its host.  Done when it runs already. */
#include "core/facts.h"
#include "executors/transport/libvirt.h"
#include "executors/steps/step.h"

static int
start_check(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
	int state, found = berth_step_lookup_state(ctx, step->host, step->domain, &state, err);

	if (found < 0)
		return -1;
	if (found == 0) {
		berth_error_set(err, BERTH_ERROR_HOST,
				"host '%s': domain '%s' is not defined, so it cannot be started",
				step->host, step->domain);
		return -1;
	}
	return state == BERTH_DOM_RUNNING ? 1 : 0;
}

static int
start_apply(struct berth_step_ctx *ctx, const struct berth_step *step,
	    struct berth_step_outcome *out, struct berth_error **err)
{
	virDomainPtr dom;
	int rc;

	(void)out;
	if (berth_sessions_lookup(ctx->sessions, step->host, step->domain, &dom, err) <= 0)
		return -1;
	berth_sessions_count_mutation(ctx->sessions, step->host, "virDomainCreate", step->domain);
	rc = virDomainCreate(dom);
	if (rc < 0)
		berth_libvirt_error(err, BERTH_ERROR_HOST, "host '%s': cannot start domain '%s'",
				    step->host, step->domain);
	virDomainFree(dom);
	return rc < 0 ? -1 : 0;
}

const struct berth_step_ops berth_step_start_ops = {
	.check = start_check,
	.apply = start_apply,
};
