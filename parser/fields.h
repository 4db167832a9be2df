/*
 * Mappings of settings read through tables of fields: each row names a key
 * (and its Ansible alias), the type of its value and where in a struct the
 * value goes.  One walker then gives every mapping of the inventory the
 * same checks and the same messages: keys known (with "did you mean"),
 * each given once, values of the right type.
 *
 * Inside parser/ only; the inventory tables are in parser/inventory.c.
 */
#ifndef BERTH_PARSER_FIELDS_H
#define BERTH_PARSER_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/inventory.h"
#include "core/problems.h"
#include "parser/yaml-tree.h"

/* The most rows a table may have. */
#define BERTH_FIELDS_MAX 32

/*
 * One parse of one inventory: what every check needs to report a problem.
 * A check that fails adds its problem and the parse goes on, so that one run
 * finds them all; the inventory is dropped at the end if there was any.
 */
struct berth_parse {
	const char *path;		/* names the file in messages */
	struct berth_problems *problems;
	/*
	 * Set while an entry whose settings are not a mapping is read as if
	 * empty: its missing required keys are not problems of their own.
	 */
	bool lenient;
	/*
	 * Set while a host's variables under all: are read: a key no row of
	 * the table knows goes here first, which returns 0 if it takes it (an
	 * Ansible variable), or 1 to have it reported as an unknown key.
	 */
	int (*unknown_key)(struct berth_parse *p, const struct berth_yaml_node *key,
			   const struct berth_yaml_node *value, void *obj);
	bool from_file;			/* read from p->path (else from a string) */
	struct berth_inventory *inv;	/* being filled */
	struct berth_host host_defaults;	/* built-in, then defaults.host */
	struct berth_domain domain_defaults;	/* built-in, then defaults.domain */
	/* Each domain group's defaults: domain_defaults, then its defaults:;
	 * parallel to inv->domain_groups. */
	struct berth_domain *group_defaults;
};

/*
 * Adds the problem "PATH:LINE:COLUMN: MESSAGE" with the printf-formatted
 * message, control characters in it (a newline in a quoted key) written as
 * \xHH so it stays one line, and returns -1.
 */
int berth_parse_fail(struct berth_parse *p, struct berth_location loc,
		     const char *fmt, ...) BERTH_PRINTF(3, 4);

/*
 * Adds "WHEREWHAT 'NAME' is not defined (did you mean 'CLOSE'?)", the hint
 * when one of the n names is close, at loc, and returns -1.
 */
int berth_parse_fail_undefined(struct berth_parse *p, struct berth_location loc,
			       const char *where, const char *what, const char *name,
			       const char *const *names, size_t n);

/*
 * Checks that node is a mapping or nothing: returns 0 with *map set to the
 * mapping or NULL, or -1 after "WHERE SUBJECT must be a mapping, got ...".
 */
int berth_expect_mapping(struct berth_parse *p, const struct berth_yaml_node *node,
			 const char *where, const char *subject,
			 const struct berth_yaml_node **map);

/*
 * Where at is, said from here: "LINE:COLUMN" in the same file, else
 * "FILE:LINE:COLUMN" (for "first at ..." in messages).  The caller frees it.
 */
char *berth_parse_place(const struct berth_parse *p, struct berth_location at,
			struct berth_location here);

enum berth_field_type {
	BERTH_FIELD_STRING,		/* char *: non-empty text */
	BERTH_FIELD_LOCAL_PATH,		/* char *: a path here; "~/" becomes $HOME/ */
	BERTH_FIELD_ABSOLUTE_PATH,	/* char *: starts with '/' */
	BERTH_FIELD_FILE_NAME,		/* char *: no '/', not "." or ".." */
	BERTH_FIELD_CHOICE,		/* char *: one of the row's choices */
	BERTH_FIELD_POWER,		/* enum berth_power, by berth_power_name() */
	BERTH_FIELD_UNSIGNED,		/* unsigned: from the row's min to max */
	BERTH_FIELD_DURATION,		/* unsigned seconds: "90", "90s", "5m" or "1h",
					 * from the row's min to max seconds */
	BERTH_FIELD_MEMORY,		/* uint64_t: a size > 0, in KiB */
	BERTH_FIELD_DISK_SIZE,		/* uint64_t: a size > 0, in bytes */
	BERTH_FIELD_MAC,		/* char *: unicast MAC, lower case */
	BERTH_FIELD_UUID,		/* char[37]: a UUID, lower case */
	BERTH_FIELD_HOST_ADDRESS,	/* char *: host name or IP, IPv6 kept without [] */
	BERTH_FIELD_LIBVIRT_URI,	/* char *: BERTH_URI_LIBVIRT_FORM, as core/uri.c writes it */
	BERTH_FIELD_INTERFACE,		/* char *: a Linux interface name (names.h) */
	BERTH_FIELD_BOOL,		/* bool: YAML's true or false (yes/no, on/off) */
	BERTH_FIELD_TRISTATE,		/* enum berth_tristate: BERTH_TRUE or BERTH_FALSE */
	BERTH_FIELD_RATIO,		/* unsigned hundredths: "1", "1.5", "2.25", from the
					 * row's min to max hundredths */
	BERTH_FIELD_CUSTOM,		/* the row's parse function reads it */
	BERTH_FIELD_LAST,
};

struct berth_field {
	const char *key;
	const char *alias;		/* Ansible's name for the same setting, or NULL */
	enum berth_field_type type;
	size_t offset;			/* of the value in the struct filled */
	bool no_default;		/* refused under defaults: */
	bool required;			/* see berth_fields_check_required() */
	unsigned min, max;		/* BERTH_FIELD_UNSIGNED, _DURATION: the range */
	const char *const *choices;	/* BERTH_FIELD_CHOICE: NULL-terminated */
	/*
	 * BERTH_FIELD_CUSTOM: reads value (of the key as written, name) into
	 * obj.  where starts its messages.  Returns 0, or -1 after
	 * berth_parse_fail().
	 */
	int (*parse)(struct berth_parse *p, const struct berth_yaml_node *value,
		     const char *name, const char *where, void *obj);
};

/*
 * Reads the MAPPING map into obj through the n rows of fields.  Messages
 * start with where ("host 'h1': ").  With in_defaults, rows marked
 * no_default are refused.  A string already in obj (a default) is freed
 * when its key is given.  Returns 0, or -1 after berth_parse_fail() for each
 * key or value that is wrong (the others are still read).
 */
int berth_fields_parse(struct berth_parse *p, const struct berth_yaml_node *map,
		       const char *where, const struct berth_field *fields, size_t n,
		       void *obj, bool in_defaults);

/*
 * Reads value, the value of the key name, as a mapping (or nothing) through
 * fields into obj: berth_fields_parse() with messages that start with
 * "WHERE NAME: ".  Returns 0, or -1 after berth_parse_fail().
 */
int berth_fields_parse_nested(struct berth_parse *p, const struct berth_yaml_node *value,
			      const char *name, const char *where,
			      const struct berth_field *fields, size_t n, void *obj,
			      bool in_defaults);

/*
 * Checks that obj has a value for every required row of fields (a string
 * set, a number not 0), whether from map (NULL: none) or a default.  A key
 * that map gives with a wrong value already has its problem, and nothing is
 * required of a lenient parse.  Returns 0, or -1 after berth_parse_fail() at
 * loc for each missing one: "WHERE'KEY' is required".
 */
int berth_fields_check_required(struct berth_parse *p, struct berth_location loc,
				const char *where, const struct berth_field *fields, size_t n,
				const void *obj, const struct berth_yaml_node *map);

/*
 * Copies into dst the value of each row of fields that may have a default
 * (strings duplicated).  dst holds no strings of those rows yet.
 */
void berth_fields_copy(const struct berth_field *fields, size_t n, void *dst,
		       const void *src);

/* Frees the strings of obj that rows of fields point at and sets them NULL. */
void berth_fields_clear(const struct berth_field *fields, size_t n, void *obj);

/*
 * Where the value of key starts in the MAPPING map, or fallback if map is
 * not a mapping or does not have key.
 */
struct berth_location berth_fields_loc(const struct berth_yaml_node *map, const char *key,
				       struct berth_location fallback);

/* path with a leading "~" or "~/" taken from $HOME.  The caller frees it. */
char *berth_expand_home(const char *path);

/*
 * text as seconds: a whole number with no unit, or with s, m or h right
 * after it ("90", "90s", "5m", "1h"), as the inventory's durations and the
 * command line's --lock-timeout are written.  Returns true with *seconds
 * set, or false if text is not one or is more than max seconds.
 */
bool berth_parse_duration(const char *text, unsigned max, unsigned *seconds);

#endif /* BERTH_PARSER_FIELDS_H */
