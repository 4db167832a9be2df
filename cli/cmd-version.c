/* berth version [--json]: berth's version, as text or JSON. */
#include "config.h"
#include "cli/cmd.h"
#include "core/output.h"

const struct berth_cli_option berth_cmd_version_options[] = {
	{ 'j', "json", NULL, "print {\"version\": \"X.Y.Z\"} as JSON" },
	{ 0, NULL, NULL, NULL },
};

int
berth_cmd_version(const struct berth_command *self, int argc, char **argv,
		  struct berth_error **err)
{
	BERTH_AUTOPTR(berth_out) out = NULL;
	struct berth_cli_getopt opt;
	bool json = false;
	int c;

	berth_command_getopt_init(&opt, self, argc, argv);
	while ((c = berth_cli_getopt_next(&opt, err)) > 0) {
		switch (c) {
		case 'j':
			json = true;
			break;
		}
	}
	if (c != BERTH_CLI_OPT_END)
		return berth_cli_getopt_stopped(c);
	if (berth_cli_getopt_operands(&opt, 0, 0, err) < 0)
		return -1;

	out = berth_out_new(stdout, json ? BERTH_OUT_JSON : BERTH_OUT_TEXT);
	berth_out_string(out, "version", "berth %s\n", BERTH_VERSION);
	return berth_out_finish(out, err);
}
