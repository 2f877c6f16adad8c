/* eval_expiration.c - see eval_expiration.h. */
#include "eval_expiration.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

void expiration_settings_init(struct expiration_settings *s)
{
	memset(s, 0, sizeof *s);
	s->jobs = (struct job_states){.failed = STATE_CRITICAL, .disabled = STATE_WARNING, .not_yet_run = STATE_OK};
	s->not_supported_state = STATE_UNKNOWN;
	s->not_found_state = STATE_CRITICAL;
}

static const char *const metric_name[EXP_NMETRICS] = {"deleted records", "deleted data files", "removed bytes"};
static const char *const metric_label[EXP_NMETRICS] = {"deleted_records", "deleted_data_files", "removed_bytes"};
static const char *const metric_field[EXP_NMETRICS] = {"deletedRecords", "deletedDataFiles", "removedFilesSize"};

/* The facts of one answer, worked out once. */
struct view {
	const struct s3t_expiration_status *st;
	int has_age, future;
	double age;
	char agetxt[64], when[64];
	enum job_kind kind;
	enum mp_state state;
	int has[EXP_NMETRICS];
	int64_t val[EXP_NMETRICS];
	enum mp_state mstate[EXP_NMETRICS];
	char mtext[EXP_NMETRICS][64];
};

/* The status part of the summary and its state. */
static void judge_status(struct view *v, const struct expiration_settings *s, char *summary, size_t sz)
{
	const char *fmsg = v->st->failure_message ? v->st->failure_message : "no failure message";
	int age_limits = s->age.has_warning || s->age.has_critical;
	v->kind = judge_job_status(v->st->status, "NotYetRun");
	v->state = judge_job_state(v->kind, &s->jobs);
	switch (v->kind) {
	case JOB_SUCCESSFUL:
		if (v->has_age) {
			v->state = thresholds_check_double(&s->age, v->age);
			output_append(summary, sz, v->future ? "last run successful, %s" : "last run successful %s ago",
				      v->agetxt);
		} else if (age_limits) {
			v->state = STATE_UNKNOWN;
			output_append(summary, sz, "last run successful, but no last run time reported");
		} else {
			output_append(summary, sz, "last run successful");
		}
		break;
	case JOB_FAILED:
		if (v->has_age)
			output_append(summary, sz, v->future ? "last run failed, %s: %s" : "last run failed %s ago: %s",
				      v->agetxt, fmsg);
		else
			output_append(summary, sz, "last run failed: %s", fmsg);
		break;
	case JOB_DISABLED: output_append(summary, sz, "record expiration is disabled"); break;
	case JOB_NOT_YET_RUN: output_append(summary, sz, "record expiration has not run yet"); break;
	default: output_append(summary, sz, "unknown record expiration job status '%.40s'", v->st->status);
	}
}

/* The metrics part of the summary; raises root for each metric out of its range. */
static void judge_metrics(struct view *v, const struct expiration_settings *s, struct result *root, char *summary,
			  size_t sz)
{
	int alerts = 0;
	for (int i = 0; i < EXP_NMETRICS; i++) {
		v->mstate[i] = STATE_OK;
		v->mtext[i][0] = 0;
		if (!v->has[i])
			continue;
		if (i == EXP_BYTES)
			judge_bytes_format(v->val[i], v->mtext[i], sizeof v->mtext[i]);
		else
			snprintf(v->mtext[i], sizeof v->mtext[i], "%" PRId64, v->val[i]);
		v->mstate[i] = thresholds_check_i64(&s->metric[i], v->val[i]);
		if (v->mstate[i] != STATE_OK) {
			result_raise(root, v->mstate[i]);
			output_append(summary, sz, "%s%s %s (%s)", alerts ? ", " : "; ", metric_name[i], v->mtext[i],
				      state_name(v->mstate[i]));
			alerts++;
		}
	}
	if (!alerts && (v->has[EXP_RECORDS] || v->has[EXP_FILES] || v->has[EXP_BYTES])) {
		int k = 0;
		output_append(summary, sz, ": ");
		if (v->has[EXP_RECORDS])
			output_append(summary, sz, "%s%s records deleted", k++ ? ", " : "", v->mtext[EXP_RECORDS]);
		if (v->has[EXP_FILES])
			output_append(summary, sz, "%s%s data files deleted", k++ ? ", " : "", v->mtext[EXP_FILES]);
		if (v->has[EXP_BYTES])
			output_append(summary, sz, "%s%s removed", k++ ? ", " : "", v->mtext[EXP_BYTES]);
	}
}

static void info_line(struct result *root, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void info_line(struct result *root, const char *fmt, ...)
{
	char line[RESULT_TEXT_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	result_text(result_child(root, RESULT_MARK_NONE), "%s", line);
}

/* Long output: the status, the last run, each metric, the failure message. */
static void add_lines(struct result *root, const struct view *v, const struct expiration_settings *s)
{
	const struct s3t_expiration_status *st = v->st;
	info_line(root, "[%s] status: %s", state_name(v->state), st->status);
	if (v->has_age)
		info_line(root, v->future ? "last run: %s, %s" : "last run: %s, %s ago", v->when, v->agetxt);
	else
		info_line(root, "last run: none reported");
	if (!st->has_metrics && (v->kind == JOB_SUCCESSFUL || v->kind == JOB_FAILED))
		info_line(root, "metrics: none reported");
	for (int i = 0; i < EXP_NMETRICS; i++) {
		const struct thresholds *t = &s->metric[i];
		if (v->has[i] && i == EXP_BYTES)
			info_line(root, "[%s] %s (%s): %" PRId64 " (%s)", state_name(v->mstate[i]), metric_name[i],
				  metric_field[i], v->val[i], v->mtext[i]);
		else if (v->has[i])
			info_line(root, "[%s] %s (%s): %s", state_name(v->mstate[i]), metric_name[i], metric_field[i],
				  v->mtext[i]);
		else if (t->has_warning || t->has_critical)
			info_line(root, "%s (%s): not reported, so its thresholds were not checked", metric_name[i],
				  metric_field[i]);
		else if (st->has_metrics)
			info_line(root, "%s (%s): not reported", metric_name[i], metric_field[i]);
	}
	if (st->failure_message)
		info_line(root, "failure message: %s", st->failure_message);
}

/* Perfdata: whole seconds for the age; exact int64 for the metrics. */
static void add_perfdata(struct result *root, const struct view *v, const struct expiration_settings *s)
{
	char w[128], c[128];
	const int64_t zero = 0;
	if (v->has_age)
		result_perf_i64(root, "age", (int64_t)v->age, "s",
				judge_range_text(&s->age.warning, s->age.has_warning, w, sizeof w),
				judge_range_text(&s->age.critical, s->age.has_critical, c, sizeof c), &zero, NULL);
	for (int i = 0; i < EXP_NMETRICS; i++) {
		if (!v->has[i])
			continue;
		const struct thresholds *t = &s->metric[i];
		result_perf_i64(root, metric_label[i], v->val[i], i == EXP_BYTES ? "B" : "",
				judge_range_text(&t->warning, t->has_warning, w, sizeof w),
				judge_range_text(&t->critical, t->has_critical, c, sizeof c), &zero, NULL);
	}
}

struct result *eval_expiration(const struct s3t_expiration_status *st, const struct expiration_settings *s,
			       double now)
{
	struct result *root = result_new();
	if (!root)
		return NULL;
	struct view v = {.st = st,
			 .has = {st->has_deleted_records, st->has_deleted_data_files, st->has_removed_files_size},
			 .val = {st->deleted_records, st->deleted_data_files, st->removed_files_size}};
	if ((v.has_age = st->has_last_run)) {
		v.age = judge_age(now, st->last_run, &v.future);
		judge_age_text(v.age, v.future, v.agetxt, sizeof v.agetxt);
		judge_time_format(st->last_run, v.when, sizeof v.when);
	}
	char summary[1200] = "";
	judge_status(&v, s, summary, sizeof summary);
	result_raise(root, v.state);
	if (v.kind == JOB_DISABLED && !s->disabled_state_set)
		root->not_applicable = "expiration disabled";
	judge_metrics(&v, s, root, summary, sizeof summary);
	result_text(root, "%s", summary);
	add_lines(root, &v, s);
	add_perfdata(root, &v, s);
	return root;
}

struct result *eval_expiration_unsupported(const char *error_description, const struct expiration_settings *s)
{
	struct result *root = result_new();
	result_raise(root, s->not_supported_state);
	if (root && !s->not_supported_state_set)
		root->not_applicable = "expiration not supported";
	result_text(root, "record expiration is not available for this kind of table (only for certain AWS-managed "
			  "tables)");
	result_text(result_child(root, RESULT_MARK_NONE), "GetTableRecordExpirationJobStatus: %s", error_description);
	return root;
}
