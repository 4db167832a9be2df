/* berth validate -i INVENTORY: reads and checks an inventory, changes nothing. */
#include "cli/cmd.h"
#include "parser/inventory.h"

const struct berth_cli_option berth_cmd_validate_options[] = {
	{ 'i', "inventory", "FILE", "the inventory to check (required)" },
	{ 0, NULL, NULL, NULL },
};

int
berth_cmd_validate(const struct berth_command *self, int argc, char **argv,
		   struct berth_error **err)
{
	BERTH_AUTOPTR(berth_inventory) inv = NULL;
	struct berth_cli_getopt opt;
	const char *path = NULL;
	int c, end;

	berth_command_getopt_init(&opt, self, argc, argv);
	while ((c = berth_cli_getopt_next(&opt, err)) > 0) {
		switch (c) {
		case 'i':
			path = opt.optarg;
			break;
		}
	}
	end = berth_command_options_end(self, &opt, c, true, path, err);
	if (end <= 0)
		return end;

	inv = berth_inventory_load(path, err);
	if (inv == NULL)
		return -1;
	printf("inventory '%s' is valid: %zu host%s, %zu storage, %zu domain%s\n", path,
	       inv->n_hosts, inv->n_hosts == 1 ? "" : "s", inv->n_storage,
	       inv->n_domains, inv->n_domains == 1 ? "" : "s");
	return 0;
}
