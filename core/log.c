/* Levelled, thread-safe log lines: see log.h. */
#include "core/log.h"

#include <assert.h>
#include <stdatomic.h>
#include <time.h>

#include "core/buf.h"
#include "core/util.h"

static const char *const level_names[] = {
	[BERTH_LOG_ERROR] = "error",
	[BERTH_LOG_WARN] = "warning",
	[BERTH_LOG_INFO] = "info",
	[BERTH_LOG_DEBUG] = "debug",
	[BERTH_LOG_TRACE] = "trace",
};
_Static_assert(sizeof(level_names) / sizeof(level_names[0]) == BERTH_LOG_LAST,
	       "level_names must have one entry per enum berth_log_level");

static atomic_int current_level = BERTH_LOG_WARN;
static _Atomic(FILE *) output;
static atomic_bool timestamps;

void
berth_log_set_level(enum berth_log_level level)
{
	assert((unsigned)level < BERTH_LOG_LAST);
	atomic_store(&current_level, (int)level);
}

enum berth_log_level
berth_log_get_level(void)
{
	return (enum berth_log_level)atomic_load(&current_level);
}

bool
berth_log_enabled(enum berth_log_level level)
{
	return (int)level <= atomic_load(&current_level);
}

enum berth_log_level
berth_log_level_from_verbosity(int verbosity)
{
	if (verbosity < 0)
		return BERTH_LOG_ERROR;
	if (verbosity >= BERTH_LOG_TRACE - BERTH_LOG_WARN)
		return BERTH_LOG_TRACE;
	return (enum berth_log_level)(BERTH_LOG_WARN + verbosity);
}

const char *
berth_log_level_name(enum berth_log_level level)
{
	assert((unsigned)level < BERTH_LOG_LAST);
	return level_names[level];
}

void
berth_log_set_output(FILE *fp)
{
	atomic_store(&output, fp);
}

void
berth_log_set_timestamps(bool on)
{
	atomic_store(&timestamps, on);
}

static void
add_timestamp(struct berth_buf *line)
{
	struct timespec now;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	localtime_r(&now.tv_sec, &tm);
	berth_buf_addf(line, "%02d:%02d:%02d.%03ld ", tm.tm_hour, tm.tm_min,
		       tm.tm_sec, now.tv_nsec / 1000000);
}

void
berth_log_write(enum berth_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	berth_log_vwrite(level, fmt, ap);
	va_end(ap);
}

void
berth_log_vwrite(enum berth_log_level level, const char *fmt, va_list ap)
{
	BERTH_AUTOBUF struct berth_buf line = BERTH_BUF_INIT;
	BERTH_AUTOBUF struct berth_buf message = BERTH_BUF_INIT;
	FILE *fp = atomic_load(&output);

	if (fp == NULL)
		fp = stderr;

	/* Build the whole line first, so it goes out in one write. */
	berth_buf_add(&line, "berth: ");
	if (atomic_load(&timestamps))
		add_timestamp(&line);
	berth_buf_addf(&line, "%s: ", berth_log_level_name(level));
	berth_buf_vaddf(&message, fmt, ap);
	berth_buf_trim_trailing_newline(&message);
	/* One line, whatever a host's error text holds: control bytes as \xNN. */
	berth_buf_add_escaped(&line, message.buf);
	berth_buf_addch(&line, '\n');

	flockfile(fp);
	fwrite_unlocked(line.buf, 1, line.len, fp);
	fflush_unlocked(fp);
	funlockfile(fp);
}
