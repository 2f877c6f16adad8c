"""End to end: check_s3tables_expiration against the simulated endpoint.

Every row of the spec's record-expiration table, every exp_* scenario, the
state overrides, the metric thresholds and a selection of the shared failure
scenarios, run with the built binary over HTTPS on loopback; each asserts
exit code, first line, long output and perfdata as a user (or Icinga) would
see them.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import (BUCKET_ARN, DEADLINE_SLACK, Canned, done, fresh, is_, like, near, ok, run, Simulator, table_arn)  # noqa: E402

P = "check_s3tables_expiration"


sim = Simulator()
# Ages as shown, allowing a few seconds of slack (a slow run, e.g. under valgrind).
H1 = r"(?:1h|59m \d+s)"
H2 = r"(?:2h|1h 59m)"
METRIC_PERF = ("deleted_records", "deleted_data_files", "removed_bytes")


def check(scenario, *args, **kw):
    return run(P, ["-a", table_arn(scenario)] + list(args), sim=sim, name=scenario, **kw)



# --- Successful -----------------------------------------------------------------
r = check("exp_ok")
is_(r.rc, 0, "Successful: OK")
like(r.summary, r"^S3TABLES EXPIRATION OK - last run successful " + H1 + r" ago: 34567 records deleted, "
     r"12 data files deleted, 100 MiB removed$", "Successful: summary gives age and what was removed")
near(r.value("age"), 3600, 5, "Successful: age about 3600 s")
like(r.perf.get("age", ""), r"^\d+s;;;0$", "age perfdata in seconds, min 0, no thresholds")
is_([r.perf.get(k) for k in METRIC_PERF], ["34567;;;0", "12;;;0", "104857600B;;;0"],
    "Successful: perfdata for all three metrics (bytes in B)")
is_(r.long[0], "[OK] status: Successful", "long output: status line")
like(r.long[1], r"^last run: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, " + H1 + r" ago$", "long output: last run time and age")
ok("[OK] deleted records (deletedRecords): 34567" in r.long, "long output: deleted records", r.long)
ok("[OK] deleted data files (deletedDataFiles): 12" in r.long, "long output: deleted data files", r.long)
ok("[OK] removed bytes (removedFilesSize): 104857600 (100 MiB)" in r.long, "long output: removed bytes", r.long)

r = check("exp_ok", "-w", "2h", "-c", "1d")
is_(r.rc, 0, "age 1h within -w 2h: OK")
like(r.perf.get("age", ""), r"^\d+s;7200;86400;0$", "age thresholds in perfdata, in seconds")
r = check("exp_ok", "-w", "30m", "-c", "1d")
is_(r.rc, 1, "age 1h over -w 30m: WARNING")
r = check("exp_old", "-w", "1d", "-c", "2d")
is_(r.rc, 2, "age 3d over -c 2d: CRITICAL")
like(r.summary, r"^S3TABLES EXPIRATION CRITICAL - last run successful (3d|2d 23h) ago", "old run: summary gives the age")
near(r.value("age"), 259200, 5, "old run: age about 259200 s (fractional .123Z timestamp)")
r = check("exp_old", "-w", "4d", "-c", "5d")
is_(r.rc, 0, "age 3d within -w 4d: OK")
r = check("exp_old", "-c", "@2d:4d")
is_(r.rc, 2, "-c @2d:4d alerts inside: CRITICAL")
r = check("exp_ok", "-w", "1800")
is_(r.rc, 1, "plain seconds work as durations")

# --- Failed ---------------------------------------------------------------------
r = check("exp_failed")
is_(r.rc, 2, "Failed: CRITICAL by default")
like(r.summary, r"^S3TABLES EXPIRATION CRITICAL - last run failed " + H2 + r" ago: Insufficient access: KMS key "
     r"arn:aws:kms:us-east-1:111122223333:key/1234abcd is disabled$", "Failed: message and age in summary")
near(r.value("age"), 7200, 5, "Failed: age still reported")
ok(all(k not in r.perf for k in METRIC_PERF), "Failed without metrics: no metric perfdata", r.perftext)
ok(any(l.startswith("failure message: Insufficient access") for l in r.long), "Failed: message in long output", r.long)
is_(r.long[0], "[CRITICAL] status: Failed", "Failed: status line")
r = check("exp_failed", "--failed-state", "warning")
is_(r.rc, 1, "--failed-state warning")
r = check("exp_failed", "--failed-state", "0", "-w", "1h")
is_(r.rc, 0, "--failed-state 0 (number); -w/-c do not judge a failed run's age")

# --- Disabled / NotYetRun / anything else ---------------------------------------
r = check("exp_disabled")
is_(r.rc, 1, "Disabled: WARNING by default")
is_(r.summary, "S3TABLES EXPIRATION WARNING - record expiration is disabled", "Disabled: summary")
is_(r.perftext, "", "Disabled: no perfdata (no age, no metrics)")
is_(r.long, ["[WARNING] status: Disabled", "last run: none reported"], "Disabled: long output")
r = check("exp_disabled", "--disabled-state", "critical")
is_(r.rc, 2, "--disabled-state critical")
r = check("exp_disabled", "--disabled-state", "ok")
is_(r.rc, 0, "--disabled-state ok")

r = check("exp_not_yet_run")
is_(r.rc, 0, "NotYetRun: OK by default")
is_(r.summary, "S3TABLES EXPIRATION OK - record expiration has not run yet", "NotYetRun: summary")
ok("age" not in r.perf, "NotYetRun: no age perfdata", r.perftext)
r = check("exp_not_yet_run", "--not-yet-run-state", "warning")
is_(r.rc, 1, "--not-yet-run-state warning")
r = check("exp_not_yet_run", "-w", "1h", "-c", "2h")
is_(r.rc, 0, "NotYetRun: -w/-c do not apply without a last run")

r = check("exp_unknown_status")
is_(r.rc, 3, "unknown status: UNKNOWN")
like(r.summary, r"unknown record expiration job status 'Paused'", "unknown status: names the value")
is_(r.long[0], "[UNKNOWN] status: Paused", "unknown status: long output")
r = check("exp_unknown_status", "--failed-state", "ok", "--disabled-state", "ok", "--not-yet-run-state", "ok")
is_(r.rc, 3, "unknown status stays UNKNOWN whatever the overrides")

# --- metrics --------------------------------------------------------------------
r = check("exp_no_metrics")
is_(r.rc, 0, "no metrics: OK")
like(r.summary, r"^S3TABLES EXPIRATION OK - last run successful " + H1 + r" ago$", "no metrics: summary (+00:00 timestamp)")
ok(all(k not in r.perf for k in METRIC_PERF), "no metrics: metric perfdata left out, not 0", r.perftext)
ok("age" in r.perf, "no metrics: age still reported", r.perftext)
ok("metrics: none reported" in r.long, "no metrics: long output says so", r.long)
r = check("exp_no_metrics", "--critical-records", "10")
is_(r.rc, 0, "a threshold on an unreported metric is not judged")
ok(any("not reported, so its thresholds were not checked" in l for l in r.long), "and the long output says so", r.long)

r = check("exp_partial_metrics")
is_(r.rc, 0, "partial metrics: OK")
is_(r.perf.get("deleted_records"), "1000;;;0", "partial metrics: deleted_records present")
ok("deleted_data_files" not in r.perf and "removed_bytes" not in r.perf,
   "partial metrics: only deleted_records perfdata", r.perftext)
like(r.summary, H1 + r" ago: 1000 records deleted$", "partial metrics: summary names only what was reported")

r = check("exp_huge_metrics")
is_(r.rc, 0, "huge metrics: OK")
is_([r.perf.get(k) for k in METRIC_PERF],
    ["9223372036854775807;;;0", "9223372036854775807;;;0", "9223372036854775807B;;;0"],
    "int64 max printed exactly in perfdata (no exponent, no rounding)")
ok("[OK] deleted records (deletedRecords): 9223372036854775807" in r.long, "int64 max exact in long output", r.long)
like(r.summary, r"9223372036854775807 records deleted, .*7\.9 EiB removed", "int64 max bytes shown as EiB")
r = check("exp_huge_metrics", "--critical-records", "9223372036854775806")
is_(r.rc, 2, "range end 2^63-2 against 2^63-1: CRITICAL (exact 64-bit comparison)")
like(r.summary, r"deleted records 9223372036854775807 \(CRITICAL\)", "metric alert named in the summary")
is_(r.perf.get("deleted_records"), "9223372036854775807;;9223372036854775806;0", "exact int64 threshold in perfdata")
r = check("exp_huge_metrics", "--critical-records", "9223372036854775807", "--critical-files", "9223372036854775807")
is_(r.rc, 0, "range end 2^63-1 against 2^63-1: OK")

r = check("exp_ok", "--warning-records", "10000", "--critical-records", "100000")
is_(r.rc, 1, "34567 records over --warning-records 10000: WARNING")
like(r.summary, r"^S3TABLES EXPIRATION WARNING - last run successful " + H1 + r" ago; deleted records 34567 \(WARNING\)$",
     "records warning: summary")
is_(r.perf.get("deleted_records"), "34567;10000;100000;0", "records thresholds in perfdata")
ok("[WARNING] deleted records (deletedRecords): 34567" in r.long, "records warning: long output line", r.long)
r = check("exp_ok", "--critical-records", "1000:")
is_(r.rc, 0, "--critical-records 1000: (at least 1000): OK")
r = check("exp_ok", "--critical-records", "@0:40000")
is_(r.rc, 2, "--critical-records @0:40000 alerts inside: CRITICAL")
r = check("exp_ok", "--warning-files", "10")
is_(r.rc, 1, "12 files over --warning-files 10: WARNING")
like(r.summary, r"deleted data files 12 \(WARNING\)", "files warning: summary")
is_(r.perf.get("deleted_data_files"), "12;10;;0", "files thresholds in perfdata")
r = check("exp_ok", "--critical-files", "12")
is_(r.rc, 0, "12 files within --critical-files 12 (inclusive): OK")
r = check("exp_ok", "--critical-files", "11")
is_(r.rc, 2, "12 files over --critical-files 11: CRITICAL")

r = check("exp_ok", "--warning-bytes", "50M")
is_(r.rc, 1, "100 MiB over --warning-bytes 50M: WARNING")
like(r.summary, r"removed bytes 100 MiB \(WARNING\)", "bytes warning: summary in MiB")
is_(r.perf.get("removed_bytes"), "104857600B;52428800;;0", "bytes thresholds in perfdata, in bytes")
r = check("exp_ok", "--critical-bytes", "100M")
is_(r.rc, 0, "exactly 100M within --critical-bytes 100M (inclusive): OK")
r = check("exp_ok", "--critical-bytes", "0.09G")
is_(r.rc, 2, "100 MiB over --critical-bytes 0.09G: CRITICAL")
r = check("exp_ok", "--critical-bytes", "1T:")
is_(r.rc, 2, "--critical-bytes 1T: (at least a tebibyte): CRITICAL")
is_(r.perf.get("removed_bytes"), "104857600B;;1099511627776:;0", "T is 1024^4 in perfdata")
r = check("exp_ok", "--warning-bytes", "102400K", "--critical-bytes", "~:1G")
is_(r.rc, 0, "K and ~: ranges: OK")
r = check("exp_ok", "--warning-files", "20", "--critical-records", "10", "--critical-bytes", "1M")
is_(r.rc, 2, "several metric thresholds: worst wins")
like(r.summary, r"deleted records 34567 \(CRITICAL\), removed bytes 100 MiB \(CRITICAL\)",
     "several metric alerts listed")
r = check("exp_failed", "--critical-records", "10")
is_(r.rc, 2, "failed with an unreported metric threshold: still the failed state")

# --- timestamps -------------------------------------------------------------------
r = check("exp_future_ts", "-w", "1m")
is_(r.rc, 0, "last run in the future: age 0, OK")
is_(r.value("age"), "0", "future: age perfdata 0, never negative")
like(r.summary, r"clock skew", "future: summary points out clock skew")
ok(any("in the future" in l for l in r.long), "future: long output says so", r.long)
r = check("exp_bad_ts")
is_(r.rc, 3, "unparseable timestamp: UNKNOWN")
like(r.summary, r"malformed response: lastRunTimestamp", "bad timestamp: names the field")
r = check("exp_offset_ts")
is_(r.rc, 0, "+02:00 timestamp: OK")
near(r.value("age"), 5400, 5, "+02:00 timestamp: age about 5400 s (not 2 h off)")

# --- Successful without a last run time (no simulator scenario: a canned answer) ---
canned = Canned({"status": "Successful", "metrics": {"deletedRecords": 5}})
r = run(P, ["-a", table_arn("ok"), "-E", canned.url], name="successful, no time")
is_(r.rc, 0, "Successful without lastRunTimestamp and no -w/-c: OK")
is_(r.summary, "S3TABLES EXPIRATION OK - last run successful: 5 records deleted", "no time: summary")
ok("age" not in r.perf, "no time: no age perfdata", r.perftext)
r = run(P, ["-a", table_arn("ok"), "-E", canned.url, "-w", "1d"], name="successful, no time, -w")
is_(r.rc, 3, "Successful without lastRunTimestamp but with -w: UNKNOWN")
like(r.summary, r"no last run time reported", "no time with -w: says so")
canned.stop()

# --- not supported (405) / not found (404) ----------------------------------------
r = check("exp_not_supported")
is_(r.rc, 3, "405 MethodNotAllowedException: UNKNOWN by default")
is_(r.summary, "S3TABLES EXPIRATION UNKNOWN - record expiration is not available for this kind of table "
    "(only for certain AWS-managed tables)", "405: says record expiration is not available for this table")
like(r.long[0] if r.long else "", r"^GetTableRecordExpirationJobStatus: MethodNotAllowedException \(HTTP 405, "
     r"request id [0-9a-f-]+\): ", "405: AWS's code, status and request id in the long output")
is_(r.perftext, "", "405: no perfdata")
r = check("exp_not_supported", "--not-supported-state", "ok")
is_(r.rc, 0, "--not-supported-state ok")
like(r.summary, r"^S3TABLES EXPIRATION OK - record expiration is not available", "--not-supported-state ok: same sentence")
r = check("exp_not_supported", "--not-supported-state", "critical")
is_(r.rc, 2, "--not-supported-state critical")
arn = table_arn("exp_not_supported")
r = run(P, ["-a", arn], sim=sim, name="405 not retried")
is_(len(sim.requests(arn.rsplit("/", 1)[1])), 1, "405 is not retried")

r = check("not_found")
is_(r.rc, 2, "404 NotFoundException: CRITICAL")
like(r.summary, r"^S3TABLES EXPIRATION CRITICAL - table not found or record expiration not configured - "
     r"GetTableRecordExpirationJobStatus: "
     r"NotFoundException \(HTTP 404, request id [0-9a-f-]+\)", "404: what it means and what AWS said")
r = check("not_found", "--not-found-state", "warning")
is_(r.rc, 1, "404 with --not-found-state warning")
r = check("error_type_header_only")
is_(r.rc, 2, "404 with the code only in x-amzn-ErrorType: not found")

# --- table by name ------------------------------------------------------------------
name = fresh("exp_ok")
r = run(P, ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", name], sim=sim, name="by name")
is_(r.rc, 0, "table by bucket/namespace/name: OK")
is_([q.get("path") for q in sim.requests(name)], ["/get-table", "/table-record-expiration-job-status"],
    "by name: GetTable, then the status")
r = run(P, ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", fresh("missing")], sim=sim, name="by name missing")
is_(r.rc, 2, "table by name not found: CRITICAL")
like(r.summary, r"table not found - GetTable: NotFoundException", "by name not found: GetTable named")
r = run(P, ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", fresh("missing"), "--not-found-state", "unknown"], sim=sim,
        name="by name missing, state")
is_(r.rc, 3, "by name not found with --not-found-state unknown")

# --- shared failures -------------------------------------------------------------------
arn = table_arn("throttle_then_ok")
r = run(P, ["-a", arn], sim=sim, name="throttle_then_ok")
is_(r.rc, 0, "429 twice then success: retried to OK")
is_(len(sim.requests(arn.rsplit("/", 1)[1])), 3, "throttling: 3 requests in the log")
r = check("throttle_then_ok", "--max-attempts", "2")
is_(r.rc, 3, "429 twice with --max-attempts 2: UNKNOWN")
like(r.summary, r"TooManyRequestsException .*after 2 attempts", "throttling: last error and attempts")
r = check("forbidden")
is_(r.rc, 3, "403 ForbiddenException: UNKNOWN")
like(r.summary, r"GetTableRecordExpirationJobStatus failed: ForbiddenException \(HTTP 403, request id [0-9a-f-]+\): "
     r".*s3tables:GetTableRecordExpirationJobStatus", "403: code, status, request id, message")
r = check("malformed_json")
is_(r.rc, 3, "malformed JSON: UNKNOWN")
like(r.summary, r"returned a malformed response: .*not valid JSON", "malformed JSON: says so")
r = check("wrong_types")
is_(r.rc, 3, "wrongly typed fields: UNKNOWN")
like(r.summary, r"malformed response: .*expected", "wrong types: names what was expected")
r = check("slow_headers", "-t", "2")
is_(r.rc, 3, "slow server: UNKNOWN on timeout")
like(r.summary, r"timed out after 2 s", "slow server: says timed out after 2 s")
ok(r.elapsed < 2 + DEADLINE_SLACK, "slow server: the run ends within -t + 1 s (%.2f s)" % r.elapsed)
r = check("hostile_error")
is_(r.rc, 3, "hostile error message: UNKNOWN")
is_(r.first.count("|"), 0, "hostile error message: no '|' reaches the output")
r = check("exp_ok", "-v")
like(r.err, r"GetTableRecordExpirationJobStatus: 1 attempt", "-v reports the attempts")

# --- usage ---------------------------------------------------------------------------
for opt, val, pat in (("--warning-records", "10s", r"--warning-records: "),
                      ("--critical-bytes", "10X", r"--critical-bytes: "),
                      ("--warning-files", "2:1", r"--warning-files: "),
                      ("--not-supported-state", "maybe", r"--not-supported-state: 'maybe' is not a state")):
    r = check("exp_ok", opt, val)
    is_(r.rc, 3, "bad %s: UNKNOWN" % opt)
    like(r.summary, r"^S3TABLES EXPIRATION UNKNOWN - " + pat, "bad %s: names the option" % opt)

r = run(P, ["--help"], check_invariants=False)
is_(r.rc, 0, "--help exits 0")
for opt in ("--table-arn", "--table-bucket-arn", "--namespace", "--table", "--warning", "--critical", "--region",
            "--profile", "--endpoint-url", "--fips", "--dualstack", "--timeout", "--max-attempts", "--ca-file",
            "--ca-path", "--proxy", "--verbose", "--help", "--version", "--failed-state", "--disabled-state",
            "--not-yet-run-state", "--not-supported-state", "--not-found-state", "--warning-records",
            "--critical-records", "--warning-files", "--critical-files", "--warning-bytes", "--critical-bytes"):
    ok(opt in r.out, "--help documents %s" % opt)
like(r.out, r"s3tables:GetTableRecordExpirationJobStatus", "--help names the IAM permission")
like(r.out, r"no last run time reported", "--help says what a Successful status without a last run time means")
like(r.out, r"Examples?:\n  check_s3tables_expiration -a arn:aws:s3tables:", "--help has an example")
r = run(P, ["--version"], check_invariants=False)
is_(r.rc, 0, "--version exits 0")
like(r.out, r"^check_s3tables_expiration \(monitoring-plugins-s3tables\) \d+\.\d+", "--version prints the package version")

done()
