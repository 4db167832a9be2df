/*
 * Fuzzes the known_hosts reader and the host-key decision
 * (executors/transport/ssh-knownhosts.c): the input is a known_hosts file.
 * It is loaded once, then the two keys below are checked for a few names
 * (a host on port 22 and on another port, IPv4, IPv6), and the lines for
 * each name are listed as 'ssh-keygen -F' lists them.  The seeds hold
 * these keys and names, plain and hashed.
 *
 * Beyond not crashing, each decision agrees with what it reports: OK
 * without an error, on a line of the file; UNKNOWN on no line, with "is
 * not in known_hosts"; CHANGED ("does not match") and REVOKED
 * ("@revoked") on a line of the file; every error one line naming the
 * host's address.
 */
#include <string.h>

#include "core/buf.h"
#include "executors/transport/ssh-knownhosts.h"
#include "tests/fuzz/fuzz.h"

/*
 * Key A, an ssh-ed25519 blob: "ssh-ed25519", then the 32 bytes 0x01..0x20.
 * In the seeds: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g
 */
static const unsigned char key_a[] = {
	0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1', '9',
	0, 0, 0, 32,
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};

/*
 * Key E, an ecdsa-sha2-nistp256 blob: the type, "nistp256", then a point
 * of 65 bytes 0x04, 0x01..0x40 (its shape, not a point on the curve: shape
 * is all berth checks).
 */
static const unsigned char key_e[] = {
	0, 0, 0, 19, 'e', 'c', 'd', 's', 'a', '-', 's', 'h', 'a', '2', '-',
	'n', 'i', 's', 't', 'p', '2', '5', '6',
	0, 0, 0, 8, 'n', 'i', 's', 't', 'p', '2', '5', '6',
	0, 0, 0, 65, 4,
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
	33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48,
	49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64,
};

static const struct {
	const unsigned char *blob;
	size_t len;
} keys[] = {
	{ key_a, sizeof(key_a) },
	{ key_e, sizeof(key_e) },
};

/* The hosts checked: address and port. */
static const struct {
	const char *address;
	unsigned port;
} hosts[] = {
	{ "h2", 22 },
	{ "h2", 2222 },
	{ "10.0.0.2", 22 },
	{ "fe80::2", 22 },
	{ "fe80::2", 2222 },
};

/* The names listed: what the hosts above are looked up as. */
static const char *const names[] = {
	"h2", "[h2]:2222", "10.0.0.2", "fe80::2", "[fe80::2]:2222",
};

static unsigned
count_lines(const uint8_t *data, size_t size)
{
	unsigned n = 1;

	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

static void
check_decision(const struct berth_ssh_knownhosts *kh, const struct berth_host *host,
	       size_t key, unsigned n_lines)
{
	static const char *const words[] = {
		[BERTH_SSH_HOSTKEY_OK] = NULL,
		[BERTH_SSH_HOSTKEY_UNKNOWN] = "is not in known_hosts",
		[BERTH_SSH_HOSTKEY_CHANGED] = "does not match",
		[BERTH_SSH_HOSTKEY_REVOKED] = "@revoked",
	};
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOFREE char *prefix = xasprintf("host key for '%s'", host->address);
	unsigned line = 12345;
	enum berth_ssh_hostkey_status status =
		berth_ssh_knownhosts_check(kh, host, keys[key].blob, keys[key].len, &line, &err);

	if ((unsigned)status >= BERTH_SSH_HOSTKEY_LAST)
		berth_fuzz_fail("%s port %u key %zu: status %d", host->address, host->port, key,
				(int)status);
	if ((status == BERTH_SSH_HOSTKEY_UNKNOWN) != (line == 0) || line > n_lines)
		berth_fuzz_fail("%s port %u key %zu: status %d on line %u of %u", host->address,
				host->port, key, (int)status, line, n_lines);
	if (status == BERTH_SSH_HOSTKEY_OK) {
		if (err != NULL)
			berth_fuzz_fail("%s port %u key %zu: OK with an error: %s", host->address,
					host->port, key, berth_error_message(err));
		return;
	}
	berth_fuzz_check_error(err, BERTH_ERROR_HOST, prefix, "berth_ssh_knownhosts_check");
	if (strstr(berth_error_message(err), words[status]) == NULL)
		berth_fuzz_fail("%s port %u key %zu: status %d without '%s': %s", host->address,
				host->port, key, (int)status, words[status],
				berth_error_message(err));
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
	static struct berth_fuzz_file file;
	struct berth_host host = {
		.name = "h2", .user = "root",
		.known_hosts = (char *)berth_fuzz_file_write(&file, data, size),
	};
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_ssh_knownhosts) kh = berth_ssh_knownhosts_load(&host, &err);
	unsigned n_lines = count_lines(data, size);
	struct berth_buf found = BERTH_BUF_INIT;

	if (kh == NULL)
		berth_fuzz_fail("a known_hosts file that exists does not load: %s",
				err != NULL ? berth_error_message(err) : "(no error)");
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		host.address = (char *)hosts[i].address;
		host.port = hosts[i].port;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			check_decision(kh, &host, k, n_lines);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		berth_ssh_knownhosts_find(kh, names[i], &found);
		berth_buf_reset(&found);
	}
	berth_buf_release(&found);
	return 0;
}
