/*
 * berth's commands.  Each lives in its own cli/cmd-NAME.c, which defines
 * berth_cmd_NAME() and berth_cmd_NAME_options[]; the one table of commands
 * is in cli/main.c, and the usage text is built from it.
 *
 * Adding a command: write cli/cmd-NAME.c, declare its two symbols below, add
 * one row to the table in cli/main.c and the file to cli/meson.build.
 */
#ifndef BERTH_CLI_CMD_H
#define BERTH_CLI_CMD_H

#include <stdio.h>

#include "cli/options.h"
#include "core/error.h"

struct berth_command {
	const char *name;
	const char *args;	/* operands in the usage line, "" for none */
	const char *summary;	/* one line for the list of commands */
	const struct berth_cli_option *options;
	/*
	 * Runs the command on argv[0..argc), where argv[0] is its name.
	 * Returns 0, or -1 with *err set (its kind picks the exit status), or
	 * an exit status > 0 to end with: a detailed exit code, as 'berth plan
	 * --detailed-exitcode' gives; *err, if also set, is reported first.
	 */
	int (*run)(const struct berth_command *self, int argc, char **argv,
		   struct berth_error **err);
};

int berth_cmd_help(const struct berth_command *self, int argc, char **argv,
		   struct berth_error **err);
extern const struct berth_cli_option berth_cmd_help_options[];

int berth_cmd_version(const struct berth_command *self, int argc, char **argv,
		      struct berth_error **err);
extern const struct berth_cli_option berth_cmd_version_options[];

int berth_cmd_plan(const struct berth_command *self, int argc, char **argv,
		   struct berth_error **err);
extern const struct berth_cli_option berth_cmd_plan_options[];

int berth_cmd_validate(const struct berth_command *self, int argc, char **argv,
		       struct berth_error **err);
extern const struct berth_cli_option berth_cmd_validate_options[];

int berth_cmd_apply(const struct berth_command *self, int argc, char **argv,
		    struct berth_error **err);
extern const struct berth_cli_option berth_cmd_apply_options[];

int berth_cmd_facts(const struct berth_command *self, int argc, char **argv,
		    struct berth_error **err);
extern const struct berth_cli_option berth_cmd_facts_options[];

/* The command called name, or NULL. */
const struct berth_command *berth_command_find(const char *name);

/*
 * The command called name, or NULL with a BERTH_ERROR_USAGE error "unknown
 * command 'NAME'", with "(did you mean 'X'?)" when a command is close.
 */
const struct berth_command *berth_command_lookup(const char *name,
						 struct berth_error **err);

/*
 * Starts parsing the options of cmd from its argv: berth_cli_getopt_next()
 * then handles -h/--help by printing cmd's usage to stdout.
 */
void berth_command_getopt_init(struct berth_cli_getopt *g,
			       const struct berth_command *cmd,
			       int argc, char **argv);

/*
 * Ends the option loop of a command that takes no operands; c is what
 * berth_cli_getopt_next() returned last.  With need_inventory, -i must have
 * been given (inventory is its value).  Returns 1 for the command to go on,
 * 0 when it is done (its help was printed), or -1 with a usage error:
 * "missing option '--inventory' for command 'plan'".
 */
int berth_command_options_end(const struct berth_command *cmd, const struct berth_cli_getopt *g,
			      int c, bool need_inventory, const char *inventory,
			      struct berth_error **err);

/* Prints berth's usage: global options and every command. */
void berth_usage_print(FILE *fp);

/* Prints the usage of one command with its options. */
void berth_command_usage_print(FILE *fp, const struct berth_command *cmd);

#endif /* BERTH_CLI_CMD_H */
