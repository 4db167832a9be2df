/*
 * verify: the domain is where the inventory says and as it says: defined
 * and persistent on its host, in the desired power state, and known to no
 * other host of the inventory.  It always runs; it changes nothing.
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
	     struct berth_buf *note, struct berth_error **err)
{
	const struct berth_domain *want = berth_inventory_domain(ctx->inv, step->domain);
	enum berth_dom_state want_state;
	virDomainPtr dom;
	int found, persistent, state;

	if (want == NULL) {
		berth_error_set(err, BERTH_ERROR_INTERNAL, "domain '%s' is not in the inventory", step->domain);
		return -1;
	}
	want_state = want->state == BERTH_POWER_RUNNING ? BERTH_DOM_RUNNING : BERTH_DOM_SHUTOFF;
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
	if (state != (int)want_state) {
		berth_error_set(err, BERTH_ERROR_HOST, "verify: domain '%s' on '%s' is %s, the inventory says %s",
				step->domain, step->host, berth_dom_state_name((enum berth_dom_state)state),
				berth_power_name(want->state));
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
	berth_buf_addf(note, "%s is %s on %s only, persistent", step->domain,
		       berth_power_name(want->state), step->host);
	return 0;
}

const struct berth_step_ops berth_step_verify_ops = {
	.check = verify_check,
	.apply = verify_apply,
};
