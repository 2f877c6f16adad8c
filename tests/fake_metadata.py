#!/usr/bin/env python3
"""fake_metadata.py - a fake EC2 instance metadata service and container credentials
endpoint for tests/test_creds_imds.c and tests/test_creds_container.c (stdlib only).

Listens on 127.0.0.1 (ephemeral port unless --port), writes the port to --port-file
once it is listening, and appends one JSON line per request (except /_control) to
--log: {"method", "path", "headers": {lower-case name: value}}.

Behaviour is switched at run time with GET /_control?key=value&... (answers 200 "ok"):
  imds=v2        token required (PUT -> token; GET without/with a wrong token -> 401)
  imds=optional  token optional (IMDSv1 and IMDSv2 both work)
  imds=v1only    PUT /latest/api/token -> 405 (imds_put_status=404 for 404), GETs need no token
  imds=token403  PUT -> 403 and every GET -> 403 (IMDS disabled on the instance)
  imds=putslow   PUT never answers in time (sleeps delay s); GETs work without a token
  imds=norole    the role list -> 404
  imds=500       every IMDS request -> 500
  imds=flaky     the first request of each method+path -> 503, then as v2
  imds=slow      every IMDS request sleeps delay s first
  imds=badjson   the credentials document is not JSON
  imds=code      the credentials document has Code "AssumeRoleUnauthorizedAccess"
  container=ok | 401 | 403 | 500 | flaky | badjson | slow
  container_token=T   the Authorization header the container endpoint expects ("" = none)
  delay=S             seconds for the slow modes (default 5)
  expires_in=S        credentials documents carry Expiration = now + S s ("" = the fixed
                      past timestamps above, the default)
  reset=1             truncate the log and forget the flaky state
The container endpoint answers any path under /container/. A wrong or missing
Authorization (when container_token is set) -> 401.
"""
import argparse
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ROLE = "fake-role"
TOKEN = "fake-imds-token-Q2hhbmdlTWU"
CREDS = {
    "Code": "Success",
    "LastUpdated": "2021-09-20T21:42:26Z",
    "Type": "AWS-HMAC",
    "AccessKeyId": "ASIAIMDSFAKE",
    "SecretAccessKey": "imds-secret-do-not-print",
    "Token": "imds-session-token-do-not-print",
    "Expiration": "2021-09-21T04:16:53Z",
}
CONTAINER_CREDS = {
    "RoleArn": "arn:aws:iam::123456789012:role/ecs-task-role",
    "AccessKeyId": "ASIACONTAINERFAKE",
    "SecretAccessKey": "container-secret-do-not-print",
    "Token": "container-session-token-do-not-print",
    "AccountId": "123456789012",
    "Expiration": "2009-02-13T23:31:30Z",
}

state = {"imds": "v2", "imds_put_status": "405", "container": "ok", "container_token": "",
         "delay": "5", "expires_in": ""}
seen = set()
lock = threading.Lock()
log_path = None


def with_expiry(doc):
    """doc with Expiration moved to now + expires_in when that is set."""
    secs = state.get("expires_in")
    if not secs:
        return doc
    doc = dict(doc)
    doc["Expiration"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + float(secs)))
    return doc


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="text/plain"):
        if isinstance(body, str):
            body = body.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def record(self, path):
        if log_path:
            entry = {"method": self.command, "path": path,
                     "headers": {k.lower(): v for k, v in self.headers.items()}}
            with lock, open(log_path, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def do_GET(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        url = urlsplit(self.path)
        if url.path == "/_control":
            with lock:
                for k, v in parse_qs(url.query, keep_blank_values=True).items():
                    if k == "reset":
                        seen.clear()
                        if log_path:
                            open(log_path, "w").close()
                    else:
                        state[k] = v[-1]
            return self.send(200, "ok")
        self.record(url.path + ("?" + url.query if url.query else ""))
        if url.path.startswith("/container/"):
            return self.container()
        if url.path.startswith("/latest/"):
            return self.imds(url.path)
        return self.send(404, "not found")

    def container(self):
        mode = state["container"]
        if mode == "slow":
            time.sleep(float(state["delay"]))
        if mode == "flaky":
            with lock:
                first = ("C", self.path) not in seen
                seen.add(("C", self.path))
            if first:
                return self.send(500, '{"code":"InternalError"}', "application/json")
        want = state["container_token"]
        if want and self.headers.get("Authorization") != want:
            return self.send(401, '{"code":"AccessDenied","message":"bad token"}', "application/json")
        if mode in ("401", "403", "500"):
            return self.send(int(mode), '{"code":"Error","message":"no"}', "application/json")
        if mode == "badjson":
            return self.send(200, '{"AccessKeyId": "ASIA', "application/json")
        return self.send(200, json.dumps(with_expiry(CONTAINER_CREDS)), "application/json")

    def imds(self, path):
        mode = state["imds"]
        token = self.headers.get("x-aws-ec2-metadata-token")
        if mode == "slow":
            time.sleep(float(state["delay"]))
        if mode == "500":
            return self.send(500, "internal error")
        if mode == "flaky":
            with lock:
                first = (self.command, path) not in seen
                seen.add((self.command, path))
            if first:
                return self.send(503, "slow down")
        if path == "/latest/api/token":
            if self.command != "PUT":
                return self.send(405, "")
            if mode == "v1only":
                return self.send(int(state["imds_put_status"]), "")
            if mode == "token403":
                return self.send(403, "")
            if mode == "putslow":
                time.sleep(float(state["delay"]))
                return self.send(200, TOKEN)
            if self.headers.get("x-aws-ec2-metadata-token-ttl-seconds") != "21600":
                return self.send(400, "missing ttl")
            return self.send(200, TOKEN)
        if self.command != "GET":
            return self.send(405, "")
        if mode == "token403":
            return self.send(403, "forbidden")
        if mode in ("v2", "flaky", "slow", "norole", "badjson", "code") and token != TOKEN:
            return self.send(401, "")
        if mode in ("optional",) and token is not None and token != TOKEN:
            return self.send(401, "")
        base = "/latest/meta-data/iam/security-credentials/"
        if path == base:
            if mode == "norole":
                return self.send(404, "<html>404 - Not Found</html>", "text/html")
            return self.send(200, ROLE + "\n")
        if path == base + ROLE:
            if mode == "badjson":
                return self.send(200, "{not json", "text/plain")
            if mode == "code":
                return self.send(200, json.dumps({"Code": "AssumeRoleUnauthorizedAccess",
                                                  "Message": "denied"}), "text/plain")
            return self.send(200, json.dumps(with_expiry(CREDS), indent=2), "text/plain")
        return self.send(404, "not found")


def main():
    global log_path
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    args = ap.parse_args()
    log_path = args.log
    if log_path:
        open(log_path, "w").close()
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.replace(tmp, args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
