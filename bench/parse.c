/*
 * How long reading and validating a large inventory takes, and its peak
 * memory:
 *
 *	build/.../bench/parse [HOSTS [GROUPS [DOMAINS [RUNS]]]]
 *
 * Defaults: 1000 hosts in 20 groups (under all:, Ansible's shape, with
 * group vars), 20,000 domains with a disk on a share and a NIC each.  The
 * same fleet is also written with hosts: (berth's short form) and timed too.
 * Each run parses in a child process of its own, so its peak RSS is its own
 * (wait4's ru_maxrss).  Prints one line per form, medians over RUNS (5):
 *
 *	form=all hosts=1000 groups=20 domains=20000 bytes=2712345 parse_ms=210.3 peak_rss_mib=61.2
 *
 * When ansible-inventory is on PATH, the hosts part alone (all: with the same
 * groups and vars, no domains) is also timed with `ansible-inventory --list`
 * as the peer, with berth on that same file: a line each, and the ratio.
 * The target: form=all under 300 ms and 100 MiB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/util.h"
#include "parser/inventory.h"

static unsigned long
arg(int argc, char **argv, int i, unsigned long fallback)
{
	char *end;
	unsigned long v;

	if (argc <= i)
		return fallback;
	v = strtoul(argv[i], &end, 10);
	if (*argv[i] == '\0' || *end != '\0' || v == 0) {
		fprintf(stderr, "parse: '%s' is not a positive number\n", argv[i]);
		exit(2);
	}
	return v;
}

struct fleet {
	unsigned long hosts, groups, domains;
};

/* The hosts as all: with groups g0.., each with vars, the hosts spread over them. */
static void
write_all(struct berth_buf *b, const struct fleet *f)
{
	berth_buf_add(b, "all:\n  vars:\n    ansible_user: root\n    key: /srv/bench/id_ed25519\n"
		      "    known_hosts: /srv/bench/known_hosts\n  children:\n");
	for (unsigned long g = 0; g < f->groups; g++) {
		berth_buf_addf(b, "    g%lu:\n      vars:\n        command_timeout: 45s\n"
			       "        rack: r%lu\n      hosts:\n", g, g);
		for (unsigned long h = g; h < f->hosts; h += f->groups)
			berth_buf_addf(b, "        h%lu:\n          ansible_host: 10.%lu.%lu.%lu\n",
				       h, (h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff);
	}
}

/* The same hosts in berth's short form, the group vars in defaults:. */
static void
write_hosts(struct berth_buf *b, const struct fleet *f)
{
	berth_buf_add(b, "defaults:\n  host:\n    user: root\n    key: /srv/bench/id_ed25519\n"
		      "    known_hosts: /srv/bench/known_hosts\n    command_timeout: 45s\nhosts:\n");
	for (unsigned long h = 0; h < f->hosts; h++)
		berth_buf_addf(b, "  h%lu:\n    address: 10.%lu.%lu.%lu\n", h,
			       (h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff);
}

static void
write_domains(struct berth_buf *b, const struct fleet *f)
{
	berth_buf_addf(b, "storage:\n  share:\n    server: h%lu\n    export: /srv/bench/share\n"
		       "domains:\n", f->hosts - 1);
	for (unsigned long d = 0; d < f->domains; d++)
		berth_buf_addf(b, "  d%lu:\n    host: h%lu\n    memory: 512M\n    vcpus: 2\n"
			       "    disks:\n      - storage: share\n        image: d%lu.qcow2\n"
			       "        size: 8G\n    nics:\n      - bridge: br0\n"
			       "        mac: 52:54:00:%02lx:%02lx:%02lx\n",
			       d, d % f->hosts, d, (d >> 16) & 0xff, (d >> 8) & 0xff, d & 0xff);
}

static char *
write_file(const struct berth_buf *b)
{
	char *path = xstrdup("/tmp/berth-bench-parse-XXXXXX.yaml");
	int fd = mkstemps(path, 5);

	if (fd < 0 || write(fd, b->buf, b->len) != (ssize_t)b->len || close(fd) < 0) {
		perror("parse: cannot write the inventory");
		exit(1);
	}
	return path;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, unsigned long n)
{
	qsort(v, n, sizeof(*v), compare_doubles);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Runs one parse in a child: berth's own (argv NULL) or the program argv.
 * Sets *ms to the wall time and *rss_mib to the child's peak RSS.
 */
static void
run_one(const char *path, char *const *argv, double *ms, double *rss_mib)
{
	struct rusage ru;
	double start;
	int status;
	pid_t pid;

	/* Or the child would write what stdout holds again. */
	fflush(stdout);
	start = now_ms();
	pid = fork();

	if (pid < 0) {
		perror("parse: fork");
		exit(1);
	}
	if (pid == 0) {
		if (argv != NULL) {
			if (freopen("/dev/null", "w", stdout) == NULL)
				_exit(127);
			execvp(argv[0], argv);
			_exit(127);
		}
		struct berth_error *err = NULL;
		struct berth_inventory *inv = berth_inventory_load(path, &err);

		if (inv == NULL) {
			fprintf(stderr, "parse: %s\n", berth_error_message(err));
			_exit(1);
		}
		_exit(0);
	}
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "parse: the parse of '%s' failed\n", path);
		exit(1);
	}
	*ms = now_ms() - start;
	*rss_mib = ru.ru_maxrss / 1024.0;
}

/* Times RUNS parses; prints the medians; returns the median time. */
static double
measure(const char *form, const char *path, char *const *argv, const struct fleet *f,
	unsigned long domains, size_t bytes, unsigned long runs)
{
	double *ms = xcalloc(runs, sizeof(*ms));
	double *rss = xcalloc(runs, sizeof(*rss));
	double m;

	for (unsigned long i = 0; i < runs; i++)
		run_one(path, argv, &ms[i], &rss[i]);
	m = median(ms, runs);
	printf("form=%s hosts=%lu groups=%lu domains=%lu bytes=%zu parse_ms=%.1f "
	       "peak_rss_mib=%.1f\n", form, f->hosts, f->groups, domains, bytes, m,
	       median(rss, runs));
	free(ms);
	free(rss);
	return m;
}

static bool
on_path(const char *program)
{
	char command[256];

	snprintf(command, sizeof(command), "command -v %s >/dev/null 2>&1", program);
	return system(command) == 0;
}

int
main(int argc, char **argv)
{
	struct fleet f = {
		.hosts = arg(argc, argv, 1, 1000),
		.groups = arg(argc, argv, 2, 20),
		.domains = arg(argc, argv, 3, 20000),
	};
	unsigned long runs = arg(argc, argv, 4, 5);
	struct berth_buf all = BERTH_BUF_INIT, hosts = BERTH_BUF_INIT, part = BERTH_BUF_INIT;
	char *all_path, *hosts_path, *part_path;

	write_all(&all, &f);
	write_domains(&all, &f);
	write_hosts(&hosts, &f);
	write_domains(&hosts, &f);
	all_path = write_file(&all);
	hosts_path = write_file(&hosts);
	measure("all", all_path, NULL, &f, f.domains, all.len, runs);
	measure("hosts", hosts_path, NULL, &f, f.domains, hosts.len, runs);

	if (on_path("ansible-inventory")) {
		char *peer[] = { "ansible-inventory", "-i", NULL, "--list", NULL };
		double berth_ms, peer_ms;

		write_all(&part, &f);
		part_path = write_file(&part);
		peer[2] = part_path;
		berth_ms = measure("all-hosts-only", part_path, NULL, &f, 0, part.len, runs);
		peer_ms = measure("ansible-inventory", part_path, peer, &f, 0, part.len, runs);
		printf("ratio ansible-inventory/berth on the hosts part: %.1fx\n",
		       peer_ms / berth_ms);
		unlink(part_path);
		free(part_path);
	} else {
		printf("ansible-inventory is not on PATH: no peer measured\n");
	}
	unlink(all_path);
	unlink(hosts_path);
	free(all_path);
	free(hosts_path);
	berth_buf_release(&all);
	berth_buf_release(&hosts);
	berth_buf_release(&part);
	return 0;
}
