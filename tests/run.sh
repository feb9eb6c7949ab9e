#!/usr/bin/env bash
# make test: builds ken with AddressSanitizer and UndefinedBehaviorSanitizer
# (clang, with the libFuzzer targets), runs every test, the shared OpenFlow
# conformance corpus when ../shared is present, and the fuzzers for a
# bounded time; ends with one summary line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
SAN=${SAN:-build-san}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export KEN_FUZZ_SECONDS=${KEN_FUZZ_SECONDS:-20}

if [[ ! -f $SAN/build.ninja ]]; then
  CC=clang meson setup "$SAN" --buildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false \
    -Dfuzz=true >/dev/null || { echo "meson setup failed"; echo "0 passed, 1 failed"; exit 1; }
fi
echo "== build ($SAN: clang, ASan + UBSan)"
if ! ninja -C "$SAN" >"$SAN/ninja.log" 2>&1; then
  tail -40 "$SAN/ninja.log"
  echo "0 passed, 1 failed"
  exit 1
fi
# The release build too: the tools at build/ are what people run.
make -s all >/dev/null || { echo "release build failed"; echo "0 passed, 1 failed"; exit 1; }

echo "== tests"
meson test -C "$SAN" --print-errorlogs --num-processes 2 --timeout-multiplier 3
rc=$?

read -r passed failed skipped < <(python3 - "$SAN/meson-logs/testlog.json" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
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
