/*
 * check_s3tables_maintenance - are compaction, snapshot management and
 * unreferenced-file removal running and succeeding on an S3 table?
 *
 * Asks GetTableMaintenanceJobStatus, which takes the bucket ARN, namespace
 * and table name: given by name, one request; given a table ARN, GetTable
 * first resolves it to namespace and name. Each judged job: Successful → OK,
 * then -w/-c on the age of its last run; Failed → --failed-state; Disabled →
 * --disabled-state; Not_Yet_Run → --not-yet-run-state; anything else →
 * UNKNOWN. A selected job missing from the answer is UNKNOWN. Job types this
 * plugin does not know are reported and, without --job, judged the same way.
 * The result is the worst of all.
 */
#include "config.h"

#include <stdio.h>

#include "eval_maintenance.h"
#include "plugin.h"

enum {
	OPT_FAILED_STATE = 1000,
	OPT_DISABLED_STATE,
	OPT_NOT_YET_RUN_STATE,
	OPT_NOT_FOUND_STATE,
	OPT_JOB,
};

static const struct plugin_option options[] = {
	{"job", 0, "NAME",
	 "Judge only this job (repeatable): icebergCompaction, icebergSnapshotManagement, icebergUnreferencedFileRemoval, "
	 "or compaction, snapshot-management, unreferenced-file-removal; default: every job reported",
	 OPT_JOB},
	{"failed-state", 0, "STATE", "State for a job whose last run failed; default CRITICAL", OPT_FAILED_STATE},
	{"disabled-state", 0, "STATE", "State for a disabled job; default WARNING", OPT_DISABLED_STATE},
	{"not-yet-run-state", 0, "STATE", "State for a job that has not run yet; default OK", OPT_NOT_YET_RUN_STATE},
	{"not-found-state", 0, "STATE", "State when the table is not found (NotFoundException); default CRITICAL",
	 OPT_NOT_FOUND_STATE},
};

static int handle(void *ctx, int key, const char *arg, char *err, size_t errsz)
{
	struct maintenance_settings *s = ctx;
	switch (key) {
	case OPT_FAILED_STATE: return options_parse_state(arg, &s->jobs.failed, err, errsz);
	case OPT_DISABLED_STATE:
		s->disabled_state_set = 1;
		return options_parse_state(arg, &s->jobs.disabled, err, errsz);
	case OPT_NOT_YET_RUN_STATE: return options_parse_state(arg, &s->jobs.not_yet_run, err, errsz);
	case OPT_NOT_FOUND_STATE:
		s->not_found_state_set = 1;
		return options_parse_state(arg, &s->not_found_state, err, errsz);
	case OPT_JOB:
		if (maintenance_select_job(s, arg) == 0)
			return 0;
		snprintf(err, errsz,
			 "'%.60s' is not a job; valid: icebergCompaction (compaction), icebergSnapshotManagement "
			 "(snapshot-management), icebergUnreferencedFileRemoval (unreferenced-file-removal)",
			 arg);
		return -1;
	}
	return -1;
}

/* One table: GetTableMaintenanceJobStatus (by bucket, namespace and name), then the evaluator. */
static struct result *check_table(const struct aws_client *c, const struct table_ref *t, const void *settings,
				  const struct check_env *env)
{
	const struct maintenance_settings *s = settings;
	struct s3t_maintenance_status st;
	struct aws_result res;
	int rc = s3t_get_maintenance_status(c, t->bucket_arn, t->namespace_name, t->name, &st, &res);
	check_answered(env, "GetTableMaintenanceJobStatus", &res);
	struct result *out = rc == AWS_OK ? eval_maintenance(&st, s, check_now(env, &res))
					  : check_failure("GetTableMaintenanceJobStatus", rc, &res, s->not_found_state,
							  "table not found", NULL, env);
	s3t_maintenance_status_free(&st);
	aws_result_free(&res);
	return out;
}

/* In a fleet run (--all-tables), the worst of these over all tables. */
static const struct fleet_metric fleet_metrics[] = {{"age_", 1, "age_max_"}};

int main(int argc, char **argv)
{
	struct maintenance_settings s;
	maintenance_settings_init(&s);
	const struct plugin_info info = {
		.program = "check_s3tables_maintenance",
		.check_name = "MAINTENANCE",
		.purpose = "Checks the maintenance jobs of an Amazon S3 table (compaction, snapshot\n"
			   "management, unreferenced-file removal): asks S3 Tables GetTableMaintenanceJobStatus\n"
			   "whether each job runs and succeeds.",
		.thresholds = "Warning range on the age of each Successful job's last run (now minus its\n"
			      "    lastRunTimestamp), e.g. 1d",
		.options = options,
		.noptions = sizeof options / sizeof options[0],
		.handle = handle,
		.ctx = &s,
		.notes = "States per job: Successful is OK, then -w/-c on the age of its last run (a\n"
			 "Successful job without a last run time is UNKNOWN, \"no last run time reported\",\n"
			 "when -w or -c is given, else OK); Failed is --failed-state, with AWS's failure\n"
			 "message; Disabled is --disabled-state; Not_Yet_Run is --not-yet-run-state; any\n"
			 "other status is UNKNOWN. A last run time in the future counts as age 0 (clock\n"
			 "skew is noted). Without --job the three known jobs are expected: one missing from\n"
			 "the answer is UNKNOWN (\"<job> not reported\"); with --job only the selected jobs\n"
			 "are judged and expected, the others are listed as not checked. Job types this\n"
			 "plugin does not know are listed too and, without --job, judged by the same rules.\n"
			 "An answer with no job status at all is UNKNOWN. NotFoundException is\n"
			 "--not-found-state. The result is the worst of all.\n\n"
			 "With --table-bucket-arn, --namespace and --table the plugin makes one request;\n"
			 "with --table-arn it first asks GetTable for the table's namespace and name.\n\n"
			 "Perfdata: one age per judged job with a last run (seconds, with the -w/-c\n"
			 "thresholds): age_compaction, age_snapshot_management,\n"
			 "age_unreferenced_file_removal, and age_<type> for job types not known here.\n\n"
			 "With --all-tables, a Disabled job does not apply (a table whose jobs are all\n"
			 "Disabled counts as not applicable) unless --disabled-state is given; the\n"
			 "fleet's oldest last run per job is age_max_<job>.\n\n"
			 "IAM permission needed: s3tables:GetTableMaintenanceJobStatus (and\n"
			 "s3tables:GetTable when the table is given by --table-arn).\n\n"
			 "Example:\n"
			 "  check_s3tables_maintenance -b arn:aws:s3tables:us-east-1:111122223333:bucket/b \\\n"
			 "      -n analytics -N events -w 2d -c 4d --job compaction --job snapshot-management",
	};
	struct plugin_run r;
	plugin_start(&r, &info, argc, argv);
	s.age = r.opts.age;
	s.fleet = r.opts.all_tables;
	const struct check_def check = {.check_name = info.check_name, .needs = CHECK_NEEDS_NAME,
					.check_table = check_table, .settings = &s,
					.not_found_state = &s.not_found_state,
					.fleet_metrics = fleet_metrics, .nfleet_metrics = 1};
	plugin_check(&r, &check);
}
