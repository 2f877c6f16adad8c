#!/usr/bin/env python3
"""Simulated Amazon S3 Tables endpoint for the end-to-end tests and the README demo.

Python 3 standard library only. Serves the four operations the plugins use
(GetTableReplicationStatus, GetTableRecordExpirationJobStatus, GetTableMaintenanceJobStatus,
GetTable) over HTTPS (or plain HTTP with --http), verifies AWS SigV4 with its own
implementation, and answers according to a *scenario* chosen by the table: the table id of a
table ARN (arn:aws:s3tables:us-east-1:111122223333:bucket/sim-bucket/table/<SCENARIO>) or
the table name of a by-name request. A suffix "__<nonce>" is ignored for selection but keys
per-scenario state (e.g. retry counters). See tests/sim/README.md for the scenario table.

    python3 tests/sim/s3tables_sim.py --cert server.pem --key server.key --port 0 \
        --port-file /tmp/port --log /tmp/sim.log
"""

import argparse
import base64
import binascii
import datetime
import functools
import hashlib
import hmac
import http.server
import json
import os
import re
import select
import signal
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import uuid

SERVICE = "s3tables"
DEFAULT_CREDENTIALS = "AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
DEFAULT_REGION = "us-east-1"
DEFAULT_LIFETIME = 600.0
DEFAULT_STALL = 30.0
DEFAULT_LISTED = "fleet-empty,fleet-large,fleet-mixed,sim-bucket"  # what ListTableBuckets lists
DEFAULT_THROTTLE_LIMIT = 2     # fleet-throttle: requests in flight before it throttles
DEFAULT_THROTTLE_HOLD = 0.05   # fleet-throttle: seconds each admitted request is held
DEFAULT_SLOW = 1.0             # fleet-slow: seconds before each status answer
MAX_SKEW = 15 * 60
ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
CORAL_SERVICE = ":http://internal.amazon.com/coral/com.amazon.coral.service/"

# ---------------------------------------------------------------------------------------------
# SigV4 (independent implementation, following the AWS "Create a signed AWS API request" docs)
# ---------------------------------------------------------------------------------------------

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def _to_bytes(s):
    """Request text from http.server is latin-1-decoded raw bytes; get the bytes back."""
    if isinstance(s, bytes):
        return s
    try:
        return s.encode("latin-1")
    except UnicodeEncodeError:
        return s.encode("utf-8")


def uri_encode(data, keep_slash=False):
    """AWS UriEncode(): every byte except A-Za-z0-9-_.~ (and '/' if keep_slash) as %XX."""
    out = []
    for b in _to_bytes(data):
        if b in _UNRESERVED or (keep_slash and b == 0x2F):
            out.append(chr(b))
        else:
            out.append("%%%02X" % b)
    return "".join(out)


def normalize_path(path):
    """RFC 3986 remove_dot_segments plus collapsing of empty segments (as AWS/botocore do
    for non-S3 services)."""
    if not path:
        return "/"
    out = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    res = "/" + "/".join(out)
    if path.endswith("/") and out:
        res += "/"
    return res


def canonical_uri(raw_path):
    """Non-S3 service: the path as received (already encoded once by the client), normalised,
    then URI-encoded again: '%3A' becomes '%253A' (double encoding)."""
    return uri_encode(normalize_path(raw_path), keep_slash=True)


def canonical_query(raw_query):
    """Split the raw query, percent-decode each name/value, re-encode per AWS rules (which
    normalises hex case and needless escapes but keeps a single level of encoding), sort by
    name then value."""
    pairs = []
    for part in (raw_query or "").split("&"):
        if part == "":
            continue
        name, _, value = part.partition("=")
        pairs.append((uri_encode(urllib.parse.unquote_to_bytes(_to_bytes(name))),
                      uri_encode(urllib.parse.unquote_to_bytes(_to_bytes(value)))))
    pairs.sort()
    return "&".join("%s=%s" % p for p in pairs)


_WS = re.compile(r"[ \t]+")


def canonical_header_map(headers):
    """headers: iterable of (name, value). Lowercase names, trim values, collapse sequential
    spaces, join repeated headers with ','."""
    m = {}
    for name, value in headers:
        v = _WS.sub(" ", value.replace("\r\n", " ").replace("\n", " ").strip(" \t"))
        m.setdefault(name.strip().lower(), []).append(v)
    return {k: ",".join(v) for k, v in m.items()}


def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


@functools.lru_cache(maxsize=64)
def signing_key(secret, date, region, service):
    """Derived once per (secret, day, region, service), as SDKs do: a fleet run signs
    thousands of requests with the same key."""
    k = _hmac(("AWS4" + secret).encode("utf-8"), date)
    k = _hmac(k, region)
    k = _hmac(k, service)
    return _hmac(k, "aws4_request")


def build_canonical_request(method, raw_path, raw_query, hmap, signed_headers, payload_hash):
    lines = [method, canonical_uri(raw_path), canonical_query(raw_query)]
    lines.extend("%s:%s" % (h, hmap.get(h, "")) for h in signed_headers)
    lines.append("")
    lines.append(";".join(signed_headers))
    lines.append(payload_hash)
    return "\n".join(lines)


def build_string_to_sign(amz_date, scope, canonical_request):
    return "\n".join([ALGORITHM, amz_date, scope,
                      hashlib.sha256(_to_bytes(canonical_request)).hexdigest()])


def sign(secret, date, region, service, string_to_sign):
    return hmac.new(signing_key(secret, date, region, service), _to_bytes(string_to_sign),
                    hashlib.sha256).hexdigest()


class AuthResult:
    def __init__(self, ok, code=None, message=None, status=403, access_key=None,
                 canonical_request=None, string_to_sign=None):
        self.ok = ok
        self.code = code
        self.message = message
        self.status = status
        self.access_key = access_key
        self.canonical_request = canonical_request
        self.string_to_sign = string_to_sign

    @property
    def verdict(self):
        return "ok" if self.ok else self.code

    def __repr__(self):
        return "AuthResult(%r, %r, %r)" % (self.ok, self.code, self.message)


MSG_BAD_SIGNATURE = ("The request signature we calculated does not match the signature you "
                     "provided. Check your AWS Secret Access Key and signing method. Consult "
                     "the service documentation for details.")
MSG_BAD_TOKEN = "The security token included in the request is invalid."


def _fmt_amz(t):
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(t))


def verify_sigv4(method, raw_path, raw_query, headers, body, credentials, region, now,
                 service=SERVICE, max_skew=MAX_SKEW):
    """Verify an Authorization-header SigV4 request.

    method, raw_path, raw_query: as on the request line (query without '?').
    headers: list of (name, value) as received. body: bytes.
    credentials: {access_key_id: (secret, session_token_or_None)}.
    region/service: what the credential scope must name. now: epoch seconds (injectable).
    Returns an AuthResult; on failure code/message/status are what AWS would answer."""
    def fail(code, message, **kw):
        return AuthResult(False, code, message, **kw)

    hmap = canonical_header_map(headers)
    auth = hmap.get("authorization")
    if not auth:
        return fail("MissingAuthenticationTokenException", "Missing Authentication Token")
    algo, _, rest = auth.strip().partition(" ")
    if algo != ALGORITHM:
        return fail("IncompleteSignatureException",
                    "Unsupported AWS 'algorithm': '%s'" % algo[:40])
    params = {}
    for item in rest.split(","):
        k, sep, v = item.strip().partition("=")
        if sep:
            params[k.strip()] = v.strip()
    missing = [p for p in ("Credential", "SignedHeaders", "Signature") if p not in params]
    if missing:
        return fail("IncompleteSignatureException",
                    " ".join("Authorization header requires '%s' parameter." % p
                             for p in missing))
    cred = params["Credential"].split("/")
    if len(cred) != 5:
        return fail("IncompleteSignatureException",
                    "Credential must have exactly 5 slash-delimited elements, e.g. "
                    "keyid/date/region/service/term, got '%s'" % params["Credential"][:200])
    akid, scope_date, scope_region, scope_service, term = cred
    if akid not in credentials:
        return fail("UnrecognizedClientException", MSG_BAD_TOKEN, access_key=akid)
    secret, token = credentials[akid]
    signed = [h.strip() for h in params["SignedHeaders"].split(";") if h.strip()]
    got_token = hmap.get("x-amz-security-token")
    if token is None:
        if got_token is not None:
            return fail("UnrecognizedClientException", MSG_BAD_TOKEN, access_key=akid)
    else:
        if got_token is None or not hmac.compare_digest(got_token.encode("utf-8", "replace"),
                                                        token.encode("utf-8")):
            return fail("UnrecognizedClientException", MSG_BAD_TOKEN, access_key=akid)
        if "x-amz-security-token" not in signed:
            return fail("InvalidSignatureException",
                        "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS "
                        "Authorization.", access_key=akid)
    if term != "aws4_request":
        return fail("InvalidSignatureException",
                    "Credential should be scoped with a valid terminator: 'aws4_request', "
                    "not '%s'. " % term[:40], access_key=akid)
    if scope_region != region:
        return fail("InvalidSignatureException",
                    "Credential should be scoped to a valid region. ", access_key=akid)
    if scope_service != service:
        return fail("InvalidSignatureException",
                    "Credential should be scoped to correct service: '%s'. " % service,
                    access_key=akid)
    if "host" not in signed:
        return fail("InvalidSignatureException",
                    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
                    access_key=akid)
    amz_date = hmap.get("x-amz-date")
    if amz_date is None:
        return fail("IncompleteSignatureException",
                    "Authorization header requires existence of either a 'X-Amz-Date' or a "
                    "'Date' header.", access_key=akid)
    if "x-amz-date" not in signed:
        return fail("InvalidSignatureException",
                    "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
                    access_key=akid)
    try:
        req_time = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc).timestamp()
    except ValueError:
        return fail("IncompleteSignatureException",
                    "Date must be in ISO-8601 'basic format'. Got '%s'. See "
                    "http://en.wikipedia.org/wiki/ISO_8601" % amz_date[:40], access_key=akid)
    if scope_date != amz_date[:8]:
        return fail("InvalidSignatureException",
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version "
                    "of date from HTTP: '%s' != '%s', from '%s'." % (scope_date[:20],
                                                                     amz_date[:8], amz_date),
                    access_key=akid)
    if req_time < now - max_skew:
        return fail("InvalidSignatureException",
                    "Signature expired: %s is now earlier than %s (%s - 15 min.)"
                    % (amz_date, _fmt_amz(now - max_skew), _fmt_amz(now)), access_key=akid)
    if req_time > now + max_skew:
        return fail("InvalidSignatureException",
                    "Signature not yet current: %s is still later than %s (%s + 15 min.)"
                    % (amz_date, _fmt_amz(now + max_skew), _fmt_amz(now)), access_key=akid)
    body = body or b""
    payload_hash = hashlib.sha256(body).hexdigest()
    declared = hmap.get("x-amz-content-sha256")
    if declared is not None and declared != "UNSIGNED-PAYLOAD":
        if declared != payload_hash:
            return fail("InvalidSignatureException",
                        "The provided 'x-amz-content-sha256' header does not match what was "
                        "computed.", access_key=akid)
    if declared is not None:
        payload_hash = declared
    creq = build_canonical_request(method, raw_path, raw_query, hmap, signed, payload_hash)
    scope = "/".join(cred[1:])
    sts = build_string_to_sign(amz_date, scope, creq)
    expected = sign(secret, scope_date, scope_region, scope_service, sts)
    if not hmac.compare_digest(expected.encode("ascii"),
                               params["Signature"].encode("utf-8", "replace")):
        return fail("InvalidSignatureException", MSG_BAD_SIGNATURE, access_key=akid,
                    canonical_request=creq, string_to_sign=sts)
    return AuthResult(True, access_key=akid, canonical_request=creq, string_to_sign=sts,
                      status=200)


def sign_headers(method, url, access_key, secret, region, now, token=None, body=b"",
                 service=SERVICE):
    """Small client-side signer (for the selftest and manual poking): returns the headers to
    add (X-Amz-Date, [X-Amz-Security-Token], Authorization) for url."""
    u = urllib.parse.urlsplit(url)
    amz_date = _fmt_amz(now)
    hdrs = [("Host", u.netloc), ("X-Amz-Date", amz_date)]
    if token is not None:
        hdrs.append(("X-Amz-Security-Token", token))
    hmap = canonical_header_map(hdrs)
    signed = sorted(hmap)
    creq = build_canonical_request(method, u.path or "/", u.query, hmap, signed,
                                   hashlib.sha256(body).hexdigest())
    scope = "%s/%s/%s/aws4_request" % (amz_date[:8], region, service)
    sig = sign(secret, amz_date[:8], region, service, build_string_to_sign(amz_date, scope,
                                                                           creq))
    out = {"X-Amz-Date": amz_date}
    if token is not None:
        out["X-Amz-Security-Token"] = token
    out["Authorization"] = "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, scope, ";".join(signed), sig)
    return out


# ---------------------------------------------------------------------------------------------
# Response building blocks
# ---------------------------------------------------------------------------------------------

TABLE_ARN_RE = re.compile(r"^arn:(aws[-a-z0-9]*):([a-z0-9]+):([-a-z0-9]*):([0-9]{12}):"
                          r"bucket/([a-z0-9_-]{3,63})/table/([a-zA-Z0-9_-]{1,255})$")
BUCKET_ARN_RE = re.compile(r"^arn:(aws[-a-z0-9]*):([a-z0-9]+):([-a-z0-9]*):([0-9]{12}):"
                           r"bucket/([a-z0-9_-]{3,63})$")
NAME_RE = re.compile(r"^[0-9a-z_]{1,255}$")

UTC = datetime.timezone.utc
PLUS2 = datetime.timezone(datetime.timedelta(hours=2))
INT64_MAX = 9223372036854775807


def ts(now, delta, style="z"):
    """RFC 3339 timestamp for now+delta seconds. Styles: z (2025-11-15T14:30:00Z),
    zms (…:00.123Z), utc (…:00.857000+00:00, the CLI style), plus2 (…:00.250+02:00)."""
    dt = datetime.datetime.fromtimestamp(int(now + delta), UTC)
    if style == "z":
        return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == "zms":
        return dt.strftime("%Y-%m-%dT%H:%M:%S") + ".123Z"
    if style == "utc":
        return dt.replace(microsecond=857000).isoformat()
    if style == "plus2":
        return dt.replace(microsecond=250000).astimezone(PLUS2).isoformat(
            timespec="milliseconds")
    raise ValueError(style)


@functools.lru_cache(maxsize=1 << 16)
def _uid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "s3tables-sim:" + ":".join(parts)))


def _metadata_location(table_arn, seq):
    return "s3://%s--table-s3/metadata/%05d-%s.metadata.json" % (
        _uid(table_arn)[:30], seq, _uid(table_arn, str(seq)))


DR_A = ("us-west-2", "111122223333", "dr-a")
DR_B = ("eu-west-1", "111122223333", "dr-b")
DR_C = ("us-east-2", "444455556666", "dr-c")
DR_D = ("ap-southeast-2", "111122223333", "dr-d")
DR_E = ("ca-central-1", "111122223333", "dr-e")


def bucket_arn(dest):
    region, account, name = dest
    return "arn:aws:s3tables:%s:%s:bucket/%s" % (region, account, name)


def destination(now, src, dest, status, update=None, fail=None, style="z", key_style="model"):
    barn = bucket_arn(dest)
    tarn = barn + "/table/" + _uid(src, barn)
    if key_style == "model":
        d = {"replicationStatus": status, "destinationTableBucketArn": barn,
             "destinationTableArn": tarn}
    else:  # the User Guide example's spellings
        d = {"replicationStatus": status, "destinationBucketARN": barn,
             "destinationTableARN": tarn}
    if update is not None:
        d["lastSuccessfulReplicatedUpdate"] = {
            "metadataLocation": _metadata_location(tarn, 42),
            "timestamp": update if isinstance(update, str) else ts(now, -update, style)}
    if fail is not None:
        d["failureMessage"] = fail
    return d


HOSTILE_HEAD = ("Replication failed | 'dr-c' \"quoted\" \\ backslash\r\n"
                "S3TABLES REPLICATION OK - all destinations completed | destinations=3;;;0\n"
                "OK\ttab\x1b[31mESC-red\x1b[0m \x07bell é→✓ ")


def hostile_text(length=5000):
    s = HOSTILE_HEAD
    filler = "lorem ipsum dolor sit amet | "
    while len(s) < length - 3:
        s += filler
    s = s[:length - 3] + "END"
    return s


def repl_body(scn, ctx):
    now, src = ctx.now, ctx.table_arn
    D = lambda *a, **k: destination(now, src, *a, **k)  # noqa: E731
    body = {"sourceTableArn": src}
    if scn == "repl_ok":
        dests = [D(DR_A, "completed", 60), D(DR_B, "completed", 95), D(DR_C, "completed", 130)]
    elif scn == "repl_single_ok":
        dests = [D(DR_A, "completed", 45)]
    elif scn == "repl_pending_5m":
        dests = [D(DR_A, "completed", 60), D(DR_B, "pending", 300), D(DR_C, "completed", 90)]
    elif scn == "repl_pending_2h":
        dests = [D(DR_A, "completed", 60), D(DR_B, "pending", 7200), D(DR_C, "completed", 90)]
    elif scn == "repl_pending_no_update":
        dests = [D(DR_A, "completed", 60), D(DR_B, "pending"), D(DR_C, "completed", 90)]
    elif scn == "repl_failed":
        dests = [D(DR_A, "completed", 60), D(DR_B, "completed", 90),
                 D(DR_C, "failed", 86400, fail="KMS key disabled")]
    elif scn == "repl_mixed":
        dests = [D(DR_A, "completed", 60), D(DR_B, "pending", 600),
                 D(DR_C, "failed", 7200, fail="KMS key disabled")]
    elif scn == "repl_unknown_status":
        dests = [D(DR_A, "completed", 60), D(DR_B, "paused", 1800)]
    elif scn == "repl_uppercase":
        body = {"sourceTableARN": src}
        dests = [D(DR_A, "COMPLETED", 60, key_style="guide"),
                 D(DR_B, "PENDING", 240, key_style="guide")]
    elif scn == "repl_no_destinations":
        dests = []
    elif scn == "repl_same_bucket_names":
        dests = [D(("us-west-2", "111122223333", "dr-shared"), "completed", 60),
                 D(("eu-west-1", "444455556666", "dr-shared"), "pending", 420)]
    elif scn == "repl_five":
        dests = [D(DR_A, "completed", 30), D(DR_B, "completed", 40), D(DR_C, "completed", 50),
                 D(DR_D, "completed", 60), D(DR_E, "completed", 70)]
    elif scn == "repl_offset_ts":
        dests = [D(DR_A, "completed", 60, style="plus2"), D(DR_B, "pending", 420, style="plus2"),
                 D(DR_C, "completed", 90, style="utc")]
    elif scn == "repl_future_ts":
        dests = [D(DR_A, "completed", 60), D(DR_B, "pending", -600)]
    elif scn == "repl_bad_ts":
        dests = [D(DR_A, "completed", 60), D(DR_B, "pending", "yesterday at 25:61")]
    elif scn == "repl_hostile":
        dests = [D(DR_A, "completed", 60), D(DR_B, "completed", 90),
                 D(DR_C, "failed", 3600, fail=hostile_text(5000))]
    else:
        return None
    body["destinations"] = dests
    return body


EXP_METRICS = {"deletedDataFiles": 12, "deletedRecords": 34567, "removedFilesSize": 104857600}


def exp_body(scn, ctx):
    now = ctx.now
    if scn == "exp_ok":
        return {"status": "Successful", "lastRunTimestamp": ts(now, -3600),
                "metrics": dict(EXP_METRICS)}
    if scn == "exp_old":
        return {"status": "Successful", "lastRunTimestamp": ts(now, -3 * 86400, "zms"),
                "metrics": dict(EXP_METRICS)}
    if scn == "exp_failed":
        return {"status": "Failed", "lastRunTimestamp": ts(now, -7200),
                "failureMessage": "Insufficient access: KMS key "
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd is disabled"}
    if scn == "exp_disabled":
        return {"status": "Disabled"}
    if scn == "exp_not_yet_run":
        return {"status": "NotYetRun"}
    if scn == "exp_unknown_status":
        return {"status": "Paused", "lastRunTimestamp": ts(now, -3600)}
    if scn == "exp_no_metrics":
        return {"status": "Successful", "lastRunTimestamp": ts(now, -3600, "utc")}
    if scn == "exp_partial_metrics":
        return {"status": "Successful", "lastRunTimestamp": ts(now, -3600),
                "metrics": {"deletedRecords": 1000}}
    if scn == "exp_huge_metrics":
        return {"status": "Successful", "lastRunTimestamp": ts(now, -3600),
                "metrics": {"deletedDataFiles": INT64_MAX, "deletedRecords": INT64_MAX,
                            "removedFilesSize": INT64_MAX}}
    if scn == "exp_future_ts":
        return {"status": "Successful", "lastRunTimestamp": ts(now, 3600),
                "metrics": dict(EXP_METRICS)}
    if scn == "exp_bad_ts":
        return {"status": "Successful", "lastRunTimestamp": "2025-13-45T99:00:00Z",
                "metrics": dict(EXP_METRICS)}
    if scn == "exp_offset_ts":
        return {"status": "Successful", "lastRunTimestamp": ts(now, -5400, "plus2"),
                "metrics": dict(EXP_METRICS)}
    return None


JOBS = ("icebergCompaction", "icebergSnapshotManagement", "icebergUnreferencedFileRemoval")


def maint_body(scn, ctx):
    now = ctx.now

    def ok(hours, style="z"):
        return {"status": "Successful", "lastRunTimestamp": ts(now, -hours * 3600, style)}
    st = {"icebergCompaction": ok(1), "icebergSnapshotManagement": ok(3),
          "icebergUnreferencedFileRemoval": ok(6)}
    if scn == "maint_ok":
        pass
    elif scn == "maint_compaction_failed":
        st["icebergCompaction"] = {
            "status": "Failed", "lastRunTimestamp": ts(now, -2 * 3600),
            "failureMessage": "Iceberg validation exception: cannot commit, metadata is "
                              "outdated (will retry)"}
    elif scn == "maint_disabled":
        st["icebergSnapshotManagement"] = {"status": "Disabled"}
    elif scn == "maint_not_yet_run":
        st = {j: {"status": "Not_Yet_Run"} for j in JOBS}
    elif scn == "maint_all_disabled":
        st = {j: {"status": "Disabled"} for j in JOBS}
    elif scn == "maint_old":
        st["icebergCompaction"] = ok(72)
    elif scn == "maint_unknown_job":
        st["icebergFutureJob"] = ok(2)
    elif scn == "maint_unknown_status":
        st["icebergCompaction"] = {"status": "Paused", "lastRunTimestamp": ts(now, -3600)}
    elif scn == "maint_missing_job":
        st = {"icebergCompaction": ok(1)}
    elif scn == "maint_empty":
        st = {}
    elif scn == "maint_offset_ts":
        st = {"icebergCompaction": ok(1, "plus2"), "icebergSnapshotManagement": ok(3, "utc"),
              "icebergUnreferencedFileRemoval": ok(6, "zms")}
    else:
        return None
    return {"tableARN": ctx.table_arn, "status": st}


def get_table_body(ctx):
    now = ctx.now
    m = TABLE_ARN_RE.match(ctx.table_arn)
    account = m.group(4) if m else "111122223333"
    bucket_id = _uid(ctx.bucket_arn or "")
    return {
        "name": ctx.name,
        "type": "customer",
        "tableARN": ctx.table_arn,
        "namespace": [ctx.namespace],
        "namespaceId": _uid(ctx.bucket_arn or "", ctx.namespace),
        "versionToken": hashlib.sha256(ctx.table_arn.encode()).hexdigest()[:20],
        "metadataLocation": _metadata_location(ctx.table_arn, 7),
        "warehouseLocation": "s3://%s--table-s3" % _uid(ctx.table_arn)[:30],
        "createdAt": ts(now, -30 * 86400, "utc"),
        "createdBy": account,
        "modifiedAt": ts(now, -3600),
        "modifiedBy": account,
        "ownerAccountId": account,
        "format": "ICEBERG",
        "tableBucketId": bucket_id,
    }


def wrong_types_body(ctx):
    if ctx.op == "GetTableReplicationStatus":
        return {"sourceTableArn": 42, "destinations": "completed"}
    if ctx.op == "GetTableRecordExpirationJobStatus":
        return {"status": 1, "lastRunTimestamp": 1700000000,
                "metrics": {"deletedRecords": "many", "deletedDataFiles": 1.5,
                            "removedFilesSize": None}}
    if ctx.op == "GetTableMaintenanceJobStatus":
        return {"tableARN": [ctx.table_arn], "status": [
            {"icebergCompaction": "Successful"}, {"icebergSnapshotManagement": 3}]}
    if ctx.op == "GetTableReplication":
        return {"versionToken": 5, "configuration": {"role": [], "rules": "all"}}
    if ctx.op == "GetTableRecordExpirationConfiguration":
        return {"configuration": {"status": True, "settings": {"days": "30"}}}
    if ctx.op == "GetTableMaintenanceConfiguration":
        return {"tableARN": 1, "configuration": [{"icebergCompaction": "enabled"}]}
    if ctx.op == "ListTables":
        return {"tables": {"namespace": "sim_ns", "name": 5}, "continuationToken": 7}
    if ctx.op == "ListNamespaces":
        return {"namespaces": "sim_ns"}
    if ctx.op == "ListTableBuckets":
        return {"tableBuckets": [{"arn": 1, "name": ["x"], "createdAt": 1700000000}]}
    return {"name": 17, "type": "customer", "tableARN": {"arn": ctx.table_arn},
            "namespace": "sim_ns", "createdAt": 1700000000}


# ---------------------------------------------------------------------------------------------
# Replies
# ---------------------------------------------------------------------------------------------

class Reply:
    """status/headers/body plus an optional transport action:
    None, 'slow_headers', 'stall_body', 'truncate', 'reset'."""

    def __init__(self, status, body=b"", content_type="application/json", headers=None,
                 error_code=None, action=None, delay=0.0):
        self.delay = delay  # seconds to wait before answering (fleet-throttle, fleet-slow)
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.content_type = content_type
        self.headers = list(headers or [])
        self.error_code = error_code
        self.action = action


def json_reply(obj, status=200, action=None):
    return Reply(status, json.dumps(obj, ensure_ascii=False), action=action)


def error_reply(status, code, message, type_header=None, body=None):
    """restJson1 error: x-amzn-ErrorType header and {"message": ...} body."""
    th = code if type_header is None else type_header
    hdrs = [("x-amzn-ErrorType", th)] if th else []
    if body is None:
        body = json.dumps({"message": message}, ensure_ascii=False)
    return Reply(status, body, headers=hdrs, error_code=code)


def not_found(ctx):
    return error_reply(404, "NotFoundException", "The specified table could not be found.")


OPS = ("GetTableReplicationStatus", "GetTableRecordExpirationJobStatus",
       "GetTableMaintenanceJobStatus", "GetTable")

FAMILY = {"repl_": "GetTableReplicationStatus", "exp_": "GetTableRecordExpirationJobStatus",
          "maint_": "GetTableMaintenanceJobStatus"}

OK_FOR_OP = {"GetTableReplicationStatus": "repl_ok",
             "GetTableRecordExpirationJobStatus": "exp_ok",
             "GetTableMaintenanceJobStatus": "maint_ok"}


def ok_reply(ctx):
    """The healthy answer for ctx.op (repl_ok / exp_ok / maint_ok / GetTable)."""
    return json_reply(ok_body(ctx))


def ok_body(ctx):
    if ctx.ok is not None:  # listings: the page computed for this request
        return ctx.ok
    if ctx.op == "GetTable":
        return get_table_body(ctx)
    if ctx.op in CONFIG_OPS:
        return config_body(ctx.op, OK_FOR_OP[CONFIG_OPS[ctx.op]], ctx)[1]
    scn = OK_FOR_OP[ctx.op]
    return {"GetTableReplicationStatus": repl_body,
            "GetTableRecordExpirationJobStatus": exp_body,
            "GetTableMaintenanceJobStatus": maint_body}[ctx.op](scn, ctx)


def _forbidden_msg(ctx):
    return ("User: arn:aws:iam::111122223333:user/sim-monitor is not authorized to perform: "
            "s3tables:%s on resource: %s because no identity-based policy allows the "
            "s3tables:%s action" % (ctx.op, ctx.table_arn, ctx.op))


def generic_reply(scn, ctx):
    """Errors/transport scenarios; they apply to every operation. None if scn is not one."""
    n = ctx.count
    if scn in ("not_found", "missing"):
        return not_found(ctx)
    if scn == "ok":
        return ok_reply(ctx)
    if scn == "forbidden":
        return error_reply(403, "ForbiddenException", _forbidden_msg(ctx))
    if scn == "access_denied":
        return error_reply(403, "AccessDeniedException", _forbidden_msg(ctx))
    if scn == "bad_request":
        return error_reply(400, "BadRequestException",
                           "The request is invalid: tableArn is malformed.")
    if scn == "conflict":
        return error_reply(409, "ConflictException",
                           "A conflicting operation is in progress on this table. You can "
                           "retry the request.")
    if scn == "internal_error":
        return error_reply(500, "InternalServerErrorException",
                           "We encountered an internal error. Please try again.")
    if scn == "throttle_then_ok":
        if n <= 2:
            return error_reply(429, "TooManyRequestsException", "Rate exceeded")
        return ok_reply(ctx)
    if scn == "throttle_always":
        return error_reply(429, "TooManyRequestsException", "Rate exceeded")
    if scn == "e5xx_then_ok":
        if n == 1:
            return error_reply(500, "InternalServerErrorException",
                               "We encountered an internal error. Please try again.")
        if n == 2:
            return error_reply(503, "ServiceUnavailableException", "Service Unavailable")
        return ok_reply(ctx)
    if scn == "e5xx_always":
        return error_reply(503, "ServiceUnavailableException", "Service Unavailable")
    if scn == "reset_then_ok":
        if n == 1:
            return Reply(0, action="reset")
        return ok_reply(ctx)
    if scn == "slow_headers":
        r = ok_reply(ctx)
        r.action = "slow_headers"
        return r
    if scn == "slow_2s":
        r = ok_reply(ctx)
        r.action = "slow_2s"
        return r
    if scn == "stall_body":
        r = ok_reply(ctx)
        r.action = "stall_body"
        return r
    if scn == "reset":
        return Reply(0, action="reset")
    if scn == "malformed_json":
        text = json.dumps(ok_body(ctx))
        return Reply(200, text[:max(1, len(text) // 2)] + ",,}")
    if scn == "truncated_json":
        r = ok_reply(ctx)
        r.action = "truncate"
        return r
    if scn == "not_json":
        return Reply(200, "<!DOCTYPE html>\n<html><head><title>Welcome</title></head>\n"
                          "<body><h1>Captive portal</h1><p>Please log in | OK</p></body></html>\n",
                     content_type="text/html; charset=utf-8")
    if scn == "empty_body":
        return Reply(200, b"")
    if scn == "wrong_types":
        return json_reply(wrong_types_body(ctx))
    if scn == "oversized":
        body = ok_body(ctx)
        base = len(json.dumps(body))
        body["simPadding"] = "x" * max(0, 2 * 1024 * 1024 - base)
        return json_reply(body)
    if scn == "error_type_header_only":
        return error_reply(404, "NotFoundException", None,
                           type_header="NotFoundException:http://internal.amazon.com/coral/"
                                       "com.amazon.coral.validate/", body=b"")
    if scn == "error_type_in_body":
        return error_reply(404, "NotFoundException", None, type_header="",
                           body=json.dumps({"__type": "com.amazonaws.s3tables#NotFoundException",
                                            "message": "The specified table could not be "
                                                       "found."}))
    if scn == "hostile_error":
        return error_reply(403, "ForbiddenException",
                           "Access denied | S3TABLES REPLICATION OK - all good | x=1;;;0\n"
                           "OK\r\nS3TABLES REPLICATION OK - fake second line\n"
                           "\x1b[2J\x1b]0;pwned\x07 'single' \"double\" é→✓ |")
    if scn == "expired_token":
        return error_reply(403, "ExpiredTokenException",
                           "The security token included in the request is expired",
                           type_header="ExpiredTokenException" + CORAL_SERVICE)
    return None


GENERIC = ("ok", "not_found", "missing", "forbidden", "access_denied", "bad_request",
           "conflict", "internal_error", "throttle_then_ok", "throttle_always",
           "e5xx_then_ok", "e5xx_always", "reset_then_ok", "slow_headers", "slow_2s",
           "stall_body", "reset", "malformed_json", "truncated_json", "not_json", "empty_body",
           "wrong_types", "oversized", "error_type_header_only", "error_type_in_body",
           "hostile_error", "expired_token")


class Ctx:
    def __init__(self, op, key, table_arn, bucket_arn, namespace, name, now, count, scenario=None,
                 ok=None):
        self.op = op
        self.key = key
        self.scenario = scenario or key.split("__", 1)[0]
        self.ok = ok
        self.table_arn = table_arn
        self.bucket_arn = bucket_arn
        self.namespace = namespace
        self.name = name
        self.now = now
        self.count = count


def scenario_reply(ctx):
    scn = ctx.scenario
    r = generic_reply(scn, ctx)
    if r is not None:
        return r
    if ctx.op in CONFIG_OPS:
        return config_reply(ctx)
    family = next((op for prefix, op in FAMILY.items() if scn.startswith(prefix)), None)
    if ctx.op == "GetTable":
        # Every non-error scenario resolves: the name keeps selecting the scenario.
        return json_reply(get_table_body(ctx))
    if family == ctx.op:
        if ctx.op == "GetTableRecordExpirationJobStatus" and scn == "exp_not_supported":
            return error_reply(405, "MethodNotAllowedException",
                               "The record expiration operation is not allowed for this "
                               "table type.")
        body = {"GetTableReplicationStatus": repl_body,
                "GetTableRecordExpirationJobStatus": exp_body,
                "GetTableMaintenanceJobStatus": maint_body}[ctx.op](scn, ctx)
        if body is not None:
            return json_reply(body)
        return error_reply(400, "BadRequestException",
                           "simulator: unknown scenario '%s' (see tests/sim/README.md)"
                           % scn[:80])
    if family is None:
        return error_reply(400, "BadRequestException",
                           "simulator: unknown scenario '%s' (see tests/sim/README.md)"
                           % scn[:80])
    return error_reply(400, "BadRequestException",
                       "simulator: scenario '%s' has no %s response (it is for %s)"
                       % (scn[:80], ctx.op, family))


def _query_params(raw_query):
    params = {}
    for part in (raw_query or "").split("&"):
        if not part:
            continue
        k, _, v = part.partition("=")
        k = urllib.parse.unquote_to_bytes(_to_bytes(k)).decode("utf-8", "replace")
        v = urllib.parse.unquote_to_bytes(_to_bytes(v)).decode("utf-8", "replace")
        params.setdefault(k, v)
    return params


def bad_request(msg):
    return error_reply(400, "BadRequestException", msg)


def unknown_operation(method, raw_path):
    return error_reply(404, "UnknownOperationException",
                       "No operation matches %s %s" % (method, raw_path[:200]),
                       type_header="UnknownOperationException" + CORAL_SERVICE)


def route(method, raw_path, raw_query):
    """Returns (op, params_dict) or (None, Reply) for a routing/validation error."""
    segs = raw_path.split("/")

    def label(x):
        return urllib.parse.unquote_to_bytes(_to_bytes(x)).decode("utf-8", "replace")
    if method != "GET":
        return None, unknown_operation(method, raw_path)
    simple = {"/replication-status": "GetTableReplicationStatus",
              "/table-record-expiration-job-status": "GetTableRecordExpirationJobStatus",
              "/get-table": "GetTable", "/table-replication": "GetTableReplication",
              "/table-record-expiration": "GetTableRecordExpirationConfiguration",
              "/buckets": "ListTableBuckets"}
    if raw_path in simple:
        return simple[raw_path], _query_params(raw_query)
    if len(segs) == 3 and segs[0] == "" and segs[1] in ("tables", "namespaces") and segs[2]:
        params = _query_params(raw_query)
        params["tableBucketARN"] = label(segs[2])
        return ("ListTables" if segs[1] == "tables" else "ListNamespaces"), params
    if (len(segs) == 6 and segs[0] == "" and segs[1] == "tables"
            and segs[5] in ("maintenance-job-status", "maintenance")):
        dec = [label(x) for x in segs[2:5]]
        op = ("GetTableMaintenanceJobStatus" if segs[5] == "maintenance-job-status"
              else "GetTableMaintenanceConfiguration")
        return op, {"tableBucketARN": dec[0], "namespace": dec[1], "name": dec[2]}
    return None, unknown_operation(method, raw_path)


class ScenarioState:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def bump(self, op, key, cycle=0):
        """Count of (op, key) requests so far, this one included; with cycle, 1..cycle
        over and over (fleet tables: every run sees the same sequence)."""
        with self.lock:
            n = self.counts.get((op, key), 0) + 1
            self.counts[(op, key)] = n
        return (n - 1) % cycle + 1 if cycle else n


# ---------------------------------------------------------------------------------------------
# Configurations (GetTableReplication, GetTableRecordExpirationConfiguration,
# GetTableMaintenanceConfiguration), derived from the same scenario as the status operation
# ---------------------------------------------------------------------------------------------

CONFIG_OPS = {"GetTableReplication": "GetTableReplicationStatus",
              "GetTableRecordExpirationConfiguration": "GetTableRecordExpirationJobStatus",
              "GetTableMaintenanceConfiguration": "GetTableMaintenanceJobStatus"}
SIM_ROLE = "arn:aws:iam::111122223333:role/s3tables-replication"


def unknown_scenario(scn):
    return error_reply(400, "BadRequestException",
                       "simulator: unknown scenario '%s' (see tests/sim/README.md)" % scn[:80])


def config_body(op, scn, ctx):
    """(status, body-or-None) of configuration operation op for scenario scn; None for an
    unknown scenario. The configuration agrees with what the status operation says."""
    family = next((o for prefix, o in FAMILY.items() if scn.startswith(prefix)), None)
    if op == "GetTableReplication":
        if family != "GetTableReplicationStatus":
            return 404, {}
        st = repl_body(scn, ctx)
        if st is None:
            return None, None
        dests = [d.get("destinationTableBucketArn") or d.get("destinationBucketARN")
                 for d in st["destinations"]]
        if not dests:
            return 404, {}
        return 200, {"versionToken": hashlib.sha256(ctx.table_arn.encode()).hexdigest()[:16],
                     "configuration": {"role": SIM_ROLE, "rules": [
                         {"destinations": [{"destinationTableBucketARN": d} for d in dests]}]}}
    if op == "GetTableRecordExpirationConfiguration":
        if family != "GetTableRecordExpirationJobStatus" or scn == "exp_not_supported":
            return 405, {}
        if exp_body(scn, ctx) is None:
            return None, None
        if scn == "exp_disabled":
            return 200, {"configuration": {"status": "disabled"}}
        return 200, {"configuration": {"status": "enabled", "settings": {"days": 30}}}
    # GetTableMaintenanceConfiguration
    if family == "GetTableMaintenanceJobStatus" and maint_body(scn, ctx) is None:
        return None, None
    if family is None:
        return None, None
    comp = {"status": "enabled", "settings": {"icebergCompaction": {
        "targetFileSizeMB": 512, "strategy": "auto"}}}
    if scn == "maint_all_disabled":
        comp["status"] = "disabled"
    snap = {"status": "disabled" if scn in ("maint_disabled", "maint_all_disabled") else "enabled",
            "settings": {"icebergSnapshotManagement": {"minSnapshotsToKeep": 1,
                                                       "maxSnapshotAgeHours": 120}}}
    return 200, {"tableARN": ctx.table_arn,
                 "configuration": {"icebergCompaction": comp, "icebergSnapshotManagement": snap}}


def config_reply(ctx):
    status, body = config_body(ctx.op, ctx.scenario, ctx)
    if status is None:
        return unknown_scenario(ctx.scenario)
    if status == 404:
        return error_reply(404, "NotFoundException",
                           "The specified table does not have a replication configuration.")
    if status == 405:
        return error_reply(405, "MethodNotAllowedException",
                           "The record expiration operation is not allowed for this table type.")
    return json_reply(body)


# ---------------------------------------------------------------------------------------------
# Fleet buckets: many tables, listings with paging (tests/sim/README.md, "Fleet buckets")
# ---------------------------------------------------------------------------------------------

SIM_ACCOUNT = "111122223333"
DEFAULT_PAGE = 100          # ListTables/ListNamespaces/ListTableBuckets without max*
MAX_PAGE = 1000             # the model's maximum for maxTables/maxNamespaces/maxBuckets
BUCKETS_PAGE_CAP = 3        # ListTableBuckets pages never hold more than this

# fleet-mixed, in listing order (deliberately not sorted):
# (namespace, name, type, replication scenario, expiration scenario, maintenance scenario)
MIXED = (
    ("sales", "orders", "customer", "repl_ok", "exp_not_supported", "maint_ok"),
    ("raw", "orders", "customer", "repl_pending_5m", "exp_not_supported", "maint_ok"),
    ("sales", "customers", "customer", "repl_failed", "exp_not_supported",
     "maint_compaction_failed"),
    ("sales", "refunds", "customer", "repl_mixed", "exp_not_supported", "maint_old"),
    ("raw", "clicks", "customer", "repl_pending_2h", "exp_not_supported", "maint_disabled"),
    ("raw", "views", "customer", "not_found", "exp_not_supported", "maint_not_yet_run"),
    ("raw", "sessions", "customer", "repl_no_destinations", "exp_not_supported", "maint_ok"),
    ("raw", "events_01", "aws", "not_found", "exp_ok", "maint_ok"),
    ("raw", "events_02", "aws", "not_found", "exp_old", "maint_ok"),
    ("ops", "journal", "aws", "not_found", "exp_failed", "maint_ok"),
    ("ops", "inventory", "aws", "not_found", "exp_disabled", "maint_disabled"),
    ("ops", "audit", "aws", "not_found", "exp_not_yet_run", "maint_ok"),
    ("sales", "ledger", "customer", "repl_single_ok", "exp_not_supported", "maint_ok"),
    ("sales", "returns", "customer", "repl_pending_no_update", "exp_not_supported",
     "maint_missing_job"),
    ("ops", "locked", "customer", "forbidden", "forbidden", "forbidden"),
    ("ops", "garbled", "customer", "malformed_json", "malformed_json", "malformed_json"),
    ("ops", "weird", "customer", "repl_unknown_status", "exp_unknown_status",
     "maint_unknown_status"),
    ("sales", "archive", "customer", "repl_five", "exp_not_supported", "maint_ok"),
    ("raw", "staging_tmp", "customer", "not_found", "exp_not_supported", "maint_ok"),
    ("ops", "flaky", "customer", "throttle_then_ok", "throttle_then_ok", "throttle_then_ok"),
)
# fleet-probe (namespace app): what s3tables-discover --probe finds out per table
PROBE = (
    ("replicated", "customer", "repl_ok", "exp_not_supported", "maint_ok"),
    ("plain", "customer", "not_found", "exp_not_supported", "maint_ok"),
    ("no_maintenance", "customer", "not_found", "exp_not_supported", "maint_all_disabled"),
    ("expiring", "aws", "not_found", "exp_ok", "maint_ok"),
    ("expiration_off", "aws", "not_found", "exp_disabled", "maint_ok"),
    ("everything", "aws", "repl_single_ok", "exp_ok", "maint_ok"),
    ("denied", "customer", "forbidden", "forbidden", "forbidden"),
    ("broken", "customer", "e5xx_always", "e5xx_always", "e5xx_always"),
    ("snapshots_off", "customer", "repl_ok", "exp_not_supported", "maint_disabled"),
)
OK_PROFILE = ("repl_ok", "exp_ok", "maint_ok")
FAILED_PROFILE = ("repl_failed", "exp_failed", "maint_compaction_failed")
LARGE_TABLES = 1200
HUGE_TABLES = 10000         # fleet-10k: a bucket at the service's table quota


class FleetTable:
    def __init__(self, bucket_arn, ns, name, ttype, profile, index):
        self.ns, self.name, self.type, self.index = ns, name, ttype, index
        self.id = "%s-%s" % (ns, name)  # unique: names and namespaces have no '-'
        self.arn = bucket_arn + "/table/" + self.id
        self.profile = dict(zip(OPS[:3], profile))
        self.profile["GetTable"] = "ok"
        for cop, sop in CONFIG_OPS.items():
            self.profile[cop] = self.profile[sop]


class Bucket:
    """A table bucket that ListTables/ListNamespaces know. behaviour: None, 'throttle',
    'slow', 'badpage'; scenario: a generic scenario for its listings (list-* buckets)."""

    def __init__(self, region, name, page_cap=MAX_PAGE, behaviour=None, scenario=None,
                 created_days=30):
        self.name = name
        self.arn = "arn:aws:s3tables:%s:%s:bucket/%s" % (region, SIM_ACCOUNT, name)
        self.page_cap = page_cap
        self.behaviour = behaviour
        self.scenario = scenario
        self.created_days = created_days
        self.tables = []
        self.by_id = {}
        self.by_name = {}
        self.lock = threading.Lock()
        self.uid = _uid(self.arn)
        self.ns_uids = {}
        self.in_flight = 0
        self.peak = 0       # the most requests in flight at once
        self.throttled = 0

    def namespace_id(self, ns):
        u = self.ns_uids.get(ns)
        if u is None:
            u = self.ns_uids[ns] = _uid(self.arn, ns)
        return u

    def add(self, ns, name, ttype="customer", profile=OK_PROFILE):
        t = FleetTable(self.arn, ns, name, ttype, profile, len(self.tables))
        self.tables.append(t)
        self.by_id[t.id] = t
        self.by_name[(ns, name)] = t

    def enter(self):
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            return self.in_flight

    def leave(self):
        with self.lock:
            self.in_flight -= 1


def build_fleet(region):
    fleet = {}

    def new(name, **kw):
        b = Bucket(region, name, **kw)
        fleet[name] = b
        return b
    b = new("fleet-mixed", page_cap=7)
    for ns, name, ttype, *profile in MIXED:
        b.add(ns, name, ttype, profile)
    b = new("fleet-large")
    names = ["tbl_%04d" % i for i in range(LARGE_TABLES)]
    # listed in a scrambled (but fixed) order, so a client must sort
    for name in sorted(names, key=lambda n: hashlib.sha1(n.encode()).hexdigest()):
        i = int(name[4:])
        b.add("ns_a" if i < LARGE_TABLES // 2 else "ns_b", name, "customer",
              FAILED_PROFILE if i % 100 == 7 else OK_PROFILE)
    b = new("fleet-throttle", behaviour="throttle")
    for i in range(40):
        b.add("ns_t", "t_%02d" % i)
    b = new("fleet-slow", behaviour="slow")
    for i in range(20):
        b.add("ns_s", "s_%02d" % i)
    new("fleet-empty")
    b = new("fleet-broken")
    for i in range(150):
        b.add("ns_x", "x_%03d" % i, "customer", ("internal_error",) * 3)
    b = new("fleet-probe")
    for name, ttype, *profile in PROBE:
        b.add("app", name, ttype, profile)
    b = new("fleet-loop", page_cap=2, behaviour="loop")
    for i in range(4):
        b.add("ns_l", "l_%02d" % i)
    b = new("fleet-badpage", page_cap=5, behaviour="badpage")
    for i in range(10):
        b.add("ns_p", "p_%02d" % i)
    return fleet


def build_huge(region):
    """fleet-10k (built on first use): 10,000 tables t_00000..t_09999 in ns_0..ns_9 (1,000
    each); every table whose number ends in 999 fails."""
    b = Bucket(region, "fleet-10k")
    for i in range(HUGE_TABLES):
        b.add("ns_%d" % (i // 1000), "t_%05d" % i, "customer",
              FAILED_PROFILE if i % 1000 == 999 else OK_PROFILE)
    return b


def generic_bucket(region, name):
    """sim-bucket and list-<scenario> buckets: two tables, 'ok' and 'ok__2' in sim_ns, whose
    table ids select the single-table scenarios; list-<scenario> (dashes for underscores,
    optionally --<nonce>) answers its listings with that generic scenario."""
    if name == "sim-bucket":
        scn = "ok"
    elif name.startswith("list-"):
        scn = name[5:].replace("-", "_").split("__", 1)[0]   # list-SCN--NONCE
    else:
        return None
    b = Bucket(region, name, scenario=scn)
    for t in ("ok", "ok__2"):
        ft = FleetTable(b.arn, "sim_ns", t, "customer", OK_PROFILE, len(b.tables))
        ft.id, ft.arn = t, b.arn + "/table/" + t
        b.tables.append(ft)
    return b


def encode_token(state):
    """Opaque, and on purpose full of characters a query string must percent-encode
    ('+', '/', '='), as real tokens are."""
    raw = json.dumps(state, sort_keys=True, separators=(",", ":")).encode()
    return "v1+" + base64.b64encode(raw).decode() + "/="


def decode_token(tok):
    if not (tok.startswith("v1+") and tok.endswith("/=")):
        return None
    try:
        state = json.loads(base64.b64decode(tok[3:-2], validate=True))
        return state if isinstance(state, dict) and isinstance(state.get("o"), int) else None
    except (ValueError, TypeError, binascii.Error):
        return None


def page_size(params, name, cap):
    """(size, None) or (None, Reply) for a bad max* value."""
    v = params.get(name)
    if v is None:
        return min(DEFAULT_PAGE, cap), None
    if not re.fullmatch(r"[0-9]{1,5}", v) or not 1 <= int(v) <= MAX_PAGE:
        return None, bad_request("%s must be an integer between 1 and %d" % (name, MAX_PAGE))
    return min(int(v), cap), None


def paginate(items, params, limit_name, cap, scope):
    """(page, next_token, None) or (None, None, Reply). scope: what the token is bound to
    (bucket, filters): a token from another listing is rejected as AWS would."""
    size, err = page_size(params, limit_name, cap)
    if err:
        return None, None, err
    start = 0
    tok = params.get("continuationToken")
    if tok is not None:
        state = decode_token(tok)
        if state is None or state.get("s") != scope or not 0 <= state["o"] <= len(items):
            return None, None, bad_request("The continuation token is not valid.")
        start = state["o"]
    end = start + size
    nxt = encode_token({"s": scope, "o": end}) if end < len(items) else None
    return items[start:end], nxt, None


def table_summary(t, bucket, now):
    # time.strftime is several times faster than datetime for the 10,000-table bucket
    created = time.strftime("%Y-%m-%dT%H:%M:%S.857000+00:00",
                            time.gmtime(int(now) - bucket.created_days * 86400 - t.index * 60))
    return {"namespace": [t.ns], "name": t.name, "type": t.type, "tableARN": t.arn,
            "createdAt": created,
            "modifiedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                        time.gmtime(int(now) - 3600 - t.index)),
            "namespaceId": bucket.namespace_id(t.ns), "tableBucketId": bucket.uid}


def listing_reply(op, params, bucket, now):
    """ListTables / ListNamespaces for a known bucket (no generic scenario)."""
    ns, prefix = params.get("namespace"), params.get("prefix")
    if bucket.behaviour == "loop" and op == "ListTables":
        # a broken service: the first page again, with the same token, forever
        return json_reply({"tables": [table_summary(t, bucket, now) for t in bucket.tables[:2]],
                           "continuationToken": encode_token({"s": "loop", "o": 0})})
    if op == "ListTables":
        if ns is not None and not NAME_RE.match(ns):
            return bad_request("Invalid namespace name")
        items = [t for t in bucket.tables if (ns is None or t.ns == ns) and
                 (prefix is None or t.name.startswith(prefix))]
        page, nxt, err = paginate(items, params, "maxTables", bucket.page_cap,
                                  [bucket.name, ns, prefix])
        if err:
            return err
        body = {"tables": [table_summary(t, bucket, now) for t in page]}
    else:
        names = sorted({t.ns for t in bucket.tables if prefix is None or t.ns.startswith(prefix)})
        page, nxt, err = paginate(names, params, "maxNamespaces", max(1, bucket.page_cap // 3),
                                  [bucket.name, prefix])
        if err:
            return err
        body = {"namespaces": [{"namespace": [n], "createdAt": ts(now, -40 * 86400, "utc"),
                                "createdBy": SIM_ACCOUNT, "ownerAccountId": SIM_ACCOUNT,
                                "namespaceId": _uid(bucket.arn, n),
                                "tableBucketId": _uid(bucket.arn)} for n in page]}
    if nxt:
        body["continuationToken"] = nxt
    if (bucket.behaviour == "badpage" and params.get("continuationToken") is not None
            and op == "ListTables"):
        text = json.dumps(body)
        return Reply(200, text[:len(text) // 2] + ",,}")
    return json_reply(body)


class Outcome:
    """What handle_operation decided: the reply plus what the log and the counters need."""

    def __init__(self, reply, key=None, scenario=None, bucket=None, table=None):
        self.reply, self.key, self.scenario, self.bucket, self.table = (
            reply, key, scenario, bucket, table)


def handle_listing(op, params, sim, now):
    if op == "ListTableBuckets":
        return handle_list_buckets(params, sim, now)
    barn = params.get("tableBucketARN", "")
    m = BUCKET_ARN_RE.match(barn)
    if not m:
        return Outcome(bad_request("Invalid table bucket ARN: %s" % barn[:300]))
    name = m.group(5)
    bucket = sim.listing_bucket(name)
    if bucket is None or m.group(4) != SIM_ACCOUNT:
        return Outcome(error_reply(404, "NotFoundException",
                                   "The specified table bucket could not be found."),
                       key=name, bucket=None)
    reply = listing_reply(op, params, bucket, now)
    if bucket.scenario is None:
        return Outcome(reply, key=name, bucket=bucket)
    # generic scenarios for the listing: the page above is their "ok body"
    count = sim.state.bump(op, name, cycle=3)
    ctx = Ctx(op, name, barn, barn, "sim_ns", "-", now, count,
              scenario=bucket.scenario,
              ok=json.loads(reply.body) if reply.status == 200 else None)
    r = reply if reply.status != 200 else generic_reply(bucket.scenario, ctx)
    return Outcome(r or unknown_scenario(bucket.scenario), key=name, scenario=bucket.scenario,
                   bucket=bucket)


def handle_list_buckets(params, sim, now):
    names = sorted(sim.listed_buckets)
    prefix, btype = params.get("prefix"), params.get("type")
    if btype is not None and btype not in ("customer", "aws"):
        return Outcome(bad_request("type must be customer or aws"))
    buckets = [sim.listing_bucket(n) for n in names]
    items = [b for b in buckets if b and (prefix is None or b.name.startswith(prefix))
             and btype in (None, "customer")]
    page, nxt, err = paginate(items, params, "maxBuckets", BUCKETS_PAGE_CAP, [prefix, btype])
    if err:
        return Outcome(err)
    body = {"tableBuckets": [{"arn": b.arn, "name": b.name, "ownerAccountId": SIM_ACCOUNT,
                              "createdAt": ts(now, -b.created_days * 86400, "utc"),
                              "tableBucketId": _uid(b.arn), "type": "customer"} for b in page]}
    if nxt:
        body["continuationToken"] = nxt
    if not sim.buckets_scenario:
        return Outcome(json_reply(body))
    count = sim.state.bump("ListTableBuckets", "-")
    star = "arn:aws:s3tables:%s:%s:bucket/*" % (sim.region, SIM_ACCOUNT)
    ctx = Ctx("ListTableBuckets", "-", star, star, "-", "-", now, count,
              scenario=sim.buckets_scenario, ok=body)
    r = generic_reply(sim.buckets_scenario, ctx)
    return Outcome(r or unknown_scenario(sim.buckets_scenario), scenario=sim.buckets_scenario)


def handle_operation(op, params, sim, now):
    """Validate input like the service would, pick the scenario, build the Reply.
    Returns an Outcome."""
    if op in ("ListTables", "ListNamespaces", "ListTableBuckets"):
        return handle_listing(op, params, sim, now)
    by_arn = op in ("GetTableReplicationStatus", "GetTableRecordExpirationJobStatus",
                    "GetTableReplication", "GetTableRecordExpirationConfiguration") or (
        op == "GetTable" and "tableArn" in params)
    if by_arn:
        arn = params.get("tableArn")
        if not arn:
            return Outcome(bad_request("tableArn is required"))
        m = TABLE_ARN_RE.match(arn)
        if not m:
            return Outcome(bad_request("Invalid table ARN: %s" % arn[:300]))
        key = m.group(6)
        barn = arn.rsplit("/table/", 1)[0]
        name = key
        ns = "sim_ns"
        bucket_name = m.group(5)
    else:
        barn, ns, name = (params.get("tableBucketARN"), params.get("namespace"),
                          params.get("name"))
        if not (barn and ns and name):
            return Outcome(bad_request("Specify either tableArn or tableBucketARN, namespace "
                                       "and name"))
        m = BUCKET_ARN_RE.match(barn)
        if not m:
            return Outcome(bad_request("Invalid table bucket ARN: %s" % barn[:300]))
        if not NAME_RE.match(ns) or not NAME_RE.match(name):
            return Outcome(bad_request("Invalid namespace or table name"))
        arn, key = barn + "/table/" + name, name
        bucket_name = m.group(5)
    bucket = sim.find_bucket(bucket_name)
    if bucket is None:
        count = sim.state.bump(op, key)
        ctx = Ctx(op, key, arn, barn, ns, name, now, count)
        return Outcome(scenario_reply(ctx), key=key, scenario=ctx.scenario)
    # a fleet table: its profile names the scenario for each operation
    t = bucket.by_id.get(key) if by_arn else bucket.by_name.get((ns, name))
    if t is None:
        return Outcome(not_found(None), key="%s/%s" % (bucket.name, key), bucket=bucket)
    key = "%s/%s.%s" % (bucket.name, t.ns, t.name)
    count = sim.state.bump(op, key, cycle=3)
    ctx = Ctx(op, key, t.arn, bucket.arn, t.ns, t.name, now, count, scenario=t.profile[op])
    return Outcome(scenario_reply(ctx), key=key, scenario=ctx.scenario, bucket=bucket,
                   table="%s.%s" % (t.ns, t.name))


# ---------------------------------------------------------------------------------------------
# HTTP server
# ---------------------------------------------------------------------------------------------

class Sim:
    """Shared server state."""

    def __init__(self, args):
        self.credentials = {}
        for c in args.credentials or [DEFAULT_CREDENTIALS]:
            parts = c.split(":", 2)
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise SystemExit("s3tables_sim: bad --credentials (AKID:SECRET[:TOKEN])")
            self.credentials[parts[0]] = (parts[1], parts[2] if len(parts) == 3 else None)
        self.region = args.region
        self.clock_offset = args.clock_offset
        self.stall_seconds = args.stall_seconds
        self.max_requests = args.max_requests
        self.stop = threading.Event()
        self.state = ScenarioState()
        self.log_lock = threading.Lock()
        self.log = open(args.log, "a", encoding="utf-8") if args.log else None
        self.count_lock = threading.Lock()
        self.requests = 0
        self.conn_seq = 0
        self.fleet = build_fleet(self.region)
        self.generic = {}
        self.listed_buckets = [b for b in (args.list_buckets or DEFAULT_LISTED).split(",") if b]
        self.buckets_scenario = args.buckets_scenario
        self.throttle_limit = args.throttle_limit
        self.throttle_hold = args.throttle_hold
        self.slow_seconds = args.slow_seconds
        self.in_flight = 0
        self.counters_path = args.counters
        self.counters = {"requests": 0, "operations": {}, "statuses": {}, "connections": 0,
                         "tls_handshakes": 0, "max_in_flight": 0, "throttled": 0,
                         "max_in_flight_by_bucket": {}}
        self.write_counters()

    def find_bucket(self, name):
        """A fleet bucket by name, or None; fleet-10k is built on first use."""
        if name == "fleet-10k" and name not in self.fleet:
            with self.count_lock:
                if name not in self.fleet:
                    self.fleet[name] = build_huge(self.region)
        return self.fleet.get(name)

    def listing_bucket(self, name):
        """A fleet bucket, or sim-bucket / list-<scenario> (kept once made), or None."""
        b = self.find_bucket(name)
        if b is None:
            with self.count_lock:
                b = self.generic.get(name)
                if b is None:
                    b = generic_bucket(self.region, name)
                    if b is not None and len(self.generic) < 1000:
                        self.generic[name] = b
        return b

    def count(self, fn):
        """Apply fn to the counters under the lock, then rewrite the counters file."""
        with self.count_lock:
            fn(self.counters)
        self.write_counters()

    def write_counters(self):
        if not self.counters_path:
            return
        with self.count_lock:
            text = json.dumps(self.counters, sort_keys=True)
            tmp = "%s.tmp.%d" % (self.counters_path, os.getpid())
            try:
                with open(tmp, "w") as f:
                    f.write(text + "\n")
                os.replace(tmp, self.counters_path)
            except OSError:
                pass

    def enter(self):
        with self.count_lock:
            self.in_flight += 1
            n = self.in_flight
            self.counters["max_in_flight"] = max(self.counters["max_in_flight"], n)
            return n

    def leave(self):
        with self.count_lock:
            self.in_flight -= 1

    def next_request(self):
        with self.count_lock:
            self.requests += 1
            return self.requests

    def next_conn(self):
        with self.count_lock:
            self.conn_seq += 1
            return self.conn_seq

    def write_log(self, entry):
        if not self.log:
            return
        line = json.dumps(entry, ensure_ascii=False)
        with self.log_lock:
            if not self.log:
                return
            try:
                self.log.write(line + "\n")
                self.log.flush()
            except (OSError, ValueError):
                pass


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "s3tables-sim/1.0"
    sys_version = ""
    timeout = 60  # idle keep-alive connections are closed after this
    # Headers and body go out in separate writes; without TCP_NODELAY the
    # client's delayed ACK adds ~40 ms to every response.
    disable_nagle_algorithm = True

    def setup(self):
        self.sim = self.server.sim
        self.conn_id = self.sim.next_conn()
        self.sim.count(lambda c: c.__setitem__("connections", c["connections"] + 1))
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            self.request.do_handshake()
            self.sim.count(lambda c: c.__setitem__("tls_handshakes", c["tls_handshakes"] + 1))
        super().setup()

    def version_string(self):
        return self.server_version

    def log_message(self, fmt, *args):  # quiet
        pass

    def do_GET(self):
        in_flight = self.sim.enter()
        try:
            self.dispatch(in_flight)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, socket.timeout, OSError):
            self.close_connection = True
        finally:
            self.sim.leave()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    # -- request -------------------------------------------------------------------------
    def _read_body(self):
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            n = int(length)
        except ValueError:
            return b""
        n = max(0, min(n, 1 << 20))
        return self.rfile.read(n)

    def dispatch(self, in_flight):
        sim = self.sim
        t0 = time.time()
        seq = sim.next_request()
        target = self.path
        m = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*(/.*)?$", target)
        if m:
            target = m.group(1) or "/"
        raw_path, _, raw_query = target.partition("?")
        body = self._read_body()
        headers = list(self.headers.items())
        auth = verify_sigv4(self.command, raw_path, raw_query, headers, body, sim.credentials,
                            sim.region, t0 + sim.clock_offset)
        op = None
        out = Outcome(None)
        if not auth.ok:
            th = auth.code + CORAL_SERVICE
            out.reply = error_reply(auth.status, auth.code, auth.message, type_header=th)
        else:
            op, res = route(self.command, raw_path, raw_query)
            if op is None:
                out.reply = res
            else:
                out = handle_operation(op, res, sim, t0)
        bucket, entered = out.bucket, False
        try:
            n = bucket.enter() if bucket is not None else 0
            entered = bucket is not None
            if bucket is not None and bucket.behaviour == "throttle":
                self.throttle(bucket, n, out)
            elif (bucket is not None and bucket.behaviour == "slow" and op and
                  not op.startswith("List")):
                out.reply.delay = sim.slow_seconds
            self.finish_request(seq, t0, raw_path, raw_query, body, headers, auth, op, out,
                                in_flight)
        finally:
            if entered:
                bucket.leave()

    def throttle(self, bucket, n, out):
        """fleet-throttle: more than --throttle-limit requests in flight for the bucket
        are refused (in turn 429 TooManyRequestsException, 429 ThrottlingException, 503
        SlowDown); the others are held --throttle-hold seconds, so that requests overlap."""
        sim = self.sim
        if n <= sim.throttle_limit:
            out.reply.delay = max(out.reply.delay, sim.throttle_hold)
            return
        with bucket.lock:
            bucket.throttled += 1
            k = bucket.throttled
        sim.count(lambda c: c.__setitem__("throttled", c["throttled"] + 1))
        if k % 3 == 1:
            out.reply = error_reply(429, "TooManyRequestsException", "Rate exceeded")
        elif k % 3 == 2:
            out.reply = error_reply(429, "ThrottlingException", "Rate exceeded",
                                    type_header="ThrottlingException" + CORAL_SERVICE)
        else:
            out.reply = error_reply(503, "SlowDown", "Please reduce your request rate.")

    def finish_request(self, seq, t0, raw_path, raw_query, body, headers, auth, op, out,
                       in_flight):
        sim = self.sim
        reply, key = out.reply, out.key
        request_id = str(uuid.uuid4())
        entry = {
            "time": datetime.datetime.fromtimestamp(t0, UTC).isoformat(timespec="milliseconds"),
            "seq": seq, "conn": self.conn_id, "client": "%s:%s" % self.client_address[:2],
            "method": self.command, "path": raw_path, "query": raw_query,
            "headers": [[k, v] for k, v in headers], "body_bytes": len(body),
            "operation": op,
            "scenario": out.scenario,
            "scenario_key": key, "bucket": out.bucket.name if out.bucket else None,
            "table": out.table, "in_flight": in_flight, "auth": auth.verdict,
            "status": reply.status if reply.action != "reset" else None,
            "error": reply.error_code, "action": reply.action, "request_id": request_id,
        }
        if not auth.ok:
            entry["auth_message"] = auth.message
            if auth.canonical_request is not None:
                entry["canonical_request"] = auth.canonical_request
                entry["string_to_sign"] = auth.string_to_sign
        sim.write_log(entry)

        def tally(c):
            c["requests"] += 1
            name = op or "(none)"
            c["operations"][name] = c["operations"].get(name, 0) + 1
            st = str(entry["status"])
            c["statuses"][st] = c["statuses"].get(st, 0) + 1
            if out.bucket is not None:
                mb = c["max_in_flight_by_bucket"]
                mb[out.bucket.name] = max(mb.get(out.bucket.name, 0), out.bucket.peak)
        sim.count(tally)
        self.send_reply(reply, request_id)
        if sim.max_requests and seq >= sim.max_requests:
            self.close_connection = True
            sim.stop.set()

    # -- response ------------------------------------------------------------------------
    def wait(self, seconds):
        """Sleep up to seconds; False early if the client sent data / disconnected or the
        server is stopping."""
        end = time.monotonic() + seconds
        while not self.sim.stop.is_set():
            rem = end - time.monotonic()
            if rem <= 0:
                return True
            try:
                r, _, _ = select.select([self.connection], [], [], min(0.2, rem))
            except (OSError, ValueError):
                return False
            if r:
                return False
        return False

    def _head(self, reply, request_id, length):
        self.send_response(reply.status)
        self.send_header("x-amzn-RequestId", request_id)
        self.send_header("Content-Type", reply.content_type)
        for k, v in reply.headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def reset(self):
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        except OSError:
            pass
        try:
            self.rfile.close()
        except OSError:
            pass
        try:
            socket.socket.close(self.connection)
        except OSError:
            pass

    def send_reply(self, reply, request_id):
        body = b"" if self.command == "HEAD" else reply.body
        act = reply.action
        if act == "reset":
            self.reset()
            return
        if reply.delay and not self.wait(reply.delay):
            self.close_connection = True
            return
        if act in ("slow_headers", "slow_2s"):
            if not self.wait(self.sim.stall_seconds if act == "slow_headers" else 2.0):
                self.close_connection = True
                return
        if act == "truncate":
            self._head(reply, request_id, len(body))
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if act == "stall_body":
            self._head(reply, request_id, len(body))
            half = len(body) // 2
            self.wfile.write(body[:half])
            self.wfile.flush()
            if not self.wait(self.sim.stall_seconds):
                self.close_connection = True
                return
            self.wfile.write(body[half:])
            self.wfile.flush()
            return
        self._head(reply, request_id, len(body))
        if body:
            self.wfile.write(body)
        self.wfile.flush()


class SimServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr, sim, ssl_ctx):
        self.sim = sim
        self.ssl_ctx = ssl_ctx
        self.address_family = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
        super().__init__(addr, Handler)

    def server_bind(self):
        # HTTPServer.server_bind() calls getfqdn(), which can hang on DNS; skip it.
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.server_address[0]
        self.server_port = self.server_address[1]

    def get_request(self):
        sock, addr = self.socket.accept()
        if self.ssl_ctx is not None:
            # The handshake runs in the handler thread, so a silent client blocks nobody.
            sock = self.ssl_ctx.wrap_socket(sock, server_side=True,
                                            do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (OSError, ssl.SSLError, ValueError)):
            return  # handshake failures, resets, timeouts: expected in these tests
        sys.stderr.write("s3tables_sim: error serving %s: %r\n" % (client_address, exc))


def write_port_file(path, port):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="s3tables_sim.py",
        description="Simulated Amazon S3 Tables endpoint (tests/sim/README.md).")
    p.add_argument("--cert", help="server certificate (PEM); required unless --http")
    p.add_argument("--key", help="server private key (PEM); required unless --http")
    p.add_argument("--http", action="store_true",
                   help="plain HTTP instead of TLS (debugging only)")
    p.add_argument("--bind", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port; 0 = ephemeral (default)")
    p.add_argument("--port-file", help="write the bound port here (atomically) once listening")
    p.add_argument("--log", help="append one JSON object per request to this file")
    p.add_argument("--credentials", action="append", metavar="AKID:SECRET[:TOKEN]",
                   help="accepted credentials (repeatable); default %s" % DEFAULT_CREDENTIALS)
    p.add_argument("--region", default=DEFAULT_REGION,
                   help="expected SigV4 signing region (default us-east-1)")
    p.add_argument("--max-requests", type=int, default=0,
                   help="exit after N requests (default: no limit)")
    p.add_argument("--lifetime", type=float, default=DEFAULT_LIFETIME,
                   help="exit after S seconds (default 600)")
    p.add_argument("--stall-seconds", type=float, default=DEFAULT_STALL,
                   help="duration of slow_headers/stall_body stalls (default 30)")
    p.add_argument("--counters", metavar="FILE",
                   help="keep per-run counters (requests per operation, TLS handshakes, ...) "
                        "as one JSON object in FILE, rewritten atomically on every change")
    p.add_argument("--list-buckets", metavar="NAMES",
                   help="comma-separated buckets ListTableBuckets lists (default %s)"
                        % DEFAULT_LISTED)
    p.add_argument("--buckets-scenario", metavar="SCENARIO",
                   help="answer ListTableBuckets with this generic scenario (e.g. forbidden)")
    p.add_argument("--throttle-limit", type=int, default=DEFAULT_THROTTLE_LIMIT,
                   help="fleet-throttle: requests in flight at once before it throttles "
                        "(default %d)" % DEFAULT_THROTTLE_LIMIT)
    p.add_argument("--throttle-hold", type=float, default=DEFAULT_THROTTLE_HOLD,
                   help="fleet-throttle: seconds each admitted request is held (default %g)"
                        % DEFAULT_THROTTLE_HOLD)
    p.add_argument("--slow-seconds", type=float, default=DEFAULT_SLOW,
                   help="fleet-slow: seconds before each status/configuration answer "
                        "(default %g)" % DEFAULT_SLOW)
    p.add_argument("--clock-offset", type=float, default=0.0,
                   help="seconds added to the server clock for the SigV4 date check only "
                        "(e.g. 3600 makes every signature look stale)")
    a = p.parse_args(argv)
    if not a.http and not (a.cert and a.key):
        p.error("--cert and --key are required (or --http)")
    return a


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    sim = Sim(args)
    ctx = None
    if not args.http:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(args.cert, args.key)
        try:
            ctx.set_alpn_protocols(["http/1.1"])
        except NotImplementedError:
            pass
    server = SimServer((args.bind, args.port), sim, ctx)
    port = server.server_address[1]

    def on_signal(signum, frame):
        sim.stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    t = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                         daemon=True)
    t.start()
    if args.port_file:
        write_port_file(args.port_file, port)
    scheme = "http" if args.http else "https"
    host = "[%s]" % args.bind if ":" in args.bind else args.bind
    sys.stderr.write("s3tables_sim: listening on %s://%s:%d (lifetime %g s)\n"
                     % (scheme, host, port, args.lifetime))
    sys.stderr.flush()
    deadline = time.monotonic() + args.lifetime
    while not sim.stop.is_set():
        rem = deadline - time.monotonic()
        if rem <= 0:
            break
        sim.stop.wait(min(rem, 1.0))
    sim.stop.set()
    server.shutdown()
    server.server_close()
    if sim.log:
        with sim.log_lock:
            sim.log.close()
            sim.log = None
    return 0


if __name__ == "__main__":
    sys.exit(main())
