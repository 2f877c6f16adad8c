"""End to end: where check_s3tables_replication finds its AWS credentials.

Every source of the chain (environment, profile static keys, --profile and
AWS_PROFILE, credential_process, role_arn + source_profile, web identity,
container endpoint, instance metadata) must sign a request the simulator
accepts; a configured but broken source ends the run UNKNOWN naming the
source and the reason without falling through to the next one; temporary
credentials are cached on disk (private directory and files, refreshed
before expiry, refused when the directory is not private, safe under
concurrency); a stalling credential endpoint cannot outlive -t.

Every endpoint is on loopback: STS is tests/fake_sts.py, IMDS and the
container endpoint are tests/fake_metadata.py, S3 Tables is the simulator.
"""
import atexit
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402
from e2e import (BUILDDIR, SRCDIR, Result, Simulator, akids_seen, done, invariants, is_, like, ok,  # noqa: E402
                 table_arn, unprivileged)

P = "check_s3tables_replication"
TESTS = os.path.join(SRCDIR, "tests")

# Credentials each source hands out; the simulator accepts exactly these.
ENV_KEY = ("AKIDENVEXAMPLE", "envSecretDoNotPrint0123456789abcdefghijkl")
ENV_TOKEN_CREDS = ("ASIAENVTOKEN", "envTokSecretDoNotPrint0123456789abcdefg", "envSessionTokenDoNotPrint0123456789")
PROFILE_KEY = ("AKIDPROFILEDEFAULT", "profileSecretDoNotPrint0123456789abcdef")
OTHER_KEY = ("AKIDPROFILEOTHER", "otherProfileSecretDoNotPrint0123456789a")
BASE_KEY = ("AKIDSTSBASE", "stsBaseSecretDoNotPrint0123456789abcdefg")  # source_profile, known to fake STS
PROCESS_CREDS = ("ASIAPROCESS", "processSecretDoNotPrint0123456789abcdef", "processTokenDoNotPrint0123456789")
STS_CREDS = ("ASIASTSISSUED", "stsIssuedSecretDoNotPrint0123456789abcd", "stsIssuedTokenDoNotPrint0123456789")
IMDS_CREDS = ("ASIAIMDSFAKE", "imds-secret-do-not-print", "imds-session-token-do-not-print")
CONTAINER_CREDS = ("ASIACONTAINERFAKE", "container-secret-do-not-print", "container-session-token-do-not-print")
WEB_TOKEN = "eyJwebIdentityTokenDoNotPrint.payload.signature"
IMDS_SESSION_TOKEN = "fake-imds-token-Q2hhbmdlTWU"  # fake_metadata.TOKEN: the x-aws-ec2-metadata-token value
ALL_SECRETS = [c[1] for c in (ENV_KEY, ENV_TOKEN_CREDS, PROFILE_KEY, OTHER_KEY, BASE_KEY, PROCESS_CREDS, STS_CREDS,
                              IMDS_CREDS, CONTAINER_CREDS)] + \
              [c[2] for c in (ENV_TOKEN_CREDS, PROCESS_CREDS, STS_CREDS, IMDS_CREDS, CONTAINER_CREDS)] + [WEB_TOKEN, IMDS_SESSION_TOKEN]

TMP = tempfile.mkdtemp(prefix="s3t-e2e-creds-")
atexit.register(shutil.rmtree, TMP, True)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))


def start_fake(script, name, args=()):
    """Start tests/<script> on loopback; returns (port, log path)."""
    return e2e.start_fake(script, os.path.join(TMP, name), args)


def log_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def sts_requests(log, action=None):
    return [e for e in log_lines(log) if action is None or e.get("action") == action]


def meta_requests(log, prefix):
    return [e for e in log_lines(log) if e["path"].startswith(prefix)]


def meta_control(port, **kw):
    q = "&".join("%s=%s" % (k, v) for k, v in kw.items())
    with urllib.request.urlopen("http://127.0.0.1:%d/_control?%s" % (port, q), timeout=5) as r:
        r.read()


def cred_arg(c):
    return "--credentials=" + ":".join(c)


# --- servers ------------------------------------------------------------------
sim = Simulator([cred_arg(c) for c in (ENV_KEY, ENV_TOKEN_CREDS, PROFILE_KEY, OTHER_KEY, PROCESS_CREDS, STS_CREDS,
                                       IMDS_CREDS, CONTAINER_CREDS)])
STS_PORT, STS_LOG = start_fake("fake_sts.py", "sts", ["--key", "%s:%s" % BASE_KEY, "--issue", ":".join(STS_CREDS),
                                                     "--fail", "denied=AccessDenied",
                                                     "--fail", "badtoken=InvalidIdentityToken"])
STS_SHORT_PORT, STS_SHORT_LOG = start_fake("fake_sts.py", "sts-short",
                                           ["--key", "%s:%s" % BASE_KEY, "--issue", ":".join(STS_CREDS),
                                            "--duration", "240"])
STS_STALL_PORT, STS_STALL_LOG = start_fake("fake_sts.py", "sts-stall",
                                           ["--key", "%s:%s" % BASE_KEY, "--fail", "stall=stall",
                                            "--stall-seconds", "20"])
META_PORT, META_LOG = start_fake("fake_metadata.py", "meta")
meta_control(META_PORT, expires_in=3600)
META_STALL_PORT, META_STALL_LOG = start_fake("fake_metadata.py", "meta-stall")
meta_control(META_STALL_PORT, imds="slow", container="slow", delay=20)

STS_URL = "http://127.0.0.1:%d" % STS_PORT
META_URL = "http://127.0.0.1:%d" % META_PORT
CONTAINER_URL = META_URL + "/container/v2/credentials/task"


# --- running the plugin --------------------------------------------------------
_homes = iter(range(1, 10000))


def new_home():
    """A fresh, empty HOME (its .cache is where the credential cache goes)."""
    h = os.path.join(TMP, "home%d" % next(_homes))
    os.makedirs(os.path.join(h, ".aws"))
    return h


def write(path, text, mode=0o600):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def prun(env=None, args=(), home=None, verbose=None, timeout=30, name="", checks=True, wrap=()):
    """The plugin against the simulator's repl_ok. env values of None unset a variable.
    AWS_EC2_METADATA_DISABLED=true unless env says otherwise; nothing else from AWS_*."""
    exe = os.path.join(BUILDDIR, "plugins", P)
    cmd = [exe, "-a", table_arn("repl_ok"), "--endpoint-url", sim.url, "--ca-file", sim.ca] + list(args)
    if verbose:
        cmd.append("-" + "v" * verbose)
    e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "XDG_CACHE_HOME"}
    e["HOME"] = home or new_home()
    e["AWS_EC2_METADATA_DISABLED"] = "true"
    for k, v in (env or {}).items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    start = time.monotonic()
    p = subprocess.run(list(wrap) + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, timeout=timeout)
    r = Result(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"),
               time.monotonic() - start)
    if checks:
        run_checks(r, name)
    return r


def run_checks(r, name):
    """What every run must keep; TAP output, so only from the main thread."""
    invariants(r, P, name)
    leaked = [s for s in ALL_SECRETS if s in r.out or s in r.err]
    ok(not leaked, "%s: no secret, session token or web identity token in stdout/stderr" % name,
       "leaked: %r\n%r" % ([s[:6] + "..." for s in leaked], r))


def signed_with(akid, since):
    """Access key ids the simulator saw (auth ok) since log entry number `since`."""
    return akids_seen(sim, since)


def source_ok(name, env, want_source, creds, args=(), home=None):
    """One success: exit 0, the simulator saw the expected key id, -v names the source,
    and -vvv leaks nothing."""
    before = len(sim.requests())
    r = prun(env, args, home=home, verbose=1, name=name)
    is_(r.rc, 0, "%s: signs a request the simulator accepts" % name) or print("# " + repr(r).replace("\n", "\n# "))
    seen = signed_with(creds[0], before)
    ok(seen and all(s == (creds[0], "ok") for s in seen), "%s: signed with %s" % (name, creds[0]), seen)
    like(r.err, r"credentials from %s\b" % re.escape(want_source), "%s: -v names the source (%s)" % (name, want_source))
    r3 = prun(env, args, home=home, verbose=3, name=name + " -vvv")
    is_(r3.rc, 0, "%s -vvv: still OK" % name)
    return r


# --- 1. every source signs a request -------------------------------------------
source_ok("environment", {"AWS_ACCESS_KEY_ID": ENV_KEY[0], "AWS_SECRET_ACCESS_KEY": ENV_KEY[1]},
          "environment", ENV_KEY)
source_ok("environment with session token",
          {"AWS_ACCESS_KEY_ID": ENV_TOKEN_CREDS[0], "AWS_SECRET_ACCESS_KEY": ENV_TOKEN_CREDS[1],
           "AWS_SESSION_TOKEN": ENV_TOKEN_CREDS[2]}, "environment", ENV_TOKEN_CREDS)

r = prun({"AWS_ACCESS_KEY_ID": ENV_TOKEN_CREDS[0], "AWS_SECRET_ACCESS_KEY": ENV_TOKEN_CREDS[1]},
         name="environment token missing")
ok(r.rc != 0, "environment: temporary key without its session token is rejected by the simulator", r)

PROFILES_HOME = new_home()
write(os.path.join(PROFILES_HOME, ".aws", "credentials"),
      "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n"
      "[other]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (PROFILE_KEY + OTHER_KEY))
write(os.path.join(PROFILES_HOME, ".aws", "config"), "[default]\nregion = us-east-1\n\n[profile other]\nregion = us-east-1\n")
source_ok("profile static keys (~/.aws/credentials)", {}, "profile", PROFILE_KEY, home=PROFILES_HOME)
source_ok("--profile other", {}, "profile", OTHER_KEY, args=["--profile", "other"], home=PROFILES_HOME)
source_ok("AWS_PROFILE=other", {"AWS_PROFILE": "other"}, "profile", OTHER_KEY, home=PROFILES_HOME)
source_ok("--profile beats AWS_PROFILE", {"AWS_PROFILE": "nosuchprofile"}, "profile", OTHER_KEY,
          args=["--profile", "other"], home=PROFILES_HOME)

FILES_DIR = os.path.join(TMP, "files")
os.mkdir(FILES_DIR)
write(os.path.join(FILES_DIR, "creds"), "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % OTHER_KEY)
write(os.path.join(FILES_DIR, "cfg"), "[default]\nregion = us-east-1\n")
source_ok("AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE",
          {"AWS_CONFIG_FILE": os.path.join(FILES_DIR, "cfg"),
           "AWS_SHARED_CREDENTIALS_FILE": os.path.join(FILES_DIR, "creds")}, "profile", OTHER_KEY)
source_ok("environment beats the profile", {"AWS_ACCESS_KEY_ID": ENV_KEY[0], "AWS_SECRET_ACCESS_KEY": ENV_KEY[1]},
          "environment", ENV_KEY, home=PROFILES_HOME)

# credential_process
PROC = write(os.path.join(FILES_DIR, "creds-process.sh"),
             "#!/bin/sh\necho 'diagnostics on stderr %s' >&2\n"
             "cat <<EOF\n{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\",\n"
             " \"SessionToken\": \"%s\", \"Expiration\": \"$(date -u -d '+1 hour' +%%Y-%%m-%%dT%%H:%%M:%%SZ)\"}\nEOF\n"
             % ((PROCESS_CREDS[1],) + PROCESS_CREDS), 0o700)
PROC_FAIL = write(os.path.join(FILES_DIR, "creds-process-fail.sh"),
                  "#!/bin/sh\necho 'cannot get credentials: the SSO session expired' >&2\nexit 1\n", 0o700)
PROC_BAD = write(os.path.join(FILES_DIR, "creds-process-bad.sh"),
                 "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": '\n" % PROCESS_CREDS[0],
                 0o700)


def config_home(config, credentials=None):
    h = new_home()
    write(os.path.join(h, ".aws", "config"), config)
    if credentials is not None:
        write(os.path.join(h, ".aws", "credentials"), credentials)
    return h


source_ok("credential_process", {}, "credential-process", PROCESS_CREDS,
          home=config_home("[default]\ncredential_process = %s\n" % PROC))

# role_arn + source_profile through the fake STS
AR_CONFIG = ("[default]\nrole_arn = arn:aws:iam::111122223333:role/%s\nsource_profile = base\n"
             "role_session_name = e2e\n\n[profile base]\naws_access_key_id = %s\naws_secret_access_key = %s\n")
sts_before = len(sts_requests(STS_LOG))
source_ok("role_arn + source_profile (AssumeRole)", {"AWS_ENDPOINT_URL_STS": STS_URL}, "assume-role", STS_CREDS,
          args=["--no-credential-cache"], home=config_home(AR_CONFIG % (("monitor",) + BASE_KEY)))
calls = sts_requests(STS_LOG)[sts_before:]
ok(calls and all(c["action"] == "AssumeRole" and c.get("signature_valid") and c.get("access_key_id") == BASE_KEY[0]
                 for c in calls),
   "AssumeRole: signed (SigV4, verified by the fake STS) with the source profile's key", calls)

# web identity from the environment
TOKEN_FILE = write(os.path.join(FILES_DIR, "web-identity-token"), WEB_TOKEN + "\n")
WI_ENV = {"AWS_ENDPOINT_URL_STS": STS_URL, "AWS_WEB_IDENTITY_TOKEN_FILE": TOKEN_FILE,
          "AWS_ROLE_ARN": "arn:aws:iam::111122223333:role/web", "AWS_ROLE_SESSION_NAME": "e2e-web"}
sts_before = len(sts_requests(STS_LOG))
source_ok("web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN)", WI_ENV, "web-identity", STS_CREDS,
          args=["--no-credential-cache"])
calls = sts_requests(STS_LOG)[sts_before:]
ok(calls and all(c["action"] == "AssumeRoleWithWebIdentity" and
                 (c["params"].get("WebIdentityToken") or "").strip() == WEB_TOKEN
                 and c["params"].get("RoleSessionName") == "e2e-web" and not c["has_authorization"] for c in calls),
   "web identity: unsigned AssumeRoleWithWebIdentity with the file's token and the session name",
   [dict(c, params={k: (v if k != "WebIdentityToken" else "<token %s>" % (v.strip() == WEB_TOKEN))
                    for k, v in c["params"].items()}) for c in calls])

# container endpoint
source_ok("container (AWS_CONTAINER_CREDENTIALS_FULL_URI)", {"AWS_CONTAINER_CREDENTIALS_FULL_URI": CONTAINER_URL},
          "container", CONTAINER_CREDS, args=["--no-credential-cache"])

# instance metadata
IMDS_ENV = {"AWS_EC2_METADATA_DISABLED": None, "AWS_EC2_METADATA_SERVICE_ENDPOINT": META_URL}
n_before = len(log_lines(META_LOG))
source_ok("instance metadata (AWS_EC2_METADATA_SERVICE_ENDPOINT)", IMDS_ENV, "instance-metadata", IMDS_CREDS,
          args=["--no-credential-cache"])
reqs = log_lines(META_LOG)[n_before:]
ok(any(e["method"] == "PUT" and e["path"] == "/latest/api/token" for e in reqs) and
   all(e["headers"].get("x-aws-ec2-metadata-token") for e in reqs if e["method"] == "GET"),
   "instance metadata: IMDSv2 (token PUT, then GETs with the token)", [(e["method"], e["path"]) for e in reqs])

# --- 2. broken sources: UNKNOWN, named, no fall-through --------------------------
# A working IMDS is configured in every case below: falling through would succeed.
FALLBACK = dict(IMDS_ENV)


def broken(name, env, pattern, home=None, args=(), check_no_imds=True, wrap=()):
    n_before = len(meta_requests(META_LOG, "/latest/"))
    r = prun(dict(FALLBACK, **env), ["--no-credential-cache"] + list(args), home=home, verbose=1, name=name, wrap=wrap)
    print("#   -> " + r.first)
    is_(r.rc, 3, "%s: UNKNOWN" % name)
    like(r.summary, pattern, "%s: the message names the source and the reason" % name)
    if check_no_imds:
        is_(len(meta_requests(META_LOG, "/latest/")) - n_before, 0,
            "%s: does not fall through to instance metadata" % name)
    ok("credentials from" not in r.err, "%s: no credentials were used" % name, r.err)
    return r


h = new_home()
os.mkdir(os.path.join(h, ".aws", "credentials"))
write(os.path.join(h, ".aws", "config"), "[default]\nregion = us-east-1\n")
broken("credentials file unreadable (a directory)", {},
       r"UNKNOWN - .*%s.*(directory|cannot)" % re.escape(os.path.join(h, ".aws", "credentials")), home=h)
# As root (CI), the unreadable file case runs as the unprivileged user nobody.
h = new_home()
write(os.path.join(h, ".aws", "credentials"), "[default]\naws_access_key_id = x\n", 0)
if unprivileged():
    os.chmod(TMP, 0o711)  # nobody may pass through to the file, and finds it unreadable
broken("credentials file unreadable (mode 000)%s" % (" as uid 65534" if unprivileged() else ""), {},
       r"UNKNOWN - .*%s.*(Permission denied|cannot)" % re.escape(os.path.join(h, ".aws", "credentials")), home=h,
       wrap=unprivileged())
if unprivileged():
    os.chmod(TMP, 0o700)
h = config_home("[default]\nregion = us-east-1\n[profile broken\naws_access_key_id = x\n")
broken("malformed config file", {}, r"UNKNOWN - .*%s.*line 3" % re.escape(os.path.join(h, ".aws", "config")), home=h)
h = new_home()
write(os.path.join(h, ".aws", "credentials"), "  indented = continuation before any profile\n")
broken("malformed credentials file", {}, r"UNKNOWN - .*%s" % re.escape(os.path.join(h, ".aws", "credentials")), home=h)
broken("credential_process exits 1", {},
       r"UNKNOWN - .*profile 'default'.*credential_process.*(exit|status) .*1: cannot get credentials: the SSO "
       r"session expired$",
       home=config_home("[default]\ncredential_process = %s\n" % PROC_FAIL))
broken("credential_process prints bad JSON", {},
       r"UNKNOWN - .*profile 'default'.*credential_process.*(JSON|json)",
       home=config_home("[default]\ncredential_process = %s\n" % PROC_BAD))
broken("STS AccessDenied", {"AWS_ENDPOINT_URL_STS": STS_URL},
       r"UNKNOWN - .*AssumeRole.*arn:aws:iam::111122223333:role/denied.*AccessDenied",
       home=config_home(AR_CONFIG % (("denied",) + BASE_KEY)))
broken("web identity: STS InvalidIdentityToken", dict(WI_ENV, AWS_ROLE_ARN="arn:aws:iam::111122223333:role/badtoken"),
       r"UNKNOWN - .*web identity.*InvalidIdentityToken")
missing = os.path.join(FILES_DIR, "no-such-token")
broken("web identity token file missing", dict(WI_ENV, AWS_WEB_IDENTITY_TOKEN_FILE=missing),
       r"UNKNOWN - .*web identity.*%s" % re.escape(missing))
meta_control(META_PORT, container="403")
broken("container endpoint answers 403", {"AWS_CONTAINER_CREDENTIALS_FULL_URI": CONTAINER_URL},
       r"UNKNOWN - .*container.*(403|Forbidden).*|UNKNOWN - .*(403|Forbidden).*container")
meta_control(META_PORT, container="ok")
r = broken("--profile names a missing profile", {}, r"UNKNOWN - .*profile 'nosuch'.*not found", home=PROFILES_HOME,
           args=["--profile", "nosuch"])
like(r.summary, re.escape(os.path.join(PROFILES_HOME, ".aws", "config")), "--profile missing: names the file(s) searched")
broken("AWS_PROFILE names a missing profile", {"AWS_PROFILE": "nosuch"}, r"UNKNOWN - .*profile 'nosuch'.*not found",
       home=PROFILES_HOME)
broken("environment: key id without secret", {"AWS_ACCESS_KEY_ID": ENV_KEY[0]},
       r"UNKNOWN - .*environment.*AWS_SECRET_ACCESS_KEY")

# --- 3. the on-disk cache ------------------------------------------------------
CACHE_SUB = os.path.join(".cache", "monitoring-plugins-s3tables")


def cache_files(home):
    d = os.path.join(home, CACHE_SUB)
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


h = config_home(AR_CONFIG % (("cached",) + BASE_KEY))
env = {"AWS_ENDPOINT_URL_STS": STS_URL}
n0 = len(sts_requests(STS_LOG))
r = prun(env, home=h, verbose=1, name="cache: first run")
is_(r.rc, 0, "cache: first assume-role run OK")
is_(len(sts_requests(STS_LOG)) - n0, 1, "cache: first run asks STS once")
like(r.err, r"credentials from assume-role\b(?! \(cached\))", "cache: first run says assume-role, not cached")
r = prun(env, home=h, verbose=1, name="cache: second run")
is_(r.rc, 0, "cache: second run OK")
is_(len(sts_requests(STS_LOG)) - n0, 1, "cache: second run makes no STS request")
like(r.err, r"credentials from assume-role \(cached\)", "cache: -v says (cached)")
d = os.path.join(h, CACHE_SUB)
is_(oct(stat.S_IMODE(os.stat(d).st_mode)) if os.path.isdir(d) else None, "0o700", "cache: directory is 0700")
files = cache_files(h)
is_(len(files), 1, "cache: one entry")
ok(files and all(stat.S_IMODE(os.stat(os.path.join(d, f)).st_mode) == 0o600 for f in files),
   "cache: entries are 0600", [(f, oct(os.stat(os.path.join(d, f)).st_mode)) for f in files])
r = prun(env, ["--no-credential-cache"], home=h, verbose=1, name="cache: --no-credential-cache")
is_(r.rc, 0, "--no-credential-cache: OK")
is_(len(sts_requests(STS_LOG)) - n0, 2, "--no-credential-cache: asks STS again")
ok("(cached)" not in r.err, "--no-credential-cache: not from the cache", r.err)

# XDG_CACHE_HOME wins over HOME
xdg = os.path.join(TMP, "xdg")
h = config_home(AR_CONFIG % (("xdg",) + BASE_KEY))
r = prun(dict(env, XDG_CACHE_HOME=xdg), home=h, name="cache: XDG_CACHE_HOME")
is_(r.rc, 0, "XDG_CACHE_HOME: OK")
ok(os.path.isdir(os.path.join(xdg, "monitoring-plugins-s3tables")) and not cache_files(h),
   "XDG_CACHE_HOME: the cache goes there, not under HOME")

# credentials expiring in 4 minutes (inside the 5-minute margin) are refreshed
h = config_home(AR_CONFIG % (("short",) + BASE_KEY))
env_short = {"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:%d" % STS_SHORT_PORT}
n0 = len(sts_requests(STS_SHORT_LOG))
r1 = prun(env_short, home=h, verbose=1, name="cache: 4-minute credentials, first run")
r2 = prun(env_short, home=h, verbose=1, name="cache: 4-minute credentials, second run")
is_((r1.rc, r2.rc), (0, 0), "4-minute credentials: both runs OK")
is_(len(sts_requests(STS_SHORT_LOG)) - n0, 2, "4-minute credentials: the second run refreshes (new STS request)")
ok("(cached)" not in r2.err, "4-minute credentials: not served from the cache", r2.err)

# a cache directory open to others is refused
h = config_home(AR_CONFIG % (("open",) + BASE_KEY))
d = os.path.join(h, CACHE_SUB)
os.makedirs(d)
os.chmod(d, 0o755)
n0 = len(sts_requests(STS_LOG))
r1 = prun(env, home=h, verbose=1, name="cache: 0755 directory, first run")
r2 = prun(env, home=h, verbose=1, name="cache: 0755 directory, second run")
is_((r1.rc, r2.rc), (0, 0), "0755 cache directory: runs still OK")
is_(len(sts_requests(STS_LOG)) - n0, 2, "0755 cache directory: refused, STS asked every time")
like(r2.err, r"credential cache .*%s.* mode 755.*refused" % re.escape(d), "0755 cache directory: -v says why")
is_(cache_files(h), [], "0755 cache directory: nothing written into it")

# instance metadata and container credentials are cached too
for label, env_c, prefix, source in (
        ("instance metadata", IMDS_ENV, "/latest/", "instance-metadata"),
        ("container", {"AWS_CONTAINER_CREDENTIALS_FULL_URI": CONTAINER_URL}, "/container/", "container")):
    h = new_home()
    n0 = len(meta_requests(META_LOG, prefix))
    r1 = prun(env_c, home=h, verbose=1, name="cache: %s, first run" % label)
    n1 = len(meta_requests(META_LOG, prefix))
    r2 = prun(env_c, home=h, verbose=1, name="cache: %s, second run" % label)
    is_((r1.rc, r2.rc), (0, 0), "cache: %s: both runs OK" % label)
    ok(n1 > n0, "cache: %s: first run asks the endpoint" % label)
    is_(len(meta_requests(META_LOG, prefix)) - n1, 0, "cache: %s: second run makes no metadata request" % label)
    like(r2.err, r"credentials from %s \(cached\)" % re.escape(source), "cache: %s: -v says (cached)" % label)

# --- 4. concurrency: 10 runs on an empty cache ----------------------------------
h = config_home(AR_CONFIG % (("parallel",) + BASE_KEY))
results = [None] * 10


def worker(i):
    try:
        results[i] = prun(env, home=h, name="parallel run %d" % i, checks=False)
    except Exception as exc:  # noqa: BLE001
        results[i] = exc


threads = [threading.Thread(target=worker, args=(i,)) for i in range(10)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for i, x in enumerate(results):
    if not isinstance(x, Exception):
        run_checks(x, "parallel run %d" % i)
is_([getattr(x, "rc", x) for x in results], [0] * 10, "10 parallel runs on an empty cache: all OK")
files = cache_files(h)
is_(len(files), 1, "10 parallel runs: exactly one cache entry, no temporary files left", ) or print("# %r" % files)
d = os.path.join(h, CACHE_SUB)
valid = False
for f in files:
    try:
        doc = json.load(open(os.path.join(d, f)))
        valid = doc.get("AccessKeyId") == STS_CREDS[0] and doc.get("Expiration", 0) > time.time() + 600
    except ValueError:
        pass
ok(valid, "10 parallel runs: the entry is valid JSON with the issued key and a future expiry")
n0 = len(sts_requests(STS_LOG))
r = prun(env, home=h, verbose=1, name="after parallel runs")
ok(r.rc == 0 and "(cached)" in r.err and len(sts_requests(STS_LOG)) == n0,
   "after 10 parallel runs the next run uses the cache", r)

# --- 5. one deadline: a stalling source ends within -t ---------------------------
for label, env_d in (
        ("STS stalls", {"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:%d" % STS_STALL_PORT}),
        ("IMDS stalls", {"AWS_EC2_METADATA_DISABLED": None,
                         "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:%d" % META_STALL_PORT}),
        ("container endpoint stalls", {"AWS_CONTAINER_CREDENTIALS_FULL_URI":
                                       "http://127.0.0.1:%d/container/x" % META_STALL_PORT})):
    home = config_home(AR_CONFIG % (("stall",) + BASE_KEY)) if label.startswith("STS") else None
    r = prun(env_d, ["-t", "2", "--no-credential-cache"], home=home, name="deadline: " + label)
    ok(r.elapsed < 3.0, "deadline: %s: -t 2 ends within 3 s (%.2f s)" % (label, r.elapsed))
    is_(r.rc, 3, "deadline: %s: UNKNOWN" % label)
    like(r.summary, r"timed out after 2 s", "deadline: %s: the timeout message" % label)

done()
