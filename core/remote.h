/*
 * Commands that berth runs on hosts, and their answers.
 *
 * A command line is built in a struct berth_buf: berth_remote_word() adds
 * shell syntax written by berth itself, berth_remote_arg() adds a value
 * (an inventory field, a path), always single-quoted, so no value can
 * become syntax.
 *
 * What a host prints is untrusted and may carry a login banner or motd
 * before the command's own output.  A command therefore prints its result
 * as one framed line, "BERTH-NONCE WORD", NONCE being random for each
 * command (berth_remote_nonce()); berth_remote_answer() finds that line and
 * ignores everything else, so neither a banner nor a file name can forge
 * an answer.
 */
#ifndef BERTH_CORE_REMOTE_H
#define BERTH_CORE_REMOTE_H

#include <stddef.h>

#include "core/buf.h"

#define BERTH_REMOTE_NONCE_LEN 32

/* Appends text as it is (berth's own shell syntax), after a space unless cmd is empty. */
void berth_remote_word(struct berth_buf *cmd, const char *text);

/* Appends value single-quoted for a POSIX shell, after a space unless cmd is empty. */
void berth_remote_arg(struct berth_buf *cmd, const char *value);

/* Fills nonce with BERTH_REMOTE_NONCE_LEN random hex digits and a NUL.  Aborts if
 * the kernel has no randomness to give (getrandom(2) failing). */
void berth_remote_nonce(char nonce[BERTH_REMOTE_NONCE_LEN + 1]);

/*
 * The command's answer in out: the WORD of the last line that is exactly
 * "BERTH-NONCE WORD" (WORD: lower-case letters and '-', at most 31), copied
 * into word (32 bytes).  Returns 0, or -1 if out has no such line.
 */
int berth_remote_answer(const char *out, const char *nonce, char word[32]);

#endif /* BERTH_CORE_REMOTE_H */
