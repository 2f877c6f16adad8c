"""The shipped Nagios files: accepted by a real Nagios 4, and their commands work.

1. Writes a minimal nagios.cfg in a temporary directory (a contact, a
   timeperiod, generic templates, a notification command, its own
   resource.cfg) that loads contrib/nagios/s3tables-commands.cfg and
   s3tables-services.cfg, and runs `nagios4 -v` on it: no error, no warning.
2. Expands each shipped command line the way Nagios does ($USERn$, $ARGn$,
   $_HOST...$ macros) and runs it with /bin/sh against the simulated S3 Tables
   endpoint: the quoting, the env wrapper and the table ARN built from the
   host variable must work, and the keys must never reach the plugin's argv.

Installs Debian's nagios4-core if nagios4 is missing (as root, or with
sudo -n); skips only when that is impossible. The system's /etc/nagios4 is
never read or changed, and no daemon is started.
"""
import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402
from e2e import (ACCESS_KEY, BUCKET_ARN, SECRET_KEY, Simulator, apt_install, find_binary,  # noqa: E402
                 fresh, is_, like, ok)

CANDIDATES = ("/usr/sbin/nagios4", "/usr/bin/nagios4")
NAGIOS_DIR = os.path.join(e2e.SRCDIR, "contrib", "nagios")
COMMANDS = os.path.join(NAGIOS_DIR, "s3tables-commands.cfg")
SERVICES = os.path.join(NAGIOS_DIR, "s3tables-services.cfg")
PLUGINDIR = os.path.join(e2e.BUILDDIR, "plugins")


def skip_all(reason):
    print("1..0 # SKIP %s" % reason)
    sys.exit(0)


nagios = find_binary(CANDIDATES)
if nagios is None:
    why = apt_install(["nagios4-core"])
    nagios = find_binary(CANDIDATES)
    if nagios is None:
        skip_all("nagios4 is not installed and could not be installed (%s)" % (why or "no binary after install"))

TMP = tempfile.mkdtemp(prefix="s3t-nagios-")
if not os.environ.get("S3T_KEEP_TMP"):
    atexit.register(shutil.rmtree, TMP, True)


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


resource = write("resource.cfg", "$USER1$=%s\n$USER3$=%s\n$USER4$=%s\n" % (PLUGINDIR, ACCESS_KEY, SECRET_KEY))
main = e2e.nagios_config(TMP, [COMMANDS, SERVICES], resource)

# --- 1. nagios4 -v -----------------------------------------------------------
p = subprocess.run([nagios, "-v", main], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
out = p.stdout.decode("utf-8", "replace")
is_(p.returncode, 0, "nagios4 -v exits 0")
like(out, r"Total Errors:\s+0\b", "nagios4 -v: Total Errors: 0")
like(out, r"Total Warnings:\s+0\b", "nagios4 -v: Total Warnings: 0")
warnings = [l for l in out.splitlines() if re.match(r"\s*(Warning|Error)", l)]
ok(not warnings, "nagios4 -v prints no warning or error line", "\n".join(warnings) or out[-2000:])
like(out, r"Checked 3 services\.", "the example's three services are loaded")
like(out, r"Checked 1 hosts\.", "the example's host is loaded")
like(out, r"Checked 4 commands\.", "the three s3tables commands (and the test's notify command) are loaded")
if p.returncode != 0:
    print("# " + out[-3000:].replace("\n", "\n# "))

# --- 2. the command lines, expanded as Nagios does, against the simulator -----
commands = {}
for m in re.finditer(r"define command\s*\{(.*?)\}", open(COMMANDS).read(), re.S):
    body = dict(re.findall(r"^\s*(\w+)\s+(.*?)\s*$", m.group(1), re.M))
    commands[body["command_name"]] = body["command_line"]
is_(sorted(commands), ["check_s3tables_expiration", "check_s3tables_maintenance", "check_s3tables_replication"],
    "s3tables-commands.cfg defines one command per plugin")

sim = Simulator()


def expand(check_command, keys=True):
    name, *args = check_command.split("!")
    line = commands[name]
    macros = {"USER1": PLUGINDIR, "USER3": ACCESS_KEY if keys else "", "USER4": SECRET_KEY if keys else "",
              "_HOSTS3TABLES_BUCKET_ARN": BUCKET_ARN}
    macros.update(("ARG%d" % (i + 1), a) for i, a in enumerate(args))
    return re.sub(r"\$([A-Z0-9_]+)\$", lambda m: macros.get(m.group(1), ""), line)


def nagios_run(check_command, keys=True, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    # Loopback only: no instance metadata service, no profile unless the case gives one.
    env.update(HOME="/nonexistent", AWS_ENDPOINT_URL_S3TABLES=sim.url, AWS_CA_BUNDLE=sim.ca,
               AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE="/nonexistent",
               AWS_SHARED_CREDENTIALS_FILE="/nonexistent")
    env.update(env_extra or {})
    p = subprocess.run(["/bin/sh", "-c", expand(check_command, keys)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env, timeout=30)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


CASES = [
    ("check_s3tables_replication!%s!-w 30m -c 2h" % fresh("repl_ok"), 0, "S3TABLES REPLICATION OK"),
    ("check_s3tables_replication!%s!-w 30m -c 1h" % fresh("repl_pending_2h"), 2, "S3TABLES REPLICATION CRITICAL"),
    ("check_s3tables_replication!%s!--destination arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a "
     "--destination arn:aws:s3tables:ap-south-1:111122223333:bucket/dr-x" % fresh("repl_ok"), 2,
     "S3TABLES REPLICATION CRITICAL - destination dr-x missing"),
    ("check_s3tables_expiration!%s!-w 1d -c 2d" % fresh("exp_ok"), 0, "S3TABLES EXPIRATION OK"),
    ("check_s3tables_expiration!%s!" % fresh("exp_disabled"), 1, "S3TABLES EXPIRATION WARNING"),
    ("check_s3tables_maintenance!sim_ns!%s!-w 1d -c 3d --job compaction --job snapshot-management" % fresh("maint_ok"),
     0, "S3TABLES MAINTENANCE OK"),
    ("check_s3tables_maintenance!sim_ns!%s!-c '~:1h'" % fresh("maint_ok"), 2, "S3TABLES MAINTENANCE CRITICAL"),
]
for check_command, want_rc, want_first in CASES:
    plugin = "check_" + check_command.split("!")[0].split("check_", 1)[1]
    if not os.access(os.path.join(PLUGINDIR, plugin), os.X_OK):
        ok(True, "%s # SKIP %s is not built yet" % (check_command, plugin))
        continue
    before = len(sim.requests())
    rc, out, err = nagios_run(check_command)
    is_(rc, want_rc, "%s: exit %d" % (check_command, want_rc))
    ok(out.startswith(want_first), "%s: %s" % (check_command, want_first), out + err)
    is_(len(sim.requests()) - before, 1, "%s: one request" % check_command)

# The keys live in the plugin's environment only, never in its argv.
line = expand("check_s3tables_replication!x!")
plugin_argv = line.split(" ", 3)[3]
ok(ACCESS_KEY not in plugin_argv and SECRET_KEY not in plugin_argv,
   "the plugin's own command line carries no key (only /usr/bin/env's, until it executes the plugin)", line)
# Empty $USER3$/$USER4$ fall through to the next credential source (here a
# profile in a credentials file) instead of failing on empty keys.
rc, out, err = nagios_run("check_s3tables_replication!%s!" % fresh("repl_ok"), keys=False)
like(out, r"^S3TABLES REPLICATION UNKNOWN - no AWS credentials found",
     "empty $USER3$/$USER4$ and nothing else: UNKNOWN, no AWS credentials found")
credfile = write("aws-credentials", "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
                 % (ACCESS_KEY, SECRET_KEY))
rc, out, err = nagios_run("check_s3tables_replication!%s!" % fresh("repl_ok"), keys=False,
                          env_extra={"AWS_SHARED_CREDENTIALS_FILE": credfile})
ok(rc == 0 and out.startswith("S3TABLES REPLICATION OK"),
   "empty $USER3$/$USER4$: the plugin uses the credentials file instead", out + err)

e2e.done()
