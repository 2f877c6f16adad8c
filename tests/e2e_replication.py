"""End to end: check_s3tables_replication against the simulated endpoint.

Every row of the spec's replication tables and failure table, run with the
built binary over HTTPS on loopback; each asserts exit code, first line,
long output and perfdata as a user (or Icinga) would see them.
"""
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import (BUCKET_ARN, DEADLINE_SLACK, SESSION_TOKEN, Simulator, done, fresh, is_,  # noqa: E402
                 like, near, ok, run, table_arn)

P = "check_s3tables_replication"
sim = Simulator()


def check(scenario, *args, **kw):
    return run(P, ["-a", table_arn(scenario)] + list(args), sim=sim, name=scenario, **kw)



# --- per destination --------------------------------------------------------
r = check("repl_ok")
is_(r.rc, 0, "all completed: OK")
is_(r.summary, "S3TABLES REPLICATION OK - 3 of 3 destinations completed", "all completed: summary")
is_([r.perf.get(k) for k in ("destinations", "completed", "pending", "failed")],
    ["3;;;0", "3;;;0", "0;;;0", "0;;;0"], "all completed: count perfdata")
is_(r.value("lag_max"), "0", "completed means lag 0")
is_(len(r.long), 3, "one long-output line per destination")
like(r.long[0], r"^\[OK\] dr-a: completed", "long output names destination and status")

r = check("repl_pending_5m", "-w", "10m", "-c", "1h")
is_(r.rc, 0, "pending 5m within -w 10m: OK")
like(r.summary, r"1 of 3 destinations pending for 5m", "pending: summary gives count and lag")
near(r.value("lag_max"), 300, 5, "pending: lag_max is about 300 s")
like(r.perf.get("lag_max", ""), r"^\d+s;600;3600;0$", "lag thresholds in perfdata, in seconds")

r = check("repl_pending_5m", "-w", "1m", "-c", "1h")
is_(r.rc, 1, "pending 5m over -w 1m: WARNING")
r = check("repl_pending_2h", "-w", "30m", "-c", "1h")
is_(r.rc, 2, "pending 2h over -c 1h: CRITICAL")
like(r.summary, r"pending for 2h", "pending 2h: summary")
r = check("repl_pending_2h", "-w", "3h", "-c", "1d")
is_(r.rc, 0, "pending 2h within -w 3h: OK")
r = check("repl_pending_2h", "-w", "@1h:3h")
is_(r.rc, 1, "@1h:3h alerts inside: WARNING")
r = check("repl_pending_5m", "-w", "120", "-c", "7200")
is_(r.rc, 1, "plain seconds work as durations")

r = check("repl_pending_no_update")
is_(r.rc, 1, "pending without a successful update: WARNING by default")
like(r.summary, r"no successful update yet", "no update: summary says so")
ok("lag_dr-b" not in r.perf, "no update: that destination's lag is left out, not 0", r.perftext)
r = check("repl_pending_no_update", "--no-update-state", "critical")
is_(r.rc, 2, "--no-update-state critical")
r = check("repl_pending_no_update", "--no-update-state", "OK")
is_(r.rc, 0, "--no-update-state OK")

r = check("repl_failed")
is_(r.rc, 2, "failed destination: CRITICAL")
like(r.summary, r"1 of 3 destinations failed \(dr-c: KMS key disabled\)", "failed: message in summary")
is_(r.perf.get("failed"), "1;;;0", "failed count in perfdata")
ok(any("KMS key disabled" in l and l.startswith("[CRITICAL] dr-c") for l in r.long), "failed: long output line", r.long)
r = check("repl_failed", "--failed-state", "warning")
is_(r.rc, 1, "--failed-state warning")

r = check("repl_mixed", "-w", "5m", "-c", "1h")
is_(r.rc, 2, "mixed: worst state wins")
# The lag is measured when AWS answered, so a loaded machine may add a second.
like(r.summary, r"^S3TABLES REPLICATION CRITICAL - 1 of 3 destinations failed \(dr-c: KMS key disabled\), 1 pending for 10m( [0-9]s)?$",
     "mixed: the spec's example first line")
r = check("repl_mixed", "--failed-state", "ok", "-w", "5m", "-c", "1h")
is_(r.rc, 1, "mixed with failures tolerated: the pending lag decides (WARNING)")

r = check("repl_unknown_status")
is_(r.rc, 3, "unknown replication status: UNKNOWN")
like(r.summary, r"unknown replication status .*'paused'", "unknown status: names the value")

r = check("repl_uppercase")
is_(r.rc, 0, "status values compared case-insensitively (and User Guide key spellings)")

r = check("repl_no_destinations")
is_(r.rc, 2, "zero destinations: CRITICAL")
like(r.summary, r"replication not configured or table not found", "zero destinations: says why")
r = check("repl_no_destinations", "--not-found-state", "warning")
is_(r.rc, 1, "zero destinations with --not-found-state warning")

r = check("repl_single_ok", "--min-destinations", "2")
is_(r.rc, 2, "fewer destinations than --min-destinations: CRITICAL")
like(r.summary, r"only 1 destination, at least 2 expected", "min destinations: summary")
r = check("repl_ok", "--min-destinations", "3")
is_(r.rc, 0, "--min-destinations met")

r = check("repl_ok", "--destination", "arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a")
is_(r.rc, 0, "--destination present: OK")
r = check("repl_ok", "--destination", "arn:aws:s3tables:us-west-2:111122223333:bucket/dr-zz",
          "--destination", "arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a")
is_(r.rc, 2, "--destination missing: CRITICAL")
like(r.summary, r"destination dr-zz missing", "missing destination is named")

r = check("repl_mixed", "-w", "1d", "-c", "2d", "--failed-state", "ok", "--warning-pending", "1")
is_(r.rc, 1, "--warning-pending 1 with 2 not completed: WARNING")
r = check("repl_mixed", "-w", "1d", "-c", "2d", "--failed-state", "ok", "--critical-pending", "1")
is_(r.rc, 2, "--critical-pending 1 with 2 not completed: CRITICAL")
r = check("repl_mixed", "-w", "1d", "-c", "2d", "--failed-state", "ok", "--warning-pending", "2")
is_(r.rc, 0, "--warning-pending 2 with 2 not completed: OK")

r = check("repl_same_bucket_names")
lags = sorted(k for k in r.perf if k.startswith("lag_") and k != "lag_max")
is_(len(lags), len(set(lags)), "shared bucket names: lag labels stay unique")
ok(len(lags) >= 2 and all("@" in k for k in lags if k.startswith("lag_dr")) or len(lags) >= 2,
   "shared bucket names: labels disambiguated", lags)

r = check("repl_five")
is_(r.perf.get("destinations"), "5;;;0", "five destinations")
is_(len([k for k in r.perf if k.startswith("lag_") and k != "lag_max"]), 5, "one lag metric per destination")

r = check("repl_offset_ts", "-w", "1h")
ok(r.rc in (0, 1), "timestamps with fractions and +02:00 offsets parse", r)
ok(r.value("lag_max") is not None and float(r.value("lag_max")) < 86400, "offset timestamps give a sane lag", r.perftext)
r = check("repl_future_ts", "-w", "1m")
is_(r.rc, 0, "a last update in the future counts as lag 0")
ok(any("future" in l for l in r.long), "future timestamp is pointed out", r.long)
r = check("repl_bad_ts")
is_(r.rc, 3, "unparseable timestamp: UNKNOWN")
like(r.summary, r"malformed response: .*timestamp", "bad timestamp: names the field")

r = check("repl_hostile")
is_(r.rc, 2, "hostile failure message: still CRITICAL")
ok("\x1b" not in r.out and "\r" not in r.out, "hostile: no control characters reach the output", repr(r.out[:300]))
is_(r.first.count("|"), 1, "hostile: the only '|' is the perfdata separator")
ok(len(r.first) < 2000 and "…" in r.summary, "hostile: long message cut with …", len(r.first))
ok("é→✓" in r.out, "hostile: UTF-8 kept", r.out[:200])

# --- table by name ------------------------------------------------------------
name = fresh("repl_ok")
r = run(P, ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", name], sim=sim, name="by name")
is_(r.rc, 0, "table by bucket/namespace/name: OK")
reqs = sim.requests(name)
is_([q.get("path") for q in reqs], ["/get-table", "/replication-status"], "by name: GetTable, then the status")
r = run(P, ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", fresh("missing")], sim=sim, name="by name missing")
is_(r.rc, 2, "table by name not found: CRITICAL (--not-found-state)")

# --- failures -------------------------------------------------------------------
r = run(P, ["--bogus"], sim=sim, name="bad option")
is_(r.rc, 3, "unknown option: UNKNOWN")
like(r.summary, r"unknown option --bogus", "unknown option named")
r = run(P, ["-a", "arn:aws:s3tables:us-east-1:12345:bucket/sim-bucket/table/x"], sim=sim, name="bad arn")
is_(r.rc, 3, "bad ARN: UNKNOWN")
like(r.summary, r"--table-arn: .*account", "bad ARN: says which option and part")
r = run(P, ["-a", table_arn("repl_ok"), "-w", "2:1"], sim=sim, name="bad range")
is_(r.rc, 3, "bad range: UNKNOWN")
like(r.summary, r"--warning: .*2:1|--warning: .*greater", "bad range: names the option and the text")
r = run(P, ["-a", table_arn("repl_ok"), "-c", "10x"], sim=sim, name="bad unit")
like(r.summary, r"UNKNOWN - --critical: ", "bad unit: names the option")
r = run(P, ["-a", table_arn("repl_ok"), "--failed-state", "sometimes"], sim=sim, name="bad state")
like(r.summary, r"UNKNOWN - --failed-state: 'sometimes' is not a state", "bad state name")
r = run(P, ["-a", "arn:aws-cn:s3tables:us-east-1:111122223333:bucket/sim-bucket/table/x"], sim=sim, name="partition")
like(r.summary, r"UNKNOWN - .*partition", "partition/region mismatch: UNKNOWN")
r = run(P, ["-a", table_arn("repl_ok"), "--region", "eu-west-1"], sim=sim, name="region mismatch")
like(r.summary, r"UNKNOWN - --region eu-west-1 contradicts", "--region contradicting the ARN: UNKNOWN")
r = run(P, [], sim=sim, name="no table")
like(r.summary, r"UNKNOWN - no table given", "no table: UNKNOWN")
r = run(P, ["-b", BUCKET_ARN, "-n", "sim_ns"], sim=sim, name="partial name")
like(r.summary, r"UNKNOWN - .*missing --table", "by name without --table: UNKNOWN")
r = run(P, ["-b", BUCKET_ARN, "-n", "Bad-NS", "-N", "t"], sim=sim, name="bad namespace")
like(r.summary, r"UNKNOWN - --namespace", "bad namespace: UNKNOWN")

r = check("repl_ok", creds=False)
is_(r.rc, 3, "no credentials: UNKNOWN")
like(r.summary, r"no AWS credentials found", "no credentials: says so")
r = check("repl_ok", creds=False, env={"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE"})
like(r.summary, r"UNKNOWN - credential source 'environment' failed: .*AWS_SECRET_ACCESS_KEY",
     "key id without secret: names the source and the reason")
r = check("repl_ok", env={"AWS_SECRET_ACCESS_KEY": "wrong-secret-0123456789"})
is_(r.rc, 3, "wrong secret: UNKNOWN")
like(r.summary, r"InvalidSignatureException .*HTTP 403", "wrong secret: the simulator's signature check rejects it")
ok("wrong-secret-0123456789" not in r.out + r.err, "wrong secret never printed")
r = check("repl_ok", creds=False, env={"AWS_ACCESS_KEY_ID": "ASIATEMPEXAMPLE",
                                       "AWS_SECRET_ACCESS_KEY": "tempsecretEXAMPLEKEY0123456789abcdefghij",
                                       "AWS_SESSION_TOKEN": SESSION_TOKEN})
is_(r.rc, 0, "temporary credentials with a session token are accepted")

r = check("forbidden")
is_(r.rc, 3, "403 ForbiddenException: UNKNOWN")
like(r.summary, r"ForbiddenException \(HTTP 403, request id [0-9a-f-]+\): ", "403: code, status, request id, message")
r = check("access_denied")
like(r.summary, r"UNKNOWN - .*AccessDeniedException \(HTTP 403", "403 AccessDeniedException: UNKNOWN")
r = check("bad_request")
like(r.summary, r"UNKNOWN - .*HTTP 400", "400: UNKNOWN, not retried")
is_(len(sim.requests("bad_request")), 1, "400 is not retried")
r = check("not_found")
is_(r.rc, 2, "404 NotFoundException: CRITICAL")
like(r.summary, r"replication not configured or table not found - GetTableReplicationStatus: NotFoundException \(HTTP 404",
     "404: says what it means and what AWS said")
r = check("not_found", "--not-found-state", "unknown")
is_(r.rc, 3, "404 with --not-found-state unknown")
r = check("error_type_header_only")
is_(r.rc, 2, "error code from x-amzn-ErrorType with a coral suffix")
r = check("error_type_in_body")
is_(r.rc, 2, "error code from __type with a namespace")
r = check("hostile_error")
is_(r.first.count("|"), 0, "hostile error message: no '|' reaches the output")
is_(len(r.long), 0, "hostile error message: no fake second line")

arn = table_arn("throttle_then_ok")
r = run(P, ["-a", arn], sim=sim, name="throttle_then_ok")
is_(r.rc, 0, "429 twice then success: retried to OK")
is_(len(sim.requests(arn.rsplit("/", 1)[1])), 3, "throttling: 3 requests in the log")
arn = table_arn("throttle_always")
r = run(P, ["-a", arn], sim=sim, name="throttle_always")
is_(r.rc, 3, "429 every time: UNKNOWN")
like(r.summary, r"TooManyRequestsException .*after 3 attempts", "throttling: last error and attempt count")
is_(len(sim.requests(arn.rsplit("/", 1)[1])), 3, "default --max-attempts 3")
arn = table_arn("throttle_always")
r = run(P, ["-a", arn, "--max-attempts", "1"], sim=sim, name="max-attempts 1")
is_(len(sim.requests(arn.rsplit("/", 1)[1])), 1, "--max-attempts 1: one request")
arn = table_arn("e5xx_always")
r = run(P, ["-a", arn], sim=sim, env={"AWS_MAX_ATTEMPTS": "2"}, name="AWS_MAX_ATTEMPTS")
is_(len(sim.requests(arn.rsplit("/", 1)[1])), 2, "AWS_MAX_ATTEMPTS=2: two requests")
like(r.summary, r"UNKNOWN - .*HTTP 503.*after 2 attempts", "5xx every time: UNKNOWN with attempts")
arn = table_arn("e5xx_then_ok")
r = run(P, ["-a", arn], sim=sim, name="e5xx_then_ok")
is_(r.rc, 0, "500 then 503 then success: OK")
is_(len(sim.requests(arn.rsplit("/", 1)[1])), 3, "5xx: 3 requests in the log")
r = run(P, ["-a", table_arn("throttle_always"), "-t", "2", "--max-attempts", "20"], sim=sim, name="backoff deadline")
ok(r.elapsed < 2 + DEADLINE_SLACK, "retries never sleep past the deadline (%.2f s with -t 2)" % r.elapsed)
ok(r.rc == 3, "retries cut by the deadline: UNKNOWN", r)

r = check("reset")
is_(r.rc, 3, "connection reset: UNKNOWN")
like(r.summary, r"127\.0\.0\.1", "reset: names the host")
like(r.summary, r"after 3 attempts", "reset: retried")

s = socket.socket()
s.bind(("127.0.0.1", 0))
closed_port = s.getsockname()[1]
s.close()
r = run(P, ["-a", table_arn("repl_ok"), "-E", "https://127.0.0.1:%d" % closed_port, "--ca-file", sim.ca],
        name="refused")
is_(r.rc, 3, "connection refused: UNKNOWN")
like(r.summary, r"127\.0\.0\.1:%d" % closed_port, "refused: names host and port")
r = run(P, ["-a", table_arn("repl_ok"), "-E", "https://nohost.invalid", "-t", "5"], name="dns")
like(r.summary, r"UNKNOWN - .*nohost\.invalid", "DNS failure: UNKNOWN naming the host")
r = run(P, ["-a", table_arn("repl_ok"), "-E", sim.url], name="tls")
is_(r.rc, 3, "untrusted certificate (system store): UNKNOWN")
like(r.summary, r"(?i)tls|ssl|certificate", "TLS failure: says TLS")
like(r.summary, r"127\.0\.0\.1", "TLS failure: names the host")
r = run(P, ["-a", table_arn("repl_ok"), "-E", sim.url, "--ca-path", sim.capath], name="ca-path")
is_(r.rc, 0, "--ca-path with a hashed directory")
r = run(P, ["-a", table_arn("repl_ok"), "-E", sim.url], env={"AWS_CA_BUNDLE": sim.ca}, name="AWS_CA_BUNDLE")
is_(r.rc, 0, "AWS_CA_BUNDLE trusted")
r = run(P, ["-a", table_arn("repl_ok")], env={"AWS_ENDPOINT_URL_S3TABLES": sim.url, "AWS_CA_BUNDLE": sim.ca},
        name="AWS_ENDPOINT_URL_S3TABLES")
is_(r.rc, 0, "AWS_ENDPOINT_URL_S3TABLES selects the endpoint")

for scenario in ("slow_headers", "stall_body"):
    r = check(scenario, "-t", "2")
    is_(r.rc, 3, "%s: UNKNOWN on timeout" % scenario)
    like(r.summary, r"timed out after 2 s", "%s: says timed out after 2 s" % scenario)
    ok(r.elapsed < 2 + DEADLINE_SLACK, "%s: the run ends within -t + 1 s (%.2f s)" % (scenario, r.elapsed))
r = check("slow_headers", "-t", "1.5:critical")
is_(r.rc, 2, "-t SECONDS:STATE sets the timeout state")

for scenario, why in (("malformed_json", "not valid JSON"), ("truncated_json", ""), ("not_json", "JSON"),
                      ("wrong_types", "expected"), ("oversized", "")):
    r = check(scenario)
    is_(r.rc, 3, "%s: UNKNOWN" % scenario)
    like(r.summary, why, "%s: says what was wrong" % scenario)
r = check("oversized")
like(r.summary, r"(?i)large|1 MiB|too big|exceed", "oversized body: says it is too large")

r = check("repl_ok", "-vvv", creds=False, env={"AWS_ACCESS_KEY_ID": "ASIATEMPEXAMPLE",
                                               "AWS_SECRET_ACCESS_KEY": "tempsecretEXAMPLEKEY0123456789abcdefghij",
                                               "AWS_SESSION_TOKEN": SESSION_TOKEN})
is_(r.rc, 0, "-vvv still works")
like(r.err, r"credentials from environment", "-v names the credential source")
like(r.err, r"(?i)authorization", "-vvv traces the request headers")
ok(SESSION_TOKEN not in r.err and "tempsecretEXAMPLEKEY" not in r.err, "-vvv: no secret, no token")
sig_lines = [l for l in r.err.splitlines() if "Signature=" in l]
ok(all("redacted" in l for l in sig_lines), "-vvv: the signature is redacted", sig_lines)

r = run(P, ["--help"], check_invariants=False)
is_(r.rc, 0, "--help exits 0")
for opt in ("--table-arn", "--table-bucket-arn", "--namespace", "--table", "--warning", "--critical", "--region",
            "--profile", "--endpoint-url", "--fips", "--dualstack", "--timeout", "--max-attempts", "--ca-file",
            "--ca-path", "--proxy", "--verbose", "--failed-state", "--no-update-state", "--not-found-state",
            "--min-destinations", "--destination", "--warning-pending", "--critical-pending"):
    ok(opt in r.out, "--help documents %s" % opt)
r = run(P, ["--version"], check_invariants=False)
is_(r.rc, 0, "--version exits 0")
like(r.out, r"^check_s3tables_replication \(monitoring-plugins-s3tables\) \d+\.\d+", "--version prints the package version")

done()
