"""End to end: IAM Identity Center (SSO) credentials in check_s3tables_replication.

What `aws sso login --profile NAME` leaves behind must be enough: the sso-session and the
legacy profile forms, the token cache ~/.aws/sso/cache/<sha1>.json, refresh through SSO OIDC
CreateToken written back atomically and privately, GetRoleCredentials with the bearer token,
the role credentials cached on disk like every temporary source, SSO as the source_profile
of a role, mfa_serial refused, the configured endpoints (AWS_ENDPOINT_URL_SSO,
AWS_ENDPOINT_URL_SSO_OIDC, [services]) and, through a loopback CONNECT proxy, the host names
the partition rules, FIPS / dual-stack and sts_regional_endpoints give. Every failure is
UNKNOWN with a sentence that says what to do, and no output ever holds a token or secret.

Everything is on loopback: the portal and OIDC are tests/fake_sso.py, STS tests/fake_sts.py,
S3 Tables the simulator; real AWS host names only ever reach tests/connect_proxy.py.
"""
import atexit
import calendar
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import (BUILDDIR, DEADLINE_SLACK, VALGRIND, Result, Simulator, akids_seen, done, invariants, is_,  # noqa: E402
                 like, ok, start_fake, table_arn)
from connect_proxy import ConnectProxy  # noqa: E402

P = "check_s3tables_replication"
ACCOUNT, ROLE = "111122223333", "OnCallReader"
SSO_CREDS = ("ASIASSOROLE", "ssoRoleSecretDoNotPrint0123456789abcdefg", "ssoRoleSessionTokenDoNotPrint012345")
OTHER_CREDS = ("ASIASSOOTHER", "ssoOtherSecretDoNotPrint0123456789abcde", "ssoOtherSessionTokenDoNotPrint01234")
STS_CREDS = ("ASIASTSFROMSSO", "stsFromSsoSecretDoNotPrint0123456789abc", "stsFromSsoTokenDoNotPrint0123456789")
BASE_KEY = ("AKIDSTATICBASE", "staticBaseSecretDoNotPrint0123456789abc")
ACCESS = "ssoAccessTokenDoNotPrint-0123456789abcdef"      # accepted by the portal
REVOKED = "ssoRevokedAccessTokenDoNotPrint-0123456789"   # unknown to the portal
CLIENT = ("ssoClientIdDoNotPrint0123", "ssoClientSecretDoNotPrint0123456789abcdef")
REFRESH = "ssoRefreshTokenDoNotPrint-0123456789abcdef"
SECRETS = [SSO_CREDS[1], SSO_CREDS[2], OTHER_CREDS[1], OTHER_CREDS[2], STS_CREDS[1], STS_CREDS[2], BASE_KEY[1],
           ACCESS, REVOKED, CLIENT[1], REFRESH, "fake-sso-access-", "fake-sso-refresh-"]
START_URL = "https://oncall.awsapps.com/start"

TMP = tempfile.mkdtemp(prefix="s3t-e2e-sso-")
atexit.register(shutil.rmtree, TMP, True)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))


def start(script, name, args):
    port, log = start_fake(script, os.path.join(TMP, name), args)
    return "http://127.0.0.1:%d" % port, log


def lines(path, since=0):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()][since:]


def count(path):
    return len(lines(path))


sim = Simulator(["--credentials=" + ":".join(c) for c in (SSO_CREDS, OTHER_CREDS, STS_CREDS)])
SSO_URL, SSO_LOG = start("fake_sso.py", "sso", [
    "--access", ACCESS, "--role", "%s:%s:%s" % (ACCOUNT, ROLE, ":".join(SSO_CREDS)),
    "--role", "%s:Other:%s" % (ACCOUNT, ":".join(OTHER_CREDS)),
    "--client", ":".join(CLIENT), "--refresh", REFRESH])
STS_URL, STS_LOG = start("fake_sts.py", "sts", ["--key", "%s:%s" % SSO_CREDS[:2], "--key", "%s:%s" % BASE_KEY,
                                                "--issue", ":".join(STS_CREDS)])
ENDPOINTS = {"AWS_ENDPOINT_URL_SSO": SSO_URL, "AWS_ENDPOINT_URL_SSO_OIDC": SSO_URL, "AWS_ENDPOINT_URL_STS": STS_URL}


def control(**kw):
    q = "&".join("%s=%s" % kv for kv in kw.items())
    with urllib.request.urlopen("%s/_control?%s" % (SSO_URL, q), timeout=5) as r:
        r.read()


# --- files ---------------------------------------------------------------------
_n = iter(range(1, 10000))


def write(path, text, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def home_with(config, key_input=None, token=None, mode=0o600):
    """A HOME with ~/.aws/config and (when token is given) the token cache file for
    key_input (the sso-session name or the start URL). Returns (home, token path)."""
    h = os.path.join(TMP, "home%d" % next(_n))
    write(os.path.join(h, ".aws", "config"), config)
    path = None
    if key_input is not None:
        path = os.path.join(h, ".aws", "sso", "cache", hashlib.sha1(key_input.encode()).hexdigest() + ".json")
        if token is not None:
            write(path, json.dumps(token), mode)
    return h, path


def token(access=ACCESS, expires_in=8 * 3600, refresh=False, registration_in=90 * 86400):
    t = {"startUrl": START_URL, "region": "us-east-1", "accessToken": access, "expiresAt": iso(time.time() + expires_in)}
    if refresh:
        rt = "%s-%d" % (REFRESH, next(_n))
        control(add_refresh=rt)
        t.update({"refreshToken": rt, "clientId": CLIENT[0], "clientSecret": CLIENT[1],
                  "registrationExpiresAt": iso(time.time() + registration_in)})
    return t


SESSION_CONFIG = """[profile oncall]
sso_session = corp
sso_account_id = %s
sso_role_name = %s
region = us-east-1

[sso-session corp]
sso_start_url = %s
sso_region = us-east-1
sso_registration_scopes = sso:account:access
""" % (ACCOUNT, ROLE, START_URL)

LEGACY_CONFIG = """[profile legacy]
sso_start_url = %s
sso_region = us-east-1
sso_account_id = %s
sso_role_name = Other
""" % (START_URL, ACCOUNT)


# --- running -------------------------------------------------------------------
def prun(home, env=None, args=(), verbose=1, name="", endpoint=True, cache=False):
    exe = os.path.join(BUILDDIR, "plugins", P)
    cmd = [exe, "-a", table_arn("repl_ok"), "--ca-file", sim.ca, "-" + "v" * verbose] + list(args)
    if endpoint:
        cmd += ["--endpoint-url", sim.url]
    if not cache:
        cmd.append("--no-credential-cache")
    if VALGRIND:  # far slower: a long deadline unless the case sets its own
        cmd += [] if "-t" in args else ["-t", "60"]
        cmd = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
               "--errors-for-leak-kinds=definite,indirect"] + cmd
    e = {k: v for k, v in os.environ.items()
         if not k.startswith("AWS_") and k.lower() not in ("https_proxy", "no_proxy", "xdg_cache_home")}
    e.update({"HOME": home, "AWS_EC2_METADATA_DISABLED": "true"})
    e.update(env if env is not None else ENDPOINTS)
    start_t = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, timeout=30)
    r = Result(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"),
               time.monotonic() - start_t)
    invariants(r, P, name)
    leaked = [s for s in SECRETS if s in r.out or s in r.err]
    ok(not leaked, "%s: no token, refresh token, client secret or key in the output" % name,
       "leaked: %r\n%r" % ([s[:8] for s in leaked], r))
    return r


def succeeds(name, home, creds, source="sso", **kw):
    before = len(sim.requests())
    r = prun(home, name=name, **kw)
    is_(r.rc, 0, "%s: OK" % name) or print("# " + repr(r).replace("\n", "\n# "))
    seen = akids_seen(sim, before)
    ok(seen and all(s == (creds[0], "ok") for s in seen), "%s: signed with %s" % (name, creds[0]), seen)
    like(r.err, r"(?m)credentials from %s$" % re.escape(source), "%s: -v names the source %s" % (name, source))
    return r


def fails(name, home, pattern, **kw):
    before = len(sim.requests())
    r = prun(home, name=name, **kw)
    print("#   -> " + r.first)
    is_(r.rc, 3, "%s: UNKNOWN" % name)
    like(r.summary, pattern, "%s: the message says what is wrong and what to do" % name)
    is_(len(sim.requests()) - before, 0, "%s: no request reaches S3 Tables" % name)
    return r


LOGIN = r"run `aws sso login --profile %s`"

# --- 1. the two profile forms ----------------------------------------------------
h, tpath = home_with(SESSION_CONFIG, "corp", token())
n = count(SSO_LOG)
succeeds("sso-session profile", h, SSO_CREDS, args=["--profile", "oncall"])
reqs = lines(SSO_LOG, n)
is_([(q["path"], q["account_id"], q["role_name"], q["bearer_ok"], q["authorization_present"]) for q in reqs],
    [("/federation/credentials", ACCOUNT, ROLE, True, False)],
    "sso-session profile: one GetRoleCredentials for the account and role, with the cached token as bearer, unsigned")
r = prun(h, args=["--profile", "oncall"], verbose=3, name="sso-session profile -vvv")
is_(r.rc, 0, "sso-session profile -vvv: OK")
like(r.err, r"x-amz-sso_bearer_token: <redacted>", "-vvv: the bearer token header is shown redacted")

h, _ = home_with(LEGACY_CONFIG, START_URL, token())
succeeds("legacy profile (sso_start_url in the profile)", h, OTHER_CREDS, env=dict(ENDPOINTS, AWS_PROFILE="legacy"))

# the cache key: session name for the sso-session form, start URL for the legacy form
h, tpath = home_with(SESSION_CONFIG, START_URL, token())
want = os.path.join(h, ".aws", "sso", "cache", hashlib.sha1(b"corp").hexdigest() + ".json")
fails("sso-session profile, token cached under the start URL's key", h,
      r"profile 'oncall'.*no SSO token in %s.*%s" % (re.escape(want), LOGIN % "oncall"), args=["--profile", "oncall"])
h, _ = home_with(LEGACY_CONFIG + "\n[sso-session corp]\nsso_start_url = %s\nsso_region = us-east-1\n" % START_URL,
                 "corp", token())
fails("legacy profile, token cached under a session name's key", h, r"no SSO token in .*%s\.json.*%s" % (
    hashlib.sha1(START_URL.encode()).hexdigest(), LOGIN % "legacy"), args=["--profile", "legacy"])

h, tpath = home_with(SESSION_CONFIG, "corp", None)
write(tpath, '{"accessToken": "%s"}' % ACCESS)
fails("token file without expiresAt", h, r"%s is not usable: it has no expiresAt.*%s" % (re.escape(tpath),
      LOGIN % "oncall"), args=["--profile", "oncall"])
write(tpath, "not json at all")
fails("token file that is not JSON", h, r"%s is not usable.*JSON" % re.escape(tpath), args=["--profile", "oncall"])

h, _ = home_with("[profile half]\nsso_session = corp\n[sso-session corp]\nsso_start_url = %s\nsso_region = us-east-1\n"
                 % START_URL, "corp", token())
fails("sso-session profile without account and role", h, r"profile 'half'.*sso_account_id.*sso_role_name",
      args=["--profile", "half"])
h, _ = home_with("[profile nosess]\nsso_session = nosuch\nsso_account_id = 1\nsso_role_name = r\n")
fails("sso_session naming a missing section", h, r"profile 'nosess'.*sso-session.*nosuch.*not found",
      args=["--profile", "nosess"])

# --- 2. expiry and refresh ---------------------------------------------------------
n, m = count(SSO_LOG), len(sim.requests())
h, tpath = home_with(SESSION_CONFIG, "corp", token(expires_in=-60))
fails("expired token without refresh data", h, r"SSO token in %s expired at .* no refresh data; %s" % (
      re.escape(tpath), LOGIN % "oncall"), args=["--profile", "oncall"])
is_(count(SSO_LOG) - n, 0, "expired token without refresh data: neither OIDC nor the portal is called")

h, tpath = home_with(SESSION_CONFIG, "corp", token(access=REVOKED, expires_in=-60, refresh=True), mode=0o644)
before_text = json.load(open(tpath))
n = count(SSO_LOG)
succeeds("expired token with refresh data: refreshed", h, SSO_CREDS, args=["--profile", "oncall"], verbose=2)
reqs = lines(SSO_LOG, n)
is_([q["path"] for q in reqs], ["/token", "/federation/credentials"], "refresh: CreateToken, then GetRoleCredentials")
g = reqs[0] if reqs else {}
is_((g.get("grant_type"), g.get("client_ok"), g.get("refresh_ok"), g.get("content_type"),
     g.get("authorization_present")), ("refresh_token", True, True, "application/json", False),
    "refresh: grantType refresh_token with the cached client id, secret and refresh token, JSON, unsigned")
ok(all(q.get("bearer_ok") for q in reqs[1:]), "refresh: the portal got the new access token")
after = json.load(open(tpath))
st = os.stat(tpath)
is_(stat.S_IMODE(st.st_mode), 0o600, "refresh write-back: the cache file is now 0600 (it was 0644)")
is_(st.st_uid, os.geteuid(), "refresh write-back: owned by the user")
ok(after["accessToken"].startswith("fake-sso-access-") and after["accessToken"] != before_text["accessToken"],
   "refresh write-back: the new access token is in the file")
ok(after["refreshToken"].startswith("fake-sso-refresh-"), "refresh write-back: the rotated refresh token is in the file")
exp = calendar.timegm(time.strptime(after["expiresAt"], "%Y-%m-%dT%H:%M:%SZ"))
ok(abs(exp - (time.time() + 28800)) < 120, "refresh write-back: expiresAt is now + expiresIn (%s)" % after["expiresAt"])
is_({k: after.get(k) for k in ("startUrl", "region", "clientId", "clientSecret", "registrationExpiresAt")},
    {k: before_text.get(k) for k in ("startUrl", "region", "clientId", "clientSecret", "registrationExpiresAt")},
    "refresh write-back: the other fields are kept")
is_(sorted(os.listdir(os.path.dirname(tpath))), [os.path.basename(tpath)],
    "refresh write-back: no temporary file is left behind")
n = count(SSO_LOG)
succeeds("after the refresh: the written-back token is used", h, SSO_CREDS, args=["--profile", "oncall"])
is_([q["path"] for q in lines(SSO_LOG, n)], ["/federation/credentials"], "after the refresh: no second CreateToken")
after["expiresAt"] = iso(time.time() - 10)
write(tpath, json.dumps(after))
n = count(SSO_LOG)
succeeds("refresh with the rotated refresh token from the file", h, SSO_CREDS, args=["--profile", "oncall"])
is_([(q["path"], q.get("refresh_ok"), q["status"]) for q in lines(SSO_LOG, n)][:1], [("/token", True, 200)],
    "the second refresh used the rotated refresh token (the first one is dead at the OIDC service)")

h, tpath = home_with(SESSION_CONFIG, "corp", token(expires_in=-60, refresh=True))
n = count(SSO_LOG)
r = prun(h, args=["--profile", "oncall"], verbose=3, name="refresh -vvv")
is_(r.rc, 0, "refresh -vvv: OK (and, above, no token, refresh token or client secret in the trace)")
is_([q["path"] for q in lines(SSO_LOG, n)], ["/token", "/federation/credentials"], "refresh -vvv: refreshed")

# four checks at once on one expired token: one CreateToken (the others wait for the lock and
# read the new token); without the lock the losers would send the rotated-away refresh token
h, tpath = home_with(SESSION_CONFIG, "corp", token(expires_in=-60, refresh=True))
n = count(SSO_LOG)
exe = os.path.join(BUILDDIR, "plugins", P)
penv = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k.lower() != "xdg_cache_home"}
penv.update(ENDPOINTS, HOME=h, AWS_EC2_METADATA_DISABLED="true")
procs = [subprocess.Popen([exe, "-a", table_arn("repl_ok"), "--ca-file", sim.ca, "--endpoint-url", sim.url,
                           "--profile", "oncall", "--no-credential-cache"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=penv) for _ in range(4)]
outs = [(p.wait(30), p.stdout.read().decode(), p.stderr.read().decode()) for p in procs]
is_([o[0] for o in outs], [0, 0, 0, 0], "concurrent refresh: all four checks OK")
is_([q["path"] for q in lines(SSO_LOG, n)].count("/token"), 1, "concurrent refresh: exactly one CreateToken")
ok(not any(s in o[1] + o[2] for o in outs for s in SECRETS), "concurrent refresh: nothing secret printed")
ok(json.load(open(tpath))["accessToken"].startswith("fake-sso-access-"), "concurrent refresh: the file holds the new token")

# a run that holds the lock and never finishes (stopped, say) must not hang the others past -t
h, tpath = home_with(SESSION_CONFIG, "corp", token(expires_in=-60, refresh=True))
holder = open(tpath)
fcntl.flock(holder, fcntl.LOCK_EX)
T = 30 if VALGRIND else 3
r = succeeds("refresh while another process holds the lock", h, SSO_CREDS, args=["--profile", "oncall", "-t", str(T)])
ok(r.elapsed < T + DEADLINE_SLACK, "lock held elsewhere: the check still ends within -t (%.1f s)" % r.elapsed)
holder.close()

h, tpath = home_with(SESSION_CONFIG, "corp", token(expires_in=300, refresh=True))
n = count(SSO_LOG)
succeeds("token valid for 5 more minutes (inside the 15-minute refresh window)", h, SSO_CREDS,
         args=["--profile", "oncall"])
is_([(q["path"], q["status"]) for q in lines(SSO_LOG, n)][:1], [("/token", 200)],
    "refresh window: refreshed before it expires")

control(oidc="invalid_grant")
h, tpath = home_with(SESSION_CONFIG, "corp", token(expires_in=300, refresh=True))
text = open(tpath).read()
succeeds("inside the refresh window, refresh refused: the current token still works", h, SSO_CREDS,
         args=["--profile", "oncall"])
is_(open(tpath).read(), text, "refresh refused: the cache file is untouched")
h, tpath = home_with(SESSION_CONFIG, "corp", token(expires_in=-60, refresh=True))
r = fails("expired token, refresh refused", h, r"expired and refreshing it failed: SSO OIDC CreateToken: "
          r"invalid_grant.*HTTP 400.*%s" % LOGIN % "oncall", args=["--profile", "oncall"])
control(oidc="500")
fails("expired token, OIDC failing with 500", h, r"CreateToken.*HTTP 500.*%s" % LOGIN % "oncall",
      args=["--profile", "oncall"])
control(oidc="ok")
h, tpath = home_with(SESSION_CONFIG, "corp", token(expires_in=-60, refresh=True, registration_in=-60))
n = count(SSO_LOG)
fails("expired token and expired client registration", h, r"expired at .*client registration has expired.*%s" %
      LOGIN % "oncall", args=["--profile", "oncall"])
is_(count(SSO_LOG) - n, 0, "expired registration: no CreateToken attempt")

# --- 3. GetRoleCredentials failures and retries ------------------------------------
h, _ = home_with(SESSION_CONFIG, "corp", token(access=REVOKED))
fails("the portal refuses the token (401)", h, r"GetRoleCredentials for role %s in account %s: UnauthorizedException.*"
      r"HTTP 401.*%s" % (ROLE, ACCOUNT, LOGIN % "oncall"), args=["--profile", "oncall"])
h, _ = home_with(SESSION_CONFIG.replace(ROLE, "NotAssigned"), "corp", token())
fails("role not assigned (403)", h, r"ForbiddenException.*HTTP 403", args=["--profile", "oncall"])
control(portal="503", portal_count="1")
h, _ = home_with(SESSION_CONFIG, "corp", token())
n = count(SSO_LOG)
succeeds("portal 503 once: retried", h, SSO_CREDS, args=["--profile", "oncall"])
is_([q["status"] for q in lines(SSO_LOG, n)], [503, 200], "portal 503 once: a second attempt succeeds")
control(portal="503")
fails("portal 503 every time", h, r"GetRoleCredentials.*HTTP 503.*after 3 attempts", args=["--profile", "oncall"])
control(portal="ok")

# --- 4. the role credentials are cached on disk --------------------------------------
h, _ = home_with(SESSION_CONFIG, "corp", token())
n = count(SSO_LOG)
succeeds("cache: first run fetches", h, SSO_CREDS, args=["--profile", "oncall"], cache=True)
succeeds("cache: second run", h, SSO_CREDS, source="sso (cached)", args=["--profile", "oncall"], cache=True)
is_(count(SSO_LOG) - n, 1, "cache: GetRoleCredentials called once for two runs")
cdir = os.path.join(h, ".cache", "monitoring-plugins-s3tables")
files = os.listdir(cdir) if os.path.isdir(cdir) else []
ok(files and all(stat.S_IMODE(os.stat(os.path.join(cdir, f)).st_mode) == 0o600 for f in files) and
   stat.S_IMODE(os.stat(cdir).st_mode) == 0o700, "cache: a private directory with 0600 entries", files)
ok(not any(s in open(os.path.join(cdir, f)).read() for f in files for s in (ACCESS, REFRESH, CLIENT[1])),
   "cache: the SSO token is not stored with the role credentials")
control(duration="200")
h, _ = home_with(SESSION_CONFIG, "corp", token())
n = count(SSO_LOG)
succeeds("cache: credentials near expiry (200 s left)", h, SSO_CREDS, args=["--profile", "oncall"], cache=True)
succeeds("cache: near expiry, fetched again", h, SSO_CREDS, args=["--profile", "oncall"], cache=True)
is_(count(SSO_LOG) - n, 2, "cache: credentials within 5 minutes of expiry are not reused")
control(duration="3600")

# --- 5. SSO as the source of a role; mfa_serial --------------------------------------
ROLE_CONFIG = SESSION_CONFIG + """
[profile deploy]
role_arn = arn:aws:iam::%s:role/Deploy
source_profile = oncall
""" % ACCOUNT
h, _ = home_with(ROLE_CONFIG, "corp", token())
n, ns = count(SSO_LOG), count(STS_LOG)
succeeds("role_arn with an SSO source_profile", h, STS_CREDS, source="assume-role", args=["--profile", "deploy"])
is_([q["path"] for q in lines(SSO_LOG, n)], ["/federation/credentials"], "SSO source: GetRoleCredentials first")
sts = lines(STS_LOG, ns)
is_([(e.get("action"), e.get("access_key_id"), e.get("signature_valid")) for e in sts],
    [("AssumeRole", SSO_CREDS[0], True)], "SSO source: AssumeRole signed with the SSO role credentials")
h, _ = home_with(ROLE_CONFIG.replace("source_profile = oncall", "source_profile = oncall\nmfa_serial = "
                                     "arn:aws:iam::%s:mfa/oncall" % ACCOUNT), "corp", token())
n, ns = count(SSO_LOG), count(STS_LOG)
fails("mfa_serial", h, r"profile 'deploy'.*MFA code.*cannot prompt", args=["--profile", "deploy"])
is_((count(SSO_LOG) - n, count(STS_LOG) - ns), (0, 0), "mfa_serial: refused before any request")
h, _ = home_with("[profile mfa]\nrole_arn = arn:aws:iam::%s:role/X\nsource_profile = base\nmfa_serial = "
                 "arn:aws:iam::%s:mfa/me\n[profile base]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
                 % ((ACCOUNT, ACCOUNT) + BASE_KEY))
fails("mfa_serial on a role with static source keys", h, r"profile 'mfa'.*MFA", args=["--profile", "mfa"])

# --- 6. configured endpoints ---------------------------------------------------------
SERVICES = """services = local
[services local]
sso =
  endpoint_url = %s
sso_oidc =
  endpoint_url = %s
sts =
  endpoint_url = %s
""" % (SSO_URL, SSO_URL, STS_URL)
h, _ = home_with(ROLE_CONFIG.replace("source_profile = oncall\n", "source_profile = oncall\n" + SERVICES),
                 "corp", token(expires_in=-5, refresh=True))
n, ns = count(SSO_LOG), count(STS_LOG)
succeeds("[services] sso, sso_oidc and sts endpoints (no environment)", h, STS_CREDS, source="assume-role",
         args=["--profile", "deploy"], env={})
is_(([q["path"] for q in lines(SSO_LOG, n)], count(STS_LOG) - ns), (["/token", "/federation/credentials"], 1),
    "[services]: CreateToken, GetRoleCredentials and AssumeRole all reached the configured endpoints")
h, _ = home_with(SESSION_CONFIG, "corp", token())
succeeds("AWS_ENDPOINT_URL (all services)", h, SSO_CREDS, args=["--profile", "oncall"],
         env={"AWS_ENDPOINT_URL": SSO_URL})
fails("AWS_ENDPOINT_URL_SSO that is not a URL", h, r"SSO portal endpoint \(AWS_ENDPOINT_URL_SSO\) is not usable",
      args=["--profile", "oncall"], env={"AWS_ENDPOINT_URL_SSO": "ftp://x"})

# --- 7. host names from the partition rules (through a loopback CONNECT proxy) -------
proxy = ConnectProxy(os.path.join(TMP, "proxy"), sim.ca, os.path.join(sim.dir, "ca.key"))
PROXY_ENV = {"https_proxy": proxy.url, "HTTPS_PROXY": proxy.url, "no_proxy": "127.0.0.1,localhost",
             "NO_PROXY": "127.0.0.1,localhost"}


def host_for(name, home, env, args, want, endpoint=True, region="us-east-1"):
    n = len(proxy.hosts())
    r = prun(home, env=dict(PROXY_ENV, **env), args=args, name=name, endpoint=endpoint)
    is_(r.rc, 3, "%s: UNKNOWN (the proxy lets nothing through)" % name)
    is_(sorted(set(proxy.hosts()[n:])), [want], "%s: the plugin connects to %s" % (name, want))


h, _ = home_with(SESSION_CONFIG.replace("sso_region = us-east-1", "sso_region = eu-west-1"), "corp", token())
host_for("SSO portal of sso_region eu-west-1", h, {}, ["--profile", "oncall"], "portal.sso.eu-west-1.amazonaws.com")
h, _ = home_with(SESSION_CONFIG.replace("sso_region = us-east-1", "sso_region = cn-north-1"), "corp", token())
host_for("SSO portal in aws-cn", h, {}, ["--profile", "oncall"], "portal.sso.cn-north-1.amazonaws.com.cn")
h, _ = home_with(SESSION_CONFIG, "corp", token())
host_for("SSO portal with AWS_USE_FIPS_ENDPOINT", h, {"AWS_USE_FIPS_ENDPOINT": "true"}, ["--profile", "oncall"],
         "portal.sso-fips.us-east-1.amazonaws.com", endpoint=False)
host_for("SSO portal with AWS_USE_DUALSTACK_ENDPOINT", h, {"AWS_USE_DUALSTACK_ENDPOINT": "true"},
         ["--profile", "oncall"], "portal.sso.us-east-1.api.aws", endpoint=False)
h, _ = home_with(SESSION_CONFIG.replace("sso_region = us-east-1", "sso_region = us-gov-west-1"), "corp", token())
host_for("SSO portal, FIPS in aws-us-gov", h, {"AWS_USE_FIPS_ENDPOINT": "true"}, ["--profile", "oncall"],
         "portal.sso.us-gov-west-1.amazonaws.com", endpoint=False)
h, _ = home_with(SESSION_CONFIG, "corp", token())
host_for("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true: AWS_ENDPOINT_URL_SSO is ignored", h,
         {"AWS_ENDPOINT_URL_SSO": SSO_URL, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, ["--profile", "oncall"],
         "portal.sso.us-east-1.amazonaws.com")
h, _ = home_with(SESSION_CONFIG, "corp", token(expires_in=-5, refresh=True))
host_for("SSO OIDC for the refresh", h, {}, ["--profile", "oncall"], "oidc.us-east-1.amazonaws.com")

STATIC_ROLE = ("[profile r]\nrole_arn = arn:aws:iam::%s:role/X\nsource_profile = base\n%%s"
               "[profile base]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % ((ACCOUNT,) + BASE_KEY))
h, _ = home_with(STATIC_ROLE % "")
host_for("STS: regional by default", h, {}, ["--profile", "r"], "sts.us-east-1.amazonaws.com")
host_for("STS: AWS_STS_REGIONAL_ENDPOINTS=legacy in us-east-1", h, {"AWS_STS_REGIONAL_ENDPOINTS": "legacy"},
         ["--profile", "r"], "sts.amazonaws.com")
host_for("STS: AWS_STS_REGIONAL_ENDPOINTS=regional", h, {"AWS_STS_REGIONAL_ENDPOINTS": "regional"},
         ["--profile", "r"], "sts.us-east-1.amazonaws.com")
host_for("STS: legacy with FIPS stays regional", h, {"AWS_STS_REGIONAL_ENDPOINTS": "legacy",
                                                     "AWS_USE_FIPS_ENDPOINT": "true"},
         ["--profile", "r"], "sts-fips.us-east-1.amazonaws.com", endpoint=False)
h, _ = home_with(STATIC_ROLE % "sts_regional_endpoints = legacy\n")
host_for("STS: sts_regional_endpoints = legacy in the profile", h, {}, ["--profile", "r"], "sts.amazonaws.com")
fails("STS: AWS_STS_REGIONAL_ENDPOINTS=sideways", h, r"sts_regional_endpoints.*legacy or regional",
      args=["--profile", "r"], env={"AWS_STS_REGIONAL_ENDPOINTS": "sideways"})
proxy.stop()

done()
