/*
 * test_eval.c - the evaluators (lib/check/eval_*.c), the failure results
 * (lib/check/check.c) and the renderer (lib/result/render.c), fed from the
 * response fixtures in tests/data/responses/ (service-model shapes) at the
 * fixed instant NOW, asserting the state, the first line (summary and
 * perfdata) and the long output a user would see.
 * Data dir: $S3T_SRCDIR or $srcdir, then tests/data/responses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "eval_expiration.h"
#include "eval_maintenance.h"
#include "eval_replication.h"
#include "render.h"
#include "tap.h"

#define NOW 1796119200.0 /* 2026-12-01T10:00:00Z */

static char datadir[4096];

static char *slurp(const char *name, size_t *len)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", datadir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("# cannot open %s\n", path);
		return NULL;
	}
	char *buf = malloc(1 << 16);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

/* Render and compare with the whole expected text; frees root. */
static void expect(const char *check, struct result *root, int state, const char *want, const char *name)
{
	is_int(result_state(root), state, "%s: state", name);
	char *got = render_text(check, root);
	is_str(got, want, "%s: output", name);
	free(got);
	result_free(root);
}

static struct result *replication(const char *file, const struct replication_settings *s)
{
	size_t len;
	char *body = slurp(file, &len), err[256];
	struct s3t_replication_status st;
	struct result *r = NULL;
	if (body && s3t_parse_replication_status(body, len, &st, err, sizeof err) == 0) {
		r = eval_replication(&st, s, NOW);
		s3t_replication_status_free(&st);
	} else {
		printf("# %s: %s\n", file, body ? err : "missing");
	}
	free(body);
	return r;
}

static struct result *expiration(const char *file, const struct expiration_settings *s)
{
	size_t len;
	char *body = slurp(file, &len), err[256];
	struct s3t_expiration_status st;
	struct result *r = NULL;
	if (body && s3t_parse_expiration_status(body, len, &st, err, sizeof err) == 0) {
		r = eval_expiration(&st, s, NOW);
		s3t_expiration_status_free(&st);
	} else {
		printf("# %s: %s\n", file, body ? err : "missing");
	}
	free(body);
	return r;
}

static struct result *maintenance(const char *file, const struct maintenance_settings *s)
{
	size_t len;
	char *body = slurp(file, &len), err[256];
	struct s3t_maintenance_status st;
	struct result *r = NULL;
	if (body && s3t_parse_maintenance_status(body, len, &st, err, sizeof err) == 0) {
		r = eval_maintenance(&st, s, NOW);
		s3t_maintenance_status_free(&st);
	} else {
		printf("# %s: %s\n", file, body ? err : "missing");
	}
	free(body);
	return r;
}

static void set(struct range *r, int *has, const char *text, enum range_kind kind)
{
	char err[128];
	*has = range_parse(text, kind, r, err, sizeof err) == 0;
}

static void test_replication(void)
{
	struct replication_settings s;
	replication_settings_init(&s);
	expect("REPLICATION", replication("replication_mixed.json", &s), STATE_CRITICAL,
	       "S3TABLES REPLICATION CRITICAL - 1 of 3 destinations failed (dr-c: KMS key disabled), 1 pending for 10m"
	       " | destinations=3;;;0 completed=1;;;0 pending=1;;;0 failed=1;;;0 lag_max=600s;;;0 lag_dr-a=0s;;;0"
	       " lag_dr-b=600s;;;0\n"
	       "[OK] dr-a: completed, last successful update 30s ago"
	       " (arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a)\n"
	       "[OK] dr-b: pending, last successful update 10m ago (arn:aws:s3tables:eu-west-1:111122223333:bucket/dr-b)\n"
	       "[CRITICAL] dr-c: failed, no successful update yet - KMS key disabled"
	       " (arn:aws:s3tables:ap-south-1:444455556666:bucket/dr-c)\n",
	       "replication: completed, pending within range, failed");

	/* Thresholds: the pending lag of 600 s is past -w 5m; perfdata carries the ranges in seconds. */
	set(&s.lag.warning, &s.lag.has_warning, "5m", RANGE_DURATION);
	set(&s.lag.critical, &s.lag.has_critical, "1h", RANGE_DURATION);
	s.failed_state = STATE_WARNING;
	expect("REPLICATION", replication("replication_mixed.json", &s), STATE_WARNING,
	       "S3TABLES REPLICATION WARNING - 1 of 3 destinations failed (dr-c: KMS key disabled), 1 pending for 10m"
	       " | destinations=3;;;0 completed=1;;;0 pending=1;;;0 failed=1;;;0 lag_max=600s;300;3600;0"
	       " lag_dr-a=0s;300;3600;0 lag_dr-b=600s;300;3600;0\n"
	       "[OK] dr-a: completed, last successful update 30s ago"
	       " (arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a)\n"
	       "[WARNING] dr-b: pending, last successful update 10m ago"
	       " (arn:aws:s3tables:eu-west-1:111122223333:bucket/dr-b)\n"
	       "[WARNING] dr-c: failed, no successful update yet - KMS key disabled"
	       " (arn:aws:s3tables:ap-south-1:444455556666:bucket/dr-c)\n",
	       "replication: -w 5m -c 1h and --failed-state WARNING");

	replication_settings_init(&s);
	s.min_destinations = 3;
	s.required[s.nrequired++] = "arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a";
	s.required[s.nrequired++] = "arn:aws:s3tables:sa-east-1:111122223333:bucket/dr-z";
	expect("REPLICATION", replication("replication_completed.json", &s), STATE_CRITICAL,
	       "S3TABLES REPLICATION CRITICAL - only 2 destinations, at least 3 expected, destination dr-z missing"
	       " | destinations=2;;;0 completed=2;;;0 pending=0;;;0 failed=0;;;0 lag_max=0s;;;0 lag_dr-a=0s;;;0"
	       " lag_dr-b=0s;;;0\n"
	       "[OK] dr-a: completed, last successful update 1h ago (arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a)\n"
	       "[OK] dr-b: COMPLETED, last successful update 1h 30m ago"
	       " (arn:aws:s3tables:eu-west-1:111122223333:bucket/dr-b)\n",
	       "replication: --min-destinations and a missing --destination; status compared case-insensitively");

	replication_settings_init(&s);
	set(&s.pending.warning, &s.pending.has_warning, "0", RANGE_PLAIN);
	expect("REPLICATION", replication("replication_pending_no_update.json", &s), STATE_WARNING,
	       "S3TABLES REPLICATION WARNING - 1 of 1 destination pending (1 with no successful update yet),"
	       " 1 destination not completed | destinations=1;;;0 completed=0;;;0 pending=1;;;0 failed=0;;;0\n"
	       "[WARNING] dr-a: pending, no successful update yet (arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a)\n",
	       "replication: pending with no update yet (--no-update-state) and --warning-pending 0; no lag metric");

	replication_settings_init(&s);
	expect("REPLICATION", replication("replication_unknown_status.json", &s), STATE_UNKNOWN,
	       "S3TABLES REPLICATION UNKNOWN - 1 with unknown replication status (dr-a: 'paused')"
	       " | destinations=1;;;0 completed=0;;;0 pending=0;;;0 failed=0;;;0\n"
	       "[UNKNOWN] dr-a: paused, no successful update yet (arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a)\n",
	       "replication: a status the API may grow into is UNKNOWN, named");

	struct result *none = replication("replication_none.json", &s);
	is_str(none ? none->not_applicable : NULL, "not replicated", "replication: zero destinations are not applicable in a fleet");
	expect("REPLICATION", none, STATE_CRITICAL,
	       "S3TABLES REPLICATION CRITICAL - replication not configured or table not found (no destinations)"
	       " | destinations=0;;;0 completed=0;;;0 pending=0;;;0 failed=0;;;0\n",
	       "replication: zero destinations is --not-found-state");

	set(&s.lag.critical, &s.lag.has_critical, "1", RANGE_DURATION);
	expect("REPLICATION", replication("replication_future.json", &s), STATE_OK,
	       "S3TABLES REPLICATION OK - 1 of 1 destination pending for 0s"
	       " | destinations=1;;;0 completed=0;;;0 pending=1;;;0 failed=0;;;0 lag_max=0s;;1;0 lag_dr-a=0s;;1;0\n"
	       "[OK] dr-a: pending, last successful update 0s ago (timestamp in the future; clock skew?)"
	       " (arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a)\n",
	       "replication: a future update is lag 0 with a clock-skew note");

	replication_settings_init(&s);
	expect("REPLICATION", replication("replication_same_bucket.json", &s), STATE_OK,
	       "S3TABLES REPLICATION OK - 3 of 3 destinations completed"
	       " | destinations=3;;;0 completed=3;;;0 pending=0;;;0 failed=0;;;0 lag_max=0s;;;0"
	       " 'lag_dr-x@us-west-2'=0s;;;0 'lag_dr-x@111122223333.eu-west-1'=0s;;;0"
	       " 'lag_dr-x@444455556666.eu-west-1'=0s;;;0\n"
	       "[OK] dr-x@us-west-2: completed, no successful update yet (arn:aws:s3tables:us-west-2:111122223333:bucket/dr-x)\n"
	       "[OK] dr-x@111122223333.eu-west-1: completed, no successful update yet"
	       " (arn:aws:s3tables:eu-west-1:111122223333:bucket/dr-x)\n"
	       "[OK] dr-x@444455556666.eu-west-1: completed, no successful update yet"
	       " (arn:aws:s3tables:eu-west-1:444455556666:bucket/dr-x)\n",
	       "replication: destinations sharing a bucket name get region, then account, in their labels");
}

static void test_expiration(void)
{
	struct expiration_settings s;
	expiration_settings_init(&s);
	expect("EXPIRATION", expiration("expiration_successful.json", &s), STATE_OK,
	       "S3TABLES EXPIRATION OK - last run successful 2h ago: 9223372036854775807 records deleted,"
	       " 42 data files deleted, 1.5 GiB removed | age=7200s;;;0 deleted_records=9223372036854775807;;;0"
	       " deleted_data_files=42;;;0 removed_bytes=1610612736B;;;0\n"
	       "[OK] status: Successful\n"
	       "last run: 2026-12-01 08:00:00 UTC, 2h ago\n"
	       "[OK] deleted records (deletedRecords): 9223372036854775807\n"
	       "[OK] deleted data files (deletedDataFiles): 42\n"
	       "[OK] removed bytes (removedFilesSize): 1610612736 (1.5 GiB)\n",
	       "expiration: Successful with exact 64-bit metrics");

	set(&s.age.warning, &s.age.has_warning, "1h", RANGE_DURATION);
	set(&s.metric[EXP_BYTES].critical, &s.metric[EXP_BYTES].has_critical, "1G", RANGE_BYTES);
	expect("EXPIRATION", expiration("expiration_successful.json", &s), STATE_CRITICAL,
	       "S3TABLES EXPIRATION CRITICAL - last run successful 2h ago; removed bytes 1.5 GiB (CRITICAL)"
	       " | age=7200s;3600;;0 deleted_records=9223372036854775807;;;0 deleted_data_files=42;;;0"
	       " removed_bytes=1610612736B;;1073741824;0\n"
	       "[WARNING] status: Successful\n"
	       "last run: 2026-12-01 08:00:00 UTC, 2h ago\n"
	       "[OK] deleted records (deletedRecords): 9223372036854775807\n"
	       "[OK] deleted data files (deletedDataFiles): 42\n"
	       "[CRITICAL] removed bytes (removedFilesSize): 1610612736 (1.5 GiB)\n",
	       "expiration: age past -w and bytes past --critical-bytes");

	expiration_settings_init(&s);
	set(&s.metric[EXP_FILES].warning, &s.metric[EXP_FILES].has_warning, "10", RANGE_PLAIN);
	expect("EXPIRATION", expiration("expiration_failed.json", &s), STATE_CRITICAL,
	       "S3TABLES EXPIRATION CRITICAL - last run failed 1d ago: Access denied to s3://b¦x: 0 records deleted"
	       " | age=86400s;;;0 deleted_records=0;;;0\n"
	       "[CRITICAL] status: Failed\n"
	       "last run: 2026-11-30 10:00:00 UTC, 1d ago\n"
	       "[OK] deleted records (deletedRecords): 0\n"
	       "deleted data files (deletedDataFiles): not reported, so its thresholds were not checked\n"
	       "removed bytes (removedFilesSize): not reported\n"
	       "failure message: Access denied to s3://b¦x\n",
	       "expiration: Failed with its message ('|' escaped); an unreported metric is not judged");

	expiration_settings_init(&s);
	s.disabled_state_set = 1;
	struct result *d = expiration("expiration_disabled.json", &s);
	ok(d && !d->not_applicable, "expiration: an explicit --disabled-state makes Disabled count");
	result_free(d);
	s.disabled_state_set = 0;
	d = expiration("expiration_disabled.json", &s);
	is_str(d ? d->not_applicable : NULL, "expiration disabled", "expiration: Disabled is not applicable in a fleet");
	expect("EXPIRATION", d, STATE_WARNING,
	       "S3TABLES EXPIRATION WARNING - record expiration is disabled\n"
	       "[WARNING] status: Disabled\n"
	       "last run: none reported\n",
	       "expiration: Disabled is --disabled-state");
	expect("EXPIRATION", expiration("expiration_not_yet_run.json", &s), STATE_OK,
	       "S3TABLES EXPIRATION OK - record expiration has not run yet\n"
	       "[OK] status: NotYetRun\n"
	       "last run: none reported\n",
	       "expiration: NotYetRun is --not-yet-run-state");
	expect("EXPIRATION", expiration("expiration_unknown.json", &s), STATE_UNKNOWN,
	       "S3TABLES EXPIRATION UNKNOWN - unknown record expiration job status 'Paused' | age=3600s;;;0\n"
	       "[UNKNOWN] status: Paused\n"
	       "last run: 2026-12-01 09:00:00 UTC, 1h ago\n",
	       "expiration: an unknown status is UNKNOWN, named");
	expect("EXPIRATION", expiration("expiration_no_time.json", &s), STATE_OK,
	       "S3TABLES EXPIRATION OK - last run successful\n"
	       "[OK] status: Successful\n"
	       "last run: none reported\n"
	       "metrics: none reported\n",
	       "expiration: Successful without a time and without thresholds is OK");
	set(&s.age.critical, &s.age.has_critical, "1d", RANGE_DURATION);
	expect("EXPIRATION", expiration("expiration_no_time.json", &s), STATE_UNKNOWN,
	       "S3TABLES EXPIRATION UNKNOWN - last run successful, but no last run time reported\n"
	       "[UNKNOWN] status: Successful\n"
	       "last run: none reported\n"
	       "metrics: none reported\n",
	       "expiration: Successful without a time is UNKNOWN when an age threshold is set");
	expect("EXPIRATION", expiration("expiration_future.json", &s), STATE_OK,
	       "S3TABLES EXPIRATION OK - last run successful, age 0 (last run time in the future; clock skew?)"
	       " | age=0s;;86400;0\n"
	       "[OK] status: Successful\n"
	       "last run: 2026-12-01 11:00:00 UTC, age 0 (last run time in the future; clock skew?)\n"
	       "metrics: none reported\n",
	       "expiration: a future last run is age 0 with a clock-skew note");

	expiration_settings_init(&s);
	struct result *u = eval_expiration_unsupported("MethodNotAllowedException: not for this table (HTTP 405)", &s);
	is_str(u ? u->not_applicable : NULL, "expiration not supported", "expiration: 405 is not applicable in a fleet");
	expect("EXPIRATION", u, STATE_UNKNOWN,
	       "S3TABLES EXPIRATION UNKNOWN - record expiration is not available for this kind of table"
	       " (only for certain AWS-managed tables)\n"
	       "GetTableRecordExpirationJobStatus: MethodNotAllowedException: not for this table (HTTP 405)\n",
	       "expiration: MethodNotAllowedException is --not-supported-state");
}

static void test_maintenance(void)
{
	struct maintenance_settings s;
	maintenance_settings_init(&s);
	expect("MAINTENANCE", maintenance("maintenance_ok.json", &s), STATE_OK,
	       "S3TABLES MAINTENANCE OK - 3 jobs OK, last runs 1h–1d ago"
	       " | age_compaction=3600s;;;0 age_snapshot_management=14400s;;;0 age_unreferenced_file_removal=86400s;;;0\n"
	       "[OK] compaction (icebergCompaction): Successful, last run 2026-12-01 09:00:00 UTC, 1h ago\n"
	       "[OK] snapshot management (icebergSnapshotManagement): Successful, last run 2026-12-01 06:00:00 UTC, 4h ago\n"
	       "[OK] unreferenced file removal (icebergUnreferencedFileRemoval): Successful, last run"
	       " 2026-11-30 10:00:00 UTC, 1d ago\n",
	       "maintenance: every job Successful");

	set(&s.age.warning, &s.age.has_warning, "3h", RANGE_DURATION);
	set(&s.age.critical, &s.age.has_critical, "12h", RANGE_DURATION);
	expect("MAINTENANCE", maintenance("maintenance_ok.json", &s), STATE_CRITICAL,
	       "S3TABLES MAINTENANCE CRITICAL - unreferenced file removal last ran 1d ago, snapshot management last ran"
	       " 4h ago, 1 other job OK"
	       " | age_compaction=3600s;10800;43200;0 age_snapshot_management=14400s;10800;43200;0"
	       " age_unreferenced_file_removal=86400s;10800;43200;0\n"
	       "[OK] compaction (icebergCompaction): Successful, last run 2026-12-01 09:00:00 UTC, 1h ago\n"
	       "[WARNING] snapshot management (icebergSnapshotManagement): Successful, last run"
	       " 2026-12-01 06:00:00 UTC, 4h ago\n"
	       "[CRITICAL] unreferenced file removal (icebergUnreferencedFileRemoval): Successful, last run"
	       " 2026-11-30 10:00:00 UTC, 1d ago\n",
	       "maintenance: ages against -w/-c, most severe first");

	maintenance_settings_init(&s);
	expect("MAINTENANCE", maintenance("maintenance_mixed.json", &s), STATE_CRITICAL,
	       "S3TABLES MAINTENANCE CRITICAL - compaction failed 2h ago: Insufficient permissions, icebergSortOptimization"
	       " has unknown status 'Paused', snapshot management disabled, 1 other job OK, 1 not yet run"
	       " | age_compaction=7200s;;;0\n"
	       "[CRITICAL] compaction (icebergCompaction): Failed, last run 2026-12-01 08:00:00 UTC, 2h ago"
	       " - Insufficient permissions\n"
	       "[WARNING] snapshot management (icebergSnapshotManagement): Disabled, no last run time\n"
	       "[OK] unreferenced file removal (icebergUnreferencedFileRemoval): Not_Yet_Run, no last run time\n"
	       "[UNKNOWN] icebergSortOptimization: Paused, no last run time\n",
	       "maintenance: failed, disabled, not yet run and a job type the model does not know");

	maintenance_settings_init(&s);
	maintenance_select_job(&s, "snapshot-management");
	ok(maintenance_select_job(&s, "vacuum") == -1, "maintenance: an unknown --job name is refused");
	expect("MAINTENANCE", maintenance("maintenance_mixed.json", &s), STATE_WARNING,
	       "S3TABLES MAINTENANCE WARNING - snapshot management disabled\n"
	       "[not checked] compaction (icebergCompaction): Failed, last run 2026-12-01 08:00:00 UTC, 2h ago"
	       " - Insufficient permissions\n"
	       "[WARNING] snapshot management (icebergSnapshotManagement): Disabled, no last run time\n"
	       "[not checked] unreferenced file removal (icebergUnreferencedFileRemoval): Not_Yet_Run, no last run time\n"
	       "[not checked] icebergSortOptimization: Paused, no last run time\n",
	       "maintenance: --job judges only the selected job");

	maintenance_settings_init(&s);
	expect("MAINTENANCE", maintenance("maintenance_missing.json", &s), STATE_UNKNOWN,
	       "S3TABLES MAINTENANCE UNKNOWN - snapshot management not reported, unreferenced file removal not reported,"
	       " 1 other job OK | age_compaction=0s;;;0\n"
	       "[OK] compaction (icebergCompaction): Successful, last run 2026-12-01 11:00:00 UTC, age 0 (last run time"
	       " in the future; clock skew?)\n"
	       "[UNKNOWN] snapshot management (icebergSnapshotManagement): not reported\n"
	       "[UNKNOWN] unreferenced file removal (icebergUnreferencedFileRemoval): not reported\n",
	       "maintenance: expected jobs missing from the answer; a future last run is age 0");

	struct result *d = maintenance("maintenance_disabled.json", &s);
	ok(d && !d->not_applicable, "maintenance: a single-table run has no not-applicable");
	is_int(result_state(d), STATE_WARNING, "maintenance: every job Disabled is --disabled-state");
	result_free(d);
	s.fleet = 1;
	d = maintenance("maintenance_disabled.json", &s);
	is_str(d ? d->not_applicable : NULL, "maintenance disabled", "maintenance: every job Disabled is not applicable in a fleet");
	result_free(d);
	expect("MAINTENANCE", maintenance("maintenance_mixed.json", &s), STATE_CRITICAL,
	       "S3TABLES MAINTENANCE CRITICAL - compaction failed 2h ago: Insufficient permissions, icebergSortOptimization"
	       " has unknown status 'Paused', 2 other jobs OK, 1 not yet run, 1 disabled"
	       " | age_compaction=7200s;;;0\n"
	       "[CRITICAL] compaction (icebergCompaction): Failed, last run 2026-12-01 08:00:00 UTC, 2h ago"
	       " - Insufficient permissions\n"
	       "[OK] snapshot management (icebergSnapshotManagement): Disabled, no last run time\n"
	       "[OK] unreferenced file removal (icebergUnreferencedFileRemoval): Not_Yet_Run, no last run time\n"
	       "[UNKNOWN] icebergSortOptimization: Paused, no last run time\n",
	       "maintenance: in a fleet a Disabled job does not raise the state");
	s.disabled_state_set = 1;
	d = maintenance("maintenance_disabled.json", &s);
	ok(d && !d->not_applicable && result_state(d) == STATE_WARNING,
	   "maintenance: an explicit --disabled-state applies per table in a fleet");
	result_free(d);
	s.fleet = s.disabled_state_set = 0;

	expect("MAINTENANCE", maintenance("maintenance_empty.json", &s), STATE_UNKNOWN,
	       "S3TABLES MAINTENANCE UNKNOWN - no maintenance job status reported for this table\n",
	       "maintenance: no job status at all is UNKNOWN");
}

static void test_failures(void)
{
	struct check_env env = {.started = NOW, .timeout = 10, .timeout_state = STATE_UNKNOWN};
	struct aws_result res;

	memset(&res, 0, sizeof res);
	res.attempts = 1;
	res.http_status = 404;
	snprintf(res.error.code, sizeof res.error.code, "NotFoundException");
	snprintf(res.error.message, sizeof res.error.message, "The specified table does not exist");
	res.error.http_status = 404;
	snprintf(res.error.request_id, sizeof res.error.request_id, "req-1");
	struct result *r = check_failure("GetTableReplicationStatus", AWS_API_ERROR, &res, STATE_CRITICAL,
					 "replication not configured or table not found", "not replicated", &env);
	is_str(r ? r->not_applicable : NULL, "not replicated", "failure: NotFoundException carries the not-applicable reason");
	char desc[1400];
	aws_error_describe(&res.error, desc, sizeof desc);
	char want[2000];
	snprintf(want, sizeof want,
		 "S3TABLES REPLICATION CRITICAL - replication not configured or table not found - "
		 "GetTableReplicationStatus: %s\n", desc);
	expect("REPLICATION", r, STATE_CRITICAL, want, "failure: NotFoundException is --not-found-state");

	snprintf(res.error.code, sizeof res.error.code, "AccessDeniedException");
	res.http_status = res.error.http_status = 403;
	res.attempts = 1;
	aws_error_describe(&res.error, desc, sizeof desc);
	snprintf(want, sizeof want, "S3TABLES REPLICATION UNKNOWN - GetTableReplicationStatus failed: %s after 1 attempt\n",
		 desc);
	expect("REPLICATION", check_failure("GetTableReplicationStatus", AWS_API_ERROR, &res, STATE_CRITICAL, "x", NULL, &env),
	       STATE_UNKNOWN, want, "failure: 403 is UNKNOWN with the error and the attempts");

	memset(&res, 0, sizeof res);
	res.attempts = 2;
	snprintf(res.message, sizeof res.message, "deadline reached while waiting for the response from 127.0.0.1:9");
	env.timeout = 2.5;
	env.timeout_state = STATE_CRITICAL;
	expect("MAINTENANCE", check_failure("GetTableMaintenanceJobStatus", AWS_TIMEOUT, &res, STATE_CRITICAL, "x", NULL, &env),
	       STATE_CRITICAL,
	       "S3TABLES MAINTENANCE CRITICAL - timed out after 2.5 s during GetTableMaintenanceJobStatus (deadline reached"
	       " while waiting for the response from 127.0.0.1:9; 2 attempts)\n",
	       "failure: the deadline is the -t state with the stage");

	snprintf(res.message, sizeof res.message, "malformed response: destinations: expected an array, got string");
	expect("REPLICATION", check_failure("GetTableReplicationStatus", S3T_MALFORMED, &res, STATE_CRITICAL, "x", NULL, &env),
	       STATE_UNKNOWN,
	       "S3TABLES REPLICATION UNKNOWN - GetTableReplicationStatus returned a malformed response: destinations:"
	       " expected an array, got string\n",
	       "failure: a malformed body is UNKNOWN saying what was wrong");

	snprintf(res.message, sizeof res.message, "connection refused by 127.0.0.1:9");
	res.attempts = 3;
	expect("EXPIRATION", check_failure("GetTableRecordExpirationJobStatus", AWS_TRANSPORT, &res, STATE_CRITICAL, "x",
					   NULL, &env),
	       STATE_UNKNOWN,
	       "S3TABLES EXPIRATION UNKNOWN - GetTableRecordExpirationJobStatus failed: connection refused by 127.0.0.1:9"
	       " after 3 attempts\n",
	       "failure: transport failures are UNKNOWN naming what and where");
}

/* The tree itself: worst-of-children, marks, nesting, and a NULL-safe API. */
static void test_tree(void)
{
	struct result *root = result_new();
	result_text(root, "2 of 3 tables not OK");
	struct result *t1 = result_child(root, RESULT_MARK_STATE);
	result_text(t1, "sales.orders: 1 of 2 destinations failed");
	struct result *d1 = result_child(t1, RESULT_MARK_STATE);
	result_set_state(d1, STATE_CRITICAL);
	result_text(d1, "dr-c: failed | KMS");
	struct result *d2 = result_child(t1, RESULT_MARK_STATE);
	result_text(d2, "dr-a: completed");
	struct result *t2 = result_child(root, RESULT_MARK_STATE);
	result_raise(t2, STATE_WARNING);
	result_text(t2, "raw.clicks: pending");
	struct result *info = result_child(root, RESULT_MARK_NONE);
	result_set_state(info, STATE_UNKNOWN); /* informational: never counts */
	result_text(info, "1 table OK");
	result_perf_i64(root, "tables", 3, "", NULL, NULL, NULL, NULL);
	result_perf_double(root, "ratio", 0.5, "", "1", "2", NULL, NULL);
	is_int(result_state(t1), STATE_CRITICAL, "tree: a node is the worst of its children");
	is_int(result_state(root), STATE_CRITICAL, "tree: worst propagates up; informational children do not count");
	char *text = render_text("REPLICATION", root);
	is_str(text,
	       "S3TABLES REPLICATION CRITICAL - 2 of 3 tables not OK | tables=3;;; ratio=0.5;1;2;\n"
	       "[CRITICAL] sales.orders: 1 of 2 destinations failed\n"
	       "    \\_ [CRITICAL] dr-c: failed ¦ KMS\n"
	       "    \\_ [OK] dr-a: completed\n"
	       "[WARNING] raw.clicks: pending\n"
	       "1 table OK\n",
	       "tree: nested lines in the multi-line style, '|' escaped in texts");
	free(text);
	result_set_state(root, STATE_OK);
	is_int(result_state(root), STATE_OK, "tree: a set state overrides the children");
	result_free(root);

	ok(result_child(NULL, RESULT_MARK_STATE) == NULL, "tree: NULL parent gives NULL child");
	result_text(NULL, "x");
	result_perf_i64(NULL, "x", 1, "", NULL, NULL, NULL, NULL);
	is_int(result_state(NULL), STATE_UNKNOWN, "tree: a missing node is UNKNOWN");
	char *oom = render_text("REPLICATION", NULL);
	is_str(oom, "S3TABLES REPLICATION UNKNOWN - out of memory\n", "tree: rendering a missing tree says out of memory");
	free(oom);

	/* Caps: a thousand lines are cut with a count; an invalid perfdata item is left out. */
	root = result_new();
	result_text(root, "many");
	for (int i = 0; i < 1000; i++)
		result_text(result_child(root, RESULT_MARK_STATE), "table %d", i);
	result_perf_double(root, "bad", 1.0 / 0.0, "", NULL, NULL, NULL, NULL);
	text = render_text("X", root);
	ok(text && strstr(text, "\n... 900 more lines\n") && !strchr(text, '|'), "tree: caps hold, an infinite value is left out");
	free(text);
	result_free(root);
}

int main(void)
{
	const char *src = getenv("S3T_SRCDIR");
	if (!src || !*src)
		src = getenv("srcdir");
	snprintf(datadir, sizeof datadir, "%s/tests/data/responses", src && *src ? src : ".");
	test_tree();
	test_replication();
	test_expiration();
	test_maintenance();
	test_failures();
	return tap_done();
}
