/*
 * The step executors against libvirt's own in-process test driver
 * (test:///default, a real libvirt driver): for define, start, stop and
 * verify, check() says whether the goal holds, apply() reaches it, and
 * check() then says "already done"; and image-create through a FAKE SSH
 * transport that records the exact commands (nothing real can run a
 * storage server in a unit test).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

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

/* The FAKE SSH transport: records each command; "test -e" answers from the
 * files qemu-img "created". */
static struct {
	struct berth_buf commands;	/* one per line */
	bool created;
} fake_ssh = { .commands = BERTH_BUF_INIT };

static int
fake_run(void *conn, const char *cmd, struct berth_buf *out, struct berth_buf *err_out,
	 int *exit_status, struct berth_error **err)
{
	(void)conn;
	(void)err_out;
	(void)err;
	berth_buf_addf(&fake_ssh.commands, "%s\n", cmd);
	if (strncmp(cmd, "qemu-img create", 15) == 0)
		fake_ssh.created = true;
	else if (out != NULL && strncmp(cmd, "if test -e", 10) == 0)
		berth_buf_add(out, fake_ssh.created ? "yes\n" : "no\n");
	*exit_status = 0;
	return 0;
}

static void
fake_close(void *conn)
{
	(void)conn;
}

static const struct berth_transport_ops fake_transport = { .run = fake_run, .close = fake_close };

static int
fake_ssh_open(const struct berth_host *host, struct berth_transport *t, struct berth_error **err)
{
	(void)host;
	(void)err;
	*t = (struct berth_transport){ .ops = &fake_transport, .conn = NULL };
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

static void
test_steps_image_create_over_a_recording_fake_ssh_runs_qemu_img_once(void **state)
{
	struct env *e = *state;
	struct berth_step image = step_of(BERTH_STEP_IMAGE_CREATE);

	image.domain = NULL;
	image.path = (char *)"/srv/share/it's.qcow2";
	image.format = (char *)"qcow2";
	image.size_bytes = 67108864;
	berth_buf_reset(&fake_ssh.commands);
	fake_ssh.created = false;
	assert_int_equal(check(e, &image), 0);
	apply(e, &image);
	assert_int_equal(check(e, &image), 1);
	/* The path reaches the shell quoted, and the image is made once. */
	assert_string_equal(fake_ssh.commands.buf,
		"if test -e '/srv/share/it'\\''s.qcow2'; then echo yes; else echo no; fi\n"
		"qemu-img create -q -f 'qcow2' '/srv/share/it'\\''s.qcow2' 67108864\n"
		"if test -e '/srv/share/it'\\''s.qcow2'; then echo yes; else echo no; fi\n");
	berth_buf_release(&fake_ssh.commands);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps_reach_their_goal_then_check_says_already_done),
		cmocka_unit_test(test_steps_define_check_compares_with_the_step_xml),
		cmocka_unit_test(test_steps_image_create_over_a_recording_fake_ssh_runs_qemu_img_once),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
