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

#include <string.h>

#include "eval_expiration.h"
#include "plugin.h"

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
	struct expiration_settings *s = ctx;
	switch (key) {
	case OPT_FAILED_STATE: return options_parse_state(arg, &s->jobs.failed, err, errsz);
	case OPT_DISABLED_STATE:
		s->disabled_state_set = 1;
		return options_parse_state(arg, &s->jobs.disabled, err, errsz);
	case OPT_NOT_YET_RUN_STATE: return options_parse_state(arg, &s->jobs.not_yet_run, err, errsz);
	case OPT_NOT_SUPPORTED_STATE:
		s->not_supported_state_set = 1;
		return options_parse_state(arg, &s->not_supported_state, err, errsz);
	case OPT_NOT_FOUND_STATE:
		s->not_found_state_set = 1;
		return options_parse_state(arg, &s->not_found_state, err, errsz);
	case OPT_WARNING_RECORDS: return set_range(&s->metric[EXP_RECORDS], 0, arg, RANGE_PLAIN, err, errsz);
	case OPT_CRITICAL_RECORDS: return set_range(&s->metric[EXP_RECORDS], 1, arg, RANGE_PLAIN, err, errsz);
	case OPT_WARNING_FILES: return set_range(&s->metric[EXP_FILES], 0, arg, RANGE_PLAIN, err, errsz);
	case OPT_CRITICAL_FILES: return set_range(&s->metric[EXP_FILES], 1, arg, RANGE_PLAIN, err, errsz);
	case OPT_WARNING_BYTES: return set_range(&s->metric[EXP_BYTES], 0, arg, RANGE_BYTES, err, errsz);
	case OPT_CRITICAL_BYTES: return set_range(&s->metric[EXP_BYTES], 1, arg, RANGE_BYTES, err, errsz);
	}
	return -1;
}

/* One table: GetTableRecordExpirationJobStatus, then the evaluator. */
static struct result *check_table(const struct aws_client *c, const struct table_ref *t, const void *settings,
				  const struct check_env *env)
{
	const struct expiration_settings *s = settings;
	static const char op[] = "GetTableRecordExpirationJobStatus";
	struct s3t_expiration_status st;
	struct aws_result res;
	struct result *out;
	int rc = s3t_get_expiration_status(c, t->table_arn, &st, &res);
	check_answered(env, op, &res);
	if (rc == AWS_OK) {
		out = eval_expiration(&st, s, check_now(env, &res));
	} else if (rc == AWS_API_ERROR &&
		   (strcmp(res.error.code, "MethodNotAllowedException") == 0 || res.http_status == 405)) {
		char desc[1400];
		aws_error_describe(&res.error, desc, sizeof desc);
		out = eval_expiration_unsupported(desc, s);
	} else {
		out = check_failure(op, rc, &res, s->not_found_state, "table not found or record expiration not configured",
				    NULL, env);
	}
	s3t_expiration_status_free(&st);
	aws_result_free(&res);
	return out;
}

/* In a fleet run (--all-tables), the worst of these over all tables. */
static const struct fleet_metric fleet_metrics[] = {{"age", 0, "age_max"}};

int main(int argc, char **argv)
{
	struct expiration_settings s;
	expiration_settings_init(&s);
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
			 "With --all-tables, record expiration not supported (405) or Disabled counts as\n"
			 "not applicable unless --not-supported-state or --disabled-state is given; the\n"
			 "fleet's oldest last run is age_max.\n\n"
			 "IAM permission needed: s3tables:GetTableRecordExpirationJobStatus (and\n"
			 "s3tables:GetTable when the table is given by bucket, namespace and name).\n\n"
			 "Example:\n"
			 "  check_s3tables_expiration -a arn:aws:s3tables:us-east-1:111122223333:bucket/b/table/ID \\\n"
			 "      -w 2d -c 4d --critical-bytes 1T",
	};
	struct plugin_run r;
	plugin_start(&r, &info, argc, argv);
	s.age = r.opts.age;
	const struct check_def check = {.check_name = info.check_name, .needs = CHECK_NEEDS_ARN,
					.check_table = check_table, .settings = &s,
					.not_found_state = &s.not_found_state,
					.fleet_metrics = fleet_metrics, .nfleet_metrics = 1};
	plugin_check(&r, &check);
}
