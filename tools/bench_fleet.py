#!/usr/bin/env python3
"""Measuring harness for tools/bench_fleet.sh (not a test; run through bench_fleet.sh).

A fleet run (`--all-tables`) of each plugin over the simulator's bucket fleet-large (1200
tables, tests/sim/README.md "Fleet buckets") on loopback HTTPS, for several --parallel
values, next to -- in the same run, interleaved round-robin so that background load hits
every command alike -- a boto3 loop over the same tables in one Python process and a
single-table plugin run for reference. Per run:

  - CPU: user+sys of the measured process from os.wait4 (the whole plugin process:
    start-up, credentials, listing, 1200 status requests, output), divided by the tables;
  - wall time: perf_counter around posix_spawn + wait4;
  - requests (per operation) and TLS handshakes: the simulator's counters file, read
    before and after the run (tests/sim/README.md, "Counters").

The boto3 loop (`bench_fleet.py boto3-loop`, run by the Debian interpreter /usr/bin/python3
with the Debian package python3-boto3) creates a client 's3tables' with endpoint_url = the
simulator and verify = the test CA, lists the bucket with the list_tables paginator (page
size 1000, as the plugins ask) and calls the plugin's operation once per table
(get_table_replication_status / get_table_record_expiration_job_status by ARN,
get_table_maintenance_job_status by bucket + namespace + name), sequentially. Its CPU is
reported twice: the loop alone (getrusage around listing + calls: the figure the target
is judged against) and the whole process from wait4 (interpreter start, `import boto3`,
client creation and the loop). When the installed botocore has no s3tables data (Debian
bookworm's 1.29 predates the service), the model is loaded from --aws-model through
botocore's Loader with that directory as an extra search path; the output says which.

Shared pieces come from tools/bench_stats.py: the clean child environment (CHILD_ENV),
the credentials, spawn_wait/check_once and its TCP_NODELAY-patched `sim` mode.
Prints medians and one VERDICT line per plugin and --parallel value against the targets
of shared/spec/plugins.md ("Cost"): <= 0.5 ms CPU per table, >= 10x less CPU than the
boto3 loop, TLS handshakes <= --parallel, one request per table (+ the listing pages).
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in tools/ (or, via the simulator, tests/sim/) for `make dist`
sys.path.insert(0, HERE)
from bench_stats import ACCESS_KEY, ACCOUNT, CHILD_ENV, SECRET_KEY, check_once, spawn_wait  # noqa: E402

BUCKET = "fleet-large"
BUCKET_ARN = "arn:aws:s3tables:us-east-1:%s:bucket/%s" % (ACCOUNT, BUCKET)
TABLES = 1200
PAGE_SIZE = 1000  # what the plugins send as maxTables
TARGET_CPU_MS_PER_TABLE = 0.5
TARGET_BOTO3_RATIO = 10.0

# plugin -> (status operation, boto3 method, how it addresses a table)
PLUGINS = [
    ("check_s3tables_replication", "GetTableReplicationStatus", "get_table_replication_status", "arn"),
    ("check_s3tables_expiration", "GetTableRecordExpirationJobStatus", "get_table_record_expiration_job_status", "arn"),
    ("check_s3tables_maintenance", "GetTableMaintenanceJobStatus", "get_table_maintenance_job_status", "name"),
]
OPERATIONS = ["ListTables"] + [p[1] for p in PLUGINS]


# --- the boto3 side: runs in its own interpreter ------------------------------------------
def rusage_ms():
    import resource
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return (ru.ru_utime + ru.ru_stime) * 1000.0


def boto3_loop(argv):
    """bench_fleet.py boto3-loop --endpoint URL --ca CA --method M --address arn|name
    --bucket-arn ARN --result FILE [--aws-model DIR] [--describe]"""
    t_start = rusage_ms()  # interpreter start-up, before anything of boto3
    ap = argparse.ArgumentParser(prog="bench_fleet.py boto3-loop")
    for o in ("--endpoint", "--ca", "--bucket-arn", "--result"):
        ap.add_argument(o, required=True)
    ap.add_argument("--method", help="the boto3 method called once per table")
    ap.add_argument("--address", choices=("arn", "name"), default="arn")
    ap.add_argument("--aws-model")
    ap.add_argument("--describe", action="store_true", help="only say what botocore knows, no requests")
    a = ap.parse_args(argv)
    import boto3
    import botocore
    import botocore.exceptions
    import botocore.session
    t_import = rusage_ms()
    info = {"botocore": botocore.__version__, "boto3": boto3.__version__, "python": sys.version.split()[0],
            "botocore_path": os.path.dirname(botocore.__file__)}
    bs = botocore.session.get_session()
    loader = bs.get_component("data_loader")
    if "s3tables" in loader.list_available_services("service-2"):
        builtin = loader.load_service_model("s3tables", "service-2")["operations"]
        info["builtin_missing"] = [op for op in OPERATIONS if op not in builtin]
    else:
        info["builtin_missing"] = None  # no s3tables at all
    if info["builtin_missing"] is None or info["builtin_missing"]:
        if not a.aws_model or not os.path.isfile(os.path.join(a.aws_model, "s3tables", "2018-05-10", "service-2.json")):
            info["error"] = "botocore %s %s, and no --aws-model DIR with s3tables/2018-05-10 was given" % (
                botocore.__version__, "has no s3tables data" if info["builtin_missing"] is None else
                "lacks " + ", ".join(info["builtin_missing"]))
            return write_result(a.result, info)
        # First in the search path, so that it also wins over an older built-in s3tables model.
        bs = botocore.session.get_session()
        bs.get_component("data_loader").search_paths.insert(0, a.aws_model)
        info["model_from"] = a.aws_model
    t_model = rusage_ms()
    # credentials: the environment's AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (CHILD_ENV), as the plugins
    session = boto3.Session(botocore_session=bs, region_name="us-east-1")
    client = session.client("s3tables", endpoint_url=a.endpoint, verify=a.ca)
    t_client = rusage_ms()
    model = client.meta.service_model
    info["api_version"] = model.api_version
    info["operations"] = {op: op in model.operation_names for op in OPERATIONS}
    info["paginator_list_tables"] = client.can_paginate("list_tables")
    if a.describe or not a.method:
        return write_result(a.result, info)

    call = getattr(client, a.method)
    t0 = rusage_ms()
    w0 = time.perf_counter()
    tables = []
    for page in client.get_paginator("list_tables").paginate(
            tableBucketARN=a.bucket_arn, PaginationConfig={"PageSize": PAGE_SIZE}):
        tables.extend(page["tables"])
    failed = errors = 0
    for t in tables:
        try:
            if a.address == "arn":
                r = call(tableArn=t["tableARN"])
            else:
                r = call(tableBucketARN=a.bucket_arn, namespace=t["namespace"][0], name=t["name"])
        except botocore.exceptions.ClientError:
            errors += 1
            continue
        # the same evidence the plugin looks at, so both sides read every answer
        if "destinations" in r:
            failed += any(d.get("replicationStatus") == "failed" for d in r["destinations"])
        elif "status" in r and isinstance(r["status"], dict):
            failed += any(j.get("status") == "Failed" for j in r["status"].values())
        else:
            failed += r.get("status") == "Failed"
    info.update(tables=len(tables), failed=failed, errors=errors,
                loop_cpu_ms=rusage_ms() - t0, loop_wall_ms=(time.perf_counter() - w0) * 1000.0,
                startup_cpu_ms=t_start, import_cpu_ms=t_import - t_start, client_cpu_ms=t_client - t_model, model_check_cpu_ms=t_model - t_import)
    return write_result(a.result, info)


def write_result(path, info):
    with open(path, "w") as f:
        json.dump(info, f)
    return 0 if "error" not in info else 1


# --- the harness ------------------------------------------------------------------------
class Sim:
    """The simulator (bench_stats.py sim: TCP_NODELAY patched in) with a counters file."""

    def __init__(self, work, top):
        ca = os.path.join(work, "ca")
        subprocess.run(["sh", os.path.join(top, "tests", "sim", "gen-test-ca.sh"), ca], check=True)
        self.ca = os.path.join(ca, "ca.pem")
        self.counters_file = os.path.join(work, "counters.json")
        port_file = os.path.join(work, "port")
        self.err = open(os.path.join(work, "sim.err"), "w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-B", os.path.join(HERE, "bench_stats.py"), "sim", "--cert", os.path.join(ca, "server.pem"),
             "--key", os.path.join(ca, "server.key"), "--port", "0", "--port-file", port_file,
             "--counters", self.counters_file, "--lifetime", "3600"],
            env=CHILD_ENV, stdout=subprocess.DEVNULL, stderr=self.err)
        for _ in range(200):
            if os.path.exists(port_file) and os.path.getsize(port_file):
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        else:
            self.stop()
            raise SystemExit("simulator did not start")
        if self.proc.poll() is not None:
            self.err.seek(0)
            raise SystemExit("simulator exited: " + self.err.read())
        with open(port_file) as f:
            self.url = "https://127.0.0.1:%d" % int(f.read())

    def counters(self):
        try:
            with open(self.counters_file) as f:
                return json.load(f)
        except FileNotFoundError:  # written on the first request
            return {"requests": 0, "tls_handshakes": 0, "operations": {}}

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def delta(c0, c1):
    ops = {k: v - c0["operations"].get(k, 0) for k, v in c1["operations"].items()
           if v - c0["operations"].get(k, 0)}
    return {"requests": c1["requests"] - c0["requests"],
            "tls_handshakes": c1["tls_handshakes"] - c0["tls_handshakes"], "ops": ops}


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def main():
    if sys.argv[1:2] == ["boto3-loop"]:
        return boto3_loop(sys.argv[2:])
    ap = argparse.ArgumentParser()
    ap.add_argument("--builddir", required=True)
    ap.add_argument("-n", "--runs", type=int, default=5)
    ap.add_argument("-w", "--warmup", type=int, default=1)
    ap.add_argument("-p", "--parallel", default="1,4,8", help="comma-separated --parallel values")
    ap.add_argument("--no-boto3", action="store_true", help="no boto3 column")
    ap.add_argument("--boto3-python", default="/usr/bin/python3",
                    help="interpreter with the Debian python3-boto3 ('' = no boto3 column)")
    ap.add_argument("--no-boto3-why", default="", help="why there is no boto3 column (from bench_fleet.sh)")
    ap.add_argument("--aws-model", help="directory with s3tables/2018-05-10/service-2.json for an old botocore")
    a = ap.parse_args()
    top = os.path.dirname(HERE)
    parallels = [int(x) for x in a.parallel.split(",") if x]

    present = []
    for name, op, method, address in PLUGINS:
        exe = os.path.join(a.builddir, "plugins", name)
        if os.access(exe, os.X_OK):
            present.append((name, op, method, address, exe))
        else:
            print("note: %s not built (no %s), skipped" % (name, exe))
    if not present:
        print("no plugin built; nothing to measure")
        return 1

    # SIGTERM/SIGHUP (bench_fleet.sh's trap) unwind through the finally below: no simulator left over.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(130))
    work = tempfile.mkdtemp(prefix="s3t-bench-fleet.")
    sim = Sim(work, top)
    try:
        return measure(a, sim, work, present, parallels)
    finally:
        sim.stop()
        shutil.rmtree(work, ignore_errors=True)


def measure(a, sim, work, present, parallels):
    trust = ["--ca-file", sim.ca]
    print("# simulator: tests/sim/s3tables_sim.py (TCP_NODELAY patched in, bench_stats.py sim) at %s; "
          "bucket %s (%d tables, pages of <= %d); trust: --ca-file / verify= the test CA" %
          (sim.url, BUCKET, TABLES, PAGE_SIZE))

    # --- boto3: what the installed botocore knows -----------------------------------------
    boto3_ok, why = False, a.no_boto3_why or ("--no-boto3 given" if a.no_boto3 else "")
    result_file = os.path.join(work, "boto3.json")

    def loop_args(method, address):
        return [a.boto3_python, os.path.abspath(__file__), "boto3-loop", "--endpoint", sim.url, "--ca", sim.ca,
                "--bucket-arn", BUCKET_ARN, "--result", result_file] \
            + (["--aws-model", a.aws_model] if a.aws_model else []) \
            + (["--method", method, "--address", address] if method else ["--describe"])
    if a.boto3_python and not why:
        p = subprocess.run(loop_args(None, None), env=CHILD_ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            with open(result_file) as f:
                info = json.load(f)
        except (OSError, ValueError):
            info = {"error": "boto3-loop --describe failed: " + p.stdout.decode("utf-8", "replace").strip()[-300:]}
        if "error" in info:
            why = info["error"]
        else:
            print("# boto3 %s / botocore %s (%s, Python %s): s3tables %s; API %s; operations %s; "
                  "list_tables paginator: %s" % (
                      info["boto3"], info["botocore"], info["botocore_path"], info["python"],
                      "in botocore's own data" if "model_from" not in info else
                      "%s botocore's own data: model loaded from %s via botocore's Loader (extra search path, first)"
                      % ("NOT in" if info["builtin_missing"] is None else
                         "lacking " + ", ".join(info["builtin_missing"]) + " in", info["model_from"]),
                      info["api_version"],
                      ", ".join("%s %s" % (k, "yes" if v else "MISSING") for k, v in info["operations"].items()),
                      "yes" if info["paginator_list_tables"] else "MISSING"))
            boto3_ok = all(info["operations"].values()) and info["paginator_list_tables"]
            if not boto3_ok:
                why = "botocore's s3tables model lacks an operation or the list_tables paginator"
    elif not a.boto3_python:
        why = why or "--boto3-python ''"
    if not boto3_ok:
        print("# boto3 column SKIPPED: " + why)

    # --- the commands -----------------------------------------------------------------------
    cmds = []  # (plugin, kind, label, argv, check(rc, out) for plugin rows)

    def fleet_ok(rc, out):
        first = out.splitlines()[0] if out else ""
        return rc == 2 and " - 12 of %d tables critical" % TABLES in first and "not_checked=0;" in first

    for name, op, method, address, exe in present:
        for par in parallels:
            cmds.append((name, ("fleet", par), "%s --all-tables --parallel %d" % (name, par),
                         [exe, "-b", BUCKET_ARN, "--all-tables", "--parallel", str(par), "-t", "300",
                          "--endpoint-url", sim.url] + trust, fleet_ok))
        if boto3_ok:
            cmds.append((name, ("boto3",), "boto3 loop: %s per table" % method, loop_args(method, address), None))
        single = (["-a", BUCKET_ARN + "/table/ns_a-tbl_0000"] if address == "arn"
                  else ["-b", BUCKET_ARN, "-n", "ns_a", "-N", "tbl_0000"])
        cmds.append((name, ("single",), "%s, one table (fresh process)" % name,
                     [exe] + single + ["--endpoint-url", sim.url] + trust,
                     lambda rc, out: rc == 0 and " OK" in (out.splitlines() or [""])[0]))

    # Sanity: each plugin command answers as expected before it is timed.
    bad = False
    for name, kind, label, argv, expect in cmds:
        if expect is None:
            continue
        good, line = check_once(argv, expect)
        print("check %-58s %s %s" % (label, "ok  " if good else "FAIL", line[:110]))
        bad |= not good
    if bad:
        print("a command did not give the expected answer; not measuring")
        return 1

    samples = {i: [] for i in range(len(cmds))}
    failures = {i: [] for i in range(len(cmds))}
    for it in range(a.warmup + a.runs):
        for i, (name, kind, label, argv, expect) in enumerate(cmds):
            if kind[0] == "boto3" and os.path.exists(result_file):
                os.unlink(result_file)
            c0 = sim.counters()
            rc, wall, ru = spawn_wait(argv)
            d = delta(c0, sim.counters())
            s = {"wall": wall * 1000.0, "cpu": (ru.ru_utime + ru.ru_stime) * 1000.0, **d}
            want_rc = 2 if kind[0] == "fleet" else 0
            if kind[0] == "boto3":
                try:
                    with open(result_file) as f:
                        s.update(json.load(f))
                except (OSError, ValueError):
                    s["error"] = "no result"
                if "error" in s or s.get("tables") != TABLES or s.get("failed") != 12 or s.get("errors"):
                    failures[i].append("boto3 loop: %s" % {k: s.get(k) for k in ("error", "tables", "failed", "errors")})
            if rc != want_rc:
                failures[i].append("exit %d (want %d)" % (rc, want_rc))
            if it >= a.warmup:
                samples[i].append(s)
        print("# iteration %d/%d done (%s), load %s" % (
            it + 1, a.warmup + a.runs, "warm-up" if it < a.warmup else "measured", os.getloadavg()[0]))

    report(a, cmds, samples, failures, parallels, boto3_ok, why)
    return 0 if not any(failures.values()) else 1


def report(a, cmds, samples, failures, parallels, boto3_ok, why):
    print()
    print("%d runs each after %d warm-up, medians; commands interleaved round-robin; loopback HTTPS; "
          "%d tables" % (a.runs, a.warmup, TABLES))
    hdr = "%-56s %9s %9s %11s %8s %6s  %s" % ("command", "wall ms", "cpu ms", "cpu ms/tbl", "requests",
                                               "TLS", "requests by operation")
    print(hdr)
    print("-" * len(hdr))
    verdicts = []
    groups = []
    for name in dict.fromkeys(c[0] for c in cmds):
        groups.append((name, [i for i, c in enumerate(cmds) if c[0] == name]))
    for name, idx in groups:
        boto = next((i for i in idx if cmds[i][1][0] == "boto3"), None)
        one = next((i for i in idx if cmds[i][1][0] == "single"), None)
        one_cpu = med([x["cpu"] for x in samples[one]]) if one is not None else float("nan")
        bl = bw = None
        if boto is not None:
            s = samples[boto]
            bl = med([x["loop_cpu_ms"] for x in s])
            bw = med([x["cpu"] for x in s])
        for i in idx:
            kind, label = cmds[i][1], cmds[i][2]
            s = samples[i]
            wall, cpu = med([x["wall"] for x in s]), med([x["cpu"] for x in s])
            req, tls = med([x["requests"] for x in s]), med([x["tls_handshakes"] for x in s])
            ops = {}
            for x in s:
                for k, v in x["ops"].items():
                    ops.setdefault(k, []).append(v)
            opstxt = " ".join("%s=%g" % (k, med(v)) for k, v in sorted(ops.items()))
            fails = (" (FAILED: %s)" % "; ".join(sorted(set(failures[i])))[:200]) if failures[i] else ""
            if kind[0] == "boto3":
                lw = med([x["loop_wall_ms"] for x in s])
                print("%-56s %9.1f %9.1f %11.3f %8g %6g  %s%s" % (
                    "boto3 loop only (listing + calls, getrusage)", lw, bl, bl / TABLES, req, tls, opstxt, fails))
                print("%-56s %9.1f %9.1f %11.3f %8s %6s  interpreter %.0f + import boto3 %.0f + client %.0f ms CPU" % (
                    "  same boto3 process, whole (wait4): incl. import+client", wall, bw, bw / TABLES, "", "",
                    med([x["startup_cpu_ms"] for x in s]), med([x["import_cpu_ms"] for x in s]),
                    med([x["client_cpu_ms"] for x in s])))
                continue
            per = cpu / TABLES if kind[0] == "fleet" else cpu
            print("%-56s %9.1f %9.1f %11.3f %8g %6g  %s%s" % (label, wall, cpu, per, req, tls, opstxt, fails))
            if kind[0] == "single":
                print("  one table per process: %.1f ms CPU; %d such processes would cost %.1f s CPU, %d TLS handshakes"
                      % (cpu, TABLES, cpu * TABLES / 1000.0, TABLES))
                continue
            par = kind[1]
            pages = med([x["ops"].get("ListTables", 0) for x in s])
            status = med([sum(v for k, v in x["ops"].items() if k != "ListTables") for x in s])
            goals = [("cpu/table<=%gms" % TARGET_CPU_MS_PER_TABLE, per <= TARGET_CPU_MS_PER_TABLE),
                     ("tls<=parallel", tls <= par),
                     ("one request per table", status == TABLES and req == TABLES + pages)]
            extra = ", %.3f ms/table beyond a one-table process" % ((cpu - one_cpu) / TABLES)
            if boto is not None:
                goals.insert(1, (">=%gx less cpu than boto3 loop" % TARGET_BOTO3_RATIO, bl / cpu >= TARGET_BOTO3_RATIO))
                extra += ", boto3 loop/plugin %.1fx (whole boto3 process/plugin %.1fx)" % (bl / cpu, bw / cpu)
            else:
                extra += ", boto3 ratio not measured (%s)" % why
            missed = [g for g, ok in goals if not ok]
            if failures[i]:
                missed.append("runs failed")
            verdicts.append("VERDICT %s --parallel %d: %s (%.3f ms CPU/table, %g TLS handshakes, %g requests = "
                            "%g status + %g listing pages%s)" % (
                                name, par, ("PASS" if boto is not None else "PASS, boto3 target not judged") if not missed else "MISS " + ", ".join(missed), per, tls, req,
                                status, pages, extra))
    print()
    print("CPU: user+sys of the whole measured process (wait4) unless marked; the plugin's figure includes its "
          "start-up, the boto3 loop figure does not.")
    print("Wall: bounded by the simulator (one Python process, one thread per connection, GIL), not the client.")
    print("Machine: %d CPU(s) shared with other work (load %.2f at the end): treat the figures as upper bounds." % (
        os.cpu_count(), os.getloadavg()[0]))
    print()
    for v in verdicts:
        print(v)


if __name__ == "__main__":
    sys.exit(main())
