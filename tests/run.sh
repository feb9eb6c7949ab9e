#!/usr/bin/env bash
# make test: builds ken with AddressSanitizer and UndefinedBehaviorSanitizer
# (clang, with the libFuzzer targets), runs every test, the shared OpenFlow
# conformance corpus when ../shared is present, and the fuzzers for a
# bounded time; builds it again with ThreadSanitizer and reruns the runtime
# and controller tests there; runs the codec, runtime and deterministic
# controller tests of the release build under valgrind; ends with one
# summary line "N passed, N failed, N skipped" over the three runs.
set -uo pipefail
cd "$(dirname "$0")/.."
SAN=${SAN:-build-san}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export KEN_FUZZ_SECONDS=${KEN_FUZZ_SECONDS:-20}
# The fuzzers search from a fixed seed here, so a run is not red by chance;
# set KEN_FUZZ_SEED=0 / KEN_CONN_FUZZ_SEED= (empty) to hunt with new seeds.
export KEN_FUZZ_SEED=${KEN_FUZZ_SEED:-1}
export KEN_CONN_FUZZ_SEED=${KEN_CONN_FUZZ_SEED-0x6b656e}
# What runs under ThreadSanitizer: the tests where threads meet (apps,
# queues, requests, the I/O thread and app sends).
TSAN_TESTS=${TSAN_TESTS:-"--suite threads"}

if [[ ! -f $SAN/build.ninja ]]; then
  CC=clang meson setup "$SAN" --buildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false -Dgui=enabled \
    -Dfuzz=true >/dev/null || { echo "meson setup failed"; echo "0 passed, 1 failed"; exit 1; }
fi
echo "== build ($SAN: clang, ASan + UBSan)"
if ! ninja -C "$SAN" >"$SAN/ninja.log" 2>&1; then
  tail -40 "$SAN/ninja.log"
  echo "0 passed, 1 failed"
  exit 1
fi
# ThreadSanitizer: the runtime and controller tests again, in their own
# build (TSan cannot be combined with ASan).
TSAN=${TSAN:-build-tsan}
if [[ ! -f $TSAN/build.ninja ]]; then
  CC=clang meson setup "$TSAN" --buildtype=debugoptimized -Db_sanitize=thread -Db_lundef=false -Dgui=enabled >/dev/null ||
    { echo "meson setup ($TSAN) failed"; echo "0 passed, 1 failed"; exit 1; }
fi
echo "== build ($TSAN: clang, ThreadSanitizer)"
if ! ninja -C "$TSAN" >"$TSAN/ninja.log" 2>&1; then
  tail -40 "$TSAN/ninja.log"
  echo "0 passed, 1 failed"
  exit 1
fi
# The release build too: the tools at build/ are what people run.
make -s all >/dev/null || { echo "release build failed"; echo "0 passed, 1 failed"; exit 1; }

echo "== tests"
meson test -C "$SAN" --print-errorlogs --num-processes 2 --timeout-multiplier 3
rc=$?
echo "== tests under ThreadSanitizer"
TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1} \
  meson test -C "$TSAN" --print-errorlogs --num-processes 2 --timeout-multiplier 5 $TSAN_TESTS
rc_tsan=$?
[[ $rc -eq 0 ]] && rc=$rc_tsan
# valgrind (memcheck) on the release build: no sanitizer in between, so
# what the optimiser makes of the code is what is checked, uninitialised
# reads included (ASan does not see those). The wire codec's tests and
# replays, the runtime and the controller tests; with KEN_TEST_VALGRIND
# set, the two controller tests that rest on the descriptor limit (which
# valgrind lowers) or on racing threads skip themselves, and the counters
# test (timing) is left out: ASan and TSan above run them.
VALGRIND_TESTS=${VALGRIND_TESTS:-"ofp-vectors ofp-fast ofp-fast-paths multipart packet-json ofp-limits ofp-big-msgs
  ofp-sender ofp-text-json ofp-edges ofp-typed-error ofp-typed-parts conformance-roundtrip conformance-typed
  fuzz-diff-replay fuzz-typed-replay runtime-dispatch runtime-request runtime-loader runtime-backpressure runtime-log
  runtime-inline runtime-timer runtime-flush runtime-docs runtime-queue controller controller-io-threads
  controller-request controller-versions controller-example controller-roles"}
echo "== tests under valgrind (memcheck, release build)"
rm -f build/meson-logs/memcheck-valgrind.json
# shellcheck disable=SC2086 # a list of test names
KEN_TEST_VALGRIND=1 meson test -C build --print-errorlogs --num-processes 2 --timeout-multiplier 10 --logbase memcheck \
  --wrapper "valgrind --error-exitcode=99 -q --leak-check=full --errors-for-leak-kinds=definite" $VALGRIND_TESTS
rc_vg=$?
[[ $rc -eq 0 ]] && rc=$rc_vg

read -r passed failed skipped < <(python3 - "$SAN/meson-logs/testlog.json" "$TSAN/meson-logs/testlog.json" \
  build/meson-logs/memcheck-valgrind.json <<'PY'
import json, sys
p = f = s = 0
for line in (l for path in sys.argv[1:] for l in open(path)):
    r = json.loads(line).get('result')
    if r in ('OK', 'EXPECTEDFAIL'): p += 1
    elif r == 'SKIP': s += 1
    else: f += 1
print(p, f, s)
PY
)
if [[ $rc -ne 0 && $failed -eq 0 ]]; then failed=1; fi
grep -h "^conformance checks: " "$SAN/meson-logs/testlog.txt" | sed "s/^/   /" | tail -1
grep -h "^SKIP:" "$SAN/meson-logs/testlog.txt" | sed 's/^/   /' | sort -u
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[[ $failed -eq 0 ]]
