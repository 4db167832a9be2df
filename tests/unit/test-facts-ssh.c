/*
 * executors/facts-ssh.c: the one shell script sent to each host and the
 * parsing of what it prints, through fake transports (no host needed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "executors/facts/facts.h"

/* An inventory with hosts h1 and h3; h3 serves two exports, h1 none. */
static struct berth_inventory *
inventory(const char *export_path)
{
	struct berth_inventory *inv = xcalloc(1, sizeof(*inv));

	inv->path = xstrdup("inventory.yaml");
	inv->n_hosts = 2;
	inv->hosts = xcalloc(2, sizeof(*inv->hosts));
	for (size_t i = 0; i < 2; i++) {
		struct berth_host *h = &inv->hosts[i];

		h->name = xstrdup(i == 0 ? "h1" : "h3");
		h->address = xasprintf("%s.lab", h->name);
		h->user = xstrdup("root");
		h->port = 22;
	}
	inv->n_storage = 2;
	inv->storage = xcalloc(2, sizeof(*inv->storage));
	inv->storage[0] = (struct berth_storage){
		.name = xstrdup("share"), .server = xstrdup("h3"), .export_path = xstrdup(export_path),
	};
	inv->storage[1] = (struct berth_storage){
		.name = xstrdup("gone"), .server = xstrdup("h3"),
		.export_path = xstrdup("/nonexistent/berth-test-export"),
	};
	return inv;
}

/* What a lab host prints, out of order where order must not matter. */
static const char lab_output[] =
	"@@berth-facts hostname\n"
	"h3\n"
	"@@berth-facts fqdn\n"
	"h3.lab\n"
	"@@berth-facts addresses\n"
	"198.18.0.13\n"
	"10.0.0.3\n"
	"@@berth-facts cpu\n"
	"vendor_id\t: AuthenticAMD\n"
	"flags\t\t: fpu vme nx svmx svm lm\n"
	"@@berth-facts bridges\n"
	"virbr0\n"
	"br0\n"
	"@@berth-facts export /srv/berth-lab/share\n"
	"web2.qcow2\n"
	".hidden\n"
	"web1.qcow2\n"
	"@@berth-facts end\n";

static void
test_ssh_output_parses_every_section(void **state)
{
	struct berth_host_fact h = { 0 };

	(void)state;
	assert_int_equal(berth_facts_parse_ssh_output(lab_output, &h, NULL), 0);
	assert_string_equal(h.hostname, "h3");
	assert_string_equal(h.fqdn, "h3.lab");	/* not known before: taken */
	assert_int_equal(h.n_addresses, 2);
	assert_string_equal(h.addresses[0], "198.18.0.13");	/* resolver order */
	assert_string_equal(h.addresses[1], "10.0.0.3");
	assert_string_equal(h.cpu_vendor, "AuthenticAMD");
	assert_true(h.cpu_nx);
	assert_true(h.cpu_svm);
	assert_false(h.cpu_vmx);				/* "svmx" is not "vmx" */
	assert_int_equal(h.n_bridges, 2);
	assert_string_equal(h.bridges[0], "br0");		/* sorted */
	assert_string_equal(h.bridges[1], "virbr0");
	assert_int_equal(h.n_exports, 1);
	assert_string_equal(h.exports[0].path, "/srv/berth-lab/share");
	assert_int_equal(h.exports[0].n_files, 3);
	assert_string_equal(h.exports[0].files[0], ".hidden");
	assert_string_equal(h.exports[0].files[1], "web1.qcow2");
	assert_string_equal(h.exports[0].files[2], "web2.qcow2");
	berth_host_fact_clear(&h);
}

static void
test_ssh_output_for_another_fqdn_leaves_addresses_to_resolve_again(void **state)
{
	struct berth_host_fact h = { .fqdn = xstrdup("h3.example.org") };

	(void)state;
	assert_int_equal(berth_facts_parse_ssh_output(lab_output, &h, NULL), 1);
	assert_string_equal(h.fqdn, "h3.example.org");
	assert_int_equal(h.n_addresses, 0);
	assert_string_equal(h.hostname, "h3");
	assert_int_equal(h.n_bridges, 2);
	berth_host_fact_clear(&h);
}

static void
test_ssh_output_without_flags_keeps_the_capabilities_flags(void **state)
{
	struct berth_host_fact h = { .cpu_vmx = true, .cpu_nx = true };

	(void)state;
	assert_int_equal(berth_facts_parse_ssh_output("@@berth-facts hostname\nh1\n"
						      "@@berth-facts cpu\n"
						      "@@berth-facts end\n", &h, NULL), 0);
	assert_true(h.cpu_vmx);
	assert_true(h.cpu_nx);
	assert_null(h.cpu_vendor);
	assert_int_equal(h.n_bridges, 0);
	assert_int_equal(h.n_exports, 0);
	berth_host_fact_clear(&h);
}

static void
test_ssh_output_cut_short_is_an_error(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_host_fact h = { 0 };

	(void)state;
	assert_int_equal(berth_facts_parse_ssh_output("@@berth-facts hostname\nh1\n"
						      "@@berth-facts export /x\na\n", &h, &err), -1);
	assert_string_equal(berth_error_message(err),
			    "the facts script stopped before its end marker");
	berth_host_fact_clear(&h);
}

static void
test_ssh_output_bytes_that_are_not_utf8_become_question_marks(void **state)
{
	struct berth_host_fact h = { 0 };

	(void)state;
	assert_int_equal(berth_facts_parse_ssh_output("@@berth-facts export /e\n"
						      "caf\xc3\xa9.img\n"
						      "bad\xff\xfe.img\n"
						      "cut\xe2\x82\n"
						      "@@berth-facts end\n", &h, NULL), 0);
	assert_int_equal(h.exports[0].n_files, 3);
	assert_string_equal(h.exports[0].files[0], "bad??.img");
	assert_string_equal(h.exports[0].files[1], "caf\xc3\xa9.img");
	assert_string_equal(h.exports[0].files[2], "cut??");
	berth_host_fact_clear(&h);
}

static void
test_ssh_script_resolves_the_fqdn_and_lists_only_this_hosts_exports(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = inventory("/srv/it's here");
	BERTH_AUTOFREE char *h1 = berth_facts_ssh_script(inv, &inv->hosts[0], "h1.lab");
	BERTH_AUTOFREE char *h3 = berth_facts_ssh_script(inv, &inv->hosts[1], NULL);

	(void)state;
	assert_non_null(strstr(h1, "fqdn='h1.lab'\n"));
	assert_non_null(strstr(h1, "getent ahostsv4 \"$fqdn\""));
	assert_null(strstr(h1, "@@berth-facts export"));
	assert_non_null(strstr(h3, "fqdn=\"$(hostname -f"));
	assert_non_null(strstr(h3, "ls -1A -- '/srv/it'\\''s here'"));
	assert_non_null(strstr(h3, "/nonexistent/berth-test-export"));
	assert_non_null(strstr(h3, "@@berth-facts end"));
}

/* A fake transport: records each command and answers with canned output. */
struct fake_conn {
	const char *stdout_text;
	const char *stderr_text;
	int status;
	int fail;		/* run fails as a broken connection would */
	int calls;
	char *last_cmd;
	int closed;
};

static int
fake_run(void *conn, const char *cmd, struct berth_buf *out, struct berth_buf *err_out,
	 int *exit_status, struct berth_error **err)
{
	struct fake_conn *fc = conn;

	fc->calls++;
	free(fc->last_cmd);
	fc->last_cmd = xstrdup(cmd);
	if (fc->fail) {
		berth_error_set(err, BERTH_ERROR_HOST, "host 'h3': connection lost");
		return -1;
	}
	berth_buf_add(out, fc->stdout_text);
	berth_buf_add(err_out, fc->stderr_text);
	*exit_status = fc->status;
	return 0;
}

static void
fake_close(void *conn)
{
	((struct fake_conn *)conn)->closed++;
}

static const struct berth_transport_ops fake_ops = { .run = fake_run, .close = fake_close };

static void
test_facts_from_ssh_sends_one_command_through_a_fake_transport(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = inventory("/srv/berth-lab/share");
	struct fake_conn fc = { .stdout_text = lab_output, .stderr_text = "" };
	struct berth_transport t = { .ops = &fake_ops, .conn = &fc };
	struct berth_host_fact h = { .fqdn = xstrdup("h3.lab") };

	(void)state;
	assert_int_equal(berth_facts_from_ssh(&t, inv, &inv->hosts[1], &h, NULL), 0);
	assert_int_equal(fc.calls, 1);
	assert_true(strncmp(fc.last_cmd, "sh -c '", 7) == 0);
	assert_non_null(strstr(fc.last_cmd, "fqdn='\\''h3.lab'\\''"));
	assert_string_equal(h.hostname, "h3");
	assert_int_equal(h.n_exports, 1);
	free(fc.last_cmd);
	berth_host_fact_clear(&h);
}

/* Answers the facts script with lab_output, then a look-up with one address. */
static int
fake_run_then_resolve(void *conn, const char *cmd, struct berth_buf *out,
		      struct berth_buf *err_out, int *exit_status, struct berth_error **err)
{
	struct fake_conn *fc = conn;

	fc->stdout_text = fc->calls == 0 ? lab_output : "192.0.2.7\n@@berth-facts end\n";
	return fake_run(conn, cmd, out, err_out, exit_status, err);
}

static const struct berth_transport_ops fake_resolve_ops = {
	.run = fake_run_then_resolve,
	.close = fake_close,
};

static void
test_facts_from_ssh_resolves_libvirts_fqdn_again_fake_transport(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = inventory("/srv/berth-lab/share");
	struct fake_conn fc = { .stderr_text = "" };
	struct berth_transport t = { .ops = &fake_resolve_ops, .conn = &fc };
	struct berth_host_fact h = { .fqdn = xstrdup("h3.example.org") };

	(void)state;
	/* The host's own name (h3.lab in lab_output) is not libvirt's. */
	assert_int_equal(berth_facts_from_ssh(&t, inv, &inv->hosts[1], &h, NULL), 0);
	assert_int_equal(fc.calls, 2);
	assert_non_null(strstr(fc.last_cmd, "fqdn='\\''h3.example.org'\\''"));
	assert_int_equal(h.n_addresses, 1);
	assert_string_equal(h.addresses[0], "192.0.2.7");
	free(fc.last_cmd);
	berth_host_fact_clear(&h);
}

static void
test_facts_from_ssh_reports_a_failed_script_with_its_status_fake_transport(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = inventory("/srv/berth-lab/share");
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct fake_conn fc = { .stdout_text = "@@berth-facts hostname\n",
				.stderr_text = "\nsh: 1: hostname: not found\nmore\n", .status = 127 };
	struct berth_transport t = { .ops = &fake_ops, .conn = &fc };
	struct berth_host_fact h = { 0 };

	(void)state;
	assert_int_equal(berth_facts_from_ssh(&t, inv, &inv->hosts[1], &h, &err), -1);
	assert_string_equal(berth_error_message(err),
			    "host 'h3': the facts script failed (exit status 127): "
			    "sh: 1: hostname: not found");
	free(fc.last_cmd);
	berth_host_fact_clear(&h);
}

static void
test_facts_from_ssh_passes_on_a_transport_error_fake_transport(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = inventory("/srv/berth-lab/share");
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct fake_conn fc = { .fail = 1 };
	struct berth_transport t = { .ops = &fake_ops, .conn = &fc };
	struct berth_host_fact h = { 0 };

	(void)state;
	assert_int_equal(berth_facts_from_ssh(&t, inv, &inv->hosts[1], &h, &err), -1);
	assert_string_equal(berth_error_message(err), "host 'h3': connection lost");
	free(fc.last_cmd);
	berth_host_fact_clear(&h);
}

/* A fake transport that runs the command in a local /bin/sh instead of a host. */
static int
local_shell_run(void *conn, const char *cmd, struct berth_buf *out, struct berth_buf *err_out,
		int *exit_status, struct berth_error **err)
{
	char chunk[4096];
	size_t n;
	FILE *fp;
	int status;

	(void)conn;
	(void)err_out;
	(void)err;
	fp = popen(cmd, "r");
	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		berth_buf_addn(out, chunk, n);
	status = pclose(fp);
	*exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	return 0;
}

static const struct berth_transport_ops local_shell_ops = {
	.run = local_shell_run,
	.close = fake_close,
};

static void
test_facts_script_runs_in_a_real_shell_fake_local_transport(void **state)
{
	char dir[] = "/tmp/berth-test-export-XXXXXX";
	BERTH_AUTOPTR(berth_inventory) inv = NULL;
	BERTH_AUTOFREE char *f1 = NULL;
	BERTH_AUTOFREE char *f2 = NULL;
	struct berth_transport t = { .ops = &local_shell_ops, .conn = NULL };
	/* localhost resolves from /etc/hosts: no name server is asked. */
	struct berth_host_fact h = { .fqdn = xstrdup("localhost") };
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	f1 = xasprintf("%s/b.qcow2", dir);
	f2 = xasprintf("%s/a file.raw", dir);
	assert_non_null(fp = fopen(f1, "w"));
	fclose(fp);
	assert_non_null(fp = fopen(f2, "w"));
	fclose(fp);
	inv = inventory(dir);
	assert_int_equal(berth_facts_from_ssh(&t, inv, &inv->hosts[1], &h, NULL), 0);
	assert_non_null(h.hostname);
	assert_true(h.n_addresses >= 1);
	assert_string_equal(h.addresses[0], "127.0.0.1");
	/* The export that exists is listed; the one that does not is absent. */
	assert_int_equal(h.n_exports, 1);
	assert_string_equal(h.exports[0].path, dir);
	assert_int_equal(h.exports[0].n_files, 2);
	assert_string_equal(h.exports[0].files[0], "a file.raw");
	assert_string_equal(h.exports[0].files[1], "b.qcow2");
	berth_host_fact_clear(&h);
	unlink(f1);
	unlink(f2);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssh_output_parses_every_section),
		cmocka_unit_test(test_ssh_output_for_another_fqdn_leaves_addresses_to_resolve_again),
		cmocka_unit_test(test_ssh_output_without_flags_keeps_the_capabilities_flags),
		cmocka_unit_test(test_ssh_output_cut_short_is_an_error),
		cmocka_unit_test(test_ssh_output_bytes_that_are_not_utf8_become_question_marks),
		cmocka_unit_test(test_ssh_script_resolves_the_fqdn_and_lists_only_this_hosts_exports),
		cmocka_unit_test(test_facts_from_ssh_sends_one_command_through_a_fake_transport),
		cmocka_unit_test(test_facts_from_ssh_resolves_libvirts_fqdn_again_fake_transport),
		cmocka_unit_test(test_facts_from_ssh_reports_a_failed_script_with_its_status_fake_transport),
		cmocka_unit_test(test_facts_from_ssh_passes_on_a_transport_error_fake_transport),
		cmocka_unit_test(test_facts_script_runs_in_a_real_shell_fake_local_transport),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
