/*
 * Opening libvirt connections without prompts, and libvirt's errors as
 * berth errors.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include <libvirt/virterror.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/uri.h"
#include "executors/transport/libvirt.h"

/* libvirt calls this instead of printing; berth reads the last error. */
static void
silent_error_handler(void *data, virErrorPtr error)
{
	(void)data;
	(void)error;
}

static pthread_once_t libvirt_once = PTHREAD_ONCE_INIT;

/*
 * libvirt's default event loop, run for the life of the process: it is what
 * sends and checks keepalive messages, so that a connection whose host or
 * daemon died mid-call is closed and the call fails instead of waiting for
 * ever.  The thread blocks SIGINT and SIGTERM like every worker.
 */
static void *
event_loop(void *arg)
{
	(void)arg;
	for (;;) {
		if (virEventRunDefaultImpl() < 0)
			berth_log_debug("libvirt event loop: %s", virGetLastErrorMessage());
	}
	return NULL;
}

static void
libvirt_init_once(void)
{
	sigset_t blocked, old;
	pthread_t thread;

	if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0) {
		fputs("berth: cannot initialize libvirt\n", stderr);
		abort();
	}
	virSetErrorFunc(NULL, silent_error_handler);
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGINT);
	sigaddset(&blocked, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &blocked, &old);
	if (pthread_create(&thread, NULL, event_loop, NULL) == 0)
		pthread_detach(thread);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void
berth_libvirt_global_init(void)
{
	pthread_once(&libvirt_once, libvirt_init_once);
}

void
berth_libvirt_error(struct berth_error **err, enum berth_error_kind kind,
		    const char *fmt, ...)
{
	struct berth_buf msg = BERTH_BUF_INIT;
	const char *why;
	va_list ap;

	if (err == NULL || *err != NULL)
		return;
	va_start(ap, fmt);
	berth_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	why = virGetLastErrorMessage();
	berth_error_set(err, kind, "%s: %s", msg.buf,
			why != NULL && why[0] != '\0' ? why : "unknown libvirt error");
	berth_buf_release(&msg);
}

/*
 * The callback behind virConnectOpenAuth: berth runs unattended, so every
 * question (a passphrase, "accept this host key?") is answered with a
 * refusal, which makes the connection fail with libvirt's message.
 */
static int
refuse_interaction(virConnectCredentialPtr cred, unsigned int ncred, void *data)
{
	(void)cred;
	(void)ncred;
	(void)data;
	return -1;
}

static int credential_types[] = {
	VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE, VIR_CRED_ECHOPROMPT, VIR_CRED_NOECHOPROMPT,
};

static virConnectAuth no_interaction = {
	.credtype = credential_types,
	.ncredtype = sizeof(credential_types) / sizeof(credential_types[0]),
	.cb = refuse_interaction,
	.cbdata = NULL,
};

/*
 * An open that may outlive its caller: libvirt's qemu+libssh2 handshake
 * has no timeout of its own, so the open runs in a thread and the caller
 * waits for it until a deadline.  Whoever is last (the caller on time, or
 * the thread after the caller gave up) frees it; an abandoned thread closes
 * the connection it finally gets.
 */
struct opening {
	pthread_mutex_t lock;
	pthread_cond_t done_cond;
	char *uri;
	unsigned keepalive_s;
	virConnectPtr conn;
	char *error;			/* libvirt's message when conn is NULL */
	bool done;
	bool abandoned;
};

/* berth_libvirt_open_uri()'s: tests shorten it. */
static unsigned open_timeout_s = BERTH_HOST_LIBVIRT_TIMEOUT_S;

void
berth_libvirt_set_open_timeout(unsigned seconds)
{
	open_timeout_s = seconds > 0 ? seconds : BERTH_HOST_LIBVIRT_TIMEOUT_S;
}

static void
opening_free(struct opening *o)
{
	pthread_mutex_destroy(&o->lock);
	pthread_cond_destroy(&o->done_cond);
	free(o->uri);
	free(o->error);
	free(o);
}

static void *
open_thread(void *arg)
{
	struct opening *o = arg;
	virConnectPtr conn = virConnectOpenAuth(o->uri, &no_interaction, 0);
	const char *why = conn == NULL ? virGetLastErrorMessage() : NULL;

	/* A peer silent for keepalive_s * (KEEPALIVE_COUNT + 1) s is dead: the
	 * connection closes and its calls fail.  Drivers without keepalive
	 * (test:///) say so; that is fine. */
	if (conn != NULL)
		virConnectSetKeepAlive(conn, (int)o->keepalive_s, BERTH_LIBVIRT_KEEPALIVE_COUNT);
	bool abandoned;

	pthread_mutex_lock(&o->lock);
	o->conn = conn;
	o->error = xstrdup(why != NULL && why[0] != '\0' ? why : "unknown libvirt error");
	o->done = true;
	abandoned = o->abandoned;
	pthread_cond_signal(&o->done_cond);
	pthread_mutex_unlock(&o->lock);
	if (abandoned) {
		if (conn != NULL)
			virConnectClose(conn);
		opening_free(o);
	}
	return NULL;
}

virConnectPtr
berth_libvirt_open_uri_timeout(const char *uri, unsigned timeout_s, unsigned keepalive_s,
			       struct berth_error **err)
{
	BERTH_AUTOFREE char *shown = berth_uri_redacted(uri);
	struct opening *o = xcalloc(1, sizeof(*o));
	pthread_condattr_t attr;
	struct timespec deadline;
	virConnectPtr conn = NULL;
	pthread_t thread;
	bool done;

	berth_libvirt_global_init();
	pthread_mutex_init(&o->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&o->done_cond, &attr);
	pthread_condattr_destroy(&attr);
	o->uri = xstrdup(uri);
	o->keepalive_s = keepalive_s;
	if (pthread_create(&thread, NULL, open_thread, o) != 0) {
		berth_error_set(err, BERTH_ERROR_SYSTEM, "cannot start a thread to connect to libvirt at '%s'",
				shown);
		opening_free(o);
		return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_s;
	pthread_mutex_lock(&o->lock);
	while (!o->done &&
	       pthread_cond_timedwait(&o->done_cond, &o->lock, &deadline) != ETIMEDOUT)
		;
	done = o->done;
	o->abandoned = !done;
	pthread_mutex_unlock(&o->lock);
	if (!done) {
		pthread_detach(thread);
		berth_error_set(err, BERTH_ERROR_HOST,
				"cannot connect to libvirt at '%s': no answer within %u s (TCP connection, SSH handshake or libvirt's greeting stalled)",
				shown, timeout_s);
		return NULL;
	}
	pthread_join(thread, NULL);
	conn = o->conn;
	if (conn == NULL)
		berth_error_set(err, BERTH_ERROR_HOST, "cannot connect to libvirt at '%s': %s", shown,
				o->error);
	opening_free(o);
	return conn;
}

virConnectPtr
berth_libvirt_open_uri(const char *uri, struct berth_error **err)
{
	return berth_libvirt_open_uri_timeout(uri, open_timeout_s, BERTH_HOST_LIBVIRT_KEEPALIVE_S,
					      err);
}

/* gcc says it builds under AddressSanitizer with a macro, clang 14 with a feature test. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BERTH_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(BERTH_ASAN)
/*
 * LeakSanitizer's suppressions for this program.  libvirt 9.0's
 * qemu+libssh2 transport sometimes does not free its libssh2 session when
 * the connection is closed (reproduced without berth: open, call, close in
 * one thread).  LSan's fast unwinder cannot walk through libssh2 back to
 * libvirt, so the suppression names the libraries; berth's own sessions are
 * also checked by valgrind, whose suppression (tests/valgrind.supp) names
 * libvirt's function.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libssh2.so\nleak:libcrypto.so\n";
}

/* Without the table of suppressions used, which would end every run. */
const char *
__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

virConnectPtr
berth_libvirt_open(const struct berth_host *host, struct berth_error **err)
{
	const struct berth_host_timeouts timeouts = berth_host_timeouts(host);
	BERTH_AUTOFREE char *uri = berth_host_libvirt_uri(host);
	virConnectPtr conn = berth_libvirt_open_uri_timeout(uri, timeouts.libvirt_s,
							    timeouts.keepalive_s, err);

	if (conn == NULL)
		berth_error_prefix(err, "host '%s': ", host->name);
	else if (berth_log_enabled(BERTH_LOG_DEBUG)) {
		BERTH_AUTOFREE char *shown = berth_uri_redacted(uri);

		berth_log_debug("host '%s': libvirt connection to '%s'", host->name, shown);
	}
	return conn;
}

enum berth_dom_state
berth_libvirt_dom_state(int state, int reason)
{
	switch (state) {
	case VIR_DOMAIN_RUNNING:
	case VIR_DOMAIN_BLOCKED:
		return BERTH_DOM_RUNNING;
	case VIR_DOMAIN_PAUSED:
		/* Paused by a migration in progress: it still runs, here or there. */
		if (reason == VIR_DOMAIN_PAUSED_MIGRATION || reason == VIR_DOMAIN_PAUSED_POSTCOPY)
			return BERTH_DOM_RUNNING;
		return BERTH_DOM_PAUSED;
	case VIR_DOMAIN_SHUTOFF:
	case VIR_DOMAIN_CRASHED:
		return BERTH_DOM_SHUTOFF;
	default:
		return BERTH_DOM_OTHER;
	}
}
