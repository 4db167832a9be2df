/*
 * Fuzzes the parser of what the facts script prints over SSH
 * (executors/facts/facts-ssh.c, berth_facts_parse_ssh_output()): the
 * output of a host, which berth does not trust.  The input is the output
 * from its begin marker on, as berth_facts_ssh_run() passes it (up to its
 * first NUL, which berth_facts_ssh_run() refuses before parsing).  Each
 * input is parsed twice: for a host whose FQDN libvirt has not named yet,
 * and for one named "h3.lab".
 *
 * Beyond not crashing:
 *   - refused output is a BERTH_ERROR_HOST error of one line (a host's
 *     bytes cannot start a line of their own in a message or a log);
 *   - accepted output gives IPv4 addresses without duplicates, and bridges
 *     and each export's files sorted;
 *   - the host's facts are written as JSON that loads back the same
 *     (berth_fuzz_check_facts_round_trip()), so no string the host sent
 *     makes the facts file unwritable.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "executors/facts/facts.h"
#include "tests/fuzz/fuzz.h"

/* names[0..n) must be sorted (a hostile host may send a name twice). */
static void
check_sorted(char *const *names, size_t n, const char *what)
{
	for (size_t i = 1; i < n; i++) {
		if (strcmp(names[i - 1], names[i]) > 0)
			berth_fuzz_fail("%s '%s' and '%s' are not sorted", what,
					names[i - 1], names[i]);
	}
}

static void
check_facts(const struct berth_host_fact *h)
{
	struct berth_facts facts = { .hosts = (struct berth_host_fact *)h, .n_hosts = 1 };

	for (size_t i = 0; i < h->n_addresses; i++) {
		struct in_addr a;

		if (inet_pton(AF_INET, h->addresses[i], &a) != 1)
			berth_fuzz_fail("address '%s' is not IPv4", h->addresses[i]);
		for (size_t j = 0; j < i; j++) {
			if (strcmp(h->addresses[i], h->addresses[j]) == 0)
				berth_fuzz_fail("address '%s' twice", h->addresses[i]);
		}
	}
	check_sorted(h->bridges, h->n_bridges, "bridges");
	for (size_t i = 0; i < h->n_exports; i++)
		check_sorted(h->exports[i].files, h->exports[i].n_files, "files");
	berth_fuzz_check_facts_round_trip(&facts);
}

static void
parse(const char *out, const char *fqdn)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_host_fact h = {
		.name = xstrdup("h3"),
		.reachable = true,
		.fqdn = fqdn != NULL ? xstrdup(fqdn) : NULL,
	};
	int rc = berth_facts_parse_ssh_output(out, &h, &err);

	if (rc < 0) {
		berth_fuzz_check_error(err, BERTH_ERROR_HOST, "", "berth_facts_parse_ssh_output");
	} else {
		if (rc > 1 || err != NULL)
			berth_fuzz_fail("berth_facts_parse_ssh_output returned %d%s", rc,
					err != NULL ? " with an error" : "");
		if (rc == 1 && h.n_addresses != 0)
			berth_fuzz_fail("addresses kept for another FQDN than '%s'",
					fqdn != NULL ? fqdn : "");
		check_facts(&h);
	}
	berth_host_fact_clear(&h);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	berth_fuzz_setup();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	BERTH_AUTOFREE char *out = berth_fuzz_string(data, size);

	parse(out, NULL);
	parse(out, "h3.lab");
	return 0;
}
