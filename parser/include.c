/* include: and vars:: see include.h. */
#include "parser/include.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/name-index.h"
#include "core/util.h"
#include "parser/inventory.h"
#include "parser/names.h"

/* The top-level sections whose entries add up across files. */
static const char *const merged_sections[] = { "hosts", "storage", "bridges", "domains", "vars" };

#define N_MERGED (sizeof(merged_sections) / sizeof(merged_sections[0]))

int
berth_inventory_read_file(const char *path, const char *what, size_t before,
			  struct berth_buf *text, struct berth_error **err)
{
	char chunk[65536];
	struct stat st;
	ssize_t n;
	int fd;

	/* O_NONBLOCK: opening a FIFO nobody writes to must not hang. */
	fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		berth_error_set_errno(err, BERTH_ERROR_INPUT, errno, "cannot read %s '%s'", what,
				      path);
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		berth_error_set_errno(err, BERTH_ERROR_INPUT, errno, "cannot read %s '%s'", what,
				      path);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		berth_error_set(err, BERTH_ERROR_INPUT, "cannot read %s '%s': not a regular file",
				what, path);
		close(fd);
		return -1;
	}
	if (st.st_size > BERTH_INVENTORY_MAX_BYTES - (off_t)before)
		goto too_large;
	/* A file that grows while it is read is cut at the limit and refused. */
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			berth_error_set_errno(err, BERTH_ERROR_INPUT, errno, "cannot read %s '%s'",
					      what, path);
			close(fd);
			return -1;
		}
		berth_buf_addn(text, chunk, (size_t)n);
		if (text->len > BERTH_INVENTORY_MAX_BYTES - before)
			goto too_large;
	}
	close(fd);
	return 0;

too_large:
	berth_error_set(err, BERTH_ERROR_INPUT, "cannot read %s '%s': larger than %d MiB%s, the "
			"most berth reads", what, path, BERTH_INVENTORY_MAX_BYTES >> 20,
			before > 0 ? " with the files before it" : "");
	close(fd);
	return -1;
}

/* The files read so far and where the walk is: for cycles and twice-read files. */
struct reader {
	struct berth_parse *p;
	struct berth_sources *s;
	char *base;				/* realpath of the inventory's directory */
	char *real[BERTH_INCLUDE_MAX_FILES];	/* realpath of each tree's file */
	const char *named[BERTH_INCLUDE_MAX_FILES];	/* its path as messages name it */
	size_t stack[BERTH_INCLUDE_MAX_FILES];	/* trees being read, outermost first */
	size_t depth;
	size_t bytes;				/* read in all */
};

/* True if path is relative and has no ".." component. */
static bool
stays_below(const char *path)
{
	const char *c = path;

	if (path[0] == '/')
		return false;
	while (*c != '\0') {
		size_t n = strcspn(c, "/");

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return false;
		c += n;
		c += strspn(c, "/");
	}
	return true;
}

/*
 * Checks that value is a relative path with no ".." (an include's, an
 * xml:'s): returns 0, or -1 after "WHERE'KEY' must be a relative path
 * without '..'ALSO, got ...".
 */
static int
check_relative(struct berth_parse *p, const struct berth_yaml_node *value, const char *where,
	       const char *key, const char *also)
{
	BERTH_AUTOFREE char *got = NULL;

	if (value->kind == BERTH_YAML_SCALAR && !berth_yaml_is_null(value) &&
	    berth_first_control(value->text) == 0 && stays_below(value->text))
		return 0;
	got = berth_yaml_describe(value);
	return berth_parse_fail(p, value->loc, "%s'%s' must be a relative path without '..'%s, "
				"got %s", where, key, also, got);
}

/*
 * The file value names, relative to the directory of the file from: *named
 * as messages name it, *real resolved, which must be below base (the
 * inventory's directory, resolved; a symbolic link may not lead out).  what
 * ("included file ") starts the file's name in messages.  Returns 0, or -1
 * after berth_parse_fail() with both NULL.
 */
static int
resolve_below(struct berth_parse *p, const struct berth_yaml_node *value, const char *from,
	      const char *base, const char *where, const char *what, char **named, char **real)
{
	BERTH_AUTOFREE char *dir_copy = xstrdup(from);
	const char *dir = dirname(dir_copy);
	BERTH_AUTOFREE char *path = NULL;
	BERTH_AUTOFREE char *resolved = NULL;
	size_t n_base = strlen(base);

	*named = NULL;
	*real = NULL;
	path = strcmp(dir, ".") == 0 ? xstrdup(value->text) : xasprintf("%s/%s", dir, value->text);
	resolved = realpath(path, NULL);
	if (resolved == NULL)
		return berth_parse_fail(p, value->loc, "%scannot read %s'%s': %s", where, what, path,
					strerror(errno));
	if (strncmp(resolved, base, n_base) != 0 || (resolved[n_base] != '/' && n_base > 1))
		return berth_parse_fail(p, value->loc, "%s%s'%s' leads outside the inventory's "
					"directory (through a symbolic link)", where, what, path);
	*named = berth_steal_pointer(&path);
	*real = berth_steal_pointer(&resolved);
	return 0;
}

/* "a.yaml includes b.yaml includes a.yaml", the walk's stack to tree t. */
static char *
cycle_text(const struct reader *r, const char *again)
{
	struct berth_buf sb = BERTH_BUF_INIT;

	for (size_t i = 0; i < r->depth; i++)
		berth_buf_addf(&sb, "%s includes ", r->named[r->stack[i]]);
	berth_buf_add(&sb, again);
	return berth_buf_detach(&sb);
}

static int read_includes(struct reader *r, size_t t);

/* Reads the file item names, relative to tree t's file, and what it includes. */
static int
read_one(struct reader *r, size_t t, const struct berth_yaml_node *item)
{
	struct berth_parse *p = r->p;
	BERTH_AUTOFREE char *named = NULL;
	BERTH_AUTOFREE char *real = NULL;
	BERTH_AUTOBUF struct berth_buf text = BERTH_BUF_INIT;
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_yaml_node *tree = NULL;
	const char *owned;

	if (check_relative(p, item, "", "include", " (or a list of them)") < 0 ||
	    resolve_below(p, item, r->named[t], r->base, "", "included file ", &named, &real) < 0)
		return -1;
	for (size_t i = 0; i < r->depth; i++) {
		if (strcmp(r->real[r->stack[i]], real) == 0) {
			BERTH_AUTOFREE char *cycle = cycle_text(r, named);

			return berth_parse_fail(p, item->loc, "include cycle: %s", cycle);
		}
	}
	for (size_t i = 0; i < r->s->n_trees; i++) {
		if (strcmp(r->real[i], real) == 0)
			return berth_parse_fail(p, item->loc, "'%s' is included twice: once is "
						"enough", named);
	}
	if (r->s->n_trees == BERTH_INCLUDE_MAX_FILES)
		return berth_parse_fail(p, item->loc, "more than %d files in one inventory",
					BERTH_INCLUDE_MAX_FILES);
	/* The files share the one limit on bytes. */
	if (berth_inventory_read_file(named, "included file", r->bytes, &text, &err) < 0)
		return berth_parse_fail(p, item->loc, "%s", berth_error_message(err));
	r->bytes += text.len;
	berth_strv_add_unique(&p->inv->includes, &p->inv->n_includes, named);
	owned = p->inv->includes[p->inv->n_includes - 1];
	berth_buf_addn(&r->s->digested, "", 1);
	berth_buf_add(&r->s->digested, owned);
	berth_buf_addn(&r->s->digested, "", 1);
	berth_buf_addn(&r->s->digested, text.buf, text.len);
	if (berth_yaml_parse(text.buf, text.len, owned, owned, &tree, p->problems) < 0)
		return -1;
	if (tree == NULL || berth_yaml_is_null(tree)) {
		berth_yaml_node_free(tree);
		return 0;	/* an empty file includes nothing */
	}
	if (tree->kind != BERTH_YAML_MAPPING) {
		BERTH_AUTOFREE char *got = berth_yaml_describe(tree);
		int rc = berth_parse_fail(p, tree->loc, "an included file must be a mapping of "
					  "sections (hosts:, domains:, ...), got %s", got);

		berth_yaml_node_free(tree);
		return rc;
	}
	r->s->trees = xreallocarray(r->s->trees, r->s->n_trees + 1, sizeof(*r->s->trees));
	r->real[r->s->n_trees] = berth_steal_pointer(&real);
	r->named[r->s->n_trees] = owned;
	r->s->trees[r->s->n_trees++] = tree;
	return read_includes(r, r->s->n_trees - 1);
}

/* The files tree t's include: names, each read and then what it includes. */
static int
read_includes(struct reader *r, size_t t)
{
	const struct berth_yaml_node *value = berth_yaml_get(r->s->trees[t], "include");
	const struct berth_yaml_node *const *items = &value;
	size_t count = 1;
	int rc = 0;

	if (value == NULL || berth_yaml_is_null(value))
		return 0;
	if (r->base == NULL)
		return berth_parse_fail(r->p, value->loc, "'include' needs an inventory read from "
					"a file: the files it names are relative to it");
	if (value->kind == BERTH_YAML_SEQUENCE) {
		items = (const struct berth_yaml_node *const *)value->items;
		count = value->n_items;
	}
	r->stack[r->depth++] = t;
	for (size_t i = 0; i < count; i++) {
		if (read_one(r, t, items[i]) < 0)
			rc = -1;
	}
	r->depth--;
	return rc;
}

/* A mapping node of s's own (not of a tree): freed by berth_sources_release(). */
static struct berth_yaml_node *
new_mapping(struct berth_sources *s, struct berth_location loc)
{
	struct berth_yaml_node *node = xcalloc(1, sizeof(*node));

	node->kind = BERTH_YAML_MAPPING;
	node->loc = loc;
	s->own = xreallocarray(s->own, s->n_own + 1, sizeof(*s->own));
	s->own[s->n_own++] = node;
	return node;
}

static void
add_pair(struct berth_yaml_node *map, struct berth_yaml_node *key,
	 struct berth_yaml_node *value)
{
	map->items = xreallocarray(map->items, map->n_items + 2, sizeof(*map->items));
	map->items[map->n_items++] = key;
	map->items[map->n_items++] = value;
}

static bool
is_merged(const char *key)
{
	for (size_t i = 0; i < N_MERGED; i++) {
		if (strcmp(key, merged_sections[i]) == 0)
			return true;
	}
	return false;
}

/* The index of the first pair of map whose key is the scalar key, or SIZE_MAX. */
static size_t
find_pair(const struct berth_yaml_node *map, const char *key)
{
	for (size_t j = 0; j < berth_yaml_n_pairs(map); j++) {
		const struct berth_yaml_node *k = map->items[2 * j];

		if (k->kind == BERTH_YAML_SCALAR && strcmp(k->text, key) == 0)
			return j;
	}
	return SIZE_MAX;
}

/*
 * Adds the pair key: value of tree t to merged.  A section of
 * merged_sections gets the entries of every file, in file order; any other
 * key may be in one file only; include: stays the inventory's own.  A key
 * twice in one file (dup) is added twice, for the duplicate check to see.
 */
static int
merge_pair(struct berth_parse *p, struct berth_sources *s, struct berth_yaml_node *merged,
	   size_t t, struct berth_yaml_node *key, struct berth_yaml_node *value, bool dup)
{
	size_t j;
	const struct berth_yaml_node *first;
	struct berth_yaml_node *section;

	if (key->kind != BERTH_YAML_SCALAR || dup) {
		add_pair(merged, key, value);
		return 0;
	}
	if (t > 0 && strcmp(key->text, "include") == 0)
		return 0;
	j = find_pair(merged, key->text);
	if (j == SIZE_MAX) {
		if (is_merged(key->text) && value->kind == BERTH_YAML_MAPPING) {
			/* A section of its own, for the other files' entries to join. */
			section = new_mapping(s, value->loc);
			for (size_t k = 0; k < berth_yaml_n_pairs(value); k++)
				add_pair(section, value->items[2 * k], value->items[2 * k + 1]);
			value = section;
		}
		add_pair(merged, key, value);
		return 0;
	}
	first = merged->items[2 * j];
	if (!is_merged(key->text))
		return berth_parse_fail(p, key->loc, "'%s' is given in '%s' already (at %u:%u): "
					"give it in one file only", key->text,
					first->loc.file != NULL ? first->loc.file : p->path,
					first->loc.line, first->loc.column);
	if (berth_yaml_is_null(value))
		return 0;
	if (value->kind != BERTH_YAML_MAPPING) {
		BERTH_AUTOFREE char *got = berth_yaml_describe(value);

		return berth_parse_fail(p, value->loc, "'%s' must be a mapping, got %s", key->text,
					got);
	}
	section = merged->items[2 * j + 1];
	/* The first file's was not a mapping: its own problem says so. */
	if (section->kind != BERTH_YAML_MAPPING)
		return 0;
	for (size_t k = 0; k < berth_yaml_n_pairs(value); k++)
		add_pair(section, value->items[2 * k], value->items[2 * k + 1]);
	return 0;
}

static int
merge(struct berth_parse *p, struct berth_sources *s)
{
	struct berth_yaml_node *merged = new_mapping(s, s->trees[0]->loc);
	int rc = 0;

	for (size_t t = 0; t < s->n_trees; t++) {
		struct berth_yaml_node *root = s->trees[t];
		struct berth_name_index seen;

		berth_name_index_init(&seen, berth_yaml_n_pairs(root));
		for (size_t i = 0; i < berth_yaml_n_pairs(root); i++) {
			struct berth_yaml_node *key = root->items[2 * i];
			bool dup = key->kind == BERTH_YAML_SCALAR &&
				berth_name_index_add(&seen, key->text, key) != NULL;

			if (merge_pair(p, s, merged, t, key, root->items[2 * i + 1], dup) < 0)
				rc = -1;
		}
		berth_name_index_release(&seen);
	}
	s->merged = merged;
	return rc;
}

/* The variables of vars: (merged), by name: name -> its value node. */
static int
index_vars(struct berth_parse *p, const struct berth_yaml_node *vars,
	   struct berth_name_index *index, const char ***names, size_t *n)
{
	int rc = 0;

	for (size_t i = 0; vars != NULL && vars->kind == BERTH_YAML_MAPPING &&
	     i < berth_yaml_n_pairs(vars); i++) {
		const struct berth_yaml_node *key = vars->items[2 * i];
		const struct berth_yaml_node *value = vars->items[2 * i + 1];
		const struct berth_yaml_node *first;
		BERTH_AUTOFREE char *got = NULL;

		if (key->kind != BERTH_YAML_SCALAR ||
		    !berth_name_is_valid(BERTH_NAME_ENTRY, key->text)) {
			got = berth_yaml_describe(key);
			rc = berth_parse_fail(p, key->loc, "vars: variable name %s is not valid: it "
					      "must %s", got, berth_name_rule(BERTH_NAME_ENTRY));
			continue;
		}
		if (value->kind != BERTH_YAML_SCALAR || berth_yaml_is_null(value)) {
			got = berth_yaml_describe(value);
			rc = berth_parse_fail(p, value->loc, "vars: '%s' must be a value (text, a "
					      "number), got %s", key->text, got);
			continue;
		}
		if (berth_first_control(value->text) != 0 || strstr(value->text, "{{") != NULL) {
			rc = berth_parse_fail(p, value->loc, "vars: '%s' must hold no control "
					      "character and no '{{': variables do not refer to "
					      "variables", key->text);
			continue;
		}
		first = berth_name_index_add(index, key->text, value);
		if (first != NULL) {
			rc = berth_parse_fail(p, key->loc, "vars: duplicate variable '%s'", key->text);
			continue;
		}
		*names = xreallocarray(*names, *n + 1, sizeof(**names));
		(*names)[(*n)++] = key->text;
	}
	return rc;
}

struct expander {
	struct berth_parse *p;
	struct berth_name_index vars;
	const char **names;
	size_t n_names;
};

/*
 * node's text with each "{{ name }}" replaced by the variable's value, kept
 * with root.  A text that is one reference alone takes the variable's
 * plainness, so "{{ flag }}" can be a boolean.
 */
static int
expand_scalar(struct expander *e, struct berth_yaml_node *root, struct berth_yaml_node *node)
{
	BERTH_AUTOBUF struct berth_buf out = BERTH_BUF_INIT;
	const char *c = node->text;
	const struct berth_yaml_node *only = NULL;
	size_t refs = 0;

	while (*c != '\0') {
		const char *open = strstr(c, "{{");
		const char *close, *name, *end;
		const struct berth_yaml_node *value;
		BERTH_AUTOFREE char *var = NULL;

		if (open == NULL) {
			berth_buf_add(&out, c);
			break;
		}
		berth_buf_addn(&out, c, (size_t)(open - c));
		close = strstr(open + 2, "}}");
		if (close == NULL)
			return berth_parse_fail(e->p, node->loc, "'{{' without '}}' in '%s'",
						node->text);
		name = open + 2 + strspn(open + 2, " ");
		end = close;
		while (end > name && end[-1] == ' ')
			end--;
		var = xstrndup(name, (size_t)(end - name));
		if (!berth_name_is_valid(BERTH_NAME_ENTRY, var))
			return berth_parse_fail(e->p, node->loc, "'{{ }}' must hold one variable "
						"name, got '%.*s'", (int)(close + 2 - open), open);
		value = berth_name_index_find(&e->vars, var);
		if (value == NULL) {
			const char *closest = berth_suggest(var, e->names, e->n_names);

			return berth_parse_fail(e->p, node->loc, "'{{ %s }}' refers to no variable "
						"of vars:%s%s%s", var,
						closest != NULL ? " (did you mean '" : "",
						closest != NULL ? closest : "",
						closest != NULL ? "'?)" : "");
		}
		berth_buf_add(&out, value->text);
		only = value;
		refs++;
		c = close + 2;
	}
	node->plain = refs == 1 && strcmp(out.buf, only->text) == 0 && only->plain;
	node->text = berth_yaml_strdup(root, out.buf);
	return 0;
}

/* Expands every scalar value below node (keys stay as written). */
static int
expand_node(struct expander *e, struct berth_yaml_node *root, struct berth_yaml_node *node)
{
	int rc = 0;

	if (node->kind == BERTH_YAML_SCALAR && strstr(node->text, "{{") != NULL &&
	    expand_scalar(e, root, node) < 0) {
		node->broken = true;
		return -1;
	}
	if (node->kind == BERTH_YAML_SCALAR)
		return 0;
	for (size_t i = 0; i < node->n_items; i++) {
		if (node->kind == BERTH_YAML_MAPPING && i % 2 == 0)
			continue;
		if (expand_node(e, root, node->items[i]) < 0)
			rc = -1;
	}
	return rc;
}

/* Expands "{{ }}" in every file but in vars: itself. */
static int
expand(struct berth_parse *p, struct berth_sources *s)
{
	struct expander e = { .p = p };
	int rc;

	/* Nothing refers to anything: no need to walk every node. */
	if (memmem(s->digested.buf, s->digested.len, "{{", 2) == NULL &&
	    berth_yaml_get(s->merged, "vars") == NULL)
		return 0;
	berth_name_index_init(&e.vars, 16);
	rc = index_vars(p, berth_yaml_get(s->merged, "vars"), &e.vars, &e.names, &e.n_names);
	for (size_t t = 0; t < s->n_trees; t++) {
		struct berth_yaml_node *root = s->trees[t];

		for (size_t i = 0; i < berth_yaml_n_pairs(root); i++) {
			const struct berth_yaml_node *key = root->items[2 * i];

			if (key->kind == BERTH_YAML_SCALAR && strcmp(key->text, "vars") == 0)
				continue;
			if (expand_node(&e, root, root->items[2 * i + 1]) < 0)
				rc = -1;
		}
	}
	berth_name_index_release(&e.vars);
	free(e.names);
	return rc;
}

int
berth_sources_read(struct berth_parse *p, struct berth_yaml_node *root, const char *text,
		   size_t len, bool from_file, struct berth_sources *s)
{
	struct reader r = { .p = p, .s = s };
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->trees = xcalloc(1, sizeof(*s->trees));
	s->trees[s->n_trees++] = root;
	berth_buf_addn(&s->digested, text, len);
	r.named[0] = p->path;
	r.bytes = len;
	if (from_file) {
		BERTH_AUTOFREE char *dir_copy = xstrdup(p->path);

		r.base = realpath(dirname(dir_copy), NULL);
		r.real[0] = realpath(p->path, NULL);
		if (r.base == NULL || r.real[0] == NULL)
			rc = berth_parse_fail(p, root->loc, "cannot resolve the inventory's path: %s",
					      strerror(errno));
	}
	if (rc == 0 && read_includes(&r, 0) < 0)
		rc = -1;
	if (merge(p, s) < 0)
		rc = -1;
	if (expand(p, s) < 0)
		rc = -1;
	free(r.base);
	for (size_t i = 0; i < s->n_trees; i++)
		free(r.real[i]);
	return rc;
}

void
berth_sources_release(struct berth_sources *s)
{
	for (size_t i = 0; i < s->n_own; i++) {
		free(s->own[i]->items);
		free(s->own[i]);
	}
	free(s->own);
	for (size_t i = 0; i < s->n_trees; i++)
		berth_yaml_node_free(s->trees[i]);
	free(s->trees);
	berth_buf_release(&s->digested);
	memset(s, 0, sizeof(*s));
}

int
berth_read_repo_file(struct berth_parse *p, const struct berth_yaml_node *value,
		     const char *where, const char *key, struct berth_buf *text, char **named)
{
	const char *from = value->loc.file != NULL ? value->loc.file : p->path;
	BERTH_AUTOFREE char *top_copy = xstrdup(p->path);
	BERTH_AUTOFREE char *base = NULL;
	BERTH_AUTOFREE char *real = NULL;
	BERTH_AUTOFREE char *path = NULL;
	BERTH_AUTOPTR(berth_error) err = NULL;

	*named = NULL;
	if (check_relative(p, value, where, key, "") < 0)
		return -1;
	if (!p->from_file)
		return berth_parse_fail(p, value->loc, "%s'%s' needs an inventory read from a "
					"file: the path is relative to it", where, key);
	base = realpath(dirname(top_copy), NULL);
	if (base == NULL)
		return berth_parse_fail(p, value->loc, "%scannot resolve the inventory's path: %s",
					where, strerror(errno));
	if (resolve_below(p, value, from, base, where, "", &path, &real) < 0)
		return -1;
	if (berth_inventory_read_file(path, "file", 0, text, &err) < 0)
		return berth_parse_fail(p, value->loc, "%s%s", where, berth_error_message(err));
	*named = berth_steal_pointer(&path);
	return 0;
}
