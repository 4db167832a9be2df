/* Command-line options from one table: see options.h. */
#include "cli/options.h"

#include <assert.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/util.h"

static const struct berth_cli_option help_option = {
	'h', "help", NULL, "show this help and exit",
};

static bool
is_short(int val)
{
	return val > 0 && val < 128;
}

static void
add_option(struct berth_cli_getopt *g, size_t i, const struct berth_cli_option *o)
{
	assert(i < BERTH_CLI_MAX_OPTIONS + 1);
	g->longopts[i] = (struct option){
		.name = o->name,
		.has_arg = o->arg != NULL ? required_argument : no_argument,
		.flag = NULL,
		.val = o->val,
	};
	if (is_short(o->val)) {
		size_t len = strlen(g->optstring);

		g->optstring[len++] = (char)o->val;
		if (o->arg != NULL)
			g->optstring[len++] = ':';
		g->optstring[len] = '\0';
	}
}

void
berth_cli_getopt_init(struct berth_cli_getopt *g, const char *command,
		      const struct berth_cli_option *options,
		      int argc, char **argv, bool stop_at_operand)
{
	size_t n = 0;

	memset(g, 0, sizeof(*g));
	g->argc = argc;
	g->argv = argv;
	g->command = command;
	/* "+": stop at the first operand; ":": report a missing argument as ':'. */
	strcpy(g->optstring, stop_at_operand ? "+:" : ":");
	add_option(g, n++, &help_option);
	for (const struct berth_cli_option *o = options; o->name != NULL; o++) {
		assert(o->val != 'h' && o->val != '?' && o->val != ':');
		add_option(g, n++, o);
	}

	/* 0, not 1: makes glibc forget the state of the previous parse. */
	optind = 0;
	opterr = 0;
}

/* The option as typed, without any "=value": "--json" of "--json=1". */
static char *
typed_long_option(const char *arg)
{
	return xstrndup(arg, strcspn(arg, "="));
}

/* How many long options start with prefix (typed without "--"). */
static int
count_prefixed(const struct berth_cli_getopt *g, const char *prefix)
{
	size_t len = strlen(prefix);
	int n = 0;

	for (const struct option *o = g->longopts; o->name != NULL; o++) {
		if (strncmp(o->name, prefix, len) == 0)
			n++;
	}
	return n;
}

/* " (did you mean '--json'?)" when a long option is close to typed, or "". */
static char *
long_option_hint(const struct berth_cli_getopt *g, const char *typed)
{
	const char *names[BERTH_CLI_MAX_OPTIONS + 1];
	const char *closest;
	size_t n = 0;

	for (const struct option *o = g->longopts; o->name != NULL; o++)
		names[n++] = o->name;
	closest = berth_suggest(typed, names, n);
	return closest != NULL ? xasprintf(" (did you mean '--%s'?)", closest) : xstrdup("");
}

static void
option_error(const struct berth_cli_getopt *g, int c, struct berth_error **err)
{
	const char *last = g->argv[optind - 1];
	BERTH_AUTOFREE char *option = NULL;
	BERTH_AUTOFREE char *where = NULL;

	where = g->command != NULL ? xasprintf(" for command '%s'", g->command) : xstrdup("");

	/*
	 * glibc leaves these clues: optopt is 0 for an unknown long option,
	 * the option's val for a long option given an argument it does not
	 * take, and the letter for short options; a long option has already
	 * been stepped over, so it is argv[optind - 1].
	 */
	if (c == ':') {
		if (strncmp(last, "--", 2) == 0)
			option = typed_long_option(last);
		else
			option = xasprintf("-%c", optopt);
		berth_error_set(err, BERTH_ERROR_USAGE,
				"option '%s' needs an argument%s", option, where);
	} else if (optopt != 0 && (!is_short(optopt) || strchr(g->optstring, optopt) != NULL)) {
		option = typed_long_option(last);
		berth_error_set(err, BERTH_ERROR_USAGE,
				"option '%s' takes no argument%s", option, where);
	} else if (optopt != 0) {
		option = xasprintf("-%c", optopt);
		berth_error_set(err, BERTH_ERROR_USAGE,
				"unknown option '%s'%s", option, where);
	} else {
		BERTH_AUTOFREE char *hint = NULL;

		option = typed_long_option(last);
		if (count_prefixed(g, option + 2) > 1) {
			berth_error_set(err, BERTH_ERROR_USAGE,
					"option '%s' is ambiguous%s", option, where);
			return;
		}
		hint = long_option_hint(g, option + 2);
		berth_error_set(err, BERTH_ERROR_USAGE,
				"unknown option '%s'%s%s", option, where, hint);
	}
}

int
berth_cli_getopt_next(struct berth_cli_getopt *g, struct berth_error **err)
{
	int c = getopt_long(g->argc, g->argv, g->optstring, g->longopts, NULL);

	g->optind = optind;
	g->optarg = optarg;
	if (c == '?' || c == ':') {
		option_error(g, c, err);
		return BERTH_CLI_OPT_ERROR;
	}
	if (c == 'h' && g->help != NULL) {
		g->help(g->help_data);
		return BERTH_CLI_OPT_HELP;
	}
	return c;
}

int
berth_cli_getopt_stopped(int c)
{
	assert(c == BERTH_CLI_OPT_HELP || c == BERTH_CLI_OPT_ERROR);
	return c == BERTH_CLI_OPT_HELP ? 0 : -1;
}

int
berth_cli_getopt_operands(const struct berth_cli_getopt *g, int min, int max,
			  struct berth_error **err)
{
	int n = g->argc - g->optind;
	const char *command = g->command != NULL ? g->command : "berth";

	if (n > max) {
		berth_error_set(err, BERTH_ERROR_USAGE,
				"unexpected argument '%s' for command '%s'",
				g->argv[g->optind + max], command);
		return -1;
	}
	if (n < min) {
		berth_error_set(err, BERTH_ERROR_USAGE,
				"missing argument for command '%s'", command);
		return -1;
	}
	return n;
}

/*
 * Prints the help line of o with its left column width wide, or only
 * measures it when fp is NULL.  Returns the width o's left column needs.
 */
static int
option_row(FILE *fp, struct berth_buf *sb, const struct berth_cli_option *o, int width)
{
	berth_buf_reset(sb);
	if (is_short(o->val))
		berth_buf_addf(sb, "-%c, ", o->val);
	else
		berth_buf_add(sb, "    ");
	berth_buf_addf(sb, "--%s", o->name);
	if (o->arg != NULL)
		berth_buf_addf(sb, "=%s", o->arg);
	if (fp != NULL)
		fprintf(fp, "  %-*s  %s\n", width, sb->buf, o->help);
	return (int)sb->len;
}

/* The widest left column of all rows (fp NULL), or prints them all. */
static int
option_rows(FILE *fp, const struct berth_cli_option *options, int width)
{
	BERTH_AUTOBUF struct berth_buf sb = BERTH_BUF_INIT;
	int widest = option_row(fp, &sb, &help_option, width);

	for (const struct berth_cli_option *o = options; o->name != NULL; o++) {
		int w = option_row(fp, &sb, o, width);

		if (w > widest)
			widest = w;
	}
	return widest;
}

void
berth_cli_options_print(FILE *fp, const struct berth_cli_option *options)
{
	option_rows(fp, options, option_rows(NULL, options, 0));
}
