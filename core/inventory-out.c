/* The inventory as JSON: see berth_inventory_print() in inventory.h. */
#include "core/inventory.h"
#include "core/output.h"

/* key: the string, or null. */
static void
string_or_null(struct berth_out *out, const char *key, const char *value)
{
	if (value != NULL)
		berth_out_string(out, key, NULL, value);
	else
		berth_out_null(out, key, NULL);
}

static void
names(struct berth_out *out, const char *key, char *const *v, size_t n)
{
	berth_out_open_array(out, key);
	for (size_t i = 0; i < n; i++)
		berth_out_string(out, NULL, NULL, v[i]);
	berth_out_close_array(out);
}

static void
print_host(struct berth_out *out, const struct berth_host *h)
{
	struct berth_host_timeouts t = berth_host_timeouts(h);

	berth_out_open_object(out, NULL);
	berth_out_string(out, "name", NULL, h->name);
	berth_out_string(out, "address", NULL, h->address);
	berth_out_string(out, "user", NULL, h->user);
	berth_out_uint(out, "port", NULL, h->port);
	string_or_null(out, "key", h->key);
	string_or_null(out, "known_hosts", h->known_hosts);
	string_or_null(out, "libvirt_uri", h->libvirt_uri);
	berth_out_open_object(out, "libvirt");
	string_or_null(out, "host", h->libvirt_host);
	if (h->libvirt_port > 0)
		berth_out_uint(out, "port", NULL, h->libvirt_port);
	else
		berth_out_null(out, "port", NULL);
	string_or_null(out, "user", h->libvirt_user);
	string_or_null(out, "socket", h->libvirt_socket);
	berth_out_close_object(out);
	berth_out_open_object(out, "timeouts_s");
	berth_out_uint(out, "connect", NULL, t.connect_s);
	berth_out_uint(out, "command", NULL, t.command_s);
	berth_out_uint(out, "libvirt", NULL, t.libvirt_s);
	berth_out_uint(out, "keepalive", NULL, t.keepalive_s);
	berth_out_close_object(out);
	string_or_null(out, "role", h->role);
	berth_out_bool(out, "maintenance", NULL, h->maintenance);
	berth_out_uint(out, "reserved_kib", NULL, h->reserved_kib);
	berth_out_uint(out, "vcpu_overcommit_pct", NULL, h->vcpu_overcommit_pct);
	names(out, "groups", h->groups, h->n_groups);
	berth_out_open_object(out, "vars");
	for (size_t i = 0; i < h->n_vars; i++)
		string_or_null(out, h->vars[i].name, h->vars[i].value);
	berth_out_close_object(out);
	berth_out_close_object(out);
}

static void
tristate(struct berth_out *out, const char *key, enum berth_tristate value)
{
	if (value != BERTH_UNSET)
		berth_out_bool(out, key, NULL, value == BERTH_TRUE);
	else
		berth_out_null(out, key, NULL);
}

static void
uint_or_null(struct berth_out *out, const char *key, unsigned value)
{
	if (value > 0)
		berth_out_uint(out, key, NULL, value);
	else
		berth_out_null(out, key, NULL);
}

/* A policy under key, what it leaves unset as null. */
static void
print_policy(struct berth_out *out, const char *key, const struct berth_migration_policy *m)
{
	berth_out_open_object(out, key);
	string_or_null(out, "mode", m->mode);
	string_or_null(out, "transport", m->transport);
	uint_or_null(out, "max_downtime_ms", m->max_downtime_ms);
	uint_or_null(out, "bandwidth_mib_s", m->bandwidth_mib_s);
	uint_or_null(out, "parallel_connections", m->parallel_connections);
	uint_or_null(out, "timeout_s", m->timeout_s);
	string_or_null(out, "on_timeout", m->on_timeout);
	uint_or_null(out, "progress_timeout_s", m->progress_timeout_s);
	uint_or_null(out, "shutdown_timeout_s", m->shutdown_timeout_s);
	tristate(out, "postcopy", m->postcopy);
	tristate(out, "auto_converge", m->auto_converge);
	tristate(out, "compressed", m->compressed);
	tristate(out, "force_off", m->force_off);
	berth_out_close_object(out);
}

static void
print_domain(struct berth_out *out, const struct berth_domain *d)
{
	berth_out_open_object(out, NULL);
	berth_out_string(out, "name", NULL, d->name);
	string_or_null(out, "host", d->host);
	berth_out_bool(out, "host_auto", NULL, d->host_auto);
	names(out, "hosts", d->candidates, d->n_candidates);
	berth_out_string(out, "state", NULL, berth_power_name(d->state));
	berth_out_bool(out, "autostart", NULL, d->autostart);
	berth_out_open_object(out, "cpu");
	string_or_null(out, "mode", d->cpu_mode);
	string_or_null(out, "model", d->cpu_model);
	berth_out_close_object(out);
	string_or_null(out, "boot", d->boot);
	berth_out_bool(out, "serial", NULL, d->serial != BERTH_FALSE);
	string_or_null(out, "xml", d->xml_file);
	berth_out_open_array(out, "edits");
	for (size_t i = 0; i < d->n_edits; i++) {
		berth_out_open_object(out, NULL);
		berth_out_string(out, d->edits[i].value != NULL ? "set" : "delete", NULL,
				 d->edits[i].xpath);
		if (d->edits[i].value != NULL)
			berth_out_string(out, "value", NULL, d->edits[i].value);
		berth_out_close_object(out);
	}
	berth_out_close_array(out);
	string_or_null(out, "group", d->group);
	print_policy(out, "migration", &d->migration);
	berth_out_uint(out, "memory_kib", NULL, d->memory_kib);
	berth_out_uint(out, "vcpus", NULL, d->vcpus);
	berth_out_string(out, "uuid", NULL, d->uuid);
	berth_out_bool(out, "uuid_given", NULL, d->uuid_given);
	berth_out_string(out, "type", NULL, d->type);
	berth_out_string(out, "arch", NULL, d->arch);
	berth_out_string(out, "machine", NULL, d->machine);
	string_or_null(out, "kernel", d->kernel);
	string_or_null(out, "initrd", d->initrd);
	string_or_null(out, "cmdline", d->cmdline);
	berth_out_open_array(out, "disks");
	for (size_t i = 0; i < d->n_disks; i++) {
		const struct berth_disk *k = &d->disks[i];

		berth_out_open_object(out, NULL);
		berth_out_string(out, "storage", NULL, k->storage);
		berth_out_string(out, "image", NULL, k->image);
		berth_out_uint(out, "size_bytes", NULL, k->size_bytes);
		berth_out_string(out, "format", NULL, k->format);
		berth_out_string(out, "target", NULL, k->target);
		berth_out_close_object(out);
	}
	berth_out_close_array(out);
	berth_out_open_array(out, "nics");
	for (size_t i = 0; i < d->n_nics; i++) {
		berth_out_open_object(out, NULL);
		berth_out_string(out, "bridge", NULL, d->nics[i].bridge);
		berth_out_string(out, "mac", NULL, d->nics[i].mac);
		berth_out_string(out, "model", NULL, d->nics[i].model);
		berth_out_close_object(out);
	}
	berth_out_close_array(out);
	berth_out_close_object(out);
}

void
berth_inventory_print(struct berth_out *out, const struct berth_inventory *inv)
{
	berth_out_open_array(out, "hosts");
	for (size_t i = 0; i < inv->n_hosts; i++)
		print_host(out, &inv->hosts[i]);
	berth_out_close_array(out);
	berth_out_open_array(out, "groups");
	for (size_t i = 0; i < inv->n_groups; i++) {
		berth_out_open_object(out, NULL);
		berth_out_string(out, "name", NULL, inv->groups[i].name);
		names(out, "hosts", inv->groups[i].hosts, inv->groups[i].n_hosts);
		names(out, "children", inv->groups[i].children, inv->groups[i].n_children);
		berth_out_close_object(out);
	}
	berth_out_close_array(out);
	names(out, "ignored_vars", inv->ignored_vars, inv->n_ignored_vars);
	berth_out_open_array(out, "storage");
	for (size_t i = 0; i < inv->n_storage; i++) {
		const struct berth_storage *st = &inv->storage[i];

		berth_out_open_object(out, NULL);
		berth_out_string(out, "name", NULL, st->name);
		berth_out_string(out, "type", NULL, st->type);
		string_or_null(out, "server", st->server);
		string_or_null(out, "export", st->export_path);
		names(out, "options", st->options, st->n_options);
		names(out, "clients", st->clients, st->n_clients);
		string_or_null(out, "nfs_version", st->nfs_version);
		string_or_null(out, "server_kind", st->server_kind);
		string_or_null(out, "attach", st->attach);
		string_or_null(out, "pool", st->pool);
		string_or_null(out, "target", st->target);
		berth_out_bool(out, "autostart", NULL, st->autostart);
		string_or_null(out, "path", st->path);
		berth_out_close_object(out);
	}
	berth_out_close_array(out);
	berth_out_open_array(out, "bridges");
	for (size_t i = 0; i < inv->n_bridges; i++) {
		const struct berth_bridge *b = &inv->bridges[i];

		berth_out_open_object(out, NULL);
		berth_out_string(out, "name", NULL, b->name);
		string_or_null(out, "uplink", b->uplink);
		berth_out_bool(out, "move_addresses", NULL, b->move_addresses);
		berth_out_bool(out, "stp", NULL, b->stp);
		names(out, "hosts", b->hosts, b->n_hosts);
		berth_out_close_object(out);
	}
	berth_out_close_array(out);
	berth_out_open_array(out, "domains");
	for (size_t i = 0; i < inv->n_domains; i++)
		print_domain(out, &inv->domains[i]);
	berth_out_close_array(out);
	berth_out_open_array(out, "domain_groups");
	for (size_t i = 0; i < inv->n_domain_groups; i++) {
		berth_out_open_object(out, NULL);
		berth_out_string(out, "name", NULL, inv->domain_groups[i].name);
		print_policy(out, "migration", &inv->domain_groups[i].migration);
		berth_out_close_object(out);
	}
	berth_out_close_array(out);
	print_policy(out, "migration", &inv->migration);
	berth_out_open_object(out, "limits");
	uint_or_null(out, "max_parallel_migrations", inv->limits.max_parallel_migrations);
	uint_or_null(out, "max_outbound_per_host", inv->limits.max_outbound_per_host);
	uint_or_null(out, "max_inbound_per_host", inv->limits.max_inbound_per_host);
	berth_out_close_object(out);
}
