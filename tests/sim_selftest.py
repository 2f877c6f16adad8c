#!/usr/bin/env python3
"""Self-test of the simulated S3 Tables endpoint (tests/sim/s3tables_sim.py). TAP output.

1. Its SigV4 verifier against the botocore-derived s3tables vectors (fixed clock): every
   vector verifies and rebuilds the same canonical request; a one-byte change to the
   signature, path or query is rejected; auth failures map to the AWS error codes.
2. The simulator for real: throwaway CA (gen-test-ca.sh), TLS, ephemeral port, --port-file,
   --log; requests signed by a small signer written independently here.

Run from the repo root (`python3 tests/sim_selftest.py`) or anywhere with env srcdir=<repo>.
"""

import datetime
import hashlib
import hmac
import http.client
import importlib.util
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

SRCDIR = os.environ.get("srcdir") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIMDIR = os.path.join(SRCDIR, "tests", "sim")
SIM = os.path.join(SIMDIR, "s3tables_sim.py")
VECTORS = os.path.join(SRCDIR, "tests", "data", "sigv4", "derived",
                       "s3tables-botocore-derived.json")
AKID, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOK_AKID, TOK_SECRET, TOKEN = "ASIASIMTOKEN", "tokSecretKey/Example+1", "FwoGZXIvYXdzEXAMPLE/tok=="
BUCKET = "arn:aws:s3tables:us-east-1:111122223333:bucket/sim-bucket"

_n = 0
_failed = 0


def ok(cond, name, diag=None):
    global _n, _failed
    _n += 1
    if cond:
        print("ok %d - %s" % (_n, name))
    else:
        _failed += 1
        print("not ok %d - %s" % (_n, name))
        if diag is not None:
            for line in str(diag).splitlines()[:20]:
                print("# " + line)
    sys.stdout.flush()
    return cond


def load_sim():
    spec = importlib.util.spec_from_file_location("s3tables_sim", SIM)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def alter(s, i):
    """Change the byte at index i to a different, still plausible one."""
    c = s[i]
    r = "b" if c == "a" else "a"
    if c.isdigit():
        r = "1" if c == "0" else "0"
    return s[:i] + r + s[i + 1:]


# ------------------------------------------------------------------------------------------
# Part 1: verifier vs. vectors
# ------------------------------------------------------------------------------------------

def part_vectors(sim):
    with open(VECTORS) as f:
        vectors = json.load(f)
    ok(len(vectors) >= 12, "derived vectors loaded (%d)" % len(vectors))
    for v in vectors:
        u = urllib.parse.urlsplit(v["url"])
        hdrs = [("Host", u.netloc)] + list(v["signed_request_headers"].items())
        c = v["credentials"]
        creds = {c["access_key_id"]: (c["secret_access_key"], c.get("session_token"))}
        now = datetime.datetime.strptime(v["timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc).timestamp()
        label = "%s%s" % (v["operation"], " (session token)" if c.get("session_token") else "")

        def verify(path=u.path, query=u.query, headers=hdrs, now=now, region=v["region"],
                   creds=creds):
            return sim.verify_sigv4(v["method"], path, query, headers, b"", creds, region, now)

        r = verify()
        ok(r.ok, "%s: vector verifies" % label, r)
        ok(r.canonical_request == v["canonical_request"],
           "%s: canonical request matches botocore's" % label,
           "%r\n%r" % (r.canonical_request, v["canonical_request"]))
        ok(r.string_to_sign == v["string_to_sign"], "%s: string to sign matches" % label)

        auth = v["signed_request_headers"]["Authorization"]
        bad_auth = alter(auth, len(auth) - 1)
        h2 = [(k, bad_auth if k == "Authorization" else x) for k, x in hdrs]
        r = verify(headers=h2)
        ok(not r.ok and r.code == "InvalidSignatureException",
           "%s: one-byte-altered signature rejected" % label, r)

        path = u.path
        idx = path.rfind("s") if "s" in path[1:] else len(path) - 1
        r = verify(path=alter(path, idx))
        ok(not r.ok and r.code == "InvalidSignatureException",
           "%s: one-byte-altered path rejected" % label, r)

        q = u.query
        q2 = alter(q, len(q) - 1) if q else "a"
        r = verify(query=q2)
        ok(not r.ok and r.code == "InvalidSignatureException",
           "%s: one-byte-altered query rejected" % label, r)

    # Auth-failure mapping on one vector (fixed clock).
    v = vectors[0]
    vt = next(x for x in vectors if x["credentials"].get("session_token"))
    u = urllib.parse.urlsplit(v["url"])
    hdrs = [("Host", u.netloc)] + list(v["signed_request_headers"].items())
    creds = {AKID: (SECRET, None)}
    now = datetime.datetime(2015, 8, 30, 12, 36, tzinfo=datetime.timezone.utc).timestamp()
    V = lambda h=hdrs, c=creds, n=now, reg="us-east-1": sim.verify_sigv4(  # noqa: E731
        "GET", u.path, u.query, h, b"", c, reg, n)
    r = V(h=[x for x in hdrs if x[0] != "Authorization"])
    ok(r.code == "MissingAuthenticationTokenException" and
       r.message == "Missing Authentication Token", "no Authorization -> Missing...", r)
    r = V(c={"AKIDOTHER": (SECRET, None)})
    ok(r.code == "UnrecognizedClientException" and
       r.message == "The security token included in the request is invalid.",
       "unknown access key -> UnrecognizedClientException", r)
    r = V(c={AKID: (SECRET[:-1] + "X", None)})
    ok(r.code == "InvalidSignatureException" and r.message.startswith(
        "The request signature we calculated does not match"),
        "wrong secret -> InvalidSignatureException", r)
    r = V(reg="us-west-2")
    ok(r.code == "InvalidSignatureException" and "scoped to a valid region" in r.message,
       "wrong region -> InvalidSignatureException (valid region)", r)
    r = V(n=now + 16 * 60)
    ok(r.code == "InvalidSignatureException" and r.message.startswith("Signature expired: "),
       "date 16 min old -> Signature expired", r)
    r = V(n=now - 16 * 60)
    ok(r.code == "InvalidSignatureException" and "not yet current" in r.message,
       "date 16 min ahead -> Signature not yet current", r)
    r = V(n=now + 14 * 60)
    ok(r.ok, "date 14 min old still accepted", r)
    r = V(c={AKID: (SECRET, "sometoken")})
    ok(r.code == "UnrecognizedClientException", "token required but missing -> Unrecognized", r)
    r = V(h=[x for x in hdrs if x[0] != "X-Amz-Date"])
    ok(not r.ok and r.code == "IncompleteSignatureException", "missing X-Amz-Date rejected", r)

    ut = urllib.parse.urlsplit(vt["url"])
    th = [("Host", ut.netloc)] + list(vt["signed_request_headers"].items())
    ct = vt["credentials"]
    tcreds = {ct["access_key_id"]: (ct["secret_access_key"], ct["session_token"])}
    r = sim.verify_sigv4("GET", ut.path, ut.query,
                         [(k, "x" + x if k == "X-Amz-Security-Token" else x) for k, x in th],
                         b"", tcreds, "us-east-1", now)
    ok(r.code == "UnrecognizedClientException", "wrong session token -> Unrecognized", r)
    r = sim.verify_sigv4("GET", ut.path, ut.query, th, b"",
                         {ct["access_key_id"]: (ct["secret_access_key"], None)}, "us-east-1", now)
    ok(r.code == "UnrecognizedClientException", "unexpected session token -> Unrecognized", r)


# ------------------------------------------------------------------------------------------
# Part 2: the live simulator
# ------------------------------------------------------------------------------------------

def q(s):
    return urllib.parse.quote(s, safe="-_.~")


def sign(method, host, path, params, akid=AKID, secret=SECRET, region="us-east-1",
         token=None, when=None):
    """Independent SigV4 signer: wire path given (labels already encoded once)."""
    t = time.gmtime(when if when is not None else time.time())
    amz = time.strftime("%Y%m%dT%H%M%SZ", t)
    day = amz[:8]
    cq = "&".join(sorted("%s=%s" % (q(k), q(v)) for k, v in params))
    hdrs = {"host": host, "x-amz-date": amz}
    if token:
        hdrs["x-amz-security-token"] = token
    names = sorted(hdrs)
    creq = "\n".join([method, urllib.parse.quote(path, safe="/-_.~"), cq,
                      "".join("%s:%s\n" % (n, hdrs[n]) for n in names), ";".join(names),
                      hashlib.sha256(b"").hexdigest()])
    scope = "%s/%s/s3tables/aws4_request" % (day, region)
    sts = "AWS4-HMAC-SHA256\n%s\n%s\n%s" % (amz, scope,
                                          hashlib.sha256(creq.encode()).hexdigest())
    k = ("AWS4" + secret).encode()
    for part in (day, region, "s3tables", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    out = {"X-Amz-Date": amz,
           "Authorization": "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s"
                            % (akid, scope, ";".join(names), sig)}
    if token:
        out["X-Amz-Security-Token"] = token
    return out


class Live:
    def __init__(self, port, cafile, log, counters=None):
        self.port = port
        self.host = "127.0.0.1:%d" % port
        self.ctx = ssl.create_default_context(cafile=cafile)
        self.log = log
        self.counters_file = counters

    def counters(self):
        with open(self.counters_file) as f:
            return json.load(f)

    def get(self, path, params=(), signed=True, timeout=10, **kw):
        query = "&".join("%s=%s" % (q(k), q(v)) for k, v in params)
        url = "https://%s%s%s" % (self.host, path, "?" + query if query else "")
        headers = sign("GET", self.host, path, params, **kw) if signed else {}
        req = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=timeout) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def log_entries(self):
        with open(self.log) as f:
            return [json.loads(line) for line in f if line.strip()]


def table_arn(scn):
    return BUCKET + "/table/" + scn


def jbody(b):
    try:
        return json.loads(b)
    except ValueError:
        return None


def start_sim(args, tmp, name):
    pf = os.path.join(tmp, name + ".port")
    p = subprocess.Popen([sys.executable, SIM, "--port", "0", "--port-file", pf] + args,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if os.path.exists(pf):
            with open(pf) as f:
                txt = f.read().strip()
            if txt:
                return p, int(txt)
        if p.poll() is not None:
            break
        time.sleep(0.05)
    return p, None


def part_live(tmp):
    cadir = os.path.join(tmp, "ca")
    r = subprocess.run(["sh", os.path.join(SIMDIR, "gen-test-ca.sh"), cadir],
                       capture_output=True, text=True)
    ok(r.returncode == 0 and os.path.exists(os.path.join(cadir, "server.pem")),
       "gen-test-ca.sh creates a CA and server cert", r.stderr)
    r = subprocess.run(["sh", os.path.join(SIMDIR, "gen-test-ca.sh"), cadir],
                       capture_output=True, text=True)
    ok(r.returncode == 0 and r.stdout == "" and r.stderr == "", "gen-test-ca.sh is idempotent "
       "and quiet")
    capath = os.path.join(cadir, "capath")
    ok(any(n.endswith(".0") for n in os.listdir(capath)), "capath holds a hashed CA link")

    log = os.path.join(tmp, "sim.log")
    counters = os.path.join(tmp, "counters.json")
    p, port = start_sim(["--cert", os.path.join(cadir, "server.pem"),
                         "--key", os.path.join(cadir, "server.key"), "--log", log,
                         "--counters", counters, "--slow-seconds", "0.5",
                         "--throttle-hold", "0.3",
                         "--lifetime", "60", "--stall-seconds", "20",
                         "--credentials", "%s:%s" % (AKID, SECRET),
                         "--credentials", "%s:%s:%s" % (TOK_AKID, TOK_SECRET, TOKEN)],
                        tmp, "main")
    if not ok(port is not None, "simulator starts (TLS, ephemeral port, --port-file)",
              p.stderr.read().decode() if p.poll() is not None else None):
        p.kill()
        return
    try:
        live = Live(port, os.path.join(cadir, "ca.pem"), log, counters)
        live_checks(live)
        fleet_checks(live, load_sim())
        part_botocore(live, os.path.join(cadir, "ca.pem"))
    finally:
        t0 = time.monotonic()
        p.send_signal(signal.SIGTERM)
        try:
            rc = p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            rc = None
        ok(rc == 0 and time.monotonic() - t0 < 3, "SIGTERM: exits cleanly (rc %r)" % rc)
        p.stderr.close()

    # --lifetime and --max-requests on throwaway plain-HTTP instances.
    t0 = time.monotonic()
    p, port = start_sim(["--http", "--lifetime", "1"], tmp, "life")
    try:
        rc = p.wait(6)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = None
    ok(port is not None and rc == 0 and time.monotonic() - t0 < 5,
       "--lifetime 1: exits by itself (rc %r)" % rc)
    p.stderr.close()

    p, port = start_sim(["--http", "--max-requests", "2", "--lifetime", "20"], tmp, "maxreq")
    statuses = []
    for _ in range(2):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        c.request("GET", "/replication-status?tableArn=x")
        statuses.append(c.getresponse().status)
        c.close()
    try:
        rc = p.wait(5)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = None
    ok(statuses == [403, 403] and rc == 0, "--max-requests 2: answers 2, then exits (rc %r)"
       % rc, statuses)
    p.stderr.close()


def live_checks(s):
    # repl_ok: model field names, headers
    st, h, b = s.get("/replication-status", [("tableArn", table_arn("repl_ok"))])
    d = jbody(b) or {}
    ok(st == 200, "repl_ok: 200", (st, b[:300]))
    ok(h.get("Content-Type", "").startswith("application/json") and h.get("x-amzn-RequestId"),
       "repl_ok: application/json and x-amzn-RequestId")
    dests = d.get("destinations") or []
    ok(d.get("sourceTableArn") == table_arn("repl_ok") and len(dests) == 3 and all(
        x.get("replicationStatus") == "completed" and "destinationTableBucketArn" in x and
        set(x.get("lastSuccessfulReplicatedUpdate", {})) == {"metadataLocation", "timestamp"}
        for x in dests), "repl_ok: model field names (sourceTableArn, destinations[...])", d)

    # auth failures
    st, h, b = s.get("/replication-status", [("tableArn", table_arn("repl_ok"))], signed=False)
    ok(st == 403 and h.get("x-amzn-ErrorType", "").startswith(
        "MissingAuthenticationTokenException") and
       (jbody(b) or {}).get("message") == "Missing Authentication Token",
       "unsigned -> 403 MissingAuthenticationTokenException", (st, dict(h), b))
    st, h, b = s.get("/replication-status", [("tableArn", table_arn("repl_ok"))],
                     secret=SECRET + "x")
    ok(st == 403 and h.get("x-amzn-ErrorType", "").startswith("InvalidSignatureException"),
       "wrong secret -> 403 InvalidSignatureException", (st, dict(h), b))
    st, h, b = s.get("/replication-status", [("tableArn", table_arn("repl_ok"))],
                     akid="AKIDNOBODY")
    ok(st == 403 and h.get("x-amzn-ErrorType", "").startswith("UnrecognizedClientException"),
       "unknown key -> 403 UnrecognizedClientException", (st, b))
    st, h, b = s.get("/replication-status", [("tableArn", table_arn("repl_ok"))],
                     region="eu-west-1")
    ok(st == 403 and "valid region" in (jbody(b) or {}).get("message", ""),
       "wrong signing region -> 403 'scoped to a valid region'", (st, b))
    st, h, b = s.get("/replication-status", [("tableArn", table_arn("repl_ok"))],
                     when=time.time() - 20 * 60)
    ok(st == 403 and (jbody(b) or {}).get("message", "").startswith("Signature expired"),
       "stale date -> 403 Signature expired", (st, b))
    st, h, b = s.get("/replication-status", [("tableArn", table_arn("repl_ok"))],
                     akid=TOK_AKID, secret=TOK_SECRET, token=TOKEN)
    ok(st == 200, "session-token credentials accepted", (st, b[:300]))
    st, h, b = s.get("/replication-status", [("tableArn", table_arn("repl_ok"))],
                     akid=TOK_AKID, secret=TOK_SECRET, token=TOKEN + "x")
    ok(st == 403 and h.get("x-amzn-ErrorType", "").startswith("UnrecognizedClientException"),
       "wrong session token -> 403 UnrecognizedClientException", (st, b))

    # throttle_then_ok: 429, 429, 200 and 3 log entries
    arn = table_arn("throttle_then_ok__x")
    got = [s.get("/replication-status", [("tableArn", arn)])[0] for _ in range(3)]
    ok(got == [429, 429, 200], "throttle_then_ok__x: 429, 429, 200", got)
    ents = [e for e in s.log_entries() if e.get("scenario_key") == "throttle_then_ok__x"]
    ok(len(ents) == 3 and [e["status"] for e in ents] == [429, 429, 200] and
       all(e["auth"] == "ok" and e["scenario"] == "throttle_then_ok" for e in ents),
       "log records 3 requests with status/scenario/auth", ents)
    e = ents[0] if ents else {}
    ok(all(k in e for k in ("time", "method", "path", "query", "headers", "error")) and
       e.get("error") == "TooManyRequestsException", "log entry fields", e)

    # maintenance with an encoded bucket ARN label
    path = "/tables/%s/sim_ns/maint_ok/maintenance-job-status" % q(BUCKET)
    st, h, b = s.get(path)
    d = jbody(b) or {}
    ok(st == 200 and d.get("tableARN") == BUCKET + "/table/maint_ok" and
       set(d.get("status", {})) == {"icebergCompaction", "icebergSnapshotManagement",
                                    "icebergUnreferencedFileRemoval"},
       "maintenance path with %-encoded bucket ARN label accepted", (st, b[:300]))

    # GetTable by ARN and by name; missing
    st, h, b = s.get("/get-table", [("tableArn", table_arn("maint_failed_x"))])
    d = jbody(b) or {}
    ok(st == 200 and d.get("name") == "maint_failed_x" and d.get("namespace") == ["sim_ns"],
       "GetTable by ARN: name = table id, namespace [sim_ns]", (st, b[:300]))
    st, h, b = s.get("/get-table", [("tableBucketARN", BUCKET), ("namespace", "ns1"),
                                    ("name", "repl_failed")])
    d = jbody(b) or {}
    ok(st == 200 and d.get("tableARN") == BUCKET + "/table/repl_failed",
       "GetTable by name: tableARN = bucket + /table/ + name", (st, b[:300]))
    st, h, b = s.get("/get-table", [("tableBucketARN", BUCKET), ("namespace", "ns1"),
                                    ("name", "missing")])
    ok(st == 404 and h.get("x-amzn-ErrorType") == "NotFoundException", "GetTable missing -> 404")

    # a few more scenario shapes
    st, h, b = s.get("/table-record-expiration-job-status",
                     [("tableArn", table_arn("exp_not_supported"))])
    ok(st == 405 and h.get("x-amzn-ErrorType") == "MethodNotAllowedException",
       "exp_not_supported -> 405 MethodNotAllowedException")
    st, h, b = s.get("/table-record-expiration-job-status",
                     [("tableArn", table_arn("exp_huge_metrics"))])
    ok(st == 200 and b"9223372036854775807" in b, "exp_huge_metrics: int64 max verbatim")
    st, h, b = s.get("/replication-status", [("tableArn", table_arn("error_type_in_body"))])
    ok(st == 404 and "x-amzn-ErrorType" not in h and
       (jbody(b) or {}).get("__type") == "com.amazonaws.s3tables#NotFoundException",
       "error_type_in_body: no header, __type in body")
    st, h, b = s.get("/no-such-operation")
    ok(st == 404 and h.get("x-amzn-ErrorType", "").startswith("UnknownOperationException"),
       "unknown path -> 404 UnknownOperationException")
    st, h, b = s.get("/replication-status", [("tableArn", table_arn("oversized"))])
    ok(st == 200 and len(b) >= 2 * 1024 * 1024 and jbody(b) is not None,
       "oversized: >= 2 MiB valid JSON (%d bytes)" % len(b))

    # keep-alive: two requests on one connection
    c = http.client.HTTPSConnection("127.0.0.1", s.port, context=s.ctx, timeout=10)
    sts = []
    for scn in ("repl_ok", "exp_ok"):
        pth = "/replication-status" if scn == "repl_ok" else "/table-record-expiration-job-status"
        params = [("tableArn", table_arn(scn + "__ka"))]
        c.request("GET", pth + "?tableArn=" + q(params[0][1]),
                  headers=sign("GET", s.host, pth, params))
        r = c.getresponse()
        r.read()
        sts.append(r.status)
    c.close()
    ents = [e for e in s.log_entries() if (e.get("scenario_key") or "").endswith("__ka")]
    ok(sts == [200, 200] and len(ents) == 2 and ents[0]["conn"] == ents[1]["conn"],
       "HTTP/1.1 keep-alive: 2 requests on one connection", (sts, ents))

    # a stalled request blocks nobody, and ends when the client gives up
    res = {}

    def slow():
        t0 = time.monotonic()
        try:
            res["slow"] = s.get("/replication-status", [("tableArn", table_arn("slow_headers"))],
                                timeout=1.5)[0]
        except (socket.timeout, TimeoutError, urllib.error.URLError) as e:
            res["slow"] = "timeout:%s" % type(e).__name__
        res["slow_t"] = time.monotonic() - t0
    th = threading.Thread(target=slow)
    th.start()
    time.sleep(0.3)
    t0 = time.monotonic()
    st = s.get("/replication-status", [("tableArn", table_arn("repl_ok"))])[0]
    fast = time.monotonic() - t0
    th.join(10)
    ok(st == 200 and fast < 1.0, "concurrent request served during a stall (%.2f s)" % fast)
    ok(str(res.get("slow")).startswith("timeout") and res.get("slow_t", 99) < 3,
       "slow_headers: client times out", res)

    st = None
    try:
        st = s.get("/replication-status", [("tableArn", table_arn("reset"))], timeout=5)[0]
    except (urllib.error.URLError, ConnectionError, http.client.HTTPException, OSError) as e:
        st = "error:%s" % type(e).__name__
    ok(str(st).startswith("error"), "reset: connection closed without an answer (%s)" % st)


# ------------------------------------------------------------------------------------------
# Part 3: fleet buckets, listings with paging, configuration operations
# ------------------------------------------------------------------------------------------

def fleet_bucket(name):
    return "arn:aws:s3tables:us-east-1:111122223333:bucket/" + name


def list_all(s, op, barn=None, params=(), limit=None):
    """Follows continuationToken; returns (items, pages, statuses, last_body)."""
    path = {"ListTables": "/tables/%s", "ListNamespaces": "/namespaces/%s",
            "ListTableBuckets": "/buckets"}[op]
    if barn:
        path = path % q(barn)
    key = {"ListTables": "tables", "ListNamespaces": "namespaces",
           "ListTableBuckets": "tableBuckets"}[op]
    items, pages, statuses, tok = [], 0, [], None
    while True:
        prm = list(params) + ([("continuationToken", tok)] if tok else [])
        if limit:
            prm.append((limit[0], str(limit[1])))
        st, h, b = s.get(path, prm)
        statuses.append(st)
        d = jbody(b)
        if st != 200 or not isinstance(d, dict):
            return items, pages, statuses, b
        pages += 1
        items.extend(d.get(key) or [])
        tok = d.get("continuationToken")
        if not tok or pages > 50:
            return items, pages, statuses, d


def fleet_checks(s, mod):
    mixed = fleet_bucket("fleet-mixed")
    want = sorted((t[0], t[1]) for t in mod.MIXED)
    items, pages, sts, _ = list_all(s, "ListTables", mixed)
    got = sorted((t["namespace"][0], t["name"]) for t in items)
    ok(got == want and pages == 3 and set(sts) == {200},
       "fleet-mixed: %d tables over %d pages of at most 7 (continuationToken followed)"
       % (len(items), pages), (pages, sts, got))
    req = {"namespace", "name", "type", "tableARN", "createdAt", "modifiedAt"}
    ok(all(req <= set(t) and t["tableARN"] == mixed + "/table/%s-%s" % (t["namespace"][0],
                                                                        t["name"])
           and t["type"] in ("customer", "aws") for t in items),
       "ListTables entries carry the model's required fields; ARN = bucket/table/NS-NAME")
    ok([(t["namespace"][0], t["name"]) for t in items] != want,
       "fleet-mixed is listed unsorted (a client must sort)")
    items, pages, sts, _ = list_all(s, "ListTables", mixed, [("namespace", "ops")])
    ok(sorted(t["name"] for t in items) == sorted(t[1] for t in mod.MIXED if t[0] == "ops")
       and pages == 1, "namespace=ops filters on the server (%d tables)" % len(items))

    st, h, b = s.get("/tables/%s" % q(mixed), [("maxTables", "2")])
    d = jbody(b) or {}
    tok = d.get("continuationToken")
    ok(st == 200 and len(d.get("tables", [])) == 2 and tok and all(c in tok for c in "+/="),
       "maxTables=2: 2 tables and a token (holding +, / and =, to be percent-encoded)", tok)
    st, h, b = s.get("/tables/%s" % q(fleet_bucket("fleet-large")), [("continuationToken", tok)])
    ok(st == 400 and h.get("x-amzn-ErrorType") == "BadRequestException",
       "a token from another bucket: 400 BadRequestException", (st, b))
    st, h, b = s.get("/tables/%s" % q(mixed), [("continuationToken", tok), ("namespace", "raw")])
    ok(st == 400, "a token with another namespace filter: 400", (st, b))
    st, _, _ = s.get("/tables/%s" % q(mixed), [("continuationToken", "garbage!")])
    ok(st == 400, "an undecodable token: 400")
    bad = [s.get("/tables/%s" % q(mixed), [("maxTables", v)])[0] for v in ("0", "1001", "x")]
    ok(bad == [400, 400, 400], "maxTables 0, 1001, x: 400 (the model allows 1..1000)", bad)

    large = fleet_bucket("fleet-large")
    items, pages, sts, _ = list_all(s, "ListTables", large, limit=("maxTables", 1000))
    names = [t["name"] for t in items]
    ok(len(items) == 1200 and len(set(names)) == 1200 and pages == 2,
       "fleet-large: 1200 distinct tables in 2 pages with maxTables=1000", (len(items), pages))
    ok(sum(1 for n in names if int(n[4:]) % 100 == 7) == 12,
       "fleet-large: 12 tables (index %% 100 == 7) with failing scenarios")
    st, h, b = s.get("/tables/%s" % q(large))
    d = jbody(b) or {}
    ok(st == 200 and len(d.get("tables", [])) == 100 and d.get("continuationToken"),
       "without maxTables: a page of 100 and a token")
    items, pages, sts, _ = list_all(s, "ListTables", fleet_bucket("fleet-10k"),
                                    limit=("maxTables", 1000))
    ok(len({t["tableARN"] for t in items}) == 10000 and pages == 10 and
       len(set(t["namespace"][0] for t in items)) == 10,
       "fleet-10k: 10,000 distinct tables in 10 namespaces, 10 pages", (len(items), pages))

    items, pages, sts, _ = list_all(s, "ListTables", fleet_bucket("fleet-broken"))
    st = s.get("/replication-status", [("tableArn", items[-1]["tableARN"])])[0] if items else None
    ok(len(items) == 150 and pages == 2 and st == 500,
       "fleet-broken: 150 tables (2 pages of 100), status 500", (len(items), pages, st))
    tok = (jbody(s.get("/tables/%s" % q(fleet_bucket("fleet-loop")))[2]) or {}).get(
        "continuationToken")
    d = jbody(s.get("/tables/%s" % q(fleet_bucket("fleet-loop")), [("continuationToken", tok)])[2])
    ok(tok and d and d.get("continuationToken") == tok and len(d["tables"]) == 2,
       "fleet-loop: the same page and token again", d)
    st, h, b = s.get("/tables/%s" % q(fleet_bucket("fleet-empty")))
    ok(st == 200 and jbody(b) == {"tables": []}, "fleet-empty: tables [] and no token", b)
    st, h, b = s.get("/tables/%s" % q(fleet_bucket("no-such-bucket")))
    ok(st == 404 and h.get("x-amzn-ErrorType") == "NotFoundException",
       "unknown bucket: 404 NotFoundException")
    st, h, b = s.get("/tables/%s" % q(fleet_bucket("list-forbidden")))
    ok(st == 403 and h.get("x-amzn-ErrorType") == "ForbiddenException",
       "list-forbidden: ListTables 403 ForbiddenException")
    got = [s.get("/tables/%s" % q(fleet_bucket("list-throttle-then-ok")))[0] for _ in range(3)]
    ok(got == [429, 429, 200], "list-throttle-then-ok: 429, 429, 200", got)
    items, pages, sts, _ = list_all(s, "ListTables", fleet_bucket("sim-bucket"))
    ok(sorted(t["name"] for t in items) == ["ok", "ok__2"] and
       items[0]["tableARN"].endswith("/sim-bucket/table/" + items[0]["name"]),
       "sim-bucket lists ok and ok__2 (their ids select single-table scenarios)", items)
    items, pages, sts, last = list_all(s, "ListTables", fleet_bucket("fleet-badpage"))
    ok(len(items) == 5 and sts == [200, 200] and jbody(last) is None,
       "fleet-badpage: page 1 good, page 2 malformed JSON", (len(items), sts))

    items, pages, sts, _ = list_all(s, "ListNamespaces", mixed)
    ok([n["namespace"][0] for n in items] == ["ops", "raw", "sales"] and pages == 2 and
       all({"namespace", "createdAt", "createdBy", "ownerAccountId"} <= set(n) for n in items),
       "ListNamespaces fleet-mixed: ops, raw, sales over 2 pages", (items, pages))
    items, pages, sts, _ = list_all(s, "ListTableBuckets")
    ok([b["name"] for b in items] == ["fleet-empty", "fleet-large", "fleet-mixed",
                                      "sim-bucket"] and pages == 2 and
       all({"arn", "name", "ownerAccountId", "createdAt"} <= set(b) for b in items),
       "ListTableBuckets: 4 buckets over 2 pages", ([b["name"] for b in items], pages))

    # status and configuration operations on fleet tables
    def tarn(ns, name, bucket="fleet-mixed"):
        return fleet_bucket(bucket) + "/table/%s-%s" % (ns, name)
    st, h, b = s.get("/replication-status", [("tableArn", tarn("sales", "customers"))])
    d = jbody(b) or {}
    ok(st == 200 and [x["replicationStatus"] for x in d.get("destinations", [])] ==
       ["completed", "completed", "failed"], "sales.customers: repl_failed", (st, b[:200]))
    st, h, b = s.get("/replication-status", [("tableArn", tarn("ops", "locked"))])
    ok(st == 403 and h.get("x-amzn-ErrorType") == "ForbiddenException", "ops.locked: 403")
    st, h, b = s.get("/table-record-expiration-job-status", [("tableArn", tarn("ops", "garbled"))])
    ok(st == 200 and jbody(b) is None, "ops.garbled: malformed body")
    st, h, b = s.get("/replication-status", [("tableArn", tarn("raw", "views"))])
    ok(st == 404, "raw.views: replication 404 (not configured)")
    st, h, b = s.get("/table-record-expiration-job-status", [("tableArn", tarn("sales", "orders"))])
    ok(st == 405, "sales.orders: expiration 405 (customer table)")
    st, h, b = s.get("/table-record-expiration-job-status",
                     [("tableArn", tarn("ops", "inventory"))])
    ok(st == 200 and (jbody(b) or {}).get("status") == "Disabled", "ops.inventory: Disabled")
    st, h, b = s.get("/tables/%s/raw/clicks/maintenance-job-status" % q(mixed))
    d = jbody(b) or {}
    ok(st == 200 and d.get("tableARN") == tarn("raw", "clicks") and
       d["status"]["icebergSnapshotManagement"] == {"status": "Disabled"},
       "raw.clicks by name: maintenance with snapshot management Disabled", (st, b[:200]))
    st, h, b = s.get("/replication-status", [("tableArn", tarn("sales", "nope"))])
    ok(st == 404, "a table that fleet-mixed does not have: 404")
    got = [s.get("/replication-status", [("tableArn", tarn("ops", "flaky"))])[0]
           for _ in range(6)]
    ok(got == [429, 429, 200, 429, 429, 200], "ops.flaky: 429, 429, 200 again on every run", got)
    st, h, b = s.get("/get-table", [("tableArn", tarn("raw", "orders"))])
    d = jbody(b) or {}
    ok(st == 200 and d.get("name") == "orders" and d.get("namespace") == ["raw"],
       "GetTable of a fleet table: its real namespace and name", (st, b[:200]))

    st, h, b = s.get("/table-replication", [("tableArn", tarn("sales", "orders"))])
    d = jbody(b) or {}
    conf = d.get("configuration") or {}
    ok(st == 200 and d.get("versionToken") and conf.get("role", "").startswith("arn:aws:iam::")
       and len(conf.get("rules", [])) == 1 and
       [x["destinationTableBucketARN"].rsplit("/", 1)[1]
        for x in conf["rules"][0]["destinations"]] == ["dr-a", "dr-b", "dr-c"],
       "GetTableReplication sales.orders: role, 1 rule, dr-a/b/c", (st, b[:300]))
    sts = [s.get("/table-replication", [("tableArn", tarn(*t))])[0]
           for t in (("raw", "views"), ("raw", "sessions"), ("ops", "locked"))]
    ok(sts == [404, 404, 403], "GetTableReplication: 404 not configured / no destinations, "
       "403 for ops.locked", sts)
    res = {}
    for t in (("raw", "events_01"), ("ops", "inventory"), ("sales", "orders")):
        st, h, b = s.get("/table-record-expiration", [("tableArn", tarn(*t))])
        res[t[1]] = (st, jbody(b))
    ok(res["events_01"] == (200, {"configuration": {"status": "enabled",
                                                    "settings": {"days": 30}}}) and
       res["inventory"] == (200, {"configuration": {"status": "disabled"}}) and
       res["orders"][0] == 405, "GetTableRecordExpirationConfiguration: enabled / disabled / "
       "405", res)
    st, h, b = s.get("/tables/%s/raw/clicks/maintenance" % q(mixed))
    d = jbody(b) or {}
    c = d.get("configuration") or {}
    ok(st == 200 and d.get("tableARN") == tarn("raw", "clicks") and
       c.get("icebergCompaction", {}).get("status") == "enabled" and
       c.get("icebergSnapshotManagement", {}).get("status") == "disabled",
       "GetTableMaintenanceConfiguration raw.clicks: compaction enabled, snapshots disabled",
       (st, b[:300]))
    st, h, b = s.get("/table-replication", [("tableArn", table_arn("repl_pending_5m"))])
    ok(st == 200 and len(jbody(b)["configuration"]["rules"][0]["destinations"]) == 3,
       "GetTableReplication on a single-table scenario (sim-bucket) follows it")
    st, h, b = s.get("/table-replication", [("tableArn", table_arn("wrong_types"))])
    ok(st == 200 and isinstance((jbody(b) or {}).get("versionToken"), int),
       "wrong_types applies to the configuration operations")

    # fleet-probe: what each configuration operation says, table by table
    probe = fleet_bucket("fleet-probe")
    seen = {}
    for t in mod.PROBE:
        arn = probe + "/table/app-" + t[0]
        r = s.get("/table-replication", [("tableArn", arn)])[0]
        e, _, eb = s.get("/table-record-expiration", [("tableArn", arn)])
        m, _, mb = s.get("/tables/%s/app/%s/maintenance" % (q(probe), t[0]))
        est = ((jbody(eb) or {}).get("configuration") or {}).get("status") if e == 200 else e
        mst = sorted(v.get("status") for v in ((jbody(mb) or {}).get("configuration") or {})
                     .values()) if m == 200 else m
        seen[t[0]] = (r, est, mst)
    en, dis = ["enabled", "enabled"], ["disabled", "disabled"]
    want = {"replicated": (200, 405, en), "plain": (404, 405, en),
            "no_maintenance": (404, 405, dis), "expiring": (404, "enabled", en),
            "expiration_off": (404, "disabled", en), "everything": (200, "enabled", en),
            "denied": (403, 403, 403), "broken": (503, 503, 503),
            "snapshots_off": (200, 405, ["disabled", "enabled"])}
    ok(seen == want, "fleet-probe: each table's three configurations as documented", seen)
    st, h, b = s.get("/tables/%s/sim_ns/maint_all_disabled/maintenance-job-status" % q(BUCKET))
    ok(st == 200 and all(v == {"status": "Disabled"} for v in (jbody(b) or {})["status"].values()),
       "maint_all_disabled: every job Disabled")

    # concurrency: fleet-throttle refuses more than 2 in flight; fleet-slow is slow
    before = s.counters()
    results = []
    # connections opened (TLS done) first, then all 8 requests sent at once
    conns = [http.client.HTTPSConnection("127.0.0.1", s.port, context=s.ctx, timeout=20)
             for _ in range(8)]
    for c in conns:
        c.connect()
    barrier = threading.Barrier(8)

    def hit(i):
        params = [("tableArn", tarn("ns_t", "t_%02d" % i, "fleet-throttle"))]
        hdrs = sign("GET", s.host, "/replication-status", params)
        barrier.wait(10)
        conns[i].request("GET", "/replication-status?tableArn=" + q(params[0][1]), headers=hdrs)
        r = conns[i].getresponse()
        r.read()
        results.append((r.status, r.getheader("x-amzn-ErrorType")))
        conns[i].close()
    threads = [threading.Thread(target=hit, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    codes = sorted(st for st, _ in results)
    ok(len(results) == 8 and codes.count(200) >= 2 and
       all(st == 200 or (st, (e or "").split(":")[0]) in (
           (429, "TooManyRequestsException"), (429, "ThrottlingException"), (503, "SlowDown"))
           for st, e in results) and codes[-1] in (429, 503),
       "fleet-throttle: 8 at once -> some 429/503 throttled, at least 2 answered", results)
    after = s.counters()
    ok(after["throttled"] - before["throttled"] == len([r for r in results if r[0] != 200]) and
       after["max_in_flight_by_bucket"].get("fleet-throttle", 0) >= 3,
       "counters: throttled answers and in-flight peak for fleet-throttle",
       (before["throttled"], after["throttled"], after["max_in_flight_by_bucket"]))
    seq = [s.get("/replication-status", [("tableArn", tarn("ns_t", "t_%02d" % i,
                                                           "fleet-throttle"))])[0]
           for i in range(3)]
    ok(seq == [200, 200, 200], "fleet-throttle one at a time: never throttled", seq)
    t0 = time.monotonic()
    st, h, b = s.get("/replication-status", [("tableArn", tarn("ns_s", "s_00", "fleet-slow"))])
    el = time.monotonic() - t0
    ok(st == 200 and el >= 0.45, "fleet-slow: a status answer after --slow-seconds (%.2f s)" % el)
    t0 = time.monotonic()
    st, h, b = s.get("/tables/%s" % q(fleet_bucket("fleet-slow")))
    ok(st == 200 and len(jbody(b)["tables"]) == 20 and time.monotonic() - t0 < 0.45,
       "fleet-slow: its listing is fast (20 tables)")

    # counters: requests per operation and TLS handshakes
    before = s.counters()
    c = http.client.HTTPSConnection("127.0.0.1", s.port, context=s.ctx, timeout=10)
    for i in range(5):
        pth = "/tables/%s" % q(mixed)
        c.request("GET", pth, headers=sign("GET", s.host, pth, []))
        r = c.getresponse()
        r.read()
    c.close()
    after = s.counters()
    ok(after["tls_handshakes"] - before["tls_handshakes"] == 1 and
       after["operations"].get("ListTables", 0) - before["operations"].get("ListTables", 0) == 5
       and after["requests"] - before["requests"] == 5,
       "counters: 5 ListTables on one keep-alive connection = 1 TLS handshake",
       (before, after))
    ents = s.log_entries()
    ok(after["requests"] == len(ents) and
       sum(after["operations"].values()) == len(ents) and
       after["tls_handshakes"] >= len({e["conn"] for e in ents}),
       "counters agree with the request log (%d requests)" % len(ents))
    fe = [e for e in ents if e.get("table") == "raw.clicks"]
    ok(fe and all(e["bucket"] == "fleet-mixed" and e["scenario"] in ("repl_pending_2h",
                                                                     "maint_disabled")
                  and isinstance(e["in_flight"], int) for e in fe),
       "log lines name bucket, table, scenario and in_flight", fe[:1])


# ------------------------------------------------------------------------------------------
# Part 4: botocore (when installed) against the simulator, with the shared service model
# ------------------------------------------------------------------------------------------

MODEL_DIR = os.path.join(os.path.dirname(SRCDIR), "shared", "aws-model")


def part_botocore(s, cafile):
    """An independent client: botocore's own SigV4, serializers, parsers and paginators."""
    try:
        import botocore.session
        import botocore.config
    except ImportError:
        ok(True, "# SKIP botocore is not installed")
        return
    if not os.path.isdir(MODEL_DIR):
        print("# no service model at %s: botocore's bundled one is used" % MODEL_DIR)
    os.environ["AWS_DATA_PATH"] = MODEL_DIR
    sess = botocore.session.get_session()
    c = sess.create_client("s3tables", region_name="us-east-1", endpoint_url="https://" + s.host,
                           verify=cafile, aws_access_key_id=AKID, aws_secret_access_key=SECRET,
                           config=botocore.config.Config(retries={"mode": "standard"}))
    mixed = fleet_bucket("fleet-mixed")
    try:
        tables = [t for p in c.get_paginator("list_tables").paginate(tableBucketARN=mixed)
                  for t in p["tables"]]
        ok(len(tables) == 20 and all(isinstance(t["createdAt"], datetime.datetime)
                                     for t in tables),
           "botocore: list_tables paginator gets 20 tables, timestamps parsed")
        pages = list(c.get_paginator("list_tables").paginate(
            tableBucketARN=mixed, namespace="sales", PaginationConfig={"PageSize": 2}))
        ok([len(p["tables"]) for p in pages] == [2, 2, 2],
           "botocore: maxTables 2 with a namespace filter: 3 pages of 2",
           [len(p["tables"]) for p in pages])
        bk = [b["name"] for p in c.get_paginator("list_table_buckets").paginate()
              for b in p["tableBuckets"]]
        ns = [n["namespace"][0] for p in c.get_paginator("list_namespaces").paginate(
            tableBucketARN=mixed) for n in p["namespaces"]]
        ok(len(bk) == 4 and ns == ["ops", "raw", "sales"],
           "botocore: list_table_buckets and list_namespaces paginators", (bk, ns))
        r = c.get_table_replication(tableArn=mixed + "/table/sales-orders")
        e = c.get_table_record_expiration_configuration(tableArn=mixed + "/table/ops-inventory")
        m = c.get_table_maintenance_configuration(tableBucketARN=mixed, namespace="raw",
                                                  name="clicks")
        st = c.get_table_replication_status(tableArn=mixed + "/table/sales-customers")
        ok(len(r["configuration"]["rules"][0]["destinations"]) == 3 and
           e["configuration"] == {"status": "disabled"} and
           m["configuration"]["icebergSnapshotManagement"]["status"] == "disabled" and
           st["destinations"][2]["replicationStatus"] == "failed",
           "botocore: the configuration operations and a fleet status parse")
        try:
            c.get_table_replication(tableArn=mixed + "/table/raw-views")
            code = None
        except c.exceptions.NotFoundException as ex:
            code = ex.response["Error"]["Code"]
        ok(code == "NotFoundException", "botocore: 404 maps to its NotFoundException")
        try:
            c.list_tables(tableBucketARN=fleet_bucket("list-forbidden"))
            code = None
        except c.exceptions.ForbiddenException as ex:
            code = ex.response["Error"]["Code"]
        ok(code == "ForbiddenException", "botocore: list-forbidden raises ForbiddenException")
    except Exception as ex:  # a botocore failure here is a simulator defect: report it
        ok(False, "botocore against the simulator: %s: %s" % (type(ex).__name__, ex))


def main():
    print("# srcdir=%s" % SRCDIR)
    t0 = time.monotonic()
    sim = load_sim()
    part_vectors(sim)
    tmp = tempfile.mkdtemp(prefix="sim-selftest.")
    try:
        part_live(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ok(time.monotonic() - t0 < 30, "selftest finished in %.1f s" % (time.monotonic() - t0))
    print("1..%d" % _n)
    return 1 if _failed else 0


if __name__ == "__main__":
    sys.exit(main())
