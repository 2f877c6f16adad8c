#!/usr/bin/env python3
"""fake_sso.py - a fake IAM Identity Center: the SSO portal and SSO OIDC, on loopback.

Serves plain HTTP on 127.0.0.1 (ephemeral port unless --port):
  GET /federation/credentials?account_id=A&role_name=R   (SSO portal, GetRoleCredentials)
      The x-amz-sso_bearer_token header must hold an access token this service knows
      (--access, or one it issued by refresh) that has not expired; the account and role
      must be one of --role. Else 401 UnauthorizedException (restJson1, like the real one).
      200: {"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken",
      "expiration": <Unix ms>}} with the --role credentials, expiring --duration s from now.
  POST /token   (SSO OIDC, CreateToken)
      JSON body; grantType must be "refresh_token", clientId/clientSecret the --client pair
      and refreshToken a live refresh token (--refresh, or the last one issued: refresh
      tokens rotate, a used one is dead). Else 400 {"error": "invalid_grant" | "invalid_client"
      | "unsupported_grant_type", "error_description": ...}.
      200: {"accessToken": "<new>", "tokenType": "Bearer", "expiresIn": --expires-in,
      "refreshToken": "<new>"}; the new access token is then accepted by the portal.
  GET /_control?portal=401|503|ok&oidc=500|invalid_grant|ok&portal_count=N&duration=S&add_refresh=T
      Failure switches: portal=503 answers GetRoleCredentials 503 (N times when portal_count
      is given, else until switched back); oidc likewise for CreateToken; duration sets how
      long the role credentials it hands out from now on last; add_refresh makes T a live
      refresh token.

--access TOKEN[:SECONDS]  an access token the portal accepts (for SECONDS, default forever).
--role ACCOUNT:ROLE:AKID:SECRET:SESSIONTOKEN  a role and the credentials it hands out.
--client ID:SECRET, --refresh TOKEN  the client registration and the first refresh token.
--port-file: the port, written once listening. --log: one JSON object per request (path,
method, status, bearer_ok, grant checks, account/role) appended; never a token value.
"""
import argparse
import http.server
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse

LOCK = threading.Lock()
ACCESS = {}     # token -> expiry (Unix seconds, or None)
ROLES = {}      # (account, role) -> (akid, secret, session token)
CLIENT = None   # (id, secret)
REFRESH = set()  # live refresh tokens
FAIL = {"portal": None, "oidc": None}
FAIL_COUNT = {"portal": None, "oidc": None}
OPTS = None


def log(entry):
    if OPTS.log:
        with LOCK, open(OPTS.log, "a") as f:
            f.write(json.dumps(entry) + "\n")


def failing(which):
    with LOCK:
        mode = FAIL[which]
        if mode is None:
            return None
        n = FAIL_COUNT[which]
        if n is not None:
            if n <= 0:
                FAIL[which] = None
                return None
            FAIL_COUNT[which] = n - 1
        return mode


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-sso"

    def log_message(self, *a):
        pass

    def send_json(self, status, obj, error_type=None):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if error_type:
            self.send_header("x-amzn-ErrorType", error_type)
        self.send_header("x-amzn-RequestId", secrets.token_hex(8))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
        if u.path == "/_control":
            with LOCK:
                if "duration" in q:
                    OPTS.duration = float(q["duration"])
                if "add_refresh" in q:
                    REFRESH.add(q["add_refresh"])
                for which in ("portal", "oidc"):
                    if which in q:
                        FAIL[which] = None if q[which] == "ok" else q[which]
                        c = q.get(which + "_count")
                        FAIL_COUNT[which] = int(c) if c else None
            return self.send_json(200, {"ok": True})
        if u.path != "/federation/credentials":
            return self.send_json(404, {"message": "no such path"}, "ResourceNotFoundException")
        bearer = self.headers.get("x-amz-sso_bearer_token")
        now = time.time()
        with LOCK:
            exp = ACCESS.get(bearer, 0) if bearer else 0
        bearer_ok = bearer is not None and (exp is None or exp > now)
        entry = {"path": u.path, "method": "GET", "account_id": q.get("account_id"), "role_name": q.get("role_name"),
                 "bearer_present": bearer is not None, "bearer_ok": bearer_ok,
                 "authorization_present": "Authorization" in self.headers}
        mode = failing("portal")
        if mode == "503":
            entry["status"] = 503
            log(entry)
            return self.send_json(503, {"message": "Service Unavailable"}, "ServiceUnavailableException")
        if not bearer_ok or mode == "401":
            entry["status"] = 401
            log(entry)
            return self.send_json(401, {"message": "Session token not found or invalid"}, "UnauthorizedException")
        creds = ROLES.get((q.get("account_id"), q.get("role_name")))
        if creds is None:
            entry["status"] = 403
            log(entry)
            return self.send_json(403, {"message": "No access"}, "ForbiddenException")
        entry["status"] = 200
        log(entry)
        self.send_json(200, {"roleCredentials": {
            "accessKeyId": creds[0], "secretAccessKey": creds[1], "sessionToken": creds[2],
            "expiration": int((now + OPTS.duration) * 1000)}})

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        u = urllib.parse.urlsplit(self.path)
        entry = {"path": u.path, "method": "POST", "content_type": self.headers.get("Content-Type"),
                 "authorization_present": "Authorization" in self.headers}
        if u.path != "/token":
            entry["status"] = 404
            log(entry)
            return self.send_json(404, {"message": "no such path"})
        try:
            body = json.loads(raw.decode())
        except ValueError:
            body = None
        if not isinstance(body, dict):
            entry["status"] = 400
            log(entry)
            return self.send_json(400, {"error": "invalid_request", "error_description": "body is not JSON"},
                                  "InvalidRequestException")
        with LOCK:
            entry.update({"grant_type": body.get("grantType"),
                          "client_ok": CLIENT is not None and (body.get("clientId"), body.get("clientSecret")) == CLIENT,
                          "refresh_ok": body.get("refreshToken") in REFRESH,
                          "fields": sorted(body.keys())})
        mode = failing("oidc")
        if mode == "500":
            entry["status"] = 500
            log(entry)
            return self.send_json(500, {"error": "server_error", "error_description": "try later"},
                                  "InternalServerException")
        if body.get("grantType") != "refresh_token":
            err = ("unsupported_grant_type", "UnsupportedGrantTypeException")
        elif not entry["client_ok"]:
            err = ("invalid_client", "InvalidClientException")
        elif not entry["refresh_ok"] or mode == "invalid_grant":
            err = ("invalid_grant", "InvalidGrantException")
        else:
            err = None
        if err:
            entry["status"] = 400
            log(entry)
            return self.send_json(400, {"error": err[0], "error_description": "refused by fake SSO OIDC"}, err[1])
        new_access = "fake-sso-access-" + secrets.token_hex(12)
        new_refresh = "fake-sso-refresh-" + secrets.token_hex(12)
        with LOCK:
            REFRESH.discard(body["refreshToken"])
            REFRESH.add(new_refresh)
            ACCESS[new_access] = time.time() + OPTS.expires_in
        entry["status"] = 200
        log(entry)
        self.send_json(200, {"accessToken": new_access, "tokenType": "Bearer", "expiresIn": OPTS.expires_in,
                             "refreshToken": new_refresh})


def main():
    global OPTS, CLIENT
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--access", action="append", default=[])
    ap.add_argument("--role", action="append", default=[])
    ap.add_argument("--client")
    ap.add_argument("--refresh", action="append", default=[])
    ap.add_argument("--expires-in", type=int, default=28800)
    ap.add_argument("--duration", type=float, default=3600.0)
    ap.add_argument("--lifetime", type=float, default=900.0)
    OPTS = ap.parse_args()
    for a in OPTS.access:
        tok, _, secs = a.partition(":")
        ACCESS[tok] = time.time() + float(secs) if secs else None
    for r in OPTS.role:
        acct, role, akid, secret, tok = r.split(":", 4)
        ROLES[(acct, role)] = (akid, secret, tok)
    if OPTS.client:
        CLIENT = tuple(OPTS.client.split(":", 1))
    REFRESH.update(OPTS.refresh)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", OPTS.port), H)
    srv.daemon_threads = True
    if OPTS.port_file:
        tmp = OPTS.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % srv.server_address[1])
        os.rename(tmp, OPTS.port_file)
    start, parent = time.monotonic(), os.getppid()

    def watchdog():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent or time.monotonic() - start > OPTS.lifetime:
                os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
