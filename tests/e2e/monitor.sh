#!/usr/bin/env bash
# simple_monitor_13 (with the simple_switch_13 it requires) against Open
# vSwitch: two hosts on one bridge ping each other; the flow and port
# tables the monitor logs must agree with what OVS itself reports.
#
#   tests/e2e/monitor.sh PORT build/ken-manager
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=$1 manager=$2
source "$here/ovs-env.sh"

ovs_start
# Poll every second (Ryu's 10 s would make a slow test).
ctl_start "$port" env KEN_MONITOR_INTERVAL=1 "$manager" --ofp-listen-host 127.0.0.1 \
  --ofp-tcp-listen-port "$port" simple_monitor_13
bridge_add "$port"
host_add 1
host_add 2
bridge_wait_connected

in_host 1 ping -c 3 -i 0.2 -W 1 10.0.0.2 >/dev/null || { echo "FAIL: h1 cannot ping h2"; exit 1; }
in_host 2 ping -c 2 -i 0.2 -W 1 10.0.0.1 >/dev/null || { echo "FAIL: h2 cannot ping h1"; exit 1; }

# Counters only grow: what the monitor logs after the first dump lies
# between it and a dump taken once the monitor has logged. The poll that
# logs first after the dump may have been answered before it: the one
# after that is checked.
wait_poll() {
  local from
  from=$(wc -l <"$dir/controller.log")
  for _ in $(seq 50); do
    python3 "$here/monitor_check.py" ready "$dir/controller.log" "$from" && { echo "$from"; return 0; }
    sleep 0.1
  done
  echo "FAIL: no flow and port tables logged within 5 s" >&2; exit 1
}
mkdir "$dir/before" "$dir/after"
ofctl dump-flows --no-names >"$dir/before/flows.txt"
ofctl dump-ports >"$dir/before/ports.txt"
wait_poll >/dev/null
from=$(wait_poll)
ofctl dump-flows --no-names >"$dir/after/flows.txt"
ofctl dump-ports >"$dir/after/ports.txt"
python3 "$here/monitor_check.py" verify "$dir/controller.log" "$from" "$dir/before" "$dir/after"
echo PASS
