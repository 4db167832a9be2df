/*
 * Command-line options from one table: the same rows feed getopt_long() and
 * the help text, so the two cannot disagree.
 *
 *	static const struct berth_cli_option options[] = {
 *		{ 'j', "json", NULL, "print JSON instead of text" },
 *		{ 0 },
 *	};
 *
 * Every parser also accepts -h/--help; tables must not use 'h' themselves.
 * Errors become BERTH_ERROR_USAGE errors whose message names the option as
 * typed: "unknown option '--bogus'".
 */
#ifndef BERTH_CLI_OPTIONS_H
#define BERTH_CLI_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"

#define BERTH_CLI_MAX_OPTIONS 32

struct berth_cli_option {
	int val;		/* short letter, returned when the option is seen;
				   a value >= 256 makes a long-only option */
	const char *name;	/* long name, without "--" */
	const char *arg;	/* its argument in the help ("FILE"), NULL for a flag */
	const char *help;	/* one line for the help */
};

/* What berth_cli_getopt_next() returns besides an option's val (> 0). */
enum {
	BERTH_CLI_OPT_END = -1,		/* no more options; optind: first operand */
	BERTH_CLI_OPT_HELP = -2,	/* -h/--help: the help has been printed */
	BERTH_CLI_OPT_ERROR = -3,	/* a usage error, recorded in *err */
};

/* A parse in progress over one argv.  Only one may run at a time. */
struct berth_cli_getopt {
	int argc;
	char **argv;
	const char *command;	/* named in error messages; NULL: global options */
	int optind;		/* after BERTH_CLI_OPT_END: the first operand */
	const char *optarg;	/* the argument of the option just returned */
	/* Prints the help for -h/--help; NULL: return 'h' like an option. */
	void (*help)(const void *help_data);
	const void *help_data;
	struct option longopts[BERTH_CLI_MAX_OPTIONS + 2];
	char optstring[3 * BERTH_CLI_MAX_OPTIONS + 8];
};

/*
 * Starts parsing argv[1..argc) against options (ending with a zero row).
 * command names the command for messages, or NULL for berth's own options.
 * g->help is NULL; the caller may set it and g->help_data afterwards.
 * With stop_at_operand, parsing stops at the first operand (the command
 * name); otherwise options and operands may be mixed.  "--" ends options.
 */
void berth_cli_getopt_init(struct berth_cli_getopt *g, const char *command,
			   const struct berth_cli_option *options,
			   int argc, char **argv, bool stop_at_operand);

/*
 * The next option's val (> 0), or BERTH_CLI_OPT_END once the options end,
 * BERTH_CLI_OPT_HELP after printing the help with g->help, or
 * BERTH_CLI_OPT_ERROR with a BERTH_ERROR_USAGE error in *err for an unknown
 * option, a missing argument or an unwanted one.
 */
int berth_cli_getopt_next(struct berth_cli_getopt *g, struct berth_error **err);

/*
 * What a command returns when parsing stopped early with c: 0 after
 * BERTH_CLI_OPT_HELP (the command has nothing more to do), -1 after
 * BERTH_CLI_OPT_ERROR (*err is set).
 */
int berth_cli_getopt_stopped(int c);

/*
 * Checks that between min and max operands follow the options.  Returns
 * their number, or -1 with a BERTH_ERROR_USAGE error.
 */
int berth_cli_getopt_operands(const struct berth_cli_getopt *g, int min, int max,
			      struct berth_error **err);

/* Prints one aligned help line per option, -h/--help first. */
void berth_cli_options_print(FILE *fp, const struct berth_cli_option *options);

#endif /* BERTH_CLI_OPTIONS_H */
