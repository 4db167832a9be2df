/*
 * define: the domain's XML defined on its host, or redefined when the
 * definition differs.  Done when the host's persistent definition already
 * matches the inventory (the planner's semantic comparison).
 */
#include "core/util.h"
#include "executors/facts.h"
#include "executors/libvirt.h"
#include "executors/step.h"
#include "planner/domain-xml.h"

static int
define_check(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
	const struct berth_domain *want = berth_inventory_domain(ctx->inv, step->domain);
	struct berth_domain_fact have = { 0 };
	virDomainPtr dom;
	char *xml;
	int found, persistent, rc;

	found = berth_sessions_lookup(ctx->sessions, step->host, step->domain, &dom, err);
	if (found <= 0)
		return found;
	persistent = virDomainIsPersistent(dom);
	xml = virDomainGetXMLDesc(dom, persistent == 1 ? VIR_DOMAIN_XML_INACTIVE : 0);
	virDomainFree(dom);
	if (persistent < 0 || xml == NULL) {
		free(xml);
		berth_libvirt_error(err, BERTH_ERROR_HOST, "host '%s': cannot read domain '%s'",
				    step->host, step->domain);
		return -1;
	}
	rc = berth_facts_parse_domain_xml(xml, &have, err);
	free(xml);
	if (rc < 0) {
		berth_error_prefix(err, "host '%s': domain '%s': ", step->host, step->domain);
		return -1;
	}
	have.persistent = persistent == 1;
	rc = want != NULL && berth_domain_matches(ctx->inv, want, &have, NULL) ? 1 : 0;
	berth_domain_fact_clear(&have);
	return rc;
}

static int
define_apply(struct berth_step_ctx *ctx, const struct berth_step *step,
	     struct berth_buf *note, struct berth_error **err)
{
	virConnectPtr conn = berth_sessions_libvirt(ctx->sessions, step->host, err);
	virDomainPtr dom;

	(void)note;
	if (conn == NULL)
		return -1;
	berth_sessions_count_mutation(ctx->sessions, step->host, "virDomainDefineXML", step->domain);
	dom = virDomainDefineXML(conn, step->xml);
	if (dom == NULL) {
		berth_libvirt_error(err, BERTH_ERROR_HOST, "host '%s': cannot define domain '%s'",
				    step->host, step->domain);
		return -1;
	}
	virDomainFree(dom);
	return 0;
}

const struct berth_step_ops berth_step_define_ops = {
	.check = define_check,
	.apply = define_apply,
};
