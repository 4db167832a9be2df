/*
 * berth's entry point: global options, the table of commands, the usage text
 * built from that table, and the one place errors are reported.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cli/cmd.h"
#include "core/log.h"
#include "core/output.h"
#include "core/util.h"

/* Every command berth has; the usage and 'berth help' are built from it. */
static const struct berth_command commands[] = {
	{ .name = "apply", .args = "-i INVENTORY [--limit PATTERN] [--plan FILE] [--yes] [--json]",
	  .summary = "change the hosts to match the inventory, then verify",
	  .options = berth_cmd_apply_options, .run = berth_cmd_apply },
	{ .name = "facts", .args = "-i INVENTORY [--limit PATTERN] [-o FILE]",
	  .summary = "gather what every host really looks like, as JSON",
	  .options = berth_cmd_facts_options, .run = berth_cmd_facts },
	{ .name = "help", .args = "[COMMAND]",
	  .summary = "show the usage of berth or of one command",
	  .options = berth_cmd_help_options, .run = berth_cmd_help },
	{ .name = "plan", .args = "-i INVENTORY [--limit PATTERN] [--facts FILE] [--json]",
	  .summary = "show the steps that would make the hosts match the inventory",
	  .options = berth_cmd_plan_options, .run = berth_cmd_plan },
	{ .name = "validate", .args = "-i INVENTORY [--limit PATTERN] [--json]",
	  .summary = "check an inventory and report every problem in it",
	  .options = berth_cmd_validate_options, .run = berth_cmd_validate },
	{ .name = "version", .args = "",
	  .summary = "print the version of berth",
	  .options = berth_cmd_version_options, .run = berth_cmd_version },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct berth_cli_option global_options[] = {
	{ 'V', "version", NULL, "print the version and exit" },
	{ 'v', "verbose", NULL, "log more: -v info, -vv debug with times, -vvv trace" },
	{ 0, NULL, NULL, NULL },
};

const struct berth_command *
berth_command_find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (berth_streq(commands[i].name, name))
			return &commands[i];
	}
	return NULL;
}

const struct berth_command *
berth_command_lookup(const char *name, struct berth_error **err)
{
	const struct berth_command *cmd = berth_command_find(name);
	const char *names[N_COMMANDS];
	const char *closest;

	if (cmd != NULL)
		return cmd;
	for (size_t i = 0; i < N_COMMANDS; i++)
		names[i] = commands[i].name;
	closest = berth_suggest(name, names, N_COMMANDS);
	if (closest != NULL)
		berth_error_set(err, BERTH_ERROR_USAGE,
				"unknown command '%s' (did you mean '%s'?)", name, closest);
	else
		berth_error_set(err, BERTH_ERROR_USAGE, "unknown command '%s'", name);
	return NULL;
}

/* "version" or "help [COMMAND]": the command as its usage line shows it. */
static int
command_synopsis(FILE *fp, const struct berth_command *cmd, int width)
{
	int len = (int)strlen(cmd->name);

	if (cmd->args[0] != '\0')
		len += 1 + (int)strlen(cmd->args);
	if (fp != NULL)
		fprintf(fp, "  %s%s%s%*s  %s\n", cmd->name, cmd->args[0] ? " " : "",
			cmd->args, width - len, "", cmd->summary);
	return len;
}

void
berth_usage_print(FILE *fp)
{
	int width = 0;

	fputs("usage: berth [OPTIONS] COMMAND [ARGS]\n"
	      "\n"
	      "Keep a fleet of KVM hosts in the state a YAML inventory describes.\n"
	      "\n"
	      "Options:\n", fp);
	berth_cli_options_print(fp, global_options);
	fputs("\nCommands:\n", fp);
	for (size_t i = 0; i < N_COMMANDS; i++) {
		int len = command_synopsis(NULL, &commands[i], 0);

		if (len > width)
			width = len;
	}
	for (size_t i = 0; i < N_COMMANDS; i++)
		command_synopsis(fp, &commands[i], width);
	fputs("\nSee 'berth help COMMAND' for the options of one command.\n", fp);
}

void
berth_command_usage_print(FILE *fp, const struct berth_command *cmd)
{
	fprintf(fp, "berth %s: %s\n\nusage: berth %s [OPTIONS]%s%s\n\nOptions:\n",
		cmd->name, cmd->summary, cmd->name, cmd->args[0] ? " " : "", cmd->args);
	berth_cli_options_print(fp, cmd->options);
}

static void
print_command_usage(const void *cmd)
{
	berth_command_usage_print(stdout, cmd);
}

void
berth_command_getopt_init(struct berth_cli_getopt *g, const struct berth_command *cmd,
			  int argc, char **argv)
{
	berth_cli_getopt_init(g, cmd->name, cmd->options, argc, argv, false);
	g->help = print_command_usage;
	g->help_data = cmd;
}

int
berth_command_options_end(const struct berth_command *cmd, const struct berth_cli_getopt *g,
			  int c, bool need_inventory, const char *inventory,
			  struct berth_error **err)
{
	if (c != BERTH_CLI_OPT_END)
		return berth_cli_getopt_stopped(c);
	if (berth_cli_getopt_operands(g, 0, 0, err) < 0)
		return -1;
	if (need_inventory && inventory == NULL) {
		berth_error_set(err, BERTH_ERROR_USAGE,
				"missing option '--inventory' for command '%s'", cmd->name);
		return -1;
	}
	return 1;
}

/* Prints err as "berth: MESSAGE" and returns the exit status it calls for. */
static int
report(const struct berth_command *cmd, const struct berth_error *err)
{
	fprintf(stderr, "berth: %s\n", berth_error_message(err));
	if (berth_error_kind(err) == BERTH_ERROR_USAGE) {
		/* 'berth help NAME' cannot help with an unknown NAME given to help. */
		if (cmd != NULL && !berth_streq(cmd->name, "help"))
			fprintf(stderr, "see 'berth help %s'\n", cmd->name);
		else
			fputs("see 'berth --help'\n", stderr);
	}
	return berth_error_exit_code(err);
}

/* Runs cmd and reports how it went; returns the exit status. */
static int
run(const struct berth_command *cmd, int argc, char **argv)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	int rc, code;

	berth_log_debug("berth %s: running command '%s'", BERTH_VERSION, cmd->name);
	rc = cmd->run(cmd, argc, argv, &err);
	if (err != NULL) {
		code = report(cmd, err);
		return rc > 0 ? rc : code;
	}

	/* Output that never reached its file is a failure, not a success. */
	if (berth_out_flush_stream(stdout, "standard output", &err) < 0)
		return report(cmd, err);
	return rc > 0 ? rc : 0;
}

/* Runs the command name with no arguments: what -h and -V stand for. */
static int
run_alone(const char *name)
{
	char *argv[] = { (char *)name, NULL };

	return run(berth_command_find(name), 1, argv);
}

int
main(int argc, char **argv)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	const struct berth_command *cmd;
	struct berth_cli_getopt opt;
	int verbosity = 0;
	int c;

	/*
	 * A reader that goes away (berth apply | head) must not kill berth
	 * between two steps of an apply: writes fail with EPIPE instead, apply
	 * goes on with its steps, and the failed output is reported at the end
	 * ("berth: cannot write standard output: Broken pipe", exit 1).  berth
	 * runs no programs, so no child inherits SIG_IGN.
	 */
	signal(SIGPIPE, SIG_IGN);
	berth_cli_getopt_init(&opt, NULL, global_options, argc, argv, true);
	while ((c = berth_cli_getopt_next(&opt, &err)) != BERTH_CLI_OPT_END) {
		switch (c) {
		case 'h':
			return run_alone("help");
		case 'V':
			return run_alone("version");
		case 'v':
			verbosity++;
			break;
		default:
			return report(NULL, err);
		}
	}
	berth_log_set_level(berth_log_level_from_verbosity(verbosity));
	berth_log_set_timestamps(verbosity >= 2);

	if (opt.optind == argc) {
		berth_usage_print(stderr);
		return 2;
	}
	cmd = berth_command_lookup(argv[opt.optind], &err);
	if (cmd == NULL)
		return report(NULL, err);
	return run(cmd, argc - opt.optind, argv + opt.optind);
}
