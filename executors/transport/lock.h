/*
 * Host locks: `berth apply` holds one on every host it will change, for as
 * long as it runs, so that two applies never act on the same host at once.
 *
 *	char text[BERTH_LOCK_HOLDER_TEXT_SIZE];
 *	struct berth_lock_holder self;
 *
 *	berth_lock_holder_self(&self, text, sizeof(text));
 *	BERTH_AUTOPTR(berth_host_locks) locks =
 *		berth_host_locks_acquire(inv, hosts, n, &self, 0, err);
 *	... apply ...
 *	berth_host_locks_release(berth_steal_pointer(&locks));
 *
 * On the host the lock is a Linux flock on BERTH_LOCK_PATH, held by a shell
 * whose stdin is the SSH channel of a connection of its own, on which berth
 * writes a heartbeat (a newline) every BERTH_LOCK_HEARTBEAT_S seconds.  When
 * berth ends or is killed, the shell reads EOF; when the connection is cut
 * (a firewall, a dead link: the host may never see it close), no heartbeat
 * comes for BERTH_LOCK_EXPIRY_S seconds.  Either way the shell removes the
 * holder file and exits, and the kernel drops the flock with it; if the
 * shell is killed, the flock goes with it all the same.  Nothing left behind matters: the lock file is only a name
 * to lock, and the holder file (BERTH_LOCK_HOLDER_PATH) is only read while
 * someone holds the lock.
 *
 * Locks are taken in one order, by host name (strcmp), so two applies with
 * overlapping hosts cannot deadlock: one waits for or refuses the other.
 * By hand, on the host: `cat /run/lock/berth.holder` names the holder,
 * `fuser -v /run/lock/berth.lock` shows the shell holding the flock, and
 * killing it (or its sshd session) breaks the lock.
 */
#ifndef BERTH_EXECUTORS_LOCK_H
#define BERTH_EXECUTORS_LOCK_H

#include <stddef.h>

#include "core/error.h"
#include "core/inventory.h"
#include "core/mem.h"

/* The file flocked on each host, and the file naming the holder. */
#define BERTH_LOCK_PATH "/run/lock/berth.lock"
#define BERTH_LOCK_HOLDER_PATH "/run/lock/berth.holder"

/* How often berth tells each host it still holds the lock, and when a host gives up. */
#define BERTH_LOCK_HEARTBEAT_S 10
#define BERTH_LOCK_EXPIRY_S 60

/*
 * For tests: the heartbeat's interval and the expiry written into lock
 * shells started from now on (0, 0: the defaults above).  Not thread-safe.
 */
void berth_lock_set_heartbeat(double interval_s, unsigned expiry_s);

/* Who holds a lock, as written on the host and named in a refusal. */
struct berth_lock_holder {
	const char *controller;	/* hostname of the machine berth runs on */
	long pid;		/* berth's process id */
	const char *user;	/* the user berth runs as */
	const char *started;	/* when berth started, ISO 8601 UTC: 2026-12-01T16:20:03Z */
};

/* Room for the strings of berth_lock_holder_self(), with any hostname. */
#define BERTH_LOCK_HOLDER_TEXT_SIZE 512

/*
 * Fills h for this process: the hostname (gethostname), getpid(), the name
 * of the effective user (its number if it has none) and the time now.  The
 * strings are written into buf (size bytes, BERTH_LOCK_HOLDER_TEXT_SIZE is
 * enough; with less they are cut short) and h points into it.  Cannot
 * fail.  Not thread-safe (getpwuid): call it once, at start-up.
 */
void berth_lock_holder_self(struct berth_lock_holder *h, char *buf, size_t size);

/* The locks one apply holds. */
struct berth_host_locks;

/*
 * Locks each of the n_hosts hosts named in hosts (names of inv's hosts),
 * in order of name (strcmp), a name given twice once, each over an SSH
 * connection of its own (berth_ssh_connect()) that lives as long as the
 * lock; self is written on the host as the holder.  With timeout_s 0 a
 * host locked by someone else is refused at once; otherwise a warning
 * (berth_log_warn) names the holder and acquiring waits for it, at most
 * timeout_s seconds in all (each host's wait rounded up to a second).
 *
 * Returns the held locks, which the caller ends with
 * berth_host_locks_release(); or NULL, with every lock it took released
 * again, and an error: HOST for a host that is locked ("host 'h2' is
 * locked by another berth apply: controller 'ci-runner-3', pid 4242, user
 * 'root', since 2026-12-01T16:20:03Z; wait for it to end, or pass
 * --lock-timeout DURATION to wait (to break a stale lock by hand, see 'Host
 * locks' in docs/plan.md)"), cannot be reached or cannot be locked;
 * INTERNAL for a name inv does not have.  What the host reports is cut to
 * printable ASCII of bounded length before it reaches a message.
 */
struct berth_host_locks *berth_host_locks_acquire(const struct berth_inventory *inv,
						  const char *const *hosts, size_t n_hosts,
						  const struct berth_lock_holder *self,
						  unsigned timeout_s, struct berth_error **err);

/*
 * Releases every lock of locks (each host's lock is gone from it when this
 * returns, unless the host stops answering, when it goes with the
 * connection), closes their connections and frees locks.  Accepts NULL.
 */
void berth_host_locks_release(struct berth_host_locks *locks);

BERTH_DEFINE_AUTOPTR(berth_host_locks, berth_host_locks_release)

#endif /* BERTH_EXECUTORS_LOCK_H */
