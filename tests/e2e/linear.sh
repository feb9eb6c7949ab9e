#!/usr/bin/env bash
# End to end with a real switch: Open vSwitch (userspace datapath) with 3
# bridges in a line, a host (network namespace) on each, a controller, and a
# ping between every pair of hosts. Everything runs inside a network
# namespace this script creates (the controller listens on its loopback);
# every process is stopped and every namespace deleted on exit.
#
#   tests/e2e/linear.sh --of 13 --expect pass -- build/ken-manager --ofp-tcp-listen-port {port} simple_switch_13
#   tests/e2e/linear.sh --of 10 --expect fail            # no controller: pings must fail
#
# {port} in the controller command is replaced by the port the switches use.
set -euo pipefail

of=13 expect=pass port=16653 ctl=()
while (($#)); do
  case $1 in
    --of) of=$2; shift 2 ;;
    --expect) expect=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --) shift; ctl=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "linear.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
case $of in 10) proto=OpenFlow10 ;; 12) proto=OpenFlow12 ;; 13) proto=OpenFlow13 ;; 14) proto=OpenFlow14 ;; 15) proto=OpenFlow15 ;;
  *) echo "linear.sh: --of takes 10, 12, 13, 14 or 15" >&2; exit 2 ;; esac
[[ $expect == pass || $expect == fail ]] || { echo "linear.sh: --expect pass|fail" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "SKIP: needs root for network namespaces"; exit 77; }
for t in ovsdb-server ovs-vswitchd ovs-vsctl ip ping ethtool; do
  command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done

tag=ken$$
ns=${tag}sw
dir=$(mktemp -d /tmp/ken-e2e.XXXXXX)
ctl_pid=
in_ns() { ip netns exec "$ns" "$@"; }
vsctl() { in_ns ovs-vsctl --db=unix:"$dir/db.sock" --timeout=10 "$@"; }

status=0
cleanup() {
  local rc=$?
  set +e
  if [[ -n $ctl_pid ]]; then # TERM, then KILL after 5 s: never leave a controller behind
    kill "$ctl_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$ctl_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$ctl_pid" 2>/dev/null; then
      echo "FAIL: the controller ignored SIGTERM for 5 s"; kill -9 "$ctl_pid"; status=1
    fi
    wait "$ctl_pid" 2>/dev/null
  fi
  for p in ovs-vswitchd ovsdb-server; do
    [[ -f $dir/$p.pid ]] && kill "$(cat "$dir/$p.pid")" 2>/dev/null
  done
  sleep 0.2
  for p in ovs-vswitchd ovsdb-server; do
    [[ -f $dir/$p.pid ]] && kill -9 "$(cat "$dir/$p.pid")" 2>/dev/null
  done
  for h in 1 2 3; do ip netns del "${tag}h$h" 2>/dev/null; done
  ip netns del "$ns" 2>/dev/null
  if [[ ${KEEP_LOGS:-} ]]; then echo "logs kept in $dir"; else rm -rf "$dir"; fi
  ((status)) && exit 1
  exit $rc
}
trap cleanup EXIT

ip netns add "$ns"
in_ns ip link set lo up
export OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir
ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema
in_ns ovsdb-server "$dir/conf.db" --remote=punix:"$dir/db.sock" --pidfile="$dir/ovsdb-server.pid" \
  --log-file="$dir/ovsdb-server.log" --detach --no-chdir 2>>"$dir/ovs.stderr"
vsctl --no-wait init
in_ns ovs-vswitchd unix:"$dir/db.sock" --pidfile="$dir/ovs-vswitchd.pid" --log-file="$dir/ovs-vswitchd.log" \
  --detach --no-chdir 2>>"$dir/ovs.stderr"

# Controller first, so the switches find it listening.
if ((${#ctl[@]})); then
  cmd=("${ctl[@]//\{port\}/$port}")
  # Not through in_ns: $! must be the controller itself (ip netns exec
  # execs the command), so that cleanup can stop it.
  ip netns exec "$ns" "${cmd[@]}" >"$dir/controller.log" 2>&1 &
  ctl_pid=$!
  for _ in $(seq 50); do
    in_ns bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && break
    kill -0 "$ctl_pid" 2>/dev/null || { echo "FAIL: controller exited:"; tail -20 "$dir/controller.log"; exit 1; }
    sleep 0.1
  done
fi

# s1 - s2 - s3, host hK on sK port 1; links on ports 2 and 3.
for s in 1 2 3; do
  vsctl add-br "s$s" -- set bridge "s$s" datapath_type=netdev fail_mode=secure protocols="$proto" \
    other-config:datapath-id=000000000000000$s
  [[ $(vsctl get interface "s$s" ofport) == 65534 ]] || { echo "FAIL: bridge s$s did not come up"; exit 1; }
done
veth() { # veth A (in netns NA or switch ns) <-> B
  in_ns ip link add "$1" type veth peer name "$2"
  in_ns ethtool -K "$1" tx off >/dev/null 2>&1 || true
  in_ns ethtool -K "$2" tx off >/dev/null 2>&1 || true
}
for h in 1 2 3; do
  hn=${tag}h$h
  ip netns add "$hn"
  veth "h${h}-eth0" "s${h}-eth1"
  in_ns ip link set "h${h}-eth0" netns "$hn"
  ip netns exec "$hn" ip link set lo up
  ip netns exec "$hn" ip link set "h${h}-eth0" address "00:00:00:00:00:0$h"
  ip netns exec "$hn" ip addr add "10.0.0.$h/24" dev "h${h}-eth0"
  ip netns exec "$hn" ip link set "h${h}-eth0" up
  ip netns exec "$hn" ethtool -K "h${h}-eth0" tx off >/dev/null 2>&1 || true
  in_ns ip link set "s${h}-eth1" up
  vsctl add-port "s$h" "s${h}-eth1" -- set interface "s${h}-eth1" ofport_request=1
done
veth s1-eth2 s2-eth2; veth s2-eth3 s3-eth2
for i in s1-eth2 s2-eth2 s2-eth3 s3-eth2; do in_ns ip link set "$i" up; done
vsctl add-port s1 s1-eth2 -- set interface s1-eth2 ofport_request=2
vsctl add-port s2 s2-eth2 -- set interface s2-eth2 ofport_request=2
vsctl add-port s2 s2-eth3 -- set interface s2-eth3 ofport_request=3
vsctl add-port s3 s3-eth2 -- set interface s3-eth2 ofport_request=2
for s in 1 2 3; do vsctl set-controller "s$s" "tcp:127.0.0.1:$port"; done

if ((${#ctl[@]})); then # wait until all three switches are connected
  for _ in $(seq 100); do
    n=$(grep -c "connected$" "$dir/ovs-vswitchd.log" || true)
    ((n >= 3)) && break
    sleep 0.1
  done
  ((n >= 3)) || { echo "FAIL: only $n of 3 switches connected"; tail -20 "$dir/controller.log"; exit 1; }
fi

ok=0 bad=0
for a in 1 2 3; do for b in 1 2 3; do
  [[ $a == "$b" ]] && continue
  if ip netns exec "${tag}h$a" ping -c 1 -W 1 "10.0.0.$b" >/dev/null 2>&1 ||
     ip netns exec "${tag}h$a" ping -c 2 -W 1 "10.0.0.$b" >/dev/null 2>&1; then
    ok=$((ok + 1)); echo "  h$a -> h$b: reply"
  else
    bad=$((bad + 1)); echo "  h$a -> h$b: no reply"
  fi
done; done
who="no controller"
((${#ctl[@]})) && who="controller ${ctl[*]}"
echo "OpenFlow ${of:0:1}.${of:1:1}, $who: $ok of 6 pings answered"
if [[ $expect == pass ]]; then
  ((bad == 0)) || { echo "FAIL: expected every ping to be answered"; tail -20 "$dir/controller.log" 2>/dev/null; exit 1; }
  in_ns ovs-ofctl -O "$proto" dump-flows s1 | head -5
else
  ((ok == 0)) || { echo "FAIL: expected no ping to be answered"; exit 1; }
fi
echo PASS
