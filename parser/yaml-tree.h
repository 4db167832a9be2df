/*
 * A small tree of YAML nodes, built from libyaml's events, that keeps where
 * each node starts in the file.  The inventory parser walks it; nothing else
 * about YAML leaks out of parser/.
 *
 * What the tree leaves out on purpose: aliases are refused (an inventory has
 * defaults: for sharing settings, and refusing them rules out alias bombs),
 * anchors are dropped, tags and merge keys ('<<') are refused, and nesting deeper than
 * BERTH_YAML_MAX_DEPTH levels is refused, so code walking the tree may
 * recurse.  A stream holds at most one document.
 */
#ifndef BERTH_PARSER_YAML_TREE_H
#define BERTH_PARSER_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/inventory.h"
#include "core/mem.h"
#include "core/problems.h"

#define BERTH_YAML_MAX_DEPTH 64

enum berth_yaml_kind {
	BERTH_YAML_SCALAR,
	BERTH_YAML_SEQUENCE,
	BERTH_YAML_MAPPING,
	BERTH_YAML_LAST,
};

struct berth_yaml_node {
	enum berth_yaml_kind kind;
	struct berth_location loc;	/* where the node starts, 1-based */
	/* SCALAR: its text, NUL-terminated (a scalar holding a NUL is refused). */
	char *text;
	/*
	 * SCALAR: written without quotes and without a tag, so YAML reads
	 * "~", "null" and "" as null and "yes" or "true" as booleans.
	 */
	bool plain;
	/*
	 * SCALAR: its text could not be made (a "{{ }}" that refers to
	 * nothing): its problem is reported, and whoever reads the value
	 * fails quietly rather than report a second one.
	 */
	bool broken;
	/*
	 * SEQUENCE: the items in order.  MAPPING: keys and values alternating,
	 * key i at items[2 * i] and its value at items[2 * i + 1], in file
	 * order; a key may appear twice (the tree does not judge).
	 */
	struct berth_yaml_node **items;
	size_t n_items;
	/* The root's only: where every node and text of the tree was allocated. */
	struct berth_yaml_arena *arena;
};

/*
 * Parses the YAML text[0..len) into a tree.  path names the text in the
 * problems it adds to problems; every node's loc.file is loc_file (NULL for
 * the inventory itself, an included file's path otherwise).  Returns 0 with *root set to the tree of the
 * stream's document (the caller frees it with berth_yaml_node_free()), or to
 * NULL if the stream holds no document (empty, or only comments); a tag or a
 * merge key adds a problem but the tree is still built, without it.  Returns
 * -1 after adding the problem for a syntax error, an alias, a second
 * document, too deep a nesting or a NUL character.
 */
int berth_yaml_parse(const char *text, size_t len, const char *path, const char *loc_file,
		     struct berth_yaml_node **root, struct berth_problems *problems);

/*
 * A copy of text kept with the tree root (a root from berth_yaml_parse()),
 * freed with it: for a scalar's text replaced after parsing.
 */
char *berth_yaml_strdup(struct berth_yaml_node *root, const char *text);

/* Frees the tree root (a root from berth_yaml_parse()).  Accepts NULL. */
void berth_yaml_node_free(struct berth_yaml_node *node);

BERTH_DEFINE_AUTOPTR(berth_yaml_node, berth_yaml_node_free)

/* The number of key/value pairs of a MAPPING node. */
static inline size_t
berth_yaml_n_pairs(const struct berth_yaml_node *map)
{
	return map->n_items / 2;
}

/* True if node is a plain scalar that YAML reads as null: "", "~", "null". */
bool berth_yaml_is_null(const struct berth_yaml_node *node);

/*
 * True if node is a plain "<<", YAML's merge key.  berth_yaml_parse() has
 * refused it already where it is a key: a walker skips such a key quietly.
 */
bool berth_yaml_is_merge_key(const struct berth_yaml_node *node);

/* True if node is a plain scalar that YAML 1.1 reads as a boolean: "yes". */
bool berth_yaml_is_bool(const struct berth_yaml_node *node);

/* The value of a node berth_yaml_is_bool() accepts: true for true, yes, on. */
bool berth_yaml_bool_value(const struct berth_yaml_node *node);

/*
 * The value of the first pair of the MAPPING map whose key is the scalar
 * key, or NULL.  Borrowed from map.
 */
const struct berth_yaml_node *berth_yaml_get(const struct berth_yaml_node *map,
					     const char *key);

/*
 * What node is, for "got ..." in messages: "'TEXT'" for a scalar (its first
 * line, cut with "..." past 60 bytes), "an empty value" (plain), "an empty
 * string" (quoted), "a list" or "a mapping".  The caller frees the string.
 */
char *berth_yaml_describe(const struct berth_yaml_node *node);

#endif /* BERTH_PARSER_YAML_TREE_H */
