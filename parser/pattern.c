/* --limit patterns: see pattern.h. */
#include "parser/pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <fnmatch.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

enum term_kind { TERM_ALL, TERM_NAME, TERM_GLOB, TERM_REGEX };
enum term_op { OP_UNION, OP_INTERSECT, OP_EXCLUDE };

struct term {
	enum term_kind kind;
	enum term_op op;
	char *text;		/* the name, glob or regex, without its '&', '!' or '~' */
	pcre2_code *re;
};

struct berth_limit {
	struct term *terms;
	size_t n_terms;
	bool has_union;
};

void
berth_limit_free(struct berth_limit *limit)
{
	if (limit == NULL)
		return;
	for (size_t i = 0; i < limit->n_terms; i++) {
		free(limit->terms[i].text);
		pcre2_code_free(limit->terms[i].re);
	}
	free(limit->terms);
	free(limit);
}

/* Compiles term t's regex; returns 0, or -1 with err set. */
static int
compile_regex(struct term *t, const char *pattern, struct berth_error **err)
{
	PCRE2_UCHAR message[256];
	PCRE2_SIZE offset;
	int code;

	t->re = pcre2_compile((PCRE2_SPTR)t->text, PCRE2_ZERO_TERMINATED, 0, &code, &offset, NULL);
	if (t->re != NULL)
		return 0;
	pcre2_get_error_message(code, message, sizeof(message));
	berth_error_set(err, BERTH_ERROR_USAGE, "--limit '%s': the regex '%s' is not valid at "
			"offset %zu: %s", pattern, t->text, (size_t)offset, (const char *)message);
	return -1;
}

struct berth_limit *
berth_limit_parse(const char *pattern, struct berth_error **err)
{
	BERTH_AUTOPTR(berth_limit) limit = xcalloc(1, sizeof(*limit));
	const char *p = pattern;

	if (berth_first_control(pattern) != 0) {
		berth_error_set(err, BERTH_ERROR_USAGE,
				"--limit must not contain control characters (byte 0x%02x)",
				berth_first_control(pattern));
		return NULL;
	}
	for (;;) {
		size_t len = strcspn(p, ":,");
		struct term t = { .op = OP_UNION };
		const char *text = p;

		if (len > 0 && (text[0] == '&' || text[0] == '!')) {
			t.op = text[0] == '&' ? OP_INTERSECT : OP_EXCLUDE;
			text++;
			len--;
		}
		if (len == 0) {
			berth_error_set(err, BERTH_ERROR_USAGE, "--limit '%s' has an empty term: "
					"terms are names, globs or ~regexes split by ':' or ','",
					pattern);
			return NULL;
		}
		if (text[0] == '~') {
			t.kind = TERM_REGEX;
			t.text = xstrndup(text + 1, len - 1);
		} else {
			t.text = xstrndup(text, len);
			t.kind = strcmp(t.text, "all") == 0 || strcmp(t.text, "*") == 0 ? TERM_ALL
				: strpbrk(t.text, "*?[") != NULL ? TERM_GLOB : TERM_NAME;
		}
		limit->terms = xreallocarray(limit->terms, limit->n_terms + 1,
					     sizeof(*limit->terms));
		limit->terms[limit->n_terms++] = t;
		if (t.kind == TERM_REGEX && compile_regex(&limit->terms[limit->n_terms - 1],
							  pattern, err) < 0)
			return NULL;
		if (t.op == OP_UNION)
			limit->has_union = true;
		p = text + len;
		if (*p == '\0')
			break;
		p++;
	}
	return berth_steal_pointer(&limit);
}

/* True if term t matches name. */
static bool
matches(const struct term *t, const char *name)
{
	pcre2_match_data *match;
	int rc;

	switch (t->kind) {
	case TERM_ALL:
		return true;
	case TERM_NAME:
		return strcmp(t->text, name) == 0;
	case TERM_GLOB:
		return fnmatch(t->text, name, 0) == 0;
	case TERM_REGEX:
		match = pcre2_match_data_create_from_pattern(t->re, NULL);
		if (match == NULL)
			berth_oom();
		rc = pcre2_match(t->re, (PCRE2_SPTR)name, strlen(name), 0, 0, match, NULL);
		pcre2_match_data_free(match);
		return rc >= 0;
	}
	return false;
}

/* True if t names host: by its name or by a group that holds it. */
static bool
term_has_host(const struct term *t, const struct berth_inventory *inv, const char *host)
{
	if (host == NULL)
		return false;
	if (matches(t, host))
		return true;
	for (size_t i = 0; i < inv->n_groups; i++) {
		if (matches(t, inv->groups[i].name) && berth_group_holds(inv, &inv->groups[i], host))
			return true;
	}
	return false;
}

static bool
term_selects_domain(const struct term *t, const struct berth_inventory *inv,
		    const struct berth_domain *d)
{
	return matches(t, d->name) || term_has_host(t, inv, d->host);
}

static bool
term_selects_host(const struct term *t, const struct berth_inventory *inv,
		  const struct berth_host *h)
{
	if (term_has_host(t, inv, h->name))
		return true;
	for (size_t i = 0; i < inv->n_domains; i++) {
		const struct berth_domain *d = &inv->domains[i];

		if (berth_streq(d->host, h->name) && matches(t, d->name))
			return true;
	}
	return false;
}

/*
 * Ansible's order: the plain terms joined (all of them when there are
 * none), then each '&' term intersecting, then each '!' term taken away.
 */
static bool
selects(const struct berth_limit *limit, bool (*term)(const struct term *, const void *),
	const void *arg)
{
	bool in = !limit->has_union;

	for (size_t i = 0; !in && i < limit->n_terms; i++) {
		if (limit->terms[i].op == OP_UNION && term(&limit->terms[i], arg))
			in = true;
	}
	for (size_t i = 0; in && i < limit->n_terms; i++) {
		if (limit->terms[i].op == OP_INTERSECT && !term(&limit->terms[i], arg))
			in = false;
	}
	for (size_t i = 0; in && i < limit->n_terms; i++) {
		if (limit->terms[i].op == OP_EXCLUDE && term(&limit->terms[i], arg))
			in = false;
	}
	return in;
}

struct subject {
	const struct berth_inventory *inv;
	const void *item;
};

static bool
domain_term(const struct term *t, const void *arg)
{
	const struct subject *s = arg;

	return term_selects_domain(t, s->inv, s->item);
}

static bool
host_term(const struct term *t, const void *arg)
{
	const struct subject *s = arg;

	return term_selects_host(t, s->inv, s->item);
}

bool
berth_limit_domain(const struct berth_limit *limit, const struct berth_inventory *inv,
		   const struct berth_domain *d)
{
	struct subject s = { inv, d };

	return selects(limit, domain_term, &s);
}

bool
berth_limit_host(const struct berth_limit *limit, const struct berth_inventory *inv,
		 const struct berth_host *h)
{
	struct subject s = { inv, h };

	return selects(limit, host_term, &s);
}

int
berth_inventory_limit_domains(struct berth_inventory *inv, const struct berth_limit *limit,
			      const char *pattern, struct berth_error **err)
{
	BERTH_AUTOFREE bool *keep = xcalloc(inv->n_domains + 1, sizeof(*keep));
	size_t kept = 0;

	for (size_t i = 0; i < inv->n_domains; i++) {
		keep[i] = berth_limit_domain(limit, inv, &inv->domains[i]);
		kept += keep[i];
	}
	if (kept == 0) {
		berth_error_set(err, BERTH_ERROR_USAGE, "--limit '%s' selects no domain of "
				"inventory '%s'", pattern, inv->path);
		return -1;
	}
	kept = 0;
	for (size_t i = 0; i < inv->n_domains; i++) {
		if (keep[i])
			inv->domains[kept++] = inv->domains[i];
		else
			berth_domain_clear(&inv->domains[i]);
	}
	inv->n_domains = kept;
	return 0;
}

int
berth_inventory_limit_hosts(struct berth_inventory *inv, const struct berth_limit *limit,
			    const char *pattern, struct berth_error **err)
{
	BERTH_AUTOFREE bool *keep = xcalloc(inv->n_hosts + 1, sizeof(*keep));
	size_t kept = 0;

	for (size_t i = 0; i < inv->n_hosts; i++) {
		keep[i] = berth_limit_host(limit, inv, &inv->hosts[i]);
		kept += keep[i];
	}
	if (kept == 0) {
		berth_error_set(err, BERTH_ERROR_USAGE, "--limit '%s' selects no host of "
				"inventory '%s'", pattern, inv->path);
		return -1;
	}
	kept = 0;
	for (size_t i = 0; i < inv->n_hosts; i++) {
		if (keep[i])
			inv->hosts[kept++] = inv->hosts[i];
		else
			berth_host_clear(&inv->hosts[i]);
	}
	inv->n_hosts = kept;
	return 0;
}
