#!/bin/sh
# Build the libFuzzer harnesses in fuzz/ and run each for a while.
#
#   tools/fuzz.sh [SECONDS [HARNESS...]]
#
# SECONDS: how long each harness fuzzes after replaying its corpus (default 5).
# HARNESS: names such as fuzz_range (default: every fuzz/fuzz_*.c but fuzz_common).
# Environment: FUZZ_CC (default clang; must support -fsanitize=fuzzer),
# S3T_FUZZ_BUILD (default build-fuzz/ in the source tree), FUZZ_ARGS (more
# libFuzzer options, e.g. "-jobs=2 -workers=2" or "-dict=...").
#
# The harnesses and the lib/ sources are built with
# -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all. Each harness
# replays fuzz/corpus/<harness>/ (the seeds and the regression inputs, kept in
# git) and the inputs it found in earlier runs ($S3T_FUZZ_BUILD/corpus/<harness>/,
# not in git), then fuzzes. A crash, leak, sanitizer report, violated property
# (the harness abort()s), timeout or out-of-memory is a finding: the input is
# saved as $S3T_FUZZ_BUILD/findings/<harness>-crash-<sha1> (or leak-, timeout-,
# oom-) and the harness fails. Prints "PASS: <harness>" or "FAIL: <harness>"
# for each (a build failure fails every harness it stops), then
# "fuzz: N passed, N failed"; exits 1 when anything failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-5}
[ $# -gt 0 ] && shift
case $secs in ''|*[!0-9]*) echo "usage: tools/fuzz.sh [SECONDS [HARNESS...]]" >&2; exit 2;; esac
build=${S3T_FUZZ_BUILD:-$top/build-fuzz}
cc=${FUZZ_CC:-clang}

if [ $# -gt 0 ]; then
	harnesses="$*"
else
	harnesses=$(cd "$top/fuzz" && ls fuzz_*.c | sed -e 's/\.c$//' -e '/^fuzz_common$/d')
fi

fail_all() { # reason
	echo "$1"
	for h in $harnesses; do echo "FAIL: $h (not built)"; done
	echo "fuzz: 0 passed, $(echo $harnesses | wc -w) failed"
	exit 1
}

mkdir -p "$build/obj" "$build/bin" "$build/corpus" "$build/findings" "$build/logs" ||
	fail_all "fuzz: cannot create $build"

# A compiler that can build fuzzers at all, with a clear message otherwise.
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
	>"$build/probe.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$build/probe.c" -o "$build/probe" >"$build/probe.log" 2>&1; then
	cat "$build/probe.log"
	fail_all "fuzz: '$cc' cannot build with -fsanitize=fuzzer,address,undefined; install clang (Debian: clang) or set FUZZ_CC"
fi

san="-fsanitize=address,undefined -fno-sanitize-recover=all"
cflags="-std=gnu11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra $san"
incs=""
for d in "$top"/lib/*/; do incs="$incs -I$d"; done
incs="$incs -I$top/fuzz"
pkgc=$(pkg-config --cflags libcurl json-c libcrypto) || fail_all "fuzz: pkg-config cannot find libcurl, json-c or libcrypto"
pkgl=$(pkg-config --libs libcurl json-c libcrypto)

# lib/ minus the run layer (options, start-up, exit: nothing a harness calls),
# instrumented for coverage but without libFuzzer's main().
echo "fuzz: building lib/ and the harnesses with $cc in $build"
# lib/ is rebuilt only when a source or header under lib/ or fuzz/ changed.
stale=1
if [ -f "$build/libfuzz.a" ] && [ -f "$build/cc.txt" ] && [ "$(cat "$build/cc.txt")" = "$cc $cflags" ] &&
	[ -z "$(find "$top/lib" "$top/fuzz" -name '*.[ch]' -newer "$build/libfuzz.a" | head -1)" ]; then
	stale=0
fi
objs=""
for src in $(cd "$top" && ls lib/*/*.c | grep -v '^lib/run/') fuzz/fuzz_common.c; do
	obj="$build/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')"
	objs="$objs $obj"
	echo "$cc $cflags -fsanitize=fuzzer-no-link $incs $pkgc -c $top/$src -o $obj"
done >"$build/compile.cmds"
if [ "$stale" = 1 ]; then
	rm -f "$build/libfuzz.a" "$build/cc.txt" "$build"/obj/*.o
	if ! xargs -P 2 -I CMD sh -c CMD <"$build/compile.cmds" >"$build/logs/build.log" 2>&1; then
		cat "$build/logs/build.log"
		fail_all "fuzz: lib/ does not build with $cc (see above)"
	fi
	if grep 'warning:' "$build/logs/build.log"; then
		fail_all "fuzz: compiler warnings in lib/ or fuzz/ (see above)"
	fi
	ar rcs "$build/libfuzz.a" $objs || fail_all "fuzz: ar failed"
	echo "$cc $cflags" >"$build/cc.txt"
fi

# Link the harnesses (two at a time), then run them one after the other.
for h in $harnesses; do
	[ -f "$top/fuzz/$h.c" ] || continue
	echo "$cc $cflags -fsanitize=fuzzer $incs $pkgc $top/fuzz/$h.c $build/libfuzz.a $pkgl -lm -o $build/bin/$h >$build/logs/$h.build 2>&1"
done >"$build/link.cmds"
rm -f "$build"/bin/*
xargs -P 2 -I CMD sh -c CMD <"$build/link.cmds"

passed=0 failed=0
for h in $harnesses; do
	bin="$build/bin/$h"
	log="$build/logs/$h.log"
	if [ ! -f "$top/fuzz/$h.c" ]; then
		echo "FAIL: $h (no fuzz/$h.c)"; failed=$((failed + 1)); continue
	fi
	# A harness missing from FUZZ_FILES would be missing from the tarball.
	if [ -f "$top/Makefile.am" ] && ! grep -q "fuzz/$h\.c" "$top/Makefile.am"; then
		echo "FAIL: $h (fuzz/$h.c is not in Makefile.am's FUZZ_FILES)"; failed=$((failed + 1)); continue
	fi
	if [ ! -x "$bin" ] || grep -q 'warning:' "$build/logs/$h.build"; then
		cat "$build/logs/$h.build"; echo "FAIL: $h (does not build cleanly)"; failed=$((failed + 1)); continue
	fi
	seeds="$top/fuzz/corpus/$h"
	mkdir -p "$build/corpus/$h"
	dirs="$build/corpus/$h"
	[ -d "$seeds" ] && dirs="$dirs $seeds"
	# The first directory gets the new inputs; the seeds stay untouched.
	# shellcheck disable=SC2086
	ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1" \
	UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
		"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$build/findings/$h-" ${FUZZ_ARGS:-} $dirs >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		echo "PASS: $h (${runs:-?} runs in ${secs} s)"; passed=$((passed + 1))
	else
		grep -v '^#[0-9]' "$log" | tail -40
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
		echo "FAIL: $h (exit $rc${art:+; input saved as $art})"; failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
