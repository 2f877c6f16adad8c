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
    def __init__(self, port, cafile, log):
        self.port = port
        self.host = "127.0.0.1:%d" % port
        self.ctx = ssl.create_default_context(cafile=cafile)
        self.log = log

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
    p, port = start_sim(["--cert", os.path.join(cadir, "server.pem"),
                         "--key", os.path.join(cadir, "server.key"), "--log", log,
                         "--lifetime", "60", "--stall-seconds", "20",
                         "--credentials", "%s:%s" % (AKID, SECRET),
                         "--credentials", "%s:%s:%s" % (TOK_AKID, TOK_SECRET, TOKEN)],
                        tmp, "main")
    if not ok(port is not None, "simulator starts (TLS, ephemeral port, --port-file)",
              p.stderr.read().decode() if p.poll() is not None else None):
        p.kill()
        return
    try:
        live_checks(Live(port, os.path.join(cadir, "ca.pem"), log))
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
