/* fleet.c - see fleet.h. */
#include "fleet.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

/* How a table ranks in the output: most severe first. */
enum rank { RANK_CRITICAL, RANK_UNKNOWN, RANK_WARNING, RANK_OK, RANK_NA, RANK_NOT_CHECKED };

struct kept {
	size_t index;
	enum rank rank;
	char *name;
	struct result *r;
};

#define FLEET_MAX_METRICS 32
#define FLEET_MAX_REASONS 8
#define FLEET_LIST_MAX_CHARS 220 /* of the 400 a summary may have */

struct worst_metric {
	char label[160];
	int64_t value;
	char uom[4];
	char *warn, *crit;
};

struct fleet {
	pthread_mutex_t mu;
	struct fleet_options o;
	size_t ntables, added, count[RANK_NOT_CHECKED + 1];
	struct {
		const char *reason;
		size_t n;
	} na[FLEET_MAX_REASONS];
	size_t nna;
	struct kept keep[FLEET_KEEP];
	size_t nkeep;
	struct worst_metric metric[FLEET_MAX_METRICS];
	size_t nmetric;
	struct result *table_perf[FLEET_KEEP]; /* per-table items of the first tables in listing order */
	int oom;
};

struct fleet *fleet_new(size_t ntables, const struct fleet_options *o)
{
	struct fleet *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	if (pthread_mutex_init(&f->mu, NULL)) {
		free(f);
		return NULL;
	}
	f->o = *o;
	f->ntables = ntables;
	return f;
}

void fleet_free(struct fleet *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nkeep; i++) {
		free(f->keep[i].name);
		result_free(f->keep[i].r);
	}
	for (size_t i = 0; i < f->nmetric; i++) {
		free(f->metric[i].warn);
		free(f->metric[i].crit);
	}
	for (size_t i = 0; i < FLEET_KEEP; i++)
		result_free(f->table_perf[i]);
	pthread_mutex_destroy(&f->mu);
	free(f);
}

static enum rank rank_of(const struct result *r)
{
	if (!r)
		return RANK_UNKNOWN;
	if (r->timed_out)
		return RANK_NOT_CHECKED;
	if (r->not_applicable)
		return RANK_NA;
	switch (result_state(r)) {
	case STATE_CRITICAL: return RANK_CRITICAL;
	case STATE_UNKNOWN: return RANK_UNKNOWN;
	case STATE_WARNING: return RANK_WARNING;
	default: return RANK_OK;
	}
}

/* a before b in the output. */
static int before(enum rank ra, size_t ia, enum rank rb, size_t ib)
{
	return ra != rb ? ra < rb : ia < ib;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The worst value of each fleet metric; called with the lock held. */
static void fold_metrics(struct fleet *f, const struct result *r)
{
	for (size_t i = 0; i < r->nperf; i++) {
		const struct result_perf *p = &r->perf[i];
		for (size_t m = 0; m < f->o.nmetrics; m++) {
			const struct fleet_metric *fm = &f->o.metrics[m];
			size_t plen = strlen(fm->table_label);
			if (p->is_double || (fm->prefix ? strncmp(p->label, fm->table_label, plen) != 0
						       : strcmp(p->label, fm->table_label) != 0))
				continue;
			char label[160];
			snprintf(label, sizeof label, "%s%s", fm->fleet_label, fm->prefix ? p->label + plen : "");
			struct worst_metric *w = NULL;
			for (size_t k = 0; k < f->nmetric; k++)
				if (strcmp(f->metric[k].label, label) == 0)
					w = &f->metric[k];
			if (!w && f->nmetric < FLEET_MAX_METRICS) {
				w = &f->metric[f->nmetric++];
				snprintf(w->label, sizeof w->label, "%s", label);
				w->value = p->value_i64;
				snprintf(w->uom, sizeof w->uom, "%s", p->uom);
				w->warn = dup_or_null(p->warn);
				w->crit = dup_or_null(p->crit);
			} else if (w && p->value_i64 > w->value) {
				w->value = p->value_i64;
			}
			break;
		}
	}
}

/* Per-table perfdata for the first tables in listing order. */
static void keep_table_perf(struct fleet *f, size_t index, const char *name, const struct result *r)
{
	if (!f->o.perfdata_per_table || index >= FLEET_KEEP || !r->nperf)
		return;
	struct result *h = result_new();
	char label[400];
	for (size_t i = 0; i < r->nperf; i++) {
		const struct result_perf *p = &r->perf[i];
		snprintf(label, sizeof label, "%s::%s", name, p->label);
		if (p->is_double)
			result_perf_double(h, label, p->value_double, p->uom, p->warn, p->crit,
					   p->has_min ? &p->min_double : NULL, p->has_max ? &p->max_double : NULL);
		else
			result_perf_i64(h, label, p->value_i64, p->uom, p->warn, p->crit, p->has_min ? &p->min_i64 : NULL,
					p->has_max ? &p->max_i64 : NULL);
	}
	f->table_perf[index] = h;
	if (!h)
		f->oom = 1;
}

static void count_na(struct fleet *f, const char *reason)
{
	for (size_t i = 0; i < f->nna; i++)
		if (strcmp(f->na[i].reason, reason) == 0) {
			f->na[i].n++;
			return;
		}
	if (f->nna < FLEET_MAX_REASONS) {
		f->na[f->nna].reason = reason;
		f->na[f->nna++].n = 1;
	}
}

/* Keep the tree when it is among the FLEET_KEEP first in output order; returns what to free. */
static struct result *keep_or_evict(struct fleet *f, size_t index, enum rank rank, const char *name,
				    struct result *r)
{
	int listed = rank <= RANK_WARNING || (f->o.detail_all && rank <= RANK_NA);
	if (!listed)
		return r;
	size_t slot = f->nkeep;
	if (f->nkeep == FLEET_KEEP) {
		size_t last = 0;
		for (size_t i = 1; i < f->nkeep; i++)
			if (before(f->keep[last].rank, f->keep[last].index, f->keep[i].rank, f->keep[i].index))
				last = i;
		if (!before(rank, index, f->keep[last].rank, f->keep[last].index))
			return r;
		slot = last;
	}
	char *copy = strdup(name);
	if (!copy) {
		f->oom = 1;
		return r;
	}
	struct result *evicted = slot < f->nkeep ? f->keep[slot].r : NULL;
	if (slot < f->nkeep)
		free(f->keep[slot].name);
	else
		f->nkeep++;
	result_clear_perf(r);
	f->keep[slot] = (struct kept){.index = index, .rank = rank, .name = copy, .r = r};
	return evicted;
}

void fleet_add(struct fleet *f, size_t index, const char *table_name, struct result *r)
{
	if (!f) {
		result_free(r);
		return;
	}
	enum rank rank = rank_of(r);
	pthread_mutex_lock(&f->mu);
	f->added++;
	f->count[rank]++;
	if (!r) {
		f->oom = 1;
	} else {
		if (rank == RANK_NA)
			count_na(f, r->not_applicable);
		if (rank <= RANK_OK)
			fold_metrics(f, r);
		if (rank <= RANK_OK)
			keep_table_perf(f, index, table_name, r);
		r = keep_or_evict(f, index, rank, table_name, r);
	}
	pthread_mutex_unlock(&f->mu);
	result_free(r);
}

static int cmp_kept(const void *a, const void *b)
{
	const struct kept *x = a, *y = b;
	return before(x->rank, x->index, y->rank, y->index) ? -1 : before(y->rank, y->index, x->rank, x->index);
}

static size_t lines_of(const struct result *r)
{
	size_t n = 1;
	for (size_t i = 0; i < r->nchild; i++)
		n += lines_of(r->child[i]);
	return n;
}

static const char *const rank_word[] = {"critical", "unknown", "warning", "OK"};

/* The first line: timeout, the worst category with its tables, the other counts. */
static void summarize(struct fleet *f, struct result *root, size_t checked, int timed_out, const char *secs)
{
	char summary[1600] = "";
	size_t t = f->ntables;
	if (timed_out)
		output_append(summary, sizeof summary, "timed out after %s s: %zu of %zu table%s checked; ", secs, checked, t,
			      t == 1 ? "" : "s");
	int worst = -1;
	for (int k = RANK_CRITICAL; k <= RANK_WARNING && worst < 0; k++)
		if (f->count[k])
			worst = k;
	if (worst >= 0) {
		/* The worst tables' own summaries, cut so that the counts after them always fit. */
		char list[1200] = "", cut[FLEET_LIST_MAX_CHARS * 4 + 4];
		for (size_t i = 0; i < f->nkeep; i++)
			if ((int)f->keep[i].rank == worst)
				output_append(list, sizeof list, "%s%s: %s", list[0] ? "; " : "", f->keep[i].name,
					      f->keep[i].r->text ? f->keep[i].r->text : "");
		output_sanitize(list, FLEET_LIST_MAX_CHARS, cut, sizeof cut);
		output_append(summary, sizeof summary, "%zu of %zu table%s %s (%s)", f->count[worst], t, t == 1 ? "" : "s",
			      rank_word[worst], cut);
		for (int k = worst + 1; k <= RANK_WARNING; k++)
			if (f->count[k])
				output_append(summary, sizeof summary, ", %zu %s", f->count[k], rank_word[k]);
	} else if (f->count[RANK_OK]) {
		output_append(summary, sizeof summary, "%zu of %zu table%s OK", f->count[RANK_OK], t, t == 1 ? "" : "s");
	} else if (f->count[RANK_NA]) {
		output_append(summary, sizeof summary, "no table of %zu to check", t);
	} else {
		output_append(summary, sizeof summary, "no table checked");
	}
	/* Not-applicable reasons in a fixed order, whatever order the workers found them in. */
	for (size_t i = 1; i < f->nna; i++)
		for (size_t j = i; j > 0 && strcmp(f->na[j - 1].reason, f->na[j].reason) > 0; j--) {
			const char *r = f->na[j].reason;
			size_t n = f->na[j].n;
			f->na[j] = f->na[j - 1];
			f->na[j - 1].reason = r;
			f->na[j - 1].n = n;
		}
	for (size_t i = 0; i < f->nna; i++)
		output_append(summary, sizeof summary, ", %zu %s", f->na[i].n, f->na[i].reason);
	result_text(root, "%s", summary);
}

/* Long output: the kept tables in order within the line budget, then the counts. */
static void list_tables(struct fleet *f, struct result *root)
{
	size_t budget = OUTPUT_MAX_LINES - 4, used = 0, shown = 0, listable = 0;
	for (int k = RANK_CRITICAL; k <= RANK_NA; k++)
		if (k <= RANK_WARNING || (f->o.detail_all && k <= RANK_NA))
			listable += f->count[k];
	for (size_t i = 0; i < f->nkeep; i++) {
		struct kept *k = &f->keep[i];
		size_t need = lines_of(k->r);
		if (used + need > budget)
			break;
		used += need;
		shown++;
		char *summary = k->r->text;
		k->r->text = NULL;
		if (k->rank == RANK_NA)
			result_text(k->r, "[N/A] %s: %s (%s)", k->name, summary ? summary : "", k->r->not_applicable);
		else
			result_text(k->r, "%s: %s", k->name, summary ? summary : "");
		free(summary);
		result_adopt(root, k->r, k->rank == RANK_NA ? RESULT_MARK_NONE : RESULT_MARK_STATE);
		k->r = NULL;
	}
	if (listable > shown)
		result_text(result_child(root, RESULT_MARK_NONE), "... %zu more table%s", listable - shown,
			    listable - shown == 1 ? "" : "s");
	if (f->count[RANK_OK] && !f->o.detail_all)
		result_text(result_child(root, RESULT_MARK_NONE), "%zu table%s OK", f->count[RANK_OK],
			    f->count[RANK_OK] == 1 ? "" : "s");
	if (f->count[RANK_NA] && !f->o.detail_all)
		result_text(result_child(root, RESULT_MARK_NONE), "%zu table%s not applicable", f->count[RANK_NA],
			    f->count[RANK_NA] == 1 ? "" : "s");
}

static void add_perfdata(struct fleet *f, struct result *root, size_t not_checked)
{
	const int64_t zero = 0;
	result_perf_i64(root, "tables", (int64_t)f->ntables, "", NULL, NULL, &zero, NULL);
	result_perf_i64(root, "ok", (int64_t)f->count[RANK_OK], "", NULL, NULL, &zero, NULL);
	result_perf_i64(root, "warning", (int64_t)f->count[RANK_WARNING], "", NULL, NULL, &zero, NULL);
	result_perf_i64(root, "critical", (int64_t)f->count[RANK_CRITICAL], "", NULL, NULL, &zero, NULL);
	result_perf_i64(root, "unknown", (int64_t)f->count[RANK_UNKNOWN], "", NULL, NULL, &zero, NULL);
	result_perf_i64(root, "not_applicable", (int64_t)f->count[RANK_NA], "", NULL, NULL, &zero, NULL);
	result_perf_i64(root, "not_checked", (int64_t)not_checked, "", NULL, NULL, &zero, NULL);
	for (size_t i = 0; i < f->nmetric; i++)
		result_perf_i64(root, f->metric[i].label, f->metric[i].value, f->metric[i].uom, f->metric[i].warn,
				f->metric[i].crit, &zero, NULL);
	for (size_t i = 0; i < FLEET_KEEP; i++) {
		struct result *h = f->table_perf[i];
		for (size_t k = 0; h && k < h->nperf && root && root->nperf < OUTPUT_MAX_PERF; k++) {
			const struct result_perf *p = &h->perf[k];
			if (p->is_double)
				result_perf_double(root, p->label, p->value_double, p->uom, p->warn, p->crit,
						   p->has_min ? &p->min_double : NULL, p->has_max ? &p->max_double : NULL);
			else
				result_perf_i64(root, p->label, p->value_i64, p->uom, p->warn, p->crit,
						p->has_min ? &p->min_i64 : NULL, p->has_max ? &p->max_i64 : NULL);
		}
	}
}

struct result *fleet_result(struct fleet *f, int timed_out, double timeout, enum mp_state timeout_state)
{
	struct result *root = result_new();
	if (!f || !root)
		return root;
	pthread_mutex_lock(&f->mu);
	if (f->ntables == 0) {
		pthread_mutex_unlock(&f->mu);
		result_set_state(root, STATE_UNKNOWN);
		result_text(root, "no table to check");
		return root;
	}
	size_t not_checked = f->ntables - f->added + f->count[RANK_NOT_CHECKED];
	size_t checked = f->ntables - not_checked;
	char secs[64];
	output_format_double(timeout, secs, sizeof secs);
	qsort(f->keep, f->nkeep, sizeof f->keep[0], cmp_kept);
	summarize(f, root, checked, timed_out || not_checked > 0, secs);
	enum mp_state st = STATE_OK;
	for (int k = RANK_CRITICAL; k <= RANK_OK; k++) {
		static const enum mp_state as_state[] = {STATE_CRITICAL, STATE_UNKNOWN, STATE_WARNING, STATE_OK};
		if (f->count[k])
			st = state_worst(st, as_state[k]);
	}
	if (timed_out || not_checked > 0)
		st = state_worst(st, timeout_state);
	if (f->oom)
		st = state_worst(st, STATE_UNKNOWN);
	list_tables(f, root);
	if (not_checked)
		result_text(result_child(root, RESULT_MARK_NONE), "%zu table%s not checked (deadline reached)", not_checked,
			    not_checked == 1 ? "" : "s");
	add_perfdata(f, root, not_checked);
	result_set_state(root, st);
	pthread_mutex_unlock(&f->mu);
	return root;
}
