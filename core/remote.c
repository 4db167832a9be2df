/* Commands for hosts and their framed answers: see remote.h. */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "core/mem.h"
#include "core/remote.h"
#include "core/util.h"

void
berth_remote_word(struct berth_buf *cmd, const char *text)
{
	if (cmd->len > 0)
		berth_buf_add(cmd, " ");
	berth_buf_add(cmd, text);
}

void
berth_remote_arg(struct berth_buf *cmd, const char *value)
{
	BERTH_AUTOFREE char *quoted = berth_shell_quote(value);

	berth_remote_word(cmd, quoted);
}

void
berth_remote_nonce(char nonce[BERTH_REMOTE_NONCE_LEN + 1])
{
	unsigned char bytes[BERTH_REMOTE_NONCE_LEN / 2];
	size_t got = 0;

	while (got < sizeof(bytes)) {
		ssize_t n = getrandom(bytes + got, sizeof(bytes) - got, 0);

		if (n <= 0)
			berth_oom();
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(bytes); i++)
		snprintf(nonce + 2 * i, 3, "%02x", bytes[i]);
	nonce[BERTH_REMOTE_NONCE_LEN] = '\0';
}

/* True if the line [p, end) is "BERTH-NONCE WORD"; copies WORD. */
static int
answer_line(const char *p, const char *end, const char *nonce, char word[32])
{
	size_t nlen = strlen(nonce), wlen;

	if ((size_t)(end - p) < 6 + nlen + 2 || memcmp(p, "BERTH-", 6) != 0 ||
	    memcmp(p + 6, nonce, nlen) != 0 || p[6 + nlen] != ' ')
		return 0;
	p += 6 + nlen + 1;
	wlen = (size_t)(end - p);
	if (wlen == 0 || wlen > 31)
		return 0;
	for (size_t i = 0; i < wlen; i++) {
		if (!((p[i] >= 'a' && p[i] <= 'z') || p[i] == '-'))
			return 0;
	}
	memcpy(word, p, wlen);
	word[wlen] = '\0';
	return 1;
}

int
berth_remote_answer(const char *out, const char *nonce, char word[32])
{
	int found = 0;

	while (*out != '\0') {
		const char *nl = strchr(out, '\n');
		const char *end = nl != NULL ? nl : out + strlen(out);

		found |= answer_line(out, end, nonce, word);
		out = nl != NULL ? nl + 1 : end;
	}
	return found ? 0 : -1;
}
