/*
 * executors/transport/ssh-knownhosts.c side by side with OpenSSH.  A table
 * of known_hosts files, each with the host, the port and the key a server
 * presents, gives berth's decision and its exact message; for each case the
 * lines berth finds under the names it looks up must be those `ssh-keygen
 * -l -F NAME` finds, and the decision must be the one the OpenSSH client
 * itself makes with StrictHostKeyChecking=yes (its server an `sshd -i` run
 * as its ProxyCommand, so that any name and port work offline).  Then the
 * two findings of issue 7 through berth_ssh_connect() against a real server
 * (tests/fixture/sshd.h).
 *
 * Keys are made by ssh-keygen in a folder under /tmp; without ssh-keygen
 * every test skips.  The comparison with the client needs root (sshd),
 * /usr/sbin/sshd, ssh and unshare, and is left out under valgrind, which
 * would trace the client: where it is left out, the test says so once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "core/buf.h"
#include "executors/transport/ssh-knownhosts.h"
#include "executors/transport/ssh.h"
#include "tests/fixture/sshd.h"

#define OK BERTH_SSH_HOSTKEY_OK
#define UNKNOWN BERTH_SSH_HOSTKEY_UNKNOWN
#define CHANGED BERTH_SSH_HOSTKEY_CHANGED
#define REVOKED BERTH_SSH_HOSTKEY_REVOKED

/* A key ssh-keygen makes for the run, {A} in a case. */
struct test_key {
	char letter;
	const char *type;		/* for ssh-keygen -t */
	char *line;			/* "TYPE BASE64", as known_hosts holds it: {A} */
	char *base64;			/* BASE64 alone: {b64A} */
	char *fingerprint;		/* as ssh-keygen -l prints it: {fpA} */
	unsigned char *blob;		/* what a server presents */
	size_t blob_len;
};

static struct test_key keys[] = {
	{ .letter = 'A', .type = "ed25519" },
	{ .letter = 'B', .type = "ed25519" },
	{ .letter = 'E', .type = "ecdsa" },
};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

/*
 * One known_hosts file and the key a server presents.  In lines and
 * message, {A} stands for key A as a line holds it, {b64A} for its base64,
 * {fpA} for its fingerprint (also B, E) and {F} for the file.
 */
struct kh_case {
	const char *name;		/* the test's, and the file's */
	const char *lines;
	bool hashed;			/* `ssh-keygen -H` the file first */
	const char *address;
	unsigned port;
	char offered;
	enum berth_ssh_hostkey_status expected;
	unsigned line;			/* the decision rests on; 0 for UNKNOWN */
	const char *message;		/* NULL for OK */
	/* Set where berth refuses, on purpose, what OpenSSH accepts: why,
	 * OpenSSH's decision, and the lines ssh-keygen -F finds. */
	const char *stricter;
	enum berth_ssh_hostkey_status openssh;
	const char *openssh_finds;
};

#define CHANGED_MSG(host, offered) \
	"host key for '" host "' does not match known_hosts '{F}': got {fp" offered "} " \
	"(possible man-in-the-middle, or the host was reinstalled); "

static const struct kh_case cases[] = {
	{ .name = "plain_line_with_the_key_accepts",
	  .lines = "h2 {A}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = OK, .line = 1 },
	{ .name = "plain_line_with_another_key_is_changed",
	  .lines = "h2 {B}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = CHANGED, .line = 1,
	  .message = CHANGED_MSG("h2", "A") "{F}:1 has ssh-ed25519 {fpB} for 'h2'" },
	{ .name = "line_with_a_key_of_another_type_is_changed",
	  .lines = "h2 {E}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = CHANGED, .line = 1,
	  .message = CHANGED_MSG("h2", "A") "{F}:1 has ecdsa-sha2-nistp256 {fpE} for 'h2'" },
	{ .name = "changed_names_the_last_line_with_another_key",
	  .lines = "h2 {B}\nh2 {E}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = CHANGED, .line = 2,
	  .message = CHANGED_MSG("h2", "A") "{F}:2 has ecdsa-sha2-nistp256 {fpE} for 'h2'" },
	{ .name = "a_later_line_with_the_key_accepts",
	  .lines = "h2 {B}\nh2 {A}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = OK, .line = 2 },
	{ .name = "no_line_for_the_host_is_unknown",
	  .lines = "h3 {A}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = UNKNOWN,
	  .message = "host key for 'h2' is not in known_hosts '{F}' ({fpA})" },
	/* Issue 7: the @revoked line was ignored. */
	{ .name = "revoked_key_is_refused_though_a_line_accepts_it",
	  .lines = "h2 {A}\n@revoked * {A}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = REVOKED, .line = 2,
	  .message = "host key for 'h2' ({fpA}) is marked @revoked in {F}:2" },
	{ .name = "revoked_key_is_refused_with_no_other_line",
	  .lines = "@revoked h2 {A}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = REVOKED, .line = 1,
	  .message = "host key for 'h2' ({fpA}) is marked @revoked in {F}:1" },
	{ .name = "revoked_line_for_another_key_does_not_refuse",
	  .lines = "@revoked * {B}\nh2 {A}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = OK, .line = 2 },
	{ .name = "revoked_line_for_another_host_does_not_refuse",
	  .lines = "@revoked h3 {A}\nh2 {A}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = OK, .line = 2 },
	{ .name = "revoked_line_with_a_tab_after_the_marker_is_read",
	  .lines = "@revoked\t* {A}\nh2 {A}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = REVOKED, .line = 1,
	  .message = "host key for 'h2' ({fpA}) is marked @revoked in {F}:1",
	  .stricter = "OpenSSH ends a marker at the first space of the line, if there is one, "
		      "so it reads '@revoked<TAB>*' as an unknown marker and skips the line",
	  .openssh = OK, .openssh_finds = "{F}:2" },
	{ .name = "two_markers_skip_the_line",
	  .lines = "@revoked @cert-authority h2 {A}\nh2 {A}\n", .address = "h2", .port = 22,
	  .offered = 'A', .expected = OK, .line = 2 },
	{ .name = "unknown_marker_skips_the_line",
	  .lines = "@bogus h2 {B}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = UNKNOWN,
	  .message = "host key for 'h2' is not in known_hosts '{F}' ({fpA})" },
	/* Issue 7: a plain line overrode a "[host]:port" one. */
	{ .name = "port_line_with_another_key_is_not_overridden_by_a_plain_line",
	  .lines = "h2 {A}\n[h2]:2222 {B}\n", .address = "h2", .port = 2222, .offered = 'A',
	  .expected = CHANGED, .line = 2,
	  .message = CHANGED_MSG("h2", "A") "{F}:2 has ssh-ed25519 {fpB} for '[h2]:2222'" },
	{ .name = "port_line_with_the_key_accepts",
	  .lines = "[h2]:2222 {A}\nh2 {B}\n", .address = "h2", .port = 2222, .offered = 'A',
	  .expected = OK, .line = 1 },
	{ .name = "port_without_a_line_of_its_own_falls_back_to_the_plain_one",
	  .lines = "h2 {A}\n", .address = "h2", .port = 2222, .offered = 'A',
	  .expected = OK, .line = 1 },
	{ .name = "port_fallback_takes_only_a_match",
	  .lines = "h2 {B}\n", .address = "h2", .port = 2222, .offered = 'A',
	  .expected = UNKNOWN,
	  .message = "host key for 'h2' is not in known_hosts '{F}' ({fpA}); "
		     "looked up as '[h2]:2222', then as 'h2'" },
	{ .name = "port_fallback_keeps_a_revocation",
	  .lines = "h2 {A}\n@revoked h2 {A}\n", .address = "h2", .port = 2222, .offered = 'A',
	  .expected = REVOKED, .line = 2,
	  .message = "host key for 'h2' ({fpA}) is marked @revoked in {F}:2" },
	{ .name = "port_key_revoked_by_a_wildcard_line",
	  .lines = "[h2]:2222 {A}\n@revoked * {A}\n", .address = "h2", .port = 2222,
	  .offered = 'A', .expected = REVOKED, .line = 2,
	  .message = "host key for 'h2' ({fpA}) is marked @revoked in {F}:2" },
	{ .name = "port_22_is_looked_up_without_brackets",
	  .lines = "[h2]:22 {A}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = UNKNOWN,
	  .message = "host key for 'h2' is not in known_hosts '{F}' ({fpA})" },
	{ .name = "port_line_in_a_list_with_the_plain_name",
	  .lines = "h2,[h2]:2222 {B}\n", .address = "h2", .port = 2222, .offered = 'A',
	  .expected = CHANGED, .line = 1,
	  .message = CHANGED_MSG("h2", "A") "{F}:1 has ssh-ed25519 {fpB} for '[h2]:2222'" },
	{ .name = "port_matched_by_a_wildcard",
	  .lines = "[h2]:* {A}\n", .address = "h2", .port = 2222, .offered = 'A',
	  .expected = OK, .line = 1 },
	{ .name = "star_matches_any_run",
	  .lines = "*.lab {A}\n", .address = "h2.lab", .port = 22, .offered = 'A',
	  .expected = OK, .line = 1 },
	{ .name = "question_mark_matches_one_character",
	  .lines = "h??.lab {B}\nh?.lab {A}\n", .address = "h2.lab", .port = 22, .offered = 'A',
	  .expected = OK, .line = 2 },
	{ .name = "negated_pattern_excludes_the_host",
	  .lines = "*.lab,!h2.lab {A}\n", .address = "h2.lab", .port = 22, .offered = 'A',
	  .expected = UNKNOWN,
	  .message = "host key for 'h2.lab' is not in known_hosts '{F}' ({fpA})" },
	{ .name = "negation_wins_wherever_it_stands_in_the_list",
	  .lines = "!h2.lab,*.lab {B}\nh2.lab {A}\n", .address = "h2.lab", .port = 22,
	  .offered = 'A', .expected = OK, .line = 2 },
	{ .name = "name_in_a_comma_separated_list",
	  .lines = "h1,h2,h3 {A}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = OK, .line = 1 },
	{ .name = "names_compare_without_case",
	  .lines = "H2.LAB {A}\n", .address = "H2.lab", .port = 22, .offered = 'A',
	  .expected = OK, .line = 1 },
	{ .name = "hashed_line_accepts",
	  .lines = "h2 {A}\n", .hashed = true, .address = "h2", .port = 22, .offered = 'A',
	  .expected = OK, .line = 1 },
	{ .name = "hashed_port_line_is_not_overridden_by_a_hashed_plain_line",
	  .lines = "h2 {A}\n[h2]:2222 {B}\n", .hashed = true, .address = "h2", .port = 2222,
	  .offered = 'A', .expected = CHANGED, .line = 2,
	  .message = CHANGED_MSG("h2", "A") "{F}:2 has ssh-ed25519 {fpB} for '[h2]:2222'" },
	{ .name = "hashed_line_for_another_host",
	  .lines = "h3 {A}\n", .hashed = true, .address = "h2", .port = 22, .offered = 'A',
	  .expected = UNKNOWN,
	  .message = "host key for 'h2' is not in known_hosts '{F}' ({fpA})" },
	{ .name = "cert_authority_line_does_not_accept_a_plain_key",
	  .lines = "@cert-authority *.lab {A}\n", .address = "h2.lab", .port = 22, .offered = 'A',
	  .expected = UNKNOWN,
	  .message = "host key for 'h2.lab' is not in known_hosts '{F}' ({fpA}); {F}:1 is a "
		     "@cert-authority line, and berth does not accept host certificates" },
	{ .name = "cert_authority_line_is_not_another_key",
	  .lines = "@cert-authority * {B}\nh2 {A}\n", .address = "h2", .port = 22, .offered = 'A',
	  .expected = OK, .line = 2 },
	{ .name = "lines_openssh_skips_are_not_another_key",
	  .lines = "# a comment\n\n   \nh2\nh2 ssh-ed25519\nh2 ssh-foo {b64B}\n"
		   "h2 ssh-ed25519 AAAAgarbage\nh2 ecdsa-sha2-nistp256 {b64B}\n"
		   "h2 ssh-ed25519 {b64B}=\n|1|bad|hash {B}\n|2|x|y {B}\n",
	  .address = "h2", .port = 22, .offered = 'A', .expected = UNKNOWN,
	  .message = "host key for 'h2' is not in known_hosts '{F}' ({fpA})" },
	{ .name = "blanks_comments_and_a_carriage_return_around_a_line",
	  .lines = "# a comment\n\n\t h2\t{A}  the comment\r\n", .address = "h2", .port = 22,
	  .offered = 'A', .expected = OK, .line = 3 },
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

/* The folder of the run's files, or "" when ssh-keygen is missing. */
static char dir[64];
/* Why the OpenSSH client is not asked, or NULL when it is. */
static const char *no_client;

extern char **environ;

/*
 * What the program argv[0] (found on PATH) prints on stdout, and on stderr
 * too if with_stderr (else stderr is dropped); the caller frees it.  Run
 * without a shell, so that valgrind's --trace-children-skip sees the
 * program itself.  Fails the test unless it exits 0 or, if may_fail, at all.
 */
static char *
run(const char *const argv[], bool with_stderr, bool may_fail)
{
	struct berth_buf out = BERTH_BUF_INIT;
	posix_spawn_file_actions_t actions;
	char chunk[4096];
	ssize_t n;
	int fds[2];
	int status;
	pid_t pid;

	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
	if (with_stderr)
		posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
	else
		posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	assert_int_equal(posix_spawnp(&pid, argv[0], &actions, NULL, (char *const *)argv,
				      environ), 0);
	posix_spawn_file_actions_destroy(&actions);
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof(chunk))) > 0)
		berth_buf_addn(&out, chunk, (size_t)n);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!may_fail && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		fail_msg("%s failed: %s", argv[0], out.buf);
	return berth_buf_detach(&out);
}

/* Word number i (from 0) of text, words separated by blanks; the caller frees it. */
static char *
word(const char *text, unsigned i)
{
	const char *p = text + strspn(text, " \t\n");

	for (; i > 0; i--) {
		p += strcspn(p, " \t\n");
		p += strspn(p, " \t\n");
	}
	return xstrndup(p, strcspn(p, " \t\n"));
}

/* The fingerprint ssh-keygen prints for the public key in pub; the caller frees it. */
static char *
fingerprint_of(const char *pub)
{
	const char *argv[] = { "ssh-keygen", "-lf", pub, NULL };
	BERTH_AUTOFREE char *out = run(argv, false, false);

	return word(out, 1);
}

/* "TYPE BASE64" of the public key in pub, as a known_hosts line holds it. */
static char *
key_line_of(const char *pub)
{
	BERTH_AUTOFREE char *text = NULL;
	BERTH_AUTOFREE char *type = NULL;
	BERTH_AUTOFREE char *base64 = NULL;
	size_t cap = 0;
	FILE *fp = fopen(pub, "r");

	assert_non_null(fp);
	assert_true(getline(&text, &cap, fp) > 0);
	fclose(fp);
	type = word(text, 0);
	base64 = word(text, 1);
	return xasprintf("%s %s", type, base64);
}

static const struct test_key *
key_of(char letter)
{
	for (size_t i = 0; i < N_KEYS; i++) {
		if (keys[i].letter == letter)
			return &keys[i];
	}
	return NULL;
}

/* The server for berth_ssh_connect() (tests/fixture/sshd.h). */
static struct berth_fx_sshd srv;
static char *server_key;		/* its key, as a known_hosts line holds it */
static char *server_fingerprint;

/*
 * text with {F} (file), {A}, {b64A} and {fpA} (and B, E), and {K} and {P}
 * (the server's key and port) filled in; the caller frees it.
 */
static char *
expand(const char *text, const char *file)
{
	struct berth_buf out = BERTH_BUF_INIT;

	for (const char *p = text; *p != '\0'; p++) {
		const struct test_key *k = NULL;
		size_t len = strcspn(p, "}");

		if (p[0] == '{' && p[len] == '}')
			k = key_of(p[len - 1]);
		if (strncmp(p, "{F}", 3) == 0)
			berth_buf_add(&out, file);
		else if (strncmp(p, "{K}", 3) == 0)
			berth_buf_add(&out, server_key);
		else if (strncmp(p, "{P}", 3) == 0)
			berth_buf_addf(&out, "%u", srv.port);
		else if (k != NULL && len == 2)
			berth_buf_add(&out, k->line);
		else if (k != NULL && len == 5 && strncmp(p, "{b64", 4) == 0)
			berth_buf_add(&out, k->base64);
		else if (k != NULL && len == 4 && strncmp(p, "{fp", 3) == 0)
			berth_buf_add(&out, k->fingerprint);
		else
			len = 0;
		if (len == 0)
			berth_buf_addch(&out, *p);
		p += len;
	}
	return berth_buf_detach(&out);
}

/* Makes key k with ssh-keygen in dir and reads back what a case needs of it. */
static int
make_key(struct test_key *k)
{
	BERTH_AUTOFREE char *path = xasprintf("%s/%c", dir, k->letter);
	BERTH_AUTOFREE char *pub = xasprintf("%s.pub", path);
	const char comment[] = { k->letter, '\0' };
	const char *argv[] = { "ssh-keygen", "-q", "-t", k->type, "-N", "", "-C", comment,
			       "-f", path, NULL };
	size_t len;
	int n;

	free(run(argv, false, false));
	k->line = key_line_of(pub);
	k->base64 = xstrdup(strchr(k->line, ' ') + 1);
	k->fingerprint = fingerprint_of(pub);
	len = strlen(k->base64);
	k->blob = xmalloc(len);
	n = EVP_DecodeBlock(k->blob, (const unsigned char *)k->base64, (int)len);
	if (n < 0 || len < 2)
		return -1;
	/* EVP_DecodeBlock() counts the bytes of the '=' padding too. */
	k->blob_len = (size_t)n - (k->base64[len - 1] == '=') - (k->base64[len - 2] == '=');
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* name in lower case, "[NAME]:PORT" for a port other than 22 if with_port. */
static char *
lookup_name(const struct berth_host *host, bool with_port)
{
	char *name = with_port && host->port != 22 ?
		xasprintf("[%s]:%u", host->address, host->port) : xstrdup(host->address);

	for (char *p = name; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return name;
}

/* What `ssh-keygen -l -F name -f file` finds, in berth_ssh_knownhosts_find()'s words. */
static char *
ssh_keygen_finds(const char *file, const char *name)
{
	const char *argv[] = { "ssh-keygen", "-l", "-F", name, "-f", file, NULL };
	BERTH_AUTOFREE char *out = run(argv, false, true);	/* 1: none found */
	struct berth_buf found = BERTH_BUF_INIT;

	/* "# Host NAME found: line 3 REVOKED", "... line 4 CA", "... line 5 " */
	for (char *line = strtok(out, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		const char *at = strstr(line, " found: line ");
		char *end;
		unsigned long number;

		if (strncmp(line, "# Host ", 7) != 0 || at == NULL)
			continue;
		number = strtoul(at + strlen(" found: line "), &end, 10);
		berth_buf_addf(&found, "%s%s:%lu%s", found.len > 0 ? ", " : "", file, number,
			       strstr(end, "REVOKED") != NULL ? " @revoked" :
			       strstr(end, "CA") != NULL ? " @cert-authority" : "");
	}
	return berth_buf_detach(&found);
}

/* The line number after "what FILE:" in out, or 0. */
static unsigned
line_after(const char *out, const char *what, const char *file)
{
	BERTH_AUTOFREE char *place = xasprintf("%s%s:", what, file);
	const char *at = strstr(out, place);

	return at != NULL ? (unsigned)strtoul(at + strlen(place), NULL, 10) : 0;
}

/*
 * The decision of the OpenSSH client on c with file: `ssh -v` with
 * StrictHostKeyChecking=yes, whose server is `sshd -i` presenting c's key,
 * run as its ProxyCommand in a mount namespace with a /run of its own
 * (sshd wants /run/sshd).  *line gets the line the client names, or 0.
 */
static enum berth_ssh_hostkey_status
openssh_decision(const struct kh_case *c, const char *file, unsigned *line)
{
	BERTH_AUTOFREE char *proxy = xasprintf(
		"unshare -m sh -c 'mount -t tmpfs tmpfs /run && mkdir /run/sshd && "
		"exec /usr/sbin/sshd -i -f /dev/null -o LogLevel=QUIET -h %s/%c'",
		dir, c->offered);
	BERTH_AUTOFREE char *known_hosts = xasprintf("UserKnownHostsFile=%s", file);
	BERTH_AUTOFREE char *proxy_command = xasprintf("ProxyCommand=%s", proxy);
	BERTH_AUTOFREE char *port = xasprintf("%u", c->port);
	const char *argv[] = {
		"ssh", "-F", "/dev/null", "-v", "-o", "BatchMode=yes",
		"-o", "StrictHostKeyChecking=yes", "-o", known_hosts,
		"-o", "GlobalKnownHostsFile=/dev/null", "-o", "CheckHostIP=no",
		"-o", "UpdateHostKeys=no", "-o", "PubkeyAuthentication=no",
		"-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no",
		"-o", "GSSAPIAuthentication=no", "-o", proxy_command,
		"-p", port, "-l", "root", c->address, "true", NULL,
	};
	/* It fails even on a key it accepts: it has no way to log in. */
	BERTH_AUTOFREE char *out = run(argv, true, true);

	*line = 0;
	if (strstr(out, "REVOKED HOST KEY DETECTED") != NULL)
		return REVOKED;
	if (strstr(out, "REMOTE HOST IDENTIFICATION HAS CHANGED") != NULL) {
		const char *offending = strstr(out, "Offending ");

		*line = offending != NULL ? line_after(offending, " key in ", file) : 0;
		return CHANGED;
	}
	if (strstr(out, "is known and matches the") != NULL) {
		*line = line_after(out, "Found key in ", file);
		return OK;
	}
	if (strstr(out, "host key is known for") != NULL)
		return UNKNOWN;
	fail_msg("no decision of the OpenSSH client in its output:\n%s", out);
	return BERTH_SSH_HOSTKEY_LAST;
}

static const char *const status_names[] = {
	[OK] = "ok", [UNKNOWN] = "unknown", [CHANGED] = "changed", [REVOKED] = "revoked",
};

_Static_assert(sizeof(status_names) / sizeof(status_names[0]) == BERTH_SSH_HOSTKEY_LAST,
	       "one name per decision");

/* One case of the table: berth's decision, then OpenSSH's beside it. */
static void
test_known_hosts_case(void **state)
{
	const struct kh_case *c = *state;
	const struct test_key *offered = key_of(c->offered);
	BERTH_AUTOPTR(berth_ssh_knownhosts) kh = NULL;
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOFREE char *file = NULL;
	BERTH_AUTOFREE char *text = NULL;
	enum berth_ssh_hostkey_status got;
	struct berth_host host;
	unsigned line = 99;

	if (dir[0] == '\0')
		skip();
	file = xasprintf("%s/%s", dir, c->name);
	text = expand(c->lines, file);
	write_file(file, text);
	if (c->hashed) {
		const char *argv[] = { "ssh-keygen", "-H", "-f", file, NULL };

		free(run(argv, false, false));
	}
	host = (struct berth_host){ .name = "h", .address = (char *)c->address, .port = c->port,
				    .user = "root", .known_hosts = file };
	kh = berth_ssh_knownhosts_load(&host, &err);
	assert_non_null(kh);

	got = berth_ssh_knownhosts_check(kh, &host, offered->blob, offered->blob_len, &line, &err);
	if (got != c->expected)
		fail_msg("berth decided %s, not %s: %s", status_names[got], status_names[c->expected],
			 err != NULL ? berth_error_message(err) : "");
	assert_int_equal(line, c->line);
	if (c->message != NULL) {
		BERTH_AUTOFREE char *expected = expand(c->message, file);

		assert_non_null(err);
		assert_string_equal(berth_error_message(err), expected);
		assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	} else {
		assert_null(err);
	}

	/* The lines for each name berth looks up are the lines ssh-keygen finds. */
	for (int with_port = 1; with_port >= (c->port == 22); with_port--) {
		BERTH_AUTOFREE char *name = lookup_name(&host, with_port);
		BERTH_AUTOFREE char *theirs = ssh_keygen_finds(file, name);
		BERTH_AUTOBUF struct berth_buf ours = BERTH_BUF_INIT;

		berth_ssh_knownhosts_find(kh, name, &ours);
		if (c->stricter != NULL) {
			BERTH_AUTOFREE char *expected = expand(c->openssh_finds, file);

			assert_string_equal(theirs, expected);
		} else if (strcmp(ours.buf, theirs) != 0) {
			fail_msg("lines for '%s': berth finds '%s', ssh-keygen -F '%s'",
				 name, ours.buf, theirs);
		}
	}

	/* The client's decision, and the line it names where it names one. */
	if (no_client == NULL) {
		unsigned their_line = 0;
		enum berth_ssh_hostkey_status theirs = openssh_decision(c, file, &their_line);
		enum berth_ssh_hostkey_status want = c->stricter != NULL ? c->openssh : c->expected;

		if (theirs != want)
			fail_msg("the OpenSSH client decided %s, not %s", status_names[theirs],
				 status_names[want]);
		if (c->stricter == NULL && (theirs == OK || theirs == CHANGED))
			assert_int_equal(their_line, c->line);
	}
}

#define NEED_SERVER()					\
	do {						\
		(void)state;				\
		if (srv.pid <= 0 || dir[0] == '\0')	\
			skip();				\
	} while (0)

/*
 * Connects to the server with a known_hosts file called name holding text
 * (see expand()): returns NULL on success, or the error message; the
 * caller frees it.
 */
static char *
connect_with(const char *name, const char *text)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_ssh) ssh = NULL;
	BERTH_AUTOFREE char *file = xasprintf("%s/%s", srv.dir, name);
	BERTH_AUTOFREE char *lines = expand(text, file);
	struct berth_host host = srv.host;

	write_file(file, lines);
	host.known_hosts = file;
	ssh = berth_ssh_connect(&host, &err);
	if (ssh != NULL)
		return NULL;
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	return xstrdup(berth_error_message(err));
}

static void
test_connect_refuses_a_revoked_key_that_a_line_also_accepts(void **state)
{
	BERTH_AUTOFREE char *msg = NULL;
	BERTH_AUTOFREE char *expected = NULL;

	NEED_SERVER();
	msg = connect_with("revoked", "@revoked * {K}\n[127.0.0.1]:{P} {K}\n");
	expected = xasprintf("host 'lo': host key for '127.0.0.1' (%s) is marked @revoked in "
			     "%s/revoked:1", server_fingerprint, srv.dir);
	assert_non_null(msg);
	assert_string_equal(msg, expected);
}

static void
test_connect_port_line_with_another_key_is_not_overridden_by_a_plain_one(void **state)
{
	BERTH_AUTOFREE char *msg = NULL;
	BERTH_AUTOFREE char *expected = NULL;

	NEED_SERVER();
	msg = connect_with("port", "[127.0.0.1]:{P} {B}\n127.0.0.1 {K}\n");
	expected = xasprintf("host 'lo': host key for '127.0.0.1' does not match known_hosts "
			     "'%s/port': got %s (possible man-in-the-middle, or the host was "
			     "reinstalled); %s/port:1 has ssh-ed25519 %s for '[127.0.0.1]:%u'",
			     srv.dir, server_fingerprint, srv.dir, key_of('B')->fingerprint,
			     srv.port);
	assert_non_null(msg);
	assert_string_equal(msg, expected);
}

static void
test_connect_without_a_port_line_takes_the_plain_one_as_openssh_does(void **state)
{
	BERTH_AUTOFREE char *msg = NULL;

	NEED_SERVER();
	msg = connect_with("plain", "127.0.0.1 {K}\n");
	if (msg != NULL)
		fail_msg("connecting failed: %s", msg);
}

static int
setup(void **state)
{
	(void)state;
	if (berth_fx_sh("command -v ssh-keygen >/dev/null") < 0)
		return 0;	/* dir stays "": every test skips */
	snprintf(dir, sizeof(dir), "/tmp/berth-test-knownhosts-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	for (size_t i = 0; i < N_KEYS; i++) {
		if (make_key(&keys[i]) < 0)
			return -1;
	}
	if (getuid() != 0)
		no_client = "not run as root (sshd -i, unshare -m)";
	else if (access("/usr/sbin/sshd", X_OK) != 0 ||
		 berth_fx_sh("command -v ssh unshare >/dev/null") < 0)
		no_client = "no /usr/sbin/sshd, ssh or unshare";
	else if (RUNNING_ON_VALGRIND)
		no_client = "under valgrind, which would trace the client";
	if (no_client != NULL)
		fprintf(stderr, "# the OpenSSH client's decisions are left out: %s\n", no_client);

	if (berth_fx_sshd_start(&srv, "lo") < 0)
		return -1;
	if (srv.pid > 0) {
		BERTH_AUTOFREE char *pub = xasprintf("%s/host.pub", srv.dir);

		server_key = key_line_of(pub);
		server_fingerprint = fingerprint_of(pub);
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	berth_fx_sshd_stop(&srv);
	free(server_key);
	free(server_fingerprint);
	for (size_t i = 0; i < N_KEYS; i++) {
		free(keys[i].line);
		free(keys[i].base64);
		free(keys[i].fingerprint);
		free(keys[i].blob);
	}
	if (dir[0] != '\0')
		berth_fx_sh("rm -rf %s", dir);
	return 0;
}

int
main(void)
{
	struct CMUnitTest tests[N_CASES + 3] = {
		cmocka_unit_test(test_connect_refuses_a_revoked_key_that_a_line_also_accepts),
		cmocka_unit_test(test_connect_port_line_with_another_key_is_not_overridden_by_a_plain_one),
		cmocka_unit_test(test_connect_without_a_port_line_takes_the_plain_one_as_openssh_does),
	};

	for (size_t i = 0; i < N_CASES; i++) {
		tests[3 + i] = (struct CMUnitTest){
			.name = cases[i].name,
			.test_func = test_known_hosts_case,
			.initial_state = (void *)&cases[i],
		};
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
