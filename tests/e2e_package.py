"""The packages: the .deb built, installed, run, purged; the RPM built and listed.

1. `make distdir` from the build tree into a temporary directory: exactly the
   files `make dist` ships, so debian/ and the spec must be in the tarball.
2. Debian: `dpkg-buildpackage -b -us -uc` there; `lintian` on the result
   reports no error and no warning (overrides in debian/ carry their reason);
   the package's metadata (shlibs dependencies, no hard dependency on a
   monitoring core) and file list; `dpkg -i`; every file where it belongs
   (plugins in /usr/lib/nagios/plugins, man pages, Icinga 2 CheckCommands,
   the Nagios conffile /etc/nagios-plugins/config/s3tables.cfg, examples
   under /usr/share/doc, s3tables-discover in /usr/bin once the tree builds
   it); the installed plugins run against the simulator; Debian's nagios4
   layout (cfg_dir=/etc/nagios-plugins/config) accepts the installed
   conffile; `dpkg --purge` leaves nothing behind.
3. RPM: `rpmbuild -ta --nodeps` on the tarball (the build dependencies are
   Fedora names, unknown to Debian's rpm database), then its file list.

Needs root (or sudo -n) for dpkg -i; installs debhelper, lintian and rpm with
apt when missing; skips with the reason when it cannot. Refuses to touch a
monitoring-plugins-s3tables that was installed before it started, and purges
the one it installed whatever happens (atexit, SIGTERM). S3T_SKIP_PACKAGE=1
skips it (tools/test.sh sets it for the sanitizer build and for distcheck's
inner `make check`: this test builds its own binaries, so one run is enough).
"""
import atexit
import contextlib
import filecmp
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402
from e2e import (Simulator, apt_install, is_, like, nagios_binary, nagios_config, ok, package_lock,  # noqa: E402
                 root_prefix, skip_all, table_arn, tempdir)

PKG = "monitoring-plugins-s3tables"
PLUGINDIR = "/usr/lib/nagios/plugins"
PLUGINS = ["check_s3tables_replication", "check_s3tables_expiration", "check_s3tables_maintenance"]
DOC = "/usr/share/doc/" + PKG
CONFFILE = "/etc/nagios-plugins/config/s3tables.cfg"
ICINGA = "/usr/share/icinga2/include/plugins-contrib.d/s3tables.conf"


if os.environ.get("S3T_SKIP_PACKAGE") == "1":
    skip_all("S3T_SKIP_PACKAGE=1 (the package test runs once, in the plain build)")
PRIV = root_prefix()
if PRIV is None:
    skip_all("installing a package needs root or password-less sudo")

TOOLS = {"dpkg-buildpackage": "dpkg-dev", "dh": "debhelper", "lintian": "lintian", "rpmbuild": "rpm",
         "fakeroot": "fakeroot"}
missing = sorted({pkg for tool, pkg in TOOLS.items() if not shutil.which(tool)})
if subprocess.run(["dpkg-query", "-W", "-f=${Status}", "build-essential"], stdout=subprocess.PIPE,
                  stderr=subprocess.DEVNULL).stdout.decode().find("ok installed") < 0:
    missing.append("build-essential")
if missing:
    why = apt_install(missing)
    still = sorted(t for t in TOOLS if not shutil.which(t))
    if why or still:
        skip_all("cannot install %s (%s)" % (" ".join(missing), why or "still missing: " + " ".join(still)))


def installed():
    p = subprocess.run(["dpkg-query", "-W", "-f=${Status}", PKG], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return p.returncode == 0 and "ok installed" in p.stdout.decode()


def dpkg_known():
    """Installed, or purgeable leftovers (config-files state)."""
    p = subprocess.run(["dpkg-query", "-W", "-f=${Status}", PKG], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return p.returncode == 0 and "not-installed" not in p.stdout.decode()


if dpkg_known():
    skip_all("%s is already installed on this machine; the test does not replace or purge it" % PKG)

TMP = tempdir("s3t-package-")
# Builds run outside `make check`'s jobserver and without its make variables.
ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKE_TERMOUT",
                                                         "MAKE_TERMERR", "DESTDIR") and not k.startswith("DEB_")}
ENV.update(DEB_BUILD_OPTIONS="parallel=2", LC_ALL="C.UTF-8")
we_installed = False


def purge():
    """Remove what this test installed: nothing else."""
    global we_installed
    if we_installed and dpkg_known():
        sh(["dpkg", "--purge", PKG], priv=True, timeout=300)
    we_installed = False


atexit.register(purge)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
signal.signal(signal.SIGHUP, lambda *_: sys.exit(1))


def sh(cmd, cwd=None, timeout=600, env=None, priv=False):
    """Run cmd (with root's rights if priv, holding the tests' apt/dpkg lock); (rc, output)."""
    with package_lock() if priv else contextlib.nullcontext():
        p = subprocess.run((PRIV if priv else []) + cmd, cwd=cwd, env=env or ENV, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def config_h(name):
    m = re.search(r'^#define %s "([^"]*)"' % name, open(os.path.join(e2e.BUILDDIR, "config.h")).read(), re.M)
    return m.group(1) if m else None


VERSION = config_h("PACKAGE_VERSION")
# Programs `make install` puts in bindir (s3tables-discover once the tree builds it).
makefile = open(os.path.join(e2e.BUILDDIR, "Makefile")).read()
m = re.search(r"^bin_PROGRAMS\s*=(.*?)(?<!\\)$", makefile, re.M | re.S)
BIN = sorted(os.path.basename(w.replace("$(EXEEXT)", "")) for w in (m.group(1).replace("\\\n", " ").split() if m else []))

# --- 1. the dist tree -------------------------------------------------------------
start = time.monotonic()
distdir = os.path.join(TMP, "%s-%s" % (PKG, VERSION))
rc, out = sh(["make", "-C", e2e.BUILDDIR, "distdir", "distdir=" + distdir])
if not ok(rc == 0 and os.path.isdir(os.path.join(distdir, "debian")),
          "make distdir: the dist tree has debian/", out[-3000:]):
    e2e.done()
ok(os.path.exists(os.path.join(distdir, PKG + ".spec")), "the dist tree has the RPM spec")
changelog = open(os.path.join(distdir, "debian", "changelog")).readline()
like(changelog, r"^%s \(%s-\d+\) " % (PKG, re.escape(VERSION)),
     "debian/changelog's version is configure's (%s)" % VERSION)
like(open(os.path.join(distdir, PKG + ".spec")).read(), r"(?m)^Version:\s+%s$" % re.escape(VERSION),
     "the spec's Version is configure's (%s)" % VERSION)
tarball = os.path.join(TMP, "%s-%s.tar.gz" % (PKG, VERSION))
rc, out = sh(["tar", "-C", TMP, "-czf", tarball, os.path.basename(distdir)])
is_(rc, 0, "the dist tarball is made")

# --- 2. Debian --------------------------------------------------------------------
rc, out = sh(["dpkg-buildpackage", "-b", "-us", "-uc"], cwd=distdir, timeout=900)
debs = sorted(glob.glob(os.path.join(TMP, "%s_%s-*_*.deb" % (PKG, VERSION))))
if not ok(rc == 0 and len(debs) == 1, "dpkg-buildpackage -b -us -uc builds %s" % PKG, out[-4000:]):
    e2e.done()
deb = debs[0]
ok("override_dh_auto_test" in out and not re.search(r"make.* check\b", out),
   "the package build runs dh_auto_test's smoke test, not the whole suite", out[-2000:])

changes = glob.glob(os.path.join(TMP, "%s_%s-*.changes" % (PKG, VERSION)))
rc, out = sh(["lintian", "--fail-on", "none"] + changes, timeout=300)
tags = [l for l in out.splitlines() if re.match(r"[EW]: ", l)]
ok(rc == 0 and not tags, "lintian: no error, no warning", "\n".join(tags) or out[-2000:])
overrides = open(os.path.join(distdir, "debian", PKG + ".lintian-overrides")).read()
for line in overrides.splitlines():
    if line.strip() and not line.startswith("#"):
        i = overrides.splitlines().index(line)
        ok(i > 0 and overrides.splitlines()[i - 1].startswith("#"),
           "lintian override %r has a written reason above it" % line.strip())

rc, depends = sh(["dpkg-deb", "-f", deb, "Depends"])
for lib in ("libc6", "libcurl4", "libjson-c5", "libssl3"):
    like(depends, r"\b%s\b" % lib, "Depends (from ${shlibs:Depends}) has %s" % lib)
ok(not re.search(r"nagios|icinga", depends), "no hard dependency on a monitoring core", depends)
rc, suggests = sh(["dpkg-deb", "-f", deb, "Recommends", "Suggests"])
like(suggests, r"Suggests:.*icinga2", "Suggests icinga2, as Debian's monitoring-plugins do")

rc, listing = sh(["dpkg-deb", "-c", deb])
entries = {os.path.normpath(l.split()[-1].lstrip(".") or "/") for l in listing.splitlines() if l}
files = {os.path.normpath(l.split()[-1].lstrip(".")) for l in listing.splitlines() if l and not l.startswith("d")}
want = {PLUGINDIR + "/" + p for p in PLUGINS} | {"/usr/share/man/man1/%s.1.gz" % p for p in PLUGINS} | {
    ICINGA, CONFFILE, DOC + "/copyright", DOC + "/changelog.Debian.gz", DOC + "/README.gz",
    DOC + "/examples/icinga2/example-services.conf", DOC + "/examples/nagios/s3tables-commands.cfg",
    DOC + "/examples/nagios/s3tables-services.cfg", "/usr/share/lintian/overrides/" + PKG} | {
    "/usr/bin/" + b for b in BIN} | {
    "/usr/share/man/man1/%s.1.gz" % b for b in BIN}
is_(sorted(files), sorted(want), "the .deb holds exactly the expected files%s" %
    (" (with %s in /usr/bin)" % ", ".join(BIN) if BIN else " (no bindir program built yet)"))

# Install it, remembering what existed before so that the purge can be checked.
before = {p for p in entries if os.path.lexists(p)}
we_installed = True
rc, out = sh(["dpkg", "-i", deb], priv=True, timeout=300)
if not ok(rc == 0 and installed(), "dpkg -i installs %s" % os.path.basename(deb), out[-3000:]):
    purge()
    e2e.done()
rc, out = sh(["dpkg", "-L", PKG])
owned = sorted({os.path.normpath(l) for l in out.splitlines() if l.startswith("/")} | entries)
for f in sorted(want):
    ok(os.path.isfile(f), "installed: %s" % f)
for p in PLUGINS + BIN:
    path = (PLUGINDIR if p in PLUGINS else "/usr/bin") + "/" + p
    ok(os.access(path, os.X_OK) and (os.stat(path).st_mode & 0o7777) == 0o755, "%s is mode 0755" % path)
rc, conffiles = sh(["dpkg-query", "-W", "-f=${Conffiles}", PKG])
like(conffiles, r"^\s*%s [0-9a-f]{32}" % re.escape(CONFFILE), "%s is a conffile" % CONFFILE)
ok(filecmp.cmp(CONFFILE, os.path.join(e2e.SRCDIR, "contrib", "nagios", "s3tables-commands.cfg"), shallow=False),
   "the conffile is contrib/nagios/s3tables-commands.cfg")
ok(filecmp.cmp(ICINGA, os.path.join(e2e.SRCDIR, "contrib", "icinga2", "s3tables.conf"), shallow=False),
   "the Icinga 2 CheckCommands are contrib/icinga2/s3tables.conf")
rc, out = sh(["man", "-l", "-Tutf8", "/usr/share/man/man1/check_s3tables_replication.1.gz"],
             env=dict(ENV, MANWIDTH="80"))
like(out, r"check_s3tables_replication", "the installed man page renders")

# The installed plugins, against the simulator.
sim = Simulator()
for plugin, scenario, state in (("check_s3tables_replication", "repl_ok", 0),
                                ("check_s3tables_replication", "repl_failed", 2),
                                ("check_s3tables_expiration", "exp_disabled", 1),
                                ("check_s3tables_maintenance", "maint_unknown_status", 3)):
    r = e2e.run(plugin, ["-a", table_arn(scenario)], sim=sim, plugindir=PLUGINDIR,
                name="installed %s %s" % (plugin, scenario))
    is_(r.rc, state, "installed %s/%s, %s scenario: exit %d" % (PLUGINDIR, plugin, scenario, state))
for plugin in PLUGINS:
    rc, out = sh([PLUGINDIR + "/" + plugin, "--version"])
    like(out, r"^%s \(%s\) %s$" % (plugin, PKG, re.escape(VERSION)), "installed %s --version" % plugin)

# Debian's nagios4 loads cfg_dir=/etc/nagios-plugins/config: the conffile must be valid there.
nagios, why = nagios_binary()
if nagios:
    ndir = os.path.join(TMP, "nagios")
    main = nagios_config(ndir, [os.path.join(DOC, "examples", "nagios", "s3tables-services.cfg")],
                         "$USER1$=%s\n" % PLUGINDIR, "cfg_dir=/etc/nagios-plugins/config\n")
    rc, out = sh([nagios, "-v", main], timeout=60)
    ok(rc == 0 and re.search(r"Total Errors:\s+0\b", out) and re.search(r"Total Warnings:\s+0\b", out),
       "nagios4 -v: cfg_dir=/etc/nagios-plugins/config (the installed conffile) and the installed example services",
       out[-2000:])
else:
    ok(True, "nagios4 -v on the installed conffile # SKIP %s" % why)

# Purge: nothing of the package may be left.
rc, out = sh(["dpkg", "--purge", PKG], priv=True, timeout=300)
ok(rc == 0 and not dpkg_known(), "dpkg --purge removes %s, conffiles included" % PKG, out[-2000:])
we_installed = dpkg_known()
left = sorted(p for p in owned if os.path.lexists(p) and p not in before and not (
    os.path.isdir(p) and sh(["dpkg-query", "-S", p])[0] == 0))        # a directory another package owns
is_(left, [], "after the purge nothing the package installed is left (files, conffile, directories)")
ok(not os.path.lexists(CONFFILE) and not glob.glob(CONFFILE + ".dpkg-*"), "no conffile or .dpkg-* copy left")

# --- 3. RPM -----------------------------------------------------------------------
# Fedora's /bin/sh is bash; the rpm scriptlets (brp-compress) assume it.
top = os.path.join(TMP, "rpmbuild")
rc, out = sh(["rpmbuild", "-ta", "--nodeps", "--define", "_topdir " + top, "--define", "_buildshell /bin/bash",
              tarball], timeout=900)
rpms = sorted(glob.glob(os.path.join(top, "RPMS", "*", "%s-%s-*.rpm" % (PKG, VERSION))))
rpms = [r for r in rpms if "-debuginfo-" not in r and "-debugsource-" not in r]
if ok(rc == 0 and len(rpms) == 1, "rpmbuild -ta --nodeps builds the RPM from make dist's tarball", out[-4000:]):
    rc, listing = sh(["rpm", "-qlp", rpms[0]])
    print("# " + listing.strip().replace("\n", "\n# "))
    rfiles = {l for l in listing.splitlines() if l.startswith("/") and "/.build-id" not in l}
    libdir = sh(["rpm", "--eval", "%{_libdir}"])[1].strip()
    rwant = {"%s/nagios/plugins/%s" % (libdir, p) for p in PLUGINS} | {
        "/usr/share/icinga2/include/plugins-contrib.d/s3tables.conf", "/etc/nagios/conf.d/s3tables.cfg",
        DOC + "/README", DOC + "/examples/icinga2/example-services.conf",
        DOC + "/examples/nagios/s3tables-commands.cfg", DOC + "/examples/nagios/s3tables-services.cfg"} | {
        "/usr/bin/" + b for b in BIN}
    man = {re.sub(r"\.gz$", "", f) for f in rfiles if f.startswith("/usr/share/man/man1/")}
    is_(sorted(man), sorted("/usr/share/man/man1/%s.1" % p for p in PLUGINS + BIN), "the RPM has every man page")
    is_(sorted(rwant - rfiles), [], "the RPM has the plugins in %s/nagios/plugins, the Icinga 2 and Nagios files, "
        "the docs and examples" % libdir)
    places = ("%s/nagios" % libdir, "/usr/share/icinga2", "/etc/nagios", DOC, "/usr/share/man/man1", "/usr/bin")
    is_(sorted(f for f in rfiles if not any(f == d or f.startswith(d + "/") for d in places)), [],
        "the RPM installs nothing anywhere else")
    rc, conf = sh(["rpm", "-qpc", rpms[0]])
    is_(conf.split(), ["/etc/nagios/conf.d/s3tables.cfg"], "the RPM's only %config file is the Nagios commands")
    rc, req = sh(["rpm", "-qp", "--requires", rpms[0]])
    for lib in ("libcurl.so.4", "libjson-c.so.5", "libcrypto.so.3"):
        like(req, re.escape(lib), "the RPM requires %s (found by rpm's dependency generator)" % lib)
    ok(not re.search(r"^(nagios|icinga)", req, re.M), "the RPM requires no monitoring core", req)

print("# package test took %.0f s" % (time.monotonic() - start))
e2e.done()
