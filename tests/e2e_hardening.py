"""End to end: what a hostile or careless user found (issue 13), each case as reproduced.

Secrets and processes: a proxy password from the environment never reaches stderr, not even
at -vvv; an unknown option is named without its value; a credential_process helper (and
whatever it started) never outlives the plugin, however the plugin ends; SIGTERM, SIGINT and
SIGHUP end the run with one UNKNOWN line naming the signal and the stage.
States: only AWS's NotFoundException is "not found"; any other 404 is UNKNOWN naming the URL;
a profile named explicitly that exists in neither file is UNKNOWN, even with keys in the
environment. Messages: each says what failed and where (proxy refused, stalls, an oversized
header, an outside SIGALRM, a missing CA bundle or directory, a bad key in the environment,
empty or malformed option values, credential_process's stderr, why retries stopped, clear
text endpoints). Help: headings, the whole credential chain, and man pages whose examples
can be copied and pasted.

Every server is on loopback: the simulator, and small stdlib servers started here.
"""
import atexit
import http.server
import os
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import (ACCESS_KEY, BUILDDIR, SECRET_KEY, Result, Simulator, done, invariants, is_, like,  # noqa: E402
                 ok, run, table_arn)

P = "check_s3tables_replication"
EXE = os.path.join(BUILDDIR, "plugins", P)
TMP = tempfile.mkdtemp(prefix="s3t-e2e-hard-")
atexit.register(shutil.rmtree, TMP, True)
PROXY_PASSWORD = "proxyPassw0rdDoNotPrint"

sim = Simulator()


def env_base(creds=True, extra=None):
    """The environment e2e.run() gives a plugin, for the runs that need Popen."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    e["HOME"] = "/nonexistent"
    e["AWS_EC2_METADATA_DISABLED"] = "true"
    if creds:
        e["AWS_ACCESS_KEY_ID"] = ACCESS_KEY
        e["AWS_SECRET_ACCESS_KEY"] = SECRET_KEY
    e.update(extra or {})
    return e


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


class Server:
    """A small HTTP server on 127.0.0.1 with one handler function (method, path) -> bytes or
    None (then the handler did the writing itself)."""

    def __init__(self, respond):
        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                respond(self)

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        atexit.register(self.stop)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def free_port():
    """A loopback port nobody listens on (bound, then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- options: name the option, never its value ---------------------------------------------
r = run(P, ["-a", table_arn("repl_ok"), "--aws-secret-access-key=%s" % SECRET_KEY], sim=sim,
        name="unknown option with a value")
is_(r.rc, 3, "unknown option with a value: UNKNOWN")
like(r.summary, r"unknown option --aws-secret-access-key \(see --help\)$", "unknown option: named")
ok(SECRET_KEY not in r.out + r.err and "=" not in r.summary.split("option", 1)[1],
   "unknown option: its value is not echoed", r)
r = run(P, ["-a", table_arn("repl_ok"), "-Zs3cr3tvalue"], sim=sim, name="unknown short option")
like(r.summary, r"unknown option -Z \(see --help\)$", "unknown short option: the letter only")
ok("s3cr3tvalue" not in r.out + r.err, "unknown short option: the rest of the word is not echoed", r)

r = run(P, ["-a", table_arn("repl_ok"), "--verbose=3"], sim=sim, name="--verbose=3")
like(r.summary, r"UNKNOWN - option --verbose takes no value \(repeat it", "--verbose=3: takes no value, not 'needs a value'")
r = run(P, ["-a", table_arn("repl_ok"), "--fips=yes"], sim=sim, name="--fips=yes")
like(r.summary, r"UNKNOWN - option --fips takes no value$", "--fips=yes: takes no value")
r = run(P, ["-a", table_arn("repl_ok"), "--timeout"], name="--timeout without value")
like(r.summary, r"UNKNOWN - option --timeout needs a value$", "--timeout without a value: needs a value")

r = run(P, ["-a", table_arn("repl_ok"), "-R", ""], sim=sim, name="-R ''")
like(r.summary, r"UNKNOWN - --region: the value is empty", "-R '': says the region is empty, not a contradiction")
r = run(P, ["-a", table_arn("repl_ok"), "-P", ""], sim=sim, name="-P ''")
like(r.summary, r"UNKNOWN - --profile: the value is empty", "-P '': says the profile is empty")
r = run(P, ["-a", table_arn("repl_ok"), "-t", "0"], sim=sim, name="-t 0")
like(r.summary, r"UNKNOWN - --timeout: '0' is out of range: the timeout must be more than 0 and at most 86400",
     "-t 0: says it must be more than 0")
for bad in ("0x10", "1e3", " 5", "+5", "5 ", "-1", "1.", ".5", "inf", "nan"):
    r = run(P, ["-a", table_arn("repl_ok"), "-t", bad], sim=sim, name="-t %r" % bad)
    like(r.summary, r"UNKNOWN - --timeout: '%s' is not a number of seconds \(decimal" % re.escape(bad),
         "-t %r: refused, decimal seconds only" % bad)
for good in ("5", "2.5", "30:CRITICAL"):
    r = run(P, ["-a", table_arn("repl_ok"), "-t", good], sim=sim, name="-t %r" % good)
    is_(r.rc, 0, "-t %r: accepted" % good)
for bad in (" 3", "+3", "0x3", "3.0"):
    r = run(P, ["-a", table_arn("repl_ok"), "--max-attempts", bad], sim=sim, name="--max-attempts %r" % bad)
    like(r.summary, r"UNKNOWN - --max-attempts: '%s' is not a whole number" % re.escape(bad),
         "--max-attempts %r: refused" % bad)

# ---- --help and the man pages ---------------------------------------------------------------
p = subprocess.run([EXE, "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
is_(p.returncode, 0, "--help exits 0")
h = p.stdout
heads = [l for l in h.splitlines() if l and not l.startswith(" ") and l.endswith(":")]
for want in ("Table selection:", "This check's options:", "Common options (every s3tables check):",
             "Credentials:", "Examples:"):
    ok(want in heads, "--help has the heading %r" % want, heads)
ok(heads.index("This check's options:") < heads.index("Common options (every s3tables check):"),
   "--help: this check's options come before the common ones", heads)
sect = h.split("This check's options:", 1)[1].split("Common options", 1)[0]
ok("--not-found-state" in sect and "--warning" in sect and "--region" not in sect,
   "--help: the check's own options under their heading, the common ones not", sect)
ok("come from the environment" not in h, "--help no longer says credentials only come from the environment")
cred = h.split("Credentials:", 1)[1]
for var in ("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
            "credential_process", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", "instance metadata", "--no-credential-cache"):
    ok(var in cred, "--help's credential chain names %s" % var)
ok(h.rstrip().endswith("--min-destinations 2"), "--help ends with the example", h[-300:])

GROFF = shutil.which("groff")
for plugin in ("check_s3tables_replication", "check_s3tables_expiration", "check_s3tables_maintenance"):
    page = os.path.join(BUILDDIR, "man", plugin + ".1")
    help_text = subprocess.run([os.path.join(BUILDDIR, "plugins", plugin), "--help"], stdout=subprocess.PIPE,
                               text=True).stdout
    example = [l[2:] for l in help_text.split("\nExamples:\n", 1)[1].strip("\n").split("\n")]
    if not ok(GROFF is not None and os.path.exists(page), "%s: man page built and groff present" % plugin):
        continue
    for width in ("60", "80", "120"):
        # The page as man shows it, at several terminal widths.
        text = subprocess.run([GROFF, "-man", "-Tutf8", "-rLL=%sn" % width, "-P-c", "-P-b", "-P-u", page],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=dict(os.environ, LC_ALL="C.UTF-8")).stdout.decode("utf-8")
        ex = text.split("EXAMPLES\n", 1)[1].split("\nSEE ALSO", 1)[0] if "EXAMPLES\n" in text else ""
        lines = [l.strip() for l in ex.strip("\n").split("\n")]
        is_(lines, [l.strip() for l in example],
            "%s man page at %s columns: the example, line for line as --help gives it" % (plugin, width))
        ok("\u2010" not in ex and "\u00ad" not in ex, "%s man page at %s columns: nothing hyphenated in the example"
           % (plugin, width))
        env = text.split("ENVIRONMENT\n", 1)[1].split("\nEXAMPLES", 1)[0] if "ENVIRONMENT\n" in text else ""
        if width == "120":
            for var in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "XDG_CACHE_HOME",
                        "--no-credential-cache", "HTTPS_PROXY"):
                ok(var in env, "%s man page: ENVIRONMENT names %s" % (plugin, var))
            ok(" ex\u2010 " not in text and "\u2010\n" not in text.split("DESCRIPTION", 1)[1],
               "%s man page: no hyphenation in the description" % plugin)


def sim_args(url=None):
    return ["--endpoint-url", url or sim.url, "--ca-file", sim.ca]


# ---- 404: only AWS's NotFoundException means "not found" --------------------------------------
r = run(P, ["-a", table_arn("not_found")] + sim_args(), name="404 NotFoundException")
is_(r.rc, 2, "404 NotFoundException: still --not-found-state (CRITICAL)")
r = run(P, ["-a", table_arn("repl_ok")] + sim_args(sim.url + "/wrong/base"), name="404 unknown operation")
is_(r.rc, 3, "404 UnknownOperationException from a wrong endpoint path: UNKNOWN, not CRITICAL")
like(r.summary, r"UNKNOWN - GetTableReplicationStatus: the endpoint did not know the operation "
     r"\(https://127\.0\.0\.1:%d/wrong/base/replication-status\): UnknownOperationException \(HTTP 404"
     % sim.port, "404 UnknownOperationException: says the endpoint did not know the operation, names the URL")
ok("not found" not in r.summary, "404 UnknownOperationException: not called 'not found'", r.summary)


def reply(h, status, body, content_type="application/json"):
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)
    h.wfile.flush()


def html_404(h):
    reply(h, 404, b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>",
          "text/html")


web = Server(html_404)
for plugin, arn in ((P, table_arn("repl_ok")), ("check_s3tables_expiration", table_arn("exp_ok")),
                    ("check_s3tables_maintenance", table_arn("maint_ok"))):
    r = run(plugin, ["-a", arn, "-E", web.url], name="%s HTML 404" % plugin)
    is_(r.rc, 3, "%s: an HTML 404 from a web server: UNKNOWN, not CRITICAL" % plugin)
    like(r.summary, r"UNKNOWN - Get\w+: the endpoint did not know the operation \(http://127\.0\.0\.1:%d/[^)]*\): "
         r"HTTP 404, not an AWS error response$" % web.port, "%s: HTML 404 names the URL and the status" % plugin)


# ---- signals: one UNKNOWN line naming the signal and the stage ------------------------------
def run_and_signal(args, sig, after, env=None, timeout=30):
    """Start the plugin, send it sig after `after` seconds, return (Result, pid)."""
    p = subprocess.Popen([EXE] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env or env_base(),
                         start_new_session=True)
    time.sleep(after)
    start = time.monotonic()
    os.kill(p.pid, sig)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
    r = Result(p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), time.monotonic() - start)
    invariants(r, P, "signal %d" % sig)
    return r, p.pid


ME = os.getpid()
for sig, name in ((signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "SIGINT"), (signal.SIGHUP, "SIGHUP")):
    r, pid = run_and_signal(["-a", table_arn("slow_headers"), "-t", "20"] + sim_args(), sig, 1.0)
    is_(r.rc, 3, "%s while waiting for S3 Tables: exit 3" % name)
    like(r.out, r"^S3TABLES REPLICATION UNKNOWN - ended by %s \(sent by process %d\) while waiting for S3 Tables "
         r"at https://127\.0\.0\.1:%d\n$" % (name, ME, sim.port), "%s: one UNKNOWN line naming the signal and the stage"
         % name)
    ok(r.elapsed < 2, "%s: the run ends at once (%.2f s)" % (name, r.elapsed))

r, pid = run_and_signal(["-a", table_arn("slow_headers"), "-t", "20"] + sim_args(), signal.SIGALRM, 1.0)
is_(r.rc, 3, "an outside SIGALRM: UNKNOWN (exit 3), not the -t state")
like(r.out, r"^S3TABLES REPLICATION UNKNOWN - ended by SIGALRM \(sent by process %d\) while waiting" % ME,
     "an outside SIGALRM: says who sent it, not 'timed out'")
ok("timed out" not in r.out, "an outside SIGALRM is not reported as a timeout", r)
r, pid = run_and_signal(["-a", table_arn("slow_headers"), "-t", "20:WARNING"] + sim_args(), signal.SIGTERM, 1.0)
is_(r.rc, 3, "SIGTERM with -t 20:WARNING: still UNKNOWN")


# ---- credential_process: no child outlives the plugin, however it ends ----------------------
def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ", 1)[1][0] not in "ZX"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def wait_gone(pids, seconds=2.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end and any(alive(p) for p in pids):
        time.sleep(0.02)
    return [p for p in pids if alive(p)]


def process_home(name, script):
    d = os.path.join(TMP, name)
    os.makedirs(os.path.join(d, ".aws"))
    helper = write(os.path.join(d, "helper.sh"), script.replace("DIR", d), 0o700)
    write(os.path.join(d, ".aws", "config"), "[default]\ncredential_process = %s\n" % helper)
    return d


def read_pids(d, names, seconds=5.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            pids = [int(open(os.path.join(d, n)).read()) for n in names]
            if all(pids):
                return pids
        except (FileNotFoundError, ValueError):
            pass
        time.sleep(0.02)
    return None


SLEEPY = "#!/bin/sh\necho $$ > DIR/helper.pid.tmp && mv DIR/helper.pid.tmp DIR/helper.pid\n" \
         "sleep 60 &\necho $! > DIR/child.pid.tmp && mv DIR/child.pid.tmp DIR/child.pid\nwait\n"
for how in ("SIGTERM to the plugin", "SIGKILL to the plugin's whole process group", "SIGINT to the plugin"):
    d = process_home("proc-" + how.split()[0], SLEEPY)
    env = env_base(creds=False, extra={"HOME": d})
    p = subprocess.Popen([EXE, "-a", table_arn("repl_ok"), "-t", "30"] + sim_args(), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env, start_new_session=True)
    pids = read_pids(d, ["helper.pid", "child.pid"])
    if not ok(pids is not None, "%s: the helper started (and started a child of its own)" % how):
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        continue
    ok(os.getpgid(pids[0]) != os.getpgid(p.pid), "%s: the helper runs in a process group of its own" % how)
    if how.startswith("SIGKILL"):
        os.killpg(p.pid, signal.SIGKILL)
    else:
        os.kill(p.pid, signal.SIGTERM if how.startswith("SIGTERM") else signal.SIGINT)
    out, err = p.communicate(timeout=10)
    left = wait_gone(pids)
    ok(not left, "%s: neither the helper nor its child outlives the plugin" % how, "still running: %s" % left)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    if how.startswith("SIGTERM"):
        like(out.decode(), r"^S3TABLES REPLICATION UNKNOWN - ended by SIGTERM \(sent by process %d\) while finding "
             r"credentials\n$" % ME, "SIGTERM while credential_process runs: the stage is finding credentials")
        is_(p.returncode, 3, "SIGTERM while credential_process runs: exit 3")

# A helper that succeeds but leaves a background process behind: gone when the plugin ends.
d = process_home("proc-lingering", "#!/bin/sh\nsleep 60 >/dev/null 2>&1 &\necho $! > DIR/child.pid\n"
                 "echo '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}'\n"
                 % (ACCESS_KEY, SECRET_KEY))
r = run(P, ["-a", table_arn("repl_ok")] + sim_args(), creds=False, env={"HOME": d}, name="lingering helper child")
is_(r.rc, 0, "credential_process that leaves a background process: OK")
ok(r.elapsed < 5, "... and the run does not wait for the background process (%.2f s)" % r.elapsed)
pids = read_pids(d, ["child.pid"], 1)
left = wait_gone(pids or [])
ok(pids and not left, "... which does not outlive the plugin", left)
for pid in left:
    os.kill(pid, signal.SIGKILL)

# Its stderr's first line is shown when it fails.
d = process_home("proc-stderr", "#!/bin/sh\nprintf '\\n\\033[1mError when retrieving token\\033[0m: SSO session expired|x\\n"
                 "second line\\n' >&2\nexit 2\n")
r = run(P, ["-a", table_arn("repl_ok")] + sim_args(), creds=False, env={"HOME": d}, name="helper stderr")
is_(r.rc, 3, "credential_process failing: UNKNOWN")
like(r.summary, r"credential_process exited with status 2: ?.?\[1mError when retrieving token ?.?\[0m: SSO session "
     r"expired.x$", "credential_process failing: its stderr's first line, sanitized")
ok("\x1b" not in r.out and "second line" not in r.out, "credential_process stderr: no escape character, one line only", r)


# ---- proxies: the password never shows, and a refusing proxy is named ------------------------
dead = free_port()
for var in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
    proxy = "http://monitor:%s@127.0.0.1:%d" % (PROXY_PASSWORD, dead)
    r = run(P, ["-a", table_arn("repl_ok"), "-vvv", "-t", "3", "--max-attempts", "1"] + sim_args(),
            env={var: proxy}, name="%s at -vvv" % var)
    ok(PROXY_PASSWORD not in r.out + r.err, "%s with a password, at -vvv: the password is never printed" % var,
       [l for l in r.err.splitlines() if PROXY_PASSWORD in l])
    like(r.err, r"Uses proxy env variable %s == 'http://monitor:<redacted>@127\.0\.0\.1:%d'" % (var, dead),
         "%s at -vvv: libcurl's proxy line is shown with the password redacted" % var)
    like(r.summary, r"UNKNOWN - GetTableReplicationStatus failed: connection refused by the proxy 127\.0\.0\.1:%d "
         r"\(from %s\) \(for 127\.0\.0\.1:%d\)" % (dead, var, sim.port),
         "%s refusing: the proxy is named, not the target" % var)
r = run(P, ["-a", table_arn("repl_ok"), "-vvv", "-t", "3", "--max-attempts", "1",
            "--proxy", "http://monitor:%s@127.0.0.1:%d" % (PROXY_PASSWORD, dead)] + sim_args(), name="--proxy refused")
ok(PROXY_PASSWORD not in r.out + r.err, "--proxy with a password, at -vvv: never printed")
like(r.summary, r"connection refused by the proxy 127\.0\.0\.1:%d \(--proxy\) \(for 127\.0\.0\.1:%d\)"
     % (dead, sim.port), "--proxy refusing: the proxy is named")
r = run(P, ["-a", table_arn("repl_ok"), "-vvv", "-t", "3", "--max-attempts", "1"] + sim_args(),
        env={"HTTPS_PROXY": "http://%s@127.0.0.1:%d" % (PROXY_PASSWORD, dead)}, name="proxy token as user")
ok(PROXY_PASSWORD not in r.out + r.err, "a proxy URL with a token as its user part: never printed")

# ---- where a stall happens ----------------------------------------------------------------------
def reuse_then_stall(h):
    h.count = getattr(h, "count", 0) + 1
    if h.count == 1:  # a retryable 503 on a keep-alive connection ...
        reply(h, 503, b'{"message":"try again"}')
        return
    time.sleep(6)  # ... then the retry on the same connection gets nothing


def trickle_headers(h):
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    h.wfile.flush()
    for _ in range(12):
        time.sleep(0.5)
        try:
            h.wfile.write(b"X-Slow: x\r\n")
            h.wfile.flush()
        except OSError:
            return
    h.close_connection = True


def huge_header(h):
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Amzn-RequestId: r1\r\n"
                  b"X-Huge: " + b"h" * 300000 + b"\r\nContent-Length: 2\r\n\r\n{}")
    h.wfile.flush()
    h.close_connection = True


stall = Server(reuse_then_stall)
r = run(P, ["-a", table_arn("repl_ok"), "-E", stall.url, "-t", "3", "-v"], name="stall on a reused connection")
is_(r.rc, 3, "a stall on a reused connection: UNKNOWN (timeout)")
like(r.summary, r"timed out after 3 s during GetTableReplicationStatus \(deadline reached while waiting for the "
     r"response from 127\.0\.0\.1:%d; 2 attempts\)" % stall.port,
     "a stall on a reused connection: 'waiting for the response', not 'connecting'")
trickle = Server(trickle_headers)
r = run(P, ["-a", table_arn("repl_ok"), "-E", trickle.url, "-t", "2"], name="trickling headers")
like(r.summary, r"deadline reached while reading the response headers from 127\.0\.0\.1:%d" % trickle.port,
     "headers that trickle: 'reading the response headers', not 'the body'")
huge = Server(huge_header)
r = run(P, ["-a", table_arn("repl_ok"), "-E", huge.url, "-t", "5", "--max-attempts", "1"], name="300 KB header")
is_(r.rc, 3, "a 300 KB response header: UNKNOWN")
like(r.summary, r"a response header line from 127\.0\.0\.1:%d is larger than libcurl's limit .*it came after the "
     r"header X-Amzn-RequestId" % huge.port, "a 300 KB response header: says so, not 'out of memory'")
ok("out of memory" not in r.summary, "a 300 KB response header is not 'out of memory'", r.summary)

# ---- the trust store is checked before connecting -----------------------------------------------
missing = os.path.join(TMP, "no-such-ca.pem")
r = run(P, ["-a", table_arn("repl_ok"), "-E", sim.url], env={"AWS_CA_BUNDLE": missing}, name="AWS_CA_BUNDLE missing")
like(r.summary, r"UNKNOWN - AWS_CA_BUNDLE: cannot read the CA bundle %s: No such file or directory$" % re.escape(missing),
     "AWS_CA_BUNDLE naming a missing file: names the variable and the file, not a TLS failure")
ok("TLS" not in r.summary, "... no TLS handshake is blamed", r.summary)
r = run(P, ["-a", table_arn("repl_ok"), "-E", sim.url, "--ca-file", missing], name="--ca-file missing")
like(r.summary, r"UNKNOWN - --ca-file: cannot read the CA bundle %s: No such file or directory$" % re.escape(missing),
     "--ca-file naming a missing file: names the option")
r = run(P, ["-a", table_arn("repl_ok"), "-E", sim.url, "--ca-file", TMP], name="--ca-file directory")
like(r.summary, r"UNKNOWN - --ca-file: cannot read the CA bundle %s: not a regular file$" % re.escape(TMP),
     "--ca-file naming a directory: says it is not a file")
r = run(P, ["-a", table_arn("repl_ok"), "-E", sim.url, "--ca-path", missing], name="--ca-path missing")
like(r.summary, r"UNKNOWN - --ca-path: cannot use the CA directory %s: No such file or directory$" % re.escape(missing),
     "--ca-path naming a missing directory: names the option and the directory")
d = process_home("profile-ca", "#!/bin/sh\nexit 1\n")
write(os.path.join(d, ".aws", "config"), "[default]\nca_bundle = %s\n" % missing)
r = run(P, ["-a", table_arn("repl_ok"), "-E", sim.url], env={"HOME": d}, name="profile ca_bundle missing")
like(r.summary, r"UNKNOWN - the profile's ca_bundle: cannot read the CA bundle %s" % re.escape(missing),
     "the profile's ca_bundle naming a missing file: says where it came from")


# ---- a profile named explicitly must exist, even with keys in the environment -----------------
d = process_home("profiles", "#!/bin/sh\nexit 1\n")
write(os.path.join(d, ".aws", "config"), "[profile other]\nregion = us-east-1\n")
cfg, crd = os.path.join(d, ".aws", "config"), os.path.join(d, ".aws", "credentials")
for how, args, env in (("--profile", ["--profile", "nosuch"], {}), ("AWS_PROFILE", [], {"AWS_PROFILE": "nosuch"})):
    r = run(P, ["-a", table_arn("repl_ok")] + args + sim_args(), env=dict(env, HOME=d), name="missing profile " + how)
    is_(r.rc, 3, "%s naming a missing profile, keys in the environment: UNKNOWN, not ignored" % how)
    like(r.summary, r"UNKNOWN - profile 'nosuch' \(from %s\) not found in %s, %s$" % (how, re.escape(cfg), re.escape(crd)),
         "%s naming a missing profile: names the profile and both files" % how)
r = run(P, ["-a", table_arn("repl_ok"), "--profile", "other"] + sim_args(), env={"HOME": d}, name="existing profile")
is_(r.rc, 0, "a profile that exists (without keys) with keys in the environment: OK")
r = run(P, ["-a", table_arn("repl_ok")] + sim_args(), env={"HOME": d}, name="no profile named")
is_(r.rc, 0, "no profile named, no [default]: the environment's keys are used")

# ---- a key with a stray newline is named ---------------------------------------------------------
for var, value in (("AWS_ACCESS_KEY_ID", ACCESS_KEY + "\n"), ("AWS_SECRET_ACCESS_KEY", "ab cd"),
                   ("AWS_SESSION_TOKEN", "tok\x01en")):
    r = run(P, ["-a", table_arn("repl_ok")] + sim_args(), env={var: value}, name="%s malformed" % var)
    is_(r.rc, 3, "%s with a stray character: UNKNOWN" % var)
    like(r.summary, r"credential source 'environment' failed: %s holds a (line break|blank|control character) "
         r"\(at character \d+\)" % var, "%s with a stray character: names the variable, not sigv4" % var)
    ok("sigv4" not in r.summary and value.strip() not in r.summary, "%s: no signing jargon, no value" % var, r.summary)

# ---- -v: endpoint, region, clear text, why retries stopped; -vv says a cache problem once ------
r = run(P, ["-a", table_arn("repl_ok"), "-v"] + sim_args(), name="-v endpoint")
like(r.err, r"(?m)^endpoint https://127\.0\.0\.1:%d; region us-east-1$" % sim.port, "-v shows the endpoint URL and region")
ok("clear text" not in r.err, "-v on https: no clear-text warning")
web_ok = Server(lambda h: reply(h, 200, b'{"destinations": []}'))
r = run(P, ["-a", table_arn("repl_ok"), "-v", "-E", web_ok.url], name="-v http endpoint")
like(r.err, r"(?m)^warning: the endpoint is plain http://: requests, with their session tokens, go unencrypted",
     "-v on an http:// endpoint: says requests and tokens go in clear text")
r = run(P, ["-a", table_arn("e5xx_always"), "-v", "--max-attempts", "20", "-t", "4"] + sim_args(), name="retries stop")
is_(r.rc, 3, "5xx every time, --max-attempts 20 -t 4: UNKNOWN")
like(r.err, r"(?m)^not retrying: the backoff of [0-9.]+ s before attempt \d+ would leave less than 0\.25 s of the -t "
     r"deadline \([0-9.]+ s left\)$", "-v says why the retries stopped before --max-attempts")
r = run(P, ["-a", table_arn("e5xx_always"), "-v", "--max-attempts", "2"] + sim_args(), name="retries exhausted")
like(r.err, r"(?m)^not retrying: that was the last of --max-attempts$", "-v says the attempts ran out")
r = run(P, ["-a", table_arn("forbidden"), "-v"] + sim_args(), name="not retryable")
like(r.err, r"(?m)^not retrying: the error is not one that a retry can cure$", "-v says a 403 is not retried")

d = os.path.join(TMP, "badcache")
os.makedirs(os.path.join(d, ".cache", "monitoring-plugins-s3tables"))
os.chmod(os.path.join(d, ".cache", "monitoring-plugins-s3tables"), 0o755)
r = run(P, ["-a", table_arn("repl_ok"), "-vv"] + sim_args(), creds=False, env={"HOME": d}, name="-vv cache once")
lines = [l for l in r.err.splitlines() if l.startswith("not using the credential cache")]
is_(len(lines), 1, "-vv: a credential cache problem is said once, not once per source")
like(lines[0] if lines else "", r"mode 755", "-vv: ... and says what the problem is")
done()
