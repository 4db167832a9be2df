/*
 * berth plan -i INVENTORY [--facts FILE] [--json] [--out FILE]
 *            [--detailed-exitcode]
 * The steps that would take the hosts to the inventory, changing nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cmd.h"
#include "cli/prepare.h"
#include "core/file.h"

enum { OPT_DETAILED = 256, OPT_FACTS };

const struct berth_cli_option berth_cmd_plan_options[] = {
	{ 'i', "inventory", "FILE", "the inventory to plan for (required)" },
	{ 'l', "limit", "PATTERN", "only the hosts and domains PATTERN selects (Ansible's patterns)" },
	{ OPT_FACTS, "facts", "FILE", "plan from facts saved by 'berth facts -o' (offline)" },
	{ 'j', "json", NULL, "print the plan as JSON (docs/plan.md)" },
	{ 'o', "out", "FILE", "also save the plan as JSON, for 'berth apply --plan'" },
	{ OPT_DETAILED, "detailed-exitcode", NULL,
	  "exit 0 with no changes, 2 with changes, 1 on any error" },
	{ 0, NULL, NULL, NULL },
};

/*
 * p's plan rendered in mode, as a string the caller frees; *len is its
 * length.  Returns NULL with *err set if it cannot be rendered.
 */
static char *
render(const struct berth_prepared *p, enum berth_out_mode mode, size_t *len,
       struct berth_error **err)
{
	char *text = NULL;
	FILE *fp = open_memstream(&text, len);
	int rc;

	if (fp == NULL)
		berth_oom();
	rc = berth_prepared_print(p, fp, mode, err);
	if (fclose(fp) != 0 && rc == 0) {
		berth_error_set_errno(err, BERTH_ERROR_SYSTEM, errno, "cannot render the plan");
		rc = -1;
	}
	if (rc < 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Saves p's plan as JSON at path, atomically, readable by its owner only. */
static int
save_plan(const char *path, const struct berth_prepared *p, struct berth_error **err)
{
	size_t len;
	BERTH_AUTOFREE char *json = render(p, BERTH_OUT_JSON, &len, err);

	if (json == NULL)
		return -1;
	return berth_file_write_atomic(path, "plan", json, len, 0600, err);
}

/* Prints p's plan on standard output, naming it if that fails (a closed pipe). */
static int
print_plan(const struct berth_prepared *p, enum berth_out_mode mode, struct berth_error **err)
{
	size_t len;
	BERTH_AUTOFREE char *text = render(p, mode, &len, err);

	if (text == NULL)
		return -1;
	return berth_file_write_stream(stdout, "standard output", text, len, err);
}

int
berth_cmd_plan(const struct berth_command *self, int argc, char **argv,
	       struct berth_error **err)
{
	const char *inventory = NULL, *facts = NULL, *save = NULL, *limit = NULL;
	struct berth_prepared p;
	struct berth_cli_getopt opt;
	bool json = false, detailed = false;
	int c, end, rc;

	berth_command_getopt_init(&opt, self, argc, argv);
	while ((c = berth_cli_getopt_next(&opt, err)) > 0) {
		switch (c) {
		case 'i':
			inventory = opt.optarg;
			break;
		case 'l':
			limit = opt.optarg;
			break;
		case OPT_FACTS:
			facts = opt.optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'o':
			save = opt.optarg;
			break;
		case OPT_DETAILED:
			detailed = true;
			break;
		}
	}
	end = berth_command_options_end(self, &opt, c, true, inventory, err);
	if (end <= 0)
		return end;

	if (berth_prepare(inventory, limit, facts, &p, err) < 0)
		return detailed ? 1 : -1;
	rc = print_plan(&p, json ? BERTH_OUT_JSON : BERTH_OUT_TEXT, err);
	/* The saved plan does not depend on a reader of the output (| head). */
	if (save != NULL && save_plan(save, &p, err) < 0)
		rc = -1;
	if (rc == 0 && detailed)
		rc = berth_plan_has_changes(p.plan) ? 2 : 0;
	else if (rc < 0 && detailed)
		rc = 1;
	berth_prepared_release(&p);
	return rc;
}
