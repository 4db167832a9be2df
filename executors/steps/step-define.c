/*
 * define: the domain XML the step carries defined on its host, or a
 * redefinition when the host's differs.  Done when the host's persistent
 * definition already matches the step's XML (the semantic comparison of
 * core/domain-compare.h, the one the planner used).
 */
#include "core/domain-compare.h"
#include "core/util.h"
#include "executors/facts/facts.h"
#include "executors/steps/step.h"
#include "executors/transport/libvirt.h"

/*
 * Whether have matches the definition in xml.  Returns 1 or 0, or -1 with
 * an error if xml cannot be read (a plan file edited by hand).
 */
static int
matches_xml(const struct berth_step *step, const char *xml,
	    const struct berth_domain_fact *have, struct berth_error **err)
{
	struct berth_domain_fact want = { 0 };
	struct berth_domain_os os = { 0 };
	struct berth_domain_shape shape;
	int rc;

	if (berth_facts_parse_domain_xml(xml, &want, err) < 0) {
		berth_error_prefix(err, "step %u: the domain XML of '%s': ", step->id, step->domain);
		berth_domain_fact_clear(&want);
		return -1;
	}
	if (!berth_domain_os_read(xml, &os)) {
		berth_error_set(err, BERTH_ERROR_INPUT, "step %u: the domain XML of '%s' is not well-formed",
				step->id, step->domain);
		berth_domain_fact_clear(&want);
		return -1;
	}
	shape = (struct berth_domain_shape){
		.uuid = want.uuid,
		.memory_kib = want.memory_kib,
		.vcpus = want.vcpus,
		.type = os.type,
		.kernel = os.kernel,
		.initrd = os.initrd,
		.cmdline = os.cmdline,
		.cpu_mode = os.cpu_mode,
		.cpu_model = os.cpu_model,
		.boot = berth_streq(os.boot_dev, "hd") ? "disk" : NULL,
		.serial = os.serial ? BERTH_TRUE : BERTH_FALSE,
		.disks = want.disks,
		.n_disks = want.n_disks,
		.nics = want.nics,
		.n_nics = want.n_nics,
	};
	rc = berth_domain_shape_matches(&shape, have, NULL) ? 1 : 0;
	berth_domain_os_clear(&os);
	berth_domain_fact_clear(&want);
	return rc;
}

static int
define_check(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
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
	if (rc < 0) {
		free(xml);
		berth_error_prefix(err, "host '%s': domain '%s': ", step->host, step->domain);
		return -1;
	}
	have.persistent = persistent == 1;
	free(have.xml);
	have.xml = xml;
	rc = matches_xml(step, step->xml, &have, err);
	berth_domain_fact_clear(&have);
	return rc;
}

static int
define_apply(struct berth_step_ctx *ctx, const struct berth_step *step,
	     struct berth_step_outcome *out, struct berth_error **err)
{
	virConnectPtr conn = berth_sessions_libvirt(ctx->sessions, step->host, err);
	virDomainPtr dom;

	(void)out;
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
