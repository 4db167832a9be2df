/*
 * The scheduler's side of interrupts (see apply.h): noticing a raised
 * level, and at level 2 asking every running step to abort, each in a
 * thread of its own and again every ABORT_REPEAT_MS until it ends.
 */
#include <signal.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "executors/scheduler.h"

/*
 * Acts on a raised interrupt level: the steps running now are in flight,
 * and nothing new starts.  Called with the lock held, by the calling
 * thread only: the one the workers leave the signals to, so that the
 * level is read where the signal handler writes it.
 */
void
berth_scheduler_notice_interrupt(struct berth_scheduler *s)
{
	int level = s->opts->interrupt != NULL ? *s->opts->interrupt : 0;

	if (level <= s->level)
		return;
	if (s->level == 0) {
		for (size_t i = 0; i < s->n_workers; i++) {
			if (s->workers[i].job != NULL)
				s->results[berth_scheduler_job_id(s, s->workers[i].job) - 1].in_flight = true;
		}
	}
	s->level = level > 2 ? 2 : level;
	s->stopping = true;
}

/* How often, and for how long at most, abort() is asked again. */
#define ABORT_REPEAT_MS 500
#define ABORT_REPEAT_FOR_S 60

/* One step's abort(), run in a thread of its own by abort_running(). */
struct aborter {
	struct berth_scheduler *s;
	struct berth_scheduler_job *job;
	pthread_t thread;
	bool started;
};

static void *
abort_one(void *arg)
{
	struct timespec pause = { .tv_sec = 0, .tv_nsec = ABORT_REPEAT_MS * 1000000L };
	struct aborter *a = arg;
	double start = berth_now_s();
	BERTH_AUTOBUF struct berth_buf what = BERTH_BUF_INIT;
	bool applying = true;

	/* A host may take an abort too early to mean anything (a migration
	 * whose job has not started yet): ask again until apply() returns. */
	while (applying && berth_now_s() - start < ABORT_REPEAT_FOR_S) {
		BERTH_AUTOPTR(berth_error) e = NULL;

		if (a->job->ops->abort(&a->s->ctx, a->job->step, &e) < 0) {
			berth_buf_reset(&what);
			berth_step_describe(&what, a->job->step);
			berth_log_warn("step %s: abort failed: %s", what.buf,
				       e != NULL ? berth_error_message(e) : "no reason recorded");
			return NULL;
		}
		nanosleep(&pause, NULL);
		pthread_mutex_lock(&a->s->lock);
		applying = a->job->applying;
		pthread_mutex_unlock(&a->s->lock);
	}
	return NULL;
}

/*
 * Calls the abort() of every step in apply(), once each, with the lock
 * dropped meanwhile.  A step may end in the meantime: its executor's
 * abort() then finds nothing to abort.  Called with the lock held.
 */
static void
abort_running(struct berth_scheduler *s)
{
	BERTH_AUTOFREE struct berth_scheduler_job **running = xcalloc(s->n_workers, sizeof(*running));
	struct aborter *aborters;
	sigset_t block, old;
	size_t n = 0;

	s->aborts_sent = true;
	for (size_t i = 0; i < s->n_workers; i++) {
		struct berth_scheduler_job *job = s->workers[i].job;

		if (job != NULL && job->applying && job->ops->abort != NULL) {
			s->results[berth_scheduler_job_id(s, job) - 1].aborted = true;
			running[n++] = job;
		}
	}
	pthread_mutex_unlock(&s->lock);
	/* At once, each in its thread: one abort that waits on its host must
	 * not hold up the others. */
	aborters = xcalloc(n + 1, sizeof(*aborters));
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (size_t i = 0; i < n; i++) {
		aborters[i] = (struct aborter){ .s = s, .job = running[i] };
		aborters[i].started = pthread_create(&aborters[i].thread, NULL, abort_one,
						     &aborters[i]) == 0;
		if (!aborters[i].started)
			abort_one(&aborters[i]);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	for (size_t i = 0; i < n; i++) {
		if (aborters[i].started)
			pthread_join(aborters[i].thread, NULL);
	}
	free(aborters);
	pthread_mutex_lock(&s->lock);
}

/* Waits until the workers have ended, acting on interrupts meanwhile. */
void
berth_scheduler_wait_for_end(struct berth_scheduler *s)
{
	pthread_mutex_lock(&s->lock);
	while (!s->ended) {
		struct timespec until;

		if (s->opts->interrupt == NULL) {
			pthread_cond_wait(&s->end, &s->lock);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += INTERRUPT_POLL_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->end, &s->lock, &until);
		berth_scheduler_notice_interrupt(s);
		if (s->level >= 2 && !s->aborts_sent)
			abort_running(s);
	}
	pthread_mutex_unlock(&s->lock);
}

