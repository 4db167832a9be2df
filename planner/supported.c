/* Settings the planner does not plan yet: see supported.h. */
#include "planner/supported.h"

#include <string.h>

#include "core/util.h"

/*
 * The first setting of policy (the domain's, merged) that berth does not do
 * yet, or NULL: it migrates live, peer to peer, with libvirt's defaults, and
 * destroys a guest that ignores shutdown; top is the inventory's own policy,
 * whose shutdown_timeout_s is apply's default stop timeout.
 */
static const char *
unsupported_policy(const struct berth_migration_policy *m,
		   const struct berth_migration_policy *top)
{
	if (m->mode != NULL && strcmp(m->mode, "live") != 0)
		return "mode";
	if (m->transport != NULL && strcmp(m->transport, "p2p") != 0)
		return "transport";
	if (m->max_downtime_ms > 0)
		return "max_downtime_ms";
	if (m->bandwidth_mib_s > 0)
		return "bandwidth_mib_s";
	if (m->parallel_connections > 0)
		return "parallel_connections";
	if (m->timeout_s > 0)
		return "timeout_s";
	if (m->on_timeout != NULL)
		return "on_timeout";
	if (m->progress_timeout_s > 0)
		return "progress_timeout_s";
	if (m->shutdown_timeout_s != top->shutdown_timeout_s)
		return "shutdown_timeout_s";
	if (m->postcopy == BERTH_TRUE)
		return "postcopy";
	if (m->auto_converge == BERTH_TRUE)
		return "auto_converge";
	if (m->compressed == BERTH_TRUE)
		return "compressed";
	if (m->force_off == BERTH_FALSE)
		return "force_off";
	return NULL;
}

int
berth_plan_check_supported(const struct berth_inventory *inv, struct berth_error **err)
{
	if (inv->limits.max_outbound_per_host > 0 || inv->limits.max_inbound_per_host > 0) {
		berth_error_set(err, BERTH_ERROR_INPUT,
				"migration: %s is not planned yet: berth limits the steps on each "
				"host (2 at once), not migrations by direction",
				inv->limits.max_outbound_per_host > 0 ? "max_outbound_per_host"
				: "max_inbound_per_host");
		return -1;
	}
	for (size_t i = 0; i < inv->n_storage; i++) {
		const struct berth_storage *s = &inv->storage[i];

		if (berth_streq(s->type, "local")) {
			berth_error_set(err, BERTH_ERROR_INPUT,
					"storage '%s': type 'local' is not planned yet: berth plans "
					"only NFS storage that QEMU opens itself (attach: qemu)",
					s->name);
			return -1;
		}
		if (s->attach != NULL && !berth_streq(s->attach, "qemu")) {
			berth_error_set(err, BERTH_ERROR_INPUT,
					"storage '%s': attach '%s' is not planned yet: berth does not "
					"mount shares on the hypervisors; use attach: qemu (QEMU's own "
					"NFS client)", s->name, s->attach);
			return -1;
		}
	}
	for (size_t i = 0; i < inv->n_domains; i++) {
		const struct berth_domain *d = &inv->domains[i];

		if (d->host_auto || d->n_candidates > 0) {
			berth_error_set(err, BERTH_ERROR_INPUT,
					"domain '%s': %s is not planned yet: berth does not choose "
					"hosts; name the one it runs on with host:", d->name,
					d->host_auto ? "host: auto" : "hosts: (candidates)");
			return -1;
		}
		const char *setting = unsupported_policy(&d->migration, &inv->migration);

		if (setting != NULL) {
			berth_error_set(err, BERTH_ERROR_INPUT,
					"domain '%s': migration: %s is not planned yet: berth migrates "
					"live, peer to peer, with libvirt's defaults%s", d->name, setting,
					strcmp(setting, "shutdown_timeout_s") == 0
					? " (a shutdown_timeout_s of its own: only the inventory's, "
					  "for every domain, is)" : "");
			return -1;
		}
		if (d->xml != NULL || d->n_edits > 0) {
			berth_error_set(err, BERTH_ERROR_INPUT,
					"domain '%s': %s is not planned yet: berth writes the domain's "
					"XML from the compact spec (memory, vcpus, cpu, boot, kernel, "
					"disks, nics, serial)", d->name,
					d->xml != NULL ? "xml:" : "edits:");
			return -1;
		}
		if (d->autostart) {
			berth_error_set(err, BERTH_ERROR_INPUT,
					"domain '%s': autostart: true is not planned yet: berth does "
					"not set libvirt's autostart; leave it out (virsh autostart "
					"sets it by hand)", d->name);
			return -1;
		}
	}
	return 0;
}
