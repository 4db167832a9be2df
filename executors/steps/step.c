/* The table of step executors, and what they share. */
#include "core/facts.h"
#include "core/remote.h"
#include "executors/transport/libvirt.h"
#include "executors/steps/step.h"

static const struct berth_step_ops *const step_ops[] = {
#define BERTH_STEP_KIND(id, ops, name, symbol, summary, class, fields, host_text, after_failure) \
	[BERTH_STEP_##id] = &berth_step_##ops##_ops,
#include "core/step-kinds.def"
#undef BERTH_STEP_KIND
};
_Static_assert(sizeof(step_ops) / sizeof(step_ops[0]) == BERTH_STEP_LAST,
	       "an executor for every step kind");

const struct berth_step_ops *
berth_step_ops_for(enum berth_step_kind kind)
{
	return step_ops[kind];
}

int
berth_step_domain_state(virDomainPtr dom, const char *host, struct berth_error **err)
{
	int state, reason;

	if (virDomainGetState(dom, &state, &reason, 0) < 0) {
		berth_libvirt_error(err, BERTH_ERROR_HOST, "host '%s': cannot read the state of domain '%s'",
				    host, virDomainGetName(dom));
		return -1;
	}
	return (int)berth_libvirt_dom_state(state, reason);
}

int
berth_step_lookup_state(struct berth_step_ctx *ctx, const char *host, const char *name,
			int *state, struct berth_error **err)
{
	virDomainPtr dom;
	int found = berth_sessions_lookup(ctx->sessions, host, name, &dom, err);

	*state = -1;
	if (found == 1) {
		*state = berth_step_domain_state(dom, host, err);
		virDomainFree(dom);
		if (*state < 0)
			return -1;
	}
	return found;
}

void
berth_step_where(struct berth_step_ctx *ctx, const char *name, struct berth_buf *out)
{
	size_t start = out->len;

	for (size_t i = 0; i < ctx->inv->n_hosts; i++) {
		const char *host = ctx->inv->hosts[i].name;
		int state, found = berth_step_lookup_state(ctx, host, name, &state, NULL);

		if (found == 0)
			continue;
		berth_buf_addf(out, "%s%s on %s", out->len > start ? ", " : "",
			       found < 0 ? "unknown" : berth_dom_state_name((enum berth_dom_state)state),
			       host);
	}
	if (out->len == start)
		berth_buf_add(out, "absent");
}

int
berth_step_run_framed(struct berth_step_ctx *ctx, const struct berth_step *step, const char *cmd,
		      const char *nonce, char word[32], struct berth_error **err)
{
	BERTH_AUTOBUF struct berth_buf out = BERTH_BUF_INIT;

	if (berth_sessions_run(ctx->sessions, step->host, cmd, &out, err) < 0)
		return -1;
	if (berth_remote_answer(out.buf, nonce, word) < 0) {
		berth_error_set(err, BERTH_ERROR_HOST,
				"host '%s': no answer berth recognizes from the %s step for '%s'",
				step->host, berth_step_kind_name(step->kind), step->path);
		return -1;
	}
	return 0;
}
