"""End to end: check_s3tables_maintenance against the simulated endpoint.

Every row of the spec's maintenance rules, every maint_* scenario, the state
overrides, --job selection, the table by name (one request, double-encoded
path signature) and by ARN (GetTable first), and a selection of the shared
failure scenarios, run with the built binary over HTTPS on loopback; each
asserts exit code, first line, long output and perfdata as a user (or
Icinga) would see them.
"""
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import (BUCKET_ARN, DEADLINE_SLACK, Canned, done, fresh, is_, like, near, ok, run, Simulator, table_arn)  # noqa: E402

P = "check_s3tables_maintenance"
sim = Simulator()
AGES = ("age_compaction", "age_snapshot_management", "age_unreferenced_file_removal")
# Ages as shown, allowing a few seconds of slack (a slow run, e.g. under valgrind).
H = {h: r"(?:%dh|%s59m(?: \d+s)?)" % (h, "%dh " % (h - 1) if h > 1 else "") for h in (1, 2, 3, 6)}
ENCODED_BUCKET = BUCKET_ARN.replace(":", "%3A").replace("/", "%2F")




def check(scenario, *args, **kw):
    """By name: one GetTableMaintenanceJobStatus request."""
    return run(P, ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", fresh(scenario)] + list(args), sim=sim,
               name=scenario, **kw)



# --- all fine -------------------------------------------------------------------------
r = check("maint_ok")
is_(r.rc, 0, "all three jobs Successful: OK")
like(r.summary, r"^S3TABLES MAINTENANCE OK - 3 jobs OK, last runs %s–%s ago$" % (H[1], H[6]), "all fine: summary")
near(r.value("age_compaction"), 3600, 5, "age_compaction about 3600 s")
near(r.value("age_snapshot_management"), 10800, 5, "age_snapshot_management about 10800 s")
near(r.value("age_unreferenced_file_removal"), 21600, 5, "age_unreferenced_file_removal about 21600 s")
ok(all(r.perf.get(k, "").endswith("s;;;0") for k in AGES), "ages in seconds, min 0", r.perftext)
is_(len(r.long), 3, "one long-output line per job")
like(r.long[0], r"^\[OK\] compaction \(icebergCompaction\): Successful, last run \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, " + H[1] + r" ago$",
     "long output: compaction")
like(r.long[1], r"^\[OK\] snapshot management \(icebergSnapshotManagement\): Successful, .* " + H[3] + r" ago$",
     "long output: snapshot management")
like(r.long[2], r"^\[OK\] unreferenced file removal \(icebergUnreferencedFileRemoval\): Successful, .* " + H[6] + r" ago$",
     "long output: unreferenced file removal")

r = check("maint_ok", "-w", "12h", "-c", "1d")
is_(r.rc, 0, "ages within -w 12h: OK")
ok(all(r.perf.get(k, "").endswith("s;43200;86400;0") for k in AGES), "age thresholds in every age perfdata", r.perftext)
r = check("maint_ok", "-w", "2h", "-c", "1d")
is_(r.rc, 1, "3h and 6h over -w 2h: WARNING")
like(r.summary, r"^S3TABLES MAINTENANCE WARNING - snapshot management last ran %s ago, unreferenced file removal "
     r"last ran %s ago, 1 other job OK$" % (H[3], H[6]), "age warnings listed first, then the rest")
r = check("maint_ok", "-w", "2h", "-c", "5h")
is_(r.rc, 2, "6h over -c 5h: CRITICAL")
like(r.summary, r"^S3TABLES MAINTENANCE CRITICAL - unreferenced file removal last ran %s ago, snapshot management "
     r"last ran %s ago, 1 other job OK$" % (H[6], H[3]), "most severe problem first")

r = check("maint_old", "-w", "1d", "-c", "2d")
is_(r.rc, 2, "compaction 3d ago over -c 2d: CRITICAL")
like(r.summary, r"compaction last ran (?:3d|2d 23h) ago, 2 other jobs OK$", "old compaction: summary")
near(r.value("age_compaction"), 259200, 5, "old compaction: age about 259200 s")
like(r.long[0], r"^\[CRITICAL\] compaction", "old compaction: long output")
r = check("maint_old", "-w", "4d")
is_(r.rc, 0, "compaction 3d within -w 4d: OK")

# --- Failed / Disabled / Not_Yet_Run / unknown status ------------------------------------
r = check("maint_compaction_failed")
is_(r.rc, 2, "compaction Failed: CRITICAL")
like(r.summary, r"^S3TABLES MAINTENANCE CRITICAL - compaction failed " + H[2] + r" ago: Iceberg validation exception: "
     r"cannot commit, metadata is outdated \(will retry\), 2 other jobs OK$", "failed: message in the summary, problems first")
like(r.long[0], r"^\[CRITICAL\] compaction \(icebergCompaction\): Failed, .* " + H[2] + r" ago - Iceberg validation exception",
     "failed: long output with the message")
near(r.value("age_compaction"), 7200, 5, "failed: age still reported")
r = check("maint_compaction_failed", "--failed-state", "warning")
is_(r.rc, 1, "--failed-state warning")
r = check("maint_compaction_failed", "--failed-state", "ok")
is_(r.rc, 0, "--failed-state ok")
like(r.summary, r"3 jobs OK, .*1 failed", "failures tolerated: still counted in the summary")

r = check("maint_disabled")
is_(r.rc, 1, "snapshot management Disabled: WARNING")
is_(r.summary, "S3TABLES MAINTENANCE WARNING - snapshot management disabled, 2 other jobs OK", "disabled: summary")
ok("age_snapshot_management" not in r.perf, "disabled without a time: no age perfdata", r.perftext)
like(r.long[1], r"^\[WARNING\] snapshot management \(icebergSnapshotManagement\): Disabled, no last run time$",
     "disabled: long output")
r = check("maint_disabled", "--disabled-state", "critical")
is_(r.rc, 2, "--disabled-state critical")
r = check("maint_disabled", "--disabled-state", "ok")
is_(r.rc, 0, "--disabled-state ok")
like(r.summary, r"3 jobs OK, last runs %s–%s ago, 1 disabled$" % (H[1], H[6]), "disabled tolerated: counted")

r = check("maint_not_yet_run")
is_(r.rc, 0, "all Not_Yet_Run: OK")
is_(r.summary, "S3TABLES MAINTENANCE OK - 3 jobs OK, 3 not yet run", "not yet run: summary")
is_(r.perftext, "", "not yet run: no age perfdata")
ok(all("Not_Yet_Run, no last run time" in l for l in r.long) and len(r.long) == 3, "not yet run: long output", r.long)
r = check("maint_not_yet_run", "--not-yet-run-state", "warning")
is_(r.rc, 1, "--not-yet-run-state warning")
like(r.summary, r"compaction not yet run, snapshot management not yet run, unreferenced file removal not yet run",
     "not yet run as a problem: each job named")
r = check("maint_not_yet_run", "-w", "1h", "-c", "2h")
is_(r.rc, 0, "Not_Yet_Run: -w/-c do not apply")

r = check("maint_unknown_status")
is_(r.rc, 3, "compaction 'Paused': UNKNOWN")
like(r.summary, r"^S3TABLES MAINTENANCE UNKNOWN - compaction has unknown status 'Paused'", "unknown status: named")
r = check("maint_unknown_status", "--job", "snapshot-management")
is_(r.rc, 0, "unknown status on a job not selected: OK")

# --- jobs missing, unknown, selected ---------------------------------------------------------
r = check("maint_missing_job")
is_(r.rc, 3, "jobs missing from the answer: UNKNOWN")
like(r.summary, r"snapshot management not reported, unreferenced file removal not reported, 1 other job OK",
     "missing jobs named")
ok("[UNKNOWN] snapshot management (icebergSnapshotManagement): not reported" in r.long,
   "missing job: long output line", r.long)
r = check("maint_missing_job", "--job", "compaction")
is_(r.rc, 0, "--job compaction: only compaction expected, OK")
like(r.summary, r"^S3TABLES MAINTENANCE OK - 1 job OK, last run " + H[1] + r" ago$", "--job compaction: summary")
is_(len(r.long), 1, "--job compaction: the jobs not selected and not reported are not listed")
r = check("maint_missing_job", "--job", "icebergSnapshotManagement")
is_(r.rc, 3, "--job selecting a missing job (long name): UNKNOWN")
like(r.summary, r"snapshot management not reported", "selected missing job named")

r = check("maint_empty")
is_(r.rc, 3, "empty status map: UNKNOWN")
is_(r.summary, "S3TABLES MAINTENANCE UNKNOWN - no maintenance job status reported for this table",
    "empty status map: summary")
r = check("maint_empty", "--not-found-state", "ok", "--job", "compaction")
is_(r.rc, 3, "empty status map: UNKNOWN whatever --not-found-state")

r = check("maint_unknown_job")
is_(r.rc, 0, "unknown job type Successful: OK")
like(r.summary, r"^S3TABLES MAINTENANCE OK - 4 jobs OK, last runs %s–%s ago$" % (H[1], H[6]), "unknown job counted")
ok(any(l.startswith("[OK] icebergFutureJob: Successful") for l in r.long), "unknown job reported in the long output",
   r.long)
near(r.value("age_icebergFutureJob"), 7200, 5, "unknown job: age_<key> perfdata")
r = check("maint_unknown_job", "--job", "compaction", "--job", "snapshot-management")
is_(r.rc, 0, "--job with short names: OK")
like(r.summary, r"^S3TABLES MAINTENANCE OK - 2 jobs OK, last runs %s–%s ago$" % (H[1], H[3]), "two jobs selected: summary")
is_(sorted(r.perf), ["age_compaction", "age_snapshot_management"], "perfdata only for the selected jobs")
ok(any(l.startswith("[not checked] icebergFutureJob: Successful") for l in r.long),
   "unknown job still reported when not selected", r.long)
ok(any(l.startswith("[not checked] unreferenced file removal") for l in r.long), "unselected known job listed", r.long)
r = check("maint_ok", "--job", "ICEBERGCOMPACTION", "--job", "unreferenced-file-removal")
is_(r.rc, 0, "--job names are case-insensitive")
is_(sorted(r.perf), ["age_compaction", "age_unreferenced_file_removal"], "long and short names mixed")
r = check("maint_ok", "--job", "vacuum")
is_(r.rc, 3, "unknown --job value: UNKNOWN")
like(r.summary, r"^S3TABLES MAINTENANCE UNKNOWN - --job: 'vacuum' is not a job; valid: icebergCompaction \(compaction\), "
     r"icebergSnapshotManagement \(snapshot-management\), icebergUnreferencedFileRemoval \(unreferenced-file-removal\)$",
     "unknown --job value: lists the valid names")

r = check("maint_offset_ts")
is_(r.rc, 0, "+02:00, +00:00 and .123Z timestamps: OK")
near(r.value("age_compaction"), 3600, 5, "offset timestamps: compaction 1h (not 2 h off)")
near(r.value("age_snapshot_management"), 10800, 5, "offset timestamps: snapshot management 3h")
near(r.value("age_unreferenced_file_removal"), 21600, 5, "offset timestamps: unreferenced file removal 6h")

# --- answers the simulator has no scenario for (canned) -----------------------------------------
future = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
canned = Canned({"tableARN": BUCKET_ARN + "/table/x", "status": {
    "icebergCompaction": {"status": "SUCCESSFUL", "lastRunTimestamp": future},
    "icebergSnapshotManagement": {"status": "Successful"},
    "icebergUnreferencedFileRemoval": {"status": "failed", "failureMessage": "bad | news\nS3TABLES MAINTENANCE OK"}}})
cargs = ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", "t", "-E", canned.url]
r = run(P, cargs, name="canned")
is_(r.rc, 2, "statuses compared case-insensitively ('failed' is Failed)")
is_(r.value("age_compaction"), "0", "last run in the future: age 0")
ok(any("in the future" in l for l in r.long), "future last run: clock skew noted", r.long)
ok("age_snapshot_management" not in r.perf, "Successful without a time: no age perfdata", r.perftext)
like(r.summary, r"unreferenced file removal failed: bad ¦ news S3TABLES MAINTENANCE OK, 2 other jobs OK$",
     "failure message sanitised: no '|', no newline")
r = run(P, cargs + ["-w", "1d", "--failed-state", "ok"], name="canned -w")
is_(r.rc, 3, "Successful without a last run time, with -w: UNKNOWN")
like(r.summary, r"snapshot management: no last run time reported", "no last run time: says so")
canned.stop()

# --- by name and by ARN --------------------------------------------------------------------------
name = fresh("maint_ok")
r = run(P, ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", name], sim=sim, name="by name")
is_(r.rc, 0, "by name: OK")
reqs = sim.requests(name)
is_(len(reqs), 1, "by name: exactly one request")
is_(reqs[0].get("path") if reqs else None, "/tables/%s/sim_ns/%s/maintenance-job-status" % (ENCODED_BUCKET, name),
    "by name: labels percent-encoded once on the wire")
is_(reqs[0].get("auth") if reqs else None, "ok", "by name: the simulator accepts the (double-encoded path) signature")
is_(reqs[0].get("operation") if reqs else None, "GetTableMaintenanceJobStatus", "by name: the operation")

arn = table_arn("maint_compaction_failed")
tid = arn.rsplit("/", 1)[1]
r = run(P, ["-a", arn], sim=sim, name="by arn")
is_(r.rc, 2, "by ARN: compaction failed, CRITICAL")
like(r.summary, r"compaction failed " + H[2] + r" ago", "by ARN: the status was judged")
reqs = sim.requests(tid)
is_([q.get("path") for q in reqs], ["/get-table", "/tables/%s/sim_ns/%s/maintenance-job-status" % (ENCODED_BUCKET, tid)],
    "by ARN: GetTable, then the status with its namespace and name (2 requests)")
ok(all(q.get("auth") == "ok" for q in reqs), "by ARN: both requests signed correctly", reqs)
r = run(P, ["-a", table_arn("maint_ok"), "-v"], sim=sim, name="by arn -v")
like(r.err, r"GetTable: namespace sim_ns, name maint_ok__n\d+", "-v: the resolved namespace and name")
like(r.err, r"GetTableMaintenanceJobStatus: 1 attempt", "-v: attempts")

r = run(P, ["-a", table_arn("missing")], sim=sim, name="by arn missing")
is_(r.rc, 2, "by ARN, table not found (GetTable 404): CRITICAL")
like(r.summary, r"^S3TABLES MAINTENANCE CRITICAL - table not found - GetTable: NotFoundException \(HTTP 404",
     "by ARN not found: GetTable named")
r = run(P, ["-a", table_arn("missing"), "--not-found-state", "warning"], sim=sim, name="by arn missing state")
is_(r.rc, 1, "by ARN not found with --not-found-state warning")
r = run(P, ["-a", table_arn("forbidden")], sim=sim, name="by arn forbidden")
is_(r.rc, 3, "by ARN, GetTable forbidden: UNKNOWN")
like(r.summary, r"GetTable failed: ForbiddenException \(HTTP 403", "by ARN forbidden: GetTable named")

r = check("not_found")
is_(r.rc, 2, "by name, 404 NotFoundException: CRITICAL")
like(r.summary, r"^S3TABLES MAINTENANCE CRITICAL - table not found - GetTableMaintenanceJobStatus: NotFoundException "
     r"\(HTTP 404, request id [0-9a-f-]+\)", "404: what it means and what AWS said")
r = check("not_found", "--not-found-state", "unknown")
is_(r.rc, 3, "404 with --not-found-state unknown")
r = check("error_type_in_body")
is_(r.rc, 2, "404 with the code in __type: not found")

# --- shared failures ---------------------------------------------------------------------------------
name = fresh("throttle_then_ok")
r = run(P, ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", name], sim=sim, name="throttle_then_ok")
is_(r.rc, 0, "429 twice then success: retried to OK")
is_(len(sim.requests(name)), 3, "throttling: 3 requests in the log")
arn = table_arn("throttle_then_ok")
r = run(P, ["-a", arn], sim=sim, name="throttle_then_ok by arn")
is_(r.rc, 0, "by ARN, both requests throttled twice: OK")
is_(len(sim.requests(arn.rsplit("/", 1)[1])), 6, "by ARN: 3 GetTable + 3 status requests")
r = check("forbidden")
is_(r.rc, 3, "403 ForbiddenException: UNKNOWN")
like(r.summary, r"GetTableMaintenanceJobStatus failed: ForbiddenException \(HTTP 403, request id [0-9a-f-]+\): "
     r".*s3tables:GetTableMaintenanceJobStatus", "403: code, status, request id, message")
r = check("malformed_json")
is_(r.rc, 3, "malformed JSON: UNKNOWN")
like(r.summary, r"GetTableMaintenanceJobStatus returned a malformed response: .*not valid JSON", "malformed JSON: says so")
r = check("wrong_types")
is_(r.rc, 3, "wrongly typed fields: UNKNOWN")
like(r.summary, r"malformed response: \w+: expected", "wrong types: names the field and what was expected")
r = check("slow_headers", "-t", "2")
is_(r.rc, 3, "slow server: UNKNOWN on timeout")
like(r.summary, r"timed out after 2 s", "slow server: says timed out after 2 s")
ok(r.elapsed < 2 + DEADLINE_SLACK, "slow server: the run ends within -t + 1 s (%.2f s)" % r.elapsed)
r = check("hostile_error")
is_(r.rc, 3, "hostile error message: UNKNOWN")
is_(len(r.long), 0, "hostile error message: no fake second line")

# --- usage -----------------------------------------------------------------------------------------
r = check("maint_ok", "--failed-state", "sometimes")
like(r.summary, r"^S3TABLES MAINTENANCE UNKNOWN - --failed-state: 'sometimes' is not a state", "bad state name")
r = check("maint_ok", "-w", "1x")
like(r.summary, r"^S3TABLES MAINTENANCE UNKNOWN - --warning: ", "bad range: names the option")
r = run(P, ["--help"], check_invariants=False)
is_(r.rc, 0, "--help exits 0")
for opt in ("--table-arn", "--table-bucket-arn", "--namespace", "--table", "--warning", "--critical", "--region",
            "--profile", "--endpoint-url", "--fips", "--dualstack", "--timeout", "--max-attempts", "--ca-file",
            "--ca-path", "--proxy", "--verbose", "--help", "--version", "--job", "--failed-state", "--disabled-state",
            "--not-yet-run-state", "--not-found-state"):
    ok(opt in r.out, "--help documents %s" % opt)
like(r.out, r"s3tables:GetTableMaintenanceJobStatus", "--help names the IAM permission")
like(r.out, r"s3tables:GetTable when", "--help names GetTable for --table-arn")
like(r.out, r"age_compaction, age_snapshot_management,\s+age_unreferenced_file_removal", "--help documents perfdata labels")
like(r.out, r"not reported", "--help says what a missing job means")
like(r.out, r"Examples?:\n  check_s3tables_maintenance ", "--help has an example")
r = run(P, ["--version"], check_invariants=False)
is_(r.rc, 0, "--version exits 0")
like(r.out, r"^check_s3tables_maintenance \(monitoring-plugins-s3tables\) \d+\.\d+", "--version prints the package version")

done()
