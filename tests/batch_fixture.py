#!/usr/bin/env python3
"""batch_fixture.py - a loopback HTTPS server for tests/test_batch.c (stdlib only) that records
what a concurrent client does to it.

Usage: batch_fixture.py --dir DIR --port-file FILE [--lifetime SECONDS]

Certificates and start-up as in http_fixture.py (DIR/ca.pem, DIR/capath). Listens on 127.0.0.1 (ephemeral
port, written to FILE), one thread per connection, HTTP/1.1 keep-alive.

Every GET outside /_ is recorded: its path, the connection that carried it (one per TLS
handshake), when it started and ended (monotonic seconds), how many requests were in flight
when it started, and the status sent. The query string sets the behaviour:
  delay=S           sleep S seconds before answering
  status=N          answer N with an AWS error (500: InternalServerErrorException)
  fail_first=N      the first request for this path gets status N, later ones 200
  throttle_above=K  answer 429 TooManyRequestsException at once when more than K requests
                    (this one included) are in flight
otherwise 200 {"ok":true}.

Control paths (not recorded): /_reset clears the record (once no request is in flight, up to
5 s); /_stats returns it as JSON:
  {"requests": N, "connections": C (that carried a recorded request), "opened": O (accepted
   since the reset, control connections included), "max_in_flight": M, "throttled": T,
   "paths": {"/a/1": 1, ...}, "log": [[start, end, in_flight_at_start, status], ...]}
"""
import argparse
import http.server
import itertools
import json
import sys
import threading
import time
import urllib.parse

import http_fixture

LOCK = threading.Lock()
STATE = {}
CONN_IDS = itertools.count(1)


def reset():
    STATE.update(in_flight=0, max_in_flight=0, throttled=0, conns=set(), opened=0, paths={}, log=[])


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "s3t-batch-fixture"

    def log_message(self, fmt, *args):  # keep TAP output clean
        pass

    def setup(self):
        super().setup()
        self.conn_id = next(CONN_IDS)
        with LOCK:
            STATE["opened"] += 1

    def send(self, status, body, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/_reset":
            # Requests a client gave up on may still be running here: let them end first.
            for _ in range(200):
                with LOCK:
                    if STATE["in_flight"] == 0:
                        reset()
                        break
                time.sleep(0.025)
            return self.send(200, b"{}")
        if path == "/_stats":
            with LOCK:
                body = json.dumps({"requests": len(STATE["log"]), "connections": len(STATE["conns"]),
                                   "opened": STATE["opened"],
                                   "max_in_flight": STATE["max_in_flight"],
                                   "throttled": STATE["throttled"], "paths": STATE["paths"],
                                   "log": STATE["log"]}).encode()
            return self.send(200, body)
        q = dict(urllib.parse.parse_qsl(query))
        start = time.monotonic()
        with LOCK:
            STATE["in_flight"] += 1
            now_in = STATE["in_flight"]
            STATE["max_in_flight"] = max(STATE["max_in_flight"], now_in)
            STATE["conns"].add(self.conn_id)
            STATE["paths"][path] = STATE["paths"].get(path, 0) + 1
            seen = STATE["paths"][path]
        if "throttle_above" in q and now_in > int(q["throttle_above"]):
            status, body, extra = 429, b'{"message":"Please slow down."}', [
                ("x-amzn-ErrorType", "TooManyRequestsException")]
        else:
            if "delay" in q:
                time.sleep(float(q["delay"]))
            if "fail_first" in q and seen == 1:
                q["status"] = q["fail_first"]
            if "status" in q:
                status = int(q["status"])
                code = "InternalServerErrorException" if status >= 500 else "BadRequestException"
                body, extra = b'{"message":"fixture error"}', [("x-amzn-ErrorType", code)]
            else:
                status, body, extra = 200, b'{"ok":true}', [("x-amzn-RequestId", "batch-%d" % now_in)]
        # Recorded before the answer leaves, so a /_stats sent after it sees this request.
        with LOCK:
            STATE["in_flight"] -= 1
            STATE["throttled"] += status == 429
            STATE["log"].append([start, time.monotonic(), now_in, status])
        self.send(status, body, extra)


class Server(http_fixture.Server):
    request_queue_size = 64


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=300.0)
    a = ap.parse_args()
    reset()
    http_fixture.serve_tls(Handler, a.dir, a.port_file, a.lifetime, Server)


if __name__ == "__main__":
    sys.exit(main())
