/*
 * image-create: a disk image on its storage server, made with qemu-img over
 * SSH.  Done when a file is already at that path: berth never overwrites an
 * image.
 */
#include <inttypes.h>

#include "core/util.h"
#include "executors/steps/step.h"

static int
image_exists(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
	BERTH_AUTOFREE char *path = berth_shell_quote(step->path);
	BERTH_AUTOFREE char *cmd = xasprintf("if test -e %s; then echo yes; else echo no; fi", path);
	BERTH_AUTOBUF struct berth_buf out = BERTH_BUF_INIT;

	if (berth_sessions_run(ctx->sessions, step->host, cmd, &out, err) < 0)
		return -1;
	berth_buf_rtrim(&out);
	return berth_streq(out.buf, "yes") ? 1 : 0;
}

static int
image_create(struct berth_step_ctx *ctx, const struct berth_step *step,
	     struct berth_step_outcome *out, struct berth_error **err)
{
	BERTH_AUTOFREE char *format = berth_shell_quote(step->format);
	BERTH_AUTOFREE char *path = berth_shell_quote(step->path);
	BERTH_AUTOFREE char *cmd = xasprintf("qemu-img create -q -f %s %s %" PRIu64,
					     format, path, step->size_bytes);

	if (berth_sessions_run(ctx->sessions, step->host, cmd, NULL, err) < 0)
		return -1;
	berth_buf_addf(&out->note, "created %s", step->path);
	return 0;
}

const struct berth_step_ops berth_step_image_create_ops = {
	.check = image_exists,
	.apply = image_create,
};
