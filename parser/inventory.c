/*
 * The inventory language: the tables of keys for each kind of entry, the
 * sections that hold the entries, and the two ways in (a file, a string).
 * The walker behind the tables is in fields.c; the checks across entries
 * are in references.c.
 */
#include "parser/inventory.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <uuid/uuid.h>

#include "core/buf.h"
#include "core/digest.h"
#include "core/name-index.h"
#include "core/uri.h"
#include "core/util.h"
#include "parser/domain-spec.h"
#include "parser/fields.h"
#include "parser/groups.h"
#include "parser/include.h"
#include "parser/names.h"
#include "parser/policy.h"
#include "parser/references.h"

#define N_FIELDS(table) (sizeof(table) / sizeof((table)[0]))

static const char *const domain_types[] = { "kvm", "qemu", NULL };
static const char *const host_roles[] = { "hypervisor", "storage", "both", NULL };
static const char *const disk_formats[] = { "qcow2", "raw", NULL };
static const char *const boot_kinds[] = { "kernel", "disk", NULL };

/*
 * Reads one entry of a section or one item of a list into obj, from map (NULL
 * when the entry was left empty); node is the entry's name or the item.
 */
typedef int read_fn(struct berth_parse *p, const struct berth_yaml_node *node,
		    const struct berth_yaml_node *map, const char *where, void *obj);

static int read_disks(struct berth_parse *p, const struct berth_yaml_node *value,
		      const char *name, const char *where, void *obj);
static int read_nics(struct berth_parse *p, const struct berth_yaml_node *value,
		     const char *name, const char *where, void *obj);

static int read_export_options(struct berth_parse *p, const struct berth_yaml_node *value,
			       const char *name, const char *where, void *obj);
static int read_clients(struct berth_parse *p, const struct berth_yaml_node *value,
			const char *name, const char *where, void *obj);
static int read_bridge_hosts(struct berth_parse *p, const struct berth_yaml_node *value,
			     const char *name, const char *where, void *obj);
static int read_libvirt(struct berth_parse *p, const struct berth_yaml_node *value,
			const char *name, const char *where, void *obj);
static int read_domain_host(struct berth_parse *p, const struct berth_yaml_node *value,
			    const char *name, const char *where, void *obj);
static int read_domain_group_ref(struct berth_parse *p, const struct berth_yaml_node *value,
				 const char *name, const char *where, void *obj);
static int read_domain_migration(struct berth_parse *p, const struct berth_yaml_node *value,
				 const char *name, const char *where, void *obj);
static int read_candidates(struct berth_parse *p, const struct berth_yaml_node *value,
			   const char *name, const char *where, void *obj);
static int read_words(struct berth_parse *p, const struct berth_yaml_node *value,
		      const char *name, const char *where, const char *what,
		      bool (*ok)(const char *), char ***words, size_t *n);

#define HOST(member) .offset = offsetof(struct berth_host, member)
#define BRIDGE(member) .offset = offsetof(struct berth_bridge, member)
#define STORAGE(member) .offset = offsetof(struct berth_storage, member)
#define DOMAIN(member) .offset = offsetof(struct berth_domain, member)
#define DISK(member) .offset = offsetof(struct berth_disk, member)
#define NIC(member) .offset = offsetof(struct berth_nic, member)

/* The only libvirt transport berth opens (docs/security.md says why). */
static const char *const libvirt_transports[] = { "libssh2", NULL };

/* libvirt:'s keys, into the host's libvirt_* members. */
struct libvirt_keys {
	char *transport;
	char *host;
	unsigned port;
	char *user;
	char *socket;
};

#define LIBVIRT(member) .offset = offsetof(struct libvirt_keys, member)

static const struct berth_field libvirt_fields[] = {
	{ "transport", NULL, BERTH_FIELD_CHOICE, LIBVIRT(transport), .choices = libvirt_transports },
	{ "host", NULL, BERTH_FIELD_HOST_ADDRESS, LIBVIRT(host) },
	{ "port", NULL, BERTH_FIELD_UNSIGNED, LIBVIRT(port), .min = 1, .max = 65535 },
	{ "user", NULL, BERTH_FIELD_STRING, LIBVIRT(user) },
	{ "socket", NULL, BERTH_FIELD_ABSOLUTE_PATH, LIBVIRT(socket) },
};

/* A host's timeouts: 1 s to 1 h; a host silent for longer is not coming back. */
#define TIMEOUT_RANGE .min = 1, .max = 3600

static const struct berth_field host_fields[] = {
	{ "address", "ansible_host", BERTH_FIELD_HOST_ADDRESS, HOST(address), .no_default = true },
	{ "user", "ansible_user", BERTH_FIELD_STRING, HOST(user) },
	{ "port", "ansible_port", BERTH_FIELD_UNSIGNED, HOST(port), .min = 1, .max = 65535 },
	{ "key", "ansible_ssh_private_key_file", BERTH_FIELD_LOCAL_PATH, HOST(key) },
	{ "known_hosts", NULL, BERTH_FIELD_LOCAL_PATH, HOST(known_hosts) },
	{ "libvirt_uri", NULL, BERTH_FIELD_LIBVIRT_URI, HOST(libvirt_uri), .no_default = true },
	{ "libvirt", NULL, BERTH_FIELD_CUSTOM, .no_default = true, .parse = read_libvirt },
	{ "connect_timeout", NULL, BERTH_FIELD_DURATION, HOST(timeouts.connect_s), TIMEOUT_RANGE },
	{ "command_timeout", NULL, BERTH_FIELD_DURATION, HOST(timeouts.command_s), TIMEOUT_RANGE },
	{ "libvirt_timeout", NULL, BERTH_FIELD_DURATION, HOST(timeouts.libvirt_s), TIMEOUT_RANGE },
	{ "libvirt_keepalive", NULL, BERTH_FIELD_DURATION, HOST(timeouts.keepalive_s),
	  TIMEOUT_RANGE },
	{ "role", NULL, BERTH_FIELD_CHOICE, HOST(role), .choices = host_roles },
	{ "maintenance", NULL, BERTH_FIELD_BOOL, HOST(maintenance) },
	{ "reserved", NULL, BERTH_FIELD_MEMORY, HOST(reserved_kib) },
	/* From 1 to 64 vCPUs per CPU, in hundredths. */
	{ "vcpu_overcommit", NULL, BERTH_FIELD_RATIO, HOST(vcpu_overcommit_pct),
	  .min = 100, .max = 6400 },
};

static const char *const storage_types[] = { "nfs", "local", NULL };
static const char *const nfs_versions[] = { "3", "4", "4.1", "4.2", NULL };
static const char *const server_kinds[] = { "auto", "kernel", "ganesha", NULL };
static const char *const attach_kinds[] = { "qemu", "pool", "fstab", NULL };

static const struct berth_field storage_fields[] = {
	{ "type", NULL, BERTH_FIELD_CHOICE, STORAGE(type), .choices = storage_types },
	{ "server", NULL, BERTH_FIELD_STRING, STORAGE(server) },
	{ "export", NULL, BERTH_FIELD_ABSOLUTE_PATH, STORAGE(export_path) },
	{ "options", NULL, BERTH_FIELD_CUSTOM, .parse = read_export_options },
	{ "clients", NULL, BERTH_FIELD_CUSTOM, .parse = read_clients },
	{ "nfs_version", NULL, BERTH_FIELD_CHOICE, STORAGE(nfs_version), .choices = nfs_versions },
	{ "server_kind", NULL, BERTH_FIELD_CHOICE, STORAGE(server_kind), .choices = server_kinds },
	{ "attach", NULL, BERTH_FIELD_CHOICE, STORAGE(attach), .choices = attach_kinds },
	{ "pool", NULL, BERTH_FIELD_STRING, STORAGE(pool) },
	{ "target", NULL, BERTH_FIELD_ABSOLUTE_PATH, STORAGE(target) },
	{ "autostart", NULL, BERTH_FIELD_BOOL, STORAGE(autostart) },
	{ "path", NULL, BERTH_FIELD_ABSOLUTE_PATH, STORAGE(path) },
};

static const struct berth_field bridge_fields[] = {
	{ "uplink", NULL, BERTH_FIELD_INTERFACE, BRIDGE(uplink) },
	{ "move_addresses", NULL, BERTH_FIELD_BOOL, BRIDGE(move_addresses) },
	{ "stp", NULL, BERTH_FIELD_BOOL, BRIDGE(stp) },
	{ "hosts", NULL, BERTH_FIELD_CUSTOM, .parse = read_bridge_hosts },
};

static const struct berth_field domain_fields[] = {
	{ "host", NULL, BERTH_FIELD_CUSTOM, .no_default = true, .parse = read_domain_host },
	{ "hosts", NULL, BERTH_FIELD_CUSTOM, .no_default = true, .parse = read_candidates },
	{ "state", NULL, BERTH_FIELD_POWER, DOMAIN(state) },
	{ "autostart", NULL, BERTH_FIELD_BOOL, DOMAIN(autostart) },
	/* Required, but not of an absent domain: see check_placement(). */
	{ "memory", NULL, BERTH_FIELD_MEMORY, DOMAIN(memory_kib) },
	{ "vcpus", NULL, BERTH_FIELD_UNSIGNED, DOMAIN(vcpus), .min = 1, .max = 256 },
	{ "uuid", NULL, BERTH_FIELD_UUID, DOMAIN(uuid), .no_default = true },
	{ "type", NULL, BERTH_FIELD_CHOICE, DOMAIN(type), .choices = domain_types },
	{ "arch", NULL, BERTH_FIELD_STRING, DOMAIN(arch) },
	{ "machine", NULL, BERTH_FIELD_STRING, DOMAIN(machine) },
	{ "kernel", NULL, BERTH_FIELD_ABSOLUTE_PATH, DOMAIN(kernel) },
	{ "initrd", NULL, BERTH_FIELD_ABSOLUTE_PATH, DOMAIN(initrd) },
	{ "cmdline", NULL, BERTH_FIELD_STRING, DOMAIN(cmdline) },
	{ "disks", NULL, BERTH_FIELD_CUSTOM, .no_default = true, .parse = read_disks },
	{ "nics", NULL, BERTH_FIELD_CUSTOM, .no_default = true, .parse = read_nics },
	{ "cpu", NULL, BERTH_FIELD_CUSTOM, .no_default = true, .parse = berth_read_domain_cpu },
	{ "boot", NULL, BERTH_FIELD_CHOICE, DOMAIN(boot), .choices = boot_kinds },
	{ "serial", NULL, BERTH_FIELD_TRISTATE, DOMAIN(serial) },
	{ "xml", NULL, BERTH_FIELD_CUSTOM, .no_default = true, .parse = berth_read_domain_xml },
	{ "edits", NULL, BERTH_FIELD_CUSTOM, .no_default = true,
	  .parse = berth_read_domain_edits },
	{ "group", NULL, BERTH_FIELD_CUSTOM, .no_default = true, .parse = read_domain_group_ref },
	{ "migration", NULL, BERTH_FIELD_CUSTOM, .no_default = true,
	  .parse = read_domain_migration },
};

static const struct berth_field disk_fields[] = {
	{ "storage", NULL, BERTH_FIELD_STRING, DISK(storage), .required = true },
	{ "image", NULL, BERTH_FIELD_FILE_NAME, DISK(image), .required = true },
	{ "size", NULL, BERTH_FIELD_DISK_SIZE, DISK(size_bytes) },
	{ "format", NULL, BERTH_FIELD_CHOICE, DISK(format), .choices = disk_formats },
	{ "target", NULL, BERTH_FIELD_STRING, DISK(target) },
};

static const struct berth_field nic_fields[] = {
	{ "bridge", NULL, BERTH_FIELD_INTERFACE, NIC(bridge), .required = true },
	/* Derived from the domain's name and the NIC's place when left out. */
	{ "mac", NULL, BERTH_FIELD_MAC, NIC(mac) },
	{ "model", NULL, BERTH_FIELD_STRING, NIC(model) },
};

bool
berth_inventory_name_is_valid(const char *name)
{
	return berth_name_is_valid(BERTH_NAME_ENTRY, name);
}


/*
 * Reads an entry or list item: its settings map (NULL when left empty) into
 * obj, which holds its defaults, then checks its required keys, failing at
 * loc if one is missing.
 */
static int
read_settings(struct berth_parse *p, const struct berth_yaml_node *map,
	      struct berth_location loc, const char *where,
	      const struct berth_field *fields, size_t n, void *obj)
{
	int rc = 0;

	if (map != NULL && berth_fields_parse(p, map, where, fields, n, obj, false) < 0)
		rc = -1;
	if (berth_fields_check_required(p, loc, where, fields, n, obj, map) < 0)
		rc = -1;
	return rc;
}

#define READ_SETTINGS(p, map, loc, where, table, obj) \
	read_settings((p), (map), (loc), (where), (table), N_FIELDS(table), (obj))

/*
 * Sets the array pointer at array_out (the address of a struct berth_host *
 * or the like) to a new zeroed array of n items of size bytes, and returns it.
 */
static char *
new_array(void *array_out, size_t n, size_t size)
{
	void *items = xcalloc(n, size);

	/* Copied, not stored through a void **: the pointer's type is not void *. */
	memcpy(array_out, &items, sizeof(items));
	return items;
}

/*
 * Calls read for an entry or item whose settings node is not a mapping (its
 * problem is already added) as if it were empty, without the problems of
 * the keys it then lacks.
 */
static int
read_broken(struct berth_parse *p, read_fn *read, const struct berth_yaml_node *node,
	    const char *where, void *obj)
{
	p->lenient = true;
	read(p, node, NULL, where, obj);
	p->lenient = false;
	return -1;
}

/*
 * Reads a section (hosts:, storage:, domains:): a mapping from entry names
 * to their settings, each name valid and given once, into a new array at
 * array_out (see new_array()).  Every pair of the mapping gets a slot, in
 * order, counted in *count, so slot i is pair i and a failed entry is freed
 * too; a pair whose name is refused keeps a slot with no name, which the
 * checks across entries skip.  Calls read for each named entry, with obj
 * pointing at its slot.
 */
static int
read_section(struct berth_parse *p, const struct berth_yaml_node *section, const char *name,
	     const char *what, void *array_out, size_t size, size_t *count, read_fn *read)
{
	char *array;
	BERTH_AUTOFREE char *subject = xasprintf("'%s'", name);
	const struct berth_yaml_node *map;
	struct berth_name_index seen;
	int rc = 0;

	if (berth_expect_mapping(p, section, "", subject, &map) < 0)
		return -1;
	if (map == NULL)
		return 0;
	array = new_array(array_out, berth_yaml_n_pairs(map), size);
	berth_name_index_init(&seen, berth_yaml_n_pairs(map));
	for (size_t i = 0; i < berth_yaml_n_pairs(map); i++) {
		const struct berth_yaml_node *key = map->items[2 * i];
		const struct berth_yaml_node *first;
		const struct berth_yaml_node *settings;
		BERTH_AUTOFREE char *entry = NULL;
		BERTH_AUTOFREE char *where = NULL;
		void *slot = array + (*count)++ * size;

		if (berth_yaml_is_merge_key(key)) {
			rc = -1;
			continue;
		}
		if (key->kind != BERTH_YAML_SCALAR) {
			BERTH_AUTOFREE char *got = berth_yaml_describe(key);

			rc = berth_parse_fail(p, key->loc, "%s name must be a string, got %s",
					      what, got);
			continue;
		}
		if (!berth_inventory_name_is_valid(key->text)) {
			BERTH_AUTOFREE char *got = berth_yaml_describe(key);

			rc = berth_parse_fail(p, key->loc, "%s name %s is not valid: it must %s",
					      what, got, berth_name_rule(BERTH_NAME_ENTRY));
			continue;
		}
		first = berth_name_index_add(&seen, key->text, key);
		if (first != NULL) {
			BERTH_AUTOFREE char *at = berth_parse_place(p, first->loc, key->loc);

			rc = berth_parse_fail(p, key->loc, "duplicate %s '%s' (first at %s)",
					      what, key->text, at);
			continue;
		}
		entry = xasprintf("%s '%s'", what, key->text);
		where = xasprintf("%s: ", entry);
		if (berth_expect_mapping(p, map->items[2 * i + 1], "", entry, &settings) < 0)
			rc = read_broken(p, read, key, where, slot);
		else if (read(p, key, settings, where, slot) < 0)
			rc = -1;
	}
	berth_name_index_release(&seen);
	return rc;
}

/*
 * Reads a list of mappings (disks:, nics:) into a new array at array_out
 * (see new_array()), calling read for each item with obj pointing at its
 * slot, after counting it in *count; messages about item N start with
 * "WHERE WHAT N: ".  Nothing at all is an empty list.
 */
static int
read_list(struct berth_parse *p, const struct berth_yaml_node *list, const char *name,
	  const char *where, const char *what, void *array_out, size_t size, size_t *count,
	  read_fn *read)
{
	char *array;
	int rc = 0;

	if (berth_yaml_is_null(list))
		return 0;
	if (list->kind != BERTH_YAML_SEQUENCE) {
		BERTH_AUTOFREE char *got = berth_yaml_describe(list);

		return berth_parse_fail(p, list->loc, "%s'%s' must be a list, got %s",
					where, name, got);
	}
	array = new_array(array_out, list->n_items, size);
	for (size_t i = 0; i < list->n_items; i++) {
		BERTH_AUTOFREE char *subject = xasprintf("%s %zu", what, i + 1);
		BERTH_AUTOFREE char *item_where = xasprintf("%s%s: ", where, subject);
		const struct berth_yaml_node *map;
		void *slot = array + (*count)++ * size;

		if (berth_expect_mapping(p, list->items[i], where, subject, &map) < 0)
			rc = read_broken(p, read, list->items[i], item_where, slot);
		else if (read(p, list->items[i], map, item_where, slot) < 0)
			rc = -1;
	}
	return rc;
}

/* The default target of the disk at index: vda ... vdz, vdaa ... as libvirt. */
static char *
disk_target(size_t index)
{
	char letters[16];
	size_t n = 0;
	struct berth_buf sb = BERTH_BUF_INIT;

	for (unsigned long long left = index + 1ULL; left > 0 && n < sizeof(letters);
	     left = (left - 1) / 26)
		letters[n++] = (char)('a' + (left - 1) % 26);
	berth_buf_add(&sb, "vd");
	while (n > 0)
		berth_buf_addch(&sb, letters[--n]);
	return berth_buf_detach(&sb);
}

static int
read_disk(struct berth_parse *p, const struct berth_yaml_node *item,
	  const struct berth_yaml_node *map, const char *where, void *obj)
{
	struct berth_disk *disk = obj;
	int rc;

	disk->loc = item->loc;
	rc = READ_SETTINGS(p, map, disk->loc, where, disk_fields, disk);
	if (disk->format == NULL)
		disk->format = xstrdup(disk_formats[0]);
	return rc;
}

static int
read_disks(struct berth_parse *p, const struct berth_yaml_node *value,
	   const char *name, const char *where, void *obj)
{
	struct berth_domain *d = obj;

	return read_list(p, value, name, where, "disk", &d->disks,
			 sizeof(*d->disks), &d->n_disks, read_disk);
}

static int
read_nic(struct berth_parse *p, const struct berth_yaml_node *item,
	 const struct berth_yaml_node *map, const char *where, void *obj)
{
	struct berth_nic *nic = obj;
	int rc;

	nic->loc = item->loc;
	rc = READ_SETTINGS(p, map, nic->loc, where, nic_fields, nic);
	if (nic->model == NULL)
		nic->model = xstrdup("virtio");
	return rc;
}

static int
read_nics(struct berth_parse *p, const struct berth_yaml_node *value,
	  const char *name, const char *where, void *obj)
{
	struct berth_domain *d = obj;

	return read_list(p, value, name, where, "nic", &d->nics,
			 sizeof(*d->nics), &d->n_nics, read_nic);
}

/* "auto" is not a host's name: host: auto says berth picks one. */
static int
check_host_name(struct berth_parse *p, const struct berth_host *h)
{
	if (strcmp(h->name, "auto") != 0)
		return 0;
	return berth_parse_fail(p, h->loc, "host name 'auto' is reserved: a domain's "
				"'host: auto' means berth picks its host");
}

static int
read_host(struct berth_parse *p, const struct berth_yaml_node *key,
	  const struct berth_yaml_node *map, const char *where, void *obj)
{
	struct berth_host *h = obj;
	int rc;

	h->name = xstrdup(key->text);
	h->loc = key->loc;
	berth_fields_copy(host_fields, N_FIELDS(host_fields), h, &p->host_defaults);
	rc = READ_SETTINGS(p, map, h->loc, where, host_fields, h);
	if (check_host_name(p, h) < 0)
		rc = -1;
	if (map != NULL && berth_yaml_get(map, "libvirt") != NULL &&
	    berth_yaml_get(map, "libvirt_uri") != NULL)
		rc = berth_parse_fail(p, berth_fields_loc(map, "libvirt", h->loc), "%sgive "
				      "'libvirt' or 'libvirt_uri', not both", where);
	if (h->address == NULL)
		h->address = xstrdup(h->name);
	return rc;
}

/*
 * libvirt: how libvirt reaches the host when it differs from berth's own SSH
 * (another user, host or port, a socket), as keys rather than a URI.
 */
static int
read_libvirt(struct berth_parse *p, const struct berth_yaml_node *value,
	     const char *name, const char *where, void *obj)
{
	struct berth_host *h = obj;
	struct libvirt_keys keys = { .transport = NULL };
	int rc;

	rc = berth_fields_parse_nested(p, value, name, where, libvirt_fields,
				       N_FIELDS(libvirt_fields), &keys, false);
	free(h->libvirt_host);
	free(h->libvirt_user);
	free(h->libvirt_socket);
	h->libvirt_host = keys.host;
	h->libvirt_user = keys.user;
	h->libvirt_socket = keys.socket;
	h->libvirt_port = keys.port;
	free(keys.transport);
	return rc;
}

static bool
entry_name_ok(const char *text)
{
	return berth_name_is_valid(BERTH_NAME_ENTRY, text);
}

static int
read_bridge_hosts(struct berth_parse *p, const struct berth_yaml_node *value,
		  const char *name, const char *where, void *obj)
{
	struct berth_bridge *b = obj;

	return read_words(p, value, name, where, "a host or group name", entry_name_ok,
			  &b->hosts, &b->n_hosts);
}

/* host: a host's name, or auto (berth places it). */
static int
read_domain_host(struct berth_parse *p, const struct berth_yaml_node *value,
		 const char *name, const char *where, void *obj)
{
	struct berth_domain *d = obj;
	BERTH_AUTOFREE char *got = berth_yaml_describe(value);

	if (value->kind != BERTH_YAML_SCALAR || value->text[0] == '\0' ||
	    berth_yaml_is_null(value) || berth_yaml_is_bool(value))
		return berth_parse_fail(p, value->loc, "%s'%s' must be a host name or 'auto', "
					"got %s", where, name, got);
	if (berth_first_control(value->text) != 0)
		return berth_parse_fail(p, value->loc,
					"%s'%s' must not contain control characters (byte 0x%02x)",
					where, name, berth_first_control(value->text));
	free(d->host);
	d->host = NULL;
	d->host_auto = strcmp(value->text, "auto") == 0;
	if (!d->host_auto)
		d->host = xstrdup(value->text);
	return 0;
}

/* hosts: the candidates berth places the domain among. */
static int
read_candidates(struct berth_parse *p, const struct berth_yaml_node *value,
		const char *name, const char *where, void *obj)
{
	struct berth_domain *d = obj;

	return read_words(p, value, name, where, "a host or group name", entry_name_ok,
			  &d->candidates, &d->n_candidates);
}

static int
read_bridge(struct berth_parse *p, const struct berth_yaml_node *key,
	    const struct berth_yaml_node *map, const char *where, void *obj)
{
	struct berth_bridge *b = obj;
	int rc;

	b->name = xstrdup(key->text);
	b->loc = key->loc;
	rc = READ_SETTINGS(p, map, b->loc, where, bridge_fields, b);
	if (b->move_addresses && b->uplink == NULL)
		rc = berth_parse_fail(p, berth_fields_loc(map, "move_addresses", b->loc),
				      "%s'move_addresses' needs an 'uplink' to move them from", where);
	if (!berth_name_is_valid(BERTH_NAME_INTERFACE, b->name))
		rc = berth_parse_fail(p, b->loc, "bridge name '%s' is not valid: it must %s",
				      b->name, berth_name_rule(BERTH_NAME_INTERFACE));
	return rc;
}

/*
 * Reads a list of words (one word alone is a list of one) into *words, each
 * accepted by ok(); what says in messages what a word must be.
 */
static int
read_words(struct berth_parse *p, const struct berth_yaml_node *value, const char *name,
	   const char *where, const char *what, bool (*ok)(const char *),
	   char ***words, size_t *n)
{
	const struct berth_yaml_node *const *items = &value;
	size_t count = 1;
	int rc = 0;

	if (value->kind == BERTH_YAML_SEQUENCE) {
		items = (const struct berth_yaml_node *const *)value->items;
		count = value->n_items;
	}
	for (size_t i = 0; i < count; i++) {
		BERTH_AUTOFREE char *got = berth_yaml_describe(items[i]);

		if (items[i]->kind != BERTH_YAML_SCALAR || berth_yaml_is_null(items[i]) ||
		    berth_yaml_is_bool(items[i]) || !ok(items[i]->text)) {
			rc = berth_parse_fail(p, items[i]->loc, "%s'%s' must be %s, or a list of "
					      "them, got %s", where, name, what, got);
			continue;
		}
		if (!berth_strv_add_unique(words, n, items[i]->text))
			rc = berth_parse_fail(p, items[i]->loc, "%s'%s' names '%s' twice", where,
					      name, items[i]->text);
	}
	return rc;
}

/* An export option as exports(5) writes one: "rw", "sec=sys", "fsid=0". */
static bool
export_option_ok(const char *text)
{
	size_t word = strspn(text, "abcdefghijklmnopqrstuvwxyz0123456789_");

	if (word == 0)
		return false;
	if (text[word] == '\0')
		return true;
	return text[word] == '=' && text[word + 1] != '\0' &&
		text[word + 1 + strspn(text + word + 1, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/-")] == '\0';
}

/* A client of an export: a host or group name, an address, or a network. */
static bool
client_ok(const char *text)
{
	const char *slash = strrchr(text, '/');
	BERTH_AUTOFREE char *address = NULL;
	struct in6_addr v6;
	unsigned bits;
	char *end;

	if (slash == NULL)
		return berth_name_is_valid(BERTH_NAME_ENTRY, text) || berth_uri_host_is_valid(text);
	address = xstrndup(text, (size_t)(slash - text));
	bits = (unsigned)strtoul(slash + 1, &end, 10);
	if (!isdigit((unsigned char)slash[1]) || *end != '\0' || strlen(slash + 1) > 3)
		return false;
	if (inet_pton(AF_INET, address, &v6) == 1)
		return bits <= 32;
	return inet_pton(AF_INET6, address, &v6) == 1 && bits <= 128;
}

static int
read_export_options(struct berth_parse *p, const struct berth_yaml_node *value,
		    const char *name, const char *where, void *obj)
{
	struct berth_storage *st = obj;

	return read_words(p, value, name, where, "an export option like 'rw' or 'sec=sys'",
			  export_option_ok, &st->options, &st->n_options);
}

static int
read_clients(struct berth_parse *p, const struct berth_yaml_node *value,
	     const char *name, const char *where, void *obj)
{
	struct berth_storage *st = obj;

	return read_words(p, value, name, where,
			  "a host or group name, an IP address or a network like 198.18.0.0/24",
			  client_ok, &st->clients, &st->n_clients);
}

/* "WHERE'KEY' is only for WHAT" at key's place, if map gives key. */
static int
refuse_key(struct berth_parse *p, const struct berth_yaml_node *map, const char *key,
	   const char *where, const char *what)
{
	const struct berth_yaml_node *value = map != NULL ? berth_yaml_get(map, key) : NULL;

	if (value == NULL)
		return 0;
	return berth_parse_fail(p, value->loc, "%s'%s' is only for %s", where, key, what);
}

/* The keys each type and attach kind needs, and those it has no use for. */
static int
check_storage_kind(struct berth_parse *p, const struct berth_yaml_node *map,
		   struct berth_storage *s, const char *where)
{
	static const char *const nfs_only[] = {
		"server", "export", "options", "clients", "nfs_version", "server_kind", "attach",
	};
	bool local = berth_streq(s->type, "local");
	bool mounted = berth_streq(s->attach, "pool") || berth_streq(s->attach, "fstab");
	int rc = 0;

	/* A type that is wrong has its problem: what it needs is unknown. */
	if (s->type == NULL && map != NULL && berth_yaml_get(map, "type") != NULL)
		return -1;

	if (local) {
		for (size_t i = 0; i < sizeof(nfs_only) / sizeof(nfs_only[0]); i++) {
			if (refuse_key(p, map, nfs_only[i], where, "type 'nfs'") < 0)
				rc = -1;
		}
		if (refuse_key(p, map, "target", where, "attach 'pool' or 'fstab'") < 0)
			rc = -1;
		if (s->path == NULL && !p->lenient)
			rc = berth_parse_fail(p, s->loc, "%s'path' is required for type 'local'",
					      where);
	} else {
		if (refuse_key(p, map, "path", where, "type 'local'") < 0)
			rc = -1;
		if (!p->lenient && s->server == NULL &&
		    (map == NULL || berth_yaml_get(map, "server") == NULL))
			rc = berth_parse_fail(p, s->loc, "%s'server' is required", where);
		if (!p->lenient && s->export_path == NULL &&
		    (map == NULL || berth_yaml_get(map, "export") == NULL))
			rc = berth_parse_fail(p, s->loc, "%s'export' is required", where);
		if (!mounted && refuse_key(p, map, "target", where, "attach 'pool' or 'fstab'") < 0)
			rc = -1;
		if (mounted && s->target == NULL && !p->lenient &&
		    (map == NULL || berth_yaml_get(map, "target") == NULL))
			rc = berth_parse_fail(p, s->loc, "%s'target' is required for attach '%s': "
					      "where every hypervisor mounts the share", where,
					      s->attach);
	}
	if (!berth_streq(s->attach, "pool")) {
		if (refuse_key(p, map, "pool", where, "attach 'pool'") < 0 ||
		    refuse_key(p, map, "autostart", where, "attach 'pool'") < 0)
			rc = -1;
	} else if (s->pool != NULL && !berth_name_is_valid(BERTH_NAME_ENTRY, s->pool)) {
		rc = berth_parse_fail(p, berth_fields_loc(map, "pool", s->loc), "%spool name '%s' "
				      "is not valid: it must %s", where, s->pool,
				      berth_name_rule(BERTH_NAME_ENTRY));
	}
	return rc;
}

static int
read_storage(struct berth_parse *p, const struct berth_yaml_node *key,
	     const struct berth_yaml_node *map, const char *where, void *obj)
{
	struct berth_storage *s = obj;
	int rc;

	s->name = xstrdup(key->text);
	s->loc = key->loc;
	s->autostart = true;
	rc = READ_SETTINGS(p, map, s->loc, where, storage_fields, s);
	if (check_storage_kind(p, map, s, where) < 0)
		rc = -1;
	if (s->type == NULL)
		s->type = xstrdup("nfs");
	if (berth_streq(s->type, "nfs")) {
		if (s->attach == NULL)
			s->attach = xstrdup("qemu");
		if (s->server_kind == NULL)
			s->server_kind = xstrdup("auto");
		if (s->pool == NULL && berth_streq(s->attach, "pool"))
			s->pool = xstrdup(s->name);
	}
	/* autostart is a pool's; true unless the inventory says otherwise. */
	if (!berth_streq(s->attach, "pool"))
		s->autostart = false;
	return rc;
}

/* The index of the domain group called name, or SIZE_MAX. */
static size_t
domain_group_index(const struct berth_parse *p, const char *name)
{
	for (size_t i = 0; i < p->inv->n_domain_groups; i++) {
		if (berth_streq(p->inv->domain_groups[i].name, name))
			return i;
	}
	return SIZE_MAX;
}

/* group: a domain group read before the domains (its defaults are applied then). */
static int
read_domain_group_ref(struct berth_parse *p, const struct berth_yaml_node *value,
		      const char *name, const char *where, void *obj)
{
	struct berth_domain *d = obj;
	BERTH_AUTOFREE char *got = berth_yaml_describe(value);

	if (value->kind != BERTH_YAML_SCALAR || berth_yaml_is_null(value) ||
	    !berth_name_is_valid(BERTH_NAME_ENTRY, value->text))
		return berth_parse_fail(p, value->loc, "%s'%s' must be the name of a domain "
					"group, got %s", where, name, got);
	if (domain_group_index(p, value->text) == SIZE_MAX) {
		BERTH_AUTOFREE const char **names = xcalloc(p->inv->n_domain_groups + 1,
							    sizeof(*names));
		size_t n = 0;

		for (size_t i = 0; i < p->inv->n_domain_groups; i++) {
			if (p->inv->domain_groups[i].name != NULL)
				names[n++] = p->inv->domain_groups[i].name;
		}
		return berth_parse_fail_undefined(p, value->loc, where, "domain group", value->text,
						  names, n);
	}
	free(d->group);
	d->group = xstrdup(value->text);
	return 0;
}

static int
read_domain_migration(struct berth_parse *p, const struct berth_yaml_node *value,
		      const char *name, const char *where, void *obj)
{
	struct berth_domain *d = obj;

	(void)name;
	return berth_read_policy(p, value, where, &d->migration);
}

/*
 * The MAC of NIC index of the domain called name when the inventory gives
 * none: 52:54:00 (QEMU's prefix) and three bytes of a version 5 UUID of
 * "NAME/nic/INDEX" under berth's namespace, the same on every run.  The
 * caller frees it.
 */
static char *
derived_mac(const uuid_t namespace, const char *name, size_t index)
{
	BERTH_AUTOFREE char *seed = xasprintf("%s/nic/%zu", name, index);
	uuid_t id;

	uuid_generate_sha1(id, namespace, seed, strlen(seed));
	return xasprintf("52:54:00:%02x:%02x:%02x", id[0], id[1], id[2]);
}

/* True if the domain's NIC index gave a mac that was refused (no MAC then). */
static bool
nic_mac_refused(const struct berth_yaml_node *map, size_t index)
{
	const struct berth_yaml_node *nics = map != NULL ? berth_yaml_get(map, "nics") : NULL;
	const struct berth_yaml_node *item;

	if (nics == NULL || nics->kind != BERTH_YAML_SEQUENCE || index >= nics->n_items)
		return false;
	item = nics->items[index];
	return item->kind == BERTH_YAML_MAPPING && berth_yaml_get(item, "mac") != NULL;
}

/*
 * Exactly one of host: (a host or auto) and hosts: (candidates), and a
 * memory, except that an absent domain needs none of them.
 */
static int
check_placement(struct berth_parse *p, const struct berth_yaml_node *map,
		const struct berth_domain *d, const char *where)
{
	bool host = map != NULL && berth_yaml_get(map, "host") != NULL;
	bool hosts = map != NULL && berth_yaml_get(map, "hosts") != NULL;
	const struct berth_yaml_node *state = map != NULL ? berth_yaml_get(map, "state") : NULL;
	const struct berth_yaml_node *group = map != NULL ? berth_yaml_get(map, "group") : NULL;
	int rc = 0;

	if (host && hosts)
		return berth_parse_fail(p, berth_fields_loc(map, "hosts", d->loc),
					"%sgive 'host' or 'hosts', not both", where);
	/* A state that is wrong has its problem; what else is needed is unknown.
	 * So it is with a group that does not exist: its defaults are unknown. */
	if (state != NULL && (state->kind != BERTH_YAML_SCALAR ||
			      strcmp(state->text, berth_power_name(d->state)) != 0))
		return 0;
	if (group != NULL && d->group == NULL)
		return 0;
	if (d->state == BERTH_POWER_ABSENT || p->lenient)
		return 0;
	if (!host && !hosts)
		rc = berth_parse_fail(p, d->loc, "%s'host' is required (a host name, or "
				      "auto), or 'hosts' (candidates)", where);
	if (d->memory_kib == 0 && (map == NULL || (berth_yaml_get(map, "memory") == NULL &&
						     berth_yaml_get(map, "xml") == NULL)))
		rc = berth_parse_fail(p, d->loc, "%s'memory' is required", where);
	return rc;
}

static int
read_domain(struct berth_parse *p, const struct berth_yaml_node *key,
	    const struct berth_yaml_node *map, const char *where, void *obj)
{
	struct berth_domain *d = obj;
	uuid_t namespace, uuid;
	int rc;

	const struct berth_yaml_node *group = map != NULL ? berth_yaml_get(map, "group") : NULL;
	size_t g = group != NULL && group->kind == BERTH_YAML_SCALAR
		? domain_group_index(p, group->text) : SIZE_MAX;

	d->name = xstrdup(key->text);
	d->loc = key->loc;
	/* Its group's defaults and policy, else the inventory's; then its own. */
	berth_fields_copy(domain_fields, N_FIELDS(domain_fields), d,
			  g != SIZE_MAX ? &p->group_defaults[g] : &p->domain_defaults);
	berth_policy_init(&d->migration);
	berth_policy_overlay(&d->migration, &p->inv->migration);
	if (g != SIZE_MAX)
		berth_policy_overlay(&d->migration, &p->inv->domain_groups[g].migration);
	rc = READ_SETTINGS(p, map, d->loc, where, domain_fields, d);
	if (check_placement(p, map, d, where) < 0)
		rc = -1;
	if (berth_check_domain_spec(p, map, d, where) < 0)
		rc = -1;
	for (size_t i = 0; i < d->n_disks; i++) {
		if (d->disks[i].target == NULL)
			d->disks[i].target = disk_target(i);
	}
	d->uuid_given = d->uuid[0] != '\0';
	uuid_parse(BERTH_INVENTORY_UUID_NAMESPACE, namespace);
	if (!d->uuid_given) {
		uuid_generate_sha1(uuid, namespace, d->name, strlen(d->name));
		uuid_unparse_lower(uuid, d->uuid);
	}
	for (size_t i = 0; i < d->n_nics; i++) {
		if (d->nics[i].mac == NULL && !nic_mac_refused(map, i))
			d->nics[i].mac = derived_mac(namespace, d->name, i);
	}
	return rc;
}

static int
read_hosts(struct berth_parse *p, const struct berth_yaml_node *value,
	   const char *name, const char *where, void *obj)
{
	struct berth_inventory *inv = p->inv;
	int rc;

	(void)where;
	(void)obj;
	/* all: came first: parse_document() reports having both. */
	if (inv->hosts != NULL)
		return -1;
	rc = read_section(p, value, name, "host", &inv->hosts, sizeof(*inv->hosts),
			  &inv->n_hosts, read_host);
	if (inv->n_hosts == 0 && (berth_yaml_is_null(value) || value->kind == BERTH_YAML_MAPPING))
		return berth_parse_fail(p, value->loc, "'%s' is empty: an inventory needs "
					"at least one host", name);
	return rc;
}

/* The variable called name of h, or NULL. */
static struct berth_var *
host_var(struct berth_host *h, const char *name)
{
	for (size_t i = 0; i < h->n_vars; i++) {
		if (strcmp(h->vars[i].name, name) == 0)
			return &h->vars[i];
	}
	return NULL;
}

/*
 * True if a is b with one typo: a letter added, dropped or changed, or two
 * next to each other swapped ("prot" for "port").
 */
static bool
one_typo_from(const char *a, const char *b)
{
	size_t n = strlen(a);
	size_t i = 0;

	if (berth_edit_distance(a, b) == 1)
		return true;
	if (n != strlen(b))
		return false;
	while (i < n && a[i] == b[i])
		i++;
	return i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		strcmp(a + i + 2, b + i + 2) == 0;
}

/*
 * A key of a host's variables under all: that is no berth setting: an
 * ansible_* one is ignored (and named in a notice), one a typo away from a
 * berth key is reported as unknown (with "did you mean"), any other is kept
 * as a variable of the host (Ansible inventories carry their own), the later
 * value winning as in Ansible.
 */
static int
take_variable(struct berth_parse *p, const struct berth_yaml_node *key,
	      const struct berth_yaml_node *value, void *obj)
{
	struct berth_host *h = obj;
	struct berth_var *var;

	if (strncmp(key->text, "ansible_", strlen("ansible_")) == 0) {
		berth_strv_add_unique(&p->inv->ignored_vars, &p->inv->n_ignored_vars, key->text);
		return 0;
	}
	for (size_t i = 0; i < N_FIELDS(host_fields); i++) {
		if (one_typo_from(key->text, host_fields[i].key))
			return 1;
	}
	var = host_var(h, key->text);
	if (var == NULL) {
		h->vars = xreallocarray(h->vars, h->n_vars + 1, sizeof(*h->vars));
		var = &h->vars[h->n_vars++];
		var->name = xstrdup(key->text);
	} else {
		free(var->value);
	}
	var->value = value->kind == BERTH_YAML_SCALAR && !berth_yaml_is_null(value)
		? xstrdup(value->text) : NULL;
	return 0;
}

static int
compare_vars(const void *a, const void *b)
{
	return strcmp(((const struct berth_var *)a)->name, ((const struct berth_var *)b)->name);
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Reads all:, Ansible's shape of the hosts: each host found in its groups
 * gets the defaults, then every map of variables that applies to it, lowest
 * precedence first, each read through the host table; a later map's value
 * replaces an earlier one's.
 */
static int
read_all(struct berth_parse *p, const struct berth_yaml_node *value,
	 const char *name, const char *where, void *obj)
{
	struct berth_inventory *inv = p->inv;
	struct berth_ansible a;
	int rc;

	(void)where;
	(void)obj;
	/* hosts: came first: parse_document() reports having both. */
	if (inv->hosts != NULL)
		return -1;
	rc = berth_ansible_read(p, value, &a);
	inv->hosts = xcalloc(a.n_hosts, sizeof(*inv->hosts));
	p->unknown_key = take_variable;
	for (size_t i = 0; i < a.n_hosts; i++) {
		struct berth_ansible_host *ah = &a.hosts[i];
		struct berth_host *h = &inv->hosts[inv->n_hosts++];

		h->name = xstrdup(ah->name);
		h->loc = ah->loc;
		berth_fields_copy(host_fields, N_FIELDS(host_fields), h, &p->host_defaults);
		for (size_t j = 0; j < ah->n_layers; j++) {
			if (berth_fields_parse(p, ah->layers[j].map, ah->layers[j].where,
					       host_fields, N_FIELDS(host_fields), h, false) < 0)
				rc = -1;
		}
		if (h->address == NULL)
			h->address = xstrdup(h->name);
		if (check_host_name(p, h) < 0)
			rc = -1;
		h->groups = berth_steal_pointer(&ah->groups);
		h->n_groups = ah->n_groups;
		ah->n_groups = 0;
		if (h->n_vars > 1)
			qsort(h->vars, h->n_vars, sizeof(*h->vars), compare_vars);
	}
	p->unknown_key = NULL;
	if (inv->n_ignored_vars > 1)
		qsort(inv->ignored_vars, inv->n_ignored_vars, sizeof(*inv->ignored_vars),
		      compare_strings);
	if (inv->n_hosts == 0 && rc == 0)
		rc = berth_parse_fail(p, value->loc, "'%s' has no hosts: an inventory needs at "
				      "least one host", name);
	berth_ansible_release(&a);
	return rc;
}

static int
read_storages(struct berth_parse *p, const struct berth_yaml_node *value,
	      const char *name, const char *where, void *obj)
{
	struct berth_inventory *inv = p->inv;

	(void)where;
	(void)obj;
	return read_section(p, value, name, "storage", &inv->storage,
			    sizeof(*inv->storage), &inv->n_storage, read_storage);
}

static int
read_bridges(struct berth_parse *p, const struct berth_yaml_node *value,
	     const char *name, const char *where, void *obj)
{
	struct berth_inventory *inv = p->inv;

	(void)where;
	(void)obj;
	return read_section(p, value, name, "bridge", &inv->bridges,
			    sizeof(*inv->bridges), &inv->n_bridges, read_bridge);
}

static int
read_group_defaults(struct berth_parse *p, const struct berth_yaml_node *value,
		    const char *name, const char *where, void *obj)
{
	struct berth_domain_group *g = obj;
	struct berth_domain *defaults = &p->group_defaults[g - p->inv->domain_groups];

	return berth_fields_parse_nested(p, value, name, where, domain_fields,
					 N_FIELDS(domain_fields), defaults, true);
}

static int
read_group_migration(struct berth_parse *p, const struct berth_yaml_node *value,
		     const char *name, const char *where, void *obj)
{
	struct berth_domain_group *g = obj;

	(void)name;
	return berth_read_policy(p, value, where, &g->migration);
}

static const struct berth_field domain_group_fields[] = {
	{ "defaults", NULL, BERTH_FIELD_CUSTOM, .parse = read_group_defaults },
	{ "migration", NULL, BERTH_FIELD_CUSTOM, .parse = read_group_migration },
};

static int
read_domain_group(struct berth_parse *p, const struct berth_yaml_node *key,
		  const struct berth_yaml_node *map, const char *where, void *obj)
{
	struct berth_domain_group *g = obj;

	g->name = xstrdup(key->text);
	g->loc = key->loc;
	berth_policy_init(&g->migration);
	berth_fields_copy(domain_fields, N_FIELDS(domain_fields),
			  &p->group_defaults[g - p->inv->domain_groups], &p->domain_defaults);
	return READ_SETTINGS(p, map, g->loc, where, domain_group_fields, g);
}

/* domain_groups:, read before the domains (see parse_document()). */
static int
read_domain_groups(struct berth_parse *p, const struct berth_yaml_node *value)
{
	struct berth_inventory *inv = p->inv;

	if (value->kind == BERTH_YAML_MAPPING)
		p->group_defaults = xcalloc(berth_yaml_n_pairs(value) + 1,
					    sizeof(*p->group_defaults));
	return read_section(p, value, "domain_groups", "domain group", &inv->domain_groups,
			    sizeof(*inv->domain_groups), &inv->n_domain_groups,
			    read_domain_group);
}

static int
read_domains(struct berth_parse *p, const struct berth_yaml_node *value,
	     const char *name, const char *where, void *obj)
{
	struct berth_inventory *inv = p->inv;

	(void)where;
	(void)obj;
	return read_section(p, value, name, "domain", &inv->domains,
			    sizeof(*inv->domains), &inv->n_domains, read_domain);
}

/*
 * Reads defaults: host: or defaults: domain: (value, under the key name)
 * through fields into target, the defaults the entries start from.
 */
static int
read_defaults_of(struct berth_parse *p, const struct berth_yaml_node *value,
		 const char *name, const char *where, const struct berth_field *fields,
		 size_t n, void *target)
{
	return berth_fields_parse_nested(p, value, name, where, fields, n, target, true);
}

static int
read_host_defaults(struct berth_parse *p, const struct berth_yaml_node *value,
		   const char *name, const char *where, void *obj)
{
	(void)obj;
	return read_defaults_of(p, value, name, where, host_fields, N_FIELDS(host_fields),
				&p->host_defaults);
}

static int
read_domain_defaults(struct berth_parse *p, const struct berth_yaml_node *value,
		     const char *name, const char *where, void *obj)
{
	(void)obj;
	return read_defaults_of(p, value, name, where, domain_fields, N_FIELDS(domain_fields),
				&p->domain_defaults);
}

static const struct berth_field defaults_fields[] = {
	{ "host", NULL, BERTH_FIELD_CUSTOM, .parse = read_host_defaults },
	{ "domain", NULL, BERTH_FIELD_CUSTOM, .parse = read_domain_defaults },
};

/* Reads defaults:, the value of the top-level key of that name. */
static int
read_defaults(struct berth_parse *p, const struct berth_yaml_node *value)
{
	const struct berth_yaml_node *map;

	if (berth_expect_mapping(p, value, "", "'defaults'", &map) < 0)
		return -1;
	if (map == NULL)
		return 0;
	return berth_fields_parse(p, map, "defaults: ", defaults_fields,
				  N_FIELDS(defaults_fields), NULL, false);
}

/* defaults: is read before the rest (see parse_document()): nothing to do here. */
static int
read_nothing(struct berth_parse *p, const struct berth_yaml_node *value,
	     const char *name, const char *where, void *obj)
{
	(void)p;
	(void)value;
	(void)name;
	(void)where;
	(void)obj;
	return 0;
}

static const struct berth_field top_fields[] = {
	{ "defaults", NULL, BERTH_FIELD_CUSTOM, .parse = read_nothing },
	{ "hosts", NULL, BERTH_FIELD_CUSTOM, .parse = read_hosts },
	{ "all", NULL, BERTH_FIELD_CUSTOM, .parse = read_all },
	{ "storage", NULL, BERTH_FIELD_CUSTOM, .parse = read_storages },
	{ "bridges", NULL, BERTH_FIELD_CUSTOM, .parse = read_bridges },
	{ "domains", NULL, BERTH_FIELD_CUSTOM, .parse = read_domains },
	/* Read before the rest, by parser/include.c. */
	{ "include", NULL, BERTH_FIELD_CUSTOM, .parse = read_nothing },
	{ "vars", NULL, BERTH_FIELD_CUSTOM, .parse = read_nothing },
	/* Read before the rest, by parse_document(). */
	{ "migration", NULL, BERTH_FIELD_CUSTOM, .parse = read_nothing },
	{ "domain_groups", NULL, BERTH_FIELD_CUSTOM, .parse = read_nothing },
};

/* The defaults every entry starts from before defaults: changes them. */
static void
defaults_init(struct berth_parse *p)
{
	p->host_defaults.user = xstrdup("root");
	p->host_defaults.port = 22;
	p->host_defaults.known_hosts = berth_expand_home("~/.ssh/known_hosts");
	/* Nothing set yet: the BERTH_HOST_*_S defaults. */
	p->host_defaults.timeouts = berth_host_timeouts(&p->host_defaults);
	p->domain_defaults.state = BERTH_POWER_RUNNING;
	p->domain_defaults.vcpus = 1;
	p->domain_defaults.type = xstrdup("kvm");
	p->domain_defaults.arch = xstrdup("x86_64");
	p->domain_defaults.machine = xstrdup("pc");
	berth_policy_init(&p->inv->migration);
}

static void
defaults_release(struct berth_parse *p)
{
	for (size_t i = 0; p->group_defaults != NULL && i < p->inv->n_domain_groups; i++)
		berth_fields_clear(domain_fields, N_FIELDS(domain_fields), &p->group_defaults[i]);
	free(p->group_defaults);
	berth_fields_clear(host_fields, N_FIELDS(host_fields), &p->host_defaults);
	berth_fields_clear(domain_fields, N_FIELDS(domain_fields), &p->domain_defaults);
}

/* Reads the document root into p->inv and checks it. */
static int
parse_document(struct berth_parse *p, const struct berth_yaml_node *root)
{
	const struct berth_yaml_node *defaults = berth_yaml_get(root, "defaults");
	const struct berth_yaml_node *migration = berth_yaml_get(root, "migration");
	const struct berth_yaml_node *groups = berth_yaml_get(root, "domain_groups");
	int rc = 0;

	/* What domains start from is read first, wherever it stands. */
	if (defaults != NULL && read_defaults(p, defaults) < 0)
		rc = -1;
	if (migration != NULL && berth_read_top_migration(p, migration) < 0)
		rc = -1;
	if (groups != NULL && read_domain_groups(p, groups) < 0)
		rc = -1;
	if (berth_fields_parse(p, root, "", top_fields, N_FIELDS(top_fields), NULL, false) < 0)
		rc = -1;
	if (berth_yaml_get(root, "hosts") != NULL && berth_yaml_get(root, "all") != NULL)
		rc = berth_parse_fail(p, berth_fields_loc(root, "all", root->loc),
				      "'all' and 'hosts' both list hosts: keep one ('all:' has "
				      "Ansible's groups, 'hosts:' is the short form)");
	else if (berth_yaml_get(root, "hosts") == NULL && berth_yaml_get(root, "all") == NULL)
		rc = berth_parse_fail(p, root->loc, "'hosts' is missing: an inventory needs "
				      "at least one host (under 'hosts:' or 'all:')");
	if (berth_check_references(p, root) < 0)
		rc = -1;
	return rc;
}

/*
 * Parses text into a new inventory, or adds its problems to problems and
 * returns NULL.  Problems that have no place in the file (an empty one) go
 * to err instead.
 */
static struct berth_inventory *
parse_text(const char *text, size_t len, const char *path, bool from_file,
	   struct berth_problems *problems, struct berth_error **err)
{
	BERTH_AUTOPTR(berth_yaml_node) root = NULL;
	BERTH_AUTOPTR(berth_inventory) inv = NULL;
	struct berth_parse p = { .path = path, .problems = problems, .from_file = from_file };
	size_t before = berth_problems_total(problems);
	struct berth_sources sources;
	int rc;

	if (berth_yaml_parse(text, len, path, NULL, &root, problems) < 0)
		return NULL;
	if (root == NULL || berth_yaml_is_null(root)) {
		if (berth_problems_total(problems) == before)
			berth_error_set(err, BERTH_ERROR_INPUT,
					"%s: the inventory is empty: it needs at least 'hosts:'",
					path);
		return NULL;
	}
	if (root->kind != BERTH_YAML_MAPPING) {
		BERTH_AUTOFREE char *got = berth_yaml_describe(root);

		berth_parse_fail(&p, root->loc, "the inventory must be a mapping with at "
				 "least 'hosts:', got %s", got);
		return NULL;
	}
	inv = xcalloc(1, sizeof(*inv));
	inv->path = xstrdup(path);
	p.inv = inv;
	rc = berth_sources_read(&p, berth_steal_pointer(&root), text, len, from_file, &sources);
	berth_sha256_hex(sources.digested.buf, sources.digested.len, inv->sha256);
	defaults_init(&p);
	if (parse_document(&p, sources.merged) < 0)
		rc = -1;
	defaults_release(&p);
	berth_sources_release(&sources);
	if (rc < 0 || berth_problems_total(problems) > before)
		return NULL;
	return berth_steal_pointer(&inv);
}

/* The inventory parse_text() made, or NULL with err set from problems. */
static struct berth_inventory *
inventory_or_error(struct berth_inventory *inv, struct berth_problems *problems,
		   struct berth_error **err)
{
	if (berth_problems_total(problems) == 0)
		return inv;
	berth_inventory_free(inv);
	berth_problems_sort(problems);
	berth_problems_to_error(problems, err);
	return NULL;
}

struct berth_inventory *
berth_inventory_parse(const char *text, size_t len, const char *path_for_messages,
		      struct berth_error **err)
{
	const char *path = path_for_messages != NULL ? path_for_messages : "<inventory>";
	struct berth_problems problems = BERTH_PROBLEMS_INIT;
	struct berth_inventory *inv;

	inv = inventory_or_error(parse_text(text, len, path, false, &problems, err), &problems,
				 err);
	berth_problems_release(&problems);
	return inv;
}

struct berth_inventory *
berth_inventory_read(const char *path, struct berth_problems *problems,
		     struct berth_error **err)
{
	BERTH_AUTOBUF struct berth_buf text = BERTH_BUF_INIT;

	if (berth_inventory_read_file(path, "inventory", 0, &text, err) < 0)
		return NULL;
	return inventory_or_error(parse_text(text.buf, text.len, path, true, problems, err),
				  problems, err);
}

struct berth_inventory *
berth_inventory_load(const char *path, struct berth_error **err)
{
	struct berth_problems problems = BERTH_PROBLEMS_INIT;
	struct berth_inventory *inv = berth_inventory_read(path, &problems, err);

	berth_problems_release(&problems);
	return inv;
}

/* Each key of the n rows of fields, and its alias. */
static void
each_row(const char *section, const struct berth_field *fields, size_t n,
	 berth_inventory_key_fn *fn, void *arg)
{
	for (size_t i = 0; i < n; i++) {
		fn(section, fields[i].key, arg);
		if (fields[i].alias != NULL)
			fn(section, fields[i].alias, arg);
	}
}

#define EACH_ROW(section, table, fn, arg) each_row((section), (table), N_FIELDS(table), (fn), (arg))

void
berth_inventory_each_key(berth_inventory_key_fn *fn, void *arg)
{
	static const char *const group_keys[] = { "hosts", "vars", "children" };

	EACH_ROW("top", top_fields, fn, arg);
	EACH_ROW("defaults", defaults_fields, fn, arg);
	EACH_ROW("hosts", host_fields, fn, arg);
	EACH_ROW("hosts.libvirt", libvirt_fields, fn, arg);
	for (size_t i = 0; i < sizeof(group_keys) / sizeof(group_keys[0]); i++)
		fn("all", group_keys[i], arg);
	EACH_ROW("storage", storage_fields, fn, arg);
	EACH_ROW("bridges", bridge_fields, fn, arg);
	EACH_ROW("domains", domain_fields, fn, arg);
	EACH_ROW("domains.disks", disk_fields, fn, arg);
	EACH_ROW("domains.nics", nic_fields, fn, arg);
	EACH_ROW("domain_groups", domain_group_fields, fn, arg);
	berth_policy_each_key(fn, arg);
}
