/*
 * check_s3tables_expiration - did the record expiration job of an S3 table run
 * recently and succeed, and what did it remove?
 *
 * Asks GetTableRecordExpirationJobStatus (after GetTable when the table is
 * named) and judges the status: Successful → OK, then -w/-c on the age of the
 * last run; Failed → --failed-state; Disabled → --disabled-state; NotYetRun →
 * --not-yet-run-state; anything else → UNKNOWN. MethodNotAllowedException
 * (record expiration is not offered for this kind of table) →
 * --not-supported-state. Optional ranges on the last run's metrics (deleted
 * records, deleted data files, removed bytes). The result is the worst of all.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "plugin.h"
#include "timestamp.h"

enum {
	OPT_FAILED_STATE = 1000,
	OPT_DISABLED_STATE,
	OPT_NOT_YET_RUN_STATE,
	OPT_NOT_SUPPORTED_STATE,
	OPT_NOT_FOUND_STATE,
	OPT_WARNING_RECORDS,
	OPT_CRITICAL_RECORDS,
	OPT_WARNING_FILES,
	OPT_CRITICAL_FILES,
	OPT_WARNING_BYTES,
	OPT_CRITICAL_BYTES,
};

/* The last run's metrics, in the order they are reported. */
enum { M_RECORDS, M_FILES, M_BYTES, NMETRICS };

struct settings {
	enum mp_state failed_state, disabled_state, not_yet_run_state, not_supported_state, not_found_state;
	struct thresholds metric[NMETRICS];
};

static const struct plugin_option options[] = {
	{"failed-state", 0, "STATE", "State when the last run failed; default CRITICAL", OPT_FAILED_STATE},
	{"disabled-state", 0, "STATE", "State when record expiration is disabled; default WARNING", OPT_DISABLED_STATE},
	{"not-yet-run-state", 0, "STATE", "State when the job has not run yet; default OK", OPT_NOT_YET_RUN_STATE},
	{"not-supported-state", 0, "STATE",
	 "State when record expiration is not available for this kind of table (MethodNotAllowedException); default UNKNOWN",
	 OPT_NOT_SUPPORTED_STATE},
	{"not-found-state", 0, "STATE", "State when the table is not found (NotFoundException); default CRITICAL",
	 OPT_NOT_FOUND_STATE},
	{"warning-records", 0, "RANGE", "Warning range on the number of records the last run deleted (deletedRecords)",
	 OPT_WARNING_RECORDS},
	{"critical-records", 0, "RANGE", "Critical range on deletedRecords", OPT_CRITICAL_RECORDS},
	{"warning-files", 0, "RANGE", "Warning range on the number of data files the last run deleted (deletedDataFiles)",
	 OPT_WARNING_FILES},
	{"critical-files", 0, "RANGE", "Critical range on deletedDataFiles", OPT_CRITICAL_FILES},
	{"warning-bytes", 0, "RANGE",
	 "Warning range on the bytes the last run removed (removedFilesSize); K, M, G, T allowed, e.g. 10G:",
	 OPT_WARNING_BYTES},
	{"critical-bytes", 0, "RANGE", "Critical range on removedFilesSize, same syntax as --warning-bytes",
	 OPT_CRITICAL_BYTES},
};

static int set_range(struct thresholds *t, int critical, const char *arg, enum range_kind kind, char *err,
		     size_t errsz)
{
	if (critical) {
		t->has_critical = 1;
		return range_parse(arg, kind, &t->critical, err, errsz);
	}
	t->has_warning = 1;
	return range_parse(arg, kind, &t->warning, err, errsz);
}

static int handle(void *ctx, int key, const char *arg, char *err, size_t errsz)
{
	struct settings *s = ctx;
	switch (key) {
	case OPT_FAILED_STATE: return options_parse_state(arg, &s->failed_state, err, errsz);
	case OPT_DISABLED_STATE: return options_parse_state(arg, &s->disabled_state, err, errsz);
	case OPT_NOT_YET_RUN_STATE: return options_parse_state(arg, &s->not_yet_run_state, err, errsz);
	case OPT_NOT_SUPPORTED_STATE: return options_parse_state(arg, &s->not_supported_state, err, errsz);
	case OPT_NOT_FOUND_STATE: return options_parse_state(arg, &s->not_found_state, err, errsz);
	case OPT_WARNING_RECORDS: return set_range(&s->metric[M_RECORDS], 0, arg, RANGE_PLAIN, err, errsz);
	case OPT_CRITICAL_RECORDS: return set_range(&s->metric[M_RECORDS], 1, arg, RANGE_PLAIN, err, errsz);
	case OPT_WARNING_FILES: return set_range(&s->metric[M_FILES], 0, arg, RANGE_PLAIN, err, errsz);
	case OPT_CRITICAL_FILES: return set_range(&s->metric[M_FILES], 1, arg, RANGE_PLAIN, err, errsz);
	case OPT_WARNING_BYTES: return set_range(&s->metric[M_BYTES], 0, arg, RANGE_BYTES, err, errsz);
	case OPT_CRITICAL_BYTES: return set_range(&s->metric[M_BYTES], 1, arg, RANGE_BYTES, err, errsz);
	}
	return -1;
}

/* "100 MiB", "1.5 GiB", "512 B": 1024-based, one decimal, integer arithmetic only. */
static void bytes_format(int64_t v, char *buf, size_t sz)
{
	static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	if (v < 1024) {
		snprintf(buf, sz, "%" PRId64 " B", v);
		return;
	}
	uint64_t u = (uint64_t)v, div = 1024;
	size_t i = 0;
	while (i + 1 < sizeof unit / sizeof unit[0] && u / div >= 1024) {
		div *= 1024;
		i++;
	}
	uint64_t whole = u / div, tenth = (u % div) * 10 / div; /* (u % div) * 10 < 2^64 */
	if (tenth)
		snprintf(buf, sz, "%" PRIu64 ".%" PRIu64 " %s", whole, tenth, unit[i]);
	else
		snprintf(buf, sz, "%" PRIu64 " %s", whole, unit[i]);
}

static void time_format(double t, char *buf, size_t sz)
{
	time_t tt = (time_t)floor(t);
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, sz, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, sz, "?");
}

int main(int argc, char **argv)
{
	struct settings s = {.failed_state = STATE_CRITICAL, .disabled_state = STATE_WARNING,
			     .not_yet_run_state = STATE_OK, .not_supported_state = STATE_UNKNOWN,
			     .not_found_state = STATE_CRITICAL};
	const struct plugin_info info = {
		.program = "check_s3tables_expiration",
		.check_name = "EXPIRATION",
		.purpose = "Checks the record expiration job of an Amazon S3 table: asks S3 Tables\n"
			   "GetTableRecordExpirationJobStatus whether the job ran recently and succeeded,\n"
			   "and what its last run removed.",
		.thresholds = "Warning range on the age of the job's last run (now minus lastRunTimestamp),\n"
			      "    judged when the status is Successful, e.g. 2d",
		.options = options,
		.noptions = sizeof options / sizeof options[0],
		.handle = handle,
		.ctx = &s,
		.notes = "States: Successful is OK, then -w/-c on the age of the last run (a Successful\n"
			 "status without a last run time is UNKNOWN, \"no last run time reported\", when\n"
			 "-w or -c is given, else OK); Failed is --failed-state, with AWS's failure message;\n"
			 "Disabled is --disabled-state; NotYetRun is --not-yet-run-state; any other status\n"
			 "is UNKNOWN. A last run time in the future counts as age 0 (clock skew is noted).\n"
			 "MethodNotAllowedException means record expiration is not available for this kind\n"
			 "of table (AWS offers it only for certain AWS-managed tables, such as S3 Storage Lens\n"
			 "and SageMaker Catalog tables): --not-supported-state. NotFoundException (table\n"
			 "not found or record expiration not configured) is --not-found-state. The metric ranges (--warning-records ... --critical-bytes) judge\n"
			 "the last run's metrics whatever the status; a metric AWS does not report is not\n"
			 "judged (the long output says so). The result is the worst of all.\n\n"
			 "Perfdata: age (seconds, with the -w/-c thresholds), deleted_records,\n"
			 "deleted_data_files (counts) and removed_bytes (B), each with its thresholds;\n"
			 "values AWS does not report are left out, not reported as 0.\n\n"
			 "IAM permission needed: s3tables:GetTableRecordExpirationJobStatus (and\n"
			 "s3tables:GetTable when the table is given by bucket, namespace and name).\n\n"
			 "Example:\n"
			 "  check_s3tables_expiration -a arn:aws:s3tables:us-east-1:111122223333:bucket/b/table/ID \\\n"
			 "      -w 2d -c 4d --critical-bytes 1T",
	};
	struct plugin_run r;
	plugin_start(&r, &info, argc, argv);
	char *table_arn = plugin_table_arn(&r, s.not_found_state);

	struct s3t_expiration_status st;
	struct aws_result res;
	int rc = s3t_get_expiration_status(&r.client, table_arn, &st, &res);
	plugin_answered(&r, "GetTableRecordExpirationJobStatus", &res);
	free(table_arn);
	aws_result_free(&res);
	if (rc == AWS_API_ERROR &&
	    (strcmp(res.error.code, "MethodNotAllowedException") == 0 || res.http_status == 405)) {
		char desc[1400];
		s3t_expiration_status_free(&st);
		aws_error_describe(&res.error, desc, sizeof desc);
		output_raise(r.out, s.not_supported_state);
		output_summary(r.out, "record expiration is not available for this kind of table "
				      "(only for certain AWS-managed tables)");
		output_line(r.out, "GetTableRecordExpirationJobStatus: %s", desc);
		plugin_end(&r);
	}
	if (rc != AWS_OK) {
		s3t_expiration_status_free(&st);
		plugin_fail(&r, "GetTableRecordExpirationJobStatus", rc, &res, s.not_found_state,
			    "table not found or record expiration not configured");
	}

	/* Age of the last run, whole seconds; a future time is clock skew and counts as 0. */
	int has_age = st.has_last_run, future = 0;
	double age = 0;
	char agetxt[64] = "", when[64] = "";
	if (has_age) {
		age = floor(r.now - st.last_run + 0.5); /* whole seconds, as an operator reads them */
		if (age < 0) {
			future = 1;
			age = 0;
		}
		duration_format(age, agetxt, sizeof agetxt);
		if (future)
			snprintf(agetxt, sizeof agetxt, "age 0 (last run time in the future; clock skew?)");
		time_format(st.last_run, when, sizeof when);
	}
	int age_limits = r.opts.age.has_warning || r.opts.age.has_critical;

	/* The job status. */
	const char *status = st.status;
	const char *fmsg = st.failure_message ? st.failure_message : "no failure message";
	enum mp_state state;
	char summary[1200] = "";
	if (strcasecmp(status, "Successful") == 0) {
		if (has_age) {
			state = thresholds_check_double(&r.opts.age, age);
			output_append(summary, sizeof summary, future ? "last run successful, %s" : "last run successful %s ago", agetxt);
		} else if (age_limits) {
			state = STATE_UNKNOWN;
			output_append(summary, sizeof summary, "last run successful, but no last run time reported");
		} else {
			state = STATE_OK;
			output_append(summary, sizeof summary, "last run successful");
		}
	} else if (strcasecmp(status, "Failed") == 0) {
		state = s.failed_state;
		if (has_age)
			output_append(summary, sizeof summary, future ? "last run failed, %s: %s" : "last run failed %s ago: %s", agetxt, fmsg);
		else
			output_append(summary, sizeof summary, "last run failed: %s", fmsg);
	} else if (strcasecmp(status, "Disabled") == 0) {
		state = s.disabled_state;
		output_append(summary, sizeof summary, "record expiration is disabled");
	} else if (strcasecmp(status, "NotYetRun") == 0) {
		state = s.not_yet_run_state;
		output_append(summary, sizeof summary, "record expiration has not run yet");
	} else {
		state = STATE_UNKNOWN;
		output_append(summary, sizeof summary, "unknown record expiration job status '%.40s'", status);
	}
	output_raise(r.out, state);

	/* The last run's metrics. */
	static const char *const mname[NMETRICS] = {"deleted records", "deleted data files", "removed bytes"};
	static const char *const mlabel[NMETRICS] = {"deleted_records", "deleted_data_files", "removed_bytes"};
	static const char *const mfield[NMETRICS] = {"deletedRecords", "deletedDataFiles", "removedFilesSize"};
	const int mhas[NMETRICS] = {st.has_deleted_records, st.has_deleted_data_files, st.has_removed_files_size};
	const int64_t mval[NMETRICS] = {st.deleted_records, st.deleted_data_files, st.removed_files_size};
	enum mp_state mstate[NMETRICS];
	char mtext[NMETRICS][64];
	int alerts = 0;
	for (int i = 0; i < NMETRICS; i++) {
		mstate[i] = STATE_OK;
		mtext[i][0] = 0;
		if (!mhas[i])
			continue;
		if (i == M_BYTES)
			bytes_format(mval[i], mtext[i], sizeof mtext[i]);
		else
			snprintf(mtext[i], sizeof mtext[i], "%" PRId64, mval[i]);
		mstate[i] = thresholds_check_i64(&s.metric[i], mval[i]);
		if (mstate[i] != STATE_OK) {
			output_raise(r.out, mstate[i]);
			output_append(summary, sizeof summary, "%s%s %s (%s)", alerts ? ", " : "; ", mname[i], mtext[i],
			       state_name(mstate[i]));
			alerts++;
		}
	}
	if (!alerts && (mhas[M_RECORDS] || mhas[M_FILES] || mhas[M_BYTES])) {
		int k = 0;
		output_append(summary, sizeof summary, ": ");
		if (mhas[M_RECORDS])
			output_append(summary, sizeof summary, "%s%s records deleted", k++ ? ", " : "", mtext[M_RECORDS]);
		if (mhas[M_FILES])
			output_append(summary, sizeof summary, "%s%s data files deleted", k++ ? ", " : "", mtext[M_FILES]);
		if (mhas[M_BYTES])
			output_append(summary, sizeof summary, "%s%s removed", k++ ? ", " : "", mtext[M_BYTES]);
	}
	output_summary(r.out, "%s", summary);

	/* Long output: the status, the last run, each metric, the failure message. */
	output_line(r.out, "[%s] status: %s", state_name(state), status);
	if (has_age)
		output_line(r.out, future ? "last run: %s, %s" : "last run: %s, %s ago", when, agetxt);
	else
		output_line(r.out, "last run: none reported");
	int judged_status = strcasecmp(status, "Successful") == 0 || strcasecmp(status, "Failed") == 0;
	if (!st.has_metrics && judged_status)
		output_line(r.out, "metrics: none reported");
	for (int i = 0; i < NMETRICS; i++) {
		const struct thresholds *t = &s.metric[i];
		if (mhas[i] && i == M_BYTES)
			output_line(r.out, "[%s] %s (%s): %" PRId64 " (%s)", state_name(mstate[i]), mname[i], mfield[i],
				    mval[i], mtext[i]);
		else if (mhas[i])
			output_line(r.out, "[%s] %s (%s): %s", state_name(mstate[i]), mname[i], mfield[i], mtext[i]);
		else if (t->has_warning || t->has_critical)
			output_line(r.out, "%s (%s): not reported, so its thresholds were not checked", mname[i], mfield[i]);
		else if (st.has_metrics)
			output_line(r.out, "%s (%s): not reported", mname[i], mfield[i]);
	}
	if (st.failure_message)
		output_line(r.out, "failure message: %s", st.failure_message);

	/* Perfdata: whole seconds for the age; exact int64 for the metrics. */
	char w[128], c[128];
	const int64_t zero = 0;
	if (has_age)
		output_perf_i64(r.out, "age", (int64_t)age, "s",
				plugin_range_text(&r.opts.age.warning, r.opts.age.has_warning, w, sizeof w),
				plugin_range_text(&r.opts.age.critical, r.opts.age.has_critical, c, sizeof c), &zero, NULL);
	for (int i = 0; i < NMETRICS; i++) {
		if (!mhas[i])
			continue;
		const struct thresholds *t = &s.metric[i];
		output_perf_i64(r.out, mlabel[i], mval[i], i == M_BYTES ? "B" : "",
				plugin_range_text(&t->warning, t->has_warning, w, sizeof w),
				plugin_range_text(&t->critical, t->has_critical, c, sizeof c), &zero, NULL);
	}

	s3t_expiration_status_free(&st);
	plugin_end(&r);
}
