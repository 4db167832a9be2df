/* Atomic files and whole writes: see file.h. */
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"

/* Writes all len bytes at data to fd.  Returns 0, or -1 with errno set. */
static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;	/* no progress and no reason: do not spin */
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Records "cannot write [WHAT ]'PATH': strerror(errnum)"; returns -1. */
static int
fail(const char *path, const char *what, int errnum, struct berth_error **err)
{
	if (what != NULL)
		berth_error_set_errno(err, BERTH_ERROR_SYSTEM, errnum, "cannot write %s '%s'",
				      what, path);
	else
		berth_error_set_errno(err, BERTH_ERROR_SYSTEM, errnum, "cannot write '%s'", path);
	return -1;
}

/*
 * Makes the rename of an entry of the directory dir (dir_len bytes of a
 * path; 0: the current directory) durable.  Returns 0, or -1 with errno set.
 */
static int
sync_dir(const char *dir, size_t dir_len)
{
	BERTH_AUTOFREE char *name = dir_len > 0 ? xstrndup(dir, dir_len) : xstrdup(".");
	int fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc, saved;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	/* EINVAL: a file system that cannot sync directories; nothing to do. */
	if (rc < 0 && errno == EINVAL)
		rc = 0;
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int
berth_file_write_atomic(const char *path, const char *what, const void *data, size_t len,
			mode_t mode, struct berth_error **err)
{
	BERTH_AUTOBUF struct berth_buf tmp = BERTH_BUF_INIT;
	const char *slash = strrchr(path, '/');
	const char *base = slash != NULL ? slash + 1 : path;
	size_t dir_len = (size_t)(base - path);
	int fd, saved;

	if (*base == '\0')
		return fail(path, what, *path != '\0' ? EISDIR : ENOENT, err);

	/* "dir/.p.json.XXXXXX": the same directory, so the same file system. */
	berth_buf_addn(&tmp, path, dir_len);
	berth_buf_addf(&tmp, ".%s.XXXXXX", base);
	fd = mkostemp(tmp.buf, O_CLOEXEC);
	if (fd < 0)
		return fail(path, what, errno, err);
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		saved = errno;
		close(fd);
		unlink(tmp.buf);
		return fail(path, what, saved, err);
	}
	if (close(fd) < 0 || rename(tmp.buf, path) < 0) {
		saved = errno;
		unlink(tmp.buf);
		return fail(path, what, saved, err);
	}
	if (sync_dir(path, dir_len) < 0)
		return fail(path, what, errno, err);
	return 0;
}

int
berth_file_write_stream(FILE *fp, const char *name, const void *data, size_t len,
			struct berth_error **err)
{
	if (fflush(fp) != 0 || write_all(fileno(fp), data, len) < 0) {
		berth_error_set_errno(err, BERTH_ERROR_SYSTEM, errno, "cannot write %s", name);
		return -1;
	}
	return 0;
}
