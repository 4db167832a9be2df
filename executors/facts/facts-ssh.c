/*
 * Facts over SSH: one shell script per host, sent as one command, and the
 * parsing of what it prints.
 *
 * What a host prints is untrusted (DESIGN.md), so the output is framed:
 * nothing the host controls (a file name, its hostname, a command's
 * output) can start a record.  Every value goes with its length in bytes,
 * counted by the host's shell on the very bytes it prints, and every
 * header carries a nonce drawn anew for each run, which a login banner or
 * motd printed before the script cannot know.  The grammar:
 *
 *	output = begin record* end
 *	begin  = "@@berth-facts " NONCE " begin\n"
 *	record = "@@berth-facts " NONCE " " TAG " " LENGTH "\n" VALUE "\n"
 *	end    = "@@berth-facts " NONCE " end\n"
 *
 * NONCE is BERTH_REMOTE_NONCE_LEN lower-case hex digits, the same in every
 * header; TAG is a tag of record_kinds[]; LENGTH is the decimal byte count
 * of VALUE, without leading zeros; VALUE is exactly LENGTH bytes, any but
 * NUL (a command's output is taken with $(...), which drops its trailing
 * newlines and any NUL).  The parser takes nothing else: an unknown,
 * repeated or missing record, a wrong length, bytes after the end are HOST
 * errors.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/remote.h"
#include "core/util.h"
#include "executors/facts/facts.h"

#define MARK "@@berth-facts "

/* Bytes of a host's output shown in a message at most. */
#define SHOWN_MAX 64

/*
 * The script's helpers.  berth_rec TAG VALUE prints one record.  ${#2} is
 * the length in bytes only if the shell counts bytes (dash does, and any
 * shell in the C locale should): the script checks that on a two-byte
 * character and counts with wc -c otherwise.  berth_export PATH prints an
 * export record and one file record per name in the directory, dot files
 * included, if PATH is a directory; the names come from the shell's globs,
 * byte for byte (a pattern that matched nothing stays as it is, and is
 * told from a file of that name by asking whether it exists).  A file
 * NAME.berth-lease that is a symbolic link is a lease (core/facts.h): a
 * lease record "NAME/TARGET" follows its file record ('/' cannot be in a
 * name, so the first one splits the two).
 */
#define SCRIPT_HELPERS \
	"berth_b=$(printf '\\303\\251')\n" \
	"if [ \"${#berth_b}\" = 2 ]; then berth_bytes=y; else berth_bytes=; fi\n" \
	"berth_rec() {\n" \
	"\tif [ -n \"$berth_bytes\" ]; then berth_n=${#2}; else berth_n=$(printf %s \"$2\" | wc -c); fi\n" \
	"\tprintf '" MARK "%s %s %d\\n%s\\n' \"$berth_nonce\" \"$1\" \"$berth_n\" \"$2\"\n" \
	"}\n" \
	"berth_export() {\n" \
	"\t[ -d \"$1\" ] || return 0\n" \
	"\tberth_rec export \"$1\"\n" \
	"\tfor berth_f in \"$1\"/* \"$1\"/.[!.]* \"$1\"/..?*; do\n" \
	"\t\tcase $berth_f in \"$1/*\" | \"$1/.[!.]*\" | \"$1/..?*\")\n" \
	"\t\t\t[ -e \"$berth_f\" ] || [ -h \"$berth_f\" ] || continue ;;\n" \
	"\t\tesac\n" \
	"\t\tberth_rec file \"${berth_f##*/}\"\n" \
	"\t\tcase $berth_f in *" BERTH_LEASE_SUFFIX ") [ -h \"$berth_f\" ] &&\n" \
	"\t\t\tberth_rec lease \"${berth_f##*/}/$(readlink \"$berth_f\")\" ;; esac\n" \
	"\tdone\n" \
	"}\n"

/* A growing array of strings. */
struct strv {
	char **v;
	size_t n;
	size_t alloc;
};

static void
strv_push(struct strv *sv, char *s)
{
	if (sv->n == sv->alloc) {
		sv->alloc = sv->alloc ? 2 * sv->alloc : 8;
		sv->v = xreallocarray(sv->v, sv->alloc, sizeof(*sv->v));
	}
	sv->v[sv->n++] = s;
}

/* True if v holds s already. */
static bool
strv_has(const struct strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++) {
		if (strcmp(v->v[i], s) == 0)
			return true;
	}
	return false;
}

static void
strv_release(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	*sv = (struct strv){ 0 };
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts sv and hands its strings to *v and *n. */
static void
strv_sorted_into(struct strv *sv, char ***v, size_t *n)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(*sv->v), compare_strings);
	*v = sv->v;
	*n = sv->n;
	*sv = (struct strv){ 0 };
}

/*
 * True if the n bytes at s are UTF-8 as jansson's json_string() takes it
 * (utf8_check_string() in jansson's utf.c), which is what facts must be to
 * be written as JSON: no NUL, no continuation byte (0x80..0xbf) without its
 * lead byte, no lead byte 0xc0, 0xc1 or 0xf5..0xff, no sequence cut short,
 * no overlong form, no UTF-16 surrogate (U+D800..U+DFFF), nothing above
 * U+10FFFF.
 */
static bool
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		uint32_t cp, min;
		size_t len;

		if (p[i] == 0)
			return false;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf) {
			len = 2, cp = p[i] & 0x1f, min = 0x80;
		} else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			len = 3, cp = p[i] & 0x0f, min = 0x800;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			len = 4, cp = p[i] & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/*
 * The n bytes at s as a message may show them: printable ASCII as it is,
 * '\' doubled, every other byte as \xNN, cut after SHOWN_MAX bytes with
 * "...".  So what a host printed reaches neither a terminal nor JSON raw.
 * Returns a new string the caller frees.
 */
static char *
shown(const char *s, size_t n)
{
	struct berth_buf b = BERTH_BUF_INIT;

	for (size_t i = 0; i < n && i < SHOWN_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			berth_buf_add(&b, "\\\\");
		else if (c >= 0x20 && c < 0x7f)
			berth_buf_addch(&b, (char)c);
		else
			berth_buf_addf(&b, "\\x%02x", c);
	}
	if (n > SHOWN_MAX)
		berth_buf_add(&b, "...");
	return berth_buf_detach(&b);
}

/* True if p holds BERTH_REMOTE_NONCE_LEN lower-case hex digits. */
static bool
is_nonce(const char *p)
{
	for (size_t i = 0; i < BERTH_REMOTE_NONCE_LEN; i++) {
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return false;
	}
	return true;
}

/* What the records are, in the order the script prints them. */
enum record {
	RECORD_HOSTNAME,
	RECORD_FQDN,
	RECORD_ADDRESSES,
	RECORD_VENDOR,
	RECORD_FLAGS,
	RECORD_BRIDGE,
	RECORD_EXPORT,
	RECORD_FILE,
	RECORD_LEASE,
	RECORD_LAST,
};

struct ssh_parse;

/* Reads a record's value into ps; at is its header's byte offset. */
typedef int record_reader(struct ssh_parse *ps, size_t at, const char *value, size_t len,
			  struct berth_error **err);

static record_reader read_hostname, read_fqdn, read_addresses, read_vendor, read_flags,
	read_bridge, read_export, read_file, read_lease;

/*
 * One row per record: its tag, and for the records the script prints
 * exactly once, the shell words that print the value; the others (NULL)
 * are printed by loops, any number of times.
 */
static const struct record_kind {
	const char *tag;
	const char *shell;
	record_reader *read;
} record_kinds[] = {
	[RECORD_HOSTNAME] = { "hostname", "\"$(hostname 2>/dev/null || uname -n)\"", read_hostname },
	[RECORD_FQDN] = { "fqdn", "\"$fqdn\"", read_fqdn },
	/* The IPv4 addresses $fqdn resolves to, each once, in order. */
	[RECORD_ADDRESSES] = { "addresses",
			       "\"$(getent ahostsv4 \"$fqdn\" | awk '!seen[$1]++ { print $1 }')\"",
			       read_addresses },
	[RECORD_VENDOR] = { "vendor",
			    "\"$(sed -n '/^vendor_id[[:space:]]*:/{p;q;}' /proc/cpuinfo)\"",
			    read_vendor },
	[RECORD_FLAGS] = { "flags", "\"$(sed -n '/^flags[[:space:]]*:/{p;q;}' /proc/cpuinfo)\"",
			   read_flags },
	[RECORD_BRIDGE] = { "bridge", NULL, read_bridge },
	[RECORD_EXPORT] = { "export", NULL, read_export },
	[RECORD_FILE] = { "file", NULL, read_file },
	[RECORD_LEASE] = { "lease", NULL, read_lease },
};

_Static_assert(sizeof(record_kinds) / sizeof(record_kinds[0]) == RECORD_LAST,
	       "one row of record_kinds per enum record");

#define RECORDS_ALL ((1u << RECORD_LAST) - 1)

/*
 * The start of every script: the C locale, the nonce, the helpers, the
 * begin marker, and $fqdn (NULL: the host's `hostname -f`).
 */
static void
add_script_start(struct berth_buf *sh, const char *nonce, const char *fqdn)
{
	BERTH_AUTOFREE char *name = fqdn != NULL ? berth_shell_quote(fqdn)
						 : xstrdup("\"$(hostname -f 2>/dev/null || hostname)\"");

	assert(strlen(nonce) == BERTH_REMOTE_NONCE_LEN && is_nonce(nonce));
	berth_buf_addf(sh, "LC_ALL=C; export LC_ALL\nberth_nonce=%s\n", nonce);
	berth_buf_add(sh, SCRIPT_HELPERS);
	berth_buf_add(sh, "printf '" MARK "%s begin\\n' \"$berth_nonce\"\n");
	berth_buf_addf(sh, "fqdn=%s\n", name);
}

static void
add_record(struct berth_buf *sh, enum record r)
{
	berth_buf_addf(sh, "berth_rec %s %s\n", record_kinds[r].tag, record_kinds[r].shell);
}

static void
add_script_end(struct berth_buf *sh)
{
	berth_buf_add(sh, "printf '" MARK "%s end\\n' \"$berth_nonce\"\n");
}

char *
berth_facts_ssh_script(const struct berth_inventory *inv, const struct berth_host *host,
		       const char *fqdn, const char *nonce)
{
	struct berth_buf sh = BERTH_BUF_INIT;

	add_script_start(&sh, nonce, fqdn);
	for (enum record r = 0; r < RECORD_LAST; r++) {
		if (record_kinds[r].shell != NULL)
			add_record(&sh, r);
	}
	berth_buf_add(&sh, "for berth_d in /sys/class/net/*/bridge; do\n"
		      "\t[ -d \"$berth_d\" ] || continue\n"
		      "\tberth_d=${berth_d%/bridge}\n"
		      "\tberth_rec bridge \"${berth_d##*/}\"\n"
		      "done\n");
	for (size_t i = 0; i < inv->n_storage; i++) {
		const struct berth_storage *st = &inv->storage[i];
		BERTH_AUTOFREE char *path = NULL;

		if (!berth_streq(st->server, host->name) || st->export_path == NULL)
			continue;
		path = berth_shell_quote(st->export_path);
		berth_buf_addf(&sh, "berth_export %s\n", path);
	}
	add_script_end(&sh);
	return berth_buf_detach(&sh);
}

/* The parse in progress. */
struct ssh_parse {
	struct berth_host_fact *h;
	const char *host;	/* h->name, for warnings */
	unsigned seen[RECORD_LAST];
	struct strv addresses;
	struct strv bridges;
	struct strv files;	/* of the export being read */
	struct berth_lease_fact *leases;	/* of the export being read */
	size_t n_leases;
	size_t n_skipped;	/* names in files left out: not UTF-8 */
	char *first_skipped;	/* the first of them, as shown() shows it */
	bool in_export;
	bool other_fqdn;	/* the addresses are for another name */
};

/* Warns that what (from the host) is left out of the facts, not being UTF-8. */
static void
warn_not_utf8(const struct ssh_parse *ps, const char *what, const char *value, size_t len)
{
	BERTH_AUTOFREE char *text = shown(value, len);

	berth_log_warn("host '%s': left out %s '%s', which is not valid UTF-8", ps->host,
		       what, text);
}

/* A copy of a single value (hostname, FQDN, vendor), or NULL with a warning. */
static char *
single_value(const struct ssh_parse *ps, const char *what, const char *value, size_t len)
{
	if (len == 0)
		return NULL;
	if (!utf8_valid(value, len)) {
		warn_not_utf8(ps, what, value, len);
		return NULL;
	}
	return xstrndup(value, len);
}

static int
read_hostname(struct ssh_parse *ps, size_t at, const char *value, size_t len,
	      struct berth_error **err)
{
	(void)at;
	(void)err;
	ps->h->hostname = single_value(ps, "the hostname", value, len);
	return 0;
}

/* The name the script resolved; an empty one (the host has none) is not compared. */
static int
read_fqdn(struct ssh_parse *ps, size_t at, const char *value, size_t len,
	  struct berth_error **err)
{
	(void)at;
	(void)err;
	if (ps->h->fqdn == NULL)
		ps->h->fqdn = single_value(ps, "the FQDN", value, len);
	else if (len > 0 && (strlen(ps->h->fqdn) != len || memcmp(ps->h->fqdn, value, len) != 0))
		ps->other_fqdn = true;
	return 0;
}

/*
 * One IPv4 address a line, as getent prints them; anything else is an
 * error.  An address given twice is kept once ("each once, in order").
 */
static int
read_addresses(struct ssh_parse *ps, size_t at, const char *value, size_t len,
	       struct berth_error **err)
{
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(value + i, '\n', len - i);
		size_t n = nl != NULL ? (size_t)(nl - value) - i : len - i;
		BERTH_AUTOFREE char *line = xstrndup(value + i, n);
		struct in_addr addr;

		if (n > 15 || inet_pton(AF_INET, line, &addr) != 1) {
			BERTH_AUTOFREE char *text = shown(value + i, n);

			berth_error_set(err, BERTH_ERROR_HOST,
					"facts output at byte %zu: '%s' in the 'addresses' record is not an IPv4 address",
					at, text);
			return -1;
		}
		if (!strv_has(&ps->addresses, line))
			strv_push(&ps->addresses, berth_steal_pointer(&line));
		i += n + 1;
	}
	return 0;
}

/*
 * What follows "KEY" [ \t]* ":" [ \t]* in a /proc/cpuinfo line, or NULL if
 * the n bytes at line are not such a line.
 */
static const char *
cpuinfo_value(const char *line, size_t n, const char *key)
{
	size_t k = strlen(key);
	const char *end = line + n;
	const char *p;

	if (n < k || memcmp(line, key, k) != 0)
		return NULL;
	for (p = line + k; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if (p == end || *p != ':')
		return NULL;
	for (p++; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	return p;
}

static int
not_cpuinfo(size_t at, const char *tag, const char *value, size_t len, struct berth_error **err)
{
	BERTH_AUTOFREE char *text = shown(value, len);

	berth_error_set(err, BERTH_ERROR_HOST,
			"facts output at byte %zu: the '%s' record '%s' is not a /proc/cpuinfo line",
			at, tag, text);
	return -1;
}

/* "vendor_id : GenuineIntel", or nothing: the capabilities' vendor stays. */
static int
read_vendor(struct ssh_parse *ps, size_t at, const char *value, size_t len,
	    struct berth_error **err)
{
	const char *p = cpuinfo_value(value, len, "vendor_id");
	char *vendor;

	if (len == 0)
		return 0;
	if (p == NULL)
		return not_cpuinfo(at, "vendor", value, len, err);
	vendor = single_value(ps, "the CPU vendor", p, (size_t)(value + len - p));
	if (vendor != NULL) {
		free(ps->h->cpu_vendor);
		ps->h->cpu_vendor = vendor;
	}
	return 0;
}

/* "flags : a b c", or nothing: the capabilities' flags stay. */
static int
read_flags(struct ssh_parse *ps, size_t at, const char *value, size_t len,
	   struct berth_error **err)
{
	struct berth_host_fact *h = ps->h;
	const char *p = cpuinfo_value(value, len, "flags");
	const char *end = value + len;

	if (len == 0)
		return 0;
	if (p == NULL)
		return not_cpuinfo(at, "flags", value, len, err);
	h->cpu_nx = h->cpu_vmx = h->cpu_svm = false;
	while (p < end) {
		size_t n = 0;

		while (p + n < end && p[n] != ' ' && p[n] != '\t')
			n++;
		if (n == 2 && memcmp(p, "nx", 2) == 0)
			h->cpu_nx = true;
		else if (n == 3 && memcmp(p, "vmx", 3) == 0)
			h->cpu_vmx = true;
		else if (n == 3 && memcmp(p, "svm", 3) == 0)
			h->cpu_svm = true;
		p += n + (p + n < end);
	}
	return 0;
}

/*
 * 1 if the n bytes at name are a name a directory can hold and UTF-8, 0 if
 * they are not UTF-8 (left out: JSON cannot hold them, and an inventory,
 * being UTF-8, can never name them), -1 with an error if they cannot be a
 * name at all ("", ".", "..", a '/' in it).
 */
static int
check_name(size_t at, const char *tag, const char *name, size_t n, struct berth_error **err)
{
	if (n == 0 || (n == 1 && name[0] == '.') || (n == 2 && memcmp(name, "..", 2) == 0) ||
	    memchr(name, '/', n) != NULL) {
		BERTH_AUTOFREE char *text = shown(name, n);

		berth_error_set(err, BERTH_ERROR_HOST,
				"facts output at byte %zu: the '%s' record '%s' is not a name",
				at, tag, text);
		return -1;
	}
	return utf8_valid(name, n) ? 1 : 0;
}

static int
read_bridge(struct ssh_parse *ps, size_t at, const char *value, size_t len,
	    struct berth_error **err)
{
	int rc = check_name(at, "bridge", value, len, err);

	if (rc == 1)
		strv_push(&ps->bridges, xstrndup(value, len));
	else if (rc == 0)
		warn_not_utf8(ps, "the bridge", value, len);
	return rc < 0 ? -1 : 0;
}

static int
compare_leases(const void *a, const void *b)
{
	return strcmp(((const struct berth_lease_fact *)a)->image,
		      ((const struct berth_lease_fact *)b)->image);
}

/* Moves the files read so far into the last export, warning of those left out. */
static void
finish_export(struct ssh_parse *ps)
{
	struct berth_export_fact *e;
	BERTH_AUTOFREE char *path = NULL;

	if (!ps->in_export)
		return;
	ps->in_export = false;
	e = &ps->h->exports[ps->h->n_exports - 1];
	strv_sorted_into(&ps->files, &e->files, &e->n_files);
	if (ps->n_leases > 1)
		qsort(ps->leases, ps->n_leases, sizeof(*ps->leases), compare_leases);
	e->leases = ps->leases;
	e->n_leases = ps->n_leases;
	ps->leases = NULL;
	ps->n_leases = 0;
	if (ps->n_skipped == 0)
		return;
	path = shown(e->path, strlen(e->path));
	if (ps->n_skipped == 1)
		berth_log_warn("host '%s': export '%s': left out the file '%s', whose name is not valid UTF-8",
			       ps->host, path, ps->first_skipped);
	else
		berth_log_warn("host '%s': export '%s': left out %zu files whose names are not valid UTF-8, such as '%s'",
			       ps->host, path, ps->n_skipped, ps->first_skipped);
	ps->n_skipped = 0;
	free(ps->first_skipped);
	ps->first_skipped = NULL;
}

/* The export's path is the inventory's, which berth wrote into the script. */
static int
read_export(struct ssh_parse *ps, size_t at, const char *value, size_t len,
	    struct berth_error **err)
{
	struct berth_host_fact *h = ps->h;

	finish_export(ps);
	if (len == 0 || value[0] != '/' || !utf8_valid(value, len)) {
		BERTH_AUTOFREE char *text = shown(value, len);

		berth_error_set(err, BERTH_ERROR_HOST,
				"facts output at byte %zu: the 'export' record '%s' is not an inventory's export path",
				at, text);
		return -1;
	}
	h->exports = xreallocarray(h->exports, h->n_exports + 1, sizeof(*h->exports));
	h->exports[h->n_exports++] = (struct berth_export_fact){ .path = xstrndup(value, len) };
	ps->in_export = true;
	return 0;
}

static int
read_file(struct ssh_parse *ps, size_t at, const char *value, size_t len,
	  struct berth_error **err)
{
	int rc;

	if (!ps->in_export) {
		berth_error_set(err, BERTH_ERROR_HOST,
				"facts output at byte %zu: a 'file' record before any 'export' record",
				at);
		return -1;
	}
	rc = check_name(at, "file", value, len, err);
	if (rc == 1) {
		strv_push(&ps->files, xstrndup(value, len));
	} else if (rc == 0) {
		if (ps->n_skipped++ == 0)
			ps->first_skipped = shown(value, len);
	}
	return rc < 0 ? -1 : 0;
}

/*
 * "NAME.berth-lease/TARGET".  A lease is never left out: a TARGET that is
 * not UTF-8 is kept as shown() shows it, which names no inventory host, so
 * the planner refuses to take the lease over.  A NAME that is not UTF-8 is
 * left out like its file record: no inventory image has that name.
 */
static int
read_lease(struct ssh_parse *ps, size_t at, const char *value, size_t len,
	   struct berth_error **err)
{
	const char *slash = memchr(value, '/', len);
	size_t name_len = slash != NULL ? (size_t)(slash - value) : len;
	size_t suffix = strlen(BERTH_LEASE_SUFFIX);
	const char *target = slash != NULL ? slash + 1 : NULL;
	size_t target_len = slash != NULL ? len - name_len - 1 : 0;
	struct berth_lease_fact *lf;
	int rc;

	if (!ps->in_export || ps->files.n == 0 ||
	    strlen(ps->files.v[ps->files.n - 1]) != name_len ||
	    memcmp(ps->files.v[ps->files.n - 1], value, name_len) != 0) {
		rc = check_name(at, "lease", value, name_len, err);
		if (rc == 0)
			return 0;	/* its file record was left out too */
		if (rc > 0)
			berth_error_set(err, BERTH_ERROR_HOST,
					"facts output at byte %zu: a 'lease' record not after its file's record",
					at);
		return -1;
	}
	if (name_len <= suffix || memcmp(value + name_len - suffix, BERTH_LEASE_SUFFIX, suffix) != 0 ||
	    target_len == 0) {
		BERTH_AUTOFREE char *text = shown(value, len);

		berth_error_set(err, BERTH_ERROR_HOST,
				"facts output at byte %zu: the 'lease' record '%s' is not NAME.berth-lease/HOST",
				at, text);
		return -1;
	}
	for (size_t i = 0; i < ps->n_leases; i++) {
		if (strlen(ps->leases[i].image) == name_len - suffix &&
		    memcmp(ps->leases[i].image, value, name_len - suffix) == 0) {
			BERTH_AUTOFREE char *text = shown(value, name_len);

			berth_error_set(err, BERTH_ERROR_HOST,
					"facts output at byte %zu: the lease '%s' is there twice",
					at, text);
			return -1;
		}
	}
	ps->leases = xreallocarray(ps->leases, ps->n_leases + 1, sizeof(*ps->leases));
	lf = &ps->leases[ps->n_leases++];
	lf->image = xstrndup(value, name_len - suffix);
	lf->holder = utf8_valid(target, target_len) && memchr(target, '\0', target_len) == NULL
			     ? xstrndup(target, target_len) : shown(target, target_len);
	return 0;
}

/* Reading the frames of a script's output. */
struct frame {
	const char *start;	/* of the output, for byte offsets */
	const char *p;		/* the next header */
	const char *end;	/* of the output */
	char nonce[BERTH_REMOTE_NONCE_LEN + 1];
};

/* 0 if out starts with a begin marker, whose nonce fr takes; else -1. */
static int
frame_begin(struct frame *fr, const char *out, struct berth_error **err)
{
	size_t mark = strlen(MARK);

	*fr = (struct frame){ .start = out, .p = out, .end = out + strlen(out) };
	if (strncmp(out, MARK, mark) != 0 || strnlen(out + mark, BERTH_REMOTE_NONCE_LEN) <
	    BERTH_REMOTE_NONCE_LEN || !is_nonce(out + mark) ||
	    strncmp(out + mark + BERTH_REMOTE_NONCE_LEN, " begin\n", 7) != 0) {
		berth_error_set(err, BERTH_ERROR_HOST,
				"the facts script's output does not start with its begin marker");
		return -1;
	}
	memcpy(fr->nonce, out + mark, BERTH_REMOTE_NONCE_LEN);
	fr->nonce[BERTH_REMOTE_NONCE_LEN] = '\0';
	fr->p = out + mark + BERTH_REMOTE_NONCE_LEN + 7;
	return 0;
}

static int
stopped(struct berth_error **err)
{
	berth_error_set(err, BERTH_ERROR_HOST, "the facts script stopped before its end marker");
	return -1;
}

/* A record as frame_next() found it. */
struct record_at {
	enum record kind;
	size_t at;		/* its header's byte offset in the output */
	const char *value;
	size_t len;
};

/*
 * The next record of fr into *rec: 1, or 0 at the end marker (which must
 * end the output), or -1 with a HOST error for anything else.
 */
static int
frame_next(struct frame *fr, struct record_at *rec, struct berth_error **err)
{
	const size_t head = strlen(MARK) + BERTH_REMOTE_NONCE_LEN + 1;
	const char *nl = memchr(fr->p, '\n', (size_t)(fr->end - fr->p));
	const char *tag;
	const char *p;
	size_t n = 0, digits = 0;

	rec->at = (size_t)(fr->p - fr->start);
	if (nl == NULL)
		return stopped(err);
	if ((size_t)(nl - fr->p) < head || memcmp(fr->p, MARK, strlen(MARK)) != 0 ||
	    memcmp(fr->p + strlen(MARK), fr->nonce, BERTH_REMOTE_NONCE_LEN) != 0 ||
	    fr->p[head - 1] != ' ') {
		BERTH_AUTOFREE char *text = shown(fr->p, (size_t)(nl - fr->p));

		berth_error_set(err, BERTH_ERROR_HOST,
				"facts output at byte %zu: expected a header of this run, found '%s'",
				rec->at, text);
		return -1;
	}
	tag = p = fr->p + head;
	while (p < nl && *p >= 'a' && *p <= 'z')
		p++;
	if (p == nl && p - tag == 3 && memcmp(tag, "end", 3) == 0) {
		if (nl + 1 != fr->end) {
			berth_error_set(err, BERTH_ERROR_HOST,
					"facts output at byte %zu: more output after the end marker",
					(size_t)(nl + 1 - fr->start));
			return -1;
		}
		return 0;
	}
	for (rec->kind = 0; rec->kind < RECORD_LAST; rec->kind++) {
		const char *name = record_kinds[rec->kind].tag;

		if (strlen(name) == (size_t)(p - tag) && memcmp(name, tag, (size_t)(p - tag)) == 0)
			break;
	}
	if (rec->kind == RECORD_LAST || p == nl || *p != ' ') {
		BERTH_AUTOFREE char *text = shown(tag, (size_t)(nl - tag));

		berth_error_set(err, BERTH_ERROR_HOST,
				"facts output at byte %zu: unknown record '%s'", rec->at, text);
		return -1;
	}
	for (p++; p + digits < nl && p[digits] >= '0' && p[digits] <= '9' && digits < 9; digits++)
		n = 10 * n + (size_t)(p[digits] - '0');
	if (digits == 0 || p + digits != nl || (p[0] == '0' && digits > 1)) {
		BERTH_AUTOFREE char *text = shown(p, (size_t)(nl - p));

		berth_error_set(err, BERTH_ERROR_HOST,
				"facts output at byte %zu: the '%s' record's length '%s' is not a number of bytes",
				rec->at, record_kinds[rec->kind].tag, text);
		return -1;
	}
	if ((size_t)(fr->end - nl - 1) <= n)
		return stopped(err);
	if (nl[1 + n] != '\n') {
		berth_error_set(err, BERTH_ERROR_HOST,
				"facts output at byte %zu: the '%s' record of %zu bytes does not end in a newline",
				rec->at, record_kinds[rec->kind].tag, n);
		return -1;
	}
	rec->value = nl + 1;
	rec->len = n;
	fr->p = nl + 1 + n + 1;
	return 1;
}

/*
 * Reads out into ps, taking only records of the kinds in the mask allowed;
 * each of them that the script prints once must be there once.  Returns
 * 0, or -1 with a HOST error.
 */
static int
parse_records(const char *out, unsigned allowed, struct ssh_parse *ps, struct berth_error **err)
{
	struct frame fr;
	struct record_at rec;
	int rc;

	if (frame_begin(&fr, out, err) < 0)
		return -1;
	while ((rc = frame_next(&fr, &rec, err)) > 0) {
		const struct record_kind *kind = &record_kinds[rec.kind];

		if (!(allowed & (1u << rec.kind)) || (kind->shell != NULL && ps->seen[rec.kind] > 0)) {
			berth_error_set(err, BERTH_ERROR_HOST,
					"facts output at byte %zu: unexpected '%s' record", rec.at,
					kind->tag);
			return -1;
		}
		ps->seen[rec.kind]++;
		if (kind->read(ps, rec.at, rec.value, rec.len, err) < 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	for (enum record r = 0; r < RECORD_LAST; r++) {
		if ((allowed & (1u << r)) && record_kinds[r].shell != NULL && ps->seen[r] == 0) {
			berth_error_set(err, BERTH_ERROR_HOST,
					"the facts script's output has no '%s' record",
					record_kinds[r].tag);
			return -1;
		}
	}
	return 0;
}

int
berth_facts_parse_ssh_output(const char *out, struct berth_host_fact *h,
			     struct berth_error **err)
{
	struct ssh_parse ps = { .h = h, .host = h->name != NULL ? h->name : "?" };
	int rc = parse_records(out, RECORDS_ALL, &ps, err);

	finish_export(&ps);
	/* Addresses keep the resolver's order: the first is the one used. */
	if (rc < 0 || ps.other_fqdn) {
		strv_release(&ps.addresses);
	} else {
		h->addresses = ps.addresses.v;
		h->n_addresses = ps.addresses.n;
	}
	strv_sorted_into(&ps.bridges, &h->bridges, &h->n_bridges);
	strv_release(&ps.files);
	for (size_t i = 0; i < ps.n_leases; i++) {
		free(ps.leases[i].image);
		free(ps.leases[i].holder);
	}
	free(ps.leases);
	free(ps.first_skipped);
	if (rc < 0)
		return -1;
	return ps.other_fqdn ? 1 : 0;
}

/* The first line of text, for an error message. */
static char *
first_line(const char *text)
{
	text += strspn(text, "\n");
	return text[0] != '\0' ? shown(text, strcspn(text, "\n")) : xstrdup("no error output");
}

/*
 * Runs script, whose markers carry nonce, through t and appends its output
 * from its begin marker on to out: what came before (a login banner, a
 * motd) is dropped.  Returns 0, or -1 with a HOST error naming host: the
 * transport failed, the output has no begin marker or does not end with
 * the end marker (the script failed: its exit status and the first line of
 * its stderr), or it holds a NUL byte.
 */
static int
run_framed(const struct berth_transport *t, const struct berth_host *host, const char *script,
	   const char *nonce, struct berth_buf *out, struct berth_error **err)
{
	BERTH_AUTOBUF struct berth_buf raw = BERTH_BUF_INIT;
	BERTH_AUTOBUF struct berth_buf errout = BERTH_BUF_INIT;
	BERTH_AUTOFREE char *quoted = berth_shell_quote(script);
	BERTH_AUTOFREE char *cmd = xasprintf("sh -c %s", quoted);
	BERTH_AUTOFREE char *begin = xasprintf(MARK "%s begin\n", nonce);
	BERTH_AUTOFREE char *end = xasprintf(MARK "%s end\n", nonce);
	const char *start;
	const char *nul;
	int status = -1;

	if (berth_transport_run(t, cmd, &raw, &errout, &status, err) < 0)
		return -1;
	start = memmem(raw.buf, raw.len, begin, strlen(begin));
	if (start == NULL || raw.len < strlen(end) ||
	    memcmp(raw.buf + raw.len - strlen(end), end, strlen(end)) != 0) {
		BERTH_AUTOFREE char *why = first_line(errout.buf);

		berth_error_set(err, BERTH_ERROR_HOST,
				"host '%s': the facts script failed (exit status %d): %s",
				host->name, status, why);
		return -1;
	}
	nul = memchr(start, '\0', raw.len - (size_t)(start - raw.buf));
	if (nul != NULL) {
		berth_error_set(err, BERTH_ERROR_HOST,
				"host '%s': facts output at byte %zu: a NUL byte", host->name,
				(size_t)(nul - start));
		return -1;
	}
	if (start > raw.buf)
		berth_log_debug("host '%s': ignored %zu bytes printed before the facts script's output (a login banner?)",
				host->name, (size_t)(start - raw.buf));
	berth_buf_addn(out, start, raw.len - (size_t)(start - raw.buf));
	return 0;
}

int
berth_facts_ssh_run(const struct berth_transport *t, const struct berth_inventory *inv,
		    const struct berth_host *host, const char *fqdn,
		    struct berth_buf *out, struct berth_error **err)
{
	char nonce[BERTH_REMOTE_NONCE_LEN + 1];
	BERTH_AUTOFREE char *script = NULL;

	berth_remote_nonce(nonce);
	script = berth_facts_ssh_script(inv, host, fqdn, nonce);
	return run_framed(t, host, script, nonce, out, err);
}

int
berth_facts_ssh_resolve(const struct berth_transport *t, const struct berth_host *host,
			struct berth_host_fact *h, struct berth_error **err)
{
	BERTH_AUTOBUF struct berth_buf sh = BERTH_BUF_INIT;
	BERTH_AUTOBUF struct berth_buf out = BERTH_BUF_INIT;
	struct ssh_parse ps = { .h = h, .host = host->name };
	char nonce[BERTH_REMOTE_NONCE_LEN + 1];

	berth_remote_nonce(nonce);
	add_script_start(&sh, nonce, h->fqdn);
	add_record(&sh, RECORD_ADDRESSES);
	add_script_end(&sh);
	if (run_framed(t, host, sh.buf, nonce, &out, err) < 0)
		return -1;
	if (parse_records(out.buf, 1u << RECORD_ADDRESSES, &ps, err) < 0) {
		strv_release(&ps.addresses);
		berth_error_prefix(err, "host '%s': ", host->name);
		return -1;
	}
	h->addresses = ps.addresses.v;
	h->n_addresses = ps.addresses.n;
	return 0;
}

int
berth_facts_from_ssh(const struct berth_transport *t, const struct berth_inventory *inv,
		     const struct berth_host *host, struct berth_host_fact *h,
		     struct berth_error **err)
{
	BERTH_AUTOBUF struct berth_buf out = BERTH_BUF_INIT;
	int rc;

	if (berth_facts_ssh_run(t, inv, host, h->fqdn, &out, err) < 0)
		return -1;
	rc = berth_facts_parse_ssh_output(out.buf, h, err);
	if (rc < 0) {
		berth_error_prefix(err, "host '%s': ", host->name);
		return -1;
	}
	return rc == 1 ? berth_facts_ssh_resolve(t, host, h, err) : 0;
}
