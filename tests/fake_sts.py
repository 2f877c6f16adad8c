#!/usr/bin/env python3
"""fake_sts.py - a small fake AWS STS (Query API, XML) for the credential tests.

Serves plain HTTP on 127.0.0.1 (ephemeral port unless --port) and answers
  Action=AssumeRole                  - SigV4 (service "sts") verified against --key AKID:SECRET
                                       pairs and against the temporary credentials it issued;
  Action=AssumeRoleWithWebIdentity   - unsigned; the token must be non-empty.
Responses look like real STS (AssumeRoleResponse / ErrorResponse XML).

Failures: --fail SUBSTRING=MODE (repeatable) applies MODE to requests whose RoleArn contains
SUBSTRING. MODE: AccessDenied (403), ExpiredToken (400), InvalidIdentityToken (400),
Throttling (400), 500 (500 InternalFailure every time), 500once (500 the first time for that
role, then success).

MODE stall: the answer is held back --stall-seconds (default 30) s, then it succeeds.

--port-file: the chosen port is written there once listening. --log: one JSON object per
request (action, params, signature check result, access key id used, status) is appended.

--issue AKID:SECRET:TOKEN: every successful call issues these fixed temporary credentials
instead of random ones (so a test can start an endpoint that accepts them).
--duration S: the issued credentials expire S seconds from now, whatever DurationSeconds says.
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import http.server
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse

ISSUED = {}  # access key id -> (secret, token)
SOURCE_KEYS = {}
FAILS = []
SEEN_ONCE = set()
LOCK = threading.Lock()
LOG_PATH = None
FIXED_ISSUE = None   # (akid, secret, token) from --issue
FIXED_DURATION = None  # seconds, from --duration
STALL_SECONDS = 30.0


def q(s):
    return urllib.parse.quote(s, safe="-_.~")


def canonical_query(qs):
    pairs = urllib.parse.parse_qsl(qs, keep_blank_values=True)
    enc = sorted((q(k), q(v)) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in enc)


def verify_sigv4(method, raw_path, headers, body):
    """Return (ok, reason, access_key_id). Independent of the C signer."""
    auth = headers.get("Authorization")
    if not auth:
        return False, "MissingAuthenticationToken", None
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return False, "IncompleteSignature", None
    fields = {}
    for part in auth[len("AWS4-HMAC-SHA256 "):].split(","):
        k, _, v = part.strip().partition("=")
        fields[k] = v
    try:
        akid, date, region, service, term = fields["Credential"].split("/")
        signed = fields["SignedHeaders"].split(";")
        sig = fields["Signature"]
    except (KeyError, ValueError):
        return False, "IncompleteSignature", None
    if service != "sts" or term != "aws4_request":
        return False, "SignatureDoesNotMatch", akid
    secret = SOURCE_KEYS.get(akid)
    token = None
    if secret is None and akid in ISSUED:
        secret, token = ISSUED[akid]
    if secret is None:
        return False, "InvalidClientTokenId", akid
    if token is not None and headers.get("X-Amz-Security-Token") != token:
        return False, "InvalidClientTokenId", akid
    if "host" not in signed or "x-amz-date" not in signed:
        return False, "SignatureDoesNotMatch", akid
    if token is not None and "x-amz-security-token" not in signed:
        return False, "SignatureDoesNotMatch", akid
    amz_date = headers.get("X-Amz-Date", "")
    if not amz_date.startswith(date):
        return False, "SignatureDoesNotMatch", akid
    path, _, qs = raw_path.partition("?")
    # non-S3 rules: the (already encoded) path is encoded once more
    cpath = urllib.parse.quote(path or "/", safe="/-_.~")
    chead = ""
    for h in signed:
        vals = headers.get_all(h) or []
        v = ",".join(" ".join(x.split()) for x in vals)
        chead += f"{h}:{v}\n"
    creq = "\n".join([method, cpath, canonical_query(qs), chead, ";".join(signed),
                      hashlib.sha256(body).hexdigest()])
    scope = f"{date}/{region}/{service}/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(creq.encode()).hexdigest()])
    k = ("AWS4" + secret).encode()
    for m in (date, region, service, "aws4_request"):
        k = hmac.new(k, m.encode(), hashlib.sha256).digest()
    want = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, sig):
        return False, "SignatureDoesNotMatch", akid
    return True, "", akid


def err_xml(code, message):
    return (f'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n'
            f'  <Error>\n    <Type>Sender</Type>\n    <Code>{code}</Code>\n'
            f'    <Message>{message}</Message>\n  </Error>\n'
            f'  <RequestId>{secrets.token_hex(16)}</RequestId>\n</ErrorResponse>\n')


def issue(action, params):
    if FIXED_ISSUE:
        akid, secret, token = FIXED_ISSUE
    else:
        akid = "ASIA" + secrets.token_hex(8).upper()
        secret = base64.b64encode(secrets.token_bytes(30)).decode()
        token = "FwoG" + base64.b64encode(secrets.token_bytes(90)).decode()
    with LOCK:
        ISSUED[akid] = (secret, token)
    dur = FIXED_DURATION if FIXED_DURATION is not None else int(params.get("DurationSeconds", "3600"))
    exp = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=dur)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    role = params.get("RoleArn", "")
    sess = params.get("RoleSessionName", "")
    assumed = role.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") + "/" + sess
    extra = ""
    if action == "AssumeRoleWithWebIdentity":
        extra = "    <Audience>sts.amazonaws.com</Audience>\n    <Provider>fake-oidc</Provider>\n"
    return (f'<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n'
            f'  <{action}Result>\n{extra}'
            f'    <AssumedRoleUser>\n      <AssumedRoleId>AROAFAKE:{sess}</AssumedRoleId>\n'
            f'      <Arn>{assumed}</Arn>\n    </AssumedRoleUser>\n'
            f'    <Credentials>\n      <AccessKeyId>{akid}</AccessKeyId>\n'
            f'      <SecretAccessKey>{secret}</SecretAccessKey>\n'
            f'      <SessionToken>{token}</SessionToken>\n'
            f'      <Expiration>{exp}</Expiration>\n    </Credentials>\n'
            f'  </{action}Result>\n  <ResponseMetadata>\n'
            f'    <RequestId>{secrets.token_hex(16)}</RequestId>\n  </ResponseMetadata>\n'
            f'</{action}Response>\n')


FAIL_MODES = {
    "AccessDenied": (403, "AccessDenied",
                     "User: arn:aws:iam::123456789012:user/monitor is not authorized to perform: sts:AssumeRole"),
    "ExpiredToken": (400, "ExpiredToken", "The security token included in the request is expired"),
    "InvalidIdentityToken": (400, "InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider"),
    "Throttling": (400, "Throttling", "Rate exceeded"),
    "500": (500, "InternalFailure", "An internal error occurred"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", secrets.token_hex(8))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.reply(405, err_xml("InvalidAction", "GET is not supported here"))

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        params = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        action = params.get("Action", "")
        entry = {"action": action, "params": params, "path": self.path,
                 "content_type": self.headers.get("Content-Type"),
                 "has_authorization": "Authorization" in self.headers,
                 "has_security_token": "X-Amz-Security-Token" in self.headers}
        status, xml = 200, None
        if params.get("Version") != "2011-06-15":
            status, xml = 400, err_xml("InvalidParameterValue", "bad Version")
        elif action == "AssumeRole":
            ok, reason, akid = verify_sigv4("POST", self.path, self.headers, body)
            entry.update(signature_valid=ok, access_key_id=akid, signature_error=reason)
            if not ok:
                status, xml = 403, err_xml(reason, "The request signature could not be verified")
        elif action == "AssumeRoleWithWebIdentity":
            if not params.get("WebIdentityToken"):
                status, xml = 400, err_xml("InvalidIdentityToken", "empty token")
        else:
            status, xml = 400, err_xml("InvalidAction", "Could not find operation " + action)
        if xml is None:
            role = params.get("RoleArn", "")
            for sub, mode in FAILS:
                if sub in role:
                    if mode == "stall":
                        time.sleep(STALL_SECONDS)
                    elif mode == "500once":
                        with LOCK:
                            first = sub not in SEEN_ONCE
                            SEEN_ONCE.add(sub)
                        if first:
                            status, code, msg = FAIL_MODES["500"]
                            xml = err_xml(code, msg)
                    else:
                        status, code, msg = FAIL_MODES[mode]
                        xml = err_xml(code, msg)
                    break
        if xml is None:
            if not params.get("RoleArn") or not params.get("RoleSessionName"):
                status, xml = 400, err_xml("ValidationError", "RoleArn and RoleSessionName are required")
            else:
                xml = issue(action, params)
        entry["status"] = status
        if LOG_PATH:
            with LOCK, open(LOG_PATH, "a") as f:
                f.write(json.dumps(entry) + "\n")
        self.reply(status, xml)


def main():
    global LOG_PATH
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--key", action="append", default=[], help="AKID:SECRET accepted for AssumeRole")
    ap.add_argument("--fail", action="append", default=[], help="ROLE_SUBSTRING=MODE")
    ap.add_argument("--issue", help="AKID:SECRET:TOKEN issued on every success (default: random)")
    ap.add_argument("--duration", type=int, help="issued credentials expire this many seconds from now")
    ap.add_argument("--stall-seconds", type=float, default=30.0, help="how long MODE stall holds the answer")
    a = ap.parse_args()
    global FIXED_ISSUE, FIXED_DURATION, STALL_SECONDS
    if a.issue:
        parts = a.issue.split(":", 2)
        if len(parts) != 3 or not all(parts):
            ap.error("--issue needs AKID:SECRET:TOKEN")
        FIXED_ISSUE = tuple(parts)
    FIXED_DURATION = a.duration
    STALL_SECONDS = a.stall_seconds
    for k in a.key:
        akid, _, secret = k.partition(":")
        SOURCE_KEYS[akid] = secret
    for f in a.fail:
        sub, _, mode = f.partition("=")
        if mode not in FAIL_MODES and mode not in ("500once", "stall"):
            ap.error("unknown failure mode " + mode)
        FAILS.append((sub, mode))
    LOG_PATH = a.log
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(srv.server_address[1]))
        os.rename(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
