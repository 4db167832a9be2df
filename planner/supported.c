/* Settings the planner does not plan yet: see supported.h. */
#include "planner/supported.h"

#include "core/util.h"

int
berth_plan_check_supported(const struct berth_inventory *inv, struct berth_error **err)
{
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
