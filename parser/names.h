/*
 * The rules for names in an inventory, each a PCRE2 pattern, all here:
 *
 *	entry      hosts, groups, storage, domains: what a person types and
 *	           berth puts into messages, file names and libvirt calls
 *	interface  Linux network interfaces (bridges, uplinks): what the
 *	           kernel takes (IFNAMSIZ, no '/', no space, not "." or "..")
 */
#ifndef BERTH_PARSER_NAMES_H
#define BERTH_PARSER_NAMES_H

#include <stdbool.h>

enum berth_name_kind {
	BERTH_NAME_ENTRY,	/* ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$ */
	BERTH_NAME_INTERFACE,	/* ^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$ */
	BERTH_NAME_LAST,
};

/* True if name follows the rule of kind.  Thread-safe; cannot fail. */
bool berth_name_is_valid(enum berth_name_kind kind, const char *name);

/* The rule of kind in words, for "it must ..." in messages. */
const char *berth_name_rule(enum berth_name_kind kind);

#endif /* BERTH_PARSER_NAMES_H */
