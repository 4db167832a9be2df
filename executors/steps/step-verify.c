/*
 * verify: the domain is where the plan says and as it says: defined and
 * persistent on its host, in the step's state, and known to no other host
 * of the inventory.  It always runs; it changes nothing.
 */
#include "core/facts.h"
#include "core/util.h"
#include "executors/transport/libvirt.h"
#include "executors/steps/step.h"

static int
verify_check(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
	(void)ctx;
	(void)step;
	(void)err;
	return 0;
}

static int
verify_apply(struct berth_step_ctx *ctx, const struct berth_step *step,
	     struct berth_step_outcome *out, struct berth_error **err)
{
	int want_state = berth_dom_state_from_name(step->state);
	virDomainPtr dom;
	int found, persistent, state;

	if (want_state != BERTH_DOM_RUNNING && want_state != BERTH_DOM_SHUTOFF) {
		berth_error_set(err, BERTH_ERROR_INPUT, "step %u: state '%s' is not running or shutoff",
				step->id, step->state != NULL ? step->state : "");
		return -1;
	}
	found = berth_sessions_lookup(ctx->sessions, step->host, step->domain, &dom, err);
	if (found < 0)
		return -1;
	if (found == 0) {
		berth_error_set(err, BERTH_ERROR_HOST, "verify: domain '%s' is not defined on '%s'",
				step->domain, step->host);
		return -1;
	}
	persistent = virDomainIsPersistent(dom);
	state = berth_step_domain_state(dom, step->host, err);
	virDomainFree(dom);
	if (state < 0)
		return -1;
	if (persistent != 1) {
		berth_error_set(err, BERTH_ERROR_HOST, "verify: domain '%s' on '%s' is not persistent",
				step->domain, step->host);
		return -1;
	}
	if (state != want_state) {
		berth_error_set(err, BERTH_ERROR_HOST, "verify: domain '%s' on '%s' is %s, the plan says %s",
				step->domain, step->host, berth_dom_state_name((enum berth_dom_state)state),
				step->state);
		return -1;
	}
	for (size_t i = 0; i < ctx->inv->n_hosts; i++) {
		const char *other = ctx->inv->hosts[i].name;

		if (berth_streq(other, step->host))
			continue;
		found = berth_sessions_lookup(ctx->sessions, other, step->domain, &dom, err);
		if (found < 0) {
			berth_error_prefix(err, "verify: cannot check that domain '%s' is absent from '%s': ",
					   step->domain, other);
			return -1;
		}
		if (found == 1) {
			virDomainFree(dom);
			berth_error_set(err, BERTH_ERROR_HOST, "verify: domain '%s' is still defined on '%s'",
					step->domain, other);
			return -1;
		}
	}
	berth_buf_addf(&out->note, "%s is %s on %s only, persistent", step->domain,
		       step->state, step->host);
	return 0;
}

const struct berth_step_ops berth_step_verify_ops = {
	.check = verify_check,
	.apply = verify_apply,
};
