/*
 * The inventory language: a YAML file read into the desired state, struct
 * berth_inventory (core/inventory.h), and validated.  docs/inventory.md
 * describes the language: every key, its type, default and Ansible alias.
 *
 * Validation goes on past a problem, so one run finds them all: each is
 * "PATH:LINE:COLUMN: MESSAGE", naming the YAML node at fault (1-based, as
 * editors count), and they come sorted by line and column:
 *
 *	inventory.yaml:7:12: domain 'web1': 'memory' must be a size like 128M, got 'lots'
 *
 * A YAML syntax error ends the reading where it is (with the problems found
 * before it).  An entry whose settings are wrong is still known by its name,
 * so a reference to it is not a second problem; a required key given with a
 * wrong value is not reported missing too.
 *
 * Nothing here touches the network.  Reading the environment: "~" in local
 * paths (key, known_hosts and the default ~/.ssh/known_hosts) becomes $HOME
 * when the inventory is parsed.
 */
#ifndef BERTH_PARSER_INVENTORY_H
#define BERTH_PARSER_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/inventory.h"
#include "core/problems.h"

/*
 * The namespace under which a domain's UUID is derived from its name when
 * the inventory gives none: uuid_generate_sha1(NAMESPACE, name), a version 5
 * UUID, the same on every run and every machine.
 */
#define BERTH_INVENTORY_UUID_NAMESPACE "9ebf153f-9e60-4dc0-b6e7-df43f39270bd"

/* The largest inventory file berth reads, in bytes (64 MiB). */
#define BERTH_INVENTORY_MAX_BYTES (64 << 20)

/*
 * Reads and validates the inventory file at path, a regular file of at most
 * BERTH_INVENTORY_MAX_BYTES.  Returns a new inventory the caller frees with
 * berth_inventory_free(), whose path is path.  If the file is not a valid
 * inventory, adds every problem found to problems (sorted, see
 * berth_problems_sort()) and returns NULL with the BERTH_ERROR_INPUT error
 * of berth_problems_to_error(); if it cannot be read, or is empty, returns
 * NULL with only that error.
 */
struct berth_inventory *berth_inventory_read(const char *path, struct berth_problems *problems,
					     struct berth_error **err);

/*
 * Reads and validates the inventory file at path.  Returns a new inventory
 * the caller frees with berth_inventory_free(), whose path is path.  Returns
 * NULL with a BERTH_ERROR_INPUT error if the file cannot be read ("cannot
 * read inventory 'PATH': REASON") or is not a valid inventory (the first
 * problem, with how many more there are, as berth_problems_to_error()).
 */
struct berth_inventory *berth_inventory_load(const char *path, struct berth_error **err);

/*
 * Parses and validates the inventory text[0..len) (it need not end in a
 * NUL).  path_for_messages names it in error messages and becomes the
 * inventory's path; NULL stands for "<inventory>".  Returns a new inventory
 * the caller frees with berth_inventory_free(), or NULL with a
 * BERTH_ERROR_INPUT error about the first problem found and how many more.
 */
struct berth_inventory *berth_inventory_parse(const char *text, size_t len,
					      const char *path_for_messages,
					      struct berth_error **err);

/*
 * True if name may name a host, a storage share or a domain:
 * ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$.  Thread-safe; cannot fail.
 */
bool berth_inventory_name_is_valid(const char *name);

/* Called with each key of the language: its section ("hosts") and name. */
typedef void berth_inventory_key_fn(const char *section, const char *key, void *arg);

/*
 * Calls fn for every key of every table of the language, aliases included
 * (tests check that the documentation names each one).
 */
void berth_inventory_each_key(berth_inventory_key_fn *fn, void *arg);

#endif /* BERTH_PARSER_INVENTORY_H */
