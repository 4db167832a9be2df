/*
 * The desired state's lifetime and look-ups; the parser fills it.
 */
#include <string.h>

#include "core/buf.h"
#include "core/inventory.h"
#include "core/uri.h"
#include "core/util.h"

static void
disk_clear(struct berth_disk *d)
{
	free(d->storage);
	free(d->image);
	free(d->format);
	free(d->target);
}

static void
nic_clear(struct berth_nic *n)
{
	free(n->bridge);
	free(n->mac);
	free(n->model);
}

void
berth_host_clear(struct berth_host *h)
{
	free(h->name);
	free(h->address);
	free(h->user);
	free(h->key);
	free(h->known_hosts);
	free(h->libvirt_uri);
	free(h->libvirt_host);
	free(h->libvirt_user);
	free(h->libvirt_socket);
	free(h->role);
	berth_strv_free(h->groups, h->n_groups);
	for (size_t j = 0; j < h->n_vars; j++) {
		free(h->vars[j].name);
		free(h->vars[j].value);
	}
	free(h->vars);
}

void
berth_migration_policy_clear(struct berth_migration_policy *policy)
{
	free(policy->mode);
	free(policy->transport);
	free(policy->on_timeout);
}

void
berth_domain_clear(struct berth_domain *d)
{
	free(d->name);
	free(d->host);
	free(d->group);
	free(d->cpu_mode);
	free(d->cpu_model);
	free(d->boot);
	free(d->xml_file);
	free(d->xml);
	for (size_t i = 0; i < d->n_edits; i++) {
		free(d->edits[i].xpath);
		free(d->edits[i].value);
	}
	free(d->edits);
	berth_migration_policy_clear(&d->migration);
	berth_strv_free(d->candidates, d->n_candidates);
	free(d->type);
	free(d->arch);
	free(d->machine);
	free(d->kernel);
	free(d->initrd);
	free(d->cmdline);
	for (size_t i = 0; i < d->n_disks; i++)
		disk_clear(&d->disks[i]);
	free(d->disks);
	for (size_t i = 0; i < d->n_nics; i++)
		nic_clear(&d->nics[i]);
	free(d->nics);
}

void
berth_inventory_free(struct berth_inventory *inv)
{
	if (inv == NULL)
		return;
	for (size_t i = 0; i < inv->n_hosts; i++)
		berth_host_clear(&inv->hosts[i]);
	free(inv->hosts);
	for (size_t i = 0; i < inv->n_groups; i++) {
		free(inv->groups[i].name);
		berth_strv_free(inv->groups[i].hosts, inv->groups[i].n_hosts);
		berth_strv_free(inv->groups[i].children, inv->groups[i].n_children);
	}
	free(inv->groups);
	berth_strv_free(inv->ignored_vars, inv->n_ignored_vars);
	for (size_t i = 0; i < inv->n_storage; i++) {
		struct berth_storage *st = &inv->storage[i];

		free(st->name);
		free(st->type);
		free(st->server);
		free(st->export_path);
		berth_strv_free(st->options, st->n_options);
		berth_strv_free(st->clients, st->n_clients);
		free(st->nfs_version);
		free(st->server_kind);
		free(st->attach);
		free(st->pool);
		free(st->target);
		free(st->path);
	}
	free(inv->storage);
	for (size_t i = 0; i < inv->n_bridges; i++) {
		free(inv->bridges[i].name);
		free(inv->bridges[i].uplink);
		berth_strv_free(inv->bridges[i].hosts, inv->bridges[i].n_hosts);
	}
	free(inv->bridges);
	for (size_t i = 0; i < inv->n_domains; i++)
		berth_domain_clear(&inv->domains[i]);
	free(inv->domains);
	for (size_t i = 0; i < inv->n_domain_groups; i++) {
		free(inv->domain_groups[i].name);
		berth_migration_policy_clear(&inv->domain_groups[i].migration);
	}
	free(inv->domain_groups);
	berth_migration_policy_clear(&inv->migration);
	free(inv->path);
	berth_strv_free(inv->includes, inv->n_includes);
	free(inv);
}

const struct berth_host *
berth_inventory_host(const struct berth_inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->n_hosts; i++) {
		if (berth_streq(inv->hosts[i].name, name))
			return &inv->hosts[i];
	}
	return NULL;
}

const struct berth_group *
berth_inventory_group(const struct berth_inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->n_groups; i++) {
		if (berth_streq(inv->groups[i].name, name))
			return &inv->groups[i];
	}
	return NULL;
}

/* berth_group_holds() at most depth levels of children down. */
static bool
holds_within(const struct berth_inventory *inv, const struct berth_group *g, const char *host,
	     size_t depth)
{
	for (size_t i = 0; i < g->n_hosts; i++) {
		if (strcmp(g->hosts[i], host) == 0)
			return true;
	}
	for (size_t i = 0; depth > 0 && i < g->n_children; i++) {
		const struct berth_group *child = berth_inventory_group(inv, g->children[i]);

		if (child != NULL && holds_within(inv, child, host, depth - 1))
			return true;
	}
	return false;
}

bool
berth_group_holds(const struct berth_inventory *inv, const struct berth_group *g,
		  const char *host)
{
	/* No chain of children is longer than there are groups. */
	return holds_within(inv, g, host, inv->n_groups);
}

const struct berth_storage *
berth_inventory_storage(const struct berth_inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->n_storage; i++) {
		if (berth_streq(inv->storage[i].name, name))
			return &inv->storage[i];
	}
	return NULL;
}

const struct berth_domain *
berth_inventory_domain(const struct berth_inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->n_domains; i++) {
		if (berth_streq(inv->domains[i].name, name))
			return &inv->domains[i];
	}
	return NULL;
}

struct berth_host_timeouts
berth_host_timeouts(const struct berth_host *host)
{
	struct berth_host_timeouts t = host->timeouts;

	if (t.connect_s == 0)
		t.connect_s = BERTH_HOST_CONNECT_TIMEOUT_S;
	if (t.command_s == 0)
		t.command_s = BERTH_HOST_COMMAND_TIMEOUT_S;
	if (t.libvirt_s == 0)
		t.libvirt_s = BERTH_HOST_LIBVIRT_TIMEOUT_S;
	if (t.keepalive_s == 0)
		t.keepalive_s = BERTH_HOST_LIBVIRT_KEEPALIVE_S;
	return t;
}

/* True for a libvirt_uri of the parser's form, to which berth adds its parameters. */
static bool
is_inventory_form(const char *uri)
{
	return strncmp(uri, "qemu+libssh2://", strlen("qemu+libssh2://")) == 0 &&
	       strchr(uri, '?') == NULL;
}

char *
berth_host_libvirt_uri(const struct berth_host *host)
{
	struct berth_buf uri = BERTH_BUF_INIT;
	unsigned port;

	if (host->libvirt_uri != NULL && !is_inventory_form(host->libvirt_uri))
		return xstrdup(host->libvirt_uri);
	port = host->libvirt_port != 0 ? host->libvirt_port : host->port;
	if (host->libvirt_uri != NULL)
		berth_buf_add(&uri, host->libvirt_uri);
	else
		berth_uri_add_server(&uri, "qemu+libssh2",
				     host->libvirt_user != NULL ? host->libvirt_user : host->user,
				     host->libvirt_host != NULL ? host->libvirt_host : host->address,
				     port != 22 ? port : 0, "/system");
	if (host->libvirt_socket != NULL)
		berth_uri_add_param(&uri, "socket", host->libvirt_socket);
	if (host->key != NULL) {
		berth_uri_add_param(&uri, "keyfile", host->key);
		berth_uri_add_param(&uri, "sshauth", "privkey");
	}
	if (host->known_hosts != NULL)
		berth_uri_add_param(&uri, "known_hosts", host->known_hosts);
	berth_uri_add_param(&uri, "known_hosts_verify", "normal");
	return berth_buf_detach(&uri);
}

char *
berth_host_peer_uri(const struct berth_host *host)
{
	struct berth_buf uri = BERTH_BUF_INIT;

	berth_uri_add_server(&uri, "qemu+ssh", host->user, host->address,
			     host->port != 22 ? host->port : 0, "/system");
	return berth_buf_detach(&uri);
}

const char *
berth_power_name(enum berth_power state)
{
	static const char *const names[] = {
		[BERTH_POWER_RUNNING] = "running",
		[BERTH_POWER_SHUTOFF] = "shutoff",
		[BERTH_POWER_ABSENT] = "absent",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == BERTH_POWER_LAST,
		       "a name for every power state");

	return names[state];
}
