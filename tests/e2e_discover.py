"""End to end: s3tables-discover against the simulated S3 Tables endpoint.

The JSON inventory of the simulator's buckets (fields, sorting, the checks that
apply with and without --probe), paging of ListTables and ListTableBuckets,
the --namespace/--include/--exclude filters, probes --parallel at once and a
failed probe keeping its check, the deadline, listing failures (nothing
written, an existing -o file untouched), -o written atomically (a new file
renamed over the old one, permissions kept, no temporary file left, an
unchanged file not rewritten), byte-stability; then the generated Icinga 2
file accepted by a real `icinga2 daemon -C` with the shipped s3tables.conf
(services counted) and the generated Nagios file accepted by a real
`nagios4 -v` with the shipped s3tables-commands.cfg, its commands run as
Nagios would run them. The odd-name files of tests/test_discover_writers
(quotes, backslashes, newlines, '$', ';', '!', UTF-8) go through both daemons
too. (tests/e2e_icinga.py schedules a generated file in a running Icinga 2.)
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402
from e2e import (ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, Simulator, apt_install, bucket_arn,  # noqa: E402
                 find_binary, is_, like, ok)

PROGRAM = "discover/s3tables-discover"
EXE = os.path.join(e2e.BUILDDIR, PROGRAM)
TMP = tempfile.mkdtemp(prefix="s3t-discover-")
if not os.environ.get("S3T_KEEP_TMP"):
    import atexit
    atexit.register(shutil.rmtree, TMP, True)

if not os.access(EXE, os.X_OK):
    print("1..0 # SKIP %s is not built" % EXE)
    sys.exit(0)

sim = Simulator()


def discover(args, sim=sim, name=None, env=None, timeout=60):
    """One run, with the invariants every run keeps: exit 0 (written) or 3 (nothing
    written, one UNKNOWN line on stderr, stdout empty); no secret anywhere; no
    sanitizer report; nothing but configuration on stdout."""
    r = e2e.run(PROGRAM, args, sim=sim, env=env, timeout=timeout, check_invariants=False)
    problems = []
    if r.rc not in (0, 3):
        problems.append("exit code %s, not 0 or 3" % r.rc)
    if r.rc == 3:
        if r.out:
            problems.append("a failed run wrote to stdout")
        if not re.search(r"^S3TABLES DISCOVER UNKNOWN - \S", r.err, re.M):
            problems.append("a failed run without its UNKNOWN line on stderr")
    if re.search(r"^S3TABLES [A-Z]+ (OK|WARNING|CRITICAL|UNKNOWN)", r.out, re.M):
        problems.append("a status line on stdout")
    for marker in ("AddressSanitizer", "LeakSanitizer", "runtime error:", "==ERROR", "definitely lost"):
        if marker in r.err:
            problems.append("sanitizer/valgrind report: %s" % marker)
    for secret in (SECRET_KEY, SESSION_TOKEN):
        if secret in r.out or secret in r.err:
            problems.append("a secret in the output")
    if problems:
        ok(False, "%s: run invariants" % (name or " ".join(args[:3])), "\n".join(problems) + "\n" + repr(r))
    return r


def inventory(args, **kw):
    r = discover(["--format", "json"] + list(args), **kw)
    try:
        return r, json.loads(r.out, object_pairs_hook=lambda pairs: pairs)
    except ValueError as e:
        ok(False, "JSON inventory parses", "%s\n%r" % (e, r))
        return r, []


def as_dicts(items):
    return [dict(o) for o in items]


MIXED = bucket_arn("fleet-mixed")
LARGE = bucket_arn("fleet-large")
SIMB = bucket_arn("sim-bucket")
AWS_MANAGED = {"raw.events_01", "raw.events_02", "ops.journal", "ops.inventory", "ops.audit"}
MIXED_TABLES = sorted(["sales.orders", "raw.orders", "sales.customers", "sales.refunds", "raw.clicks", "raw.views",
                       "raw.sessions", "raw.events_01", "raw.events_02", "ops.journal", "ops.inventory", "ops.audit",
                       "sales.ledger", "sales.returns", "ops.locked", "ops.garbled", "ops.weird", "sales.archive",
                       "raw.staging_tmp", "ops.flaky"], key=lambda n: tuple(n.split(".")))


def names(inv):
    return [o["namespace"] + "." + o["table"] for o in inv]


# --- the JSON inventory, without probing -------------------------------------
before = len(sim.requests())
r, raw = inventory(["-b", MIXED])
is_(r.rc, 0, "json: fleet-mixed: exit 0")
inv = as_dicts(raw)
is_(names(inv), MIXED_TABLES, "json: one object per table, sorted by namespace then name (the listing is not)")
is_([k for k, _ in raw[0]] if raw else None,
    ["table_bucket_arn", "namespace", "table", "table_arn", "region", "account", "type", "checks", "host"],
    "json: the spec's keys, in its order, then host")
orders = [o for o in inv if o["namespace"] == "sales" and o["table"] == "orders"]
is_(orders[0] if orders else None,
    {"table_bucket_arn": MIXED, "namespace": "sales", "table": "orders",
     "table_arn": e2e.fleet_table_arn("fleet-mixed", "sales", "orders"), "region": "us-east-1",
     "account": e2e.ACCOUNT, "type": "customer", "checks": ["replication", "maintenance"],
     "host": "fleet-mixed-us-east-1"},
    "json: sales.orders: every field from ListTables and the ARN")
is_(sorted(n for n, o in zip(names(inv), inv) if "expiration" in o["checks"]), sorted(AWS_MANAGED),
    "without --probe: expiration exactly for the tables ListTables calls type aws")
ok(all(o["checks"][0] == "replication" and o["checks"][-1] == "maintenance" for o in inv),
   "without --probe: replication and maintenance for every table")
listed = [q for q in sim.requests()[before:] if q["operation"] == "ListTables"]
is_(len(listed), 3, "paging: fleet-mixed's 20 tables take 3 ListTables pages (the service caps pages at 7)")
ok(all(q["operation"] == "ListTables" for q in sim.requests()[before:]), "without --probe: only ListTables asked")

before = len(sim.requests())
r, raw = inventory(["-b", LARGE])
inv = as_dicts(raw)
is_(len(inv), 1200, "paging: fleet-large's 1200 tables, every page")
is_(names(inv), sorted(names(inv), key=lambda n: tuple(n.split("."))), "fleet-large: sorted")
is_(len(set(names(inv))), 1200, "fleet-large: no table twice")
is_(len([q for q in sim.requests()[before:] if q["operation"] == "ListTables"]), 2,
    "paging: maxTables=1000, so 2 pages and one continuationToken followed")

before = len(sim.requests())
r, raw = inventory(["--region", "us-east-1"])
inv = as_dicts(raw)
is_(r.rc, 0, "--region: exit 0")
is_(sorted(set(o["table_bucket_arn"] for o in inv)), sorted([LARGE, MIXED, SIMB]),
    "--region: every listed bucket with tables (fleet-empty has none)")
is_(len(inv), 1222, "--region: 1200 + 20 + 2 tables")
ops = [q["operation"] for q in sim.requests()[before:]]
is_(ops.count("ListTableBuckets"), 2, "paging: ListTableBuckets lists 4 buckets 3 a page: 2 pages")
is_(ops.count("ListTables"), 1 + 2 + 3 + 1, "--region: each of the 4 buckets listed, every page")

r, raw = inventory(["--region", "us-east-1", "-b", MIXED, "-b", MIXED])
is_(len(raw), 1222, "a bucket given by -b and found by --region, and given twice, is listed once")

# --- filters -------------------------------------------------------------
r, raw = inventory(["-b", MIXED, "-n", "ops"])
is_(names(as_dicts(raw)), [n for n in MIXED_TABLES if n.startswith("ops.")], "--namespace ops: only ops tables")
r, raw = inventory(["-b", MIXED, "-n", "ops", "-n", "sales"])
is_(len(raw), 13, "--namespace twice: both namespaces (7 + 6)")
r, raw = inventory(["-b", MIXED, "--include", r"^raw\.", "--exclude", "events"])
is_(names(as_dicts(raw)), ["raw.clicks", "raw.orders", "raw.sessions", "raw.staging_tmp", "raw.views"],
    "--include ^raw\\. --exclude events: the raw tables but the two events ones")
r = discover(["-b", MIXED, "--include", "a("])
is_(r.rc, 3, "a bad regex: exit 3")
like(r.err, r"UNKNOWN - --include: bad regular expression 'a\('", "a bad regex: names the option and the text")
r = discover(["-b", MIXED, "-n", "Sales"])
like(r.err, r"UNKNOWN - --namespace: ", "a namespace that is not a valid name: a usage error naming --namespace")
r, raw = inventory(["-b", MIXED, "-n", "nothing_here"])
ok(r.rc == 0 and raw == [] and "no table found (after filtering)" in r.err,
   "nothing left after filtering: an empty inventory, exit 0, and stderr says so", repr(r))

# --- --probe ---------------------------------------------------------------
PROBED = {
    "ops.audit": ["expiration", "maintenance"],
    "ops.flaky": ["replication", "expiration", "maintenance"],      # throttled, then answered
    "ops.garbled": ["replication", "expiration", "maintenance"],    # every probe failed: kept
    "ops.inventory": ["maintenance"],                               # expiration disabled
    "ops.journal": ["expiration", "maintenance"],
    "ops.locked": ["replication", "expiration", "maintenance"],     # 403: kept
    "ops.weird": ["replication", "expiration", "maintenance"],
    "raw.clicks": ["replication", "maintenance"],                   # one maintenance job disabled, one enabled
    "raw.events_01": ["expiration", "maintenance"],
    "raw.events_02": ["expiration", "maintenance"],
    "raw.orders": ["replication", "maintenance"],
    "raw.sessions": ["maintenance"],                                # no replication configured
    "raw.staging_tmp": ["maintenance"],
    "raw.views": ["maintenance"],
    "sales.archive": ["replication", "maintenance"],
    "sales.customers": ["replication", "maintenance"],
    "sales.ledger": ["replication", "maintenance"],
    "sales.orders": ["replication", "maintenance"],                 # 405: no record expiration for it
    "sales.refunds": ["replication", "maintenance"],
    "sales.returns": ["replication", "maintenance"],
}
c0 = sim.counters()
before = len(sim.requests())
r, raw = inventory(["-b", MIXED, "--probe", "--parallel", "4", "-t", "30"])
c1 = sim.counters()
inv = as_dicts(raw)
is_(r.rc, 0, "--probe: exit 0")
is_({n: o["checks"] for n, o in zip(names(inv), inv)}, PROBED,
    "--probe: the checks each table's configurations call for")
asked = [q for q in sim.requests()[before:] if q["operation"] != "ListTables"]
for op in ("GetTableReplication", "GetTableRecordExpirationConfiguration", "GetTableMaintenanceConfiguration"):
    got = sorted(set(q["table"] for q in asked if q["operation"] == op))
    is_(got, sorted(MIXED_TABLES), "--probe: %s asked for every table" % op)
failed = [l for l in r.err.splitlines() if "probe failed, keeping the check" in l]
is_(sorted((re.search(r"fleet-mixed/(\S+): (\w+) probe", l).groups()) for l in failed),
    sorted((t, c) for t in ("ops.garbled", "ops.locked") for c in ("replication", "expiration", "maintenance")),
    "--probe: each failed probe is named on stderr (table and check)")
ok(all("ForbiddenException" in l for l in failed if "ops.locked" in l)
   and all("malformed" in l for l in failed if "ops.garbled" in l),
   "--probe: and says why (403 ForbiddenException, a malformed answer)", "\n".join(failed))
busy = c1["max_in_flight_by_bucket"].get("fleet-mixed", 0)
ok(2 <= busy <= 4, "--probe --parallel 4: up to 4 probes in flight at once (saw %d)" % busy)
r1, raw1 = inventory(["-b", MIXED, "--probe", "--parallel", "1", "-t", "30"])
is_(as_dicts(raw1), inv, "--probe --parallel 1: the same inventory")

# fleet-probe: the simulator's bucket made for --probe (tests/sim/README.md).
r, raw = inventory(["-b", bucket_arn("fleet-probe"), "--probe", "-t", "30"])
is_({n: dict(o)["checks"] for n, o in zip(names(as_dicts(raw)), as_dicts(raw))},
    {"app.broken": ["replication", "expiration", "maintenance"],       # 503 every time: every probe kept
     "app.denied": ["replication", "expiration", "maintenance"],       # 403: kept
     "app.everything": ["replication", "expiration", "maintenance"],
     "app.expiration_off": ["maintenance"],
     "app.expiring": ["expiration", "maintenance"],
     "app.no_maintenance": [],                                         # every maintenance configuration disabled
     "app.plain": ["maintenance"],
     "app.replicated": ["replication", "maintenance"],
     "app.snapshots_off": ["replication", "maintenance"]},             # compaction still enabled
    "--probe on fleet-probe: replication where configured, expiration where enabled, maintenance where any is")
like(r.err, r"fleet-probe/app\.broken: replication probe failed, keeping the check: GetTableReplication failed: "
     r"ServiceUnavailableException .* after 3 attempts", "a probe that keeps failing (503): its reason, after the retries")
r, raw = inventory(["-b", bucket_arn("fleet-probe")])
is_([n for n, o in zip(names(as_dicts(raw)), as_dicts(raw)) if "expiration" in o["checks"]],
    ["app.everything", "app.expiration_off", "app.expiring"], "fleet-probe without --probe: expiration by type aws")
r = discover(["-b", bucket_arn("fleet-probe"), "--probe", "-t", "30"])
ok("no_maintenance" not in r.out and r.out.count("object Service") == 17,
   "icinga2: a table no check applies to gets no service (17 = 3+3+3+1+2+1+2+2)", r.out[-2000:])

# The deadline while probing: what was not probed keeps every check.
start = time.monotonic()
r, raw = inventory(["-b", bucket_arn("fleet-slow"), "--probe", "-t", "3"], timeout=60)
elapsed = time.monotonic() - start
inv = as_dicts(raw)
ok(r.rc == 0 and len(inv) == 20, "--probe -t 3 on slow probes: the inventory is still written, exit 0", repr(r))
ok(elapsed < 3 + e2e.DEADLINE_SLACK + 1, "--probe -t 3: ends within the deadline (%.1f s)" % elapsed)
m = re.search(r"timed out after 3 s: (\d+) of 20 tables not probed, keeping all their checks", r.err)
ok(m and 0 < int(m.group(1)) < 20, "--probe -t 3: stderr counts the tables not probed", r.err)
full = [o for o in inv if o["checks"] == ["replication", "expiration", "maintenance"]]
ok(m and len(full) >= int(m.group(1)), "--probe -t 3: the tables not probed keep all three checks")

# --- listing failures ------------------------------------------------------
good = os.path.join(TMP, "good.conf")
with open(good, "w") as f:
    f.write("/* a good file from an earlier run */\n")
os.chmod(good, 0o640)
good_stat = os.stat(good)
for bucket, why in (("list-forbidden", r"ListTables of table bucket list-forbidden failed: ForbiddenException"),
                    ("list-not-found", r"table bucket not found - ListTables of table bucket list-not-found: NotFoundException"),
                    ("list-malformed-json", r"ListTables of table bucket list-malformed-json returned a malformed"),
                    ("fleet-badpage", r"ListTables of table bucket fleet-badpage returned a malformed")):
    r = discover(["-b", SIMB, "-b", bucket_arn(bucket), "-o", good])
    is_(r.rc, 3, "%s: exit 3" % bucket)
    like(r.err, r"^S3TABLES DISCOVER UNKNOWN - nothing written \(the output file is left as it was\): " + why,
         "%s: a clear message on stderr" % bucket)
    st = os.stat(good)
    ok((st.st_ino, st.st_mtime_ns, st.st_size) == (good_stat.st_ino, good_stat.st_mtime_ns, good_stat.st_size),
       "%s: the existing -o file is not replaced" % bucket)
is_(sorted(os.listdir(TMP)), ["good.conf"], "failed runs leave no temporary file")
r = discover(["-b", bucket_arn("list-throttle-then-ok")])
ok(r.rc == 0 and "object Host" in r.out, "a throttled listing is retried and succeeds", repr(r))
r = discover(["-b", SIMB], env={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""})
ok(r.rc == 3 and "no AWS credentials found" in r.err, "no credentials: exit 3, saying so", repr(r))
r = discover(["-b", bucket_arn("list-slow-headers"), "-t", "2"])
ok(r.rc == 3 and re.search(r"nothing written: timed out after 2 s during ListTables", r.err) and r.elapsed < 2 + e2e.DEADLINE_SLACK + 1,
   "a listing cut by -t: exit 3 within the deadline, nothing written", repr(r))
for args, why in ((["-b", "arn:aws:s3tables:us-east-1:111122223333:bucket"], r"--table-bucket-arn: "),
                  ([], r"nothing to list: give --table-bucket-arn or --region"),
                  (["--region", "US-EAST-1"], r"--region: "),
                  (["-b", SIMB, "--format", "yaml"], r"--format: 'yaml' is not icinga2, nagios or json"),
                  (["-b", SIMB, "-a", e2e.table_arn("ok")], r"unknown option -a"),
                  (["-b", SIMB, "--command-endpoint", "us-east-1"], r"--command-endpoint: 'us-east-1' is not REGION=ENDPOINT"),
                  (["-b", SIMB, "--format", "json", "--command-endpoint", "us-east-1=sat"],
                   r"--command-endpoint is for --format=icinga2"),
                  (["-b", SIMB, "--format", "nagios", "--nagios-service-template", "a;b"], r"--nagios-service-template: .* not allowed")):
    r = discover(args, name="usage " + " ".join(args[-2:]))
    ok(r.rc == 3 and re.search(r"^S3TABLES DISCOVER UNKNOWN - " + why, r.err, re.M) and not r.out,
       "usage error %r: exit 3, on stderr: %s" % (" ".join(args[-2:]), why), repr(r))

# A failing ListTableBuckets, on a simulator that refuses it.
refusing = Simulator(["--buckets-scenario", "forbidden"])
r = discover(["--region", "us-east-1", "-o", good], sim=refusing)
ok(r.rc == 3 and "nothing written (the output file is left as it was): ListTableBuckets in us-east-1 failed: ForbiddenException" in r.err
   and os.stat(good).st_ino == good_stat.st_ino, "ListTableBuckets refused: exit 3, the file untouched", repr(r))
refusing.stop()

# Another region: the bucket ARN's region signs the requests (this simulator accepts only eu-west-1).
europe = Simulator(["--region", "eu-west-1"])
r, raw = inventory(["-b", bucket_arn("sim-bucket", "eu-west-1")], sim=europe)
inv = as_dicts(raw)
ok(r.rc == 0 and [(o["region"], o["host"]) for o in inv] == [("eu-west-1", "sim-bucket-eu-west-1")] * 2,
   "-b in eu-west-1: signed for eu-west-1, region and host name from the ARN", repr(r))
r, raw = inventory(["--region", "eu-west-1"], sim=europe)
ok(r.rc == 0 and len(raw) == 1222 and all(dict(o)["region"] == "eu-west-1" for o in raw),
   "--region eu-west-1: ListTableBuckets and every ListTables signed for eu-west-1", r.err[-500:])
r = discover(["--region", "us-east-1"], sim=europe)
ok(r.rc == 3 and "InvalidSignatureException" in r.err, "--region us-east-1 against an eu-west-1 endpoint: refused, exit 3",
   repr(r))
europe.stop()

# --- -o --------------------------------------------------------------------
r_stdout = discover(["-b", MIXED, "-b", SIMB])
r = discover(["-b", MIXED, "-b", SIMB, "-o", good, "-v"])
st = os.stat(good)
ok(r.rc == 0 and open(good).read() == r_stdout.out, "-o: the file holds what stdout would have had", repr(r))
ok(st.st_ino != good_stat.st_ino, "-o: a new file renamed over the old one (never rewritten in place)")
is_(stat.S_IMODE(st.st_mode), 0o640, "-o: the old file's permissions are kept")
is_(r.out, "", "-o: nothing on stdout")
is_(sorted(os.listdir(TMP)), ["good.conf"], "-o: no temporary file left")
r = discover(["-b", MIXED, "-b", SIMB, "-o", good, "-v"])
st2 = os.stat(good)
ok((st2.st_ino, st2.st_mtime_ns) == (st.st_ino, st.st_mtime_ns) and "(unchanged, not rewritten)" in r.err,
   "-o: the same inventory again leaves the file alone (and -v says so)", r.err)
fresh_file = os.path.join(TMP, "sub", "new.conf")
os.makedirs(os.path.dirname(fresh_file))
old_umask = os.umask(0o022)
r = discover(["-b", SIMB, "-o", fresh_file])
os.umask(old_umask)
ok(r.rc == 0 and stat.S_IMODE(os.stat(fresh_file).st_mode) == 0o644, "-o: a new file is 0644 under umask 022")
r = discover(["-b", SIMB, "-o", "-"])
ok(r.rc == 0 and r.out == discover(["-b", SIMB]).out and not os.path.exists("-"), "-o -: stdout")
r = discover(["-b", SIMB, "-o", os.path.join(TMP, "missing", "x.conf")])
ok(r.rc == 3 and "cannot create a temporary file in " in r.err, "-o into a missing directory: exit 3, saying so", repr(r))

# --- stable bytes ------------------------------------------------------------
for fmt in ("icinga2", "nagios", "json"):
    a = discover(["-b", MIXED, "-b", LARGE, "--format", fmt])
    b = discover(["-b", LARGE, "-b", MIXED, "--format", fmt])
    ok(a.rc == 0 and a.out == b.out and len(a.out) > 1000, "%s: the same inventory gives the same bytes" % fmt)

# --- the real daemons --------------------------------------------------------
dump = os.path.join(TMP, "odd")
os.makedirs(dump)
p = subprocess.run([os.path.join(e2e.BUILDDIR, "tests", "test_discover_writers")], env=dict(os.environ, S3T_DISCOVER_DUMP=dump),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ok(p.returncode == 0 and len(os.listdir(dump)) == 3, "the writers' odd-name files are made (test_discover_writers)")


def services_of(text):
    return len(re.findall(r"^object Service ", text, re.M))


icinga2 = find_binary(e2e.ICINGA2_CANDIDATES)
if icinga2 is None:
    why = apt_install(["icinga2"])
    icinga2 = find_binary(e2e.ICINGA2_CANDIDATES)
if icinga2 is None:
    ok(True, "icinga2 daemon -C # SKIP icinga2 is not installed and could not be installed")
else:
    layout = e2e.Icinga2Layout(os.path.join(TMP, "icinga2"))
    conf = os.path.join(e2e.SRCDIR, "contrib", "icinga2", "s3tables.conf")
    plain = discover(["--region", "us-east-1", "--host-prefix", "s3t-"]).out
    probed = discover(["-b", MIXED, "-b", SIMB, "--probe", "-t", "30", "--host-prefix", "aws \"s3\" ",
                       "--command-endpoint", "us-east-1=sat-us-east-1", "--icinga2-service-template", "s3t-svc",
                       "--icinga2-host-template", "s3t-host"]).out
    cases = [("--region us-east-1", plain, "", 3),
             ("--probe, a prefix with quotes, command_endpoint and templates", probed,
              'object Zone "sat-us-east-1" { endpoints = [ "sat-us-east-1" ]; parent = ZoneName }\n'
              'object Endpoint "sat-us-east-1" { }\n'
              'template Service "s3t-svc" { check_interval = 15m }\ntemplate Host "s3t-host" { }\n', 2),
             ("the writers' odd names", open(os.path.join(dump, "odd.icinga2.conf"), errors="surrogateescape").read(), "", 1)]
    for i, (what, text, extra, hosts) in enumerate(cases):
        # As an operator installs it: in the master's zone directory (command_endpoint needs a zone).
        zones = os.path.join(layout.dirs["etc"], "zones-%d" % i)
        os.makedirs(os.path.join(zones, "s3t-discover-test"))
        with open(os.path.join(zones, "s3t-discover-test", "s3tables-discovered.conf"), "w",
                  errors="surrogateescape") as f:
            f.write(text)
        rc, out = layout.validate(icinga2, "validate-%d.conf" % i,
                                  'const PluginDir = %s\nconst NodeName = "s3t-discover-test"\nconst ZoneName = NodeName\n'
                                  'object Endpoint NodeName { }\nobject Zone ZoneName { endpoints = [ NodeName ] }\n'
                                  'include <itl>\ninclude %s\n%sinclude_zones "discovered", %s\n'
                                  % (json.dumps(os.path.join(e2e.BUILDDIR, "plugins")), json.dumps(conf), extra,
                                     json.dumps(zones)))
        ok(rc == 0 and "Finished validating the configuration" in out,
           "icinga2 daemon -C accepts the generated file (%s) with the shipped s3tables.conf" % what, out[-3000:])
        ok(not re.search(r"(warning|critical)/", out), "icinga2 daemon -C: no warning (%s)" % what, out[-3000:])
        m = re.search(r"Instantiated (\d+) Services?\.", out)
        want = services_of(text)
        ok(m and int(m.group(1)) == want and want > 0,
           "icinga2 daemon -C: %d services instantiated, one per table and check (%s)" % (want, what), out[-1500:])
        m = re.search(r"Instantiated (\d+) Hosts?\.", out)
        is_(m and int(m.group(1)), hosts, "icinga2 daemon -C: one host per table bucket (%s)" % what)
    # The probed inventory's services, counted from the JSON of the same run options.
    r, raw = inventory(["-b", MIXED, "-b", SIMB, "--probe", "-t", "30"])
    is_(services_of(probed), sum(len(dict(o)["checks"]) for o in raw),
        "icinga2: the services are the JSON inventory's checks, one for one")
    ok(probed.count('command_endpoint = "sat-us-east-1"') == services_of(probed),
       "icinga2: --command-endpoint puts every us-east-1 service on that endpoint")

nagios, why = e2e.nagios_binary()
if nagios is None:
    ok(True, "nagios4 -v # SKIP nagios4 is not installed and could not be installed (%s)" % why)
else:
    ndir = os.path.join(TMP, "nagios")
    os.makedirs(ndir)
    commands = os.path.join(e2e.SRCDIR, "contrib", "nagios", "s3tables-commands.cfg")
    resource = "$USER1$=%s\n$USER3$=%s\n$USER4$=%s\n" % (os.path.join(e2e.BUILDDIR, "plugins"), ACCESS_KEY, SECRET_KEY)
    generated = discover(["-b", MIXED, "-b", SIMB, "--format", "nagios", "--host-prefix", "s3t-"]).out
    for what, text, hosts in (("fleet-mixed and sim-bucket", generated, 2),
                              ("the writers' odd names", open(os.path.join(dump, "odd.nagios.cfg"), errors="surrogateescape").read(), 1)):
        gen = os.path.join(ndir, "discovered.cfg")
        with open(gen, "w", errors="surrogateescape") as f:
            f.write(text)
        main = e2e.nagios_config(ndir, [commands, gen], resource)
        p = subprocess.run([nagios, "-v", main], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        out = p.stdout.decode("utf-8", "replace")
        ok(p.returncode == 0 and re.search(r"Total Errors:\s+0\b", out) and re.search(r"Total Warnings:\s+0\b", out),
           "nagios4 -v accepts the generated file (%s) with the shipped commands: no error, no warning" % what,
           out[-3000:])
        want = len(re.findall(r"^define service ", text, re.M))
        like(out, r"Checked %d services\." % want, "nagios4 -v: %d services (%s)" % (want, what))
        like(out, r"Checked %d hosts\." % hosts, "nagios4 -v: %d hosts (%s)" % (hosts, what))
    is_(len(re.findall(r"^define service ", generated, re.M)), 22 * 2 + 5, "nagios: 2 checks per table, expiration for the 5 aws tables")

    # Each sim-bucket service's command, expanded the way Nagios does, runs the plugin against the simulator.
    lines = {}
    for m in re.finditer(r"define command \{(.*?)\}", open(commands).read(), re.S):
        body = dict(re.findall(r"^\s*(\w+)\s+(.*?)\s*$", m.group(1), re.M))
        lines[body["command_name"]] = body["command_line"]
    credfile = os.path.join(ndir, "aws-credentials")
    with open(credfile, "w") as f:
        f.write("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (ACCESS_KEY, SECRET_KEY))
    ran = []
    for m in re.finditer(r"define service \{(.*?)\}", generated, re.S):
        body = dict(re.findall(r"^\s*(\w+)\s+(.*?)\s*$", m.group(1), re.M))
        if body["host_name"] != "s3t-sim-bucket-us-east-1":
            continue
        name, *args = body["check_command"].split("!")
        macros = {"USER1": os.path.join(e2e.BUILDDIR, "plugins"), "USER3": ACCESS_KEY, "USER4": SECRET_KEY,
                  "_HOSTS3TABLES_BUCKET_ARN": SIMB}
        macros.update(("ARG%d" % (i + 1), a) for i, a in enumerate(args))
        line = re.sub(r"\$([A-Z0-9_]+)\$", lambda x: macros.get(x.group(1), ""), lines[name])
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        # The shipped commands pass no key: the plugin finds the nagios user's profile.
        env.update(HOME="/nonexistent", AWS_ENDPOINT_URL_S3TABLES=sim.url, AWS_CA_BUNDLE=sim.ca,
                   AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE="/nonexistent",
                   AWS_SHARED_CREDENTIALS_FILE=credfile)
        p = subprocess.run(["/bin/sh", "-c", line], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=30)
        ran.append((body["service_description"], p.returncode, p.stdout.decode("utf-8", "replace").split("\n")[0]))
    is_(len(ran), 4, "nagios: sim-bucket's 2 tables x 2 checks")
    ok(ran and all(rc == 0 and first.startswith("S3TABLES ") and " OK" in first for _, rc, first in ran),
       "nagios: every generated sim-bucket service's command runs the plugin: OK", "\n".join(map(str, ran)))

e2e.done()
