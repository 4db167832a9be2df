/*
 * The files of one inventory: the one named, the files its include: names
 * (and theirs), read and merged into one document; and vars:, whose
 * "{{ name }}" references in string values are expanded before any value
 * is read.
 *
 * Inside parser/ only; docs/inventory.md ("include:" and "vars:") has the
 * rules.
 */
#ifndef BERTH_PARSER_INCLUDE_H
#define BERTH_PARSER_INCLUDE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "parser/fields.h"
#include "parser/yaml-tree.h"

/* At most this many files in one inventory, the inventory itself included. */
#define BERTH_INCLUDE_MAX_FILES 256

struct berth_sources {
	struct berth_yaml_node **trees;	/* [0]: the inventory's own; then in include order */
	size_t n_trees;
	struct berth_yaml_node *merged;	/* one root over them all (borrows their nodes) */
	struct berth_yaml_node **own;	/* the mappings made for merged: freed with s */
	size_t n_own;
	struct berth_buf digested;	/* the bytes the inventory's SHA-256 covers */
};

/*
 * Reads the files root (the inventory's own document, text[0..len) of the
 * file p->path, or of no file when from_file is false: then include: is
 * refused) includes, into p->inv->includes and s, merges them into
 * s->merged, and expands "{{ }}" references.  Takes root.  Returns 0, or -1 after berth_parse_fail() for each problem;
 * s->merged is set either way (free s with berth_sources_release()).
 */
int berth_sources_read(struct berth_parse *p, struct berth_yaml_node *root, const char *text,
		       size_t len, bool from_file, struct berth_sources *s);

void berth_sources_release(struct berth_sources *s);

/*
 * Reads the file at path into *text (empty): a regular file of at most
 * BERTH_INVENTORY_MAX_BYTES, less the before bytes of the files read before
 * it.  what names it in errors ("inventory", "included file").  Returns 0,
 * or -1 with a BERTH_ERROR_INPUT error "cannot read WHAT 'PATH': REASON".
 */
int berth_inventory_read_file(const char *path, const char *what, size_t before,
			      struct berth_buf *text, struct berth_error **err);

/*
 * Reads the file the scalar value names (key: FILE in an entry; where starts
 * the messages) into *text, by the rules of include: a relative path from
 * the file value is in, below the inventory's directory.  Returns 0 with
 * *named its path as messages name it (the caller frees it), or -1 after
 * berth_parse_fail().
 */
int berth_read_repo_file(struct berth_parse *p, const struct berth_yaml_node *value,
			 const char *where, const char *key, struct berth_buf *text,
			 char **named);

#endif /* BERTH_PARSER_INCLUDE_H */
