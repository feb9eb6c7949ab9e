# Sourced by tests/e2e/cluster.sh and bench/cluster_failover.sh: a cluster
# of ken-manager instances for a line of 3 Open vSwitch bridges (userspace
# datapath, s1 - s2 - s3, host hN on port 1 of sN), every bridge connected
# to every instance, and etcd, all in a network namespace of their own
# (loopback only). Everything started here is stopped, and every namespace
# deleted, on exit.
#
#   cl_setup MANAGER BASEPORT [APP...]   # etcd on BASEPORT(+1 peer), OVS, the bridges, the hosts
#   cl_start I [OPTION...]               # instance I (0..2): OpenFlow on BASEPORT+10+I, REST BASEPORT+20+I
#   cl_kill I SIGNAL                     # signals instance I, waits for it to exit
#   cl_masters N                         # the instances (0..2) master of sN, per OVS (connected ones)
#   cl_wait_one_master SECONDS           # until each bridge has exactly one master
#   cl_rest I PATH                       # GET from instance I's REST server
#   in_host N CMD...                     # CMD in host hN's namespace
#
# Needs root and OVS: otherwise SKIP (exit 77); etcd missing is a failure.
set -euo pipefail

[[ $(id -u) -eq 0 ]] || { echo "SKIP: needs root for network namespaces"; exit 77; }
for t in ovsdb-server ovs-vswitchd ovs-vsctl ip ping ethtool python3 curl; do
  command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
# etcd is ken's own dependency (scripts/install-deps.sh): missing, a failure.
command -v etcd >/dev/null || { echo "FAIL: etcd not installed (Debian etcd-server, scripts/install-deps.sh)"; exit 1; }

tag=kcl$$
ns=${tag}sw
dir=$(mktemp -d /tmp/ken-cluster.XXXXXX)
cl_pids=("" "" "")
cl_extra_pids=()   # helpers (a proxy): SIGCONT, then SIGTERM at exit
cl_manager=
cl_base=
cl_apps=()
etcd_pid=
in_ns() { ip netns exec "$ns" "$@"; }
vsctl() { in_ns ovs-vsctl --db=unix:"$dir/db.sock" --timeout=10 "$@"; }
in_host() { local h=$1; shift; ip netns exec "${tag}h$h" "$@"; }
cl_status=0
hosts=()
source "$(dirname "${BASH_SOURCE[0]}")/line3.sh"

cl_cleanup() {
  local rc=$?
  set +e
  for i in 0 1 2; do
    local p=${cl_pids[$i]}
    [[ -n $p ]] || continue
    kill "$p" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$p" 2>/dev/null; then
      echo "FAIL: instance $i ignored SIGTERM for 5 s"; kill -9 "$p"; cl_status=1
    fi
    wait "$p" 2>/dev/null
    local r=$?
    ((r == 0)) || { echo "FAIL: instance $i exited with status $r"; cl_status=1; }
  done
  for p in "${cl_extra_pids[@]}"; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  [[ -n $etcd_pid ]] && { kill -CONT "$etcd_pid" 2>/dev/null; kill "$etcd_pid" 2>/dev/null; wait "$etcd_pid" 2>/dev/null; }
  for p in ovs-vswitchd ovsdb-server; do
    [[ -f $dir/$p.pid ]] && kill "$(cat "$dir/$p.pid")" 2>/dev/null
  done
  sleep 0.2
  for p in ovs-vswitchd ovsdb-server; do
    [[ -f $dir/$p.pid ]] && kill -9 "$(cat "$dir/$p.pid")" 2>/dev/null
  done
  for h in 1 2 3; do ip netns del "${tag}h$h" 2>/dev/null; done
  ip netns del "$ns" 2>/dev/null
  if grep -q "Sanitizer\|runtime error" "$dir"/ken*.log 2>/dev/null; then
    echo "FAIL: a sanitizer report in an instance's log"; cl_status=1
  fi
  if ((rc)) || ((cl_status)); then
    for f in "$dir"/ken*.log; do echo "--- $f (last 30 lines)"; tail -30 "$f"; done
  fi
  if [[ ${KEEP_LOGS:-} ]]; then echo "logs kept in $dir"; else rm -rf "$dir"; fi
  ((cl_status)) && exit 1
  exit $rc
}
trap cl_cleanup EXIT

cl_etcd_url() { echo "http://127.0.0.1:$cl_base"; }

# etcd tuned for a fast failover: heartbeat 50 ms, election 250 ms (its
# smallest lease TTL is then 1 s, see docs/cluster.md), unless CL_ETCD_ARGS
# says otherwise ("" for etcd's defaults); data in $dir.
CL_ETCD_ARGS=${CL_ETCD_ARGS-"--heartbeat-interval 50 --election-timeout 250"}
cl_etcd_start() {
  ip netns exec "$ns" etcd --name k --data-dir "$dir/etcd" \
    --listen-client-urls "$(cl_etcd_url)" --advertise-client-urls "$(cl_etcd_url)" \
    --listen-peer-urls "http://127.0.0.1:$((cl_base + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((cl_base + 1))" \
    --initial-cluster "k=http://127.0.0.1:$((cl_base + 1))" \
    $CL_ETCD_ARGS >>"$dir/etcd.log" 2>&1 &
  etcd_pid=$!
  for _ in $(seq 100); do
    in_ns curl -sf --max-time 1 "$(cl_etcd_url)/health" 2>/dev/null | grep -q true && return 0
    kill -0 "$etcd_pid" 2>/dev/null || { echo "FAIL: etcd exited"; tail "$dir/etcd.log"; exit 1; }
    sleep 0.1
  done
  echo "FAIL: etcd does not answer"; exit 1
}

cl_setup() {
  cl_manager=$1 cl_base=$2; shift 2
  cl_apps=("$@")
  ip netns add "$ns"
  in_ns ip link set lo up
  cl_etcd_start
  export OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir
  ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  in_ns ovsdb-server "$dir/conf.db" --remote=punix:"$dir/db.sock" --pidfile="$dir/ovsdb-server.pid" \
    --log-file="$dir/ovsdb-server.log" --detach --no-chdir 2>>"$dir/ovs.stderr"
  vsctl --no-wait init
  in_ns ovs-vswitchd unix:"$dir/db.sock" --pidfile="$dir/ovs-vswitchd.pid" --log-file="$dir/ovs-vswitchd.log" \
    --detach --no-chdir 2>>"$dir/ovs.stderr"
  line3_build OpenFlow13 no-ipv6
  local targets=()
  for i in 0 1 2; do targets+=("tcp:127.0.0.1:$((cl_base + 10 + i))"); done
  # OVS's inactivity probe and reconnection backoff kept short: a dead
  # instance's connection goes quickly, a restarted one is found again soon.
  for s in 1 2 3; do vsctl set-controller "s$s" "${targets[@]}"; done
  for c in $(vsctl --bare --columns=_uuid list controller); do
    vsctl set controller "$c" max_backoff=1000
  done
}

# cl_start I [OPTION...]: instance I, named kI, logging to $dir/kenI.log.
cl_start() {
  local i=$1; shift
  local port=$((cl_base + 10 + i)) http=$((cl_base + 20 + i))
  ip netns exec "$ns" "$cl_manager" --ofp-tcp-listen-port "$port" --ofp-listen-host 127.0.0.1 \
    --wsapi-host 127.0.0.1 --wsapi-port "$http" \
    --cluster-etcd "$(cl_etcd_url)" --cluster-name e2e --cluster-node-id "k$i" "$@" "${cl_apps[@]}" \
    >>"$dir/ken$i.log" 2>&1 &
  cl_pids[$i]=$!
  for _ in $(seq 100); do
    in_ns bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && return 0
    kill -0 "${cl_pids[$i]}" 2>/dev/null || { echo "FAIL: instance $i exited"; tail "$dir/ken$i.log"; exit 1; }
    sleep 0.1
  done
  echo "FAIL: instance $i does not listen on $port"; exit 1
}

# cl_kill I SIGNAL: the instance ends; a SIGTERM must end it with status 0.
cl_kill() {
  local i=$1 sig=$2 p=${cl_pids[$1]}
  kill -"$sig" "$p"
  local r=0
  wait "$p" 2>/dev/null || r=$?
  cl_pids[$i]=
  if [[ $sig == TERM ]] && ((r != 0)); then echo "FAIL: instance $i exited with status $r on SIGTERM"; exit 1; fi
  return 0
}

# The instances whose connection to sN OVS reports as master.
cl_masters() {
  local s=$1 out=() c
  for c in $(vsctl get bridge "s$s" controller | tr -d '[],'); do
    local row
    row=$(vsctl --bare --columns=target,role,is_connected list controller "$c" | tr '\n' ' ')
    if [[ $row == *" master "*"true"* ]]; then
      local port=${row%% *}; port=${port##*:}
      out+=("$((port - cl_base - 10))")
    fi
  done
  echo "${out[*]:-}"
}

# Until each of s1..s3 has exactly one master (a connected one).
cl_wait_one_master() {
  local until=$((SECONDS + $1)) s ok m
  while ((SECONDS <= until)); do
    ok=1
    for s in 1 2 3; do
      m=$(cl_masters "$s")
      [[ -n $m && $m != *" "* ]] || ok=0
    done
    ((ok)) && return 0
    sleep 0.1
  done
  for s in 1 2 3; do echo "  s$s masters: [$(cl_masters "$s")]"; done
  return 1
}

cl_rest() { in_ns curl -sf --max-time 5 "http://127.0.0.1:$((cl_base + 20 + $1))$2"; }
