/* eval_maintenance.c - see eval_maintenance.h. */
#include "eval_maintenance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "output.h"
#include "timestamp.h"

/* The job types the service model knows, in report order. */
static const struct known_job {
	const char *type;   /* the map key in the response */
	const char *shortn; /* --job short name */
	const char *label;  /* what the output calls it */
	const char *perf;   /* perfdata label */
} known[MAINTENANCE_NKNOWN] = {
	{"icebergCompaction", "compaction", "compaction", "age_compaction"},
	{"icebergSnapshotManagement", "snapshot-management", "snapshot management", "age_snapshot_management"},
	{"icebergUnreferencedFileRemoval", "unreferenced-file-removal", "unreferenced file removal",
	 "age_unreferenced_file_removal"},
};

void maintenance_settings_init(struct maintenance_settings *s)
{
	memset(s, 0, sizeof *s);
	s->jobs = (struct job_states){.failed = STATE_CRITICAL, .disabled = STATE_WARNING, .not_yet_run = STATE_OK};
	s->not_found_state = STATE_CRITICAL;
}

int maintenance_select_job(struct maintenance_settings *s, const char *name)
{
	for (size_t k = 0; k < MAINTENANCE_NKNOWN; k++)
		if (strcasecmp(name, known[k].type) == 0 || strcasecmp(name, known[k].shortn) == 0) {
			s->selected[k] = 1;
			s->any_selected = 1;
			return 0;
		}
	return -1;
}

/* One job as reported (or expected and missing). */
struct job_view {
	const struct s3t_maintenance_job *j; /* NULL: expected but not reported */
	const char *type, *label;
	char perf[96];
	int judged;            /* selected (or every job when no job is selected) */
	int has_age, future;
	double age;
	char agetxt[80];
	enum mp_state state;
	char problem[600];     /* summary phrase when state is not OK */
	enum job_kind kind;
	int missing;
};

static void judge(struct job_view *v, const struct maintenance_settings *s)
{
	const struct s3t_maintenance_job *j = v->j;
	if (!j) {
		v->missing = 1;
		v->kind = JOB_UNKNOWN;
		v->state = STATE_UNKNOWN;
		snprintf(v->problem, sizeof v->problem, "%s not reported", v->label);
		return;
	}
	const char *fmsg = j->failure_message ? j->failure_message : "no failure message";
	int limits = s->age.has_warning || s->age.has_critical;
	v->kind = judge_job_status(j->status, "Not_Yet_Run");
	v->state = judge_job_state(v->kind, &s->jobs);
	switch (v->kind) {
	case JOB_SUCCESSFUL:
		if (v->has_age) {
			v->state = thresholds_check_double(&s->age, v->age);
			snprintf(v->problem, sizeof v->problem, v->future ? "%s last ran, %s" : "%s last ran %s ago",
				 v->label, v->agetxt);
		} else {
			v->state = limits ? STATE_UNKNOWN : STATE_OK;
			snprintf(v->problem, sizeof v->problem, "%s: no last run time reported", v->label);
		}
		break;
	case JOB_FAILED:
		if (v->has_age)
			snprintf(v->problem, sizeof v->problem, v->future ? "%s failed, %s: %s" : "%s failed %s ago: %s",
				 v->label, v->agetxt, fmsg);
		else
			snprintf(v->problem, sizeof v->problem, "%s failed: %s", v->label, fmsg);
		break;
	case JOB_DISABLED:
		if (s->fleet && !s->disabled_state_set)
			v->state = STATE_OK;
		snprintf(v->problem, sizeof v->problem, "%s disabled", v->label);
		break;
	case JOB_NOT_YET_RUN: snprintf(v->problem, sizeof v->problem, "%s not yet run", v->label); break;
	default: snprintf(v->problem, sizeof v->problem, "%s has unknown status '%.40s'", v->label, j->status);
	}
}

/* Known jobs first, in their usual order (expected ones even when missing), then the rest as reported. */
static size_t collect(struct job_view *v, const struct s3t_maintenance_status *st, const struct maintenance_settings *s,
		      double now)
{
	size_t n = 0;
	for (size_t k = 0; k < MAINTENANCE_NKNOWN; k++) {
		const struct s3t_maintenance_job *found = NULL;
		for (size_t i = 0; i < st->njobs; i++)
			if (strcmp(st->jobs[i].type, known[k].type) == 0)
				found = &st->jobs[i];
		int judged = !s->any_selected || s->selected[k];
		if (!found && (!judged || st->njobs == 0))
			continue;
		struct job_view *x = &v[n++];
		x->j = found;
		x->type = known[k].type;
		x->label = known[k].label;
		snprintf(x->perf, sizeof x->perf, "%s", known[k].perf);
		x->judged = judged;
	}
	for (size_t i = 0; i < st->njobs; i++) {
		int is_known = 0;
		for (size_t k = 0; k < MAINTENANCE_NKNOWN; k++)
			if (strcmp(st->jobs[i].type, known[k].type) == 0)
				is_known = 1;
		if (is_known)
			continue;
		struct job_view *x = &v[n++];
		x->j = &st->jobs[i];
		x->type = x->label = st->jobs[i].type;
		snprintf(x->perf, sizeof x->perf, "age_%.80s", st->jobs[i].type);
		x->judged = !s->any_selected;
	}
	for (size_t i = 0; i < n; i++)
		if (v[i].j && v[i].j->has_last_run) {
			v[i].has_age = 1;
			v[i].age = judge_age(now, v[i].j->last_run, &v[i].future);
			judge_age_text(v[i].age, v[i].future, v[i].agetxt, sizeof v[i].agetxt);
		}
	return n;
}

/* The summary: the problems first, most severe first; then what is fine. */
static void summarize(struct result *root, const struct job_view *v, size_t n, size_t njobs,
		      const struct maintenance_settings *s)
{
	int judged = 0, ok = 0, nyr_ok = 0, disabled_ok = 0, failed_ok = 0, with_age = 0, disabled = 0, reported = 0;
	double age_min = 0, age_max = 0;
	for (size_t i = 0; i < n; i++) {
		if (!v[i].judged)
			continue;
		judged++;
		if (v[i].j) {
			reported++;
			disabled += v[i].kind == JOB_DISABLED;
		}
		if (v[i].state != STATE_OK)
			continue;
		ok++;
		nyr_ok += v[i].kind == JOB_NOT_YET_RUN;
		disabled_ok += v[i].kind == JOB_DISABLED;
		failed_ok += v[i].kind == JOB_FAILED;
		if (v[i].kind == JOB_SUCCESSFUL && v[i].has_age) {
			if (!with_age++ || v[i].age < age_min)
				age_min = v[i].age;
			if (with_age == 1 || v[i].age > age_max)
				age_max = v[i].age;
		}
	}
	if (reported && disabled == reported && s->fleet && !s->disabled_state_set)
		root->not_applicable = "maintenance disabled";

	char summary[2000] = "", a[64], b[64];
	if (njobs == 0) {
		result_raise(root, STATE_UNKNOWN);
		output_append(summary, sizeof summary, "no maintenance job status reported for this table");
	}
	static const enum mp_state order[] = {STATE_CRITICAL, STATE_UNKNOWN, STATE_WARNING};
	for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
		for (size_t i = 0; i < n; i++)
			if (v[i].judged && v[i].state == order[o])
				output_append(summary, sizeof summary, "%s%s", summary[0] ? ", " : "", v[i].problem);
	if (judged && ok == judged) {
		output_append(summary, sizeof summary, "%d job%s OK", ok, ok == 1 ? "" : "s");
		if (with_age) {
			duration_format(age_min, a, sizeof a);
			duration_format(age_max, b, sizeof b);
			if (with_age == 1 || strcmp(a, b) == 0)
				output_append(summary, sizeof summary, ", last run%s %s ago", with_age == 1 ? "" : "s", a);
			else
				output_append(summary, sizeof summary, ", last runs %s–%s ago", a, b);
		}
	} else if (ok) {
		output_append(summary, sizeof summary, ", %d other job%s OK", ok, ok == 1 ? "" : "s");
	}
	if (ok) {
		if (nyr_ok)
			output_append(summary, sizeof summary, ", %d not yet run", nyr_ok);
		if (disabled_ok)
			output_append(summary, sizeof summary, ", %d disabled", disabled_ok);
		if (failed_ok)
			output_append(summary, sizeof summary, ", %d failed", failed_ok);
	}
	result_text(root, "%s", summary);
}

/* Long output: one line per job. */
static void add_job_line(struct result *root, const struct job_view *x)
{
	struct result *c = result_child(root, x->judged ? RESULT_MARK_STATE : RESULT_MARK_NOT_CHECKED);
	result_set_state(c, x->state);
	if (!x->j) {
		result_text(c, "%s (%s): not reported", x->label, x->type);
		return;
	}
	char detail[200], when[64];
	if (x->has_age) {
		judge_time_format(x->j->last_run, when, sizeof when);
		snprintf(detail, sizeof detail, x->future ? ", last run %s, %s" : ", last run %s, %s ago", when, x->agetxt);
	} else {
		snprintf(detail, sizeof detail, ", no last run time");
	}
	const char *fm = x->j->failure_message;
	if (x->type == x->label)
		result_text(c, "%s: %s%s%s%s", x->label, x->j->status, detail, fm ? " - " : "", fm ? fm : "");
	else
		result_text(c, "%s (%s): %s%s%s%s", x->label, x->type, x->j->status, detail, fm ? " - " : "", fm ? fm : "");
}

struct result *eval_maintenance(const struct s3t_maintenance_status *st, const struct maintenance_settings *s,
				double now)
{
	struct result *root = result_new();
	struct job_view *v = calloc(MAINTENANCE_NKNOWN + st->njobs, sizeof *v);
	if (!root || !v) {
		free(v);
		result_set_state(root, STATE_UNKNOWN);
		result_text(root, "out of memory");
		return root;
	}
	size_t n = collect(v, st, s, now);
	for (size_t i = 0; i < n; i++)
		judge(&v[i], s);
	summarize(root, v, n, st->njobs, s);
	for (size_t i = 0; i < n; i++)
		add_job_line(root, &v[i]);

	/* Perfdata: whole seconds per judged job with a last run. */
	char w[128], c[128];
	const char *wt = judge_range_text(&s->age.warning, s->age.has_warning, w, sizeof w);
	const char *ct = judge_range_text(&s->age.critical, s->age.has_critical, c, sizeof c);
	const int64_t zero = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].judged && v[i].has_age)
			result_perf_i64(root, v[i].perf, (int64_t)v[i].age, "s", wt, ct, &zero, NULL);
	free(v);
	return root;
}
