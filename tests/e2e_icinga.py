"""End to end in a real Icinga 2: the shipped CheckCommands run the built plugins.

Starts a throwaway icinga2 daemon as the current user, on loopback only, with
everything (config, state, logs, API certificates) in a temporary directory;
the system's /etc/icinga2 and its service are never used. The config includes
contrib/icinga2/s3tables.conf from the source tree with PluginDir pointing at
the build's plugins, and defines one service per scenario against the
simulated S3 Tables endpoint, with the credentials passed only through the
CheckCommand's env. It forces every check through the REST API, then asserts
what Icinga recorded: state, the executed command line (no secret on it),
output (equal, modulo digits, to a direct run of the plugin with the same
options), performance data (every metric, parsed by a real GraphiteWriter
without an "invalid perfdata" complaint). It also validates
contrib/icinga2/example-services.conf with `icinga2 daemon -C`, and schedules
the file s3tables-discover writes for a simulator bucket (its Host importing a
template that points at the simulator): every discovered service runs its
plugin with the options its check takes and is OK.

Installs Debian's icinga2 if it is missing (as root, or with sudo -n); skips
only when that is impossible.
"""
import atexit
import base64
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402
from e2e import (ACCESS_KEY, BUCKET_ARN, SECRET_KEY, SESSION_TOKEN, Simulator, apt_install,  # noqa: E402
                 find_binary, fresh, is_, ok, table_arn)

NODE = "s3t-icinga-test"
CONF = os.path.join(e2e.SRCDIR, "contrib", "icinga2", "s3tables.conf")
EXAMPLE = os.path.join(e2e.SRCDIR, "contrib", "icinga2", "example-services.conf")
PLUGINDIR = os.path.join(e2e.BUILDDIR, "plugins")
DEADLINE = time.monotonic() + 90        # hard bound for everything after installation


def skip_all(reason):
    print("1..0 # SKIP %s" % reason)
    sys.exit(0)


def skip(name, reason):
    e2e.ok(True, "%s # SKIP %s" % (name, reason))


icinga2 = find_binary(e2e.ICINGA2_CANDIDATES)
if icinga2 is None:
    why = apt_install(["icinga2"])
    icinga2 = find_binary(e2e.ICINGA2_CANDIDATES)
    if icinga2 is None:
        skip_all("icinga2 is not installed and could not be installed (%s)" % (why or "no binary after install"))
if not shutil.which("openssl"):
    skip_all("openssl is needed for the API certificates")

TMP = tempfile.mkdtemp(prefix="s3t-icinga-")
if not os.environ.get("S3T_KEEP_TMP"):
    atexit.register(shutil.rmtree, TMP, True)
LAYOUT = e2e.Icinga2Layout(TMP)
DIRS, DEFINES, DAEMON_ENV = LAYOUT.dirs, LAYOUT.defines, LAYOUT.env


def q(s):
    """An Icinga 2 DSL string literal."""
    return json.dumps(str(s))


def remaining(cap):
    return max(0.5, min(cap, DEADLINE - time.monotonic()))


# --- 1. the shipped examples are valid Icinga 2 configuration ---------------
rc, vout = LAYOUT.validate(icinga2, "validate.conf",
                           'const PluginDir = %s\nconst NodeName = %s\nconst ZoneName = NodeName\n'
                           'include <itl>\ninclude %s\ninclude %s\n' % (q(PLUGINDIR), q(NODE), q(CONF), q(EXAMPLE)),
                           timeout=remaining(60))
ok(rc == 0 and "Finished validating the configuration" in vout,
   "icinga2 daemon -C accepts s3tables.conf and example-services.conf", vout[-3000:])
ok(not re.search(r"^\S+ (warning|critical)/", vout, re.M) and " warning/" not in vout,
   "validation logs no warning or critical", vout[-3000:])
m = re.search(r"Instantiated (\d+) Services?\.", vout)
is_(m and int(m.group(1)), 5,
    "the example's apply rules create one service per table and configured check, plus the bucket-wide one")

# --- 2. a throwaway daemon with the API and a Graphite writer on loopback ----
def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   timeout=remaining(30))


certs = os.path.join(DIRS["data"], "certs")
os.makedirs(certs)
ca_key, ca_crt = os.path.join(TMP, "ca.key"), os.path.join(certs, "ca.crt")
node_key, node_crt, node_csr = (os.path.join(certs, NODE + ext) for ext in (".key", ".crt", ".csr"))
openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca_crt, "-days", "2",
        "-subj", "/CN=s3t-icinga-test-ca")
openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", node_key, "-out", node_csr, "-subj", "/CN=" + NODE)
ext = os.path.join(TMP, "san.ext")
with open(ext, "w") as f:
    f.write("subjectAltName=DNS:%s,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n" % NODE)
openssl("x509", "-req", "-in", node_csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial", "-out", node_crt,
        "-days", "2", "-extfile", ext)


class Graphite:
    """A Graphite plaintext receiver: collects 'path value timestamp' lines."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.lines = []
        self.lock = threading.Lock()
        self.connected = threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connected.set()
            threading.Thread(target=self.read, args=(conn,), daemon=True).start()

    def read(self, conn):
        buf = b""
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            buf += data
            *complete, buf = buf.split(b"\n")
            with self.lock:
                self.lines += [l.decode("utf-8", "replace") for l in complete]

    def metrics(self, prefix):
        with self.lock:
            return {l.split(" ")[0][len(prefix):] for l in self.lines if l.startswith(prefix)}


sim = Simulator()
graphite = Graphite()
api_port = free_port()
api_password = base64.b16encode(os.urandom(12)).decode()
DR = "arn:aws:s3tables:%s:111122223333:bucket/%s"
FLEET_ARN = "arn:aws:s3tables:us-east-1:111122223333:bucket/fleet-mixed"
PROFILE_FILE = os.path.join(TMP, "aws-credentials")
with open(PROFILE_FILE, "w") as f:
    f.write("[s3t-monitoring]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (ACCESS_KEY, SECRET_KEY))
PROFILE_ENV = {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SHARED_CREDENTIALS_FILE": PROFILE_FILE,
               "AWS_PROFILE": "s3t-monitoring", "AWS_EC2_METADATA_DISABLED": "true"}

# (service, plugin, options without endpoint/CA, Icinga vars, expected state)
SERVICES = [
    ("repl-ok", "check_s3tables_replication", ["-a", table_arn("repl_ok")],
     {"s3tables_table_arn": None}, 0),
    ("repl-ok-destinations", "check_s3tables_replication",
     ["-a", table_arn("repl_ok"), "--destination", DR % ("us-west-2", "dr-a"), "--destination", DR % ("eu-west-1", "dr-b")],
     {"s3tables_table_arn": None, "s3tables_replication_destinations": [DR % ("us-west-2", "dr-a"), DR % ("eu-west-1", "dr-b")]}, 0),
    ("repl-missing-destination", "check_s3tables_replication",
     ["-a", table_arn("repl_ok"), "--destination", DR % ("us-west-2", "dr-a"), "--destination", DR % ("ap-south-1", "dr-x")],
     {"s3tables_table_arn": None, "s3tables_replication_destinations": [DR % ("us-west-2", "dr-a"), DR % ("ap-south-1", "dr-x")]}, 2),
    ("repl-profile", "check_s3tables_replication", ["-a", table_arn("repl_ok")],
     {"s3tables_table_arn": None, "s3tables_aws_access_key_id": "", "s3tables_aws_secret_access_key": "",
      "s3tables_aws_shared_credentials_file": PROFILE_FILE, "s3tables_aws_profile": "s3t-monitoring"}, 0),
    ("repl-pending-2h-warning", "check_s3tables_replication", ["-a", table_arn("repl_pending_2h"), "-w", "1h", "-c", "3h"],
     {"s3tables_table_arn": None, "s3tables_replication_warning": "1h", "s3tables_replication_critical": "3h"}, 1),
    ("repl-pending-2h-critical", "check_s3tables_replication", ["-a", table_arn("repl_pending_2h"), "-w", "30m", "-c", "1h"],
     {"s3tables_table_arn": None, "s3tables_replication_warning": "30m", "s3tables_replication_critical": "1h"}, 2),
    ("repl-failed", "check_s3tables_replication", ["-a", table_arn("repl_failed")], {"s3tables_table_arn": None}, 2),
    ("repl-forbidden", "check_s3tables_replication", ["-a", table_arn("forbidden")], {"s3tables_table_arn": None}, 3),
    ("repl-by-name", "check_s3tables_replication", ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", fresh("repl_pending_2h"),
                                                    "--verbose", "-w", "3h", "--max-attempts", "2", "-t", "8"],
     {"s3tables_table_bucket_arn": None, "s3tables_namespace": None, "s3tables_table": None, "s3tables_verbose": True,
      "s3tables_replication_warning": "3h", "s3tables_max_attempts": 2, "s3tables_timeout": "8"}, 0),
    ("exp-ok", "check_s3tables_expiration", ["-a", table_arn("exp_ok"), "-w", "2h", "-c", "1d"],
     {"s3tables_table_arn": None, "s3tables_expiration_warning": "2h", "s3tables_expiration_critical": "1d"}, 0),
    ("exp-disabled", "check_s3tables_expiration", ["-a", table_arn("exp_disabled")], {"s3tables_table_arn": None}, 1),
    ("exp-failed", "check_s3tables_expiration", ["-a", table_arn("exp_failed")], {"s3tables_table_arn": None}, 2),
    ("exp-not-supported", "check_s3tables_expiration", ["-a", table_arn("exp_not_supported")],
     {"s3tables_table_arn": None}, 3),
    ("exp-bytes", "check_s3tables_expiration", ["-a", table_arn("exp_ok"), "--critical-bytes", "50M"],
     {"s3tables_table_arn": None, "s3tables_expiration_critical_bytes": "50M"}, 2),
    ("maint-ok", "check_s3tables_maintenance", ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", fresh("maint_ok"), "-w", "1d"],
     {"s3tables_table_bucket_arn": None, "s3tables_namespace": None, "s3tables_table": None,
      "s3tables_maintenance_warning": "1d"}, 0),
    ("maint-disabled", "check_s3tables_maintenance", ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", fresh("maint_disabled")],
     {"s3tables_table_bucket_arn": None, "s3tables_namespace": None, "s3tables_table": None}, 1),
    ("maint-compaction-failed", "check_s3tables_maintenance",
     ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", fresh("maint_compaction_failed")],
     {"s3tables_table_bucket_arn": None, "s3tables_namespace": None, "s3tables_table": None}, 2),
    ("maint-jobs", "check_s3tables_maintenance",
     ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", fresh("maint_compaction_failed"),
      "--job", "snapshot-management", "--job", "unreferenced-file-removal"],
     {"s3tables_table_bucket_arn": None, "s3tables_namespace": None, "s3tables_table": None,
      "s3tables_maintenance_jobs": ["snapshot-management", "unreferenced-file-removal"]}, 0),
    ("maint-unknown-status", "check_s3tables_maintenance", ["-a", table_arn("maint_unknown_status")],
     {"s3tables_table_arn": None}, 3),
    # Every table of a bucket in one run (--all-tables), with array-valued filters.
    ("repl-all-tables", "check_s3tables_replication",
     ["-b", FLEET_ARN, "-n", "sales", "-n", "ops", "--all-tables", "--exclude", "flaky", "--exclude", "locked",
      "--parallel", "2"],
     {"s3tables_table_bucket_arn": None, "s3tables_namespace": ["sales", "ops"], "s3tables_all_tables": True,
      "s3tables_exclude": ["flaky", "locked"], "s3tables_parallel": 2}, 2),
    ("maint-all-tables", "check_s3tables_maintenance",
     ["-b", FLEET_ARN, "--all-tables", "--include", "^sales[.]", "--detail", "all"],
     {"s3tables_table_bucket_arn": None, "s3tables_all_tables": True, "s3tables_include": "^sales[.]",
      "s3tables_detail": "all"}, 2),
]
COMMAND = {"check_s3tables_replication": "s3tables_replication", "check_s3tables_expiration": "s3tables_expiration",
           "check_s3tables_maintenance": "s3tables_maintenance"}
OPTION_OF_VAR = {"s3tables_table_arn": "-a", "s3tables_table_bucket_arn": "-b", "s3tables_namespace": "-n",
                 "s3tables_table": "-N"}

services = []
for name, plugin, args, svars, state in SERVICES:
    if not os.access(os.path.join(PLUGINDIR, plugin), os.X_OK):
        skip("service %s" % name, "%s is not built yet" % plugin)
        continue
    for var, value in list(svars.items()):
        if value is None:                 # the value given on the plugin's command line
            svars[var] = args[args.index(OPTION_OF_VAR[var]) + 1]
    services.append((name, plugin, args, svars, state))

HOST = "s3tables-sim"
# s3tables-discover's file for the simulator's sim-bucket (2 tables: replication and maintenance
# each), its Host importing a template that points it at the simulator.
DISCOVERED = os.path.join(DIRS["etc"], "s3tables-discovered.conf")
DHOST = "sim-bucket-us-east-1"
discovered = e2e.run("discover/s3tables-discover", ["-b", e2e.bucket_arn("sim-bucket"), "-o", DISCOVERED,
                                                     "--icinga2-host-template", "s3t-discovered-host",
                                                     "--icinga2-service-template", "s3t-test-service"],
                     sim=sim, check_invariants=False)
ok(discovered.rc == 0 and os.path.exists(DISCOVERED), "s3tables-discover writes the simulator bucket's file",
   repr(discovered))
with open(os.path.join(DIRS["etc"], "icinga2.conf"), "w") as f:
    f.write("""
const PluginDir = %(plugindir)s
const NodeName = %(node)s
const ZoneName = NodeName
const TicketSalt = ""
include <itl>
include %(conf)s

object Endpoint NodeName { }
object Zone ZoneName { endpoints = [ NodeName ] }
object FileLogger "main-log" { severity = "information"; path = %(log)s }
object CheckerComponent "checker" { }
object ApiListener "api" { bind_host = "127.0.0.1"; bind_port = %(api_port)d; accept_config = false; accept_commands = false }
object ApiUser "s3t-test" { password = %(password)s; permissions = [ "*" ] }
object GraphiteWriter "graphite" { host = "127.0.0.1"; port = %(graphite_port)d; enable_send_thresholds = true; enable_ha = false }

template Service "s3t-test-service" {
  max_check_attempts = 1
  check_interval = 1h
  retry_interval = 1h
  enable_notifications = false
  enable_flapping = false
}

template Host "s3t-discovered-host" {
  enable_active_checks = false
  vars.s3tables_endpoint_url = %(url)s
  vars.s3tables_ca_file = %(ca)s
  vars.s3tables_aws_access_key_id = %(akid)s
  vars.s3tables_aws_secret_access_key = %(secret)s
}

object Host %(host)s {
  import "s3t-discovered-host"
  check_command = "dummy"
}
include %(discovered)s
""" % dict(discovered=q(DISCOVERED), plugindir=q(PLUGINDIR), node=q(NODE), conf=q(CONF), log=q(os.path.join(DIRS["log"], "icinga2.log")),
           api_port=api_port, password=q(api_password), graphite_port=graphite.port, host=q(HOST),
           url=q(sim.url), ca=q(sim.ca), akid=q(ACCESS_KEY), secret=q(SECRET_KEY)))
    for name, plugin, args, svars, state in services:
        f.write("object Service %s {\n  import \"s3t-test-service\"\n  host_name = %s\n  check_command = %s\n"
                % (q(name), q(HOST), q(COMMAND[plugin])))
        for var, value in svars.items():
            f.write("  vars.%s = %s\n" % (var, json.dumps(value)))
        f.write("}\n")

LOG = os.path.join(DIRS["log"], "icinga2.log")
daemon_out = open(os.path.join(TMP, "daemon.out"), "w")
daemon = subprocess.Popen([icinga2, "daemon", "-c", os.path.join(DIRS["etc"], "icinga2.conf")] + DEFINES,
                          stdout=daemon_out, stderr=subprocess.STDOUT, env=DAEMON_ENV, start_new_session=True)


def stop_daemon():
    e2e.stop_group(daemon)      # the group this test created: the daemon and its helpers


atexit.register(stop_daemon)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

ctx = ssl.create_default_context(cafile=ca_crt)
AUTH = "Basic " + base64.b64encode(("s3t-test:" + api_password).encode()).decode()


def api(method, path, body=None):
    req = urllib.request.Request("https://127.0.0.1:%d%s" % (api_port, path), method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Accept": "application/json", "Authorization": AUTH,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, context=ctx, timeout=remaining(10)) as r:
        return json.loads(r.read().decode())


def daemon_log():
    text = ""
    for path in (LOG, os.path.join(TMP, "daemon.out")):
        if os.path.exists(path):
            text += open(path, errors="replace").read()
    return text


up = False
until = time.monotonic() + 30
while time.monotonic() < until and daemon.poll() is None:
    try:
        api("GET", "/v1/status/IcingaApplication")
        up = True
        break
    except (OSError, ValueError):
        time.sleep(0.2)
if not ok(up, "icinga2 daemon starts and its REST API answers on 127.0.0.1", daemon_log()[-4000:]):
    e2e.done()

# Check results that arrive before the writer has connected would not reach it.
ok(graphite.connected.wait(remaining(15)), "GraphiteWriter connects to the test's receiver")
res = api("POST", "/v1/actions/reschedule-check",
          {"type": "Service", "filter": "host.name == %s" % q(HOST), "force": True, "next_check": time.time()})
is_(len(res.get("results", [])), len(services), "reschedule-check reaches every service")
res = api("POST", "/v1/actions/reschedule-check",
          {"type": "Service", "filter": "host.name == %s" % q(DHOST), "force": True, "next_check": time.time()})
is_(len(res.get("results", [])), 4, "the discovered file's 4 services are scheduled")

results = {}
until = time.monotonic() + 20
while time.monotonic() < until:
    objs = api("GET", "/v1/objects/services?attrs=name&attrs=host_name&attrs=state&attrs=last_check_result")["results"]
    done = [o["attrs"] for o in objs if o["attrs"].get("last_check_result")]
    results = {a["name"]: a for a in done if a["host_name"] == HOST}
    dresults = {a["name"]: a for a in done if a["host_name"] == DHOST}
    if len(results) >= len(services) and len(dresults) >= 4:
        break
    time.sleep(0.3)
is_(sorted(results), sorted(s[0] for s in services), "every service has a check result")

def digits(s):
    """Times and request ids differ between two runs a second apart; the rest must not."""
    s = re.sub(r"request id [0-9A-Za-z-]+", "request id ID", s)
    s = re.sub(r"\b\d+[smhd](?: \d+[smhd])*\b", "DURATION", s)     # 59s ago / 1m ago
    return re.sub(r"\d+", "N", s)


def pairs(argv):
    """Command line -> sorted (option, value) pairs: the order Icinga chooses does not matter."""
    out, i = [], 0
    while i < len(argv):
        if i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            out.append((argv[i], argv[i + 1]))
            i += 2
        else:
            out.append((argv[i], None))
            i += 1
    return sorted(out, key=repr)


LONG = {"-a": "--table-arn", "-b": "--table-bucket-arn", "-n": "--namespace", "-N": "--table", "-w": "--warning",
        "-c": "--critical", "-t": "--timeout"}

# The discovered services: OK from the simulator, each with the options its check takes (one request).
is_(sorted(dresults), ["s3tables-maintenance-sim_ns.ok", "s3tables-maintenance-sim_ns.ok__2",
                       "s3tables-replication-sim_ns.ok", "s3tables-replication-sim_ns.ok__2"],
    "discovered: every service has a check result")
for dname, attrs in sorted(dresults.items()):
    cr = attrs["last_check_result"]
    table = dname.split(".", 1)[1]
    if "replication" in dname:
        want = [os.path.join(PLUGINDIR, "check_s3tables_replication"),
                "--table-arn", e2e.bucket_arn("sim-bucket") + "/table/" + table]
    else:
        want = [os.path.join(PLUGINDIR, "check_s3tables_maintenance"), "--table-bucket-arn",
                e2e.bucket_arn("sim-bucket"), "--namespace", "sim_ns", "--table", table]
    want += ["--endpoint-url", sim.url, "--ca-file", sim.ca]
    cmd = cr.get("command") or []
    ok(cmd[:1] == want[:1] and pairs(cmd[1:]) == pairs(want[1:]),
       "discovered %s: the command line (a table ARN without the host's bucket ARN)" % dname,
       "got:  %r\nwant: %r" % (cmd, want))
    ok(int(cr["exit_status"]) == 0 and cr["output"].startswith("S3TABLES "), "discovered %s: OK" % dname,
       cr["output"])


for name, plugin, args, svars, state in services:
    attrs = results.get(name)
    if attrs is None:
        ok(False, "%s: no check result" % name)
        continue
    cr = attrs["last_check_result"]
    direct = e2e.run(plugin, args, sim=sim, name="direct " + name,
                     env=PROFILE_ENV if "s3tables_aws_profile" in svars else None)
    is_(direct.rc, state, "%s: the plugin run directly exits %d" % (name, state))
    is_((int(cr["exit_status"]), int(attrs["state"])), (state, state), "%s: Icinga state %d" % (name, state))

    cmd = cr.get("command") or []
    want = [os.path.join(PLUGINDIR, plugin)] + [LONG.get(a, a) for a in args] + [
        "--endpoint-url", sim.url, "--ca-file", sim.ca]
    ok(cmd[:1] == want[:1] and pairs(cmd[1:]) == pairs(want[1:]),
       "%s: executed command line is the plugin with the expected options" % name,
       "got:  %r\nwant: %r" % (cmd, want))
    ok(not any(s in " ".join(cmd) for s in (SECRET_KEY, ACCESS_KEY, SESSION_TOKEN)),
       "%s: no credential on the command line" % name, cmd)

    want_out = "\n".join([direct.summary] + direct.long)
    if "--verbose" in args:
        # -v writes its facts to stderr, which Icinga merges into the output
        # (before the status line, as they are written first): compare lines as a set.
        got = sorted(digits(l.rstrip(" ")) for l in cr["output"].rstrip("\n").split("\n"))
        want = sorted(digits(l) for l in want_out.split("\n") + direct.err.rstrip("\n").split("\n"))
        is_(got, want, "%s: output holds the plugin's stdout and its -v lines from stderr" % name)
        ok(not cr["output"].startswith("S3TABLES"), "%s: (known) with -v the status line is not first in Icinga" % name,
           cr["output"])
        want_out = None
    # Icinga keeps the first line up to the '|', so the space before it too.
    if want_out is not None:
        got_out = "\n".join(l.rstrip(" ") for l in cr["output"].rstrip("\n").split("\n"))
        is_(digits(got_out), digits(want_out), "%s: output as printed by the plugin (modulo digits)" % name)

    perf = cr.get("performance_data") or []
    got_perf = {}
    for item in perf:
        label, _, rest = (item.rpartition("=") if item.startswith("'") else item.partition("="))
        got_perf[label.strip("'")] = rest
    is_(sorted(got_perf), sorted(direct.perf), "%s: every metric reaches Icinga" % name)
    is_({k: digits(v) for k, v in got_perf.items()}, {k: digits(v) for k, v in direct.perf.items()},
        "%s: metric values, units and thresholds as printed (modulo digits)" % name)

# GraphiteWriter parses every perfdata item with Icinga's own PerfdataValue::Parse.
missing = []
until = time.monotonic() + 15
while time.monotonic() < until:
    missing = []
    for name, plugin, args, svars, state in services:
        attrs = results.get(name)
        if not attrs:
            continue
        prefix = "icinga2.%s.services.%s.%s.perfdata." % (HOST, name, COMMAND[plugin])
        got = graphite.metrics(prefix)
        for item in attrs["last_check_result"].get("performance_data") or []:
            label = item.rpartition("=")[0] if item.startswith("'") else item.partition("=")[0]
            metric = re.sub(r"[ ./\\]", "_", label.strip("'")) + ".value"
            if metric not in got:
                missing.append(prefix + metric)
    if not missing:
        break
    time.sleep(0.3)
ok(not missing, "GraphiteWriter received every metric of every service",
   "\n".join(missing[:20]) + "\nreceived:\n" + "\n".join(graphite.lines[:20]))

log = daemon_log()
bad = [l for l in log.splitlines() if re.search(r"invalid perfdata|invalid performance data|Ignoring invalid", l, re.I)]
ok(not bad, "Icinga logged no invalid-perfdata warning", "\n".join(bad[:10]))
bad = [l for l in log.splitlines() if re.search(r"\b(warning|critical)/", l) and re.search(r"s3tables|s3t-|PluginCheckTask|Process", l)]
ok(not bad, "Icinga logged no warning about our commands or their processes", "\n".join(bad[:10]))
ok(not any(s in log for s in (SECRET_KEY, SESSION_TOKEN)), "no secret in Icinga's log")

stop_daemon()
ok(daemon.returncode is not None, "daemon stopped")
e2e.done()
