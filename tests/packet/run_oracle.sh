#!/usr/bin/env bash
# Generates the OS-Ken corpus (seed KEN_PACKET_SEED, default 1: the same
# packets each run) and checks ken against it.
set -euo pipefail
gen=$1 oracle=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$gen" "$work/corpus.tsv" "${KEN_PACKET_SEED:-1}" "${KEN_PACKET_COUNT:-1500}"
"$oracle" "$work/corpus.tsv"
