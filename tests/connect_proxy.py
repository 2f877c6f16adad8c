"""connect_proxy.py - an HTTPS CONNECT proxy on loopback that stands in for real AWS host names.

For tests that must see *which host name* the plugin computes (FIPS, dual-stack, partition
and global-endpoint rules) without touching the network: the plugin runs with
https_proxy=<this proxy> (and no_proxy=127.0.0.1 for the simulator), so libcurl sends
"CONNECT host:443" here and never resolves the name itself. Every CONNECT target is logged.

  routes = {"portal.sso.us-east-2.amazonaws.com": ("127.0.0.1", 8080, False), ...}

For a routed host the proxy answers 200, terminates TLS with a certificate for that name
(signed on the fly with the test CA's key, so the plugin's --ca-file trusts it) and relays
the decrypted bytes to the backend (plain, or TLS when the third field is True). Any other
host is answered "502 Bad Gateway" and the connection is closed: nothing leaves loopback.
"""
import os
import socket
import ssl
import subprocess
import threading


class ConnectProxy:
    def __init__(self, workdir, ca_pem, ca_key, routes=None):
        self.dir = workdir
        os.makedirs(workdir, exist_ok=True)
        self.ca_pem, self.ca_key = ca_pem, ca_key
        self.routes = dict(routes or {})
        self.log = []  # CONNECT targets, "host:port", in order
        self.lock = threading.Lock()
        self._contexts = {}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.port = self.sock.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def hosts(self):
        with self.lock:
            return [t.rsplit(":", 1)[0] for t in self.log]

    def _context_for(self, host):
        with self.lock:
            if host in self._contexts:
                return self._contexts[host]
        key, csr, crt = (os.path.join(self.dir, host + s) for s in (".key", ".csr", ".pem"))
        ext = os.path.join(self.dir, host + ".ext")
        with open(ext, "w") as f:
            f.write("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                    "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:%s\n" % host)
        for cmd in (["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", key, "-out", csr, "-subj", "/CN=" + host],
                    ["openssl", "x509", "-req", "-in", csr, "-CA", self.ca_pem, "-CAkey", self.ca_key,
                     "-set_serial", str(int.from_bytes(os.urandom(8), "big")), "-out", crt, "-days", "2",
                     "-extfile", ext]):
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(crt, key)
        with self.lock:
            self._contexts[host] = ctx
        return ctx

    def _accept(self):
        while not self._stop:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        try:
            c.settimeout(15)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 16384:
                d = c.recv(4096)
                if not d:
                    return c.close()
                head += d
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split()
            if len(parts) < 2 or parts[0] != "CONNECT":
                c.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                return c.close()
            target = parts[1]
            with self.lock:
                self.log.append(target)
            host = target.rsplit(":", 1)[0]
            route = self.routes.get(host)
            if route is None:
                c.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return c.close()
            ctx = self._context_for(host)
            c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            tls = ctx.wrap_socket(c, server_side=True)
            b = socket.create_connection(route[:2], timeout=15)
            if len(route) > 2 and route[2]:
                cctx = ssl.create_default_context(cafile=self.ca_pem)
                b = cctx.wrap_socket(b, server_hostname=route[0])
            self._relay(tls, b)
        except (OSError, ssl.SSLError, subprocess.CalledProcessError):
            try:
                c.close()
            except OSError:
                pass

    @staticmethod
    def _relay(a, b):
        def pump(src, dst):
            try:
                while True:
                    d = src.recv(65536)
                    if not d:
                        break
                    dst.sendall(d)
            except (OSError, ssl.SSLError):
                pass
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass

        t = threading.Thread(target=pump, args=(b, a), daemon=True)
        t.start()
        pump(a, b)
        t.join(15)

    def stop(self):
        self._stop = True
        try:
            self.sock.close()
        except OSError:
            pass
