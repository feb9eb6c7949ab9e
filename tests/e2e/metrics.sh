#!/usr/bin/env bash
# The metrics app with simple_switch_13 against Open vSwitch: two hosts on
# one bridge ping each other, then GET /metrics (in the switch's network
# namespace, where the controller listens) must parse strictly and show
# the bridge, its packet-ins, flow-mods, echo round trips and the app's
# work (metrics_check.py).
#
#   tests/e2e/metrics.sh PORT build/ken-manager      (REST on PORT + 1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=$1 manager=$2
source "$here/ovs-env.sh"

ovs_start
ctl_start "$port" "$manager" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$port" \
  --wsapi-host 127.0.0.1 --wsapi-port $((port + 1)) --echo-request-interval 0.2 metrics simple_switch_13
bridge_add "$port"
host_add 1
host_add 2
bridge_wait_connected

in_host 1 ping -c 3 -i 0.2 -W 1 10.0.0.2 >/dev/null || { echo "FAIL: h1 cannot ping h2"; exit 1; }
in_host 2 ping -c 2 -i 0.2 -W 1 10.0.0.1 >/dev/null || { echo "FAIL: h2 cannot ping h1"; exit 1; }
in_ns python3 "$here/metrics_check.py" "http://127.0.0.1:$((port + 1))/metrics"
echo PASS
