/*
 * executors/transport/libvirt.c: a host that accepts the TCP connection and
 * never says a word (a stopped sshd) does not hang berth.  The "host" is a
 * listening socket on loopback that this test holds silent.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "executors/transport/libvirt.h"
#include "tests/fixture/sshd.h"

static void
test_libvirt_open_gives_up_on_a_host_that_never_answers(void **state)
{
	BERTH_AUTOPTR(berth_error) err = NULL;
	unsigned port;
	int fd = berth_fx_unanswered_listener(4, &port);
	char *uri = xasprintf("qemu+libssh2://root@127.0.0.1:%u/system?sshauth=privkey&"
			      "keyfile=/nonexistent&known_hosts=/dev/null&known_hosts_verify=normal",
			      port);
	struct timespec settle = { .tv_sec = 0, .tv_nsec = 300 * 1000 * 1000 };
	double start;

	(void)state;
	assert_true(fd >= 0);
	berth_libvirt_set_open_timeout(1);
	start = berth_now_s();
	assert_null(berth_libvirt_open_uri(uri, &err));
	assert_true(berth_now_s() - start < 5.0);
	assert_non_null(err);
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	assert_non_null(strstr(berth_error_message(err), "no answer within 1 s"));
	/* The host goes away: the abandoned open ends and cleans up after itself. */
	close(fd);
	nanosleep(&settle, NULL);
	berth_libvirt_set_open_timeout(0);
	free(uri);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libvirt_open_gives_up_on_a_host_that_never_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
