/* The name index: open addressing with linear probing; see name-index.h. */
#include "core/name-index.h"

#include <stdint.h>
#include <string.h>

#include "core/mem.h"

#define MIN_SLOTS 16

/* FNV-1a: short, and good enough for names a person wrote. */
static size_t
hash(const char *name)
{
	uint64_t h = 14695981039346656037ULL;

	for (const unsigned char *s = (const unsigned char *)name; *s != '\0'; s++) {
		h ^= *s;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

/* The slot holding name, or the empty slot where it would go. */
static size_t
slot_of(const struct berth_name_index *idx, const char *name)
{
	size_t i = hash(name) & idx->mask;

	while (idx->names[i] != NULL && strcmp(idx->names[i], name) != 0)
		i = (i + 1) & idx->mask;
	return i;
}

static void
allocate(struct berth_name_index *idx, size_t slots)
{
	idx->mask = slots - 1;
	idx->count = 0;
	idx->names = xcalloc(slots, sizeof(*idx->names));
	idx->values = xcalloc(slots, sizeof(*idx->values));
}

void
berth_name_index_init(struct berth_name_index *idx, size_t expected)
{
	size_t slots = MIN_SLOTS;

	while (slots / 2 <= expected)
		slots *= 2;
	allocate(idx, slots);
}

void
berth_name_index_release(struct berth_name_index *idx)
{
	free(idx->names);
	free(idx->values);
	idx->names = NULL;
	idx->values = NULL;
	idx->mask = 0;
	idx->count = 0;
}

/* Doubles the slots and puts every name back. */
static void
grow(struct berth_name_index *idx)
{
	struct berth_name_index old = *idx;

	allocate(idx, 2 * (old.mask + 1));
	for (size_t i = 0; i <= old.mask; i++) {
		if (old.names[i] != NULL)
			berth_name_index_add(idx, old.names[i], old.values[i]);
	}
	berth_name_index_release(&old);
}

const void *
berth_name_index_add(struct berth_name_index *idx, const char *name, const void *value)
{
	size_t i = slot_of(idx, name);

	if (idx->names[i] != NULL)
		return idx->values[i];
	idx->names[i] = name;
	idx->values[i] = value;
	if (++idx->count * 2 > idx->mask)
		grow(idx);
	return NULL;
}

const void *
berth_name_index_find(const struct berth_name_index *idx, const char *name)
{
	return idx->values[slot_of(idx, name)];
}
