/* SIGINT and SIGTERM: see interrupt.h.  The handler only writes flags and,
 * before any change, calls write(2) and _exit(2), which are async-signal-safe. */
#include <string.h>
#include <unistd.h>

#include "cli/interrupt.h"

volatile sig_atomic_t berth_interrupt_level;
static volatile sig_atomic_t acting;
static volatile sig_atomic_t first_signal;

static void
on_signal(int sig)
{
	static const char msg[] = "\nberth: interrupted before any change: nothing was changed\n";

	if (!acting) {
		ssize_t n = write(STDERR_FILENO, msg, sizeof(msg) - 1);

		(void)n;
		_exit(128 + sig);
	}
	if (first_signal == 0)
		first_signal = sig;
	/* SIGTERM asks for an orderly end only; a second SIGINT aborts. */
	if (berth_interrupt_level == 0)
		berth_interrupt_level = 1;
	else if (sig == SIGINT)
		berth_interrupt_level = 2;
}

void
berth_interrupt_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a read at the prompt returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void
berth_interrupt_acting(void)
{
	acting = 1;
}

int
berth_interrupt_exit_code(void)
{
	return first_signal != 0 ? 128 + first_signal : 0;
}
