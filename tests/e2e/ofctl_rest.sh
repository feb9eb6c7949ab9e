#!/usr/bin/env bash
# ofctl_rest against Open vSwitch, one OpenFlow version: ken-manager runs
# the version's learning switch and ofctl_rest; s1 (that version only) has
# hosts h1 and h2 on ports 1 and 2. ofctl_rest_check.py then reads every
# stats route and checks its status (200, or 501 where the version lacks
# it) and its JSON against ovs-ofctl, changes flows, groups, meters and a
# port over REST and sees the changes with ovs-ofctl, checks the error
# statuses, and last makes the switch stop answering (504, other requests
# still answered at once) and then vanish (404).
#
#   tests/e2e/ofctl_rest.sh VERSION PORT HTTP_PORT build/ken-manager
#
# VERSION is 10, 12, 13, 14 or 15.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$1 port=$2 http_port=$3 manager=$4
case $version in
  10) ovs_of=OpenFlow10 app=simple_switch ;;
  12) ovs_of=OpenFlow12 app=simple_switch_12 ;;
  13) ovs_of=OpenFlow13 app=simple_switch_13 ;;
  14) ovs_of=OpenFlow14 app=simple_switch_14 ;;
  15) ovs_of=OpenFlow15 app=simple_switch_15 ;;
  *) echo "FAIL: unknown version $version"; exit 1 ;;
esac
source "$here/ovs-env.sh"
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 77; }

ovs_start
# The switch timeout: short, so that the 504 check is quick, yet long
# enough for Open vSwitch's table features (tens of parts) in a sanitized
# build on a busy machine; converting them can take longer still, hence
# wsapi's long timeout.
export KEN_OFCTL_REST_TIMEOUT=5
ctl_start "$port" "$manager" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$port" \
  --wsapi-host 127.0.0.1 --wsapi-port "$http_port" --wsapi-timeout 120 ofctl_rest "$app"
bridge_add "$port"
host_add 1
host_add 2
bridge_wait_connected

in_ns python3 "$here/ofctl_rest_check.py" "$version" "http://127.0.0.1:$http_port" "$ovs_of" \
  "$dir/ovs-vswitchd.pid"
echo PASS
