/*
 * Writing what berth renders: files a user keeps (saved plans, facts) and
 * standard output.
 *
 * A command renders its output into memory first (open_memstream() or a
 * struct berth_buf), then hands the bytes to one call here, so a failure is
 * reported once, with its errno, and naming where the bytes were going:
 *
 *	if (berth_file_write_atomic(path, "plan", text, len, 0600, err) < 0)
 *		return -1;	"cannot write plan 'p.json': No space left on device"
 *
 * berth_file_write_atomic() never leaves a half-written file at path: a
 * reader sees the old file or the new one.  It writes a temporary file next
 * to path (".NAME.XXXXXX", created with O_EXCL, so nothing planted at that
 * name is followed), sets its mode with fchmod() so that the umask cannot
 * widen or narrow it, writes every byte, fsync()s it and rename()s it over
 * path, then fsync()s the directory.  rename() replaces the directory entry
 * path itself: a symlink at path is replaced by the new file and its target
 * is left as it was; a hard link to the old file keeps the old content.  The
 * new file belongs to berth's user and has exactly mode; the old file's
 * owner and mode are not kept.  Symlinks among the directories of path are
 * followed as usual.
 */
#ifndef BERTH_CORE_FILE_H
#define BERTH_CORE_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "core/error.h"

/*
 * Replaces the file at path with the len bytes at data, atomically, with
 * exactly mode (as above).  what names the file for the message ("plan"),
 * or is NULL.  Returns 0, or -1 with a BERTH_ERROR_SYSTEM error "cannot
 * write WHAT 'PATH': REASON" (without WHAT when it is NULL); then the
 * temporary file is removed and path is as it was.  A failure to fsync the
 * directory after the rename is reported too, though path then already has
 * the new content (EINVAL, a file system that cannot sync directories, is
 * not a failure).
 */
int berth_file_write_atomic(const char *path, const char *what, const void *data, size_t len,
			    mode_t mode, struct berth_error **err);

/*
 * Writes the len bytes at data to fp's descriptor (fp must have one: not a
 * memstream), after flushing what fp holds so that the order is kept.  Writing with write(2) keeps the errno of
 * the write that failed, which stdio may lose.  name says where fp goes
 * ("standard output").  Returns 0, or -1 with a BERTH_ERROR_SYSTEM error
 * "cannot write NAME: REASON" ("Broken pipe" when the reader has gone, as
 * berth ignores SIGPIPE).  fp stays the caller's.
 */
int berth_file_write_stream(FILE *fp, const char *name, const void *data, size_t len,
			    struct berth_error **err);

#endif /* BERTH_CORE_FILE_H */
