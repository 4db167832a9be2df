/*
 * Gathering facts from every host at once: one thread per host, each with
 * its own SSH session (driven by a second thread, so SSH and libvirt
 * overlap) and its own libvirt connection.  The slowest host sets the
 * time, not the sum of them.
 */
#include <pthread.h>
#include <string.h>

#include <libxml/parser.h>

#include "core/log.h"
#include "core/util.h"
#include "executors/facts/facts.h"
#include "executors/transport/libvirt.h"

static int
connect_ssh(const struct berth_host *host, struct berth_transport *t,
	    void (*reached)(void *data), void *data, struct berth_error **err)
{
	struct berth_ssh *ssh = berth_ssh_connect_notify(host, reached, data, err);

	if (ssh == NULL)
		return -1;
	*t = berth_ssh_transport(ssh);
	return 0;
}

const struct berth_facts_connect_ops berth_facts_connect_real = {
	.ssh = connect_ssh,
	.libvirt = berth_libvirt_open,
};

/* One host's job, run by its own thread. */
struct host_job {
	const struct berth_inventory *inv;
	const struct berth_host *host;
	const struct berth_facts_connect_ops *ops;
	struct berth_host_fact *fact;
	pthread_t thread;
};

/*
 * The SSH side of a host, run by a second thread while the host's thread
 * talks to libvirt: connect, log in, run the facts script.
 */
struct ssh_side {
	const struct host_job *job;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int reached;		/* 0: not yet known, 1: the host answered, -1: no */
	struct berth_transport t;	/* t.ops is NULL unless connected */
	struct berth_buf out;		/* what the facts script printed */
	struct berth_error *err;
	pthread_t thread;
};

static void
ssh_side_set_reached(struct ssh_side *side, int reached)
{
	pthread_mutex_lock(&side->lock);
	if (side->reached == 0)
		side->reached = reached;
	pthread_cond_signal(&side->cond);
	pthread_mutex_unlock(&side->lock);
}

static void
ssh_side_reached(void *data)
{
	ssh_side_set_reached(data, 1);
}

static void *
ssh_thread(void *arg)
{
	struct ssh_side *side = arg;
	const struct host_job *job = side->job;
	struct berth_transport t;

	if (job->ops->ssh(job->host, &t, ssh_side_reached, side, &side->err) < 0) {
		ssh_side_set_reached(side, -1);
		return NULL;
	}
	ssh_side_set_reached(side, 1);
	side->t = t;
	/* libvirt has not named the host yet: the script resolves the host's
	 * own idea of its FQDN, which is almost always the same name. */
	berth_facts_ssh_run(&t, job->inv, job->host, NULL, &side->out, &side->err);
	return NULL;
}

/*
 * SSH and libvirt at the same time: libvirt starts as soon as the host has
 * answered on its SSH port, so an unreachable host is given up after the
 * SSH connect timeout (libvirt has none), and a reachable one costs the
 * slower of the two instead of their sum.
 */
static int
gather_host(struct host_job *job, struct berth_error **err)
{
	struct ssh_side side = {
		.job = job, .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER,
		.out = BERTH_BUF_INIT,
	};
	BERTH_AUTOPTR(berth_error) libvirt_err = NULL;
	virConnectPtr conn = NULL;
	int reached;
	int rc;

	rc = pthread_create(&side.thread, NULL, ssh_thread, &side);
	if (rc != 0) {
		berth_error_set_errno(err, BERTH_ERROR_SYSTEM, rc, "cannot start a thread");
		return -1;
	}
	pthread_mutex_lock(&side.lock);
	while (side.reached == 0)
		pthread_cond_wait(&side.cond, &side.lock);
	reached = side.reached;
	pthread_mutex_unlock(&side.lock);
	if (reached > 0) {
		conn = job->ops->libvirt(job->host, &libvirt_err);
		if (conn != NULL) {
			berth_facts_from_libvirt(conn, job->fact, &libvirt_err);
			virConnectClose(conn);
		}
	}
	pthread_join(side.thread, NULL);

	/* SSH's error first: a refused host key or login is the root cause
	 * libvirt, going the same way, would only echo. */
	rc = -1;
	if (side.err != NULL) {
		berth_error_set(err, berth_error_kind(side.err), "%s", berth_error_message(side.err));
	} else if (libvirt_err != NULL) {
		berth_error_set(err, berth_error_kind(libvirt_err), "%s",
				berth_error_message(libvirt_err));
	} else {
		rc = berth_facts_parse_ssh_output(side.out.buf, job->fact, err);
		if (rc < 0)
			berth_error_prefix(err, "host '%s': ", job->host->name);
		else if (rc == 1)
			rc = berth_facts_ssh_resolve(&side.t, job->host, job->fact, err);
	}
	if (side.t.ops != NULL)
		side.t.ops->close(side.t.conn);
	berth_error_free(side.err);
	berth_buf_release(&side.out);
	pthread_mutex_destroy(&side.lock);
	pthread_cond_destroy(&side.cond);
	return rc;
}

static void *
host_thread(void *arg)
{
	struct host_job *job = arg;
	BERTH_AUTOPTR(berth_error) err = NULL;
	double start = berth_now_s();

	job->fact->name = xstrdup(job->host->name);
	if (gather_host(job, &err) < 0) {
		/* What was read before the failure is not a fact about the host. */
		berth_host_fact_clear(job->fact);
		job->fact->name = xstrdup(job->host->name);
		job->fact->error = xstrdup(err != NULL ? berth_error_message(err)
					   : "unknown error");
		berth_log_info("%s", job->fact->error);
	} else {
		job->fact->reachable = true;
		berth_log_info("host '%s': %zu domains, facts in %.0f ms", job->host->name,
			       job->fact->n_domains, (berth_now_s() - start) * 1000);
	}
	return NULL;
}

struct berth_facts *
berth_facts_gather_with(const struct berth_inventory *inv,
			const struct berth_facts_connect_ops *ops, struct berth_error **err)
{
	BERTH_AUTOPTR(berth_facts) facts = xcalloc(1, sizeof(*facts));
	BERTH_AUTOFREE struct host_job *jobs = xcalloc(inv->n_hosts, sizeof(*jobs));
	size_t started = 0;
	int rc = 0;

	/* The libraries' one-time set-up, before any thread uses them. */
	xmlInitParser();
	berth_ssh_global_init();
	berth_libvirt_global_init();

	facts->hosts = xcalloc(inv->n_hosts, sizeof(*facts->hosts));
	facts->n_hosts = inv->n_hosts;
	for (; started < inv->n_hosts; started++) {
		jobs[started] = (struct host_job){
			.inv = inv, .host = &inv->hosts[started], .ops = ops,
			.fact = &facts->hosts[started],
		};
		rc = pthread_create(&jobs[started].thread, NULL, host_thread, &jobs[started]);
		if (rc != 0)
			break;
	}
	for (size_t i = 0; i < started; i++)
		pthread_join(jobs[i].thread, NULL);
	if (rc != 0) {
		berth_error_set_errno(err, BERTH_ERROR_SYSTEM, rc,
				      "cannot start a thread to gather facts from host '%s'",
				      inv->hosts[started].name);
		return NULL;
	}
	return berth_steal_pointer(&facts);
}

struct berth_facts *
berth_facts_gather(const struct berth_inventory *inv, struct berth_error **err)
{
	return berth_facts_gather_with(inv, &berth_facts_connect_real, err);
}
