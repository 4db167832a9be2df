/*
 * Opening libvirt connections without prompts, and libvirt's errors as
 * berth errors.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include <libvirt/virterror.h>

#include "core/buf.h"
#include "core/log.h"
#include "executors/transport/libvirt.h"

/* libvirt calls this instead of printing; berth reads the last error. */
static void
silent_error_handler(void *data, virErrorPtr error)
{
	(void)data;
	(void)error;
}

static pthread_once_t libvirt_once = PTHREAD_ONCE_INIT;

static void
libvirt_init_once(void)
{
	if (virInitialize() < 0) {
		fputs("berth: cannot initialize libvirt\n", stderr);
		abort();
	}
	virSetErrorFunc(NULL, silent_error_handler);
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

virConnectPtr
berth_libvirt_open_uri(const char *uri, struct berth_error **err)
{
	virConnectPtr conn;

	berth_libvirt_global_init();
	conn = virConnectOpenAuth(uri, &no_interaction, 0);
	if (conn == NULL)
		berth_libvirt_error(err, BERTH_ERROR_HOST, "cannot connect to libvirt at '%s'", uri);
	return conn;
}

#if defined(__SANITIZE_ADDRESS__)
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
	BERTH_AUTOFREE char *uri = berth_host_libvirt_uri(host);
	virConnectPtr conn = berth_libvirt_open_uri(uri, err);

	if (conn == NULL)
		berth_error_prefix(err, "host '%s': ", host->name);
	else
		berth_log_debug("host '%s': libvirt connection to '%s'", host->name, uri);
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
