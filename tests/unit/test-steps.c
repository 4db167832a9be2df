/*
 * The step executors against libvirt's own in-process test driver
 * (test:///default, a real libvirt driver): for define, start, stop and
 * verify, check() says whether the goal holds, apply() reaches it, and
 * check() then says "already done"; and image-create and lease with SSH replaced by
 * a local /bin/sh that runs the exact commands (and can print a login
 * banner first), against a temporary folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "executors/steps/step.h"
#include "executors/transport/libvirt.h"

#define DOMAIN_XML \
	"<domain type='test'>\n" \
	"  <name>t1</name>\n" \
	"  <uuid>0b9f2d3e-5c4a-4e1b-9f00-00000000b1e7</uuid>\n" \
	"  <memory unit='KiB'>131072</memory>\n" \
	"  <vcpu>1</vcpu>\n" \
	"  <os><type>hvm</type></os>\n" \
	"</domain>\n"

/*
 * The SSH stand-in: each command runs in a real local /bin/sh, exactly as
 * it would reach the host, and is recorded; a login banner, with a forged
 * answer in it, can be printed before the command's output.
 */
static struct {
	struct berth_buf commands;	/* one per line */
	bool banner;
} local_sh = { .commands = BERTH_BUF_INIT };

static int
local_run(void *conn, const char *cmd, struct berth_buf *out, struct berth_buf *err_out,
	  int *exit_status, struct berth_error **err)
{
	char buf[4096];
	size_t n;
	FILE *fp;
	int status;

	(void)conn;
	(void)err_out;
	berth_buf_addf(&local_sh.commands, "%s\n", cmd);
	if (local_sh.banner && out != NULL)
		berth_buf_add(out, "Welcome to h3\nBERTH-00000000000000000000000000000000 exists\n");
	fp = popen(cmd, "r");
	if (fp == NULL) {
		berth_error_set(err, BERTH_ERROR_SYSTEM, "popen failed");
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (out != NULL)
			berth_buf_addn(out, buf, n);
	}
	status = pclose(fp);
	*exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	return 0;
}

static void
local_close(void *conn)
{
	(void)conn;
}

static const struct berth_transport_ops local_transport = { .run = local_run, .close = local_close };

static int
fake_ssh_open(const struct berth_host *host, struct berth_transport *t, struct berth_error **err)
{
	(void)host;
	(void)err;
	*t = (struct berth_transport){ .ops = &local_transport, .conn = NULL };
	return 0;
}

/* libvirt for real (the host's URI is test:///default), SSH faked. */
static const struct berth_sessions_ops fake_ops = {
	.libvirt = berth_libvirt_open,
	.ssh = fake_ssh_open,
};

struct env {
	struct berth_host host;
	struct berth_inventory inv;
	struct berth_sessions *sessions;
	struct berth_step_ctx ctx;
};

static int
setup(void **state)
{
	struct env *e = xcalloc(1, sizeof(*e));

	e->host.name = xstrdup("h1");
	e->host.libvirt_uri = xstrdup("test:///default");
	e->inv.hosts = &e->host;
	e->inv.n_hosts = 1;
	e->sessions = berth_sessions_new_with(&e->inv, &fake_ops);
	e->ctx = (struct berth_step_ctx){ .inv = &e->inv, .sessions = e->sessions,
					  .stop_timeout_s = 5 };
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;

	berth_sessions_free(e->sessions);
	free(e->host.name);
	free(e->host.libvirt_uri);
	free(e);
	return 0;
}

static struct berth_step
step_of(enum berth_step_kind kind)
{
	return (struct berth_step){ .id = 1, .kind = kind, .host = (char *)"h1",
				    .domain = (char *)"t1" };
}

static int
check(struct env *e, const struct berth_step *s)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	int rc = berth_step_ops_for(s->kind)->check(&e->ctx, s, &err);

	if (rc < 0)
		fail_msg("check failed: %s", berth_error_message(err));
	return rc;
}

static void
apply(struct env *e, const struct berth_step *s)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_step_outcome out = { .note = BERTH_BUF_INIT };
	int rc = berth_step_ops_for(s->kind)->apply(&e->ctx, s, &out, &err);

	berth_buf_release(&out.note);
	if (rc < 0)
		fail_msg("apply failed: %s", berth_error_message(err));
}

/* define, start, stop and verify in the order a plan has them. */
static void
test_steps_reach_their_goal_then_check_says_already_done(void **state)
{
	struct env *e = *state;
	struct berth_step define = step_of(BERTH_STEP_DEFINE);
	struct berth_step start = step_of(BERTH_STEP_START);
	struct berth_step stop = step_of(BERTH_STEP_STOP);
	struct berth_step verify = step_of(BERTH_STEP_VERIFY);
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_step_outcome out = { .note = BERTH_BUF_INIT };

	define.xml = (char *)DOMAIN_XML;
	assert_int_equal(check(e, &define), 0);
	apply(e, &define);
	assert_int_equal(check(e, &define), 1);

	assert_int_equal(check(e, &start), 0);
	apply(e, &start);
	assert_int_equal(check(e, &start), 1);

	verify.state = (char *)"running";
	apply(e, &verify);

	assert_int_equal(check(e, &stop), 0);
	apply(e, &stop);
	assert_int_equal(check(e, &stop), 1);

	/* verify fails, naming what differs, when the state is not the step's. */
	verify.state = (char *)"running";
	assert_int_equal(berth_step_ops_for(BERTH_STEP_VERIFY)->apply(&e->ctx, &verify, &out, &err), -1);
	assert_string_equal(berth_error_message(err),
			    "verify: domain 't1' on 'h1' is shutoff, the plan says running");
	berth_buf_release(&out.note);
}

/* A definition that differs from the step's XML is not "already done". */
static void
test_steps_define_check_compares_with_the_step_xml(void **state)
{
	struct env *e = *state;
	struct berth_step define = step_of(BERTH_STEP_DEFINE);
	char *bigger = xstrdup(DOMAIN_XML);

	memcpy(strstr(bigger, "131072"), "262144", 6);
	define.xml = bigger;
	assert_int_equal(check(e, &define), 0);
	apply(e, &define);
	assert_int_equal(check(e, &define), 1);
	free(bigger);
}

/* An image step for a file in a fresh temporary folder (dir, removed by the caller). */
static struct berth_step
image_step(char *dir, const char *name, const char *format)
{
	struct berth_step image = step_of(BERTH_STEP_IMAGE_CREATE);

	assert_non_null(mkdtemp(dir));
	image.domain = NULL;
	image.path = xasprintf("%s/%s", dir, name);
	image.format = (char *)format;
	image.size_bytes = 1048576;
	berth_buf_reset(&local_sh.commands);
	local_sh.banner = false;
	return image;
}

static void
drop_image(char *dir, struct berth_step *image)
{
	unlink(image->path);
	rmdir(dir);
	free(image->path);
}

/* The file's first bytes: a qcow2 image starts "QFI\xfb". */
static bool
is_qcow2(const char *path)
{
	unsigned char magic[4] = { 0 };
	FILE *fp = fopen(path, "rb");
	bool ok = fp != NULL && fread(magic, 1, 4, fp) == 4 && memcmp(magic, "QFI\xfb", 4) == 0;

	if (fp != NULL)
		fclose(fp);
	return ok;
}

static void
test_steps_image_create_through_a_local_shell_creates_once(void **state)
{
	struct env *e = *state;
	char dir[] = "/tmp/berth-image-XXXXXX";
	struct berth_step image = image_step(dir, "it's a.qcow2", "qcow2");

	assert_int_equal(check(e, &image), 0);
	apply(e, &image);
	assert_true(is_qcow2(image.path));
	assert_int_equal(check(e, &image), 1);
	/* One command checks, one creates; the path is a quoted value each time. */
	assert_non_null(strstr(local_sh.commands.buf, "set -C; if ( : > '"));
	assert_non_null(strstr(local_sh.commands.buf, "/it'\\''s a.qcow2'"));
	drop_image(dir, &image);
}

/* Another apply made the file between this one's check and its apply: it stays. */
static void
test_steps_image_create_never_overwrites_a_file_made_meanwhile(void **state)
{
	struct env *e = *state;
	char dir[] = "/tmp/berth-image-XXXXXX";
	struct berth_step image = image_step(dir, "web1.qcow2", "qcow2");
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_step_outcome out = { .note = BERTH_BUF_INIT };
	FILE *fp;
	char text[16] = { 0 };

	assert_int_equal(check(e, &image), 0);
	fp = fopen(image.path, "w");
	assert_non_null(fp);
	fputs("precious", fp);
	fclose(fp);
	assert_int_equal(berth_step_ops_for(BERTH_STEP_IMAGE_CREATE)->apply(&e->ctx, &image, &out, &err), 0);
	assert_non_null(strstr(out.note.buf, "appeared meanwhile: left as it is"));
	fp = fopen(image.path, "r");
	assert_non_null(fp);
	assert_non_null(fgets(text, sizeof(text), fp));
	fclose(fp);
	assert_string_equal(text, "precious");
	berth_buf_release(&out.note);
	drop_image(dir, &image);
}

/* A banner with a forged answer before the command's output changes nothing. */
static void
test_steps_image_check_is_not_fooled_by_a_banner(void **state)
{
	struct env *e = *state;
	char dir[] = "/tmp/berth-image-XXXXXX";
	struct berth_step image = image_step(dir, "web1.qcow2", "qcow2");

	local_sh.banner = true;
	assert_int_equal(check(e, &image), 0);
	apply(e, &image);
	assert_true(is_qcow2(image.path));
	/* With the image there, a banner does not make it look absent. */
	assert_int_equal(check(e, &image), 1);
	drop_image(dir, &image);
}

/* qemu-img failing leaves no empty file behind for the next run to trust. */
static void
test_steps_image_create_failing_leaves_no_file(void **state)
{
	struct env *e = *state;
	char dir[] = "/tmp/berth-image-XXXXXX";
	struct berth_step image = image_step(dir, "web1.img", "no-such-format");
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_step_outcome out = { .note = BERTH_BUF_INIT };

	assert_int_equal(berth_step_ops_for(BERTH_STEP_IMAGE_CREATE)->apply(&e->ctx, &image, &out, &err), -1);
	assert_non_null(strstr(berth_error_message(err), "failed with exit status 3"));
	assert_int_equal(access(image.path, F_OK), -1);
	berth_buf_release(&out.note);
	drop_image(dir, &image);
}

/* A lease step for dir/web1.qcow2.berth-lease, from previous ("": none) to dest. */
static struct berth_step
lease_step(char *dir, const char *previous, const char *dest)
{
	struct berth_step lease = step_of(BERTH_STEP_LEASE);

	assert_non_null(mkdtemp(dir));
	lease.path = xasprintf("%s/web1.qcow2.berth-lease", dir);
	lease.previous = (char *)previous;
	lease.dest = (char *)dest;
	berth_buf_reset(&local_sh.commands);
	local_sh.banner = true;
	return lease;
}

/* The lease's holder (its link's target), or "" with no lease. */
static char *
holder(const struct berth_step *lease)
{
	char target[256];
	ssize_t n = readlink(lease->path, target, sizeof(target) - 1);

	target[n > 0 ? n : 0] = '\0';
	return xstrdup(target);
}

static void
drop_lease(char *dir, struct berth_step *lease)
{
	BERTH_AUTOFREE char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(lease->path);
}

static void
test_steps_lease_is_claimed_then_moved_through_a_local_shell(void **state)
{
	struct env *e = *state;
	char dir[] = "/tmp/berth-lease-XXXXXX";
	struct berth_step lease = lease_step(dir, "", "h1");
	BERTH_AUTOFREE char *first = NULL;
	BERTH_AUTOFREE char *second = NULL;

	assert_int_equal(check(e, &lease), 0);
	apply(e, &lease);
	first = holder(&lease);
	assert_string_equal(first, "h1");
	assert_int_equal(check(e, &lease), 1);
	/* The next plan moves it from h1 to a host whose name needs quoting. */
	lease.previous = (char *)"h1";
	lease.dest = (char *)"it's h2";
	assert_int_equal(check(e, &lease), 0);
	apply(e, &lease);
	second = holder(&lease);
	assert_string_equal(second, "it's h2");
	assert_int_equal(check(e, &lease), 1);
	assert_non_null(strstr(local_sh.commands.buf, "mv -f -T"));
	drop_lease(dir, &lease);
}

/* A lease that names neither the plan's holder nor dest is left alone. */
static void
test_steps_lease_held_by_another_host_is_refused_through_a_local_shell(void **state)
{
	struct env *e = *state;
	char dir[] = "/tmp/berth-lease-XXXXXX";
	struct berth_step lease = lease_step(dir, "h1", "h2");
	BERTH_AUTOPTR(berth_error) err = NULL;
	BERTH_AUTOPTR(berth_error) apply_err = NULL;
	struct berth_step_outcome out = { .note = BERTH_BUF_INIT };
	BERTH_AUTOFREE char *after = NULL;
	BERTH_AUTOFREE char *want = NULL;

	assert_int_equal(symlink("h9", lease.path), 0);
	assert_int_equal(berth_step_ops_for(BERTH_STEP_LEASE)->check(&e->ctx, &lease, &err), -1);
	want = xasprintf("host 'h1': the lease '%s' names neither 'h2' nor the holder the plan saw (it named 'h1'), or is not a lease; berth leaves it alone: see where domain 't1' runs, then plan again",
			 lease.path);
	assert_string_equal(berth_error_message(err), want);
	assert_int_equal(berth_step_ops_for(BERTH_STEP_LEASE)->apply(&e->ctx, &lease, &out, &apply_err), -1);
	after = holder(&lease);
	assert_string_equal(after, "h9");
	berth_buf_release(&out.note);
	drop_lease(dir, &lease);
}

/* Claiming a lease that appeared meanwhile fails: ln -s never replaces. */
static void
test_steps_lease_claim_never_replaces_one_made_meanwhile_through_a_local_shell(void **state)
{
	struct env *e = *state;
	char dir[] = "/tmp/berth-lease-XXXXXX";
	struct berth_step lease = lease_step(dir, "", "h1");
	BERTH_AUTOPTR(berth_error) err = NULL;
	struct berth_step_outcome out = { .note = BERTH_BUF_INIT };
	BERTH_AUTOFREE char *after = NULL;
	FILE *fp;

	assert_int_equal(check(e, &lease), 0);
	fp = fopen(lease.path, "w");	/* not even a link */
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(berth_step_ops_for(BERTH_STEP_LEASE)->apply(&e->ctx, &lease, &out, &err), -1);
	after = holder(&lease);
	assert_string_equal(after, "");
	berth_buf_release(&out.note);
	drop_lease(dir, &lease);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps_reach_their_goal_then_check_says_already_done),
		cmocka_unit_test(test_steps_define_check_compares_with_the_step_xml),
		cmocka_unit_test(test_steps_image_create_through_a_local_shell_creates_once),
		cmocka_unit_test(test_steps_image_create_never_overwrites_a_file_made_meanwhile),
		cmocka_unit_test(test_steps_image_check_is_not_fooled_by_a_banner),
		cmocka_unit_test(test_steps_image_create_failing_leaves_no_file),
		cmocka_unit_test(test_steps_lease_is_claimed_then_moved_through_a_local_shell),
		cmocka_unit_test(test_steps_lease_held_by_another_host_is_refused_through_a_local_shell),
		cmocka_unit_test(test_steps_lease_claim_never_replaces_one_made_meanwhile_through_a_local_shell),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
