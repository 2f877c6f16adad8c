"""Shared machinery for the end-to-end tests (not a test itself).

Starts the simulated S3 Tables endpoint over HTTPS on loopback with a
throwaway CA, runs the built plugins against it, and reports TAP. Each
plugin run is checked for the invariants every run must keep: exit code
0-3, a first line in the spec's format, no sanitizer report, no secret in
stdout or stderr, perfdata that Icinga 2's parser accepts.

Environment: S3T_SRCDIR / S3T_BUILDDIR (set by `make check`), and
S3T_VALGRIND=1 to run every plugin under valgrind (errors fail the test).
"""
import atexit
import contextlib
import fcntl
import grp
import http.server
import itertools
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

SRCDIR = os.environ.get("S3T_SRCDIR") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILDDIR = os.environ.get("S3T_BUILDDIR") or os.path.join(SRCDIR, "build")
SIM = os.path.join(SRCDIR, "tests", "sim", "s3tables_sim.py")
GENCA = os.path.join(SRCDIR, "tests", "sim", "gen-test-ca.sh")

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "FQoGZXIvYXdzE-session-token-for-tests-0123456789SECRETTOKEN"
ACCOUNT = "111122223333"
BUCKET_ARN = "arn:aws:s3tables:us-east-1:%s:bucket/sim-bucket" % ACCOUNT

# How far past -t a run may end: 1 s, as the spec says, plus valgrind's start-up
# cost when the plugins run under it.
VALGRIND = os.environ.get("S3T_VALGRIND") == "1"
DEADLINE_SLACK = 4.0 if VALGRIND else 1.0

_count = 0
_failed = 0
_nonce = itertools.count(1)


def ok(cond, name, diag=None):
    global _count, _failed
    _count += 1
    if not cond:
        _failed += 1
    print("%sok %d - %s" % ("" if cond else "not ", _count, name))
    if not cond and diag:
        for line in str(diag).splitlines():
            print("#   " + line)
    sys.stdout.flush()
    return cond


def is_(got, want, name):
    return ok(got == want, name, "got:      %r\nexpected: %r" % (got, want))


def like(got, pattern, name):
    return ok(got is not None and re.search(pattern, got) is not None, name,
              "got:      %r\npattern:  %r" % (got, pattern))


def done():
    print("1..%d" % _count)
    sys.exit(1 if _failed or _count == 0 else 0)


def table_arn(scenario, region="us-east-1"):
    """A table ARN that selects a simulator scenario, with a fresh nonce."""
    return "arn:aws:s3tables:%s:%s:bucket/sim-bucket/table/%s__n%d" % (
        region, ACCOUNT, scenario, next(_nonce))


def bucket_arn(bucket, region="us-east-1"):
    """A simulator bucket: fleet-mixed, fleet-large, ..., sim-bucket, list-<scenario>
    (tests/sim/README.md, "Fleet buckets")."""
    return "arn:aws:s3tables:%s:%s:bucket/%s" % (region, ACCOUNT, bucket)


def fleet_table_arn(bucket, namespace, name, region="us-east-1"):
    """The ARN the simulator lists for table namespace.name of a fleet bucket."""
    return bucket_arn(bucket, region) + "/table/%s-%s" % (namespace, name)


def fresh(scenario):
    """A table name that selects a scenario, with a fresh nonce."""
    return "%s__n%d" % (scenario, next(_nonce))


class Canned:
    """A plain-HTTP stub answering every GET with one fixed JSON body (for answers the
    simulator has no scenario for); it checks nothing, so only the evaluation is tested."""

    def __init__(self, body):
        data = json.dumps(body).encode()

        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def near(value, want, tol, name):
    """A numeric perfdata value within tol of want."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ok(False, name, "no numeric value: %r" % (value,))
    return ok(abs(v - want) <= tol, name, "got %s, want %s±%s" % (v, want, tol))

def find_binary(candidates):
    for c in candidates:
        if os.access(c, os.X_OK):
            return c
    return None


def skip_all(reason):
    """The whole test skipped, with the reason (TAP plan 1..0)."""
    print("1..0 # SKIP %s" % reason)
    sys.exit(0)


def tempdir(prefix):
    """A private temporary directory, removed at exit unless S3T_KEEP_TMP is set."""
    d = tempfile.mkdtemp(prefix=prefix)
    if not os.environ.get("S3T_KEEP_TMP"):
        atexit.register(shutil.rmtree, d, True)
    return d


def stop_group(proc, grace=10):
    """Stop a daemon started with start_new_session=True and every process of its group."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(grace)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(5)


def root_prefix():
    """[] as root, ["sudo", "-n"] with password-less sudo, else None."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL).returncode == 0:
        return ["sudo", "-n"]
    return None


@contextlib.contextmanager
def package_lock():
    """One apt-get or dpkg at a time across the tests of a parallel `make check`."""
    with open(os.path.join(tempfile.gettempdir(), "s3t-apt.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def apt_install(packages):
    """Install Debian packages with apt-get (root or sudo -n); '' on success, else why not."""
    if not shutil.which("apt-get"):
        return "apt-get not available"
    prefix = root_prefix()
    if prefix is None:
        return "not root and no password-less sudo"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = prefix + ["apt-get", "install", "-y", "-q", "--no-install-recommends",
                        "-o", "DPkg::Lock::Timeout=300"] + list(packages)
    with package_lock():
        log = []
        for cmd in (install, prefix + ["apt-get", "update", "-q"], install):
            try:
                p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   timeout=600)
            except subprocess.TimeoutExpired:
                return "%s timed out" % " ".join(cmd)
            log.append(p.stdout.decode("utf-8", "replace"))
            if p.returncode == 0 and cmd is install:
                return ""
        return "apt-get install %s failed: %s" % (" ".join(packages), log[-1].strip().splitlines()[-1:])


def unprivileged():
    """A command prefix that runs a command as the unprivileged user nobody (65534) when the
    tests run as root (CI does), so permission cases still test something: [] when not root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv"):
        return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    return ["runuser", "-u", "nobody", "--"]


def akids_seen(sim, since=0, needle=None):
    """(access key id, the simulator's auth verdict) of each request it logged since entry `since`
    (of those whose path or query contains needle, if given)."""
    out = []
    for rec in sim.requests(needle)[since:]:
        auth = dict((k.lower(), v) for k, v in rec.get("headers", [])).get("authorization", "")
        m = re.search(r"Credential=([^/]+)/", auth)
        out.append((m.group(1) if m else None, rec.get("auth")))
    return out


_fakes = []


def _stop_fakes():
    for p in _fakes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


atexit.register(_stop_fakes)


def start_fake(script, workdir, args=()):
    """Start tests/<script> (fake_sts.py, fake_metadata.py, fake_sso.py) on loopback with
    --port 0 --port-file --log in workdir (created); returns (port, log path). Stopped at exit."""
    os.makedirs(workdir)
    port_file, log = os.path.join(workdir, "port"), os.path.join(workdir, "log")
    p = subprocess.Popen([sys.executable, os.path.join(SRCDIR, "tests", script), "--port", "0", "--port-file",
                          port_file, "--log", log] + list(args),
                         stdout=subprocess.DEVNULL, stderr=open(os.path.join(workdir, "stderr"), "w"))
    _fakes.append(p)
    for _ in range(200):
        if os.path.exists(port_file) and open(port_file).read().strip():
            return int(open(port_file).read().strip()), log
        if p.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError("%s did not start: %s" % (script, open(os.path.join(workdir, "stderr")).read()))


ICINGA2_CANDIDATES = ("/usr/sbin/icinga2", "/usr/bin/icinga2")


class Icinga2Layout:
    """A throwaway Icinga 2 tree in tmp (etc, data, log, cache, spool, run), the -D defines
    that point a daemon at it running as the current user, and that daemon's environment:
    no AWS setting (plugins get theirs from the CheckCommands' env), no instance metadata
    service, HOME in tmp. The system's /etc/icinga2 is never read."""

    def __init__(self, tmp):
        self.dirs = {k: os.path.join(tmp, k) for k in ("etc", "data", "log", "cache", "spool", "run")}
        for d in self.dirs.values():
            os.makedirs(d, exist_ok=True)
        user = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        self.defines = ["-DDataDir=" + self.dirs["data"], "-DLogDir=" + self.dirs["log"],
                        "-DCacheDir=" + self.dirs["cache"], "-DSpoolDir=" + self.dirs["spool"],
                        "-DInitRunDir=" + self.dirs["run"], "-DRunAsUser=" + user, "-DRunAsGroup=" + group]
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.env.update(HOME=tmp, ICINGA2_USER=user, ICINGA2_GROUP=group, AWS_EC2_METADATA_DISABLED="true")

    def validate(self, icinga2, name, text, timeout=60):
        """Write text as etc/NAME and run `icinga2 daemon -C` on it: (exit code, output)."""
        path = os.path.join(self.dirs["etc"], name)
        with open(path, "w") as f:
            f.write(text)
        p = subprocess.run([icinga2, "daemon", "-C", "-c", path] + self.defines, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, env=self.env, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace")


class Simulator:
    def __init__(self, extra_args=()):
        self.dir = tempfile.mkdtemp(prefix="s3t-e2e-")
        atexit.register(shutil.rmtree, self.dir, True)
        subprocess.run(["sh", GENCA, self.dir], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        self.ca = os.path.join(self.dir, "ca.pem")
        self.capath = os.path.join(self.dir, "capath")
        self.log = os.path.join(self.dir, "requests.log")
        self.counters_file = os.path.join(self.dir, "counters.json")
        port_file = os.path.join(self.dir, "port")
        self.proc = subprocess.Popen(
            [sys.executable, SIM, "--cert", os.path.join(self.dir, "server.pem"),
             "--key", os.path.join(self.dir, "server.key"), "--port", "0",
             "--port-file", port_file, "--log", self.log, "--lifetime", "900",
             "--counters", self.counters_file,
             "--credentials", "%s:%s" % (ACCESS_KEY, SECRET_KEY),
             "--credentials", "ASIATEMPEXAMPLE:tempsecretEXAMPLEKEY0123456789abcdefghij:" + SESSION_TOKEN]
            + list(extra_args),
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, "sim.err"), "w"))
        atexit.register(self.stop)
        for _ in range(200):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            if self.proc.poll() is not None:
                raise RuntimeError("simulator exited: " + open(os.path.join(self.dir, "sim.err")).read())
            time.sleep(0.05)
        self.port = int(open(port_file).read().strip())
        self.url = "https://127.0.0.1:%d" % self.port

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def counters(self):
        """The simulator's running totals (tests/sim/README.md, "Counters"): requests,
        operations {op: n}, statuses, connections, tls_handshakes, max_in_flight,
        max_in_flight_by_bucket, throttled. Take one before and one after a run and
        subtract."""
        with open(self.counters_file) as f:
            return json.load(f)

    def requests(self, needle=None):
        """Logged requests, optionally only those whose path or query contains needle."""
        out = []
        if not os.path.exists(self.log):
            return out
        with open(self.log) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                rec = json.loads(line)
                text = (rec.get("path") or "") + "?" + (rec.get("query") or "")
                if needle is None or needle in text or needle.replace(":", "%3A").replace("/", "%2F") in text:
                    out.append(rec)
        return out


# Icinga 2's PerfdataValue::Parse, condensed: label (optionally quoted), '=',
# a decimal value with an optional unit, then up to four ';'-separated decimals
# or ranges. Anything else makes Icinga log "invalid perfdata".
_PERF_ITEM = re.compile(
    r"""^(?:'[^']+'|[^'= ]+)=(-?\d+(?:\.\d+)?)([a-zA-Z%]*)"""
    r"""(?:;([~@0-9.:-]*)(?:;([~@0-9.:-]*)(?:;(-?[0-9.]*)(?:;(-?[0-9.]*))?)?)?)?$""")
_PERF_SPLIT = re.compile(r"""(?:'[^']*'|[^ ])+""")
ICINGA_UNITS = {"", "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c"}


class Result:
    def __init__(self, rc, out, err, elapsed):
        self.rc, self.out, self.err, self.elapsed = rc, out, err, elapsed
        lines = out.split("\n")
        self.first = lines[0]
        self.long = [l for l in lines[1:] if l != ""]
        if " | " in self.first:
            self.summary, self.perftext = self.first.split(" | ", 1)
        else:
            self.summary, self.perftext = self.first, ""
        self.perf = {}
        for item in _PERF_SPLIT.findall(self.perftext):
            label, _, rest = item.rpartition("=") if item.startswith("'") else item.partition("=")
            self.perf[label.strip("'")] = rest

    def value(self, label):
        """Numeric value of a perfdata item (without unit), or None."""
        raw = self.perf.get(label)
        if raw is None:
            return None
        m = re.match(r"-?\d+(?:\.\d+)?", raw)
        return m.group(0) if m else None

    def __repr__(self):
        return "rc=%s\nstdout:\n%s\nstderr:\n%s" % (self.rc, self.out, self.err[-2000:])


def perfdata_problems(perftext):
    probs = []
    for item in _PERF_SPLIT.findall(perftext):
        m = _PERF_ITEM.match(item)
        if not m:
            probs.append("unparseable: %r" % item)
        elif m.group(2) not in ICINGA_UNITS:
            probs.append("unknown unit in %r" % item)
    return probs


def run(plugin, args, sim=None, env=None, timeout=30, creds=True, check_invariants=True, name="", plugindir=None):
    """One plugin run (from the build, or from plugindir: an installed package's); given a path
    such as "discover/s3tables-discover", that program of the build."""
    exe = (os.path.join(BUILDDIR, plugin) if "/" in plugin
           else os.path.join(plugindir or os.path.join(BUILDDIR, "plugins"), plugin))
    cmd = [exe] + list(args)
    if sim is not None:
        cmd += ["--endpoint-url", sim.url, "--ca-file", sim.ca]
    if os.environ.get("S3T_VALGRIND") == "1":
        # Under valgrind a run is 5-50 times slower (more on a loaded machine): a run that
        # does not test the deadline gets one that leaves room for it. Memory errors are
        # what this pass is for; the deadline itself is tested without valgrind.
        if not any(a in ("-t", "--timeout") or str(a).startswith("--timeout=") for a in args):
            cmd += ["-t", "60"]
            timeout = max(timeout, 150)
        cmd = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
               "--errors-for-leak-kinds=definite,indirect"] + cmd
    e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    e["HOME"] = os.environ.get("S3T_TEST_HOME", "/nonexistent")
    # The instance metadata service is a real network address: tests never reach
    # for it (the IMDS tests point AWS_EC2_METADATA_SERVICE_ENDPOINT at loopback).
    e["AWS_EC2_METADATA_DISABLED"] = "true"
    if creds:
        e["AWS_ACCESS_KEY_ID"] = ACCESS_KEY
        e["AWS_SECRET_ACCESS_KEY"] = SECRET_KEY
    e.update(env or {})
    start = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, timeout=timeout)
    r = Result(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"),
               time.monotonic() - start)
    if check_invariants:
        invariants(r, plugin, name or " ".join(args[:2]))
    return r


CHECK_NAMES = {"check_s3tables_replication": "REPLICATION",
               "check_s3tables_expiration": "EXPIRATION",
               "check_s3tables_maintenance": "MAINTENANCE"}


def invariants(r, plugin, name):
    """What every run must keep, whatever the scenario. Silent when all hold."""
    problems = []
    if r.rc not in (0, 1, 2, 3):
        problems.append("exit code %s outside 0-3" % r.rc)
    states = {0: "OK", 1: "WARNING", 2: "CRITICAL", 3: "UNKNOWN"}
    prefix = "S3TABLES %s %s" % (CHECK_NAMES[plugin], states.get(r.rc, "?"))
    if not (r.first == prefix or r.first.startswith(prefix + " - ")):
        problems.append("first line does not start with %r" % prefix)
    for marker in ("AddressSanitizer", "LeakSanitizer", "runtime error:", "==ERROR", "definitely lost"):
        if marker in r.err:
            problems.append("sanitizer/valgrind report on stderr: %s" % marker)
    for secret in (SECRET_KEY, SESSION_TOKEN, "tempsecretEXAMPLEKEY0123456789abcdefghij"):
        if secret in r.out or secret in r.err:
            problems.append("a secret appears in the output")
    if r.first.count("|") > 1:
        problems.append("more than one '|' on the first line")
    for l in r.long:
        if "|" in l:
            problems.append("'|' in long output: %r" % l)
    problems += perfdata_problems(r.perftext)
    if problems:
        ok(False, "%s: run invariants" % name, "\n".join(problems) + "\n" + repr(r))


# --- a throwaway Nagios 4 (tests/nagios_config_check.py, tests/e2e_nagios.py) ---
NAGIOS_CANDIDATES = ("/usr/sbin/nagios4", "/usr/bin/nagios4")

# What the shipped Nagios files expect from the site's configuration: a
# timeperiod, a contact and the generic-host / generic-service templates of
# Debian's sample config (notifications off).
NAGIOS_BASE = """
define timeperiod {
    timeperiod_name 24x7
    alias           always
    sunday          00:00-24:00
    monday          00:00-24:00
    tuesday         00:00-24:00
    wednesday       00:00-24:00
    thursday        00:00-24:00
    friday          00:00-24:00
    saturday        00:00-24:00
}
define command {
    command_name    s3t-notify
    command_line    /bin/true
}
define contact {
    contact_name                    s3t-admin
    alias                           test admin
    host_notifications_enabled      0
    service_notifications_enabled   0
    host_notification_period        24x7
    service_notification_period     24x7
    host_notification_options       n
    service_notification_options    n
    host_notification_commands      s3t-notify
    service_notification_commands   s3t-notify
}
define host {
    name                    generic-host
    register                0
    max_check_attempts      3
    check_period            24x7
    contacts                s3t-admin
    notification_interval   0
    notification_period     24x7
}
define service {
    name                    generic-service
    register                0
    max_check_attempts      3
    check_interval          5
    retry_interval          1
    check_period            24x7
    contacts                s3t-admin
    notification_interval   0
    notification_period     24x7
}
"""


def nagios_binary():
    """(path of nagios4, '') or (None, why not), installing Debian's nagios4-core when missing."""
    nagios = find_binary(NAGIOS_CANDIDATES)
    why = ""
    if nagios is None:
        why = apt_install(["nagios4-core"])
        nagios = find_binary(NAGIOS_CANDIDATES)
    return nagios, ("" if nagios else (why or "no nagios4 binary after installing nagios4-core"))


def nagios_config(tmp, cfg_files, resource, extra=""):
    """A nagios.cfg with everything (logs, status, spool, command pipe) under tmp, loading
    NAGIOS_BASE and cfg_files, with resource (the resource file's text). Nagios runs as the
    current user (nagios_user: it drops to that user even for -v; tmp is ours only).
    extra: more main-config lines (later lines win). Returns the nagios.cfg path."""
    for d in ("spool/checkresults", "var"):
        os.makedirs(os.path.join(tmp, d), exist_ok=True)
    for name, text in (("base.cfg", NAGIOS_BASE), ("resource.cfg", resource)):
        with open(os.path.join(tmp, name), "w") as f:
            f.write(text)
    main = os.path.join(tmp, "nagios.cfg")
    with open(main, "w") as f:
        f.write("""nagios_user=%(user)s
nagios_group=%(group)s
log_file=%(tmp)s/var/nagios.log
cfg_file=%(tmp)s/base.cfg
%(cfg)s
resource_file=%(tmp)s/resource.cfg
status_file=%(tmp)s/var/status.dat
state_retention_file=%(tmp)s/var/retention.dat
object_cache_file=%(tmp)s/var/objects.cache
precached_object_file=%(tmp)s/var/objects.precache
temp_file=%(tmp)s/var/nagios.tmp
temp_path=%(tmp)s/var
lock_file=%(tmp)s/var/nagios.lock
command_file=%(tmp)s/var/nagios.cmd
query_socket=%(tmp)s/var/nagios.qh
check_result_path=%(tmp)s/spool/checkresults
debug_file=%(tmp)s/var/nagios.debug
illegal_macro_output_chars=`~$&|'"<>
""" % dict(user=pwd.getpwuid(os.getuid()).pw_name, group=grp.getgrgid(os.getgid()).gr_name, tmp=tmp,
           cfg="\n".join("cfg_file=" + c for c in cfg_files)) + extra)
    return main
