/*
 * executors/facts-ssh.c: the one shell script sent to each host, the
 * framing of what it prints and the parsing of it, through fake transports
 * (no host needed) and through this machine's /bin/sh, against directories
 * of hostile file names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "core/remote.h"
#include "core/util.h"
#include "executors/facts/facts.h"

/* The nonce of the outputs written here; fakes put the run's in its place. */
#define NONCE "0123456789abcdef0123456789abcdef"
#define HEADER "@@berth-facts " NONCE " "
#define BEGIN HEADER "begin\n"
#define END HEADER "end\n"
#define NO_MORE ((const char *)NULL)

/* The records every output has, for h1 without CPU lines. */
#define REQUIRED_NAMES HEADER "hostname 2\nh1\n" HEADER "fqdn 6\nh1.lab\n"
#define REQUIRED_REST HEADER "addresses 0\n\n" HEADER "vendor 0\n\n" HEADER "flags 0\n\n"
#define REQUIRED REQUIRED_NAMES REQUIRED_REST

/* The byte offset in an output of what follows the literal prefix. */
#define AFTER(prefix) (sizeof(prefix) - 1)

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

static void
add_record(struct berth_buf *b, const char *tag, const char *value, size_t len)
{
	berth_buf_addf(b, HEADER "%s %zu\n", tag, len);
	berth_buf_addn(b, value, len);
	berth_buf_addch(b, '\n');
}

/* An output framed as the script frames it: tag, value pairs up to NO_MORE. */
static char *
framed(const char *tag, ...)
{
	struct berth_buf b = BERTH_BUF_INIT;
	va_list ap;

	berth_buf_add(&b, BEGIN);
	va_start(ap, tag);
	for (; tag != NULL; tag = va_arg(ap, const char *)) {
		const char *value = va_arg(ap, const char *);

		add_record(&b, tag, value, strlen(value));
	}
	va_end(ap);
	berth_buf_add(&b, END);
	return berth_buf_detach(&b);
}

/* What a lab host prints, out of order where order must not matter. */
static char *
lab_output(void)
{
	return framed("hostname", "h3", "fqdn", "h3.lab", "addresses", "198.18.0.13\n10.0.0.3",
		      "vendor", "vendor_id\t: AuthenticAMD",
		      "flags", "flags\t\t: fpu vme nx svmx svm lm",
		      "bridge", "virbr0", "bridge", "br0",
		      "export", "/srv/berth-lab/share",
		      "file", "web2.qcow2", "file", ".hidden", "file", "web1.qcow2", NO_MORE);
}

/* Warnings logged while a test runs. */
struct capture {
	FILE *fp;
	char *text;
	size_t size;
};

static void
capture_start(struct capture *c)
{
	c->fp = open_memstream(&c->text, &c->size);
	assert_non_null(c->fp);
	berth_log_set_output(c->fp);
}

/* What was logged, owned by c until capture_end(). */
static const char *
capture_text(struct capture *c)
{
	fflush(c->fp);
	return c->text;
}

static void
capture_end(struct capture *c)
{
	berth_log_set_output(NULL);
	fclose(c->fp);
	free(c->text);
}

static void
test_ssh_output_parses_every_record(void **state)
{
	BERTH_AUTOFREE char *out = lab_output();
	struct berth_host_fact h = { 0 };

	(void)state;
	assert_int_equal(berth_facts_parse_ssh_output(out, &h, NULL), 0);
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
	BERTH_AUTOFREE char *out = lab_output();
	struct berth_host_fact h = { .fqdn = xstrdup("h3.example.org") };

	(void)state;
	assert_int_equal(berth_facts_parse_ssh_output(out, &h, NULL), 1);
	assert_string_equal(h.fqdn, "h3.example.org");
	assert_int_equal(h.n_addresses, 0);
	assert_string_equal(h.hostname, "h3");
	assert_int_equal(h.n_bridges, 2);
	berth_host_fact_clear(&h);
}

static void
test_ssh_output_without_cpuinfo_lines_keeps_the_capabilities_cpu(void **state)
{
	struct berth_host_fact h = { .cpu_vmx = true, .cpu_nx = true,
				     .cpu_vendor = xstrdup("Intel") };

	(void)state;
	assert_int_equal(berth_facts_parse_ssh_output(BEGIN REQUIRED END, &h, NULL), 0);
	assert_true(h.cpu_vmx);
	assert_true(h.cpu_nx);
	assert_string_equal(h.cpu_vendor, "Intel");
	assert_int_equal(h.n_bridges, 0);
	assert_int_equal(h.n_exports, 0);
	berth_host_fact_clear(&h);
}

static void
test_ssh_output_cut_anywhere_is_an_error(void **state)
{
	BERTH_AUTOFREE char *out = lab_output();
	size_t len = strlen(out);

	(void)state;
	for (size_t cut = 0; cut < len; cut++) {
		BERTH_AUTOPTR(berth_error) err = NULL;
		BERTH_AUTOFREE char *part = xstrndup(out, cut);
		struct berth_host_fact h = { 0 };

		assert_int_equal(berth_facts_parse_ssh_output(part, &h, &err), -1);
		assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
		if (cut == len - 1 || cut == AFTER(BEGIN))
			assert_string_equal(berth_error_message(err),
					    "the facts script stopped before its end marker");
		berth_host_fact_clear(&h);
	}
}

/* An output outside the grammar, and the message (after "facts output at byte AT: "). */
struct bad_output {
	const char *output;
	size_t at;		/* SIZE_MAX: the message has no byte offset */
	const char *message;
};

static const struct bad_output bad_outputs[] = {
	{ "", SIZE_MAX, "the facts script's output does not start with its begin marker" },
	{ "Welcome to h1!\n" BEGIN REQUIRED END, SIZE_MAX,
	  "the facts script's output does not start with its begin marker" },
	{ "@@berth-facts 0123 begin\n" REQUIRED END, SIZE_MAX,
	  "the facts script's output does not start with its begin marker" },
	{ "@@berth-facts 0123456789ABCDEF0123456789ABCDEF begin\n", SIZE_MAX,
	  "the facts script's output does not start with its begin marker" },
	{ BEGIN, SIZE_MAX, "the facts script stopped before its end marker" },
	{ BEGIN REQUIRED HEADER "bridge 999\nbr0\n" END, SIZE_MAX,
	  "the facts script stopped before its end marker" },
	{ BEGIN HEADER "hostname 2\nh1\n" REQUIRED_REST END, SIZE_MAX,
	  "the facts script's output has no 'fqdn' record" },
	{ BEGIN REQUIRED HEADER "hostname 2\nh2\n" END, AFTER(BEGIN REQUIRED),
	  "unexpected 'hostname' record" },
	{ BEGIN REQUIRED HEADER "bridges 3\nbr0\n" END, AFTER(BEGIN REQUIRED),
	  "unknown record 'bridges 3'" },
	{ BEGIN REQUIRED HEADER "begin\n" END, AFTER(BEGIN REQUIRED), "unknown record 'begin'" },
	{ BEGIN REQUIRED HEADER "bridge\x1b[2J 3\nbr0\n" END, AFTER(BEGIN REQUIRED),
	  "unknown record 'bridge\\x1b[2J 3'" },
	{ BEGIN REQUIRED "@@berth-facts ffffffffffffffffffffffffffffffff bridge 3\nbr0\n" END,
	  AFTER(BEGIN REQUIRED),
	  "expected a header of this run, found '@@berth-facts ffffffffffffffffffffffffffffffff bridge 3'" },
	{ BEGIN REQUIRED "@@berth-facts bridges\nfake0\n" END, AFTER(BEGIN REQUIRED),
	  "expected a header of this run, found '@@berth-facts bridges'" },
	{ BEGIN REQUIRED HEADER "bridge 03\nbr0\n" END, AFTER(BEGIN REQUIRED),
	  "the 'bridge' record's length '03' is not a number of bytes" },
	{ BEGIN REQUIRED HEADER "bridge -3\nbr0\n" END, AFTER(BEGIN REQUIRED),
	  "the 'bridge' record's length '-3' is not a number of bytes" },
	{ BEGIN REQUIRED HEADER "bridge 3 \nbr0\n" END, AFTER(BEGIN REQUIRED),
	  "the 'bridge' record's length '3 ' is not a number of bytes" },
	{ BEGIN REQUIRED HEADER "bridge 2\nbr0\n" END, AFTER(BEGIN REQUIRED),
	  "the 'bridge' record of 2 bytes does not end in a newline" },
	{ BEGIN REQUIRED END "x", AFTER(BEGIN REQUIRED END), "more output after the end marker" },
	{ BEGIN REQUIRED END END, AFTER(BEGIN REQUIRED END), "more output after the end marker" },
	{ BEGIN REQUIRED HEADER "file 1\na\n" END, AFTER(BEGIN REQUIRED),
	  "a 'file' record before any 'export' record" },
	{ BEGIN REQUIRED HEADER "export 2\n/e\n" HEADER "file 3\na/b\n" END,
	  AFTER(BEGIN REQUIRED HEADER "export 2\n/e\n"), "the 'file' record 'a/b' is not a name" },
	{ BEGIN REQUIRED HEADER "export 2\n/e\n" HEADER "file 2\n..\n" END,
	  AFTER(BEGIN REQUIRED HEADER "export 2\n/e\n"), "the 'file' record '..' is not a name" },
	{ BEGIN REQUIRED HEADER "bridge 0\n\n" END, AFTER(BEGIN REQUIRED),
	  "the 'bridge' record '' is not a name" },
	{ BEGIN REQUIRED HEADER "export 2\n/e\n" HEADER "lease 16\na.berth-lease/h1\n" END,
	  AFTER(BEGIN REQUIRED HEADER "export 2\n/e\n"),
	  "a 'lease' record not after its file's record" },
	{ BEGIN REQUIRED HEADER "export 2\n/e\n" HEADER "file 1\na\n" HEADER "lease 4\na/h1\n" END,
	  AFTER(BEGIN REQUIRED HEADER "export 2\n/e\n" HEADER "file 1\na\n"),
	  "the 'lease' record 'a/h1' is not NAME.berth-lease/HOST" },
	{ BEGIN REQUIRED HEADER "export 2\n/e\n" HEADER "file 13\na.berth-lease\n"
	  HEADER "lease 14\na.berth-lease/\n" END,
	  AFTER(BEGIN REQUIRED HEADER "export 2\n/e\n" HEADER "file 13\na.berth-lease\n"),
	  "the 'lease' record 'a.berth-lease/' is not NAME.berth-lease/HOST" },
	{ BEGIN REQUIRED HEADER "export 2\n/e\n" HEADER "file 13\na.berth-lease\n"
	  HEADER "lease 16\na.berth-lease/h1\n" HEADER "lease 16\na.berth-lease/h2\n" END,
	  AFTER(BEGIN REQUIRED HEADER "export 2\n/e\n" HEADER "file 13\na.berth-lease\n"
		HEADER "lease 16\na.berth-lease/h1\n"),
	  "the lease 'a.berth-lease' is there twice" },
	{ BEGIN REQUIRED HEADER "export 1\ne\n" END, AFTER(BEGIN REQUIRED),
	  "the 'export' record 'e' is not an inventory's export path" },
	{ BEGIN REQUIRED_NAMES HEADER "addresses 12\n10.0.0.1\n::1\n" HEADER "vendor 0\n\n"
	  HEADER "flags 0\n\n" END, AFTER(BEGIN REQUIRED_NAMES),
	  "'::1' in the 'addresses' record is not an IPv4 address" },
	{ BEGIN REQUIRED_NAMES HEADER "addresses 9\n10.0.0.01\n" HEADER "vendor 0\n\n"
	  HEADER "flags 0\n\n" END, AFTER(BEGIN REQUIRED_NAMES),
	  "'10.0.0.01' in the 'addresses' record is not an IPv4 address" },
	{ BEGIN REQUIRED_NAMES HEADER "addresses 0\n\n" HEADER "vendor 12\nGenuineIntel\n"
	  HEADER "flags 0\n\n" END, AFTER(BEGIN REQUIRED_NAMES HEADER "addresses 0\n\n"),
	  "the 'vendor' record 'GenuineIntel' is not a /proc/cpuinfo line" },
};

static void
test_ssh_output_outside_the_grammar_is_rejected_with_its_place(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_outputs) / sizeof(bad_outputs[0]); i++) {
		const struct bad_output *c = &bad_outputs[i];
		BERTH_AUTOPTR(berth_error) err = NULL;
		BERTH_AUTOFREE char *expected = c->at == SIZE_MAX ? xstrdup(c->message)
			: xasprintf("facts output at byte %zu: %s", c->at, c->message);
		struct berth_host_fact h = { 0 };

		assert_int_equal(berth_facts_parse_ssh_output(c->output, &h, &err), -1);
		assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
		assert_string_equal(berth_error_message(err), expected);
		berth_host_fact_clear(&h);
	}
}

static void
test_ssh_output_value_that_looks_like_a_header_is_one_name(void **state)
{
	/* Newlines, old markers and headers with this run's nonce, inside values. */
	static const char forged_file[] = "x\n@@berth-facts bridges\nfake0\n";
	static const char forged_header[] = "y\n" HEADER "bridge 5\nfake1\n" END;
	BERTH_AUTOFREE char *out = framed("hostname", "h1\n" HEADER "flags 9\nflags: vmx",
					  "fqdn", "h1.lab", "addresses", "", "vendor", "",
					  "flags", "flags : nx", "export", "/e",
					  "file", forged_file, "file", forged_header,
					  "file", "new\nline", NO_MORE);
	struct berth_host_fact h = { 0 };

	(void)state;
	assert_int_equal(berth_facts_parse_ssh_output(out, &h, NULL), 0);
	assert_string_equal(h.hostname, "h1\n" HEADER "flags 9\nflags: vmx");
	assert_true(h.cpu_nx);
	assert_false(h.cpu_vmx);
	assert_int_equal(h.n_bridges, 0);
	assert_int_equal(h.exports[0].n_files, 3);
	assert_string_equal(h.exports[0].files[0], "new\nline");
	assert_string_equal(h.exports[0].files[1], forged_file);
	assert_string_equal(h.exports[0].files[2], forged_header);
	berth_host_fact_clear(&h);
}

/* Names that jansson takes and names it does not, one of each kind. */
static const char *const utf8_names[] = {
	"ascii", "\xc2\x80-U+0080", "\xdf\xbf-U+07FF", "\xe0\xa0\x80-U+0800",
	"\xed\x9f\xbf-U+D7FF", "\xee\x80\x80-U+E000", "\xef\xbf\xbf-U+FFFF",
	"\xf0\x90\x80\x80-U+10000", "\xf4\x8f\xbf\xbf-U+10FFFF", "ctl-\x01\x1f\x7f", "caf\xc3\xa9.img",
};

static const char *const not_utf8_names[] = {
	"overlong-\xc0\xaf", "overlong-\xc1\xbf", "overlong-\xe0\x80\xaf", "overlong-\xe0\x9f\xbf",
	"overlong-\xf0\x80\x80\xaf", "overlong-\xf0\x8f\xbf\xbf",
	"surrogate-\xed\xa0\x80", "surrogate-\xed\xbf\xbf",
	"above-\xf4\x90\x80\x80", "above-\xf5\x80\x80\x80", "above-\xf7\xbf\xbf\xbf",
	"continuation-\x80", "continuation-\xbf", "cut-\xe2\x82", "cut-\xf0\x9f\x90",
	"byte-\xfe", "byte-\xff", "five-\xf8\x88\x80\x80\x80",
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void
test_ssh_output_strings_that_are_not_utf8_are_left_out_with_a_warning(void **state)
{
	struct berth_buf out = BERTH_BUF_INIT;
	BERTH_AUTOFREE char *json = NULL;
	struct berth_host_fact h = { .name = xstrdup("h3"), .reachable = true };
	struct berth_facts facts = { .hosts = &h, .n_hosts = 1 };
	struct capture c;

	(void)state;
	berth_buf_add(&out, BEGIN);
	add_record(&out, "hostname", "h\xed\xa0\x80", 4);
	add_record(&out, "fqdn", "h3.lab", 6);
	add_record(&out, "addresses", "", 0);
	add_record(&out, "vendor", "vendor_id : Genuine\xc0\x80", 21);
	add_record(&out, "flags", "", 0);
	add_record(&out, "bridge", "br\xff", 3);
	add_record(&out, "bridge", "br0", 3);
	add_record(&out, "export", "/e", 2);
	for (size_t i = 0; i < N_OF(not_utf8_names); i++)
		add_record(&out, "file", not_utf8_names[i], strlen(not_utf8_names[i]));
	for (size_t i = 0; i < N_OF(utf8_names); i++)
		add_record(&out, "file", utf8_names[i], strlen(utf8_names[i]));
	berth_buf_add(&out, END);

	capture_start(&c);
	assert_int_equal(berth_facts_parse_ssh_output(out.buf, &h, NULL), 0);
	assert_string_equal(capture_text(&c),
			    "berth: warning: host 'h3': left out the hostname 'h\\xed\\xa0\\x80', which is not valid UTF-8\n"
			    "berth: warning: host 'h3': left out the CPU vendor 'Genuine\\xc0\\x80', which is not valid UTF-8\n"
			    "berth: warning: host 'h3': left out the bridge 'br\\xff', which is not valid UTF-8\n"
			    "berth: warning: host 'h3': export '/e': left out 18 files whose names are not valid UTF-8, such as 'overlong-\\xc0\\xaf'\n");
	capture_end(&c);
	assert_null(h.hostname);
	assert_null(h.cpu_vendor);
	assert_int_equal(h.n_bridges, 1);
	assert_string_equal(h.bridges[0], "br0");
	/* Every name kept, byte for byte, and only those jansson takes. */
	assert_int_equal(h.exports[0].n_files, N_OF(utf8_names));
	for (size_t i = 0; i < N_OF(utf8_names); i++) {
		BERTH_AUTOPTR(json_t) s = json_string(utf8_names[i]);
		bool kept = false;

		assert_non_null(s);
		for (size_t j = 0; j < h.exports[0].n_files; j++)
			kept |= strcmp(h.exports[0].files[j], utf8_names[i]) == 0;
		assert_true(kept);
	}
	for (size_t i = 0; i < N_OF(not_utf8_names); i++)
		assert_null(json_string(not_utf8_names[i]));
	/* And the facts are written as JSON instead of aborting berth. */
	json = berth_facts_to_json(&facts);
	assert_non_null(strstr(json, "\"ctl-\\u0001\\u001F\x7f\""));
	berth_buf_release(&out);
	berth_host_fact_clear(&h);
}

static void
test_ssh_output_keeps_exactly_the_names_jansson_accepts(void **state)
{
	struct berth_buf out = BERTH_BUF_INIT;
	struct berth_host_fact h = { .name = xstrdup("h3") };
	char **expected = xcalloc(70000, sizeof(*expected));
	size_t n_expected = 0, n_names = 0;
	struct capture c;

	(void)state;
	berth_buf_add(&out, BEGIN REQUIRED HEADER "export 2\n/e\n");
	/*
	 * Every byte after a lead byte; for three- and four-byte leads, a third
	 * byte on each side of the continuation range (and a fourth, 0x80).
	 */
	for (unsigned b1 = 0x80; b1 <= 0xff; b1++) {
		for (unsigned b2 = 0x01; b2 <= 0xff; b2++) {
			for (unsigned b3 = 0x7f; b3 <= 0xc0; b3 += b3 == 0x80 ? 0x3f : 1) {
				char name[6] = { 'n', (char)b1, (char)b2, (char)b3, '\x80', '\0' };
				BERTH_AUTOPTR(json_t) s = NULL;

				if (b2 == '/' || (b1 < 0xe0 && b3 != 0x7f))
					continue;
				name[b1 < 0xe0 ? 3 : b1 < 0xf0 ? 4 : 5] = '\0';
				add_record(&out, "file", name, strlen(name));
				n_names++;
				s = json_string(name);
				if (s != NULL)
					expected[n_expected++] = xstrdup(name);
			}
		}
	}
	berth_buf_add(&out, END);
	capture_start(&c);
	assert_int_equal(berth_facts_parse_ssh_output(out.buf, &h, NULL), 0);
	capture_end(&c);
	assert_true(n_expected > 1000 && n_expected < n_names);
	assert_int_equal(h.exports[0].n_files, n_expected);
	/* Both lists are in the order the names were made, which sorts them too. */
	for (size_t i = 0; i < n_expected; i++) {
		assert_string_equal(h.exports[0].files[i], expected[i]);
		free(expected[i]);
	}
	free(expected);
	berth_buf_release(&out);
	berth_host_fact_clear(&h);
}

static void
test_ssh_script_resolves_the_fqdn_and_lists_only_this_hosts_exports(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = inventory("/srv/it's here");
	BERTH_AUTOFREE char *h1 = berth_facts_ssh_script(inv, &inv->hosts[0], "h1.lab", NONCE);
	BERTH_AUTOFREE char *h3 = berth_facts_ssh_script(inv, &inv->hosts[1], NULL, NONCE);
	const char *end = "printf '@@berth-facts %s end\\n' \"$berth_nonce\"\n";

	(void)state;
	assert_non_null(strstr(h1, "\nberth_nonce=" NONCE "\n"));
	assert_non_null(strstr(h1, "\nprintf '@@berth-facts %s begin\\n' \"$berth_nonce\"\n"));
	assert_non_null(strstr(h1, "fqdn='h1.lab'\n"));
	assert_non_null(strstr(h1, "getent ahostsv4 \"$fqdn\""));
	assert_null(strstr(h1, "berth_export '"));
	assert_non_null(strstr(h3, "fqdn=\"$(hostname -f"));
	assert_non_null(strstr(h3, "\nberth_export '/srv/it'\\''s here'\n"));
	assert_non_null(strstr(h3, "\nberth_export '/nonexistent/berth-test-export'\n"));
	assert_string_equal(h3 + strlen(h3) - strlen(end), end);
}

/* Appends text with each NONCE in it replaced by the nonce of the script in cmd. */
static void
add_with_nonce(struct berth_buf *out, const char *text, const char *cmd)
{
	const char *nonce = strstr(cmd, "berth_nonce=");

	assert_non_null(nonce);
	nonce += strlen("berth_nonce=");
	for (const char *p = text; *p != '\0';) {
		const char *next = strstr(p, NONCE);

		if (next == NULL) {
			berth_buf_add(out, p);
			break;
		}
		berth_buf_addn(out, p, (size_t)(next - p));
		berth_buf_addn(out, nonce, BERTH_REMOTE_NONCE_LEN);
		p = next + strlen(NONCE);
	}
}

/* A fake transport: records each command and answers with canned output. */
struct fake_conn {
	const char *stdout_text;	/* its NONCEs become the run's */
	char nul;			/* if not 0: this byte of stdout_text becomes a NUL */
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
	size_t start = out->len;

	fc->calls++;
	free(fc->last_cmd);
	fc->last_cmd = xstrdup(cmd);
	if (fc->fail) {
		berth_error_set(err, BERTH_ERROR_HOST, "host 'h3': connection lost");
		return -1;
	}
	add_with_nonce(out, fc->stdout_text, cmd);
	for (size_t i = start; fc->nul != 0 && i < out->len; i++) {
		if (out->buf[i] == fc->nul)
			out->buf[i] = '\0';
	}
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
	BERTH_AUTOFREE char *out = lab_output();
	struct fake_conn fc = { .stdout_text = out, .stderr_text = "" };
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

/* Answers the facts script with lab_output(), then a look-up with one address. */
static int
fake_run_then_resolve(void *conn, const char *cmd, struct berth_buf *out,
		      struct berth_buf *err_out, int *exit_status, struct berth_error **err)
{
	static const char resolved[] = BEGIN HEADER "addresses 9\n192.0.2.7\n" END;
	struct fake_conn *fc = conn;
	BERTH_AUTOFREE char *lab = lab_output();
	int rc;

	fc->stdout_text = fc->calls == 0 ? lab : resolved;
	rc = fake_run(conn, cmd, out, err_out, exit_status, err);
	fc->stdout_text = NULL;
	return rc;
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
	/* The host's own name (h3.lab in lab_output()) is not libvirt's. */
	assert_int_equal(berth_facts_from_ssh(&t, inv, &inv->hosts[1], &h, NULL), 0);
	assert_int_equal(fc.calls, 2);
	assert_non_null(strstr(fc.last_cmd, "fqdn='\\''h3.example.org'\\''"));
	assert_null(strstr(fc.last_cmd, "hostname"));
	assert_int_equal(h.n_addresses, 1);
	assert_string_equal(h.addresses[0], "192.0.2.7");
	free(fc.last_cmd);
	berth_host_fact_clear(&h);
}

/* Gathers h3 through fc, which must fail with message. */
static void
assert_from_ssh_fails(struct fake_conn *fc, const char *message)
{
	BERTH_AUTOPTR(berth_inventory) inv = inventory("/srv/berth-lab/share");
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_transport t = { .ops = &fake_ops, .conn = fc };
	struct berth_host_fact h = { 0 };

	assert_int_equal(berth_facts_from_ssh(&t, inv, &inv->hosts[1], &h, &err), -1);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	assert_string_equal(berth_error_message(err), message);
	free(fc->last_cmd);
	berth_host_fact_clear(&h);
}

static void
test_facts_from_ssh_reports_a_failed_script_with_its_status_fake_transport(void **state)
{
	struct fake_conn fc = { .stdout_text = BEGIN HEADER "hostname 2\nh3\n",
				.stderr_text = "\nsh: 1: hostname: not found\nmore\n", .status = 127 };

	(void)state;
	assert_from_ssh_fails(&fc, "host 'h3': the facts script failed (exit status 127): "
			      "sh: 1: hostname: not found");
}

static void
test_facts_from_ssh_shows_a_hosts_stderr_escaped_fake_transport(void **state)
{
	/* Markers of another run, as a banner could print them, are not the end. */
	struct fake_conn fc = {
		.stdout_text = "@@berth-facts ffffffffffffffffffffffffffffffff begin\n"
			       "@@berth-facts ffffffffffffffffffffffffffffffff end\n",
		.stderr_text = "\x1b]0;owned\x07 caf\xc3\xa9 \\ \xff\n", .status = 2,
	};

	(void)state;
	assert_from_ssh_fails(&fc, "host 'h3': the facts script failed (exit status 2): "
			      "\\x1b]0;owned\\x07 caf\\xc3\\xa9 \\\\ \\xff");
}

static void
test_facts_from_ssh_rejects_a_nul_byte_fake_transport(void **state)
{
	/* Each '#' becomes a NUL: the banner's is ignored, the record's is not. */
	struct fake_conn fc = { .stdout_text = "ban#ner\n" BEGIN HEADER "hostname 3\nh#3\n" END,
				.stderr_text = "", .nul = '#' };
	BERTH_AUTOFREE char *message = xasprintf("host 'h3': facts output at byte %zu: a NUL byte",
						 AFTER(BEGIN HEADER "hostname 3\nh"));

	(void)state;
	assert_from_ssh_fails(&fc, message);
}

static void
test_facts_from_ssh_rejects_output_outside_the_grammar_fake_transport(void **state)
{
	struct fake_conn fc = { .stdout_text = BEGIN REQUIRED HEADER "bridges 3\nbr0\n" END,
				.stderr_text = "" };
	BERTH_AUTOFREE char *message = xasprintf("host 'h3': facts output at byte %zu: unknown record 'bridges 3'",
						 AFTER(BEGIN REQUIRED));

	(void)state;
	assert_from_ssh_fails(&fc, message);
}

static void
test_facts_from_ssh_passes_on_a_transport_error_fake_transport(void **state)
{
	struct fake_conn fc = { .fail = 1 };

	(void)state;
	assert_from_ssh_fails(&fc, "host 'h3': connection lost");
}

/*
 * A fake transport that runs the command in a local /bin/sh instead of a
 * host; conn, if not NULL, is a struct local_shell.
 */
struct local_shell {
	const char *banner;	/* printed before the command's output */
	const char *dir;	/* if set, a file named with the run's nonce is made here first */
	char *forged;		/* that file's name */
};

/* A name that forges records with the nonce of the script in cmd (00... without one). */
static char *
forged_name(const char *cmd)
{
	const char *nonce = strstr(cmd, "berth_nonce=");
	BERTH_AUTOFREE char *n = nonce != NULL
		? xstrndup(nonce + strlen("berth_nonce="), BERTH_REMOTE_NONCE_LEN)
		: xstrdup("00000000000000000000000000000000");

	return xasprintf("z\n@@berth-facts %s bridge 5\nfake1\n@@berth-facts %s flags 10\n"
			 "flags : vmx\n@@berth-facts %s end\n", n, n, n);
}

static void
make_file(const char *dir, const char *name)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

	assert_true(fd >= 0);
	close(fd);
}

static int
local_shell_run(void *conn, const char *cmd, struct berth_buf *out, struct berth_buf *err_out,
		int *exit_status, struct berth_error **err)
{
	struct local_shell *ls = conn;
	char chunk[4096];
	size_t n;
	FILE *fp;
	int status;

	(void)err_out;
	(void)err;
	if (ls != NULL && ls->banner != NULL)
		berth_buf_add(out, ls->banner);
	if (ls != NULL && ls->dir != NULL) {
		free(ls->forged);
		ls->forged = forged_name(cmd);
		make_file(ls->dir, ls->forged);
	}
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

/* Empties and removes dir. */
static void
remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			assert_int_equal(unlinkat(dirfd(d), e->d_name, 0), 0);
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
}

/* The facts of this machine through its /bin/sh, with h3's exports at dir. */
static void
local_facts(const char *dir, struct local_shell *ls, struct berth_host_fact *h)
{
	BERTH_AUTOPTR(berth_inventory) inv = inventory(dir);
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_transport t = { .ops = &local_shell_ops, .conn = ls };

	/* localhost resolves from /etc/hosts: no name server is asked. */
	*h = (struct berth_host_fact){ .name = xstrdup("h3"), .fqdn = xstrdup("localhost") };
	if (berth_facts_from_ssh(&t, inv, &inv->hosts[1], h, &err) < 0)
		fail_msg("%s", berth_error_message(err));
}

static void
assert_same_strv(char *const *a, size_t n_a, char *const *b, size_t n_b)
{
	assert_int_equal(n_a, n_b);
	for (size_t i = 0; i < n_a; i++)
		assert_string_equal(a[i], b[i]);
}

/* What the script reads besides the exports is the same in a and b. */
static void
assert_same_host(const struct berth_host_fact *a, const struct berth_host_fact *b)
{
	assert_same_strv(a->bridges, a->n_bridges, b->bridges, b->n_bridges);
	assert_int_equal(a->cpu_nx, b->cpu_nx);
	assert_int_equal(a->cpu_vmx, b->cpu_vmx);
	assert_int_equal(a->cpu_svm, b->cpu_svm);
	assert_true(berth_streq(a->cpu_vendor, b->cpu_vendor));
	assert_true(berth_streq(a->hostname, b->hostname));
	assert_same_strv(a->addresses, a->n_addresses, b->addresses, b->n_addresses);
}

static void
test_facts_script_runs_in_a_real_shell_fake_local_transport(void **state)
{
	char dir[] = "/tmp/berth-test-export-XXXXXX";
	struct berth_host_fact h;

	(void)state;
	assert_non_null(mkdtemp(dir));
	make_file(dir, "b.qcow2");
	make_file(dir, "a file.raw");
	local_facts(dir, NULL, &h);
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
	remove_dir(dir);
}

/* Makes dir/name a symbolic link to target. */
static void
make_link(const char *dir, const char *name, const char *target)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/%s", dir, name);

	assert_int_equal(symlink(target, path), 0);
}

static void
test_facts_script_reads_leases_fake_local_transport(void **state)
{
	char dir[] = "/tmp/berth-test-export-XXXXXX";
	struct berth_host_fact h;
	const struct berth_export_fact *e;

	(void)state;
	assert_non_null(mkdtemp(dir));
	make_file(dir, "web1.qcow2");
	make_link(dir, "web1.qcow2.berth-lease", "h1");
	/* A holder whose name forges records is one holder, naming no host. */
	make_link(dir, "web2.qcow2.berth-lease", "h9\n@@berth-facts lease 7\nx/h1");
	/* A file, not a link, is no lease (the planner sees the file). */
	make_file(dir, "web3.qcow2.berth-lease");
	local_facts(dir, NULL, &h);
	assert_int_equal(h.n_exports, 1);
	e = &h.exports[0];
	assert_int_equal(e->n_files, 4);
	assert_int_equal(e->n_leases, 2);
	assert_string_equal(e->leases[0].image, "web1.qcow2");
	assert_string_equal(e->leases[0].holder, "h1");
	assert_string_equal(e->leases[1].image, "web2.qcow2");
	assert_string_equal(e->leases[1].holder, "h9\n@@berth-facts lease 7\nx/h1");
	berth_host_fact_clear(&h);
	remove_dir(dir);
}

/*
 * File names no host should have, which the facts must hold exactly.  Old
 * markers that forge a bridge and CPU flags, and one that forges the end
 * (sorting after them, so that it does not hide them from a line parser).
 */
static const char *const hostile_names[] = {
	"new\nline", "trailing newline\n", "\n",
	"x\n@@berth-facts bridges\nfake0\n",
	"y\n@@berth-facts cpu\nvendor_id\t: ForgedVendor\nflags\t\t: fpu vmx svm\n@@berth-facts end\n",
	"@@", "~\n@@berth-facts end", "-n", "--", "-", "*", "?", "[a]", ".hidden", "..dots", "...",
	" lead", "trail ", "tab\there", "back\\slash", "it's", "\"dq\"", "$(touch pwned)",
	"`touch pwned`", "%s%n%d", "\\n", "caf\xc3\xa9", "\xf0\x9f\x90\xb3",
};

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The tests of hostile names share three runs of the script on this
 * machine (each costs a dozen processes, many more under valgrind): with an
 * export holding one plain file, with hostile names added, and again after
 * a login banner.
 */
struct hostile {
	char dir[sizeof("/tmp/berth-test-export-XXXXXX")];
	char controls[40];
	char ascii_255[256];
	char utf8_255[256];
	char *expected[N_OF(hostile_names) + 5];	/* every name that is UTF-8, sorted */
	size_t n_expected;
	struct local_shell ls;
	struct berth_host_fact plain;	/* with the plain file only */
	struct berth_host_fact h;	/* with the hostile names */
	char *warnings;			/* what gathering h logged */
	struct berth_host_fact bannered;	/* h again, after a login banner */
};

/* Old markers, a begin of another run, and a banner's last line without a newline. */
static const char login_banner[] =
	"Welcome to h3\n@@berth-facts bridges\nfake0\n@@berth-facts cpu\n"
	"vendor_id\t: ForgedVendor\nflags\t\t: fpu vmx svm\n"
	"@@berth-facts ffffffffffffffffffffffffffffffff begin\n"
	"@@berth-facts ffffffffffffffffffffffffffffffff bridge 5\nfake2\n"
	"Last login: yesterday";

static int
hostile_setup(void **state)
{
	struct hostile *t = xcalloc(1, sizeof(*t));
	struct capture c;

	strcpy(t->dir, "/tmp/berth-test-export-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	make_file(t->dir, "plain.qcow2");
	local_facts(t->dir, NULL, &t->plain);

	strcpy(t->controls, "ctl-");
	for (int b = 0x01; b <= 0x1f; b++)
		t->controls[3 + b] = (char)b;
	memset(t->ascii_255, 'l', 255);
	for (size_t i = 0; i < 127; i++)
		memcpy(t->utf8_255 + 2 * i, "\xc3\xa9", 2);
	t->utf8_255[254] = 'x';
	t->expected[t->n_expected++] = "plain.qcow2";
	t->expected[t->n_expected++] = t->controls;
	t->expected[t->n_expected++] = t->ascii_255;
	t->expected[t->n_expected++] = t->utf8_255;
	for (size_t i = 0; i < N_OF(hostile_names); i++)
		t->expected[t->n_expected++] = (char *)hostile_names[i];
	for (size_t i = 1; i < t->n_expected; i++)
		make_file(t->dir, t->expected[i]);
	for (size_t i = 0; i < N_OF(not_utf8_names); i++)
		make_file(t->dir, not_utf8_names[i]);

	/* And one that forges records with this very run's nonce, made as it starts. */
	t->ls.dir = t->dir;
	capture_start(&c);
	local_facts(t->dir, &t->ls, &t->h);
	t->warnings = xstrdup(capture_text(&c));
	capture_end(&c);
	assert_non_null(t->ls.forged);
	t->expected[t->n_expected++] = t->ls.forged;
	qsort(t->expected, t->n_expected, sizeof(*t->expected), compare_strings);

	t->ls.dir = NULL;
	t->ls.banner = login_banner;
	capture_start(&c);
	local_facts(t->dir, &t->ls, &t->bannered);
	capture_end(&c);
	*state = t;
	return 0;
}

static int
hostile_teardown(void **state)
{
	struct hostile *t = *state;

	berth_host_fact_clear(&t->plain);
	berth_host_fact_clear(&t->h);
	berth_host_fact_clear(&t->bannered);
	free(t->warnings);
	free(t->ls.forged);
	remove_dir(t->dir);
	free(t);
	return 0;
}

static void
test_facts_script_file_names_forge_no_bridge_and_no_cpu_flag_fake_local_transport(void **state)
{
	struct hostile *t = *state;

	/* "x\n@@berth-facts bridges\nfake0\n", a forged cpu section, a forged record. */
	assert_same_host(&t->h, &t->plain);
}

static void
test_facts_script_file_name_with_newlines_is_one_name_fake_local_transport(void **state)
{
	struct hostile *t = *state;
	const struct berth_export_fact *e = &t->h.exports[0];
	bool whole = false, split = false;

	for (size_t i = 0; i < e->n_files; i++) {
		whole |= strcmp(e->files[i], "new\nline") == 0;
		split |= strcmp(e->files[i], "new") == 0 || strcmp(e->files[i], "line") == 0;
	}
	assert_true(whole);
	assert_false(split);
}

static void
test_facts_script_file_names_not_utf8_are_left_out_with_a_warning_fake_local_transport(void **state)
{
	struct hostile *t = *state;
	const struct berth_export_fact *e = &t->h.exports[0];
	BERTH_AUTOFREE char *warning = xasprintf(
		"berth: warning: host 'h3': export '%s': left out 18 files whose names are not valid UTF-8, such as 'above-\\xf4\\x90\\x80\\x80'\n",
		t->dir);

	/* The first in the shell's (byte) order, of every kind in not_utf8_names. */
	assert_string_equal(t->warnings, warning);
	for (size_t i = 0; i < e->n_files; i++) {
		for (size_t j = 0; j < N_OF(not_utf8_names); j++)
			assert_string_not_equal(e->files[i], not_utf8_names[j]);
	}
}

static void
test_facts_script_reads_hostile_file_names_exactly_fake_local_transport(void **state)
{
	struct hostile *t = *state;

	assert_int_equal(t->h.n_exports, 1);
	assert_same_strv(t->h.exports[0].files, t->h.exports[0].n_files,
			 t->expected, t->n_expected);
	/* No name was run as a command. */
	assert_int_equal(access("pwned", F_OK), -1);
}

static void
test_facts_script_ignores_a_login_banner_fake_local_transport(void **state)
{
	struct hostile *t = *state;

	assert_same_host(&t->bannered, &t->h);
	assert_same_strv(t->bannered.exports[0].files, t->bannered.exports[0].n_files,
			 t->h.exports[0].files, t->h.exports[0].n_files);
}

static void
test_facts_script_hostile_names_go_to_json_and_back_fake_local_transport(void **state)
{
	struct hostile *t = *state;
	struct berth_facts facts = { .hosts = &t->h, .n_hosts = 1 };
	BERTH_AUTOFREE char *json = NULL;
	BERTH_AUTOFREE char *path = xasprintf("%s.json", t->dir);
	BERTH_AUTOPTR(berth_facts) loaded = NULL;
	FILE *fp;

	t->h.reachable = true;
	json = berth_facts_to_json(&facts);
	assert_non_null(fp = fopen(path, "w"));
	fputs(json, fp);
	fclose(fp);
	loaded = berth_facts_load(path, NULL);
	unlink(path);
	assert_non_null(loaded);
	assert_same_strv(loaded->hosts[0].exports[0].files, loaded->hosts[0].exports[0].n_files,
			 t->expected, t->n_expected);
}

/* Runs script in this machine's /bin/sh; returns what it printed. */
static char *
run_script(const char *script)
{
	BERTH_AUTOBUF struct berth_buf out = BERTH_BUF_INIT;
	BERTH_AUTOFREE char *quoted = berth_shell_quote(script);
	BERTH_AUTOFREE char *cmd = xasprintf("sh -c %s", quoted);
	int status = -1;

	assert_int_equal(local_shell_run(NULL, cmd, &out, NULL, &status, NULL), 0);
	assert_int_equal(status, 0);
	return berth_buf_detach(&out);
}

static void
test_facts_script_counts_bytes_with_wc_as_with_the_shell_fake_local_transport(void **state)
{
	char dir[] = "/tmp/berth-test-export-XXXXXX";
	static const char check[] = "if [ \"${#berth_b}\" = 2 ]";
	BERTH_AUTOPTR(berth_inventory) inv = NULL;
	BERTH_AUTOFREE char *script = NULL;
	BERTH_AUTOFREE char *by_shell = NULL;
	BERTH_AUTOFREE char *by_wc = NULL;
	/* Few names: with wc, each costs two processes (many under valgrind). */
	static const char *const names[] = {
		"new\nline", "trailing newline\n", "caf\xc3\xa9", "\xf0\x9f\x90\xb3", "byte-\xff",
	};
	char *p;
	struct berth_host_fact h = { .name = xstrdup("h3"), .fqdn = xstrdup("localhost") };
	struct capture c;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < N_OF(names); i++)
		make_file(dir, names[i]);
	inv = inventory(dir);
	script = berth_facts_ssh_script(inv, &inv->hosts[1], "localhost", NONCE);
	by_shell = run_script(script);
	/* As a shell that counts characters would have to: with wc -c. */
	p = strstr(script, check);
	assert_non_null(p);
	memset(p, ' ', strlen(check));
	memcpy(p, "if false", 8);
	by_wc = run_script(script);
	assert_string_equal(by_wc, by_shell);
	capture_start(&c);
	assert_int_equal(berth_facts_parse_ssh_output(by_wc, &h, NULL), 0);
	assert_non_null(strstr(capture_text(&c), "left out the file 'byte-\\xff'"));
	capture_end(&c);
	assert_int_equal(h.exports[0].n_files, N_OF(names) - 1);
	assert_string_equal(h.exports[0].files[0], "caf\xc3\xa9");
	assert_string_equal(h.exports[0].files[1], "new\nline");
	assert_string_equal(h.exports[0].files[2], "trailing newline\n");
	assert_string_equal(h.exports[0].files[3], "\xf0\x9f\x90\xb3");
	berth_host_fact_clear(&h);
	remove_dir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssh_output_parses_every_record),
		cmocka_unit_test(test_ssh_output_for_another_fqdn_leaves_addresses_to_resolve_again),
		cmocka_unit_test(test_ssh_output_without_cpuinfo_lines_keeps_the_capabilities_cpu),
		cmocka_unit_test(test_ssh_output_cut_anywhere_is_an_error),
		cmocka_unit_test(test_ssh_output_outside_the_grammar_is_rejected_with_its_place),
		cmocka_unit_test(test_ssh_output_value_that_looks_like_a_header_is_one_name),
		cmocka_unit_test(test_ssh_output_strings_that_are_not_utf8_are_left_out_with_a_warning),
		cmocka_unit_test(test_ssh_output_keeps_exactly_the_names_jansson_accepts),
		cmocka_unit_test(test_ssh_script_resolves_the_fqdn_and_lists_only_this_hosts_exports),
		cmocka_unit_test(test_facts_from_ssh_sends_one_command_through_a_fake_transport),
		cmocka_unit_test(test_facts_from_ssh_resolves_libvirts_fqdn_again_fake_transport),
		cmocka_unit_test(test_facts_from_ssh_reports_a_failed_script_with_its_status_fake_transport),
		cmocka_unit_test(test_facts_from_ssh_shows_a_hosts_stderr_escaped_fake_transport),
		cmocka_unit_test(test_facts_from_ssh_rejects_a_nul_byte_fake_transport),
		cmocka_unit_test(test_facts_from_ssh_rejects_output_outside_the_grammar_fake_transport),
		cmocka_unit_test(test_facts_from_ssh_passes_on_a_transport_error_fake_transport),
		cmocka_unit_test(test_facts_script_runs_in_a_real_shell_fake_local_transport),
		cmocka_unit_test(test_facts_script_reads_leases_fake_local_transport),
		cmocka_unit_test(test_facts_script_counts_bytes_with_wc_as_with_the_shell_fake_local_transport),
	};
	const struct CMUnitTest hostile_tests[] = {
		cmocka_unit_test(test_facts_script_file_names_forge_no_bridge_and_no_cpu_flag_fake_local_transport),
		cmocka_unit_test(test_facts_script_file_name_with_newlines_is_one_name_fake_local_transport),
		cmocka_unit_test(test_facts_script_file_names_not_utf8_are_left_out_with_a_warning_fake_local_transport),
		cmocka_unit_test(test_facts_script_reads_hostile_file_names_exactly_fake_local_transport),
		cmocka_unit_test(test_facts_script_ignores_a_login_banner_fake_local_transport),
		cmocka_unit_test(test_facts_script_hostile_names_go_to_json_and_back_fake_local_transport),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	return failed + cmocka_run_group_tests(hostile_tests, hostile_setup, hostile_teardown);
}
