/*
 * Facts over one libvirt connection.  Round trips are per host, not per
 * domain, except the one XML description each domain needs (its memory,
 * vCPUs, disks and NICs): the list of domains with their state comes from
 * one virConnectGetAllDomainStats() call, persistence and autostart from two
 * filtered virConnectListAllDomains() calls.
 */
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "core/log.h"
#include "core/util.h"
#include "executors/facts/facts.h"
#include "executors/transport/libvirt.h"

/* The UUIDs of the domains that match flags, as strings. */
struct uuid_set {
	char (*uuids)[VIR_UUID_STRING_BUFLEN];
	size_t n;
};

static int
list_uuids(virConnectPtr conn, unsigned int flags, struct uuid_set *set,
	   struct berth_error **err)
{
	virDomainPtr *doms = NULL;
	int n = virConnectListAllDomains(conn, &doms, flags);

	if (n < 0) {
		berth_libvirt_error(err, BERTH_ERROR_HOST, "cannot list the domains");
		return -1;
	}
	set->uuids = xcalloc((size_t)n, sizeof(*set->uuids));
	set->n = (size_t)n;
	for (int i = 0; i < n; i++) {
		virDomainGetUUIDString(doms[i], set->uuids[i]);
		virDomainFree(doms[i]);
	}
	free(doms);
	return 0;
}

static bool
uuid_set_has(const struct uuid_set *set, const char *uuid)
{
	for (size_t i = 0; i < set->n; i++) {
		if (strcmp(set->uuids[i], uuid) == 0)
			return true;
	}
	return false;
}

/* Takes state, vCPUs and memory from the bulk stats where libvirt gave them. */
static void
apply_stats(const virDomainStatsRecord *rec, struct berth_domain_fact *d)
{
	int state = VIR_DOMAIN_NOSTATE;
	int reason = 0;

	/* Memory and vCPUs come from the XML: for a persistent domain, its
	 * definition, which is what the inventory is compared with; the live
	 * values of a running domain lag a redefinition until its next boot. */
	virTypedParamsGetInt(rec->params, rec->nparams, "state.state", &state);
	virTypedParamsGetInt(rec->params, rec->nparams, "state.reason", &reason);
	d->state = berth_libvirt_dom_state(state, reason);
}

/*
 * Fills d for the domain of rec.  Returns 1 when filled, 0 when the domain
 * vanished in the meantime (a transient domain that stopped), -1 on error.
 */
static int
domain_fact(const virDomainStatsRecord *rec, const struct uuid_set *persistent,
	    const struct uuid_set *autostart, struct berth_domain_fact *d,
	    struct berth_error **err)
{
	char uuid[VIR_UUID_STRING_BUFLEN];
	BERTH_AUTOFREE char *xml = NULL;
	bool is_persistent;

	virDomainGetUUIDString(rec->dom, uuid);
	is_persistent = uuid_set_has(persistent, uuid);
	xml = virDomainGetXMLDesc(rec->dom, is_persistent ? VIR_DOMAIN_XML_INACTIVE : 0);
	if (xml == NULL) {
		if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN)
			return 0;
		berth_libvirt_error(err, BERTH_ERROR_HOST, "cannot get the XML of domain '%s'",
				    virDomainGetName(rec->dom));
		return -1;
	}
	if (berth_facts_parse_domain_xml(xml, d, err) < 0)
		return -1;
	d->persistent = is_persistent;
	d->autostart = uuid_set_has(autostart, uuid);
	apply_stats(rec, d);
	return 1;
}

static int
compare_domains(const void *a, const void *b)
{
	const struct berth_domain_fact *x = a;
	const struct berth_domain_fact *y = b;

	return strcmp(x->name, y->name);
}

static int
gather_domains(virConnectPtr conn, struct berth_host_fact *h, struct berth_error **err)
{
	struct uuid_set persistent = { 0 };
	struct uuid_set autostart = { 0 };
	virDomainStatsRecordPtr *records = NULL;
	int n;
	int rc = -1;

	n = virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_STATE, &records, 0);
	if (n < 0) {
		berth_libvirt_error(err, BERTH_ERROR_HOST, "cannot read the domains' stats");
		return -1;
	}
	if (list_uuids(conn, VIR_CONNECT_LIST_DOMAINS_PERSISTENT, &persistent, err) < 0 ||
	    list_uuids(conn, VIR_CONNECT_LIST_DOMAINS_AUTOSTART, &autostart, err) < 0)
		goto cleanup;
	h->domains = xcalloc((size_t)n, sizeof(*h->domains));
	for (int i = 0; i < n; i++) {
		int got = domain_fact(records[i], &persistent, &autostart,
				      &h->domains[h->n_domains], err);

		if (got < 0) {
			berth_domain_fact_clear(&h->domains[h->n_domains]);
			goto cleanup;
		}
		h->n_domains += (size_t)got;
	}
	qsort(h->domains, h->n_domains, sizeof(*h->domains), compare_domains);
	rc = 0;

cleanup:
	free(persistent.uuids);
	free(autostart.uuids);
	virDomainStatsRecordListFree(records);
	return rc;
}

static int
libvirt_facts(virConnectPtr conn, struct berth_host_fact *h, struct berth_error **err)
{
	BERTH_AUTOFREE char *caps = NULL;
	unsigned long long free_bytes;
	virNodeInfo info;

	h->fqdn = virConnectGetHostname(conn);
	if (h->fqdn == NULL) {
		berth_libvirt_error(err, BERTH_ERROR_HOST, "cannot get the host name from libvirt");
		return -1;
	}
	caps = virConnectGetCapabilities(conn);
	if (caps == NULL) {
		berth_libvirt_error(err, BERTH_ERROR_HOST, "cannot get libvirt's capabilities");
		return -1;
	}
	if (berth_facts_parse_capabilities(caps, h, err) < 0)
		return -1;
	if (virNodeGetInfo(conn, &info) < 0) {
		berth_libvirt_error(err, BERTH_ERROR_HOST, "cannot get the node's memory");
		return -1;
	}
	h->memory_total_kib = info.memory;
	virResetLastError();
	free_bytes = virNodeGetFreeMemory(conn);
	if (free_bytes == 0 && virGetLastErrorCode() != VIR_ERR_OK) {
		berth_libvirt_error(err, BERTH_ERROR_HOST, "cannot get the node's free memory");
		return -1;
	}
	h->memory_free_kib = free_bytes / 1024;
	if (virConnectGetLibVersion(conn, &h->libvirt_version) < 0 ||
	    virConnectGetVersion(conn, &h->qemu_version) < 0) {
		berth_libvirt_error(err, BERTH_ERROR_HOST, "cannot get the libvirt and QEMU versions");
		return -1;
	}
	return gather_domains(conn, h, err);
}

int
berth_facts_from_libvirt(virConnectPtr conn, struct berth_host_fact *h,
			 struct berth_error **err)
{
	if (libvirt_facts(conn, h, err) < 0) {
		if (h->name != NULL)
			berth_error_prefix(err, "host '%s': ", h->name);
		return -1;
	}
	return 0;
}
