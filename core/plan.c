/*
 * The plan's lifetime and construction; the planner fills it, the
 * executors run it, planner/render.c prints it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "core/buf.h"
#include "core/plan.h"
#include "core/util.h"

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

		for (int f = 0; f < BERTH_STEP_FIELD_LAST; f++) {
			char **slot = berth_step_string_slot(s, f);

			if (slot != NULL)
				free(*slot);
		}
		free(s->reason);
		free(s->deps);
		free(s->expect.placement);
		free(s->expect.leaves);
		free(s->expect.definition);
		for (size_t j = 0; j < s->expect.n_hosts; j++) {
			free(s->expect.hosts[j].host);
			free(s->expect.hosts[j].uuid);
		}
		free(s->expect.hosts);
	}
	free(plan->steps);
	free(plan);
}

struct berth_step *
berth_plan_add_step(struct berth_plan *plan, enum berth_step_kind kind,
		    const char *host, const char *domain, const char *reason_fmt, ...)
{
	struct berth_buf reason = BERTH_BUF_INIT;
	BERTH_AUTOFREE char *text = NULL;
	struct berth_step *s;
	va_list ap;

	va_start(ap, reason_fmt);
	text = xvasprintf(reason_fmt, ap);
	va_end(ap);
	/* A reason quotes what hosts report; it is printed and saved as one line. */
	berth_buf_add_escaped(&reason, text);

	plan->steps = xreallocarray(plan->steps, plan->n_steps + 1, sizeof(*plan->steps));
	s = &plan->steps[plan->n_steps++];
	memset(s, 0, sizeof(*s));
	s->id = (unsigned)plan->n_steps;
	s->kind = kind;
	s->host = host != NULL ? xstrdup(host) : NULL;
	s->domain = domain != NULL ? xstrdup(domain) : NULL;
	s->reason = berth_buf_detach(&reason);
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
	return berth_step_kind(kind)->name;
}

static const struct berth_step_field_desc fields[] = {
	[BERTH_STEP_FIELD_DOMAIN] = { "domain", BERTH_STEP_FIELD_STRING,
				      offsetof(struct berth_step, domain), " %s" },
	[BERTH_STEP_FIELD_PATH] = { "path", BERTH_STEP_FIELD_STRING,
				    offsetof(struct berth_step, path), " %s" },
	[BERTH_STEP_FIELD_HOST] = { "host", BERTH_STEP_FIELD_STRING,
				    offsetof(struct berth_step, host), NULL /* the kind's */ },
	[BERTH_STEP_FIELD_DEST] = { "dest", BERTH_STEP_FIELD_STRING,
				    offsetof(struct berth_step, dest), " to %s" },
	[BERTH_STEP_FIELD_FORMAT] = { "format", BERTH_STEP_FIELD_STRING,
				      offsetof(struct berth_step, format), " (%s, " },
	[BERTH_STEP_FIELD_SIZE] = { "size_bytes", BERTH_STEP_FIELD_UINT,
				    offsetof(struct berth_step, size_bytes), "%llu bytes)" },
	[BERTH_STEP_FIELD_URI] = { "uri", BERTH_STEP_FIELD_STRING,
				   offsetof(struct berth_step, uri), NULL },
	[BERTH_STEP_FIELD_STATE] = { "state", BERTH_STEP_FIELD_STRING,
				     offsetof(struct berth_step, state), NULL },
	[BERTH_STEP_FIELD_XML] = { "xml", BERTH_STEP_FIELD_STRING,
				   offsetof(struct berth_step, xml), NULL },
	[BERTH_STEP_FIELD_PREVIOUS] = { "previous", BERTH_STEP_FIELD_STRING,
					offsetof(struct berth_step, previous), NULL },
};
_Static_assert(sizeof(fields) / sizeof(fields[0]) == BERTH_STEP_FIELD_LAST,
	       "a descriptor for every step field");

const struct berth_step_field_desc *
berth_step_field(enum berth_step_field field)
{
	return &fields[field];
}

char **
berth_step_string_slot(struct berth_step *step, enum berth_step_field field)
{
	if (fields[field].type != BERTH_STEP_FIELD_STRING)
		return NULL;
	return (char **)(void *)((char *)step + fields[field].offset);
}

uint64_t *
berth_step_uint_slot(struct berth_step *step, enum berth_step_field field)
{
	if (fields[field].type != BERTH_STEP_FIELD_UINT)
		return NULL;
	return (uint64_t *)(void *)((char *)step + fields[field].offset);
}

const char *
berth_step_string(const struct berth_step *step, enum berth_step_field field)
{
	char **slot = berth_step_string_slot((struct berth_step *)step, field);

	return slot != NULL ? *slot : NULL;
}

void
berth_step_describe(struct berth_buf *sb, const struct berth_step *step)
{
	berth_buf_addf(sb, "%u %s", step->id, berth_step_kind_name(step->kind));
	if (step->domain != NULL)
		berth_buf_addf(sb, " %s", step->domain);
	if (step->path != NULL)
		berth_buf_addf(sb, " %s", step->path);
	if (step->dest != NULL)
		berth_buf_addf(sb, " from %s to %s", step->host, step->dest);
	else
		berth_buf_addf(sb, " on %s", step->host);
}

const char *
berth_step_target(const struct berth_step *step)
{
	return step->dest != NULL ? step->dest : step->host;
}

char *
berth_placement_where(const char *state, const char *host)
{
	return xasprintf("%s on %s", state, host);
}

void
berth_step_expect_host(struct berth_step *step, const char *host, const char *uuid)
{
	struct berth_step_expect *e = &step->expect;

	e->hosts = xreallocarray(e->hosts, e->n_hosts + 1, sizeof(*e->hosts));
	e->hosts[e->n_hosts++] = (struct berth_step_host_id){
		.host = xstrdup(host),
		.uuid = uuid != NULL ? xstrdup(uuid) : NULL,
	};
}

bool
berth_plan_has_changes(const struct berth_plan *plan)
{
	for (size_t i = 0; i < plan->n_steps; i++) {
		if (berth_step_kind(plan->steps[i].kind)->class != BERTH_STEP_CLASS_VERIFY)
			return true;
	}
	return false;
}
