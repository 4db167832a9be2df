/* The YAML node tree: see yaml-tree.h. */
#include "parser/yaml-tree.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "core/util.h"

/* Longest scalar text quoted in a message before it is cut with "...". */
#define DESCRIBE_MAX 60

/* The longest key YAML 1.1 allows without '?' (libyaml checks it, unnamed). */
#define SIMPLE_KEY_MAX 1024

/* libyaml's spelling of YAML's "!!" tags. */
#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

/*
 * Nodes and scalar texts are many and small, and all freed together: they
 * come from chunks of this, not one malloc() each.
 */
struct berth_yaml_arena {
	struct berth_yaml_arena *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

#define ARENA_CHUNK (64 * 1024)

static void *
arena_alloc(struct berth_yaml_arena **arena, size_t n)
{
	struct berth_yaml_arena *a = *arena;
	size_t align = sizeof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (a == NULL || a->size - a->used < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		a = xmalloc(sizeof(*a) + size);
		a->next = *arena;
		a->used = 0;
		a->size = size;
		*arena = a;
	}
	p = (char *)a->data + a->used;
	a->used += n;
	return p;
}

static void
arena_free(struct berth_yaml_arena *a)
{
	while (a != NULL) {
		struct berth_yaml_arena *next = a->next;

		free(a);
		a = next;
	}
}

/* The tree being built from the events, with the open collections. */
struct builder {
	struct berth_yaml_arena *arena;
	const char *path;
	const char *loc_file;		/* each location's file: NULL, or an included one */
	struct berth_problems *problems;
	const char *text;
	size_t len;
	struct berth_yaml_node *root;
	struct berth_yaml_node *open[BERTH_YAML_MAX_DEPTH];
	size_t depth;
	unsigned documents;
};

/* Frees the items arrays of node and below (the rest is in the arena). */
static void
free_items(struct berth_yaml_node *node)
{
	for (size_t i = 0; i < node->n_items; i++)
		free_items(node->items[i]);
	free(node->items);
}

void
berth_yaml_node_free(struct berth_yaml_node *node)
{
	if (node == NULL)
		return;
	free_items(node);
	arena_free(node->arena);
}

static struct berth_location
location(yaml_mark_t mark)
{
	/* libyaml counts from 0, editors from 1. */
	return (struct berth_location){
		.line = (unsigned)mark.line + 1,
		.column = (unsigned)mark.column + 1,
	};
}

static void
fail(struct builder *b, yaml_mark_t mark, const char *what)
{
	struct berth_location loc = location(mark);

	loc.file = b->loc_file;
	berth_problems_add(b->problems, b->path, loc, what);
}

/*
 * Refuses the tag of a node (event's, or NULL): berth would read the value
 * as plain text whatever the tag says, so "!!binary" would silently mean
 * nothing.  Not fatal: the tree goes on without it.
 */
static void
refuse_tag(struct builder *b, const yaml_event_t *event, const unsigned char *tag)
{
	BERTH_AUTOFREE char *what = NULL;

	if (tag == NULL)
		return;
	/* Shown as written: "!!binary", not libyaml's "tag:yaml.org,2002:binary". */
	if (strncmp((const char *)tag, YAML_TAG_PREFIX, strlen(YAML_TAG_PREFIX)) == 0)
		what = xasprintf("YAML tags ('!!%s') are not supported: write the value "
				 "without one", (const char *)tag + strlen(YAML_TAG_PREFIX));
	else
		what = xasprintf("YAML tags ('%s') are not supported: write the value without one",
				 (const char *)tag);
	fail(b, event->start_mark, what);
}

/* True if the node just attached is a key of the innermost open mapping. */
static bool
is_key(const struct builder *b)
{
	const struct berth_yaml_node *parent;

	if (b->depth == 0)
		return false;
	parent = b->open[b->depth - 1];
	return parent->kind == BERTH_YAML_MAPPING && parent->n_items % 2 == 1;
}

/*
 * True if the line of mark holds a key longer than YAML lets a key be
 * without '?' (1024 characters): libyaml then says only "mapping values are
 * not allowed" at the ':' after it.
 */
static bool
key_too_long(const struct builder *b, yaml_mark_t mark)
{
	size_t start = mark.index;

	if (mark.index >= b->len || b->text[mark.index] != ':')
		return false;
	while (start > 0 && b->text[start - 1] != '\n')
		start--;
	start += strspn(b->text + start, " -");
	return mark.index > start && mark.index - start > SIMPLE_KEY_MAX;
}

/* Hangs node under the innermost open collection, or makes it the root. */
static void
attach(struct builder *b, struct berth_yaml_node *node)
{
	struct berth_yaml_node *parent;

	if (b->depth == 0) {
		b->root = node;
		return;
	}
	parent = b->open[b->depth - 1];
	/* Room for 4, 8, 16, ... items: grown when n_items reaches a power of two. */
	if (parent->n_items == 0 ||
	    (parent->n_items >= 4 && (parent->n_items & (parent->n_items - 1)) == 0))
		parent->items = xreallocarray(parent->items,
					      parent->n_items == 0 ? 4 : 2 * parent->n_items,
					      sizeof(*parent->items));
	parent->items[parent->n_items++] = node;
}

static struct berth_yaml_node *
node_new(struct builder *b, enum berth_yaml_kind kind, yaml_mark_t start)
{
	struct berth_yaml_node *node = arena_alloc(&b->arena, sizeof(*node));

	memset(node, 0, sizeof(*node));

	node->kind = kind;
	node->loc = location(start);
	node->loc.file = b->loc_file;
	attach(b, node);
	return node;
}

/*
 * Reports libyaml's own error: its problem at its mark, with the context it
 * was in ("while parsing a block mapping") and where that started.
 */
static void
fail_libyaml(struct builder *b, const yaml_parser_t *parser)
{
	BERTH_AUTOFREE char *what = NULL;
	yaml_mark_t mark = parser->problem_mark;

	if (parser->error == YAML_MEMORY_ERROR)
		berth_oom();
	if (parser->error == YAML_READER_ERROR) {
		/* Bad encoding: libyaml gives a byte offset, not a mark. */
		size_t end = parser->problem_offset < b->len ? parser->problem_offset : b->len;

		memset(&mark, 0, sizeof(mark));
		for (size_t i = 0; i < end; i++) {
			mark.column++;
			if (b->text[i] == '\n') {
				mark.line++;
				mark.column = 0;
			}
		}
		if (parser->problem_value != -1)
			what = xasprintf("%s (byte 0x%02X)", parser->problem,
					 (unsigned)parser->problem_value);
	} else if (key_too_long(b, mark)) {
		what = xasprintf("a key is longer than %d characters, the most YAML allows "
				 "for a key", SIMPLE_KEY_MAX);
	} else if (mark.index < b->len && b->text[mark.index] == '\t') {
		what = xasprintf("%s (a tab: YAML indents with spaces only)", parser->problem);
	} else if (parser->context != NULL) {
		struct berth_location at = location(parser->context_mark);

		what = xasprintf("%s (%s at %u:%u)", parser->problem, parser->context,
				 at.line, at.column);
	}
	fail(b, mark, what != NULL ? what : parser->problem);
}

/*
 * Adds what event says to the tree.  Returns 1 at the end of the stream, 0
 * to go on, -1 with *err set.
 */
static int
handle_event(struct builder *b, const yaml_event_t *event)
{
	struct berth_yaml_node *node;

	switch (event->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (++b->documents > 1) {
			fail(b, event->start_mark,
			     "only one YAML document is allowed in an inventory");
			return -1;
		}
		return 0;
	case YAML_ALIAS_EVENT: {
		BERTH_AUTOFREE char *what = xasprintf(
			"aliases ('*%s') are not supported; share settings with 'defaults:'",
			(const char *)event->data.alias.anchor);

		fail(b, event->start_mark, what);
		return -1;
	}
	case YAML_SCALAR_EVENT:
		if (memchr(event->data.scalar.value, '\0', event->data.scalar.length) != NULL) {
			fail(b, event->start_mark, "a NUL character is not allowed");
			return -1;
		}
		refuse_tag(b, event, event->data.scalar.tag);
		node = node_new(b, BERTH_YAML_SCALAR, event->start_mark);
		node->text = arena_alloc(&b->arena, event->data.scalar.length + 1);
		memcpy(node->text, event->data.scalar.value, event->data.scalar.length);
		node->text[event->data.scalar.length] = '\0';
		node->plain = event->data.scalar.plain_implicit;
		if (node->plain && strcmp(node->text, "<<") == 0 && is_key(b))
			fail(b, event->start_mark, "merge keys ('<<') are not supported; share "
			     "settings with 'defaults:'");
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (b->depth == BERTH_YAML_MAX_DEPTH) {
			BERTH_AUTOFREE char *what = xasprintf(
				"nesting deeper than %d levels is not allowed",
				BERTH_YAML_MAX_DEPTH);

			fail(b, event->start_mark, what);
			return -1;
		}
		refuse_tag(b, event, event->type == YAML_MAPPING_START_EVENT
			   ? event->data.mapping_start.tag : event->data.sequence_start.tag);
		node = node_new(b, event->type == YAML_MAPPING_START_EVENT
				? BERTH_YAML_MAPPING : BERTH_YAML_SEQUENCE,
				event->start_mark);
		b->open[b->depth++] = node;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		b->depth--;
		return 0;
	default:
		/* Stream start, document end, no event: nothing to build. */
		return 0;
	}
}

int
berth_yaml_parse(const char *text, size_t len, const char *path, const char *loc_file,
		 struct berth_yaml_node **root, struct berth_problems *problems)
{
	struct builder b = { .path = path, .loc_file = loc_file, .problems = problems,
			     .text = text, .len = len };
	yaml_parser_t parser;
	int done = 0;

	*root = NULL;
	if (!yaml_parser_initialize(&parser))
		berth_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (done == 0) {
		yaml_event_t event;

		if (!yaml_parser_parse(&parser, &event)) {
			fail_libyaml(&b, &parser);
			done = -1;
			break;
		}
		done = handle_event(&b, &event);
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
	if (done < 0 || b.root == NULL) {
		if (b.root != NULL)
			free_items(b.root);
		arena_free(b.arena);
		return done < 0 ? -1 : 0;
	}
	b.root->arena = b.arena;
	*root = b.root;
	return 0;
}

/* True if node is a plain scalar whose text is one of the n words. */
static bool
plain_is_one_of(const struct berth_yaml_node *node, const char *const *words, size_t n)
{
	if (node->kind != BERTH_YAML_SCALAR || !node->plain)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(node->text, words[i]) == 0)
			return true;
	}
	return false;
}

bool
berth_yaml_is_null(const struct berth_yaml_node *node)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };

	return plain_is_one_of(node, nulls, sizeof(nulls) / sizeof(nulls[0]));
}

bool
berth_yaml_is_merge_key(const struct berth_yaml_node *node)
{
	return node->kind == BERTH_YAML_SCALAR && node->plain && strcmp(node->text, "<<") == 0;
}

bool
berth_yaml_is_bool(const struct berth_yaml_node *node)
{
	/*
	 * YAML 1.1's booleans as PyYAML (so Ansible) reads them; not its "y"
	 * and "n", which PyYAML reads as text too.
	 */
	static const char *const bools[] = {
		"true", "True", "TRUE", "false", "False", "FALSE",
		"yes", "Yes", "YES", "no", "No", "NO",
		"on", "On", "ON", "off", "Off", "OFF",
	};

	return plain_is_one_of(node, bools, sizeof(bools) / sizeof(bools[0]));
}

bool
berth_yaml_bool_value(const struct berth_yaml_node *node)
{
	return node->text[0] == 't' || node->text[0] == 'T' || node->text[0] == 'y' ||
		node->text[0] == 'Y' || strcasecmp(node->text, "on") == 0;
}

char *
berth_yaml_strdup(struct berth_yaml_node *root, const char *text)
{
	size_t n = strlen(text) + 1;
	char *copy = arena_alloc(&root->arena, n);

	memcpy(copy, text, n);
	return copy;
}

const struct berth_yaml_node *
berth_yaml_get(const struct berth_yaml_node *map, const char *key)
{
	for (size_t i = 0; i < berth_yaml_n_pairs(map); i++) {
		const struct berth_yaml_node *k = map->items[2 * i];

		if (k->kind == BERTH_YAML_SCALAR && k->text[0] == key[0] && strcmp(k->text, key) == 0)
			return map->items[2 * i + 1];
	}
	return NULL;
}

char *
berth_yaml_describe(const struct berth_yaml_node *node)
{
	size_t n;

	switch (node->kind) {
	case BERTH_YAML_SEQUENCE:
		return xstrdup("a list");
	case BERTH_YAML_MAPPING:
		return xstrdup("a mapping");
	default:
		break;
	}
	if (node->text[0] == '\0')
		return xstrdup(node->plain ? "an empty value" : "an empty string");
	/* One line of a message: the first line of the text, not too long. */
	n = strcspn(node->text, "\r\n");
	if (n > DESCRIBE_MAX)
		n = DESCRIBE_MAX;
	return xasprintf("'%.*s%s'", (int)n, node->text,
			 node->text[n] != '\0' ? "..." : "");
}
