#!/usr/bin/env python3
"""http_fixture.py - a tiny HTTPS server on 127.0.0.1 for tests/test_http.c (stdlib only).

Usage: http_fixture.py --dir DIR --port-file FILE

Generates a throw-away CA and a server certificate (SAN IP:127.0.0.1, DNS:localhost) in DIR
with the openssl CLI, writes DIR/ca.pem and the hashed directory DIR/capath/<hash>.0, listens
on an ephemeral port and then writes the port number to FILE (atomically). Exits on SIGTERM,
when its parent process goes away, or after --lifetime seconds (default 120).

Paths:
  /ok     200 JSON, x-amzn-RequestId; body says which connection served it and whether an
          X-Amz-Security-Token header arrived (never echoes header values)
  /err    404 restJson1 error, x-amzn-ErrorType with a coral suffix
  /big    2 MiB body with Content-Length
  /bigchunked  2 MiB body, chunked (no Content-Length)
  /slow   sleeps 20 s before sending anything
  /stall  Content-Length 1000, sends 500 bytes, then stalls 20 s
  /trunc  Content-Length 100, sends 50 bytes, then closes
  /reset  closes the connection (RST) without a response
"""
import argparse
import http.server
import json
import os
import signal
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_certs(d):
    ca_key, ca_pem = os.path.join(d, "ca.key"), os.path.join(d, "ca.pem")
    key, csr, crt = (os.path.join(d, n) for n in ("server.key", "server.csr", "server.pem"))
    ext = os.path.join(d, "server.ext")
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", ca_key, "-out", ca_pem, "-days", "2", "-subj", "/CN=s3tables test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    with open(ext, "w") as f:
        f.write("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run("openssl", "x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-CAcreateserial",
        "-out", crt, "-days", "2", "-extfile", ext)
    h = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", ca_pem], check=True,
                       capture_output=True, text=True).stdout.strip()
    capath = os.path.join(d, "capath")
    os.makedirs(capath, exist_ok=True)
    with open(ca_pem, "rb") as src, open(os.path.join(capath, h + ".0"), "wb") as dst:
        dst.write(src.read())
    return crt, key


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "s3t-fixture"

    def log_message(self, fmt, *args):  # keep TAP output clean
        pass

    def send(self, status, body, ctype="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/ok":
            body = json.dumps({"ok": True, "conn": self.client_address[1],
                               "token_seen": "X-Amz-Security-Token" in self.headers,
                               "auth_seen": "Authorization" in self.headers}).encode()
            self.send(200, body, extra=[("x-amzn-RequestId", "req-ok-1")])
        elif path == "/err":
            body = b'{"message":"The specified table does not exist."}'
            self.send(404, body, ctype="application/x-amz-json-1.1", extra=[
                ("X-Amzn-ErrorType",
                 "NotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
                ("x-amzn-requestid", "req-err-2")])
        elif path == "/big":
            self.send(200, b"x" * (2 * 1024 * 1024), ctype="application/octet-stream")
        elif path == "/bigchunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"y" * 65536
            for _ in range(32):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/slow":
            time.sleep(20)
            self.send(200, b"{}")
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"a" * 500)
            self.wfile.flush()
            time.sleep(20)
            self.close_connection = True
        elif path == "/trunc":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"b" * 50)
            self.wfile.flush()
            self.close_connection = True
        elif path == "/reset":
            sock = self.connection
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
            self.close_connection = True
            try:
                sock.close()
            except OSError:
                pass
        else:
            self.send(404, b'{"message":"no such fixture path"}')


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):  # resets and aborts are expected
        pass


def serve_tls(handler, cert_dir, port_file, lifetime, server_cls=None):
    """Serve handler over TLS on 127.0.0.1 (an ephemeral port, written to port_file atomically)
    until SIGTERM, the parent going away or lifetime seconds. Also used by batch_fixture.py."""
    crt, key = make_certs(cert_dir)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(crt, key)
    srv = (server_cls or Server)(("127.0.0.1", 0), handler)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)

    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, port_file)

    parent = os.getppid()
    start = time.monotonic()

    def watchdog():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent or time.monotonic() - start > lifetime:
                os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    srv.serve_forever()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=120.0)
    a = ap.parse_args()
    serve_tls(Handler, a.dir, a.port_file, a.lifetime)


if __name__ == "__main__":
    sys.exit(main())
