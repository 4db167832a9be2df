/*
 * Facts over SSH: one shell script per host, sent as one command, whose
 * output is a list of sections ("@@berth-facts NAME" lines) parsed here.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "executors/facts/facts.h"

#define MARK "@@berth-facts "

/* Prints the IPv4 addresses $fqdn resolves to, each once, in order. */
#define RESOLVE_FQDN "getent ahostsv4 \"$fqdn\" | awk '!seen[$1]++ { print $1 }'\n"

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
 * A copy of the n bytes at s in which every byte that is not part of valid
 * UTF-8 is replaced by '?': names on a host may be any bytes, JSON strings
 * may not.
 */
static char *
utf8_copy(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char *copy = xstrndup(s, n);

	for (size_t i = 0; i < n;) {
		size_t len = p[i] < 0x80 ? 1 : (p[i] & 0xe0) == 0xc0 ? 2 :
			     (p[i] & 0xf0) == 0xe0 ? 3 : (p[i] & 0xf8) == 0xf0 ? 4 : 0;
		size_t k = 1;

		while (len > 1 && k < len && i + k < n && (p[i + k] & 0xc0) == 0x80)
			k++;
		if (len == 0 || k != len || (len == 2 && p[i] < 0xc2)) {
			copy[i++] = '?';
			continue;
		}
		i += len;
	}
	return copy;
}

static void
add_section(struct berth_buf *sh, const char *name)
{
	berth_buf_addf(sh, "printf '%%s\\n' '" MARK "%s'\n", name);
}

char *
berth_facts_ssh_script(const struct berth_inventory *inv, const struct berth_host *host,
		       const char *fqdn)
{
	struct berth_buf sh = BERTH_BUF_INIT;
	BERTH_AUTOFREE char *name = fqdn != NULL ? berth_shell_quote(fqdn)
						 : xstrdup("\"$(hostname -f 2>/dev/null || hostname)\"");

	berth_buf_add(&sh, "LC_ALL=C; export LC_ALL\n");
	add_section(&sh, "hostname");
	berth_buf_add(&sh, "hostname 2>/dev/null || uname -n\n");
	berth_buf_addf(&sh, "fqdn=%s\n", name);
	add_section(&sh, "fqdn");
	berth_buf_add(&sh, "printf '%s\\n' \"$fqdn\"\n");
	add_section(&sh, "addresses");
	berth_buf_add(&sh, RESOLVE_FQDN);
	add_section(&sh, "cpu");
	berth_buf_add(&sh, "sed -n '/^vendor_id[[:space:]]*:/{p;q;}' /proc/cpuinfo\n");
	berth_buf_add(&sh, "sed -n '/^flags[[:space:]]*:/{p;q;}' /proc/cpuinfo\n");
	add_section(&sh, "bridges");
	berth_buf_add(&sh, "for d in /sys/class/net/*/bridge; do "
		      "[ -d \"$d\" ] && { d=${d%/bridge}; printf '%s\\n' \"${d##*/}\"; }; done\n");
	for (size_t i = 0; i < inv->n_storage; i++) {
		const struct berth_storage *st = &inv->storage[i];
		BERTH_AUTOFREE char *path = NULL;
		BERTH_AUTOFREE char *mark = NULL;
		BERTH_AUTOFREE char *quoted_mark = NULL;

		if (!berth_streq(st->server, host->name) || st->export_path == NULL)
			continue;
		path = berth_shell_quote(st->export_path);
		mark = xasprintf(MARK "export %s", st->export_path);
		quoted_mark = berth_shell_quote(mark);
		berth_buf_addf(&sh, "if [ -d %s ]; then printf '%%s\\n' %s; ls -1A -- %s; fi\n",
			       path, quoted_mark, path);
	}
	add_section(&sh, "end");
	return berth_buf_detach(&sh);
}

/* What the lines after a marker are. */
enum section {
	SECTION_NONE,
	SECTION_HOSTNAME,
	SECTION_FQDN,
	SECTION_ADDRESSES,
	SECTION_CPU,
	SECTION_BRIDGES,
	SECTION_EXPORT,
	SECTION_END,
};

static const char *const section_names[] = {
	[SECTION_HOSTNAME] = "hostname",
	[SECTION_FQDN] = "fqdn",
	[SECTION_ADDRESSES] = "addresses",
	[SECTION_CPU] = "cpu",
	[SECTION_BRIDGES] = "bridges",
	[SECTION_END] = "end",
};

/* The parse in progress. */
struct ssh_parse {
	struct berth_host_fact *h;
	enum section section;
	struct strv addresses;
	struct strv bridges;
	struct strv files;	/* of the export being read */
	bool saw_hostname;
	bool other_fqdn;	/* the addresses are for another name */
};

/*
 * Sets the CPU vendor or flags from a /proc/cpuinfo line: "vendor_id :
 * GenuineIntel" or "flags : a b c".
 */
static void
parse_cpu_line(struct berth_host_fact *h, const char *line)
{
	const char *p = strchr(line, ':');

	if (p == NULL)
		return;
	if (strncmp(line, "vendor_id", 9) == 0) {
		p += 1 + strspn(p + 1, " \t");
		if (*p != '\0') {
			free(h->cpu_vendor);
			h->cpu_vendor = utf8_copy(p, strlen(p));
		}
		return;
	}
	if (strncmp(line, "flags", 5) != 0)
		return;
	h->cpu_nx = h->cpu_vmx = h->cpu_svm = false;
	for (p++; *p != '\0';) {
		size_t len;

		p += strspn(p, " \t");
		len = strcspn(p, " \t");
		if (len == 2 && strncmp(p, "nx", 2) == 0)
			h->cpu_nx = true;
		else if (len == 3 && strncmp(p, "vmx", 3) == 0)
			h->cpu_vmx = true;
		else if (len == 3 && strncmp(p, "svm", 3) == 0)
			h->cpu_svm = true;
		p += len;
	}
}

/* Moves the files read so far into the last export. */
static void
finish_export(struct ssh_parse *ps)
{
	struct berth_export_fact *e;

	if (ps->section != SECTION_EXPORT)
		return;
	e = &ps->h->exports[ps->h->n_exports - 1];
	strv_sorted_into(&ps->files, &e->files, &e->n_files);
}

static void
start_section(struct ssh_parse *ps, const char *name, size_t len)
{
	struct berth_host_fact *h = ps->h;

	finish_export(ps);
	ps->section = SECTION_NONE;
	if (len > 7 && strncmp(name, "export ", 7) == 0) {
		h->exports = xreallocarray(h->exports, h->n_exports + 1, sizeof(*h->exports));
		h->exports[h->n_exports++] = (struct berth_export_fact){
			.path = utf8_copy(name + 7, len - 7),
		};
		ps->section = SECTION_EXPORT;
		return;
	}
	for (size_t i = 0; i < sizeof(section_names) / sizeof(section_names[0]); i++) {
		if (section_names[i] != NULL && strlen(section_names[i]) == len &&
		    strncmp(section_names[i], name, len) == 0)
			ps->section = (enum section)i;
	}
}

static void
parse_line(struct ssh_parse *ps, const char *line, size_t len)
{
	if (len == 0)
		return;
	switch (ps->section) {
	case SECTION_HOSTNAME:
		if (!ps->saw_hostname)
			ps->h->hostname = utf8_copy(line, len);
		ps->saw_hostname = true;
		break;
	case SECTION_FQDN:
		if (ps->h->fqdn == NULL)
			ps->h->fqdn = utf8_copy(line, len);
		else if (strlen(ps->h->fqdn) != len || strncmp(ps->h->fqdn, line, len) != 0)
			ps->other_fqdn = true;
		break;
	case SECTION_ADDRESSES:
		strv_push(&ps->addresses, utf8_copy(line, len));
		break;
	case SECTION_CPU: {
		BERTH_AUTOFREE char *cpu_line = xstrndup(line, len);

		parse_cpu_line(ps->h, cpu_line);
		break;
	}
	case SECTION_BRIDGES:
		strv_push(&ps->bridges, utf8_copy(line, len));
		break;
	case SECTION_EXPORT:
		strv_push(&ps->files, utf8_copy(line, len));
		break;
	default:
		break;
	}
}

int
berth_facts_parse_ssh_output(const char *out, struct berth_host_fact *h,
			     struct berth_error **err)
{
	struct ssh_parse ps = { .h = h };

	for (const char *line = out; *line != '\0' && ps.section != SECTION_END;) {
		size_t len = strcspn(line, "\n");
		size_t mark_len = strlen(MARK);

		if (len >= mark_len && strncmp(line, MARK, mark_len) == 0)
			start_section(&ps, line + mark_len, len - mark_len);
		else
			parse_line(&ps, line, len);
		line += len + (line[len] == '\n');
	}
	finish_export(&ps);
	/* Addresses keep the resolver's order: the first is the one used. */
	if (ps.other_fqdn) {
		strv_release(&ps.addresses);
	} else {
		h->addresses = ps.addresses.v;
		h->n_addresses = ps.addresses.n;
	}
	strv_sorted_into(&ps.bridges, &h->bridges, &h->n_bridges);
	strv_release(&ps.files);
	if (ps.section != SECTION_END) {
		berth_error_set(err, BERTH_ERROR_HOST,
				"the facts script stopped before its end marker");
		return -1;
	}
	return ps.other_fqdn ? 1 : 0;
}

/* The first line of text, for an error message. */
static char *
first_line(const char *text)
{
	text += strspn(text, "\n");
	return text[0] != '\0' ? utf8_copy(text, strcspn(text, "\n")) : xstrdup("no error output");
}

/* Runs cmd through t; -1 with an error naming host unless it ran to the end. */
static int
run_to_end(const struct berth_transport *t, const struct berth_host *host, const char *script,
	   struct berth_buf *out, struct berth_error **err)
{
	BERTH_AUTOBUF struct berth_buf errout = BERTH_BUF_INIT;
	BERTH_AUTOFREE char *quoted = berth_shell_quote(script);
	BERTH_AUTOFREE char *cmd = xasprintf("sh -c %s", quoted);
	BERTH_AUTOFREE char *why = NULL;
	int status = -1;

	if (berth_transport_run(t, cmd, out, &errout, &status, err) < 0)
		return -1;
	if (out->len >= sizeof(MARK "end\n") - 1 &&
	    strcmp(out->buf + out->len - (sizeof(MARK "end\n") - 1), MARK "end\n") == 0)
		return 0;
	why = first_line(errout.buf);
	berth_error_set(err, BERTH_ERROR_HOST,
			"host '%s': the facts script failed (exit status %d): %s",
			host->name, status, why);
	return -1;
}

int
berth_facts_ssh_run(const struct berth_transport *t, const struct berth_inventory *inv,
		    const struct berth_host *host, const char *fqdn,
		    struct berth_buf *out, struct berth_error **err)
{
	BERTH_AUTOFREE char *script = berth_facts_ssh_script(inv, host, fqdn);

	return run_to_end(t, host, script, out, err);
}

int
berth_facts_ssh_resolve(const struct berth_transport *t, const struct berth_host *host,
			struct berth_host_fact *h, struct berth_error **err)
{
	BERTH_AUTOBUF struct berth_buf sh = BERTH_BUF_INIT;
	BERTH_AUTOBUF struct berth_buf out = BERTH_BUF_INIT;
	BERTH_AUTOFREE char *name = berth_shell_quote(h->fqdn);
	struct strv addresses = { 0 };

	berth_buf_addf(&sh, "fqdn=%s\n", name);
	berth_buf_add(&sh, RESOLVE_FQDN);
	add_section(&sh, "end");
	if (run_to_end(t, host, sh.buf, &out, err) < 0)
		return -1;
	for (const char *line = out.buf; *line != '\0' && strncmp(line, MARK, strlen(MARK)) != 0;) {
		size_t len = strcspn(line, "\n");

		if (len > 0)
			strv_push(&addresses, utf8_copy(line, len));
		line += len + (line[len] == '\n');
	}
	h->addresses = addresses.v;
	h->n_addresses = addresses.n;
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
