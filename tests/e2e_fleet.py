"""End to end: --all-tables (every table of a bucket in one run) for all three plugins.

Against the simulator's fleet buckets (tests/sim/README.md, "Fleet buckets"): fleet-mixed (20
tables, mixed scenarios, 3 pages), fleet-large (1200 tables, 2 pages of 1000), fleet-throttle
(refuses more than 2 requests in flight), fleet-slow (1 s per status answer) and fleet-empty.
Each rule of the spec's section "Every table of a bucket in one run" is asserted as a user
sees it: exit code, first line, long output, perfdata, and the simulator's own counters
(requests per operation, TLS handshakes, requests in flight).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import DEADLINE_SLACK, SECRET_KEY, VALGRIND, Simulator, done, is_, like, ok, run  # noqa: E402

B = "arn:aws:s3tables:us-east-1:111122223333:bucket/"
REPL, EXP, MAINT = "check_s3tables_replication", "check_s3tables_expiration", "check_s3tables_maintenance"
sim = Simulator(["--throttle-limit", "2", "--slow-seconds", "1"])
FULL = not VALGRIND


def fleet(plugin, bucket, *args, **kw):
    args = list(args)
    if VALGRIND and "-t" not in args:
        # valgrind makes each request (TLS, signing, JSON) many times slower than a real run.
        args += ["-t", "60"]
        kw["timeout"] = 180
    c0 = sim.counters()
    r = run(plugin, ["-b", B + bucket, "--all-tables"] + args, sim=sim, name=bucket, **kw)
    c1 = sim.counters()
    r.delta = {k: c1[k] - c0[k] for k in ("requests", "tls_handshakes", "connections")}
    r.ops = {k: v - c0["operations"].get(k, 0) for k, v in c1["operations"].items() if v - c0["operations"].get(k, 0)}
    return r


def tables_listed(r):
    """namespace.table of each table line of the long output, in order."""
    out = []
    for line in r.long:
        if line.startswith("[") and not line.startswith("[N/A] ") and ": " in line:
            out.append(line.split("] ", 1)[1].split(":", 1)[0])
    return out


# --- replication over fleet-mixed ----------------------------------------------------------
r = fleet(REPL, "fleet-mixed")
is_(r.rc, 2, "replication fleet: the worst table decides (CRITICAL)")
like(r.summary, r"^S3TABLES REPLICATION CRITICAL - 2 of 20 tables critical \(sales\.customers: 1 of 3 destinations "
     r"failed \(dr-c: KMS key disabled\); sales\.refunds: 1 of 3 destinations failed .*\), 3 unknown, 1 warning, "
     r"8 not replicated$", "replication fleet: the spec's first line, worst tables first, counts and not replicated")
is_([r.perf.get(k) for k in ("tables", "ok", "warning", "critical", "unknown", "not_applicable", "not_checked")],
    ["20;;;0", "6;;;0", "1;;;0", "2;;;0", "3;;;0", "8;;;0", "0;;;0"], "replication fleet: count perfdata")
ok("lag_max" in r.perf, "replication fleet: lag_max, the worst lag of all tables", r.perftext)
is_(tables_listed(r), ["sales.customers", "sales.refunds", "ops.garbled", "ops.locked", "ops.weird", "sales.returns"],
    "replication fleet: one line per non-OK table, worst first, then by name")
like(r.long[1], r"^    \\_ \[OK\] dr-a: completed", "replication fleet: destinations nested in the multi-line style")
ok(any(l.startswith("    \\_ [CRITICAL] dr-c: failed") for l in r.long), "replication fleet: the failed destination nested", r.long)
like(r.long[-2], r"^6 tables OK$", "replication fleet: a line counting the OK tables")
like(r.long[-1], r"^8 tables not applicable$", "replication fleet: and the not-applicable ones")
ok(any(l.startswith("[UNKNOWN] ops.locked: GetTableReplicationStatus failed: ForbiddenException") for l in r.long),
   "replication fleet: a 403 makes that table UNKNOWN and the run goes on", r.long)
ok(any(l.startswith("[UNKNOWN] ops.garbled: GetTableReplicationStatus returned a malformed response") for l in r.long),
   "replication fleet: a malformed body makes that table UNKNOWN", r.long)
is_(r.ops, {"ListTables": 3, "GetTableReplicationStatus": 22},
    "replication fleet: every page listed (3), one status request per table (+2 retries of ops.flaky), no GetTable")
ok(r.delta["tls_handshakes"] <= 4, "replication fleet: TLS handshakes within --parallel 4 (%d)" % r.delta["tls_handshakes"])

if FULL:  # option variations: nothing for valgrind to add
    r = fleet(REPL, "fleet-mixed", "-w", "1h", "-c", "3h")
    like(r.summary, r"2 of 20 tables critical .*, 3 unknown, 2 warning, 8 not replicated$",
         "replication fleet: -w applies per table (raw.clicks 2 h behind is now WARNING)")
    like(r.perf.get("lag_max", ""), r"^\d+s;3600;10800;0$", "replication fleet: lag_max carries the thresholds")

    r = fleet(REPL, "fleet-mixed", "--not-found-state", "critical")
    like(r.summary, r"^S3TABLES REPLICATION CRITICAL - 10 of 20 tables critical ",
         "replication fleet: an explicit --not-found-state=CRITICAL requires replication on every table")
    is_(r.perf.get("not_applicable"), "0;;;0", "replication fleet: nothing is not applicable then")

    r = fleet(REPL, "fleet-mixed", "--not-found-state", "ok")
    is_(r.perf.get("ok"), "14;;;0", "replication fleet: an explicit --not-found-state=OK counts those tables as OK")

# --- filters ------------------------------------------------------------------------------
r = fleet(REPL, "fleet-mixed", "-n", "sales")
is_(r.perf.get("tables"), "6;;;0", "--namespace: only that namespace's 6 tables")
ok(all(t.startswith("sales.") for t in tables_listed(r)), "--namespace: only sales tables listed", r.long)
if FULL:  # option variations: nothing for valgrind to add
    r = fleet(REPL, "fleet-mixed", "-n", "sales", "-n", "ops")
    is_(r.perf.get("tables"), "13;;;0", "--namespace repeatable: sales and ops")
    r = fleet(REPL, "fleet-mixed", "--include", r"^sales\.(orders|ledger)$")
    is_((r.rc, r.perf.get("tables"), r.summary), (0, "2;;;0", "S3TABLES REPLICATION OK - 2 of 2 tables OK"),
        "--include: only the matching tables")
    r = fleet(REPL, "fleet-mixed", "--include", r"^sales\.", "--exclude", "customers|refunds", "--exclude", "returns")
    is_((r.rc, r.perf.get("tables")), (0, "3;;;0"), "--exclude (repeatable) drops matches from the included ones")
r = fleet(REPL, "fleet-mixed", "--include", "a(")
is_(r.rc, 3, "a bad regex is a usage error")
like(r.summary, r"UNKNOWN - --include: .*'a\('", "a bad regex: names the option and the text")
r = fleet(REPL, "fleet-mixed", "--include", "^nothing$")
is_(r.rc, 3, "no table left after filtering: UNKNOWN")
like(r.summary, r"no table .*left after filtering", "no table left: says so")
r = fleet(REPL, "fleet-empty")
is_(r.rc, 3, "an empty bucket: UNKNOWN")
like(r.summary, r"table bucket fleet-empty has no tables", "an empty bucket: says so")
r = fleet(REPL, "fleet-nosuchbucket")
is_(r.rc, 2, "ListTables 404: --not-found-state (CRITICAL)")
like(r.summary, r"table bucket not found - ListTables: NotFoundException", "ListTables 404: the failed listing")
r = fleet(REPL, "fleet-nosuchbucket", "--not-found-state", "warning")
is_(r.rc, 1, "ListTables 404 with --not-found-state warning")

# --- detail and perfdata -------------------------------------------------------------------
r = fleet(REPL, "fleet-mixed", "--detail=all")
is_(len(tables_listed(r)), 12, "--detail=all: every checked table on a line of its own (12, not applicable ones apart)")
is_(sum(1 for l in r.long if l.startswith("[N/A] ")), 8, "--detail=all: the 8 not-applicable tables too, marked N/A")
if FULL:  # option variations: nothing for valgrind to add
    r = fleet(REPL, "fleet-mixed", "--perfdata=per-table")
    like(r.perf.get("sales.orders::lag_max", ""), r"^\d+s;;;0$", "--perfdata=per-table: namespace.table::metric")
    ok(len(r.perf) <= 100, "--perfdata=per-table: within the perfdata cap (%d)" % len(r.perf))
    r = fleet(REPL, "fleet-mixed", "--detail=everything")
    is_(r.rc, 3, "--detail with a bad value: usage error")
r = run(REPL, ["-b", B + "fleet-mixed", "--parallel", "4", "-n", "sales", "-N", "orders"], sim=sim)
like(r.summary, r"UNKNOWN - --parallel needs --all-tables", "fleet options without --all-tables: usage error")
r = run(REPL, ["-b", B + "fleet-mixed", "--all-tables", "-N", "orders"], sim=sim)
like(r.summary, r"UNKNOWN - --all-tables .*not with --table", "--all-tables with --table: usage error")
r = fleet(REPL, "fleet-mixed", "--parallel", "33")
like(r.summary, r"UNKNOWN - --parallel: '33' is not a whole number from 1 to 32", "--parallel outside 1..32")

# --- 1,200 tables: every page, connections within --parallel ----------------------------------
# Under valgrind these measure valgrind, not the plugin: the small runs above and below
# cover the same code for memory errors.
if VALGRIND:
    ok(True, "fleet-large, --parallel 1 and fleet-throttle # SKIP under valgrind (timing and volume)")
else:
    r = fleet(REPL, "fleet-large", "--parallel", "8", "-t", "60", timeout=120)
    is_(r.rc, 2, "fleet-large: 12 failed tables make it CRITICAL")
    is_([r.perf.get(k) for k in ("tables", "ok", "critical", "not_checked")], ["1200;;;0", "1188;;;0", "12;;;0", "0;;;0"],
        "fleet-large: all 1200 tables checked (2 pages followed)")
    is_(r.ops, {"ListTables": 2, "GetTableReplicationStatus": 1200}, "fleet-large: 2 listing pages, one request per table")
    ok(r.delta["tls_handshakes"] <= 8, "fleet-large: TLS handshakes <= --parallel 8 (%d)" % r.delta["tls_handshakes"])
    is_(len(r.out.split("\n")) <= 102, True, "fleet-large: long output stays within the caps")
    r = fleet(REPL, "fleet-large", "--parallel", "1", "--include", r"tbl_00[0-4][0-9]$", timeout=120)
    is_((r.perf.get("tables"), r.delta["tls_handshakes"]), ("50;;;0", 1), "--parallel 1: one connection for the whole run")

    # --- throttling slows the whole run; the deadline ---------------------------------------------
    c0 = sim.counters()["throttled"]
    r = fleet(REPL, "fleet-throttle", "--parallel", "8", "--max-attempts", "5", "-t", "30", timeout=60)
    throttled = sim.counters()["throttled"] - c0
    is_((r.rc, r.summary), (0, "S3TABLES REPLICATION OK - 40 of 40 tables OK"),
        "fleet-throttle: throttled requests are retried and the run slows down until all pass")
    # 8 in flight against a limit of 2 would be refused about 3 times in 4 if the run kept its pace.
    ok(0 < throttled <= 25, "fleet-throttle: the whole run slows down after throttling (%d refusals for 40 tables)"
       % throttled)
r = fleet(REPL, "fleet-slow", "--parallel", "2", "-t", "3", timeout=30)
is_(r.rc, 3, "deadline: the -t state (UNKNOWN) when tables are left")
if VALGRIND:
    # valgrind may be too slow to fold and print within the half second the last-resort
    # timer allows after -t: then that timer's own line is the answer, with the same state.
    like(r.summary, r"^S3TABLES REPLICATION UNKNOWN - timed out after 3 s", "deadline: the summary (valgrind)")
else:
    like(r.summary, r"^S3TABLES REPLICATION UNKNOWN - timed out after 3 s: \d+ of 20 tables checked", "deadline: the summary")
    nc = int(r.value("not_checked") or 0)
    ok(10 <= nc < 20, "deadline: tables not checked by then counted as not_checked (%d)" % nc)
ok(r.elapsed < 3 + DEADLINE_SLACK, "deadline: one deadline for the whole run (%.2f s)" % r.elapsed)
if FULL:  # option variations: nothing for valgrind to add
    r = fleet(REPL, "fleet-slow", "--parallel", "2", "-t", "3:critical", timeout=30)
    is_(r.rc, 2, "deadline: -t 3:critical makes the run CRITICAL")
    # 19 status requests (ops.flaky and its retries left out), one every 1/10 s: at least 1.8 s;
    # uncapped they take a fraction of a second.
    r = fleet(REPL, "fleet-mixed", "--exclude", "flaky")
    uncapped = r.elapsed
    r = fleet(REPL, "fleet-mixed", "--exclude", "flaky", "--max-rate", "10")
    ok(r.elapsed >= 1.7 and r.elapsed > uncapped + 0.5,
       "--max-rate 10: 19 requests paced to 10 per second (%.2f s, uncapped %.2f s)" % (r.elapsed, uncapped))
    is_(r.perf.get("tables"), "19;;;0", "--max-rate: every table still checked")
r = fleet(REPL, "fleet-mixed", "-vvv")
ok(SECRET_KEY not in r.err and "Signature=" not in r.err.replace("Signature=<redacted>", ""),
   "fleet -vvv: no secret in the trace")
like(r.err, r"ListTables: 20 tables to check", "fleet -v: the number of tables listed")

# --- expiration -------------------------------------------------------------------------------
r = fleet(EXP, "fleet-mixed")
is_(r.rc, 2, "expiration fleet: ops.journal failed (CRITICAL)")
like(r.summary, r"^S3TABLES EXPIRATION CRITICAL - 1 of 20 tables critical \(ops\.journal: last run failed .*\), "
     r"3 unknown, 1 expiration disabled, 11 expiration not supported$",
     "expiration fleet: 405 and Disabled are not applicable")
is_([r.perf.get(k) for k in ("ok", "not_applicable")], ["4;;;0", "12;;;0"], "expiration fleet: counts")
like(r.perf.get("age_max", ""), r"^\d+s;;;0$", "expiration fleet: age_max")
is_(r.ops.get("GetTable"), None, "expiration fleet: no GetTable")
if FULL:  # option variations: nothing for valgrind to add
    r = fleet(EXP, "fleet-mixed", "--disabled-state", "warning", "-w", "2d")
    like(r.summary, r", 3 unknown, 2 warning, 11 expiration not supported$",
         "expiration fleet: explicit --disabled-state applies per table; -w 2d per table (raw.events_02 is 3 d old)")
    r = fleet(EXP, "fleet-mixed", "--not-supported-state", "critical")
    like(r.summary, r"^S3TABLES EXPIRATION CRITICAL - 12 of 20 tables critical", "expiration fleet: explicit --not-supported-state")

# --- maintenance --------------------------------------------------------------------------------
r = fleet(MAINT, "fleet-mixed")
is_(r.rc, 2, "maintenance fleet: sales.customers' compaction failed")
like(r.summary, r"^S3TABLES MAINTENANCE CRITICAL - 1 of 20 tables critical \(sales\.customers: compaction failed .*\), "
     r"4 unknown$", "maintenance fleet: a Disabled job does not raise the state")
like(r.perf.get("age_max_compaction", ""), r"^\d+s;;;0$", "maintenance fleet: age_max_<job>")
is_(r.ops, {"ListTables": 3, "GetTableMaintenanceJobStatus": 22},
    "maintenance fleet: namespace and name from the listing, no GetTable")
if FULL:  # option variations: nothing for valgrind to add
    r = fleet(MAINT, "fleet-mixed", "--disabled-state", "warning")
    like(r.summary, r", 4 unknown, 2 warning$", "maintenance fleet: explicit --disabled-state applies per table")
    r = fleet(MAINT, "fleet-mixed", "-w", "2d", "--job", "compaction")
    like(r.summary, r"2 of 20 tables critical|1 of 20 tables critical .*, 1 warning",
         "maintenance fleet: --job and -w per table (sales.refunds' compaction is 3 d old)")
done()
