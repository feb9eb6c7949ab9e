#!/usr/bin/env bash
# Link discovery without Open vSwitch: ken-manager --observe-links
# rest_topology against ken-bench topology (emulated switches that relay
# LLDP packet-outs to their neighbours as packet-ins), a ring and a grid,
# OpenFlow 1.0 and 1.3. Passes when REST lists every link (both
# directions) and every link stays listed for the hold time; the bound on
# finding them is ken-bench's own (120 s), generous on purpose. Then the
# routes' answers to paths and methods they do not take.
#
#   bench_ring.sh build/ken-manager build/ken-bench OFPORT HTTPPORT
set -euo pipefail
manager=$1 bench=$2 port=$3 http=$4
log=$(mktemp /tmp/ken-topo-bench.XXXXXX)
"$manager" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$port" --wsapi-host 127.0.0.1 \
  --wsapi-port "$http" --observe-links rest_topology >"$log" 2>&1 &
pid=$!
cleanup() {
  local rc=$?
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  local ctl_rc=$?
  ((ctl_rc == 0)) || { echo "FAIL: the controller exited with status $ctl_rc"; rc=1; }
  if grep -q "Sanitizer\|runtime error" "$log"; then echo "FAIL: a sanitizer report"; rc=1; fi
  ((rc)) && tail -30 "$log"
  rm -f "$log"
  exit $rc
}
trap cleanup EXIT
for _ in $(seq 100); do
  bash -c "exec 3<>/dev/tcp/127.0.0.1/$http" 2>/dev/null && break
  sleep 0.1
done
for run in "-V 1.0 --ring 8" "-V 1.3 --ring 8" "-V 1.0 --grid 3x4" "-V 1.3 --grid 3x4"; do
  # shellcheck disable=SC2086
  "$bench" topology -p "$port" --rest "127.0.0.1:$http" --hold 3 $run
done
# Routes as Ryu's: a dpid that is not 16 lowercase hex digits matches no
# route (404); GET only (405); an unknown switch is an empty list.
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }
for path in switches/xyz links/00000000000000AB hosts/1; do
  [[ $(code "http://127.0.0.1:$http/v1.0/topology/$path") == 404 ]] || { echo "FAIL: $path is not 404"; exit 1; }
done
[[ $(code -X POST "http://127.0.0.1:$http/v1.0/topology/links") == 405 ]] || { echo "FAIL: POST is not 405"; exit 1; }
for what in switches links hosts; do
  body=$(curl -sf --max-time 10 "http://127.0.0.1:$http/v1.0/topology/$what/00000000000000ff")
  [[ $body == "[]" ]] || { echo "FAIL: $what of an unknown switch: $body"; exit 1; }
done
echo "  routes: ok"
echo PASS
