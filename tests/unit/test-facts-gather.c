/*
 * executors/facts.c and facts-libvirt.c: gathering with libvirt's own
 * in-process test driver (test:///default, a real libvirt driver) and fake
 * SSH transports, so no host is needed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/remote.h"
#include "executors/facts/facts.h"
#include "executors/transport/libvirt.h"

#define TEST_URI "test:///default"

static struct berth_inventory *
inventory(size_t n_hosts)
{
	struct berth_inventory *inv = xcalloc(1, sizeof(*inv));

	inv->path = xstrdup("inventory.yaml");
	inv->n_hosts = n_hosts;
	inv->hosts = xcalloc(n_hosts, sizeof(*inv->hosts));
	for (size_t i = 0; i < n_hosts; i++) {
		struct berth_host *h = &inv->hosts[i];

		h->name = xasprintf("h%zu", i + 1);
		h->address = xasprintf("h%zu.lab", i + 1);
		h->user = xstrdup("root");
		h->port = 22;
		h->libvirt_uri = xstrdup(TEST_URI);
	}
	return inv;
}

static const char alpha_xml[] =
	"<domain type='test'><name>alpha</name><memory unit='MiB'>256</memory>"
	"<vcpu>1</vcpu><os><type>hvm</type></os><devices>"
	"<interface type='bridge'><mac address='52:54:00:00:00:0a'/>"
	"<source bridge='br0'/><model type='virtio'/></interface>"
	"</devices></domain>";

static const char transient_xml[] =
	"<domain type='test'><name>zeta</name><memory>131072</memory>"
	"<vcpu>3</vcpu><os><type>hvm</type></os></domain>";

static void
test_facts_from_libvirt_test_driver(void **state)
{
	virConnectPtr conn = berth_libvirt_open_uri(TEST_URI, NULL);
	struct berth_host_fact h = { .name = xstrdup("h1") };
	virDomainPtr alpha, zeta;
	const struct berth_domain_fact *d;

	(void)state;
	assert_non_null(conn);
	/* Besides the driver's own running "test": a persistent domain that is
	 * off and starts with the host, and a transient one that runs. */
	assert_non_null(alpha = virDomainDefineXML(conn, alpha_xml));
	assert_int_equal(virDomainSetAutostart(alpha, 1), 0);
	assert_non_null(zeta = virDomainCreateXML(conn, transient_xml, 0));

	assert_int_equal(berth_facts_from_libvirt(conn, &h, NULL), 0);
	assert_non_null(h.fqdn);
	assert_string_equal(h.arch, "i686");
	assert_int_equal(h.memory_total_kib, 3145728);
	assert_true(h.memory_free_kib > 0);
	assert_true(h.libvirt_version >= 1000000);
	assert_int_equal(h.qemu_version, 2);	/* the test driver's "0.0.2" */

	assert_int_equal(h.n_domains, 3);
	assert_string_equal(h.domains[0].name, "alpha");	/* sorted by name */
	assert_string_equal(h.domains[1].name, "test");
	assert_string_equal(h.domains[2].name, "zeta");

	d = &h.domains[0];
	assert_int_equal(d->state, BERTH_DOM_SHUTOFF);
	assert_true(d->persistent);
	assert_true(d->autostart);
	assert_int_equal(d->memory_kib, 256 * 1024);
	assert_int_equal(d->n_nics, 1);
	assert_string_equal(d->nics[0].bridge, "br0");
	assert_int_equal(strlen(d->uuid), 36);

	d = &h.domains[1];
	assert_int_equal(d->state, BERTH_DOM_RUNNING);
	assert_true(d->persistent);
	assert_false(d->autostart);
	assert_int_equal(d->memory_kib, 8388608);
	assert_int_equal(d->vcpus, 2);
	assert_string_equal(d->uuid, "6695eb01-f6a4-8304-79aa-97f2502e193f");
	assert_int_equal(d->n_disks, 1);
	assert_string_equal(d->disks[0].target, "vda");
	assert_string_equal(d->disks[0].source, "/guest/diskimage1");
	assert_string_equal(d->nics[0].mac, "aa:bb:cc:dd:ee:ff");
	assert_null(d->nics[0].bridge);		/* type='network' */
	/* Persistent: the inactive XML, without the live id. */
	assert_null(strstr(d->xml, " id="));

	d = &h.domains[2];
	assert_int_equal(d->state, BERTH_DOM_RUNNING);
	assert_false(d->persistent);
	assert_int_equal(d->vcpus, 3);
	/* Transient: the live XML is all there is. */
	assert_non_null(strstr(d->xml, " id="));

	assert_int_equal(virDomainDestroy(zeta), 0);
	assert_int_equal(virDomainUndefine(alpha), 0);
	virDomainFree(zeta);
	virDomainFree(alpha);
	virConnectClose(conn);
	berth_host_fact_clear(&h);
}

static void
test_libvirt_open_failure_names_the_host_and_the_uri(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = inventory(2);
	BERTH_AUTOPTR(berth_error) err = NULL;
	const char *prefix = "host 'h2': cannot connect to libvirt at "
			     "'bogus:///berth': ";

	(void)state;
	free(inv->hosts[1].libvirt_uri);
	inv->hosts[1].libvirt_uri = xstrdup("bogus:///berth");
	assert_null(berth_libvirt_open(&inv->hosts[1], &err));
	assert_int_equal(berth_error_kind(err), BERTH_ERROR_HOST);
	assert_true(strncmp(berth_error_message(err), prefix, strlen(prefix)) == 0);
	/* libvirt's own message follows. */
	assert_true(strlen(berth_error_message(err)) > strlen(prefix));
}

/* Fake SSH for the gathering tests: per host, what to answer and what happened. */
static pthread_mutex_t fake_lock = PTHREAD_MUTEX_INITIALIZER;
static int fake_opened, fake_closed, fake_commands;
static int fake_connecting, fake_connecting_max;	/* connections under way at once */
static unsigned fake_connect_delay_ms;

struct fake_conn {
	char *host;
};

static int
fake_run(void *conn, const char *cmd, struct berth_buf *out, struct berth_buf *err_out,
	 int *exit_status, struct berth_error **err)
{
	struct fake_conn *fc = conn;
	const char *nonce;

	(void)err_out;
	(void)err;
	pthread_mutex_lock(&fake_lock);
	fake_commands++;
	pthread_mutex_unlock(&fake_lock);
	/* Framed as facts-ssh.c frames it, with the nonce of the script in cmd. */
	nonce = strstr(cmd, "berth_nonce=") + strlen("berth_nonce=");
	berth_buf_addf(out, "@@berth-facts %.*s begin\n", BERTH_REMOTE_NONCE_LEN, nonce);
	berth_buf_addf(out, "@@berth-facts %.*s hostname %zu\n%s\n", BERTH_REMOTE_NONCE_LEN, nonce,
		       strlen(fc->host), fc->host);
	berth_buf_addf(out, "@@berth-facts %.*s fqdn 0\n\n", BERTH_REMOTE_NONCE_LEN, nonce);
	berth_buf_addf(out, "@@berth-facts %.*s addresses 11\n198.18.0.%d\n", BERTH_REMOTE_NONCE_LEN,
		       nonce, 10 + fc->host[1] - '0');
	berth_buf_addf(out, "@@berth-facts %.*s vendor 0\n\n", BERTH_REMOTE_NONCE_LEN, nonce);
	berth_buf_addf(out, "@@berth-facts %.*s flags 18\nflags : fpu nx vmx\n",
		       BERTH_REMOTE_NONCE_LEN, nonce);
	berth_buf_addf(out, "@@berth-facts %.*s bridge 3\nbr0\n", BERTH_REMOTE_NONCE_LEN, nonce);
	berth_buf_addf(out, "@@berth-facts %.*s end\n", BERTH_REMOTE_NONCE_LEN, nonce);
	*exit_status = 0;
	return 0;
}

static void
fake_close(void *conn)
{
	struct fake_conn *fc = conn;

	pthread_mutex_lock(&fake_lock);
	fake_closed++;
	pthread_mutex_unlock(&fake_lock);
	free(fc->host);
	free(fc);
}

static const struct berth_transport_ops fake_ops = { .run = fake_run, .close = fake_close };

/* Connects to every host but h2, which refuses, as a host that is down would. */
static int
fake_connect(const struct berth_host *host, struct berth_transport *t,
	     void (*reached)(void *data), void *data, struct berth_error **err)
{
	struct fake_conn *fc;

	pthread_mutex_lock(&fake_lock);
	if (++fake_connecting > fake_connecting_max)
		fake_connecting_max = fake_connecting;
	pthread_mutex_unlock(&fake_lock);
	if (fake_connect_delay_ms > 0)
		usleep(fake_connect_delay_ms * 1000);
	pthread_mutex_lock(&fake_lock);
	fake_connecting--;
	pthread_mutex_unlock(&fake_lock);
	if (strcmp(host->name, "h2") == 0) {
		berth_error_set(err, BERTH_ERROR_HOST,
				"host 'h2': cannot connect to 'h2.lab' port 22: Connection refused");
		return -1;
	}
	reached(data);
	fc = xcalloc(1, sizeof(*fc));
	fc->host = xstrdup(host->name);
	pthread_mutex_lock(&fake_lock);
	fake_opened++;
	pthread_mutex_unlock(&fake_lock);
	*t = (struct berth_transport){ .ops = &fake_ops, .conn = fc };
	return 0;
}

static const struct berth_facts_connect_ops fake_connect_ops = {
	.ssh = fake_connect,
	.libvirt = berth_libvirt_open,
};

static int
reset_fakes(void **state)
{
	(void)state;
	fake_opened = fake_closed = fake_commands = 0;
	fake_connecting = fake_connecting_max = 0;
	fake_connect_delay_ms = 0;
	return 0;
}

static void
test_gather_keeps_order_and_records_the_unreachable_host_fake_transport(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = inventory(3);
	BERTH_AUTOPTR(berth_facts) facts = NULL;
	const struct berth_host_fact *h;

	(void)state;
	facts = berth_facts_gather_with(inv, &fake_connect_ops, NULL);
	assert_non_null(facts);
	assert_int_equal(facts->n_hosts, 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(facts->hosts[i].name, inv->hosts[i].name);

	h = &facts->hosts[1];
	assert_false(h->reachable);
	assert_string_equal(h->error, "host 'h2': cannot connect to 'h2.lab' port 22: "
			    "Connection refused");
	assert_null(h->fqdn);
	assert_int_equal(h->n_domains, 0);

	for (size_t i = 0; i < 3; i += 2) {
		h = &facts->hosts[i];
		assert_true(h->reachable);
		assert_null(h->error);
		assert_string_equal(h->hostname, inv->hosts[i].name);
		assert_non_null(h->fqdn);
		assert_string_equal(h->arch, "i686");
		assert_true(h->cpu_nx);
		assert_true(h->cpu_vmx);
		assert_int_equal(h->n_bridges, 1);
		assert_int_equal(h->n_domains, 1);
		assert_string_equal(h->domains[0].name, "test");
	}
	/* One command per reachable host, and every session closed. */
	assert_int_equal(fake_opened, 2);
	assert_int_equal(fake_commands, 2);
	assert_int_equal(fake_closed, 2);
}

static void
test_gather_asks_all_hosts_at_once_fake_transport(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = inventory(4);
	BERTH_AUTOPTR(berth_facts) facts = NULL;

	(void)state;
	/* Each connection takes 500 ms: long enough for all four to be
	 * under way together if, and only if, hosts are asked in parallel. */
	fake_connect_delay_ms = 500;
	facts = berth_facts_gather_with(inv, &fake_connect_ops, NULL);
	assert_non_null(facts);
	assert_int_equal(facts->n_hosts, 4);
	assert_int_equal(fake_connecting_max, 4);
}

static void
test_gather_of_an_empty_inventory_gives_no_hosts(void **state)
{
	BERTH_AUTOPTR(berth_inventory) inv = inventory(0);
	BERTH_AUTOPTR(berth_facts) facts = NULL;
	BERTH_AUTOFREE char *json = NULL;

	(void)state;
	facts = berth_facts_gather_with(inv, &fake_connect_ops, NULL);
	assert_non_null(facts);
	assert_int_equal(facts->n_hosts, 0);
	json = berth_facts_to_json(facts);
	assert_non_null(strstr(json, "\"hosts\": []"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_facts_from_libvirt_test_driver),
		cmocka_unit_test(test_libvirt_open_failure_names_the_host_and_the_uri),
		cmocka_unit_test_setup(test_gather_keeps_order_and_records_the_unreachable_host_fake_transport,
				       reset_fakes),
		cmocka_unit_test_setup(test_gather_asks_all_hosts_at_once_fake_transport, reset_fakes),
		cmocka_unit_test_setup(test_gather_of_an_empty_inventory_gives_no_hosts, reset_fakes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
