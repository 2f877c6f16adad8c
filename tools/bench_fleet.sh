#!/bin/bash
# tools/bench_fleet.sh [-n RUNS] [-w WARMUP] [-p PARALLEL,...] [--no-boto3]
#
# Benchmark (not a test): the cost of a fleet run -- one plugin process checking every
# table of the simulator's bucket fleet-large (1200 tables) with --all-tables -- for each
# plugin and each --parallel value (default 1,4,8), side by side in the same run with a
# boto3 loop over the same tables in one Python process and with one single-table plugin
# run for reference. Reports medians (default 5 runs after 1 warm-up) of wall time, CPU
# (user+sys from wait4; per table), requests per operation and TLS handshakes (from the
# simulator's counters), and one verdict per plugin and --parallel value against the
# targets: <= 0.5 ms CPU per table, >= 10x less CPU than the boto3 loop, TLS handshakes
# <= --parallel, one request per table (+ the listing pages). The boto3 loop's CPU is
# given for the loop alone (judged) and for its whole process (import + client creation
# included). Results: stdout and bench-results/fleet-latest.txt.
#
# boto3 is the Debian package python3-boto3 under /usr/bin/python3 (installed with
# apt-get when missing and root; otherwise, or with --no-boto3, that column is skipped,
# saying so). A botocore too old to know s3tables (bookworm's 1.29) gets the service
# model through botocore's Loader from S3T_AWS_MODEL, tests/data/aws-model or
# /work/shared/aws-model (the first that has s3tables/2018-05-10/service-2.json).
# The simulator runs with TCP_NODELAY patched in (tools/bench_stats.py sim); both sides
# trust the throwaway test CA by file (--ca-file / verify=): no root needed otherwise.
# S3T_BUILDDIR overrides the build directory (default build/), S3T_BOTO3_PYTHON the
# interpreter of the boto3 loop (default /usr/bin/python3).
set -u

# Options go to tools/bench_fleet.py (-n/--runs, -w/--warmup, -p/--parallel, --no-boto3),
# which checks them; here only what needs a shell: the Debian boto3 and the model directory.
case " $* " in *" -h "* | *" --help "*) sed -n '2,25s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
boto3=1
case " $* " in *" --no-boto3 "*) boto3=0 ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$top/bench-results"
exec > >(tee "$top/bench-results/fleet-latest.txt") 2>&1

py=${S3T_BOTO3_PYTHON:-/usr/bin/python3} why=
if [ "$boto3" = 0 ]; then
	why="--no-boto3 given"
elif ! $py -c 'import boto3' 2>/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "# installing Debian package python3-boto3"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-boto3 >/dev/null 2>&1 ||
			echo "# apt-get install python3-boto3 failed"
	fi
	$py -c 'import boto3' 2>/dev/null ||
		why="$py cannot import boto3 (Debian package python3-boto3 not installed; needs root to install)"
fi
model=
for d in ${S3T_AWS_MODEL:-} "$top/tests/data/aws-model" /work/shared/aws-model; do
	[ -f "$d/s3tables/2018-05-10/service-2.json" ] && { model=$d; break; }
done

echo "# monitoring-plugins-s3tables fleet benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "# host: $(uname -srm), $(nproc) CPU(s), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(openssl version); build: ${S3T_BUILDDIR:-$top/build} ($(cd "$top" && git describe --always --dirty 2>/dev/null || echo no-git))"
python3 "$top/tools/bench_fleet.py" --builddir "${S3T_BUILDDIR:-$top/build}" --boto3-python "$py" \
	${why:+--no-boto3-why "$why"} ${model:+--aws-model "$model"} "$@" &
pid=$!
trap 'kill $pid 2>/dev/null' INT TERM HUP
wait $pid
rc=$?
echo "# results written to bench-results/fleet-latest.txt"
exit $rc
