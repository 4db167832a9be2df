/*
 * berth facts -i INVENTORY [-o FILE]: gathers what every host of the
 * inventory looks like and writes it as JSON (docs/facts.md).  A host that
 * cannot be reached is in the JSON with its error, and gets a warning on
 * stderr; only a local failure or a bad inventory makes the command fail.
 */
#include <string.h>

#include "cli/cmd.h"
#include "cli/prepare.h"
#include "core/facts.h"
#include "core/file.h"
#include "parser/inventory.h"

const struct berth_cli_option berth_cmd_facts_options[] = {
	{ 'i', "inventory", "FILE", "the inventory whose hosts to ask (required)" },
	{ 'l', "limit", "PATTERN", "only the hosts and domains PATTERN selects (Ansible's patterns)" },
	{ 'o', "output", "FILE", "write the JSON to FILE instead of standard output" },
	{ 0, NULL, NULL, NULL },
};

/*
 * Writes text and a newline to path, atomically and readable by its owner
 * only (the facts describe the hosts), or to stdout when path is NULL.  A
 * failure reads "cannot write 'PATH': REASON", as tests/e2e/10-facts.sh
 * expects.
 */
static int
write_output(const char *path, const char *text, struct berth_error **err)
{
	BERTH_AUTOFREE char *line = xasprintf("%s\n", text);

	if (path == NULL)
		return berth_file_write_stream(stdout, "standard output", line, strlen(line), err);
	return berth_file_write_atomic(path, NULL, line, strlen(line), 0600, err);
}

int
berth_cmd_facts(const struct berth_command *self, int argc, char **argv,
		struct berth_error **err)
{
	BERTH_AUTOPTR(berth_inventory) inv = NULL;
	BERTH_AUTOPTR(berth_facts) facts = NULL;
	BERTH_AUTOFREE char *json = NULL;
	struct berth_cli_getopt opt;
	const char *inventory = NULL;
	const char *output = NULL;
	const char *limit = NULL;
	int c, end;

	berth_command_getopt_init(&opt, self, argc, argv);
	while ((c = berth_cli_getopt_next(&opt, err)) > 0) {
		switch (c) {
		case 'i':
			inventory = opt.optarg;
			break;
		case 'l':
			limit = opt.optarg;
			break;
		case 'o':
			output = opt.optarg;
			break;
		}
	}
	end = berth_command_options_end(self, &opt, c, true, inventory, err);
	if (end <= 0)
		return end;

	inv = berth_load_inventory_limited(inventory, limit, BERTH_LIMIT_HOSTS, err);
	if (inv == NULL)
		return -1;
	facts = berth_gather_facts(inv, err);
	if (facts == NULL)
		return -1;
	json = berth_facts_to_json(facts);
	return write_output(output, json, err);
}
