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
	int c, end;

	berth_command_getopt_init(&opt, self, argc, argv);
	while ((c = berth_cli_getopt_next(&opt, err)) > 0) {
		switch (c) {
		case 'j':
			json = true;
			break;
		}
	}
	end = berth_command_options_end(self, &opt, c, false, NULL, err);
	if (end <= 0)
		return end;

	out = berth_out_new(stdout, json ? BERTH_OUT_JSON : BERTH_OUT_TEXT);
	berth_out_string(out, "version", "berth %s\n", BERTH_VERSION);
	return berth_out_finish(out, err);
}
