/* core/mem.h: allocators that never return NULL, and scope-exit cleanup. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/mem.h"

/* A struct with a counting _free(), to watch BERTH_AUTOPTR at work. */
struct counted {
	int *frees;
};

static struct counted *
counted_new(int *frees)
{
	struct counted *c = xmalloc(sizeof(*c));

	c->frees = frees;
	return c;
}

static void
counted_free(struct counted *c)
{
	if (c == NULL)
		return;
	(*c->frees)++;
	free(c);
}

BERTH_DEFINE_AUTOPTR(counted, counted_free)

static void
test_mem_xasprintf_formats_into_new_string(void **state)
{
	BERTH_AUTOFREE char *s = xasprintf("host '%s' has %u GiB", "kvm1", 64u);

	(void)state;
	assert_string_equal(s, "host 'kvm1' has 64 GiB");
}

static void
test_mem_xstrdup_and_xstrndup_copy(void **state)
{
	BERTH_AUTOFREE char *whole = xstrdup("br0");
	BERTH_AUTOFREE char *part = xstrndup("kvm1.example.org", 4);
	BERTH_AUTOFREE char *longer = xstrndup("br0", 99);

	(void)state;
	assert_string_equal(whole, "br0");
	assert_string_equal(part, "kvm1");
	assert_string_equal(longer, "br0");
}

static void
test_mem_zero_sizes_still_return_pointers(void **state)
{
	BERTH_AUTOFREE void *a = xmalloc(0);
	BERTH_AUTOFREE void *b = xcalloc(0, 8);
	BERTH_AUTOFREE void *c = xrealloc(NULL, 0);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
}

static void
test_mem_xcalloc_zeroes_and_xreallocarray_keeps_contents(void **state)
{
	BERTH_AUTOFREE int *v = xcalloc(4, sizeof(*v));

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(v[i], 0);
	v[3] = 42;
	v = xreallocarray(v, 1000, sizeof(*v));
	assert_int_equal(v[3], 42);
}

static void
test_mem_autoptr_frees_at_scope_exit_once(void **state)
{
	int frees = 0;

	(void)state;
	{
		BERTH_AUTOPTR(counted) c = counted_new(&frees);

		assert_non_null(c);
		assert_int_equal(frees, 0);
	}
	assert_int_equal(frees, 1);
	{
		BERTH_AUTOPTR(counted) none = NULL;

		(void)none;
	}
	assert_int_equal(frees, 1);
}

/* Returns early with two values in scope: both must still be freed. */
static int
leave_early(int *frees)
{
	BERTH_AUTOPTR(counted) a = counted_new(frees);
	BERTH_AUTOPTR(counted) b = counted_new(frees);

	if (a != NULL && b != NULL)
		return 1;
	return 0;
}

static void
test_mem_autoptr_frees_on_early_return(void **state)
{
	int frees = 0;

	(void)state;
	assert_int_equal(leave_early(&frees), 1);
	assert_int_equal(frees, 2);
}

/* Builds a value under BERTH_AUTOPTR and hands it out with steal_pointer. */
static struct counted *
make_and_hand_out(int *frees)
{
	BERTH_AUTOPTR(counted) c = counted_new(frees);

	return berth_steal_pointer(&c);
}

static void
test_mem_steal_pointer_moves_ownership_out_of_scope(void **state)
{
	int frees = 0;
	struct counted *c;
	char *s = xstrdup("x");
	char *stolen;

	(void)state;
	c = make_and_hand_out(&frees);
	assert_non_null(c);
	assert_int_equal(frees, 0);
	counted_free(c);
	assert_int_equal(frees, 1);

	stolen = berth_steal_pointer(&s);
	assert_null(s);
	assert_string_equal(stolen, "x");
	free(stolen);
}

/* Leaks here are caught when the tests run under ASan or valgrind. */
static void
test_mem_autofree_releases_at_scope_exit_under_leak_checkers(void **state)
{
	(void)state;
	for (int i = 0; i < 100; i++) {
		BERTH_AUTOFREE char *s = xasprintf("%d", i);
		BERTH_AUTOBUF struct berth_buf sb = BERTH_BUF_INIT;

		berth_buf_add(&sb, s);
		assert_string_equal(sb.buf, s);
	}
}

static void
test_mem_size_overflow_aborts_with_out_of_memory(void **state)
{
	int fds[2];
	char message[128] = "";
	ssize_t n;
	pid_t pid;
	int status;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		xreallocarray(NULL, SIZE_MAX, 2);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], message, sizeof(message) - 1);
	close(fds[0]);
	assert_true(n > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(message, "berth: out of memory\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mem_xasprintf_formats_into_new_string),
		cmocka_unit_test(test_mem_xstrdup_and_xstrndup_copy),
		cmocka_unit_test(test_mem_zero_sizes_still_return_pointers),
		cmocka_unit_test(test_mem_xcalloc_zeroes_and_xreallocarray_keeps_contents),
		cmocka_unit_test(test_mem_autoptr_frees_at_scope_exit_once),
		cmocka_unit_test(test_mem_autoptr_frees_on_early_return),
		cmocka_unit_test(test_mem_steal_pointer_moves_ownership_out_of_scope),
		cmocka_unit_test(test_mem_autofree_releases_at_scope_exit_under_leak_checkers),
		cmocka_unit_test(test_mem_size_overflow_aborts_with_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
