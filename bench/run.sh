#!/usr/bin/env bash
# `make bench`: every benchmark script in bench/, one after the other. Each
# prints its own table; BENCHMARKS.md says how to read them.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for script in bench/codec.sh bench/controllers.sh; do
  [[ -f $script ]] || continue
  echo "== $script"
  bash "$script" || status=1
  echo
done
exit $status
