"""End to end in a live Nagios 4: the shipped command definitions run the built plugins.

Starts a throwaway nagios4 daemon as the current user, everything (main
config, resource file, log, debug log, status.dat, command pipe, query
socket, check results) in a temporary directory; the system's /etc/nagios4
and its service are never used. The config loads contrib/nagios/
s3tables-commands.cfg and s3tables-services.cfg from the source tree as
shipped, plus one host standing for the simulated table bucket and one
service per scenario. Every check is forced through the daemon's external
command file (SCHEDULE_FORCED_SVC_CHECK); the test then reads back what
Nagios recorded in status.dat: state, plugin output and long output (equal,
modulo digits, to a direct run of the plugin with the same options) and
performance data, for OK, WARNING, CRITICAL and UNKNOWN scenarios.

Both credential setups of s3tables-commands.cfg, each in its own daemon:
  keys      the _keys commands, the access key in $USER3$/$USER4$ of the
            resource file;
  key-less  the plain commands, a resource file with no $USER3$/$USER4$
            (Nagios 4 refuses them empty), the plugins finding an instance
            role (tests/fake_metadata.py on loopback as the metadata
            service) or, with --profile, the nagios user's profile in
            $HOME/.aws/credentials.
The simulator logs which access key signed each request, so each service
proves which credentials it used. With every debug_level bit but macros
(2048, documented in the commands file) Nagios logs the commands it runs:
no secret may appear in its log, debug log, status.dat, object cache or
retention file.

The plugins reach the simulator through AWS_ENDPOINT_URL_S3TABLES and
AWS_CA_BUNDLE in the daemon's environment, which Nagios passes on.
Installs Debian's nagios4-core if nagios4 is missing (as root, or with
sudo -n); skips only when that is impossible.
"""
import atexit
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402
from e2e import (ACCESS_KEY, BUCKET_ARN, SECRET_KEY, SESSION_TOKEN, Simulator, fresh, is_, nagios_binary,  # noqa: E402
                 nagios_config, ok, akids_seen, skip_all, start_fake, stop_group, tempdir)

NAGIOS_DIR = os.path.join(e2e.SRCDIR, "contrib", "nagios")
COMMANDS = os.path.join(NAGIOS_DIR, "s3tables-commands.cfg")
SERVICES = os.path.join(NAGIOS_DIR, "s3tables-services.cfg")
PLUGINDIR = os.path.join(e2e.BUILDDIR, "plugins")
DEADLINE = time.monotonic() + 150        # hard bound for everything after installation


def remaining(cap):
    return max(0.5, min(cap, DEADLINE - time.monotonic()))


nagios, why = nagios_binary()
if nagios is None:
    skip_all("nagios4 is not installed and could not be installed (%s)" % why)

TMP = tempdir("s3t-nagios-live-")
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

# Credentials each setup's source hands out; the simulator accepts exactly these.
PROFILE_KEY = ("AKIDNAGIOSPROFILE", "nagiosProfileSecretDoNotPrint0123456789")
IMDS_KEY = ("ASIAIMDSFAKE", "imds-secret-do-not-print", "imds-session-token-do-not-print")  # fake_metadata.CREDS
SECRETS = [SECRET_KEY, SESSION_TOKEN, PROFILE_KEY[1], IMDS_KEY[1], IMDS_KEY[2]]

sim = Simulator(["--credentials", "%s:%s" % PROFILE_KEY, "--credentials", ":".join(IMDS_KEY)])
META_PORT, _ = start_fake("fake_metadata.py", os.path.join(TMP, "meta"))
with urllib.request.urlopen("http://127.0.0.1:%d/_control?expires_in=3600" % META_PORT, timeout=5) as r:
    r.read()

HOST = "s3tables-sim"
DR = "arn:aws:s3tables:%s:111122223333:bucket/%s"


def service(name, command, plugin, table, args, state, key_id):
    """One service: its check_command, and the direct plugin run it must equal."""
    if plugin == "check_s3tables_maintenance":
        cc = "%s!sim_ns!%s!%s" % (command, table, " ".join(args))
        direct = ["-b", BUCKET_ARN, "-n", "sim_ns", "-N", table] + args
    else:
        cc = "%s!%s!%s" % (command, table, " ".join(args))
        direct = ["-a", "%s/table/%s" % (BUCKET_ARN, table)] + args
    return dict(name=name, check_command=cc, plugin=plugin, direct=direct, state=state, key_id=key_id)


def setup_services(keys):
    sfx = "_keys" if keys else ""
    first = ACCESS_KEY if keys else IMDS_KEY[0]     # the key-less default: the instance role
    out = [
        service("repl-ok", "check_s3tables_replication" + sfx, "check_s3tables_replication", fresh("repl_ok"),
                ["-w", "30m", "-c", "2h", "--destination", DR % ("us-west-2", "dr-a")], 0, first),
        service("repl-pending-warning", "check_s3tables_replication" + sfx, "check_s3tables_replication",
                fresh("repl_pending_2h"), ["-w", "1h", "-c", "3h"], 1, first),
        service("repl-failed", "check_s3tables_replication" + sfx, "check_s3tables_replication",
                fresh("repl_failed"), [], 2, first),
        service("repl-forbidden", "check_s3tables_replication" + sfx, "check_s3tables_replication",
                fresh("forbidden"), [], 3, first),
        service("exp-disabled", "check_s3tables_expiration" + sfx, "check_s3tables_expiration",
                fresh("exp_disabled"), [], 1, first),
        service("maint-compaction-failed", "check_s3tables_maintenance" + sfx, "check_s3tables_maintenance",
                fresh("maint_compaction_failed"), [], 2, first),
    ]
    if keys:
        out.append(service("exp-ok", "check_s3tables_expiration_keys", "check_s3tables_expiration",
                           fresh("exp_ok"), ["-w", "2h", "-c", "1d"], 0, ACCESS_KEY))
        out.append(service("maint-unknown-status", "check_s3tables_maintenance_keys", "check_s3tables_maintenance",
                           fresh("maint_unknown_status"), [], 3, ACCESS_KEY))
    else:
        # --profile in the options: the nagios user's profile instead of the instance role.
        out.append(service("maint-ok-profile", "check_s3tables_maintenance", "check_s3tables_maintenance",
                           fresh("maint_ok"), ["-w", "1d", "--profile", "s3t-monitoring"], 0, PROFILE_KEY[0]))
        out.append(service("exp-ok-profile", "check_s3tables_expiration", "check_s3tables_expiration",
                           fresh("exp_ok"), ["-w", "2h", "-c", "1d", "--profile", "s3t-monitoring"], 0,
                           PROFILE_KEY[0]))
    return out


# Every debug category but macros (2048) and function traces (1): the
# commands Nagios runs, with their raw command lines, go to the debug log.
DEBUG_LEVEL = 32767 & ~2048 & ~1
DAEMON_SETTINGS = """
check_external_commands=1
check_result_reaper_frequency=1
status_update_interval=1
service_check_timeout=30
check_workers=2
use_syslog=0
enable_notifications=0
enable_flap_detection=0
process_performance_data=0
retain_state_information=1
use_retained_program_state=0
use_retained_scheduling_info=0
retention_update_interval=0
check_for_updates=0
bare_update_check=1
daemon_dumps_core=0
max_service_check_spread=60
debug_level=%d
debug_verbosity=2
max_debug_file_size=100000000
""" % DEBUG_LEVEL


def write_objects(path, services):
    with open(path, "w") as f:
        f.write("""define host {
    use                     generic-host
    host_name               %s
    alias                   simulated S3 table bucket
    address                 127.0.0.1
    active_checks_enabled   0
    _S3TABLES_BUCKET_ARN    %s
}
""" % (HOST, BUCKET_ARN))
        for s in services:
            f.write("""define service {
    use                     generic-service
    host_name               %s
    service_description     %s
    check_command           %s
    max_check_attempts      1
    check_interval          1440
    retry_interval          1440
}
""" % (HOST, s["name"], s["check_command"]))


def parse_status(path, host=HOST):
    """status.dat -> {service_description: {key: value}} of host's servicestatus blocks."""
    out = {}
    try:
        text = open(path, errors="replace").read()
    except OSError:
        return out
    for m in re.finditer(r"^servicestatus \{\n(.*?)^\t\}", text, re.S | re.M):
        attrs = {}
        for line in m.group(1).splitlines():
            k, _, v = line.strip().partition("=")
            attrs[k] = v
        if attrs.get("host_name") == host:
            out[attrs.get("service_description")] = attrs
    return out


def digits(s):
    """Times and request ids differ between two runs seconds apart; the rest must not."""
    s = re.sub(r"request id [0-9A-Za-z-]+", "request id ID", s)
    s = re.sub(r"\b\d+[smhd](?: \d+[smhd])*\b", "DURATION", s)
    return re.sub(r"\d+", "N", s)


EXAMPLE_HOST = "s3tables-analytics-us-east-1"       # s3tables-services.cfg's host


def run_setup(label, resource, env, services, examples=False):
    """One daemon: resource file, environment, the test's services; examples: also force
    the shipped example services (whose tables the simulator does not know)."""
    d = os.path.join(TMP, label)
    os.makedirs(d)
    objects = os.path.join(d, "test-objects.cfg")
    write_objects(objects, services)
    main = nagios_config(d, [COMMANDS, SERVICES, objects], resource, DAEMON_SETTINGS)
    status, cmdfile = os.path.join(d, "var", "status.dat"), os.path.join(d, "var", "nagios.cmd")
    log, debug = os.path.join(d, "var", "nagios.log"), os.path.join(d, "var", "nagios.debug")

    p = subprocess.run([nagios, "-v", main], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=remaining(60))
    vout = p.stdout.decode("utf-8", "replace")
    if not ok(p.returncode == 0 and re.search(r"Total Errors:\s+0\b", vout) and
              re.search(r"Total Warnings:\s+0\b", vout),
              "%s: nagios4 -v accepts the config (no error, no warning)" % label, vout[-3000:]):
        return

    out = open(os.path.join(d, "daemon.out"), "w")
    daemon = subprocess.Popen([nagios, main], stdout=out, stderr=subprocess.STDOUT, env=env,
                              start_new_session=True, cwd=d)

    def stop():
        stop_group(daemon, 15)       # the group this test created: Nagios and its workers
    atexit.register(stop)

    def daemon_log():
        text = ""
        for path in (log, os.path.join(d, "daemon.out")):
            if os.path.exists(path):
                text += open(path, errors="replace").read()
        return text[-4000:]

    until = time.monotonic() + remaining(30)
    while time.monotonic() < until and daemon.poll() is None:
        if os.path.exists(cmdfile) and len(parse_status(status)) == len(services):
            break
        time.sleep(0.2)
    if not ok(daemon.poll() is None and os.path.exists(cmdfile) and len(parse_status(status)) == len(services),
              "%s: nagios4 starts, opens its command file and writes status.dat for every service" % label,
              daemon_log()):
        stop()
        return

    forced = int(time.time())
    time.sleep(1)        # last_check has one-second resolution: results of this run are > forced
    fd = os.open(cmdfile, os.O_WRONLY | os.O_NONBLOCK)
    example_names = sorted(parse_status(status, EXAMPLE_HOST))
    example_requests = len(sim.requests("55511111-7a03-4513-b921-e372b0030daf"))
    is_(len(example_names), 4, "%s: the daemon runs s3tables-services.cfg's four example services" % label)
    with os.fdopen(fd, "w") as f:
        for s in services:
            f.write("[%d] SCHEDULE_FORCED_SVC_CHECK;%s;%s;%d\n" % (time.time(), HOST, s["name"], time.time()))
        for n in example_names if examples else ():
            f.write("[%d] SCHEDULE_FORCED_SVC_CHECK;%s;%s;%d\n" % (time.time(), EXAMPLE_HOST, n, time.time()))

    results = {}
    until = time.monotonic() + remaining(40)
    while time.monotonic() < until:
        results = {n: a for n, a in parse_status(status).items()
                   if a.get("has_been_checked") == "1" and int(a.get("last_check") or 0) > forced}
        if len(results) == len(services):
            break
        time.sleep(0.3)
    is_(sorted(results), sorted(s["name"] for s in services),
        "%s: every forced check ran and reached status.dat" % label)
    ok(any("SCHEDULE_FORCED_SVC_CHECK" in l for l in open(log, errors="replace")),
       "%s: Nagios logged the external commands" % label)
    if examples:
        # The example's options are accepted and its requests made; the simulator does
        # not know those tables, so the state itself says nothing.
        until = time.monotonic() + remaining(20)
        while time.monotonic() < until:
            ex = {n: a for n, a in parse_status(status, EXAMPLE_HOST).items()
                  if a.get("has_been_checked") == "1" and int(a.get("last_check") or 0) > forced}
            if len(ex) == len(example_names):
                break
            time.sleep(0.3)
        for n in example_names:
            out = ex.get(n, {}).get("plugin_output", "")
            # The simulator names itself for a table it does not know; for a bucket it does not
            # know (the bucket-wide service's ListTables) the answer is AWS's own 404.
            ok(re.match(r"S3TABLES (REPLICATION|EXPIRATION|MAINTENANCE) ", out) and
               ("simulator" in out or "ListTables: NotFoundException" in out),
               "%s: example service '%s' ran its plugin, which reached the simulator" % (label, n), out)
        made = len(sim.requests("55511111-7a03-4513-b921-e372b0030daf")) - example_requests
        ok(made >= 2, "%s: the example's replication and expiration services each made their request" % label,
           "%d requests" % made)

    for s in services:
        attrs = results.get(s["name"])
        if attrs is None:
            ok(False, "%s %s: no check result" % (label, s["name"]), daemon_log())
            continue
        name = "%s %s" % (label, s["name"])
        # Before the direct run below adds its own request for the same table.
        table = [a for a in s["direct"] if "__n" in a][0].rsplit("/", 1)[-1]
        seen = akids_seen(sim, needle=table)
        ok(seen and set(seen) == {(s["key_id"], "ok")},
           "%s: the request was signed with %s (signature verified)" % (name, s["key_id"]), "seen: %r" % seen)
        # A --profile service reads the nagios user's profile, as under Nagios: its HOME, no env keys.
        by_profile = "--profile" in s["direct"]
        direct = e2e.run(s["plugin"], s["direct"], sim=sim, name="direct " + name, creds=not by_profile,
                         env={"HOME": env["HOME"]} if by_profile and "HOME" in env else None)
        is_(direct.rc, s["state"], "%s: the plugin run directly exits %d" % (name, s["state"]))
        is_(int(attrs["current_state"]), s["state"], "%s: Nagios state %d" % (name, s["state"]))
        is_(digits(attrs.get("plugin_output", "")), digits(direct.summary.rstrip(" ")),
            "%s: plugin output as printed (modulo digits)" % name)
        long_out = [l for l in attrs.get("long_plugin_output", "").split("\\n") if l]
        is_([digits(l) for l in long_out], [digits(l) for l in direct.long],
            "%s: long output, one line per destination or job (modulo digits)" % name)
        is_(digits(attrs.get("performance_data", "")), digits(direct.perftext),
            "%s: performance data as printed (modulo digits)" % name)

    # status.dat goes away when Nagios stops, retention.dat is written then: look at both moments.
    leaked = leaks(os.path.join(d, "var"))
    stop()
    ok(daemon.returncode is not None, "%s: daemon stopped" % label)
    ok(os.path.exists(debug) and "Raw Command Input" in open(debug, errors="replace").read(),
       "%s: the debug log records the commands Nagios runs" % label)
    leaked += leaks(os.path.join(d, "var"))
    ok(not leaked, "%s: no secret in Nagios' log, debug log, status.dat, object cache or retention file" % label,
       "\n".join(leaked))


def leaks(directory):
    """Which secrets appear in which of the files in directory."""
    found = []
    for fn in sorted(os.listdir(directory)):
        path = os.path.join(directory, fn)
        if os.path.isfile(path):
            data = open(path, "rb").read().decode("utf-8", "replace")
            found += ["%s... in %s" % (sec[:6], fn) for sec in SECRETS if sec in data]
    return found


for plugin in ("check_s3tables_replication", "check_s3tables_expiration", "check_s3tables_maintenance"):
    if not os.access(os.path.join(PLUGINDIR, plugin), os.X_OK):
        skip_all("%s is not built" % plugin)

BASE_ENV = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "XDG_CACHE_HOME"}
BASE_ENV.update(AWS_ENDPOINT_URL_S3TABLES=sim.url, AWS_CA_BUNDLE=sim.ca)

# --- 1. keys in the resource file ---------------------------------------------
home_keys = os.path.join(TMP, "home-keys")
os.makedirs(home_keys)
env = dict(BASE_ENV, HOME=home_keys, AWS_EC2_METADATA_DISABLED="true")   # loopback only: no metadata service
run_setup("keys", "$USER1$=%s\n$USER3$=%s\n$USER4$=%s\n" % (PLUGINDIR, ACCESS_KEY, SECRET_KEY), env,
          setup_services(True))

# --- 2. key-less: instance role, or the nagios user's profile -------------------
home = os.path.join(TMP, "home-nagios")
os.makedirs(os.path.join(home, ".aws"))
with open(os.path.join(home, ".aws", "credentials"), "w") as f:
    f.write("[s3t-monitoring]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % PROFILE_KEY)
os.chmod(os.path.join(home, ".aws", "credentials"), 0o600)
env = dict(BASE_ENV, HOME=home, AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:%d" % META_PORT)
run_setup("key-less", "$USER1$=%s\n" % PLUGINDIR, env, setup_services(False), examples=True)

e2e.done()
