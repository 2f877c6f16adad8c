#!/bin/bash
# tools/bench.sh [-n RUNS] [-w WARMUP] [--ca-file-mode] [--no-bundle-row] [--raw-sim]
#
# Benchmark (not a test): the cost of ONE check -- a fresh plugin process doing one
# signed HTTPS GET to the simulated S3 Tables endpoint on loopback, verifying the
# server against the SYSTEM trust store -- next to a baseline measured in the same
# run: a fresh `curl` process sending the same signed GET with curl's default
# bundle. Reports median wall time, CPU (user+sys) and peak RSS per command, the
# plugin/curl ratios, and a verdict per plugin against the targets "<= curl" and
# "< 10 ms wall". Results: stdout and bench-results/latest.txt.
#
# To make the throwaway test CA part of the system store, the script (as root, or
# through `sudo -n`) copies it to /usr/local/share/ca-certificates/ and runs
# update-ca-certificates (with an empty hooks dir, so the Java keystore and dpkg
# are not touched). On exit -- always, via trap -- it removes it, runs
# update-ca-certificates --fresh, puts /etc/ssl/certs back exactly as it was, and
# verifies that the CA is trusted no more. Without root it says why and falls back
# to --ca-file/--cacert for both tools, labelled as NOT the system-store figure.
#
# The simulator runs with TCP_NODELAY patched in at run time (tools/bench_stats.py sim);
# unpatched (--raw-sim) its split header/body writes cost every client ~40 ms of
# Nagle + delayed ACK, which hides the difference being measured.
#
# Needs only Debian packages: bash, python3, curl, openssl, ca-certificates, time
# (peak RSS via /usr/bin/time; installed with apt-get when missing and root).
# Plugins measured (when built): check_s3tables_replication (repl_ok),
# check_s3tables_expiration (exp_ok), check_s3tables_maintenance (maint_ok, by
# bucket/namespace/name). S3T_BUILDDIR overrides the build directory (default build/).
set -u

runs=30 warmup=3 force_cafile=0 bundle_row=1 raw_sim=0
while [ $# -gt 0 ]; do
	case $1 in
	-n) runs=$2; shift ;;
	-w) warmup=$2; shift ;;
	--ca-file-mode) force_cafile=1 ;;
	--no-bundle-row) bundle_row=0 ;;
	--raw-sim) raw_sim=1 ;;
	-h | --help) sed -n '2,30s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "usage: $0 [-n RUNS] [-w WARMUP] [--ca-file-mode] [--no-bundle-row] [--raw-sim]" >&2; exit 2 ;;
	esac
	shift
done

top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${S3T_BUILDDIR:-$top/build}
mkdir -p "$top/bench-results"
out=$top/bench-results/latest.txt
exec > >(tee "$out") 2>&1
tee_pid=$!

# Nothing from the caller's environment may pick the trust store or the endpoint.
for v in $(env | sed -n 's/^\(AWS_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
unset SSL_CERT_FILE SSL_CERT_DIR CURL_CA_BUNDLE CURL_HOME https_proxy HTTPS_PROXY all_proxy ALL_PROXY

work=$(mktemp -d "${TMPDIR:-/tmp}/s3t-bench.XXXXXX")
CERTS=/etc/ssl/certs
LOCAL_CRT=/usr/local/share/ca-certificates/monitoring-plugins-s3tables-bench.crt
SUDO=
installed=0
sim_pid= harness_pid=

manifest() { # every non-directory entry of /etc/ssl/certs: type, name, link target, content hash
	(cd "$CERTS" && find . -mindepth 1 -maxdepth 1 ! -type d -printf '%y %P %l\n' | sort &&
		find . -mindepth 1 -maxdepth 1 -type f -exec sha256sum {} + | sort)
}

ca_trusted() { # is the test CA trusted by the hashed dir or by the bundle?
	openssl verify -no-CAfile -CApath "$CERTS" "$work/ca/server.pem" >/dev/null 2>&1 && return 0
	openssl verify -no-CApath -CAfile "$CERTS/ca-certificates.crt" "$work/ca/server.pem" >/dev/null 2>&1
}

cleanup() {
	set +e
	if [ -n "$harness_pid" ]; then kill "$harness_pid" 2>/dev/null; wait "$harness_pid" 2>/dev/null; fi
	if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null; fi
	if [ "$installed" = 1 ]; then
		echo "cleanup: removing the test CA from the system store"
		$SUDO rm -f "$LOCAL_CRT"
		$SUDO update-ca-certificates --fresh --hooksdir "$work/nohooks" >"$work/uca-fresh.out" 2>&1 ||
			{ echo "cleanup: update-ca-certificates --fresh failed:"; cat "$work/uca-fresh.out"; }
		# update-ca-certificates may turn a regular file into an equivalent symlink:
		# put every entry back exactly as it was.
		manifest >"$work/manifest.after"
		if ! cmp -s "$work/manifest.before" "$work/manifest.after"; then
			diff "$work/manifest.before" "$work/manifest.after" |
				sed -n 's/^[<>] [a-z] \([^ ]*\) .*/\1/p; s/^[<>] [0-9a-f]\{64\}  \.\/\(.*\)/\1/p' | sort -u |
				while IFS= read -r name; do
					$SUDO rm -f "$CERTS/$name"
					$SUDO tar -xpf "$work/certs-before.tar" -C "$CERTS" "./$name" 2>/dev/null
				done
			manifest >"$work/manifest.after"
		fi
		if [ -e "$LOCAL_CRT" ]; then
			echo "cleanup: ERROR: $LOCAL_CRT still exists"
		elif ca_trusted; then
			echo "cleanup: ERROR: the test CA is still trusted by $CERTS"
		elif ! cmp -s "$work/manifest.before" "$work/manifest.after"; then
			echo "cleanup: ERROR: $CERTS differs from before:"
			diff "$work/manifest.before" "$work/manifest.after" | head -20
		else
			echo "cleanup: verified: CA file gone, not trusted by $CERTS (hashed dir or bundle), $CERTS identical to before"
		fi
	fi
	[ -n "$SUDO" ] && $SUDO rm -rf "$work" 2>/dev/null
	rm -rf "$work"
	exec >&- 2>&-
	wait "$tee_pid" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "# monitoring-plugins-s3tables benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "# host: $(uname -srm), $(nproc) CPU(s), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(curl --version | head -1)"
echo "# $(openssl version); build: $builddir ($(cd "$top" && git describe --always --dirty 2>/dev/null || echo no-git))"

# --- simulator ---------------------------------------------------------------
mkdir -p "$work/nohooks"
sh "$top/tests/sim/gen-test-ca.sh" "$work/ca" || exit 1
if [ "$raw_sim" = 1 ]; then
	sim=("$top/tests/sim/s3tables_sim.py")
	echo "# simulator: unpatched (--raw-sim): expect ~40 ms Nagle/delayed-ACK stalls per request"
else
	sim=("$top/tools/bench_stats.py" sim)
	echo "# simulator: tests/sim/s3tables_sim.py with TCP_NODELAY patched in at run time"
fi
python3 "${sim[@]}" --cert "$work/ca/server.pem" --key "$work/ca/server.key" \
	--port 0 --port-file "$work/port" --lifetime 1800 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || { echo "simulator did not start:"; cat "$work/sim.err"; exit 1; }
port=$(cat "$work/port")

if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "# installing Debian package 'time' for peak RSS"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >"$work/apt.out" 2>&1 ||
		echo "# apt-get install time failed; no RSS figures"
fi

# --- trust store ---------------------------------------------------------------
why=
if [ "$force_cafile" = 1 ]; then
	why="--ca-file-mode given"
elif ! command -v update-ca-certificates >/dev/null 2>&1; then
	why="update-ca-certificates not found (Debian package ca-certificates)"
elif [ "$(id -u)" != 0 ]; then
	if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else why="not root and 'sudo -n' is not allowed"; fi
fi
if [ -z "$why" ]; then
	manifest >"$work/manifest.before"
	(cd "$CERTS" && find . -mindepth 1 -maxdepth 1 ! -type d -print0 |
		$SUDO tar --null -T - -cpf "$work/certs-before.tar") || { echo "cannot back up $CERTS"; exit 1; }
	installed=1 # from here on, the trap restores
	$SUDO cp "$work/ca/ca.pem" "$LOCAL_CRT" && $SUDO chmod 644 "$LOCAL_CRT" &&
		$SUDO update-ca-certificates --hooksdir "$work/nohooks" >"$work/uca.out" 2>&1 ||
		{ echo "installing the test CA failed:"; cat "$work/uca.out"; exit 1; }
	ca_trusted || { echo "the test CA is not trusted after update-ca-certificates"; exit 1; }
	echo "# trust: SYSTEM store (test CA installed temporarily as $LOCAL_CRT; removed on exit)"
	mode=()
	bundle=$CERTS/ca-certificates.crt
else
	echo "# trust: FALLBACK --ca-file/--cacert with the test CA -- $why."
	echo "#        These figures are NOT the system-store measurement."
	mode=(--ca-file "$work/ca/ca.pem")
	# full-bundle row: the system bundle plus the test CA, so the handshake can succeed
	cat "$CERTS/ca-certificates.crt" "$work/ca/ca.pem" >"$work/ca-certificates+test.crt"
	bundle=$work/ca-certificates+test.crt
fi
echo "# system bundle: $(grep -c 'BEGIN CERTIFICATE' "$bundle") certificates, $(($(stat -c %s "$bundle") / 1024)) KiB"
[ "$bundle_row" = 1 ] || bundle=

# In the background + wait, so that a signal reaches the cleanup trap at once.
python3 "$top/tools/bench_stats.py" --builddir "$builddir" --port "$port" --runs "$runs" \
	--warmup "$warmup" "${mode[@]}" ${bundle:+--full-bundle "$bundle"} &
harness_pid=$!
wait "$harness_pid"
rc=$?
harness_pid=
echo "# results written to bench-results/latest.txt"
exit $rc
