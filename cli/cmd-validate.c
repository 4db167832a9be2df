/*
 * berth validate -i INVENTORY [--json]: reads and checks an inventory,
 * reports every problem, changes nothing.
 */
#include "cli/cmd.h"
#include "cli/prepare.h"
#include "core/output.h"
#include "parser/inventory.h"
#include "parser/pattern.h"

const struct berth_cli_option berth_cmd_validate_options[] = {
	{ 'i', "inventory", "FILE", "the inventory to check (required)" },
	{ 'l', "limit", "PATTERN", "only the hosts and domains PATTERN selects (Ansible's patterns)" },
	{ 'j', "json", NULL, "print the result as JSON: every problem with its place, or the resolved inventory" },
	{ 0, NULL, NULL, NULL },
};

/* The counts of a valid inventory: "3 hosts, 1 storage, 2 domains". */
static void
print_counts(struct berth_out *out, const struct berth_inventory *inv)
{
	berth_out_uint(out, "hosts", "%llu host", inv->n_hosts);
	berth_out_text(out, "%s", inv->n_hosts == 1 ? ", " : "s, ");
	berth_out_uint(out, "storage", "%llu storage, ", inv->n_storage);
	berth_out_uint(out, "domains", "%llu domain", inv->n_domains);
	berth_out_text(out, "%s", inv->n_domains == 1 ? "\n" : "s\n");
}

/*
 * --json: one document on standard output, valid or not: {"inventory",
 * "valid", "problems": [{"file", "line", "column", "message"}],
 * "problems_total", and the counts and the resolved "model" when valid, or
 * "error" when the file could not be read}.  Exits 2 when the inventory is
 * not valid.
 */
static int
validate_json(const char *path, const char *limit, struct berth_error **err)
{
	struct berth_problems problems = BERTH_PROBLEMS_INIT;
	BERTH_AUTOPTR(berth_error) why = NULL;
	BERTH_AUTOPTR(berth_limit) parsed = limit != NULL ? berth_limit_parse(limit, err) : NULL;
	BERTH_AUTOPTR(berth_inventory) inv = NULL;
	struct berth_out *out;
	int rc;

	if (limit != NULL && parsed == NULL)
		return -1;
	inv = berth_inventory_read(path, &problems, &why);
	/* A pattern that selects nothing is the error, as without --json. */
	if (inv != NULL && parsed != NULL &&
	    berth_inventory_limit_domains(inv, parsed, limit, err) < 0) {
		berth_problems_release(&problems);
		return -1;
	}
	out = berth_out_new(stdout, BERTH_OUT_JSON);

	berth_out_string(out, "inventory", NULL, path);
	berth_out_bool(out, "valid", NULL, inv != NULL);
	if (inv != NULL) {
		print_counts(out, inv);
		berth_out_open_object(out, "model");
		berth_inventory_print(out, inv);
		berth_out_close_object(out);
	} else if (problems.n == 0)
		berth_out_string(out, "error", NULL, berth_error_message(why));
	berth_out_open_array(out, "problems");
	for (size_t i = 0; i < problems.n; i++) {
		const struct berth_problem *pr = &problems.items[i];

		berth_out_open_object(out, NULL);
		berth_out_string(out, "file", NULL, pr->file);
		berth_out_uint(out, "line", NULL, pr->loc.line);
		berth_out_uint(out, "column", NULL, pr->loc.column);
		berth_out_string(out, "message", NULL, pr->message);
		berth_out_close_object(out);
	}
	berth_out_close_array(out);
	berth_out_uint(out, "problems_total", NULL, berth_problems_total(&problems));
	berth_problems_release(&problems);
	rc = berth_out_finish(out, err);
	berth_out_free(out);
	if (rc < 0)
		return -1;
	return inv != NULL ? 0 : 2;
}

int
berth_cmd_validate(const struct berth_command *self, int argc, char **argv,
		   struct berth_error **err)
{
	BERTH_AUTOPTR(berth_inventory) inv = NULL;
	struct berth_cli_getopt opt;
	struct berth_out *out;
	const char *path = NULL;
	const char *limit = NULL;
	bool json = false;
	int c, end, rc;

	berth_command_getopt_init(&opt, self, argc, argv);
	while ((c = berth_cli_getopt_next(&opt, err)) > 0) {
		switch (c) {
		case 'i':
			path = opt.optarg;
			break;
		case 'l':
			limit = opt.optarg;
			break;
		case 'j':
			json = true;
			break;
		}
	}
	end = berth_command_options_end(self, &opt, c, true, path, err);
	if (end <= 0)
		return end;
	if (json)
		return validate_json(path, limit, err);

	inv = berth_load_inventory_limited(path, limit, BERTH_LIMIT_DOMAINS, err);
	if (inv == NULL)
		return -1;
	out = berth_out_new(stdout, BERTH_OUT_TEXT);
	berth_out_string(out, NULL, "inventory '%s' is valid: ", path);
	print_counts(out, inv);
	rc = berth_out_finish(out, err);
	berth_out_free(out);
	return rc;
}
