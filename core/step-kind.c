/* The step-kind descriptors, built from core/step-kinds.def. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/step-kind.h"
#include "core/util.h"

static const struct berth_step_kind_desc kinds[] = {
#define BERTH_STEP_KIND(id, ops, name_, symbol_, summary_, class_, fields_, host_text_, \
			after_failure_) \
	[BERTH_STEP_##id] = { .name = name_, .symbol = symbol_, .summary = summary_, \
			      .class = class_, .fields = (fields_) | BERTH_STEP_F_HOST, \
			      .host_text = host_text_, .after_failure = after_failure_ },
#include "core/step-kinds.def"
#undef BERTH_STEP_KIND
};
_Static_assert(sizeof(kinds) / sizeof(kinds[0]) == BERTH_STEP_LAST, "a row for every step kind");

const struct berth_step_kind_desc *
berth_step_kind(enum berth_step_kind kind)
{
	return &kinds[kind];
}

int
berth_step_kind_from_name(const char *name)
{
	for (int k = 0; k < BERTH_STEP_LAST; k++) {
		if (berth_streq(kinds[k].name, name))
			return k;
	}
	return -1;
}

bool
berth_step_kind_has(enum berth_step_kind kind, enum berth_step_field field)
{
	return (kinds[kind].fields & (1u << field)) != 0;
}

static char names_text[256];

static void
make_names(void)
{
	struct berth_buf b = BERTH_BUF_INIT;

	for (int k = 0; k < BERTH_STEP_LAST; k++)
		berth_buf_addf(&b, "%s%s", k > 0 ? ", " : "", kinds[k].name);
	snprintf(names_text, sizeof(names_text), "%s", b.buf);
	berth_buf_release(&b);
}

const char *
berth_step_kind_names(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, make_names);
	return names_text;
}
