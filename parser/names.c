/* Name rules: see names.h. */
#include "parser/names.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <pthread.h>
#include <string.h>

#include "core/mem.h"

static const struct {
	const char *pattern;
	const char *rule;
} rules[BERTH_NAME_LAST] = {
	[BERTH_NAME_ENTRY] = {
		"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$",
		"start with a letter or digit and hold at most 63 letters, digits, '_', '.' or '-'",
	},
	[BERTH_NAME_INTERFACE] = {
		"^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$",
		"start with a letter or digit and hold at most 15 letters, digits, '_', '.' "
		"or '-', as Linux interface names do",
	},
};

static pcre2_code *compiled[BERTH_NAME_LAST];
static pthread_once_t compiled_once = PTHREAD_ONCE_INIT;

static void
compile_all(void)
{
	for (int k = 0; k < BERTH_NAME_LAST; k++) {
		PCRE2_SIZE offset;
		int code;

		compiled[k] = pcre2_compile((PCRE2_SPTR)rules[k].pattern, PCRE2_ZERO_TERMINATED,
					    PCRE2_DOLLAR_ENDONLY, &code, &offset, NULL);
		if (compiled[k] == NULL)
			berth_oom();	/* the patterns are fixed: only memory can be missing */
	}
}

bool
berth_name_is_valid(enum berth_name_kind kind, const char *name)
{
	pcre2_match_data *match;
	int rc;

	pthread_once(&compiled_once, compile_all);
	match = pcre2_match_data_create_from_pattern(compiled[kind], NULL);
	if (match == NULL)
		berth_oom();
	rc = pcre2_match(compiled[kind], (PCRE2_SPTR)name, strlen(name), 0, 0, match, NULL);
	pcre2_match_data_free(match);
	return rc >= 0;
}

const char *
berth_name_rule(enum berth_name_kind kind)
{
	return rules[kind].rule;
}
