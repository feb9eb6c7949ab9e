#!/usr/bin/env bash
# Codec benchmark: ken's hot-path codec and OS-Ken's parser on the same
# messages, in one run, both pinned to CPU 1. Run from the project root
# after `make`:  bench/codec.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cpu=${KEN_BENCH_CPU:-1}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), pinned to CPU $cpu"
taskset -c "$cpu" build/ken-bench-codec --json >"$out"
taskset -c "$cpu" /usr/bin/python3 bench/osken_codec.py "$out"
