/*
 * A hash index from names to values, for finding duplicates and resolving
 * references among thousands of entries without comparing every pair.
 *
 * The index borrows both names and values: they must outlive it.  Values
 * are never NULL.  Nothing here fails (allocation aborts).
 *
 *	struct berth_name_index hosts;
 *
 *	berth_name_index_init(&hosts, inv->n_hosts);
 *	first = berth_name_index_add(&hosts, h->name, h);   NULL: h was new
 *	...
 *	berth_name_index_release(&hosts);
 */
#ifndef BERTH_CORE_NAME_INDEX_H
#define BERTH_CORE_NAME_INDEX_H

#include <stddef.h>

struct berth_name_index {
	size_t mask;		/* slots - 1; slots is a power of two */
	size_t count;		/* names held; always below half the slots */
	const char **names;	/* NULL: an empty slot */
	const void **values;
};

/* Starts an empty index sized for about expected names. */
void berth_name_index_init(struct berth_name_index *idx, size_t expected);

/* Frees the index's own memory (not the names or values). */
void berth_name_index_release(struct berth_name_index *idx);

/*
 * Adds name with value and returns NULL, or, if name is already there,
 * returns the value it was first added with and changes nothing.
 */
const void *berth_name_index_add(struct berth_name_index *idx, const char *name,
				 const void *value);

/* The value added with name, or NULL. */
const void *berth_name_index_find(const struct berth_name_index *idx, const char *name);

#endif /* BERTH_CORE_NAME_INDEX_H */
