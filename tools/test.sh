#!/bin/sh
# The project's one test command (see README): installs missing build
# dependencies, bootstraps, then builds and runs the whole suite twice
# (build/: plain, gcc; build-asan/: clang with AddressSanitizer and
# UndefinedBehaviorSanitizer), the unit and plugin tests once more under
# valgrind (build/), the threaded batch engine's and fleet fold's tests under ThreadSanitizer
# (build-tsan/), runs each libFuzzer harness in fuzz/ for a few seconds
# (build-fuzz-test/), checks `make distcheck`, and ends with "N passed, N failed".
# Set S3T_SKIP_ASAN=1, S3T_SKIP_VALGRIND=1, S3T_SKIP_TSAN=1, S3T_SKIP_FUZZ=1 or
# S3T_SKIP_DISTCHECK=1 to shorten a local run.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. "$top/tools/deps.sh"
s3t_ensure_deps || { echo "0 passed, 1 failed"; exit 1; }

passed=0 failed=0 skipped=0
# Add the counts of one build directory's test-suite.log; a stage that could
# not even build counts as one failure.
tally() {
	log="$1/test-suite.log"
	PASS=0 FAIL=0 ERROR=0 XPASS=0 SKIP=0 XFAIL=0
	if [ ! -f "$log" ]; then failed=$((failed + 1)); return; fi
	eval "$(awk '/^# (PASS|FAIL|ERROR|XPASS|SKIP|XFAIL):/ { gsub(":", "", $2); printf "%s=%d\n", $2, $3 }' "$log")"
	passed=$((passed + PASS + XFAIL)); failed=$((failed + FAIL + ERROR + XPASS)); skipped=$((skipped + SKIP))
}

run_build() { # dir, compiler, extra CFLAGS[, the tests to run: default all]
	dir="$1"; cc="$2"; cflags="$3"; tests="${4:-}"
	rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || return 1
	"$top/configure" -q CC="$cc" CFLAGS="$cflags" >configure.out 2>&1 || { cat configure.out; cd "$top"; return 1; }
	make -j2 -s >make.out 2>&1 || { cat make.out; cd "$top"; return 1; }
	# -Wall -Wextra must stay silent: a warning fails the run.
	if grep -E 'warning:' make.out; then echo "FAIL: compiler warnings in $dir"; failed=$((failed + 1)); fi
	if [ -n "$tests" ]; then make -j2 check TESTS="$tests"; else make -j2 check; fi; rc=$?
	cd "$top"; return $rc
}

autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; echo "0 passed, 1 failed"; exit 1; }

echo "=== plain build with gcc (build/) ==="
run_build build gcc "-O2 -g"
tally build

if [ "${S3T_SKIP_VALGRIND:-0}" != 1 ] && [ -f build/Makefile ]; then
	echo "=== valgrind: unit tests and plugin end-to-end tests (build/) ==="
	(cd build && make -j2 check-valgrind)
	tally build
fi

# tests/e2e_package.py builds, installs and purges its own packages whatever the
# build directory: the plain build's run is enough (not again under ASan or in
# distcheck's inner make check).
S3T_SKIP_PACKAGE=1; export S3T_SKIP_PACKAGE

if [ "${S3T_SKIP_ASAN:-0}" != 1 ]; then
	# clang here, so both compilers must stay warning-free.
	echo "=== AddressSanitizer + UBSan build with clang (build-asan/) ==="
	run_build build-asan clang "-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
	tally build-asan
fi

if [ "${S3T_SKIP_TSAN:-0}" != 1 ]; then
	# A data race report exits 66 and fails the test.
	echo "=== ThreadSanitizer: the batch engine's tests (build-tsan/) ==="
	run_build build-tsan clang "-O1 -g -fsanitize=thread" "tests/test_limiter tests/test_batch tests/test_fleet"
	tally build-tsan
fi

if [ "${S3T_SKIP_FUZZ:-0}" != 1 ]; then
	# Every libFuzzer harness in fuzz/ replays its corpus (seeds and regression
	# inputs) and fuzzes for S3T_FUZZ_SECONDS (default 2) in a fresh
	# build-fuzz-test/; one pass or fail per harness (a finding or a build
	# failure is a failure). Long campaigns: see HACKING.md.
	echo "=== libFuzzer harnesses (build-fuzz-test/) ==="
	rm -rf build-fuzz-test && mkdir -p build-fuzz-test
	S3T_FUZZ_BUILD="$top/build-fuzz-test" "$top/tools/fuzz.sh" "${S3T_FUZZ_SECONDS:-2}" 2>&1 |
		tee build-fuzz-test/summary.out
	fuzz_pass=$(grep -c '^PASS: ' build-fuzz-test/summary.out)
	fuzz_fail=$(grep -c '^FAIL: ' build-fuzz-test/summary.out)
	[ "$fuzz_pass" -eq 0 ] && [ "$fuzz_fail" -eq 0 ] && fuzz_fail=1
	passed=$((passed + fuzz_pass)); failed=$((failed + fuzz_fail))
fi

if [ "${S3T_SKIP_DISTCHECK:-0}" != 1 ]; then
	echo "=== make distcheck ==="
	if (cd build && make -s distcheck >distcheck.out 2>&1); then
		passed=$((passed + 1)); echo "PASS: make distcheck"
	else
		tail -40 build/distcheck.out; failed=$((failed + 1)); echo "FAIL: make distcheck"
	fi
fi

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
