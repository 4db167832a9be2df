/* Problems found in an input file: see problems.h. */
#include "core/problems.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"

void
berth_problems_add(struct berth_problems *ps, const char *file, struct berth_location loc,
		   const char *message)
{
	struct berth_buf sb = BERTH_BUF_INIT;
	struct berth_problem *pr;
	char *text;

	/* The place names its own file when it is not the inventory itself. */
	if (loc.file != NULL)
		file = loc.file;
	berth_buf_add_escaped(&sb, message);
	text = xasprintf("%s:%u:%u: %s", file, loc.line, loc.column, sb.buf);
	if (ps->alloc > 0 && berth_name_index_find(&ps->seen, text) != NULL) {
		free(text);
		berth_buf_release(&sb);
		return;
	}
	if (ps->n == BERTH_PROBLEMS_KEPT) {
		ps->not_kept++;
		free(text);
		berth_buf_release(&sb);
		return;
	}
	if (ps->alloc == 0)
		berth_name_index_init(&ps->seen, 16);
	if (ps->n == ps->alloc) {
		ps->alloc = ps->alloc == 0 ? 8 : 2 * ps->alloc;
		ps->items = xreallocarray(ps->items, ps->alloc, sizeof(*ps->items));
	}
	pr = &ps->items[ps->n];
	pr->file = xstrdup(file);
	pr->loc = loc;
	pr->message = berth_buf_detach(&sb);
	pr->text = text;
	pr->order = ps->n++;
	berth_name_index_add(&ps->seen, pr->text, pr->text);
}

size_t
berth_problems_total(const struct berth_problems *ps)
{
	return ps->n + ps->not_kept;
}

static int
compare_problems(const void *a, const void *b)
{
	const struct berth_problem *x = a;
	const struct berth_problem *y = b;
	int c = strcmp(x->file, y->file);

	if (c != 0)
		return c;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.column != y->loc.column)
		return x->loc.column < y->loc.column ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

void
berth_problems_sort(struct berth_problems *ps)
{
	if (ps->n > 1)
		qsort(ps->items, ps->n, sizeof(*ps->items), compare_problems);
}

void
berth_problems_to_error(const struct berth_problems *ps, struct berth_error **err)
{
	size_t more = berth_problems_total(ps) - 1;

	if (more == 0)
		berth_error_set(err, BERTH_ERROR_INPUT, "%s", ps->items[0].text);
	else
		berth_error_set(err, BERTH_ERROR_INPUT, "%s (and %zu more problem%s)",
				ps->items[0].text, more, more == 1 ? "" : "s");
}

void
berth_problems_release(struct berth_problems *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->items[i].file);
		free(ps->items[i].message);
		free(ps->items[i].text);
	}
	free(ps->items);
	if (ps->alloc > 0)
		berth_name_index_release(&ps->seen);
	*ps = (struct berth_problems)BERTH_PROBLEMS_INIT;
}
