/* berth help [COMMAND]: the usage of berth, or of one command. */
#include "cli/cmd.h"

const struct berth_cli_option berth_cmd_help_options[] = {
	{ 0, NULL, NULL, NULL },
};

int
berth_cmd_help(const struct berth_command *self, int argc, char **argv,
	       struct berth_error **err)
{
	const struct berth_command *cmd;
	struct berth_cli_getopt opt;
	int c;

	/* No options of its own: only -h/--help, handled by the parser. */
	berth_command_getopt_init(&opt, self, argc, argv);
	c = berth_cli_getopt_next(&opt, err);
	if (c != BERTH_CLI_OPT_END)
		return berth_cli_getopt_stopped(c);

	switch (berth_cli_getopt_operands(&opt, 0, 1, err)) {
	case 0:
		berth_usage_print(stdout);
		return 0;
	case 1:
		cmd = berth_command_lookup(argv[opt.optind], err);
		if (cmd == NULL)
			return -1;
		berth_command_usage_print(stdout, cmd);
		return 0;
	default:
		return -1;
	}
}
