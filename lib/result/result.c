/* result.c - see result.h. */
#include "result.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int valid_state(enum mp_state s)
{
	return s == STATE_OK || s == STATE_WARNING || s == STATE_CRITICAL || s == STATE_UNKNOWN;
}

/* An allocation failed at r: r and every node above it must say so. */
static void mark_oom(struct result *r)
{
	for (; r; r = r->parent)
		r->oom = 1;
}

struct result *result_new(void)
{
	struct result *r = calloc(1, sizeof *r);
	if (r) {
		r->state = STATE_OK;
		r->raised = STATE_OK;
	}
	return r;
}

void result_clear_perf(struct result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nperf; i++) {
		free(r->perf[i].label);
		free(r->perf[i].warn);
		free(r->perf[i].crit);
	}
	free(r->perf);
	r->perf = NULL;
	r->nperf = r->perf_cap = 0;
}

void result_free(struct result *r)
{
	if (!r)
		return;
	free(r->text);
	result_clear_perf(r);
	for (size_t i = 0; i < r->nchild; i++)
		result_free(r->child[i]);
	free(r->child);
	free(r);
}

static int attach(struct result *parent, struct result *child, enum result_mark mark)
{
	if (parent->nchild == parent->child_cap) {
		size_t cap = parent->child_cap ? parent->child_cap * 2 : 4;
		struct result **c = realloc(parent->child, cap * sizeof *c);
		if (!c)
			return -1;
		parent->child = c;
		parent->child_cap = cap;
	}
	child->mark = mark;
	child->parent = parent;
	parent->child[parent->nchild++] = child;
	if (child->oom)
		mark_oom(parent);
	return 0;
}

struct result *result_child(struct result *parent, enum result_mark mark)
{
	if (!parent)
		return NULL;
	struct result *c = result_new();
	if (!c || attach(parent, c, mark)) {
		free(c);
		mark_oom(parent);
		return NULL;
	}
	return c;
}

void result_adopt(struct result *parent, struct result *child, enum result_mark mark)
{
	if (!parent) {
		result_free(child);
		return;
	}
	if (!child || attach(parent, child, mark)) {
		result_free(child);
		mark_oom(parent);
	}
}

void result_text(struct result *r, const char *fmt, ...)
{
	if (!r)
		return;
	char *t = malloc(RESULT_TEXT_MAX);
	if (!t) {
		mark_oom(r);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t, RESULT_TEXT_MAX, fmt, ap);
	va_end(ap);
	char *shrunk = realloc(t, strlen(t) + 1);
	free(r->text);
	r->text = shrunk ? shrunk : t;
}

void result_set_state(struct result *r, enum mp_state s)
{
	if (!r)
		return;
	r->state = valid_state(s) ? s : STATE_UNKNOWN;
	r->state_set = 1;
}

void result_raise(struct result *r, enum mp_state s)
{
	if (r)
		r->raised = state_worst(r->raised, valid_state(s) ? s : STATE_UNKNOWN);
}

enum mp_state result_state(const struct result *r)
{
	if (!r)
		return STATE_UNKNOWN;
	enum mp_state s;
	if (r->state_set) {
		s = r->state;
	} else {
		s = r->raised;
		for (size_t i = 0; i < r->nchild; i++)
			if (r->child[i]->mark == RESULT_MARK_STATE)
				s = state_worst(s, result_state(r->child[i]));
	}
	return r->oom ? state_worst(s, STATE_UNKNOWN) : s;
}

static struct result_perf *perf_slot(struct result *r, const char *label, const char *uom, const char *warn,
				     const char *crit)
{
	if (r->nperf == r->perf_cap) {
		size_t cap = r->perf_cap ? r->perf_cap * 2 : 4;
		struct result_perf *p = realloc(r->perf, cap * sizeof *p);
		if (!p)
			return NULL;
		r->perf = p;
		r->perf_cap = cap;
	}
	struct result_perf *p = &r->perf[r->nperf];
	memset(p, 0, sizeof *p);
	p->label = strdup(label ? label : "");
	p->warn = warn && *warn ? strdup(warn) : NULL;
	p->crit = crit && *crit ? strdup(crit) : NULL;
	if (!p->label || (warn && *warn && !p->warn) || (crit && *crit && !p->crit)) {
		free(p->label);
		free(p->warn);
		free(p->crit);
		return NULL;
	}
	snprintf(p->uom, sizeof p->uom, "%s", uom ? uom : "");
	r->nperf++;
	return p;
}

/* One item with its value set by the caller; NULL (r marked) when out of memory. */
static struct result_perf *new_perf(struct result *r, const char *label, const char *uom, const char *warn,
				    const char *crit)
{
	if (!r)
		return NULL;
	struct result_perf *p = perf_slot(r, label, uom, warn, crit);
	if (!p)
		mark_oom(r);
	return p;
}

void result_perf_i64(struct result *r, const char *label, int64_t value, const char *uom, const char *warn,
		     const char *crit, const int64_t *min, const int64_t *max)
{
	struct result_perf *p = new_perf(r, label, uom, warn, crit);
	if (!p)
		return;
	p->value_i64 = value;
	if ((p->has_min = min != NULL))
		p->min_i64 = *min;
	if ((p->has_max = max != NULL))
		p->max_i64 = *max;
}

void result_perf_double(struct result *r, const char *label, double value, const char *uom, const char *warn,
			const char *crit, const double *min, const double *max)
{
	struct result_perf *p = new_perf(r, label, uom, warn, crit);
	if (!p)
		return;
	p->is_double = 1;
	p->value_double = value;
	if ((p->has_min = min != NULL))
		p->min_double = *min;
	if ((p->has_max = max != NULL))
		p->max_double = *max;
}
