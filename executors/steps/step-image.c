/*
 * image-create: a disk image on its storage server, made with qemu-img over
 * SSH.  berth never overwrites an image: the file is created exclusively
 * (the shell's noclobber, O_EXCL) in the same command that runs qemu-img on
 * it, so a second apply, or anyone else, that made the file first makes
 * this step find it and leave it alone.  Done when a file is at that path.
 * Answers are framed lines with a nonce (core/remote.h): a login banner
 * cannot fake one.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/remote.h"
#include "core/util.h"
#include "executors/steps/step.h"

static int
image_check(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
	BERTH_AUTOBUF struct berth_buf cmd = BERTH_BUF_INIT;
	char nonce[BERTH_REMOTE_NONCE_LEN + 1], word[32];

	berth_remote_nonce(nonce);
	berth_remote_word(&cmd, "if test -e");
	berth_remote_arg(&cmd, step->path);
	berth_buf_addf(&cmd, "; then echo BERTH-%s exists; else echo BERTH-%s absent; fi", nonce, nonce);
	if (berth_step_run_framed(ctx, step, cmd.buf, nonce, word, err) < 0)
		return -1;
	return berth_streq(word, "exists") ? 1 : 0;
}

/*
 * One command: create the file exclusively, then qemu-img writes the image
 * into it; if qemu-img fails, the file this command made is removed.  The
 * exclusive create runs in a subshell: a failed redirection of ':' (a
 * special built-in) would end a POSIX shell such as dash.
 *
 *   set -C; if ( : > PATH ) 2>/dev/null; then
 *     if qemu-img create -q -f FORMAT PATH SIZE; then echo BERTH-N created;
 *     else rm -f PATH; exit 3; fi
 *   else echo BERTH-N exists; fi
 *
 * A qemu-img failure is then a failed command, reported with its stderr.
 */
static int
image_create(struct berth_step_ctx *ctx, const struct berth_step *step,
	     struct berth_step_outcome *out, struct berth_error **err)
{
	BERTH_AUTOBUF struct berth_buf cmd = BERTH_BUF_INIT;
	char nonce[BERTH_REMOTE_NONCE_LEN + 1], word[32], size[32];

	berth_remote_nonce(nonce);
	snprintf(size, sizeof(size), "%" PRIu64, step->size_bytes);
	berth_remote_word(&cmd, "set -C; if ( : >");
	berth_remote_arg(&cmd, step->path);
	berth_remote_word(&cmd, ") 2>/dev/null; then if qemu-img create -q -f");
	berth_remote_arg(&cmd, step->format);
	berth_remote_arg(&cmd, step->path);
	berth_remote_arg(&cmd, size);
	berth_buf_addf(&cmd, "; then echo BERTH-%s created; else rm -f", nonce);
	berth_remote_arg(&cmd, step->path);
	berth_buf_addf(&cmd, "; exit 3; fi; else echo BERTH-%s exists; fi", nonce);
	if (berth_step_run_framed(ctx, step, cmd.buf, nonce, word, err) < 0)
		return -1;
	if (berth_streq(word, "created")) {
		berth_buf_addf(&out->note, "created %s", step->path);
		return 0;
	}
	if (berth_streq(word, "exists")) {
		berth_buf_addf(&out->note, "%s appeared meanwhile: left as it is", step->path);
		return 0;
	}
	berth_error_set(err, BERTH_ERROR_HOST, "host '%s': unexpected answer '%s' creating image '%s'",
			step->host, word, step->path);
	return -1;
}

const struct berth_step_ops berth_step_image_create_ops = {
	.check = image_check,
	.apply = image_create,
};
