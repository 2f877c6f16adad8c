#!/usr/bin/env python3
"""Measuring harness for tools/bench.sh (not a test; run through bench.sh).

Runs each plugin present in BUILDDIR/plugins and a `curl` baseline that sends
the same single signed HTTPS GET, each as a fresh process, interleaved
round-robin so that background load hits every command alike. Per run it takes
wall time (perf_counter around posix_spawn + wait4) and user+sys CPU from the
child's os.wait4 rusage. Peak RSS comes from a second run of the same command
under `/usr/bin/time -f %M` (Debian package `time`): a child spawned by Python
inherits Python's own RSS high-water mark in ru_maxrss, /usr/bin/time's does not.
Prints medians, the plugin/curl ratios and one verdict line per plugin.

`bench_stats.py sim SIMULATOR-ARGS...` runs tests/sim/s3tables_sim.py with
TCP_NODELAY set on each accepted socket (monkeypatched here, the simulator file
is unchanged). Without it, the simulator's separate header and body writes meet
Nagle + the client's delayed ACK, and every request, curl's too, waits ~40 ms.

Children get a clean environment: PATH, HOME=/nonexistent, LANG=C and the two
AWS credential variables; nothing else (no AWS_CA_BUNDLE, SSL_CERT_*,
CURL_CA_BUNDLE), so "system store" really means each tool's built-in default.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
ACCOUNT = "111122223333"
BUCKET_ARN = "arn:aws:s3tables:us-east-1:%s:bucket/sim-bucket" % ACCOUNT
SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
TARGET_WALL_MS = 10.0

CHILD_ENV = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/nonexistent",
    "LANG": "C",
    "AWS_ACCESS_KEY_ID": ACCESS_KEY,
    "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
}


def q(s):
    return urllib.parse.quote(s, safe="")


def plugin_specs(builddir):
    """(plugin, plugin args, request path+query for curl, note) per plugin present."""
    table = BUCKET_ARN + "/table/"
    specs = [
        ("check_s3tables_replication", ["-a", table + "repl_ok"],
         "/replication-status?tableArn=" + q(table + "repl_ok"), ""),
        ("check_s3tables_expiration", ["-a", table + "exp_ok"],
         "/table-record-expiration-job-status?tableArn=" + q(table + "exp_ok"), ""),
        # curl 7.88's SigV4 does not double-encode the path, so the simulator
        # (like AWS) answers this one with a 403 InvalidSignatureException: still
        # one full TLS handshake + signed GET + small JSON answer.
        ("check_s3tables_maintenance", ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", "maint_ok"],
         "/tables/%s/sim_ns/maint_ok/maintenance-job-status" % q(BUCKET_ARN),
         "curl gets 403 (curl 7.88 SigV4 does not double-encode the path)"),
    ]
    present, missing = [], []
    for name, args, path, note in specs:
        exe = os.path.join(builddir, "plugins", name)
        (present if os.access(exe, os.X_OK) else missing).append((name, exe, args, path, note))
    return present, missing


TIME = "/usr/bin/time"


def spawn_wait(argv):
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        fa = [(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, devnull, 1),
              (os.POSIX_SPAWN_DUP2, devnull, 2)]
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, CHILD_ENV, file_actions=fa)
        _, status, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
    finally:
        os.close(devnull)
    return os.waitstatus_to_exitcode(status), wall, ru


def measure_once(argv, rss_file):
    """(exit code, wall ms, cpu ms, peak RSS MiB or nan)"""
    rc, wall, ru = spawn_wait(argv)
    rss = float("nan")
    if rss_file:
        rc2, _, _ = spawn_wait([TIME, "-f", "%M", "-o", rss_file] + argv)
        try:
            with open(rss_file) as f:
                rss = int(f.read().split()[-1]) / 1024.0
        except (OSError, ValueError, IndexError):
            pass
        rc = rc or rc2
    return rc, wall * 1000.0, (ru.ru_utime + ru.ru_stime) * 1000.0, rss


def run_sim(argv):
    import importlib.util
    import socket
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    spec = importlib.util.spec_from_file_location(
        "s3tables_sim", os.path.join(here, "tests", "sim", "s3tables_sim.py"))
    sim = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sim)
    orig = sim.SimServer.get_request

    def get_request(self):
        sock, addr = orig(self)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, addr

    sim.SimServer.get_request = get_request
    return sim.main(argv)


def check_once(argv, expect):
    """One visible run; returns (ok, first line of output)."""
    p = subprocess.run(argv, env=CHILD_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    out = (p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")).strip()
    first = out.splitlines()[0] if out else "(no output)"
    return expect(p.returncode, out), "rc=%d %s" % (p.returncode, first[:150])


def fmt_ratio(a, b):
    return "%.2f" % (a / b) if b > 0 else "n/a"


def main():
    if sys.argv[1:2] == ["sim"]:
        return run_sim(sys.argv[2:])
    ap = argparse.ArgumentParser()
    ap.add_argument("--builddir", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ca-file", help="fallback mode: trust this CA file in both tools (not the system store)")
    ap.add_argument("--full-bundle", help="PEM bundle for the optional full-bundle comparison row")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    a = ap.parse_args()

    url = "https://127.0.0.1:%d" % a.port
    present, missing = plugin_specs(a.builddir)
    for name, *_ in missing:
        print("note: %s not built (no %s/plugins/%s), skipped" % (name, a.builddir, name))
    if not present:
        print("no plugin built; nothing to measure")
        return 1

    curl_trust = ["--cacert", a.ca_file] if a.ca_file else []
    plugin_trust = ["--ca-file", a.ca_file] if a.ca_file else []

    # groups: plugin -> list of (label, argv, expect, is_baseline/role)
    groups = []
    for name, exe, args, path, note in present:
        rows = []
        rows.append(("plugin", exe.rsplit("/", 1)[-1] + (" --ca-file CA" if a.ca_file else " (system store)"),
                     [exe] + args + ["--endpoint-url", url] + plugin_trust,
                     lambda rc, out: rc == 0 and " OK" in out.splitlines()[0] if out else False))
        want = 403 if "maintenance" in name else 200
        rows.append(("curl", "curl GET" + (" --cacert CA" if a.ca_file else " (default bundle)"),
                     ["/usr/bin/curl", "-q", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                      "--aws-sigv4", "aws:amz:us-east-1:s3tables", "--user", ACCESS_KEY + ":" + SECRET_KEY]
                     + curl_trust + [url + path],
                     lambda rc, out, want=want: out.strip().endswith(str(want))))
        if a.full_bundle:
            rows.append(("bundle", "  same plugin, --ca-file full bundle (%d KiB)" % (os.path.getsize(a.full_bundle) // 1024),
                         [exe] + args + ["--endpoint-url", url, "--ca-file", a.full_bundle],
                         lambda rc, out: rc == 0 and " OK" in out.splitlines()[0] if out else False))
        groups.append((name, note, rows))

    # Sanity: every command must do what we think before we time it.
    bad = False
    for name, note, rows in groups:
        for role, label, argv, expect in rows:
            good, line = check_once(argv, expect)
            print("check %-8s %-40s %s %s" % (role, name if role != "curl" else "(" + name + ")",
                                              "ok  " if good else "FAIL", line))
            bad |= not good
    if bad:
        print("a command did not give the expected answer; not measuring")
        return 1

    rss_file = None
    if os.access(TIME, os.X_OK):
        import tempfile
        fd, rss_file = tempfile.mkstemp(prefix="s3t-bench-rss.")
        os.close(fd)
    else:
        print("note: %s not installed (Debian package 'time'): no peak RSS figures" % TIME)

    cmds = [(gi, ri) for gi, (_, _, rows) in enumerate(groups) for ri in range(len(rows))]
    samples = {c: [] for c in cmds}
    failures = {c: 0 for c in cmds}
    for it in range(a.warmup + a.runs):
        for c in cmds:  # round-robin: plugin, curl, plugin, curl, ...
            argv = groups[c[0]][2][c[1]][2]
            rc, wall, cpu, rss = measure_once(argv, rss_file)
            if it >= a.warmup:
                samples[c].append((wall, cpu, rss))
                if rc != 0:  # every command exits 0 when it worked (curl too, without -f)
                    failures[c] += 1

    if rss_file:
        os.unlink(rss_file)
    print()
    print("%d runs each (after %d warm-up), medians; fresh process per run; loopback HTTPS" % (a.runs, a.warmup))
    hdr = "%-52s %9s %9s %10s %8s %8s %8s" % ("command", "wall ms", "cpu ms", "maxrss MiB",
                                             "wall/c", "cpu/c", "rss/c")
    print(hdr)
    print("-" * len(hdr))
    verdicts = []
    for gi, (name, note, rows) in enumerate(groups):
        med = {}
        for ri, (role, label, argv, expect) in enumerate(rows):
            s = samples[(gi, ri)]
            med[role] = tuple(statistics.median(x[k] for x in s) for k in range(3))
        cw, cc, cr = med["curl"]
        for ri, (role, label, argv, expect) in enumerate(rows):
            w, c, r = med[role]
            ratios = ("%8s %8s %8s" % (fmt_ratio(w, cw), fmt_ratio(c, cc), fmt_ratio(r, cr))
                      if role != "curl" else "%8s %8s %8s" % ("1", "1", "1"))
            fails = failures[(gi, ri)]
            print("%-52s %9.2f %9.2f %10.2f %s%s" % (label[:52], w, c, r, ratios,
                                                     "  (%d non-zero exits)" % fails if fails else ""))
        if note:
            print("  note: " + note)
        pw, pc, pr = med["plugin"]
        goals = [("wall<=curl", pw <= cw), ("cpu<=curl", pc <= cc),
                 ("wall<%gms" % TARGET_WALL_MS, pw < TARGET_WALL_MS)]
        if pr == pr:  # not nan
            goals.insert(2, ("rss<=curl", pr <= cr))
        missed = [g for g, ok in goals if not ok]
        verdicts.append("VERDICT %s: %s (wall %.2f ms vs curl %.2f, cpu %.2f vs %.2f, rss %.1f vs %.1f MiB)%s"
                        % (name, "PASS" if not missed else "MISS " + ",".join(missed),
                           pw, cw, pc, cc, pr, cr,
                           "" if not a.ca_file else " [--ca-file fallback, NOT the system-store measurement]"))
    # Context for the 10 ms target: what starting the binary costs without any request.
    floor = []
    for argv in ([present[0][1], "--version"], ["/bin/true"]):
        r = [measure_once(argv, None) for _ in range(a.warmup + a.runs)][a.warmup:]
        floor.append("%s %.2f ms wall / %.2f ms cpu" % (
            " ".join(x.rsplit("/", 1)[-1] for x in argv),
            statistics.median(x[1] for x in r), statistics.median(x[2] for x in r)))
    print("process floor (no request): " + "; ".join(floor))
    print()
    for v in verdicts:
        print(v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
