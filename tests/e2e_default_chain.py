"""End to end: the AWS SDK for Rust's default-chain scenarios, replayed.

For each scenario in tests/data/aws-config-cases/smithy-rs/aws-config/
default-credential-provider-chain/<name>/ (env.json, fs/, http-traffic.json,
test-case.json) the plugin check_s3tables_replication runs with the
scenario's environment and files, every network endpoint it names (IMDS,
container, STS) rewritten to a loopback replay server that answers each
recorded request (method + path, in order) with the recorded response.
The S3 Tables simulator accepts only the scenario's expected credentials
(test-case.json), so an exit 0 proves the request was signed with exactly
those. An expected error must give UNKNOWN with a message about that
failure (our wording, not the Rust SDK's).

Rewrites (all documented per run with -v in the TAP comments):
  HOME=/home and absolute *_FILE paths -> the same path under a temporary
  copy of fs/; web_identity_token_file in the copied config likewise;
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI -> AWS_CONTAINER_CREDENTIALS_FULL_URI
  on the replay server (the relative form always means 169.254.170.2);
  AWS_CONTAINER_CREDENTIALS_FULL_URI's host -> the replay server;
  AWS_EC2_METADATA_SERVICE_ENDPOINT and AWS_ENDPOINT_URL_STS -> the replay
  server (IMDS stays enabled unless the scenario disables it itself).
  SSO scenarios are not rewritten: https_proxy is a loopback CONNECT proxy
  (tests/connect_proxy.py) that relays the recorded SSO portal host, by name,
  to the replay server, and with FIPS / dual-stack on the S3 Tables host the
  partition rules give to the simulator (then no --endpoint-url is passed).
"""
import atexit
import base64
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import BUILDDIR, SRCDIR, Result, Simulator, akids_seen, done, invariants, is_, like, ok, table_arn  # noqa: E402
from connect_proxy import ConnectProxy  # noqa: E402

P = "check_s3tables_replication"
CASES = os.path.join(SRCDIR, "tests", "data", "aws-config-cases", "smithy-rs", "aws-config",
                     "default-credential-provider-chain")

SKIP = {}

# What our message must mention for each expected error (the Rust SDK's wording is its own).
ERRORS = {
    "eks_pod_identity_no_token_file": r"container.*{FS}/token\.jwt.*(No such file|cannot|not found)",
    "imds_default_chain_error": r"(no IAM role|HTTP 404).*instance metadata|instance metadata.*(no IAM role|HTTP 404)",
    "imds_no_iam_role": r"Ec2InstanceMetadata.*(no IAM role|HTTP 404).*instance metadata",
    "imds_token_fail": r"instance metadata.*(403|forbidden|disabled)",
    "imds_disabled": r"no AWS credentials found",
    "profile_overrides_web_identity": r"profile 'A'.*[Ee]nvironment",
    "web_identity_source_profile_no_env": r"profile 'A'.*profile [`']B[`'].*role_arn.*missing",
    "web_identity_token_invalid_jwt": r"InvalidIdentityToken.*No OpenIDConnect provider",
    "sso_no_token_file": r"profile 'sso-test'.*no SSO token in {FS}/home/\.aws/sso/cache/"
                         r"dace00cba5f8355ec9d274ceb2bcebdfbeed0e12\.json.*aws sso login --profile sso-test",
    "sso_server_error": r"profile 'sso-test'.*GetRoleCredentials.*HTTP 503",
}
# The source -v names on success (after our rewrites: a loopback container URI is "container").
SOURCES = {
    "environment_variables": "environment", "environment_variables_blank": "profile",
    "prefer_environment": "environment", "profile_name": "profile", "profile_static_keys": "profile",
    "profile_static_keys_case_insensitive": "profile", "web_identity_token_env": "web-identity",
    "web_identity_token_profile": "web-identity", "web_identity_token_source_profile": "assume-role",
    "ecs_credentials": "container", "ecs_credentials_invalid_profile": "container",
    "ecs_assume_role": "assume-role", "eks_pod_identity_credentials": "container",
    "imds_assume_role": "assume-role", "imds_config_with_no_creds": "instance-metadata",
    "imds_default_chain_retries": "instance-metadata", "imds_default_chain_success": "instance-metadata",
    "sso_assume_role": "sso", "e2e_fips_and_dual_stack_sso": "sso",
}
# Requests we make that the recording does not have, on purpose, and what they get.
UNRECORDED = {
    # The plugin falls back to IMDSv1 when the token PUT is answered 403 (botocore; the
    # reference's recommendation 11.4); the Rust SDK stops. An instance with IMDS turned off
    # answers every request 403.
    "imds_token_fail": (403, "IMDSv1 fallback after a 403 token answer (botocore behaviour)"),
    # GetRoleCredentials is retried like STS (3 attempts, standard retry mode); the recording
    # has the first attempt only, so the retries get the same 503.
    "sso_server_error": (503, "GetRoleCredentials retried after HTTP 503 (standard retry mode)"),
}

TMP = tempfile.mkdtemp(prefix="s3t-e2e-chain-")
atexit.register(shutil.rmtree, TMP, True)


# --- the replay server ------------------------------------------------------------
def load_exchanges(path):
    """The recorded exchanges, in recording order: request (method, path, headers, body),
    response (status, headers, body)."""
    if not os.path.exists(path):
        return []
    events = json.load(open(path))["events"]
    conns, order = {}, []
    for ev in events:
        c, a = ev["connection_id"], ev["action"]
        x = conns.get(c)
        if "Request" in a:
            req = a["Request"]["request"]
            u = urllib.parse.urlsplit(req["uri"])
            x = conns[c] = {"method": req["method"], "uri": req["uri"],
                            "path": u.path + ("?" + u.query if u.query else ""),
                            "req_headers": {k.lower(): v for k, v in req["headers"].items()},
                            "req_body": "", "status": None, "headers": {}, "body": b""}
            order.append(x)
        elif "Response" in a:
            resp = a["Response"]["response"]
            if "Ok" in resp:
                x["status"] = resp["Ok"]["status"]
                x["headers"] = resp["Ok"].get("headers", {})
            else:
                x["status"] = 599
        elif "Data" in a:
            d = a["Data"]["data"]
            data = d["Utf8"].encode() if "Utf8" in d else base64.b64decode(d.get("Base64", ""))
            if a["Data"]["direction"] == "Request":
                x["req_body"] += data.decode("utf-8", "replace")
            else:
                x["body"] += data
    return order


class Replay:
    def __init__(self, exchanges, unrecorded_status=404):
        self.exchanges = exchanges
        self.used = [False] * len(exchanges)
        self.log = []  # (method, path, headers, body, index or None)
        self.unrecorded_status = unrecorded_status
        self.lock = threading.Lock()
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def handle_any(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n).decode("utf-8", "replace") if n else ""
                path = self.path
                with outer.lock:
                    idx = None
                    for i, x in enumerate(outer.exchanges):
                        if not outer.used[i] and x["method"] == self.command and x["path"] == path:
                            idx = i
                            outer.used[i] = True
                            break
                    outer.log.append((self.command, path, {k.lower(): v for k, v in self.headers.items()},
                                      body, idx))
                if idx is None:
                    status, headers = outer.unrecorded_status, {"content-type": ["text/plain"]}
                    data = ("replay: no recorded exchange for %s %s" % (self.command, path)).encode()
                else:
                    x = outer.exchanges[idx]
                    status, headers, data = x["status"], x["headers"], x["body"]
                try:
                    self.send_response(status)
                    for k, vs in headers.items():
                        if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                            for v in vs:
                                self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_PUT = do_POST = handle_any

        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.srv.daemon_threads = True
        self.port = self.srv.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.srv.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.srv.shutdown()
        self.srv.server_close()


# --- simulators, one per expected credential set ----------------------------------
_sims = {}


def simulator_for(creds):
    key = (creds["access_key_id"], creds["secret_access_key"], creds.get("session_token"))
    if key not in _sims:
        _sims[key] = Simulator(["--credentials", ":".join(k for k in key if k)])
    return _sims[key]


# --- one scenario -----------------------------------------------------------------
def prepare(name, d, replay):
    """The environment (and temporary files) for scenario d."""
    root = os.path.join(TMP, name)
    fs = os.path.join(root, "fs")
    if os.path.isdir(os.path.join(d, "fs")):
        shutil.copytree(os.path.join(d, "fs"), fs)
    else:
        os.makedirs(fs)
    # paths inside the copied config files
    for dirpath, _, files in os.walk(fs):
        for f in files:
            p = os.path.join(dirpath, f)
            if os.path.basename(dirpath) == ".aws" and f in ("config", "credentials"):
                text = open(p).read()
                text = re.sub(r"(?im)^(\s*web_identity_token_file\s*=\s*)(/\S*)", lambda m: m.group(1) + fs + m.group(2),
                              text)
                open(p, "w").write(text)
    env_json = json.load(open(os.path.join(d, "env.json")))
    env, notes = {}, []
    for k, v in env_json.items():
        if k == "HOME" or k.endswith("_FILE"):
            if v.startswith("/"):
                v = fs + v
        env[k] = v
    if "HOME" not in env:
        env["HOME"] = os.path.join(fs, "home-unset")
    os.makedirs(env["HOME"], exist_ok=True)
    env["XDG_CACHE_HOME"] = os.path.join(root, "cache")
    rel = env.pop("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", None)
    if rel is not None:
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = replay.url + rel
        notes.append("RELATIVE_URI -> FULL_URI on loopback")
    full = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")
    if full and rel is None:
        u = urllib.parse.urlsplit(full)
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = replay.url + u.path + ("?" + u.query if u.query else "")
        notes.append("FULL_URI host %s -> loopback" % u.hostname)
    env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = replay.url
    env["AWS_ENDPOINT_URL_STS"] = replay.url
    return env, fs, notes


def is_sso(name):
    return name.startswith("sso_") or name.endswith("_sso")


def start_proxy(name, env, exchanges, replay, sim):
    """SSO scenarios: the recorded https hosts (the SSO portal, by its real name) are reached
    through a loopback CONNECT proxy that relays to the replay server, so the host name the
    plugin computes from sso_region, FIPS and dual-stack is checked, not rewritten. With
    FIPS or dual-stack on, the S3 Tables host (partition rules) is relayed to the simulator."""
    routes = {}
    for x in exchanges:
        u = urllib.parse.urlsplit(x["uri"])
        if u.scheme == "https":
            routes[u.hostname] = ("127.0.0.1", replay.port, False)
    s3t = None
    fips = env.get("AWS_USE_FIPS_ENDPOINT", "").lower() == "true"
    dual = env.get("AWS_USE_DUALSTACK_ENDPOINT", "").lower() == "true"
    if fips or dual:
        s3t = "s3tables%s.us-east-1.%s" % ("-fips" if fips else "", "api.aws" if dual else "amazonaws.com")
        routes[s3t] = ("127.0.0.1", sim.port, True)
    proxy = ConnectProxy(os.path.join(TMP, name, "proxy"), sim.ca, os.path.join(sim.dir, "ca.key"), routes)
    env["https_proxy"] = env["HTTPS_PROXY"] = proxy.url
    env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"
    return proxy, s3t


def run_plugin(env, sim, endpoint=True):
    exe = os.path.join(BUILDDIR, "plugins", P)
    cmd = [exe, "-a", table_arn("repl_ok"), "--ca-file", sim.ca, "-v", "-t", "10"]
    if endpoint:
        cmd += ["--endpoint-url", sim.url]
    e = {k: v for k, v in os.environ.items()
         if not k.startswith("AWS_") and k != "XDG_CACHE_HOME" and k.lower() not in ("https_proxy", "no_proxy")}
    e.update(env)  # AWS_EC2_METADATA_DISABLED only when the scenario sets it: IMDS is the replay server
    start = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, timeout=30)
    return Result(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"),
                  time.monotonic() - start)


summary = {"passed": [], "failed": [], "skipped": []}


def scenario(name):
    d = os.path.join(CASES, name)
    tc = json.load(open(os.path.join(d, "test-case.json")))
    if name in SKIP:
        ok(True, "%s # SKIP %s" % (name, SKIP[name]))
        summary["skipped"].append((name, SKIP[name]))
        return
    result = tc["result"]
    exchanges = load_exchanges(os.path.join(d, "http-traffic.json"))
    unrec_status, unrec_why = UNRECORDED.get(name, (404, None))
    replay = Replay(exchanges, unrec_status)
    failed_before = _failures()
    proxy = None
    try:
        env, fs, notes = prepare(name, d, replay)
        print("# %s: %s%s" % (name, tc.get("docs", ""), ("; rewrites: " + ", ".join(notes)) if notes else ""))
        if "Ok" in result:
            creds = result["Ok"]
            sim = simulator_for(creds)
            s3t = None
            if is_sso(name):
                proxy, s3t = start_proxy(name, env, exchanges, replay, sim)
            before = len(sim.requests())
            r = run_plugin(env, sim, endpoint=s3t is None)
            invariants(r, P, name)
            is_(r.rc, 0, "%s: OK with the expected credentials" % name) or print(
                "# " + repr(r).replace("\n", "\n# "))
            seen = akids_seen(sim, before)
            ok(seen and all(s == (creds["access_key_id"], "ok") for s in seen),
               "%s: the simulator verified a signature by %s" % (name, creds["access_key_id"]), seen)
            if name in SOURCES:
                like(r.err, r"credentials from %s\b" % re.escape(SOURCES[name]),
                     "%s: -v names the source %s" % (name, SOURCES[name]))
            for s in (creds["secret_access_key"], creds.get("session_token")):
                if s and len(s) >= 8:
                    ok(s not in r.out and s not in r.err, "%s: the secret/token is not printed" % name)
        else:
            want = result.get("ErrorContains", "")
            sim = simulator_for({"access_key_id": "AKIDNEVERISSUED", "secret_access_key": "never"})
            if is_sso(name):
                proxy, _ = start_proxy(name, env, exchanges, replay, sim)
            before = len(sim.requests())
            r = run_plugin(env, sim)
            print("#   -> " + r.first)
            invariants(r, P, name)
            is_(r.rc, 3, "%s: UNKNOWN (Rust SDK: %r)" % (name, want)) or print("# " + repr(r).replace("\n", "\n# "))
            pattern = ERRORS.get(name, re.escape(want)).replace("{FS}", re.escape(fs))
            like(r.summary, pattern, "%s: the message is about the expected failure" % name)
            is_(len(sim.requests()) - before, 0, "%s: no request reaches S3 Tables" % name)
        # the recorded traffic, as recorded
        unexpected = [(m, p) for (m, p, h, b, i) in replay.log if i is None]
        if unrec_why:
            ok(True, "%s: %d unrecorded request(s) allowed: %s %s" % (name, len(unexpected), unrec_why, unexpected))
        else:
            is_(unexpected, [], "%s: every request the plugin made is in the recording" % name)
        if "Ok" in result:
            missing = [(x["method"], x["path"]) for i, x in enumerate(exchanges) if not replay.used[i]]
            is_(missing, [], "%s: every recorded request was made (retries included)" % name)
        problems = []
        for (m, p, h, b, i) in replay.log:
            if i is None:
                continue
            x = exchanges[i]
            for hk in ("x-aws-ec2-metadata-token", "x-aws-ec2-metadata-token-ttl-seconds", "accept"):
                if hk in x["req_headers"] and h.get(hk) != x["req_headers"][hk][0]:
                    problems.append("%s %s: header %s %r, recorded %r" % (m, p, hk, h.get(hk),
                                                                         x["req_headers"][hk][0]))
            if m == "POST" and x["req_body"]:
                got = dict(urllib.parse.parse_qsl(b))
                rec = dict(urllib.parse.parse_qsl(x["req_body"]))
                if got.get("Action") != rec.get("Action"):
                    problems.append("POST %s: Action %r, recorded %r" % (p, got.get("Action"), rec.get("Action")))
                if got.get("Action") == "AssumeRole" and "authorization" not in h:
                    problems.append("AssumeRole not signed")
            if p.startswith("/v1/credentials") and env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"):
                tok = open(env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]).read().strip()
                if h.get("authorization") != tok:
                    problems.append("container request without the token file's Authorization")
        is_(problems, [], "%s: requests carry what the recording has (IMDS token, Action, ...)" % name)
        if proxy is not None:
            recorded = sorted({urllib.parse.urlsplit(x["uri"]).hostname for x in exchanges})
            sso_hosts = sorted({h for h in proxy.hosts() if not h.startswith("s3tables")})
            is_(sso_hosts, recorded, "%s: the SSO hosts contacted are the recorded ones %s" % (name, recorded))
            for (m, p, h, b, i) in replay.log:
                if i is not None and p.startswith("/federation/credentials"):
                    rec = exchanges[i]["req_headers"].get("x-amz-sso_bearer_token", [None])[0]
                    if h.get("x-amz-sso_bearer_token") != rec:
                        problems.append("GetRoleCredentials without the recorded bearer token")
            if recorded:
                is_(problems, [], "%s: GetRoleCredentials carries the cached token as x-amz-sso_bearer_token" % name)
    finally:
        replay.stop()
        if proxy is not None:
            proxy.stop()
    (summary["passed"] if _failures() == failed_before else summary["failed"]).append(name)


def _failures():
    import e2e
    return e2e._failed


for n in sorted(os.listdir(CASES)):
    if os.path.isdir(os.path.join(CASES, n)):
        scenario(n)

print("# ran %d: passed %d, failed %d; skipped %d" % (len(summary["passed"]) + len(summary["failed"]),
                                                      len(summary["passed"]), len(summary["failed"]),
                                                      len(summary["skipped"])))
print("# passed: " + " ".join(summary["passed"]))
print("# failed: " + (" ".join(summary["failed"]) or "none"))
for n, why in summary["skipped"]:
    print("# skipped: %s (%s)" % (n, why))
done()
