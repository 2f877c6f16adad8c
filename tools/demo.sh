#!/bin/sh
# Quick start, part 1 (see README): install what is needed, build, start the
# bundled simulated S3 Tables endpoint over HTTPS on loopback, and run the
# plugins against it for a few scenarios, printing what Icinga would receive.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. "$top/tools/deps.sh"
s3t_ensure_deps || exit 1

if [ ! -x build/plugins/check_s3tables_replication ]; then
	echo "building..."
	autoreconf -fi >/dev/null 2>&1 && mkdir -p build && cd build &&
		"$top/configure" -q >/dev/null && make -j2 -s >/dev/null 2>&1 && cd "$top" ||
		{ echo "build failed: run ./tools/test.sh for details" >&2; exit 1; }
else
	(cd build && make -j2 -s >/dev/null 2>&1)
fi

tmp=$(mktemp -d)
sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
sh tests/sim/gen-test-ca.sh "$tmp" >/dev/null
python3 tests/sim/s3tables_sim.py --cert "$tmp/server.pem" --key "$tmp/server.key" --port 0 \
	--port-file "$tmp/port" --log "$tmp/requests.log" --lifetime 300 --stall-seconds 10 2>"$tmp/sim.err" &
sim_pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$tmp/port" ] || { echo "simulator did not start:" >&2; cat "$tmp/sim.err" >&2; exit 1; }
port=$(cat "$tmp/port")

# Only the demo's own settings: the public example key pair the simulator accepts.
export AWS_EC2_METADATA_DISABLED=true  # no metadata service to ask here
unset AWS_PROFILE AWS_CA_BUNDLE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3TABLES AWS_SESSION_TOKEN
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
common="--endpoint-url https://127.0.0.1:$port --ca-file $tmp/ca.pem"
table="arn:aws:s3tables:us-east-1:111122223333:bucket/sim-bucket/table"
bucket="arn:aws:s3tables:us-east-1:111122223333:bucket/sim-bucket"

show() { # description, plugin, args...
	what=$1; plugin=$2; shift 2
	[ -x "build/plugins/$plugin" ] || return 0
	printf '\n\033[1m== %s\033[0m\n$ %s %s\n' "$what" "$plugin" "$*"
	# shellcheck disable=SC2086
	"build/plugins/$plugin" "$@" $common
	printf '(exit code %s)\n' "$?"
}

echo "Simulated S3 Tables endpoint on https://127.0.0.1:$port (test CA in $tmp)"
show "replication: every replica caught up (OK)" check_s3tables_replication -a "$table/repl_ok" -w 30m -c 2h
show "replication: a replica 10 minutes behind, another failed (CRITICAL)" check_s3tables_replication -a "$table/repl_mixed" -w 5m -c 1h
show "replication: pending for 2 hours, judged -w 30m -c 3h (WARNING)" check_s3tables_replication -a "$table/repl_pending_2h" -w 30m -c 3h
show "replication: throttled twice, retried (OK)" check_s3tables_replication -a "$table/throttle_then_ok__demo" -v
show "replication: server stalls, -t 2 (UNKNOWN)" check_s3tables_replication -a "$table/slow_headers" -t 2
show "replication: access denied (UNKNOWN)" check_s3tables_replication -a "$table/forbidden"
show "expiration: last run succeeded 1 hour ago (OK)" check_s3tables_expiration -a "$table/exp_ok" -w 1d -c 2d
show "expiration: last run failed (CRITICAL)" check_s3tables_expiration -a "$table/exp_failed"
show "expiration: not available for this table (UNKNOWN)" check_s3tables_expiration -a "$table/exp_not_supported"
show "maintenance: all jobs succeeded recently (OK)" check_s3tables_maintenance -b "$bucket" -n sim_ns -N maint_ok -w 1d -c 2d
show "maintenance: compaction failed (CRITICAL)" check_s3tables_maintenance -b "$bucket" -n sim_ns -N maint_compaction_failed
show "maintenance: snapshot management disabled (WARNING)" check_s3tables_maintenance -a "$table/maint_disabled"
fleet="arn:aws:s3tables:us-east-1:111122223333:bucket/fleet-mixed"
show "every table of a bucket in one run: replication of 20 tables (CRITICAL)" check_s3tables_replication -b "$fleet" --all-tables
show "every table of a bucket: maintenance, sales namespace only" check_s3tables_maintenance -b "$fleet" --all-tables -n sales
if [ -x build/discover/s3tables-discover ]; then
	printf '\n\033[1m== %s\033[0m\n$ %s\n' "discovery: the Icinga 2 configuration for a bucket's tables (first lines)" \
		"s3tables-discover -b $fleet --include '^sales[.]'"
	# shellcheck disable=SC2086
	build/discover/s3tables-discover -b "$fleet" --include '^sales[.]' $common | head -24
fi
echo
echo "Requests the simulator verified: $(wc -l <"$tmp/requests.log")"
