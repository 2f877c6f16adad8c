"""The shipped Nagios files: accepted by a real Nagios 4, and their commands work.

1. Writes a minimal nagios.cfg in a temporary directory (a contact, a
   timeperiod, generic templates, a notification command, its own
   resource.cfg) that loads contrib/nagios/s3tables-commands.cfg and
   s3tables-services.cfg, and runs `nagios4 -v` on it: no error, no warning.
   The same with a key-less resource.cfg (only $USER1$), which the key-less
   commands need; and a resource file with an empty "$USER3$=" is refused,
   which is why the key-less setup defines no $USER3$/$USER4$.
2. Expands each shipped command line the way Nagios does ($USERn$, $ARGn$,
   $_HOST...$ macros) and runs it with /bin/sh against the simulated S3 Tables
   endpoint: the quoting, the env wrapper and the table ARN built from the
   host variable must work, the key-less commands must take the credentials
   the plugin finds itself, and the keys must never reach the plugin's argv.
(tests/e2e_nagios.py runs the same files in a live Nagios 4 daemon.)

Installs Debian's nagios4-core if nagios4 is missing (as root, or with
sudo -n); skips only when that is impossible. The system's /etc/nagios4 is
never read or changed, and no daemon is started.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402
from e2e import (ACCESS_KEY, BUCKET_ARN, SECRET_KEY, Simulator, fresh, is_, like, nagios_binary,  # noqa: E402
                 nagios_config, ok, akids_seen, skip_all, tempdir)

NAGIOS_DIR = os.path.join(e2e.SRCDIR, "contrib", "nagios")
COMMANDS = os.path.join(NAGIOS_DIR, "s3tables-commands.cfg")
SERVICES = os.path.join(NAGIOS_DIR, "s3tables-services.cfg")
PLUGINDIR = os.path.join(e2e.BUILDDIR, "plugins")


nagios, why = nagios_binary()
if nagios is None:
    skip_all("nagios4 is not installed and could not be installed (%s)" % why)

TMP = tempdir("s3t-nagios-")


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


main = nagios_config(TMP, [COMMANDS, SERVICES], "$USER1$=%s\n$USER3$=%s\n$USER4$=%s\n"
                     % (PLUGINDIR, ACCESS_KEY, SECRET_KEY))

# --- 1. nagios4 -v -----------------------------------------------------------
def verify(main):
    p = subprocess.run([nagios, "-v", main], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace")


rc, out = verify(main)
is_(rc, 0, "nagios4 -v exits 0")
like(out, r"Total Errors:\s+0\b", "nagios4 -v: Total Errors: 0")
like(out, r"Total Warnings:\s+0\b", "nagios4 -v: Total Warnings: 0")
warnings = [l for l in out.splitlines() if re.match(r"\s*(Warning|Error)", l)]
ok(not warnings, "nagios4 -v prints no warning or error line", "\n".join(warnings) or out[-2000:])
like(out, r"Checked 4 services\.", "the example's four services (one bucket-wide) are loaded")
like(out, r"Checked 1 hosts\.", "the example's host is loaded")
like(out, r"Checked 13 commands\.", "the twelve s3tables commands (and the test's notify command) are loaded")
if rc != 0:
    print("# " + out[-3000:].replace("\n", "\n# "))

keyless = os.path.join(TMP, "keyless")
rc, out = verify(nagios_config(keyless, [COMMANDS, SERVICES], "$USER1$=%s\n" % PLUGINDIR))
ok(rc == 0 and re.search(r"Total Errors:\s+0\b", out) and re.search(r"Total Warnings:\s+0\b", out),
   "nagios4 -v accepts the key-less resource.cfg (only $USER1$) with the shipped files", out[-2000:])
empty = os.path.join(TMP, "empty")
rc, out = verify(nagios_config(empty, [COMMANDS, SERVICES], "$USER1$=%s\n$USER3$=\n$USER4$=\n" % PLUGINDIR))
ok(rc != 0 and "NULL variable value" in out,
   "nagios4 -v refuses an empty $USER3$= (so the key-less setup must not define it)", out[-2000:])

# --- 2. the command lines, expanded as Nagios does, against the simulator -----
commands = {}
for m in re.finditer(r"define command\s*\{(.*?)\}", open(COMMANDS).read(), re.S):
    body = dict(re.findall(r"^\s*(\w+)\s+(.*?)\s*$", m.group(1), re.M))
    commands[body["command_name"]] = body["command_line"]
PLUGINS = ["check_s3tables_expiration", "check_s3tables_maintenance", "check_s3tables_replication"]
is_(sorted(commands), sorted(p + scope + keys for p in PLUGINS for scope in ("", "_all_tables") for keys in ("", "_keys")),
    "s3tables-commands.cfg defines a key-less and a _keys command per plugin, for one table and for every table")
for name, line in sorted(commands.items()):
    ok(("$USER3$" in line and "$USER4$" in line) == name.endswith("_keys"),
       "%s: uses $USER3$/$USER4$ only if it is a _keys command" % name, line)



def expand(check_command, bucket_arn=BUCKET_ARN):
    name, *args = check_command.split("!")
    line = commands[name]
    macros = {"USER1": PLUGINDIR, "USER3": ACCESS_KEY, "USER4": SECRET_KEY, "_HOSTS3TABLES_BUCKET_ARN": bucket_arn}
    macros.update(("ARG%d" % (i + 1), a) for i, a in enumerate(args))
    return re.sub(r"\$([A-Z0-9_]+)\$", lambda m: macros.get(m.group(1), ""), line)


# The key-less commands' plugins find a profile in this file (as the nagios
# user's ~/.aws/credentials would be found).
PROFILE_KEY = ("AKIDNAGIOSPROFILE", "nagiosProfileSecretDoNotPrint0123456789")
credfile = write("aws-credentials", "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % PROFILE_KEY)
sim = Simulator(["--credentials", "%s:%s" % PROFILE_KEY])


def nagios_run(check_command, env_extra=None, bucket_arn=BUCKET_ARN):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    # Loopback only: no instance metadata service, no profile unless the case gives one.
    env.update(HOME="/nonexistent", AWS_ENDPOINT_URL_S3TABLES=sim.url, AWS_CA_BUNDLE=sim.ca,
               AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE="/nonexistent",
               AWS_SHARED_CREDENTIALS_FILE="/nonexistent")
    env.update(env_extra or {})
    p = subprocess.run(["/bin/sh", "-c", expand(check_command, bucket_arn)], stdout=subprocess.PIPE,
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
    name, rest = check_command.split("!", 1)
    for variant, key_id, env_extra in (("_keys", ACCESS_KEY, None),
                                       ("", PROFILE_KEY[0], {"AWS_SHARED_CREDENTIALS_FILE": credfile})):
        cc = name + variant + "!" + rest
        before = len(sim.requests())
        rc, out, err = nagios_run(cc, env_extra)
        is_(rc, want_rc, "%s: exit %d" % (cc, want_rc))
        ok(out.startswith(want_first), "%s: %s" % (cc, want_first), out + err)
        is_(akids_seen(sim, before), [(key_id, "ok")], "%s: one request, signed with %s" % (cc, key_id))

# The bucket-wide commands: every table of the simulator's fleet-mixed bucket in one run.
FLEET = "arn:aws:s3tables:us-east-1:111122223333:bucket/fleet-mixed"
for variant, key_id, env_extra in (("_keys", ACCESS_KEY, None),
                                   ("", PROFILE_KEY[0], {"AWS_SHARED_CREDENTIALS_FILE": credfile})):
    cc = "check_s3tables_maintenance_all_tables" + variant + "!--include '^sales[.]' -t 20"
    before = len(sim.requests())
    rc, out, err = nagios_run(cc, env_extra, bucket_arn=FLEET)
    is_(rc, 2, "%s: exit 2 (sales.customers' compaction failed)" % cc)
    ok(out.startswith("S3TABLES MAINTENANCE CRITICAL - 1 of 6 tables critical (sales.customers: "), "%s: the fleet summary" % cc,
       out + err)
    seen = akids_seen(sim, before)
    ok(len(seen) == 9 and set(seen) == {(key_id, "ok")},
       "%s: 3 listing pages and 6 status requests, all signed with %s" % (cc, key_id), "seen: %r" % seen)

# The keys live in the plugin's environment only, never in its argv.
line = expand("check_s3tables_replication_keys!x!")
plugin_argv = line.split(" ", 3)[3]
ok(ACCESS_KEY not in plugin_argv and SECRET_KEY not in plugin_argv,
   "the plugin's own command line carries no key (only /usr/bin/env's, until it executes the plugin)", line)
for name in PLUGINS:
    line = expand(name + "!x!y!")
    ok(ACCESS_KEY not in line and SECRET_KEY not in line and not line.startswith("/usr/bin/env"),
       "%s: the key-less command line is the plugin alone, no key" % name, line)
# A key-less command with nothing to find: UNKNOWN, naming the sources it tried.
rc, out, err = nagios_run("check_s3tables_replication!%s!" % fresh("repl_ok"))
like(out, r"^S3TABLES REPLICATION UNKNOWN - no AWS credentials found",
     "key-less command and no credential source: UNKNOWN, no AWS credentials found")

e2e.done()
