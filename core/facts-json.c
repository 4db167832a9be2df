/*
 * Facts as JSON and back (docs/facts.md is the schema).  Written with
 * jansson, every key always; read with jansson, every field checked for its
 * type; a wrong one is reported with its JSON path: "facts.json:
 * hosts[1].memory.free_kib: expected a non-negative integer".  Only the keys
 * without which a fact means nothing must be present; any other key may be
 * left out and reads as its zero value, so a new fact does not make every
 * facts file written before it invalid.
 */
#include <ctype.h>
#include <string.h>

#include "core/facts.h"
#include "core/json.h"

#define FACTS_FORMAT_VERSION 1

static json_t *
checked(json_t *v)
{
	if (v == NULL)
		berth_oom();
	return v;
}

static void
set(json_t *obj, const char *key, json_t *v)
{
	if (json_object_set_new(obj, key, checked(v)) < 0)
		berth_oom();
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
strv_to_json(char *const *v, size_t n)
{
	json_t *a = checked(json_array());

	for (size_t i = 0; i < n; i++) {
		if (json_array_append_new(a, checked(json_string(v[i]))) < 0)
			berth_oom();
	}
	return a;
}

static void
append(json_t *array, json_t *v)
{
	if (json_array_append_new(array, v) < 0)
		berth_oom();
}

static json_t *
domain_to_json(const struct berth_domain_fact *d)
{
	json_t *o = checked(json_object());
	json_t *disks = checked(json_array());
	json_t *nics = checked(json_array());

	set(o, "name", json_string(d->name));
	set(o, "uuid", json_string(d->uuid));
	set(o, "state", json_string(berth_dom_state_name(d->state)));
	set(o, "persistent", json_boolean(d->persistent));
	set(o, "autostart", json_boolean(d->autostart));
	set(o, "memory_kib", json_integer((json_int_t)d->memory_kib));
	set(o, "vcpus", json_integer(d->vcpus));
	for (size_t i = 0; i < d->n_disks; i++) {
		json_t *disk = checked(json_object());

		set(disk, "target", str_or_null(d->disks[i].target));
		set(disk, "source", str_or_null(d->disks[i].source));
		set(disk, "format", str_or_null(d->disks[i].format));
		append(disks, disk);
	}
	set(o, "disks", disks);
	for (size_t i = 0; i < d->n_nics; i++) {
		json_t *nic = checked(json_object());

		set(nic, "mac", str_or_null(d->nics[i].mac));
		set(nic, "bridge", str_or_null(d->nics[i].bridge));
		set(nic, "model", str_or_null(d->nics[i].model));
		append(nics, nic);
	}
	set(o, "nics", nics);
	set(o, "xml", str_or_null(d->xml));
	return o;
}

static json_t *
leases_to_json(const struct berth_export_fact *e)
{
	json_t *a = checked(json_array());

	for (size_t i = 0; i < e->n_leases; i++) {
		json_t *l = checked(json_object());

		set(l, "image", json_string(e->leases[i].image));
		set(l, "holder", json_string(e->leases[i].holder));
		append(a, l);
	}
	return a;
}

static json_t *
host_to_json(const struct berth_host_fact *h)
{
	json_t *o = checked(json_object());
	json_t *cpu = checked(json_object());
	json_t *mem = checked(json_object());
	json_t *exports = checked(json_array());
	json_t *domains = checked(json_array());

	set(o, "name", json_string(h->name));
	set(o, "reachable", json_boolean(h->reachable));
	set(o, "error", str_or_null(h->error));
	set(o, "hostname", str_or_null(h->hostname));
	set(o, "fqdn", str_or_null(h->fqdn));
	set(o, "addresses", strv_to_json(h->addresses, h->n_addresses));
	set(o, "arch", str_or_null(h->arch));
	set(cpu, "vendor", str_or_null(h->cpu_vendor));
	set(cpu, "model", str_or_null(h->cpu_model));
	set(cpu, "nx", json_boolean(h->cpu_nx));
	set(cpu, "vmx", json_boolean(h->cpu_vmx));
	set(cpu, "svm", json_boolean(h->cpu_svm));
	set(o, "cpu", cpu);
	set(mem, "total_kib", json_integer((json_int_t)h->memory_total_kib));
	set(mem, "free_kib", json_integer((json_int_t)h->memory_free_kib));
	set(o, "memory", mem);
	set(o, "libvirt_version", json_integer((json_int_t)h->libvirt_version));
	set(o, "qemu_version", json_integer((json_int_t)h->qemu_version));
	set(o, "host_uuid", str_or_null(h->host_uuid));
	set(o, "bridges", strv_to_json(h->bridges, h->n_bridges));
	for (size_t i = 0; i < h->n_exports; i++) {
		json_t *e = checked(json_object());

		set(e, "path", json_string(h->exports[i].path));
		set(e, "files", strv_to_json(h->exports[i].files, h->exports[i].n_files));
		set(e, "leases", leases_to_json(&h->exports[i]));
		append(exports, e);
	}
	set(o, "exports", exports);
	for (size_t i = 0; i < h->n_domains; i++)
		append(domains, domain_to_json(&h->domains[i]));
	set(o, "domains", domains);
	return o;
}

char *
berth_facts_to_json(const struct berth_facts *facts)
{
	BERTH_AUTOPTR(json_t) root = checked(json_object());
	json_t *hosts = checked(json_array());
	char *text;

	set(root, "format_version", json_integer(FACTS_FORMAT_VERSION));
	for (size_t i = 0; i < facts->n_hosts; i++)
		append(hosts, host_to_json(&facts->hosts[i]));
	set(root, "hosts", hosts);
	text = json_dumps(root, JSON_INDENT(2));
	if (text == NULL)
		berth_oom();
	/* jansson allocates with malloc; the caller frees with free(). */
	return text;
}

/*
 * Reading: a cursor that knows the file and the JSON path of the value it
 * looks at, so the first wrong field is reported with both.  After the
 * first error every getter returns a zero value and the load fails.
 */
struct reader {
	const char *file;
	struct berth_error **err;
	bool failed;
};

/*
 * How a getter treats its key.  An optional key that is absent reads as the
 * zero value: NULL, false, 0, an empty array, an object of zero values.  An
 * optional string also takes null, as its default NULL is written as null.
 */
enum key_rule {
	KEY_OPTIONAL = 0,
	KEY_REQUIRED = 1 << 0,	/* absent is an error */
	KEY_NULLABLE = 1 << 1,	/* a required string that may be null */
};

static void
wrong(struct reader *r, const char *where, const char *key, const char *expected)
{
	if (r->failed)
		return;
	r->failed = true;
	berth_error_set(r->err, BERTH_ERROR_INPUT, "%s: %s%s%s: expected %s",
			r->file, where, *where != '\0' ? "." : "", key, expected);
}

/* The value of key in obj, or NULL when it is absent (an error if required). */
static json_t *
member(struct reader *r, json_t *obj, const char *where, const char *key, enum key_rule rule)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL && (rule & KEY_REQUIRED))
		wrong(r, where, key, "a value (the key is missing)");
	return v;
}

static char *
get_str(struct reader *r, json_t *obj, const char *where, const char *key, enum key_rule rule)
{
	json_t *v = member(r, obj, where, key, rule);
	bool nullable = !(rule & KEY_REQUIRED) || (rule & KEY_NULLABLE);

	if (v == NULL)
		return NULL;
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (nullable && json_is_null(v))
		return NULL;
	wrong(r, where, key, nullable ? "a string or null" : "a string");
	return NULL;
}

static bool
get_bool(struct reader *r, json_t *obj, const char *where, const char *key, enum key_rule rule)
{
	json_t *v = member(r, obj, where, key, rule);

	if (v != NULL && !json_is_boolean(v)) {
		wrong(r, where, key, "true or false");
		return false;
	}
	return v != NULL && json_is_true(v);
}

static uint64_t
get_uint(struct reader *r, json_t *obj, const char *where, const char *key, enum key_rule rule)
{
	json_t *v = member(r, obj, where, key, rule);

	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		wrong(r, where, key, "a non-negative integer");
		return 0;
	}
	return (uint64_t)json_integer_value(v);
}

static json_t *
get_array(struct reader *r, json_t *obj, const char *where, const char *key, enum key_rule rule)
{
	json_t *v = member(r, obj, where, key, rule);

	if (v != NULL && !json_is_array(v)) {
		wrong(r, where, key, "an array");
		return NULL;
	}
	return v;
}

static json_t *
get_object(struct reader *r, json_t *obj, const char *where, const char *key, enum key_rule rule)
{
	json_t *v = member(r, obj, where, key, rule);

	if (v != NULL && !json_is_object(v)) {
		wrong(r, where, key, "an object");
		return NULL;
	}
	return v;
}

/* The element at index i of array a, which must be an object. */
static json_t *
element_object(struct reader *r, json_t *a, size_t i, const char *where, const char *key)
{
	json_t *v = json_array_get(a, i);
	BERTH_AUTOFREE char *elem = xasprintf("%s[%zu]", key, i);

	if (!json_is_object(v)) {
		wrong(r, where, elem, "an object");
		return NULL;
	}
	return v;
}

static char **
get_strv(struct reader *r, json_t *obj, const char *where, const char *key, size_t *n)
{
	json_t *a = get_array(r, obj, where, key, KEY_OPTIONAL);
	char **v;

	*n = 0;
	if (a == NULL)
		return NULL;
	v = xcalloc(json_array_size(a) + 1, sizeof(*v));
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *s = json_array_get(a, i);

		if (!json_is_string(s)) {
			BERTH_AUTOFREE char *elem = xasprintf("%s[%zu]", key, i);

			wrong(r, where, elem, "a string");
			break;
		}
		v[(*n)++] = xstrdup(json_string_value(s));
	}
	return v;
}

/* True if s is 36 characters of hex digits and '-' in the 8-4-4-4-12 places. */
static bool
uuid_shaped(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

/* An export's "leases": [{"image": NAME, "holder": HOST}], in order of image. */
static void
read_leases(struct reader *r, json_t *o, const char *where, struct berth_export_fact *e)
{
	json_t *a = get_array(r, o, where, "leases", KEY_OPTIONAL);

	if (a == NULL)
		return;
	e->leases = xcalloc(json_array_size(a) + 1, sizeof(*e->leases));
	for (size_t i = 0; i < json_array_size(a) && !r->failed; i++) {
		json_t *l = element_object(r, a, i, where, "leases");
		BERTH_AUTOFREE char *at = xasprintf("%s.leases[%zu]", where, i);
		struct berth_lease_fact *lf = &e->leases[i];

		if (l == NULL)
			break;
		lf->image = get_str(r, l, at, "image", KEY_REQUIRED);
		lf->holder = get_str(r, l, at, "holder", KEY_REQUIRED);
		e->n_leases++;
		if (r->failed)
			break;
		if (i > 0 && strcmp(e->leases[i - 1].image, lf->image) >= 0) {
			wrong(r, at, "image", "a name after the previous lease's, in byte order, each once");
			break;
		}
	}
}

static void
read_domain(struct reader *r, json_t *o, const char *where, struct berth_domain_fact *d)
{
	BERTH_AUTOFREE char *state = NULL;
	BERTH_AUTOFREE char *uuid = NULL;
	json_t *a;
	int st;

	d->name = get_str(r, o, where, "name", KEY_REQUIRED);
	uuid = get_str(r, o, where, "uuid", KEY_REQUIRED);
	if (uuid != NULL) {
		if (!uuid_shaped(uuid))
			wrong(r, where, "uuid", "a UUID like 8-4-4-4-12 hex digits");
		else
			memcpy(d->uuid, uuid, 37);
	}
	state = get_str(r, o, where, "state", KEY_REQUIRED);
	st = state != NULL ? berth_dom_state_from_name(state) : 0;
	if (st < 0)
		wrong(r, where, "state", "one of running, paused, shutoff, other");
	d->state = st < 0 ? BERTH_DOM_OTHER : (enum berth_dom_state)st;
	d->persistent = get_bool(r, o, where, "persistent", KEY_OPTIONAL);
	d->autostart = get_bool(r, o, where, "autostart", KEY_OPTIONAL);
	d->memory_kib = get_uint(r, o, where, "memory_kib", KEY_OPTIONAL);
	d->vcpus = (unsigned)get_uint(r, o, where, "vcpus", KEY_OPTIONAL);
	if ((a = get_array(r, o, where, "disks", KEY_OPTIONAL)) != NULL) {
		d->disks = xcalloc(json_array_size(a) + 1, sizeof(*d->disks));
		for (size_t i = 0; i < json_array_size(a) && !r->failed; i++) {
			json_t *e = element_object(r, a, i, where, "disks");
			BERTH_AUTOFREE char *at = xasprintf("%s.disks[%zu]", where, i);

			if (e == NULL)
				break;
			d->disks[i].target = get_str(r, e, at, "target", KEY_REQUIRED | KEY_NULLABLE);
			d->disks[i].source = get_str(r, e, at, "source", KEY_OPTIONAL);
			d->disks[i].format = get_str(r, e, at, "format", KEY_OPTIONAL);
			d->n_disks++;
		}
	}
	if ((a = get_array(r, o, where, "nics", KEY_OPTIONAL)) != NULL) {
		d->nics = xcalloc(json_array_size(a) + 1, sizeof(*d->nics));
		for (size_t i = 0; i < json_array_size(a) && !r->failed; i++) {
			json_t *e = element_object(r, a, i, where, "nics");
			BERTH_AUTOFREE char *at = xasprintf("%s.nics[%zu]", where, i);

			if (e == NULL)
				break;
			d->nics[i].mac = get_str(r, e, at, "mac", KEY_REQUIRED | KEY_NULLABLE);
			d->nics[i].bridge = get_str(r, e, at, "bridge", KEY_OPTIONAL);
			d->nics[i].model = get_str(r, e, at, "model", KEY_OPTIONAL);
			d->n_nics++;
		}
	}
	d->xml = get_str(r, o, where, "xml", KEY_OPTIONAL);
}

static void
read_host(struct reader *r, json_t *o, const char *where, struct berth_host_fact *h)
{
	BERTH_AUTOFREE char *cpu_at = xasprintf("%s.cpu", where);
	BERTH_AUTOFREE char *mem_at = xasprintf("%s.memory", where);
	json_t *cpu, *mem, *a;

	h->name = get_str(r, o, where, "name", KEY_REQUIRED);
	h->reachable = get_bool(r, o, where, "reachable", KEY_REQUIRED);
	h->error = get_str(r, o, where, "error", KEY_OPTIONAL);
	h->hostname = get_str(r, o, where, "hostname", KEY_OPTIONAL);
	h->fqdn = get_str(r, o, where, "fqdn", KEY_OPTIONAL);
	h->addresses = get_strv(r, o, where, "addresses", &h->n_addresses);
	h->arch = get_str(r, o, where, "arch", KEY_OPTIONAL);
	if ((cpu = get_object(r, o, where, "cpu", KEY_OPTIONAL)) != NULL) {
		h->cpu_vendor = get_str(r, cpu, cpu_at, "vendor", KEY_OPTIONAL);
		h->cpu_model = get_str(r, cpu, cpu_at, "model", KEY_OPTIONAL);
		h->cpu_nx = get_bool(r, cpu, cpu_at, "nx", KEY_OPTIONAL);
		h->cpu_vmx = get_bool(r, cpu, cpu_at, "vmx", KEY_OPTIONAL);
		h->cpu_svm = get_bool(r, cpu, cpu_at, "svm", KEY_OPTIONAL);
	}
	if ((mem = get_object(r, o, where, "memory", KEY_OPTIONAL)) != NULL) {
		h->memory_total_kib = get_uint(r, mem, mem_at, "total_kib", KEY_OPTIONAL);
		h->memory_free_kib = get_uint(r, mem, mem_at, "free_kib", KEY_OPTIONAL);
	}
	h->libvirt_version = (unsigned long)get_uint(r, o, where, "libvirt_version", KEY_OPTIONAL);
	h->qemu_version = (unsigned long)get_uint(r, o, where, "qemu_version", KEY_OPTIONAL);
	h->host_uuid = get_str(r, o, where, "host_uuid", KEY_OPTIONAL);
	if (h->host_uuid != NULL && !uuid_shaped(h->host_uuid))
		wrong(r, where, "host_uuid", "a UUID like 8-4-4-4-12 hex digits");
	h->bridges = get_strv(r, o, where, "bridges", &h->n_bridges);
	if ((a = get_array(r, o, where, "exports", KEY_OPTIONAL)) != NULL) {
		h->exports = xcalloc(json_array_size(a) + 1, sizeof(*h->exports));
		for (size_t i = 0; i < json_array_size(a) && !r->failed; i++) {
			json_t *e = element_object(r, a, i, where, "exports");
			BERTH_AUTOFREE char *at = xasprintf("%s.exports[%zu]", where, i);

			if (e == NULL)
				break;
			h->exports[i].path = get_str(r, e, at, "path", KEY_REQUIRED);
			h->exports[i].files = get_strv(r, e, at, "files", &h->exports[i].n_files);
			read_leases(r, e, at, &h->exports[i]);
			h->n_exports++;
		}
	}
	if ((a = get_array(r, o, where, "domains", KEY_OPTIONAL)) != NULL) {
		h->domains = xcalloc(json_array_size(a) + 1, sizeof(*h->domains));
		for (size_t i = 0; i < json_array_size(a) && !r->failed; i++) {
			json_t *e = element_object(r, a, i, where, "domains");
			BERTH_AUTOFREE char *at = xasprintf("%s.domains[%zu]", where, i);

			if (e == NULL)
				break;
			h->n_domains++;
			read_domain(r, e, at, &h->domains[i]);
		}
	}
}

struct berth_facts *
berth_facts_load(const char *path, struct berth_error **err)
{
	BERTH_AUTOPTR(json_t) root = berth_json_load_file(path, err);
	BERTH_AUTOPTR(berth_facts) facts = NULL;
	struct reader r = { .file = path, .err = err };
	json_t *hosts;
	uint64_t version;

	if (root == NULL)
		return NULL;
	if (!json_is_object(root)) {
		berth_error_set(err, BERTH_ERROR_INPUT, "%s: expected a JSON object of facts", path);
		return NULL;
	}
	version = get_uint(&r, root, "", "format_version", KEY_REQUIRED);
	if (!r.failed && version != FACTS_FORMAT_VERSION) {
		berth_error_set(err, BERTH_ERROR_INPUT,
				"%s: facts format_version %llu is not supported (this berth reads %d)",
				path, (unsigned long long)version, FACTS_FORMAT_VERSION);
		return NULL;
	}
	facts = xcalloc(1, sizeof(*facts));
	hosts = get_array(&r, root, "", "hosts", KEY_OPTIONAL);
	if (hosts != NULL) {
		facts->hosts = xcalloc(json_array_size(hosts) + 1, sizeof(*facts->hosts));
		for (size_t i = 0; i < json_array_size(hosts) && !r.failed; i++) {
			json_t *e = element_object(&r, hosts, i, "", "hosts");
			BERTH_AUTOFREE char *at = xasprintf("hosts[%zu]", i);

			if (e == NULL)
				break;
			facts->n_hosts++;
			read_host(&r, e, at, &facts->hosts[i]);
		}
	}
	if (r.failed)
		return NULL;
	return berth_steal_pointer(&facts);
}
