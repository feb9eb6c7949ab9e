#!/usr/bin/env bash
# Runs ../shared/conformance/check-ofp against ken-ofp; skips (exit 77, which
# meson reports as SKIP) when the shared corpus is absent.
checker=$1 ofp=$2
if [[ ! -x $checker ]]; then
  echo "SKIP: $checker not found: the shared OpenFlow corpus is absent"
  exit 77
fi
# The corpus's own contract command: decode --json reads one message, as
# OS-Ken's parser does, and ignores bytes after it
# (of15/libofproto-OFP15-meter_features_reply has 8 such bytes).
out=$(python3 "$checker" --decode "$ofp decode --json" --encode "$ofp encode" -j 2)
rc=$?
echo "$out"
echo "conformance checks: $(tail -1 <<<"$out")"
exit $rc
