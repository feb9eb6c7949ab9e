#!/usr/bin/env bash
# Replays the committed crash corpus, then runs each fuzzer for
# KEN_FUZZ_SECONDS (default 20; the differential fuzzer fuzz-diff
# KEN_FUZZ_DIFF_SECONDS, default 60) seeded from the project's vectors and,
# when present, the shared corpus. A new crash is copied into crashes/NAME/ so it
# can be committed and replayed forever. KEN_FUZZ_SEED (default 1) makes a
# run repeat the previous one's search, so make test does not turn red by
# chance; KEN_FUZZ_SEED=0 picks a new seed each run (for hunting).
set -uo pipefail
here=$1 root=$2
shift 2
secs=${KEN_FUZZ_SECONDS:-20}
seed=${KEN_FUZZ_SEED:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shared=$root/../shared/conformance/ofp
# Seeds: hex vectors as bytes; JSON files for the encoder.
mkdir -p "$work/bin" "$work/json"
python3 - "$root/tests/vectors" "$work/bin" "$work/json" <<'PY'
import os, re, sys
src, bdir, jdir = sys.argv[1:4]
for d, _, files in os.walk(src):
    for f in files:
        p = os.path.join(d, f)
        if f.endswith('.hex'):
            txt = re.sub(r'#.*', '', open(p).read())
            h = re.sub(r'[^0-9a-fA-F]', '', txt)
            if len(h) % 2 == 0:
                open(os.path.join(bdir, f + '.bin'), 'wb').write(bytes.fromhex(h))
        elif f.endswith('.json'):
            open(os.path.join(jdir, f), 'wb').write(b'\x04' + open(p, 'rb').read())
PY
if [[ -d $shared ]]; then
  for f in "$shared"/*/*.packet.json; do printf '\x04' | cat - "$f" >"$work/json/$(basename "$f")"; done
  seed_bin=("$work/bin" "$shared/of10" "$shared/of12" "$shared/of13" "$shared/of14" "$shared/of15")
else
  echo "note: ../shared/conformance absent: fuzzing from the project's own vectors only"
  seed_bin=("$work/bin")
fi
# Seeds for the packet fuzzer: frames OS-Ken's packet library builds
# (tests/packet/gen_packets.py, seed 1), one file each.
mkdir -p "$work/packets"
if /usr/bin/python3 "$root/tests/packet/gen_packets.py" "$work/packets.tsv" 1 300 >/dev/null 2>&1; then
  python3 - "$work/packets.tsv" "$work/packets" <<'PY'
import sys
for i, line in enumerate(open(sys.argv[1])):
    open('%s/%d.bin' % (sys.argv[2], i), 'wb').write(bytes.fromhex(line.split('\t')[1]))
PY
else
  echo "note: os_ken absent: fuzzing packets from the OpenFlow vectors only"
fi
status=0
for fz in "$@"; do
  name=$(basename "$fz"); name=${name#fuzz-}
  crashes=$here/crashes/$name
  if compgen -G "$crashes/*" >/dev/null; then
    echo "== $name: replaying $(ls "$crashes" | wc -l) saved inputs"
    "$fz" -runs=0 "$crashes"/* >"$work/replay.log" 2>&1 || { tail -30 "$work/replay.log"; status=1; }
  fi
  seeds=("${seed_bin[@]}")
  [[ $name == encode ]] && seeds=("$work/json")
  [[ $name == packet ]] && seeds=("$work/packets")
  [[ $name == reasm ]] && seeds=("$here/seeds/reasm")
  mkdir -p "$work/corpus-$name" "$work/art-$name"
  run_secs=$secs
  [[ $name == diff ]] && run_secs=${KEN_FUZZ_DIFF_SECONDS:-60}
  echo "== $name: fuzzing for ${run_secs}s (seed $seed)"
  if ! "$fz" -seed="$seed" -max_total_time="$run_secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/art-$name/" "$work/corpus-$name" "${seeds[@]}" >"$work/$name.log" 2>&1; then
    tail -40 "$work/$name.log"
    mkdir -p "$crashes"
    cp "$work/art-$name"/* "$crashes"/ 2>/dev/null && echo "saved the crashing input to $crashes (commit it)"
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$work/$name.log" | tail -2
  fi
done
exit $status
