/* One libvirt connection and one SSH session per host: see sessions.h. */
#include <pthread.h>
#include <stdatomic.h>

#include <libvirt/virterror.h>

#include "core/log.h"
#include "core/util.h"
#include "executors/transport/libvirt.h"
#include "executors/transport/sessions.h"
#include "executors/transport/ssh.h"

struct host_sessions {
	const struct berth_host *host;
	pthread_mutex_t lock;		/* guards opening, not use */
	virConnectPtr conn;
	char *conn_error;		/* why conn could not be opened */
	struct berth_transport ssh;	/* ssh.ops NULL: not open */
	char *ssh_error;
	pthread_mutex_t ssh_lock;	/* one command at a time per session */
};

struct berth_sessions {
	const struct berth_inventory *inv;
	const struct berth_sessions_ops *ops;
	struct host_sessions *hosts;	/* in inventory order */
	atomic_uint mutations;
};

static int
real_ssh(const struct berth_host *host, struct berth_transport *t, struct berth_error **err)
{
	struct berth_ssh *ssh = berth_ssh_connect(host, err);

	if (ssh == NULL)
		return -1;
	*t = berth_ssh_transport(ssh);
	return 0;
}

const struct berth_sessions_ops berth_sessions_real = {
	.libvirt = berth_libvirt_open,
	.ssh = real_ssh,
};

struct berth_sessions *
berth_sessions_new(const struct berth_inventory *inv)
{
	return berth_sessions_new_with(inv, &berth_sessions_real);
}

struct berth_sessions *
berth_sessions_new_with(const struct berth_inventory *inv, const struct berth_sessions_ops *ops)
{
	struct berth_sessions *s = xcalloc(1, sizeof(*s));

	s->inv = inv;
	s->ops = ops;
	s->hosts = xcalloc(inv->n_hosts + 1, sizeof(*s->hosts));
	for (size_t i = 0; i < inv->n_hosts; i++) {
		s->hosts[i].host = &inv->hosts[i];
		pthread_mutex_init(&s->hosts[i].lock, NULL);
		pthread_mutex_init(&s->hosts[i].ssh_lock, NULL);
	}
	atomic_init(&s->mutations, 0);
	return s;
}

void
berth_sessions_free(struct berth_sessions *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->inv->n_hosts; i++) {
		struct host_sessions *h = &s->hosts[i];

		if (h->conn != NULL)
			virConnectClose(h->conn);
		if (h->ssh.ops != NULL)
			h->ssh.ops->close(h->ssh.conn);
		free(h->conn_error);
		free(h->ssh_error);
		pthread_mutex_destroy(&h->lock);
		pthread_mutex_destroy(&h->ssh_lock);
	}
	free(s->hosts);
	free(s);
}

static struct host_sessions *
find(struct berth_sessions *s, const char *host, struct berth_error **err)
{
	for (size_t i = 0; i < s->inv->n_hosts; i++) {
		if (berth_streq(s->hosts[i].host->name, host))
			return &s->hosts[i];
	}
	berth_error_set(err, BERTH_ERROR_INTERNAL, "host '%s' is not in the inventory", host);
	return NULL;
}

virConnectPtr
berth_sessions_libvirt(struct berth_sessions *s, const char *host, struct berth_error **err)
{
	struct host_sessions *h = find(s, host, err);
	struct berth_error *open_err = NULL;
	virConnectPtr conn;

	if (h == NULL)
		return NULL;
	pthread_mutex_lock(&h->lock);
	if (h->conn == NULL && h->conn_error == NULL) {
		h->conn = s->ops->libvirt(h->host, &open_err);
		if (h->conn == NULL)
			h->conn_error = xstrdup(berth_error_message(open_err));
		berth_error_free(open_err);
	}
	conn = h->conn;
	if (conn == NULL)
		berth_error_set(err, BERTH_ERROR_HOST, "%s", h->conn_error);
	pthread_mutex_unlock(&h->lock);
	return conn;
}

virConnectPtr
berth_sessions_libvirt_own(struct berth_sessions *s, const char *host, struct berth_error **err)
{
	struct host_sessions *h = find(s, host, err);

	return h != NULL ? s->ops->libvirt(h->host, err) : NULL;
}

struct opener {
	struct berth_sessions *s;
	const char *host;
	pthread_t thread;
	bool started;
};

static void *
open_one(void *arg)
{
	struct opener *o = arg;

	berth_sessions_libvirt(o->s, o->host, NULL);
	return NULL;
}

void
berth_sessions_open_all(struct berth_sessions *s)
{
	struct opener *o = xcalloc(s->inv->n_hosts + 1, sizeof(*o));

	for (size_t i = 0; i < s->inv->n_hosts; i++) {
		o[i] = (struct opener){ .s = s, .host = s->inv->hosts[i].name };
		o[i].started = pthread_create(&o[i].thread, NULL, open_one, &o[i]) == 0;
	}
	for (size_t i = 0; i < s->inv->n_hosts; i++) {
		if (o[i].started)
			pthread_join(o[i].thread, NULL);
	}
	free(o);
}

/* The host's command transport, opened on first use; NULL with an error. */
static const struct berth_transport *
ssh_session(struct berth_sessions *s, struct host_sessions *h, struct berth_error **err)
{
	struct berth_error *open_err = NULL;
	const struct berth_transport *t;

	pthread_mutex_lock(&h->lock);
	if (h->ssh.ops == NULL && h->ssh_error == NULL &&
	    s->ops->ssh(h->host, &h->ssh, &open_err) < 0) {
		h->ssh = (struct berth_transport){ .ops = NULL };
		h->ssh_error = xstrdup(berth_error_message(open_err));
	}
	berth_error_free(open_err);
	t = h->ssh.ops != NULL ? &h->ssh : NULL;
	if (t == NULL)
		berth_error_set(err, BERTH_ERROR_HOST, "%s", h->ssh_error);
	pthread_mutex_unlock(&h->lock);
	return t;
}

int
berth_sessions_run(struct berth_sessions *s, const char *host, const char *cmd,
		   struct berth_buf *out, struct berth_error **err)
{
	struct host_sessions *h = find(s, host, err);
	BERTH_AUTOBUF struct berth_buf stdout_buf = BERTH_BUF_INIT;
	BERTH_AUTOBUF struct berth_buf stderr_buf = BERTH_BUF_INIT;
	const struct berth_transport *ssh;
	int status = 0, rc;

	if (h == NULL || (ssh = ssh_session(s, h, err)) == NULL)
		return -1;
	berth_log_debug("host '%s': running: %s", host, cmd);
	pthread_mutex_lock(&h->ssh_lock);
	rc = berth_transport_run(ssh, cmd, &stdout_buf, &stderr_buf, &status, err);
	pthread_mutex_unlock(&h->ssh_lock);
	if (rc < 0)
		return -1;
	if (status != 0) {
		berth_buf_rtrim(&stderr_buf);
		berth_error_set(err, BERTH_ERROR_HOST, "host '%s': '%s' failed with exit status %d: %s",
				host, cmd, status, stderr_buf.len > 0 ? stderr_buf.buf : "(no output)");
		return -1;
	}
	if (out != NULL)
		berth_buf_addn(out, stdout_buf.buf, stdout_buf.len);
	return 0;
}

void
berth_sessions_count_mutation(struct berth_sessions *s, const char *host,
			      const char *call, const char *domain)
{
	atomic_fetch_add(&s->mutations, 1);
	berth_log_info("host '%s': %s '%s'", host, call, domain);
}

unsigned
berth_sessions_mutations(const struct berth_sessions *s)
{
	return atomic_load(&s->mutations);
}

int
berth_sessions_lookup(struct berth_sessions *s, const char *host, const char *name,
		      virDomainPtr *dom, struct berth_error **err)
{
	virConnectPtr conn = berth_sessions_libvirt(s, host, err);

	*dom = NULL;
	if (conn == NULL)
		return -1;
	if (virConnectIsAlive(conn) == 0) {
		berth_error_set(err, BERTH_ERROR_HOST,
				"host '%s': the libvirt connection was lost (no answer to keepalive)", host);
		return -1;
	}
	*dom = virDomainLookupByName(conn, name);
	if (*dom != NULL)
		return 1;
	if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN)
		return 0;
	berth_libvirt_error(err, BERTH_ERROR_HOST, "host '%s': cannot look up domain '%s'", host, name);
	return -1;
}
