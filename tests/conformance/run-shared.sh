#!/usr/bin/env bash
# Runs ../shared/conformance/check-ofp against ken-ofp; skips (exit 77, which
# meson reports as SKIP) when the shared corpus is absent.
checker=$1 ofp=$2
if [[ ! -x $checker ]]; then
  echo "SKIP: $checker not found: the shared OpenFlow corpus is absent"
  exit 77
fi
out=$(python3 "$checker" --decode "$ofp decode --json" --encode "$ofp encode" -j 2)
rc=$?
echo "$out"
echo "conformance checks: $(tail -1 <<<"$out")"
exit $rc
