# Sourced by the one-bridge e2e tests (monitor.sh, flow_watch.sh): Open
# vSwitch (userspace datapath) in a network namespace of its own, one
# bridge s1, hosts in namespaces of their own, and a controller listening
# on the switch namespace's loopback. Everything started here is stopped,
# and every namespace deleted, on exit. Nothing leaves the machine.
#
#   ovs_start                       # ovsdb-server + ovs-vswitchd
#   ctl_start PORT CMD...           # the controller, log in $dir/controller.log
#   bridge_add PORT                 # s1, OpenFlow $ovs_of, dpid 1, controller tcp:127.0.0.1:PORT
#   host_add N                      # host hN, 10.0.0.N, 00:00:00:00:00:0N, on s1 port N
#   bridge_wait_connected           # until s1 is connected to the controller
#   line3_build PROTO [no-ipv6]     # s1 - s2 - s3 in a line instead (line3.sh)
#   ofctl CMD ARGS...               # ovs-ofctl -O $ovs_of in the switch namespace
#   in_host N CMD...                # CMD in host hN's namespace
#
# ovs_of (OpenFlow13 unless set before sourcing or before bridge_add) is
# the one version s1 speaks, and ofctl's.
set -euo pipefail

[[ $(id -u) -eq 0 ]] || { echo "SKIP: needs root for network namespaces"; exit 77; }
for t in ovsdb-server ovs-vswitchd ovs-vsctl ovs-ofctl ip ping ethtool python3; do
  command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done

tag=ken$$
ns=${tag}sw
dir=$(mktemp -d /tmp/ken-e2e.XXXXXX)
ctl_pid=
hosts=()
in_ns() { ip netns exec "$ns" "$@"; }
vsctl() { in_ns ovs-vsctl --db=unix:"$dir/db.sock" --timeout=10 "$@"; }
ovs_of=${ovs_of:-OpenFlow13}
ofctl() { local cmd=$1; shift; in_ns ovs-ofctl -O "$ovs_of" --timeout=10 "$cmd" s1 "$@"; }
in_host() { local h=$1; shift; ip netns exec "${tag}h$h" "$@"; }

status=0
ovs_cleanup() {
  local rc=$?
  set +e
  if [[ -n $ctl_pid ]]; then # TERM, then KILL after 5 s: never leave a controller behind
    kill "$ctl_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$ctl_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$ctl_pid" 2>/dev/null; then
      echo "FAIL: the controller ignored SIGTERM for 5 s"; kill -9 "$ctl_pid"; status=1
    fi
    wait "$ctl_pid" 2>/dev/null
    local ctl_rc=$?
    # SIGTERM is a clean stop (exit 0): anything else, a sanitizer's
    # report at exit included, fails the test.
    ((ctl_rc == 0)) || { echo "FAIL: the controller exited with status $ctl_rc"; status=1; }
  fi
  for p in ovs-vswitchd ovsdb-server; do
    [[ -f $dir/$p.pid ]] && kill "$(cat "$dir/$p.pid")" 2>/dev/null
  done
  sleep 0.2
  for p in ovs-vswitchd ovsdb-server; do
    [[ -f $dir/$p.pid ]] && kill -9 "$(cat "$dir/$p.pid")" 2>/dev/null
  done
  for h in "${hosts[@]}"; do ip netns del "${tag}h$h" 2>/dev/null; done
  ip netns del "$ns" 2>/dev/null
  if grep -q "Sanitizer\|runtime error" "$dir/controller.log" 2>/dev/null; then
    echo "FAIL: a sanitizer report in the controller's log"; status=1
  fi
  if ((rc)) || ((status)); then
    echo "--- controller log (last 40 lines)"; tail -40 "$dir/controller.log" 2>/dev/null
  fi
  if [[ ${KEEP_LOGS:-} ]]; then echo "logs kept in $dir"; else rm -rf "$dir"; fi
  ((status)) && exit 1
  exit $rc
}
trap ovs_cleanup EXIT

ovs_start() {
  ip netns add "$ns"
  in_ns ip link set lo up
  export OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir
  ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  in_ns ovsdb-server "$dir/conf.db" --remote=punix:"$dir/db.sock" --pidfile="$dir/ovsdb-server.pid" \
    --log-file="$dir/ovsdb-server.log" --detach --no-chdir 2>>"$dir/ovs.stderr"
  vsctl --no-wait init
  in_ns ovs-vswitchd unix:"$dir/db.sock" --pidfile="$dir/ovs-vswitchd.pid" --log-file="$dir/ovs-vswitchd.log" \
    --detach --no-chdir 2>>"$dir/ovs.stderr"
}

ctl_start() {
  local port=$1; shift
  local cmd=("${@//\{port\}/$port}")
  # Not through in_ns: $! must be the controller itself (ip netns exec
  # execs the command), so that cleanup can stop it.
  ip netns exec "$ns" "${cmd[@]}" >"$dir/controller.log" 2>&1 &
  ctl_pid=$!
  for _ in $(seq 50); do
    in_ns bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && return 0
    kill -0 "$ctl_pid" 2>/dev/null || { echo "FAIL: controller exited"; exit 1; }
    sleep 0.1
  done
  echo "FAIL: the controller does not listen on $port"; exit 1
}

bridge_add() {
  vsctl add-br s1 -- set bridge s1 datapath_type=netdev fail_mode=secure protocols="$ovs_of" \
    other-config:datapath-id=0000000000000001
  [[ $(vsctl get interface s1 ofport) == 65534 ]] || { echo "FAIL: bridge s1 did not come up"; exit 1; }
  vsctl set-controller s1 "tcp:127.0.0.1:$1"
}

host_add() {
  local h=$1 hn=${tag}h$1
  ip netns add "$hn"
  hosts+=("$h")
  in_ns ip link add "h$h-eth0" type veth peer name "s1-eth$h"
  in_ns ethtool -K "s1-eth$h" tx off >/dev/null 2>&1 || true
  in_ns ip link set "h$h-eth0" netns "$hn"
  in_host "$h" ip link set lo up
  # No IPv6: its neighbour and router messages would move the counters
  # the tests compare.
  in_host "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  in_host "$h" sysctl -qw "net.ipv6.conf.h$h-eth0.disable_ipv6=1"
  in_host "$h" ip link set "h$h-eth0" address "00:00:00:00:00:0$h"
  in_host "$h" ip addr add "10.0.0.$h/24" dev "h$h-eth0"
  in_host "$h" ethtool -K "h$h-eth0" tx off >/dev/null 2>&1 || true
  in_host "$h" ip link set "h$h-eth0" up
  in_ns ip link set "s1-eth$h" up
  vsctl add-port s1 "s1-eth$h" -- set interface "s1-eth$h" ofport_request="$h"
}

bridge_wait_connected() {
  for _ in $(seq 100); do
    grep -q "connected$" "$dir/ovs-vswitchd.log" && return 0
    sleep 0.1
  done
  echo "FAIL: s1 did not connect to the controller"; exit 1
}

source "$(dirname "${BASH_SOURCE[0]}")/line3.sh"
