#!/usr/bin/env bash
# GET /stats/flow/<dpid> of ofctl_rest against a real Open vSwitch bridge
# holding FLOWS flows (default 1000), with 1, 16 and 256 concurrent
# keep-alive clients (wrk), and beside it the switch's own floor: how long
# `ovs-ofctl dump-flows` of the same table takes. Prints requests/s and the
# latency percentiles wrk reports.
#
# Usage (root): bench/rest_flows.sh [build/ken-manager]
# Environment: FLOWS (1000), SECONDS_EACH (10), CONNS ("1 16 256"),
#   OF_PORT (16791), HTTP_PORT (18791), KEEP_LOGS.
# Everything runs in network namespaces this script creates, on their
# loopback; all of it is stopped and deleted on exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
manager=${1:-$here/../build/ken-manager}
FLOWS=${FLOWS:-1000}
SECONDS_EACH=${SECONDS_EACH:-10}
CONNS=${CONNS:-"1 16 256"}
OF_PORT=${OF_PORT:-16791}
HTTP_PORT=${HTTP_PORT:-18791}
command -v wrk >/dev/null || { echo "rest_flows: wrk is not installed (scripts/install-deps.sh)"; exit 1; }
source "$here/../tests/e2e/ovs-env.sh"

ovs_start
ctl_start "$OF_PORT" "$manager" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$OF_PORT" \
  --wsapi-host 127.0.0.1 --wsapi-port "$HTTP_PORT" ofctl_rest
bridge_add "$OF_PORT"
bridge_wait_connected

# FLOWS distinct flows in table 0 (one per destination MAC), as a learning
# switch would leave them.
python3 - "$FLOWS" >"$dir/flows.txt" <<'PY'
import sys
for i in range(int(sys.argv[1])):
    print("priority=1,in_port=1,dl_dst=02:00:00:%02x:%02x:%02x,actions=output:2"
          % (i >> 16 & 255, i >> 8 & 255, i & 255))
PY
ofctl add-flows "$dir/flows.txt"
n=$(ofctl dump-flows --no-names | grep -c priority=1 || true)
[[ $n -eq $FLOWS ]] || { echo "rest_flows: the bridge holds $n flows, not $FLOWS"; exit 1; }
url=http://127.0.0.1:$HTTP_PORT/stats/flow/1
got=$(in_ns python3 -c "import json,sys,urllib.request; print(len(json.load(urllib.request.urlopen('$url'))['1']))")
[[ $got -eq $FLOWS ]] || { echo "rest_flows: GET $url answered $got flows, not $FLOWS"; exit 1; }

echo "== ovs-ofctl dump-flows of $FLOWS flows (the switch's floor), 20 runs"
start=$(date +%s%N)
for _ in $(seq 20); do ofctl dump-flows >/dev/null; done
echo "  $(( ($(date +%s%N) - start) / 20000 )) us per dump (process start included)"

# CPU time (user + system, clock ticks) of a process, and its RSS in kB:
# what each side spends per answered request, whatever else the machine
# is doing.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
vswitchd=$(cat "$dir/ovs-vswitchd.pid")
hz=$(getconf CLK_TCK)
# The whole machine's busy time (all CPUs, clock ticks): what everything
# else took while a row ran (other jobs on a shared machine).
busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

echo "== GET /stats/flow/1 ($FLOWS flows), wrk ${SECONDS_EACH}s per row"
echo "   (CPU per request: ken-manager's, ovs-vswitchd's and the load generator's; RSS: ken-manager's after"
echo "   the row; others: CPUs' worth of time everything else on the machine took during the row)"
printf '  %-8s %11s %9s %9s %9s %12s %12s %12s %10s %7s\n' clients requests/s p50 p90 p99 "ken CPU" "ovs CPU" "wrk CPU" "RSS" "others"
for c in $CONNS; do
  threads=$((c < 2 ? 1 : 2))
  k0=$(ticks "$ctl_pid") o0=$(ticks "$vswitchd") m0=$(busy)
  out=$(in_ns /usr/bin/time -f 'wrk-cpu %U %S' wrk -t"$threads" -c"$c" -d"${SECONDS_EACH}s" --latency "$url" 2>&1)
  k1=$(ticks "$ctl_pid") o1=$(ticks "$vswitchd") m1=$(busy)
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p90=$(awk '$1 == "90%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $4}' <<<"$out")
  per() { awk -v t="$1" -v n="$n" -v hz="$hz" 'BEGIN { printf "%.2f ms", n ? t * 1000 / hz / n : 0 }'; }
  wrk_cpu=$(awk -v n="$n" '$1 == "wrk-cpu" { printf "%.2f ms", n ? ($2 + $3) * 1000 / n : 0 }' <<<"$out")
  wrk_ticks=$(awk -v hz="$hz" '$1 == "wrk-cpu" { printf "%d", ($2 + $3) * hz }' <<<"$out")
  others=$(awk -v t=$((m1 - m0 - (k1 - k0) - (o1 - o0) - ${wrk_ticks:-0})) -v hz="$hz" -v s="$SECONDS_EACH" \
    'BEGIN { printf "%.2f", t / hz / s }')
  printf '  %-8s %11s %9s %9s %9s %12s %12s %12s %7s kB %7s%s\n' "$c" "$rps" "$p50" "$p90" "$p99" "$(per $((k1 - k0)))" \
    "$(per $((o1 - o0)))" "$wrk_cpu" "$(rss "$ctl_pid")" "$others" "${non2xx:+  ($non2xx non-2xx answers)}"
done
