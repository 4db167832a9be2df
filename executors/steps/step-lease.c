/*
 * lease: the lease beside a disk image on its storage server, the symbolic
 * link IMAGE.berth-lease whose target names the inventory host that may run
 * a QEMU on IMAGE (docs/security.md, "Leases").  The step gives the lease to
 * its dest, taking it from previous ("" when the plan saw none), on the
 * server, over SSH, in one command:
 *
 *   - held by dest already: done;
 *   - none: a symbolic link is created exclusively (ln -s fails if the name
 *     exists), so two applies cannot both claim it;
 *   - held by previous: a new link beside it is renamed over it (rename(2)
 *     is atomic: the lease always names one host);
 *   - anything else (another holder, a file that is not a link): refused,
 *     nothing changes.
 *
 * Answers are framed lines with a nonce (core/remote.h).
 */
#include <stdbool.h>
#include <string.h>

#include "core/remote.h"
#include "core/util.h"
#include "executors/steps/step.h"

/*
 * Appends the shell test of the lease's holder, which sets berth_l to the
 * link's target, and the branches that print "done", "absent" and
 * "previous" (when the step has a previous holder); ACT_ABSENT and
 * ACT_PREVIOUS follow each of the last two if not NULL, else only the word
 * is printed.  Anything else prints "other".
 */
static void
add_lease_test(struct berth_buf *cmd, const struct berth_step *step, const char *nonce,
	       const char *act_absent, const char *act_previous)
{
	berth_remote_word(cmd, "berth_l=$(readlink");
	berth_remote_arg(cmd, step->path);
	berth_remote_word(cmd, "2>/dev/null) || berth_l=; if [ -h");
	berth_remote_arg(cmd, step->path);
	berth_remote_word(cmd, "] && [ \"$berth_l\" =");
	berth_remote_arg(cmd, step->dest);
	berth_buf_addf(cmd, " ]; then echo BERTH-%s done; elif [ ! -e", nonce);
	berth_remote_arg(cmd, step->path);
	berth_remote_word(cmd, "] && [ ! -h");
	berth_remote_arg(cmd, step->path);
	berth_remote_word(cmd, "]; then");
	if (act_absent != NULL)
		berth_remote_word(cmd, act_absent);
	else
		berth_buf_addf(cmd, " echo BERTH-%s absent", nonce);
	if (step->previous != NULL && step->previous[0] != '\0') {
		berth_remote_word(cmd, "; elif [ -h");
		berth_remote_arg(cmd, step->path);
		berth_remote_word(cmd, "] && [ \"$berth_l\" =");
		berth_remote_arg(cmd, step->previous);
		berth_remote_word(cmd, "]; then");
		if (act_previous != NULL)
			berth_remote_word(cmd, act_previous);
		else
			berth_buf_addf(cmd, " echo BERTH-%s previous", nonce);
	}
	berth_buf_addf(cmd, "; else echo BERTH-%s other; fi", nonce);
}

static int
held_elsewhere(const struct berth_step *step, struct berth_error **err)
{
	bool had = step->previous != NULL && step->previous[0] != '\0';
	BERTH_AUTOFREE char *seen = had ? xasprintf("it named '%s'", step->previous)
				       : xstrdup("there was none");

	berth_error_set(err, BERTH_ERROR_HOST,
			"host '%s': the lease '%s' names neither '%s' nor the holder the plan saw (%s), or is not a lease; berth leaves it alone: see where domain '%s' runs, then plan again",
			step->host, step->path, step->dest, seen, step->domain);
	return -1;
}

static int
lease_check(struct berth_step_ctx *ctx, const struct berth_step *step, struct berth_error **err)
{
	BERTH_AUTOBUF struct berth_buf cmd = BERTH_BUF_INIT;
	char nonce[BERTH_REMOTE_NONCE_LEN + 1], word[32];

	berth_remote_nonce(nonce);
	add_lease_test(&cmd, step, nonce, NULL, NULL);
	if (berth_step_run_framed(ctx, step, cmd.buf, nonce, word, err) < 0)
		return -1;
	if (berth_streq(word, "done"))
		return 1;
	if (berth_streq(word, "absent") || berth_streq(word, "previous"))
		return 0;
	return held_elsewhere(step, err);
}

static int
lease_apply(struct berth_step_ctx *ctx, const struct berth_step *step,
	    struct berth_step_outcome *out, struct berth_error **err)
{
	BERTH_AUTOBUF struct berth_buf cmd = BERTH_BUF_INIT;
	BERTH_AUTOBUF struct berth_buf claim = BERTH_BUF_INIT;
	BERTH_AUTOBUF struct berth_buf move = BERTH_BUF_INIT;
	BERTH_AUTOFREE char *tmp = NULL;
	char nonce[BERTH_REMOTE_NONCE_LEN + 1], word[32];

	berth_remote_nonce(nonce);
	tmp = xasprintf("%s.%s", step->path, nonce);
	/* ln -s DEST LEASE: exclusive. */
	berth_remote_word(&claim, "if ln -s");
	berth_remote_arg(&claim, step->dest);
	berth_remote_arg(&claim, step->path);
	berth_buf_addf(&claim, " 2>/dev/null; then echo BERTH-%s created; else echo BERTH-%s other; fi",
		       nonce, nonce);
	/* ln -s DEST TMP && mv -f -T TMP LEASE: atomic. */
	berth_remote_word(&move, "if ln -s");
	berth_remote_arg(&move, step->dest);
	berth_remote_arg(&move, tmp);
	berth_remote_word(&move, "&& mv -f -T");
	berth_remote_arg(&move, tmp);
	berth_remote_arg(&move, step->path);
	berth_buf_addf(&move, "; then echo BERTH-%s moved; else rm -f", nonce);
	berth_remote_arg(&move, tmp);
	berth_remote_word(&move, "; exit 3; fi");
	add_lease_test(&cmd, step, nonce, claim.buf, move.buf);
	if (berth_step_run_framed(ctx, step, cmd.buf, nonce, word, err) < 0)
		return -1;
	if (berth_streq(word, "created") || berth_streq(word, "moved")) {
		berth_buf_addf(&out->note, "leased to %s", step->dest);
		return 0;
	}
	if (berth_streq(word, "done")) {
		berth_buf_addf(&out->note, "leased to %s meanwhile", step->dest);
		return 0;
	}
	return held_elsewhere(step, err);
}

const struct berth_step_ops berth_step_lease_ops = {
	.check = lease_check,
	.apply = lease_apply,
};
