/* Mappings read through tables of fields: see fields.h. */
#include "parser/fields.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "core/buf.h"
#include "core/uri.h"
#include "core/util.h"
#include "parser/names.h"

#define MAX_CHOICES 8

int
berth_expect_mapping(struct berth_parse *p, const struct berth_yaml_node *node,
		     const char *where, const char *subject, const struct berth_yaml_node **map)
{
	BERTH_AUTOFREE char *got = NULL;

	*map = NULL;
	if (node->kind == BERTH_YAML_MAPPING) {
		*map = node;
		return 0;
	}
	if (berth_yaml_is_null(node))
		return 0;
	got = berth_yaml_describe(node);
	return berth_parse_fail(p, node->loc, "%s%s must be a mapping, got %s", where, subject, got);
}

int
berth_fields_parse_nested(struct berth_parse *p, const struct berth_yaml_node *value,
			  const char *name, const char *where, const struct berth_field *fields,
			  size_t n, void *obj, bool in_defaults)
{
	BERTH_AUTOFREE char *subject = xasprintf("'%s'", name);
	BERTH_AUTOFREE char *inner = xasprintf("%s%s: ", where, name);
	const struct berth_yaml_node *map;

	if (berth_expect_mapping(p, value, where, subject, &map) < 0)
		return -1;
	if (map == NULL)
		return 0;
	return berth_fields_parse(p, map, inner, fields, n, obj, in_defaults);
}

int
berth_parse_fail_undefined(struct berth_parse *p, struct berth_location loc, const char *where,
			   const char *what, const char *name, const char *const *names,
			   size_t n)
{
	const char *closest = berth_suggest(name, names, n);

	if (closest != NULL)
		return berth_parse_fail(p, loc, "%s%s '%s' is not defined (did you mean '%s'?)",
					where, what, name, closest);
	return berth_parse_fail(p, loc, "%s%s '%s' is not defined", where, what, name);
}

char *
berth_parse_place(const struct berth_parse *p, struct berth_location at,
		  struct berth_location here)
{
	if (at.file == here.file)
		return xasprintf("%u:%u", at.line, at.column);
	return xasprintf("%s:%u:%u", at.file != NULL ? at.file : p->path, at.line, at.column);
}

int
berth_parse_fail(struct berth_parse *p, struct berth_location loc, const char *fmt, ...)
{
	BERTH_AUTOFREE char *message = NULL;
	va_list ap;

	va_start(ap, fmt);
	message = xvasprintf(fmt, ap);
	va_end(ap);
	berth_problems_add(p->problems, p->path, loc, message);
	return -1;
}

char *
berth_expand_home(const char *path)
{
	const char *home;

	if (path[0] != '~' || (path[1] != '/' && path[1] != '\0'))
		return xstrdup(path);
	home = getenv("HOME");
	if (home == NULL || home[0] == '\0') {
		const struct passwd *pw = getpwuid(getuid());

		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home == NULL)
		return xstrdup(path);
	return xasprintf("%s%s", home, path + 1);
}

/* True for the types whose value is a malloc'd char * in the struct. */
static bool
holds_string(enum berth_field_type type)
{
	switch (type) {
	case BERTH_FIELD_STRING:
	case BERTH_FIELD_LOCAL_PATH:
	case BERTH_FIELD_ABSOLUTE_PATH:
	case BERTH_FIELD_FILE_NAME:
	case BERTH_FIELD_CHOICE:
	case BERTH_FIELD_MAC:
	case BERTH_FIELD_HOST_ADDRESS:
	case BERTH_FIELD_LIBVIRT_URI:
	case BERTH_FIELD_INTERFACE:
		return true;
	default:
		return false;
	}
}

/* The size of a value held in place (not a string); 0 for custom rows. */
static size_t
value_size(enum berth_field_type type)
{
	switch (type) {
	case BERTH_FIELD_POWER:
		return sizeof(enum berth_power);
	case BERTH_FIELD_UNSIGNED:
	case BERTH_FIELD_DURATION:
	case BERTH_FIELD_RATIO:
		return sizeof(unsigned);
	case BERTH_FIELD_BOOL:
		return sizeof(bool);
	case BERTH_FIELD_TRISTATE:
		return sizeof(enum berth_tristate);
	case BERTH_FIELD_MEMORY:
	case BERTH_FIELD_DISK_SIZE:
		return sizeof(uint64_t);
	case BERTH_FIELD_UUID:
		return sizeof(((struct berth_domain *)NULL)->uuid);
	default:
		return 0;
	}
}

static void
set_string(void *slot, char *value)
{
	char **s = slot;

	free(*s);
	*s = value;
}

/* The words a choice row accepts, in out[]; returns how many. */
static size_t
choices_of(const struct berth_field *f, const char **out)
{
	size_t n = 0;

	if (f->type == BERTH_FIELD_POWER) {
		for (int s = 0; s < BERTH_POWER_LAST; s++)
			out[n++] = berth_power_name((enum berth_power)s);
		return n;
	}
	while (f->choices[n] != NULL) {
		assert(n < MAX_CHOICES);
		out[n] = f->choices[n];
		n++;
	}
	return n;
}

/* The index of text among f's choices, or -1. */
static int
choice_index(const struct berth_field *f, const char *text)
{
	const char *choices[MAX_CHOICES];
	size_t n = choices_of(f, choices);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(text, choices[i]) == 0)
			return (int)i;
	}
	return -1;
}

/* seconds as a duration is written: "90s", "5m", "1h". */
static char *
duration_text(unsigned seconds)
{
	if (seconds > 0 && seconds % 3600 == 0)
		return xasprintf("%uh", seconds / 3600);
	if (seconds > 0 && seconds % 60 == 0)
		return xasprintf("%um", seconds / 60);
	return xasprintf("%us", seconds);
}

/* What a value of f must be, for "'port' must be ...".  The caller frees it. */
static char *
expectation(const struct berth_field *f)
{
	struct berth_buf sb = BERTH_BUF_INIT;
	const char *choices[MAX_CHOICES];
	size_t n;

	switch (f->type) {
	case BERTH_FIELD_LOCAL_PATH:
		return xstrdup("a path");
	case BERTH_FIELD_ABSOLUTE_PATH:
		return xstrdup("an absolute path");
	case BERTH_FIELD_FILE_NAME:
		return xstrdup("a file name in the export, without '/' and not '..'");
	case BERTH_FIELD_UNSIGNED:
		return xasprintf("an integer from %u to %u", f->min, f->max);
	case BERTH_FIELD_DURATION: {
		BERTH_AUTOFREE char *min = duration_text(f->min);
		BERTH_AUTOFREE char *max = duration_text(f->max);

		return xasprintf("a duration from %s to %s such as 30s, 5m or 90 (seconds)",
				 min, max);
	}
	case BERTH_FIELD_MEMORY:
	case BERTH_FIELD_DISK_SIZE:
		return xstrdup("a size like 128M");
	case BERTH_FIELD_MAC:
		return xstrdup("a MAC address like 52:54:00:12:34:56");
	case BERTH_FIELD_UUID:
		return xstrdup("a UUID like 2b7e1516-28ae-4d2a-a6f7-15880cf4f3c5");
	case BERTH_FIELD_HOST_ADDRESS:
		return xstrdup("a host name (letters, digits, '-', '_' and '.') or an IP address");
	case BERTH_FIELD_LIBVIRT_URI:
		return xstrdup(BERTH_URI_LIBVIRT_FORM);
	case BERTH_FIELD_BOOL:
	case BERTH_FIELD_TRISTATE:
		return xstrdup("true or false");
	case BERTH_FIELD_INTERFACE:
		return xasprintf("an interface name, which must %s",
				 berth_name_rule(BERTH_NAME_INTERFACE));
	case BERTH_FIELD_RATIO:
		return xasprintf("a number from %u to %u with at most two decimals, like 1.5",
				 f->min / 100, f->max / 100);
	case BERTH_FIELD_CHOICE:
	case BERTH_FIELD_POWER:
		n = choices_of(f, choices);
		for (size_t i = 0; i < n; i++)
			berth_buf_addf(&sb, "%s'%s'", i == 0 ? "" : i + 1 == n ? " or " : ", ",
				       choices[i]);
		return berth_buf_detach(&sb);
	default:
		return xstrdup("a string");
	}
}

/* "'NAME' must be EXPECTED, got VALUE", with a hint where one helps. */
static int
fail_type(struct berth_parse *p, const struct berth_field *f, const char *name,
	  const struct berth_yaml_node *value, const char *where)
{
	BERTH_AUTOFREE char *expected = expectation(f);
	BERTH_AUTOFREE char *got = berth_yaml_describe(value);
	BERTH_AUTOFREE char *hint = NULL;
	const char *choices[MAX_CHOICES];

	if ((f->type == BERTH_FIELD_CHOICE || f->type == BERTH_FIELD_POWER) &&
	    value->kind == BERTH_YAML_SCALAR) {
		const char *closest = berth_suggest(value->text, choices, choices_of(f, choices));

		if (closest != NULL)
			hint = xasprintf(" (did you mean '%s'?)", closest);
	} else if ((f->type == BERTH_FIELD_BOOL || f->type == BERTH_FIELD_TRISTATE) &&
		   value->kind == BERTH_YAML_SCALAR && !value->plain) {
		hint = xstrdup(" (quoted, it is text: write true or false without quotes)");
	} else if (holds_string(f->type) && berth_yaml_is_bool(value)) {
		hint = xasprintf(" (YAML reads it as a boolean: write \"%s\" for the text)",
				 value->text);
	}
	return berth_parse_fail(p, value->loc, "%s'%s' must be %s, got %s%s", where, name,
				expected, got, hint != NULL ? hint : "");
}

/* Parses text, only decimal digits, into *out.  False if not, or too large. */
static bool
parse_u64(const char *text, uint64_t *out, const char **end)
{
	unsigned long long v;
	char *stop;

	if (!isdigit((unsigned char)text[0]))
		return false;
	errno = 0;
	v = strtoull(text, &stop, 10);
	if (errno == ERANGE)
		return false;
	*out = v;
	*end = stop;
	return true;
}

/* text as hundredths: digits, then maybe '.' and one or two digits. */
static bool
parse_hundredths(const char *text, uint64_t *out)
{
	const char *rest;
	uint64_t whole;
	size_t decimals;

	if (!parse_u64(text, &whole, &rest) || whole > UINT32_MAX / 100)
		return false;
	*out = whole * 100;
	if (*rest == '\0')
		return true;
	decimals = strspn(rest + 1, "0123456789");
	if (rest[0] != '.' || decimals == 0 || decimals > 2 || rest[1 + decimals] != '\0')
		return false;
	*out += (uint64_t)(rest[1] - '0') * 10 + (decimals == 2 ? (uint64_t)(rest[2] - '0') : 0);
	return true;
}

/* A unit a number may carry, and what one of it counts for. */
struct unit {
	const char *name;
	uint64_t worth;
};

#define N_UNITS(table) (sizeof(table) / sizeof((table)[0]))

enum amount_result { AMOUNT_OK, AMOUNT_NOT_ONE, AMOUNT_TOO_LARGE };

/*
 * text as a whole number followed by the name of one of the n units (with
 * spaces between when spaces is true), into *out as the number times the
 * unit's worth.  AMOUNT_NOT_ONE if text is not that; AMOUNT_TOO_LARGE if
 * the number is, or *out would be, more than max.
 */
static enum amount_result
parse_amount(const char *text, const struct unit *units, size_t n, bool spaces, uint64_t max,
	     uint64_t *out)
{
	const char *unit;
	uint64_t number;

	if (!isdigit((unsigned char)text[0]))
		return AMOUNT_NOT_ONE;
	if (!parse_u64(text, &number, &unit))
		return AMOUNT_TOO_LARGE;
	if (spaces)
		unit += strspn(unit, " ");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(unit, units[i].name) != 0)
			continue;
		if (number > max / units[i].worth)
			return AMOUNT_TOO_LARGE;
		*out = number * units[i].worth;
		return AMOUNT_OK;
	}
	return AMOUNT_NOT_ONE;
}

/*
 * text as KiB: a number of MiB, or a number followed (maybe after spaces)
 * by K, M, G, T or KiB, MiB, GiB, TiB: powers of 1024 either way.
 */
static enum amount_result
parse_size_kib(const char *text, uint64_t *kib)
{
	static const struct unit units[] = {
		{ "", 1024 },
		{ "K", 1 }, { "KiB", 1 },
		{ "M", 1024 }, { "MiB", 1024 },
		{ "G", 1024 * 1024 }, { "GiB", 1024 * 1024 },
		{ "T", 1024 * 1024 * 1024 }, { "TiB", 1024 * 1024 * 1024 },
	};

	return parse_amount(text, units, N_UNITS(units), true, UINT64_MAX, kib);
}

bool
berth_parse_duration(const char *text, unsigned max, unsigned *seconds)
{
	static const struct unit units[] = { { "", 1 }, { "s", 1 }, { "m", 60 }, { "h", 3600 } };
	uint64_t n;

	if (parse_amount(text, units, N_UNITS(units), false, max, &n) != AMOUNT_OK)
		return false;
	*seconds = (unsigned)n;
	return true;
}

/* text as a lower-case MAC in out: six hex pairs split by ':'. */
static bool
parse_mac(const char *text, char out[18])
{
	if (strlen(text) != 17)
		return false;
	for (size_t i = 0; i < 17; i++) {
		if (i % 3 == 2 ? text[i] != ':' : !isxdigit((unsigned char)text[i]))
			return false;
		out[i] = (char)tolower((unsigned char)text[i]);
	}
	out[17] = '\0';
	return true;
}

/* Reads the size in text into slot, in KiB or bytes as f says. */
static int
set_size(struct berth_parse *p, const struct berth_field *f, const char *name,
	 const struct berth_yaml_node *value, const char *where, void *slot)
{
	uint64_t kib = 0;

	switch (parse_size_kib(value->text, &kib)) {
	case AMOUNT_NOT_ONE:
		return fail_type(p, f, name, value, where);
	case AMOUNT_TOO_LARGE:
		return berth_parse_fail(p, value->loc, "%s'%s' is too large, got '%s'",
					where, name, value->text);
	default:
		break;
	}
	if (kib == 0)
		return berth_parse_fail(p, value->loc, "%s'%s' must be more than 0, got '%s'",
					where, name, value->text);
	if (f->type == BERTH_FIELD_MEMORY && kib > BERTH_DOMAIN_MEMORY_MAX_KIB)
		return berth_parse_fail(p, value->loc, "%s'%s' must be at most 16T, got '%s'",
					where, name, value->text);
	if (f->type == BERTH_FIELD_DISK_SIZE) {
		if (kib > BERTH_DISK_SIZE_MAX_BYTES / 1024)
			return berth_parse_fail(p, value->loc, "%s'%s' must be at most 64T, got '%s'",
						where, name, value->text);
		kib *= 1024;
	}
	memcpy(slot, &kib, sizeof(kib));
	return 0;
}

/* text as a host address: an IPv6 address loses its brackets.  NULL if not one. */
static char *
host_address(const char *text)
{
	size_t len = strlen(text);
	BERTH_AUTOFREE char *host = NULL;

	if (len >= 2 && text[0] == '[' && text[len - 1] == ']')
		host = xstrndup(text + 1, len - 2);
	else
		host = xstrdup(text);
	if (!berth_uri_host_is_valid(host) || (text[0] == '[' && strchr(host, ':') == NULL))
		return NULL;
	return berth_steal_pointer(&host);
}

/*
 * Reads the libvirt URI in value into slot as core/uri.c writes it.  The
 * messages show it redacted: a libvirt_uri may hold a password.
 */
static int
set_libvirt_uri(struct berth_parse *p, const char *name, const struct berth_yaml_node *value,
		const char *where, void *slot)
{
	BERTH_AUTOFREE char *why = NULL;
	BERTH_AUTOFREE char *shown = NULL;
	char *uri = berth_uri_check_libvirt(value->text, &why);

	if (uri != NULL) {
		set_string(slot, uri);
		return 0;
	}
	shown = berth_uri_redacted(value->text);
	return berth_parse_fail(p, value->loc, "%s'%s' must be %s, got '%s': %s", where, name,
				BERTH_URI_LIBVIRT_FORM, shown, why);
}

/* Reads value into the slot of f in obj. */
static int
set_value(struct berth_parse *p, const struct berth_field *f, const char *name,
	  const struct berth_yaml_node *value, const char *where, void *obj)
{
	/* obj is NULL where a section is only checked, not stored. */
	void *slot = obj != NULL ? (char *)obj + f->offset : NULL;
	const char *text = value->text;
	char mac[18];
	unsigned seconds;
	uint64_t n;
	uuid_t uuid;
	char *host;
	int i;

	/* Its problem is reported already. */
	if (value->kind == BERTH_YAML_SCALAR && value->broken)
		return -1;
	if (f->type == BERTH_FIELD_CUSTOM)
		return f->parse(p, value, name, where, obj);
	if (f->type == BERTH_FIELD_BOOL || f->type == BERTH_FIELD_TRISTATE) {
		if (!berth_yaml_is_bool(value))
			return fail_type(p, f, name, value, where);
		if (f->type == BERTH_FIELD_BOOL)
			*(bool *)slot = berth_yaml_bool_value(value);
		else
			*(enum berth_tristate *)slot = berth_yaml_bool_value(value) ? BERTH_TRUE
				: BERTH_FALSE;
		return 0;
	}
	/* Every other type is read from a scalar that YAML reads as text. */
	if (value->kind != BERTH_YAML_SCALAR || text[0] == '\0' ||
	    berth_yaml_is_null(value) || berth_yaml_is_bool(value))
		return fail_type(p, f, name, value, where);
	/* No value berth passes on (into XML, a command, a terminal) may hold
	 * a control character: libvirt's XML cannot even carry most of them. */
	if (berth_first_control(text) != 0)
		return berth_parse_fail(p, value->loc,
					"%s'%s' must not contain control characters (byte 0x%02x)",
					where, name, berth_first_control(text));

	switch (f->type) {
	case BERTH_FIELD_LOCAL_PATH:
		set_string(slot, berth_expand_home(text));
		return 0;
	case BERTH_FIELD_ABSOLUTE_PATH:
		if (text[0] != '/')
			return fail_type(p, f, name, value, where);
		break;
	case BERTH_FIELD_FILE_NAME:
		if (strchr(text, '/') != NULL || strcmp(text, ".") == 0 || strcmp(text, "..") == 0)
			return fail_type(p, f, name, value, where);
		break;
	case BERTH_FIELD_CHOICE:
		if (choice_index(f, text) < 0)
			return fail_type(p, f, name, value, where);
		break;
	case BERTH_FIELD_POWER:
		i = choice_index(f, text);
		if (i < 0)
			return fail_type(p, f, name, value, where);
		*(enum berth_power *)slot = (enum berth_power)i;
		return 0;
	case BERTH_FIELD_UNSIGNED:
		if (!parse_u64(text, &n, &text) || *text != '\0' || n < f->min || n > f->max)
			return fail_type(p, f, name, value, where);
		*(unsigned *)slot = (unsigned)n;
		return 0;
	case BERTH_FIELD_DURATION:
		if (!berth_parse_duration(text, f->max, &seconds) || seconds < f->min)
			return fail_type(p, f, name, value, where);
		*(unsigned *)slot = seconds;
		return 0;
	case BERTH_FIELD_RATIO:
		if (!parse_hundredths(text, &n) || n < f->min || n > f->max)
			return fail_type(p, f, name, value, where);
		*(unsigned *)slot = (unsigned)n;
		return 0;
	case BERTH_FIELD_MEMORY:
	case BERTH_FIELD_DISK_SIZE:
		return set_size(p, f, name, value, where, slot);
	case BERTH_FIELD_MAC:
		if (!parse_mac(text, mac))
			return fail_type(p, f, name, value, where);
		/* The lowest bit of the first byte (its second hex digit) marks a group. */
		if (strchr("13579bdf", mac[1]) != NULL)
			return berth_parse_fail(p, value->loc,
						"%s'%s' must be a unicast MAC address, got multicast '%s' "
						"(the first byte is odd)", where, name, text);
		set_string(slot, xstrdup(mac));
		return 0;
	case BERTH_FIELD_UUID:
		if (strlen(text) != 36 || uuid_parse(text, uuid) < 0)
			return fail_type(p, f, name, value, where);
		uuid_unparse_lower(uuid, slot);
		return 0;
	case BERTH_FIELD_HOST_ADDRESS:
		host = host_address(text);
		if (host == NULL)
			return fail_type(p, f, name, value, where);
		set_string(slot, host);
		return 0;
	case BERTH_FIELD_LIBVIRT_URI:
		return set_libvirt_uri(p, name, value, where, slot);
	case BERTH_FIELD_INTERFACE:
		if (!berth_name_is_valid(BERTH_NAME_INTERFACE, text))
			return fail_type(p, f, name, value, where);
		break;
	default:
		break;
	}
	/* A string that passed its type's check, kept as written. */
	set_string(slot, xstrdup(text));
	return 0;
}

static const struct berth_field *
field_find(const struct berth_field *fields, size_t n, const char *key)
{
	/* The first letters first: tables have thirty rows, inventories 10^5 keys. */
	for (size_t i = 0; i < n; i++) {
		if ((fields[i].key[0] == key[0] && strcmp(fields[i].key, key) == 0) ||
		    (fields[i].alias != NULL && fields[i].alias[0] == key[0] &&
		     strcmp(fields[i].alias, key) == 0))
			return &fields[i];
	}
	return NULL;
}

/* "unknown key 'adress' (did you mean 'address'?)" */
static int
fail_unknown_key(struct berth_parse *p, const struct berth_yaml_node *key, const char *where,
		 const struct berth_field *fields, size_t n, bool in_defaults)
{
	const char *candidates[2 * BERTH_FIELDS_MAX];
	const char *closest;
	size_t n_candidates = 0;

	for (size_t i = 0; i < n; i++) {
		if (in_defaults && fields[i].no_default)
			continue;
		candidates[n_candidates++] = fields[i].key;
		if (fields[i].alias != NULL)
			candidates[n_candidates++] = fields[i].alias;
	}
	closest = berth_suggest(key->text, candidates, n_candidates);
	if (closest != NULL)
		return berth_parse_fail(p, key->loc, "%sunknown key '%s' (did you mean '%s'?)",
					where, key->text, closest);
	return berth_parse_fail(p, key->loc, "%sunknown key '%s'", where, key->text);
}

int
berth_fields_parse(struct berth_parse *p, const struct berth_yaml_node *map,
		   const char *where, const struct berth_field *fields, size_t n,
		   void *obj, bool in_defaults)
{
	const struct berth_yaml_node *seen[BERTH_FIELDS_MAX] = { NULL };
	int rc = 0;

	assert(n <= BERTH_FIELDS_MAX);
	assert(map->kind == BERTH_YAML_MAPPING);
	for (size_t i = 0; i < berth_yaml_n_pairs(map); i++) {
		const struct berth_yaml_node *key = map->items[2 * i];
		const struct berth_yaml_node *first;
		const struct berth_field *f;

		if (key->kind != BERTH_YAML_SCALAR) {
			BERTH_AUTOFREE char *got = berth_yaml_describe(key);

			rc = berth_parse_fail(p, key->loc, "%skeys must be strings, got %s",
					      where, got);
			continue;
		}
		if (berth_yaml_is_merge_key(key)) {
			rc = -1;
			continue;
		}
		f = field_find(fields, n, key->text);
		if (f == NULL && p->unknown_key != NULL &&
		    p->unknown_key(p, key, map->items[2 * i + 1], obj) == 0)
			continue;
		if (f == NULL) {
			rc = fail_unknown_key(p, key, where, fields, n, in_defaults);
			continue;
		}
		if (in_defaults && f->no_default) {
			rc = berth_parse_fail(p, key->loc, "%s'%s' cannot have a default",
					      where, key->text);
			continue;
		}
		first = seen[f - fields];
		if (first != NULL && strcmp(first->text, key->text) == 0) {
			rc = berth_parse_fail(p, key->loc, "%sduplicate key '%s' (first at %u:%u)",
					      where, key->text, first->loc.line, first->loc.column);
			continue;
		}
		if (first != NULL) {
			rc = berth_parse_fail(p, key->loc,
					      "%sduplicate key '%s': '%s' at %u:%u is the same setting",
					      where, key->text, first->text,
					      first->loc.line, first->loc.column);
			continue;
		}
		seen[f - fields] = key;
		if (set_value(p, f, key->text, map->items[2 * i + 1], where, obj) < 0)
			rc = -1;
	}
	return rc;
}

/* True if obj holds a value for f: a string, or a number that is not 0. */
static bool
has_value(const struct berth_field *f, const void *obj)
{
	const unsigned char *slot = (const unsigned char *)obj + f->offset;

	if (holds_string(f->type))
		return *(char *const *)(const void *)slot != NULL;
	for (size_t i = 0; i < value_size(f->type); i++) {
		if (slot[i] != 0)
			return true;
	}
	return false;
}

/* True if map (or NULL) gives f, under its key or its alias. */
static bool
map_gives(const struct berth_yaml_node *map, const struct berth_field *f)
{
	return map != NULL && (berth_yaml_get(map, f->key) != NULL ||
			       (f->alias != NULL && berth_yaml_get(map, f->alias) != NULL));
}

int
berth_fields_check_required(struct berth_parse *p, struct berth_location loc,
			    const char *where, const struct berth_field *fields, size_t n,
			    const void *obj, const struct berth_yaml_node *map)
{
	int rc = 0;

	if (p->lenient)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (fields[i].required && !has_value(&fields[i], obj) && !map_gives(map, &fields[i]))
			rc = berth_parse_fail(p, loc, "%s'%s' is required", where, fields[i].key);
	}
	return rc;
}

void
berth_fields_copy(const struct berth_field *fields, size_t n, void *dst, const void *src)
{
	for (size_t i = 0; i < n; i++) {
		const struct berth_field *f = &fields[i];
		const void *from = (const char *)src + f->offset;
		void *to = (char *)dst + f->offset;

		if (f->no_default)
			continue;
		if (holds_string(f->type)) {
			const char *s = *(char *const *)from;

			*(char **)to = s != NULL ? xstrdup(s) : NULL;
		} else {
			memcpy(to, from, value_size(f->type));
		}
	}
}

void
berth_fields_clear(const struct berth_field *fields, size_t n, void *obj)
{
	for (size_t i = 0; i < n; i++) {
		if (holds_string(fields[i].type))
			set_string((char *)obj + fields[i].offset, NULL);
	}
}

struct berth_location
berth_fields_loc(const struct berth_yaml_node *map, const char *key,
		 struct berth_location fallback)
{
	const struct berth_yaml_node *value;

	if (map == NULL || map->kind != BERTH_YAML_MAPPING)
		return fallback;
	value = berth_yaml_get(map, key);
	return value != NULL ? value->loc : fallback;
}
