/*
 * The plan's lifetime and construction; the planner fills it, the
 * executors run it, planner/render.c prints it.
 */
#include <stdarg.h>
#include <string.h>

#include "core/plan.h"

struct berth_plan *
berth_plan_new(void)
{
	return xcalloc(1, sizeof(struct berth_plan));
}

void
berth_plan_free(struct berth_plan *plan)
{
	if (plan == NULL)
		return;
	for (size_t i = 0; i < plan->n_steps; i++) {
		struct berth_step *s = &plan->steps[i];

		free(s->host);
		free(s->domain);
		free(s->dest);
		free(s->reason);
		free(s->xml);
		free(s->path);
		free(s->format);
		free(s->deps);
	}
	free(plan->steps);
	free(plan);
}

struct berth_step *
berth_plan_add_step(struct berth_plan *plan, enum berth_step_kind kind,
		    const char *host, const char *domain, const char *reason_fmt, ...)
{
	struct berth_step *s;
	va_list ap;

	plan->steps = xreallocarray(plan->steps, plan->n_steps + 1, sizeof(*plan->steps));
	s = &plan->steps[plan->n_steps++];
	memset(s, 0, sizeof(*s));
	s->id = (unsigned)plan->n_steps;
	s->kind = kind;
	s->host = host != NULL ? xstrdup(host) : NULL;
	s->domain = domain != NULL ? xstrdup(domain) : NULL;
	va_start(ap, reason_fmt);
	s->reason = xvasprintf(reason_fmt, ap);
	va_end(ap);
	return s;
}

void
berth_step_add_dep(struct berth_step *step, unsigned dep)
{
	for (size_t i = 0; i < step->n_deps; i++) {
		if (step->deps[i] == dep)
			return;
	}
	step->deps = xreallocarray(step->deps, step->n_deps + 1, sizeof(*step->deps));
	step->deps[step->n_deps++] = dep;
}

const char *
berth_step_kind_name(enum berth_step_kind kind)
{
	static const char *const names[] = {
		[BERTH_STEP_IMAGE_CREATE] = "image-create",
		[BERTH_STEP_DEFINE] = "define",
		[BERTH_STEP_START] = "start",
		[BERTH_STEP_STOP] = "stop",
		[BERTH_STEP_MIGRATE_LIVE] = "migrate-live",
		[BERTH_STEP_VERIFY] = "verify",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == BERTH_STEP_LAST,
		       "a name for every step kind");

	return names[kind];
}

bool
berth_plan_has_changes(const struct berth_plan *plan)
{
	for (size_t i = 0; i < plan->n_steps; i++) {
		if (plan->steps[i].kind != BERTH_STEP_VERIFY)
			return true;
	}
	return false;
}
