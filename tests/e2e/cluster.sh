#!/usr/bin/env bash
# Three ken-manager instances with simple_switch_13 in one cluster (etcd
# started here, on loopback), Open vSwitch bridges s1 - s2 - s3 each
# connected to all three (issue 12). Checks:
#   - every switch has exactly one master (OVS's view), masters spread one
#     per instance, GET /v1.0/cluster agrees; hosts ping;
#   - kill -9 the master of s2: every switch again has exactly one master
#     (a live one), pings go on;
#   - SIGTERM another master: it exits 0, the same;
#   - both restarted: they join as SLAVE, and balancing gives each of them
#     a switch back; pings go on;
#   - etcd silent (SIGSTOP): every master steps down, installed flows keep
#     forwarding; etcd back: one master per switch again;
#   - etcd restarted: the same;
#   - one instance cut off from etcd alone (a TCP proxy stopped): it steps
#     down before another becomes master of its switch, and joins again.
#
#   tests/e2e/cluster.sh BASEPORT build/ken-manager
#
# BASEPORT: etcd's client port (+1 peer), OpenFlow +10..12, REST +20..22.
# Bounds are generous (sanitizer builds, a loaded machine): timings are
# bench/cluster_failover.sh's.
set -euo pipefail
base=$1 manager=$2
source "$(dirname "$0")/cluster-env.sh"

check() { python3 "$(dirname "$0")/cluster_check.py" "$@"; }

ping_all() {
  local a b
  for a in 1 2 3; do for b in 1 2 3; do
    [[ $a == "$b" ]] && continue
    in_host "$a" ping -c 1 -W 2 "10.0.0.$b" >/dev/null 2>&1 || in_host "$a" ping -c 3 -W 2 "10.0.0.$b" >/dev/null 2>&1 ||
      { echo "FAIL: h$a cannot ping h$b $*"; exit 1; }
  done; done
  echo "  pings $*: ok"
}

# Until each live instance in $@ masters exactly one switch (3 switches,
# 3 members: the fair share is one).
wait_balanced() {
  local until=$((SECONDS + $1)); shift
  local all
  while ((SECONDS <= until)); do
    all="$(cl_masters 1) $(cl_masters 2) $(cl_masters 3)"
    [[ $(tr ' ' '\n' <<<"$all" | grep -c .) == 3 ]] && [[ $(tr ' ' '\n' <<<"$all" | sort -u | grep -c .) == 3 ]] &&
      return 0
    sleep 0.2
  done
  echo "FAIL: masters not spread one per instance: s1 [$(cl_masters 1)] s2 [$(cl_masters 2)] s3 [$(cl_masters 3)]"
  exit 1
}

# one_master WHEN LIVE...: until each switch has exactly one master, one
# of the live instances (OVS updates its database's role column a moment
# after the role changes: a dead master stays listed for a while).
one_master() {
  local when=$1; shift
  local until=$((SECONDS + 30)) s m ok
  while :; do
    ok=1
    for s in 1 2 3; do
      m=$(cl_masters "$s")
      [[ -n $m && $m != *" "* && " $* " == *" $m "* ]] || ok=0
    done
    ((ok)) && break
    ((SECONDS <= until)) || {
      echo "FAIL: not exactly one live master per switch $when: s1 [$(cl_masters 1)] s2 [$(cl_masters 2)] s3 [$(cl_masters 3)]"
      exit 1
    }
    sleep 0.1
  done
  echo "  one master per switch $when: s1 k$(cl_masters 1), s2 k$(cl_masters 2), s3 k$(cl_masters 3)"
}

echo "starting etcd, Open vSwitch and three instances"
cl_setup "$manager" "$base" simple_switch_13 rest
for i in 0 1 2; do cl_start "$i"; done

one_master "at start" 0 1 2
wait_balanced 30
echo "  balanced: one switch per instance"
body=$(cl_rest 0 /v1.0/cluster) || { echo "FAIL: GET /v1.0/cluster"; exit 1; }
check status "$(cl_masters 1)" "$(cl_masters 2)" "$(cl_masters 3)" <<<"$body" ||
  { echo "FAIL: GET /v1.0/cluster: $body"; exit 1; }
echo "  GET /v1.0/cluster: ok"
ping_all "at start"

# kill -9 the master of s2.
x=$(cl_masters 2)
echo "kill -9 k$x (master of s2)"
cl_kill "$x" KILL
live=(); for i in 0 1 2; do [[ $i == "$x" ]] || live+=("$i"); done
one_master "after kill -9" "${live[@]}"
ping_all "after kill -9"

# SIGTERM another master (of s2 now: a live one).
y=$(cl_masters 2)
echo "SIGTERM k$y (master of s2 now)"
cl_kill "$y" TERM
grep -q "lease revoked" "$dir/ken$y.log" || { echo "FAIL: k$y did not revoke its lease"; exit 1; }
z=; for i in "${live[@]}"; do [[ $i == "$y" ]] || z=$i; done
one_master "after SIGTERM" "$z"
ping_all "after SIGTERM"

# Both back: they join as slaves, then get one switch each.
echo "restarting k$x and k$y"
lines_x=$(wc -l <"$dir/ken$x.log") lines_y=$(wc -l <"$dir/ken$y.log")
cl_start "$x"
cl_start "$y"
wait_balanced 60
for i in "$x" "$y"; do
  n=$([[ $i == "$x" ]] && echo "$lines_x" || echo "$lines_y")
  # It found the switches mastered: SLAVE of at least two of them (the
  # first switch balancing gives back may already be free when it looks).
  slaves=$(tail -n +"$((n + 1))" "$dir/ken$i.log" | grep -o "datapath [0-9a-f]*: role slave" | sort -u | wc -l)
  ((slaves >= 2)) || { echo "FAIL: k$i was SLAVE of $slaves switches after the restart"; exit 1; }
done
echo "  the restarted instances joined as slaves and were given a switch each"
one_master "after the restarts" 0 1 2
ping_all "after the restarts"
body=$(cl_rest "$x" /v1.0/cluster) || { echo "FAIL: GET /v1.0/cluster from k$x"; exit 1; }
check status "$(cl_masters 1)" "$(cl_masters 2)" "$(cl_masters 3)" <<<"$body" ||
  { echo "FAIL: GET /v1.0/cluster: $body"; exit 1; }
echo "  GET /v1.0/cluster from k$x: ok"

# etcd stops answering (SIGSTOP): every master steps down (before its
# lease could have expired), the flows stay; then it answers again.
echo "etcd stopped (SIGSTOP) for 3 s"
kill -STOP "$etcd_pid"
sleep 3
for i in 0 1 2; do
  grep -q "stepping down to SLAVE on [0-9]* switch(es): etcd does not answer" "$dir/ken$i.log" ||
    { echo "FAIL: k$i did not step down with etcd silent"; kill -CONT "$etcd_pid"; exit 1; }
done
echo "  every master stepped down"
in_host 1 ping -c 3 -W 2 10.0.0.3 >/dev/null 2>&1 || { echo "FAIL: h1 -> h3 with etcd silent"; kill -CONT "$etcd_pid"; exit 1; }
echo "  h1 -> h3 on the installed flows: ok"
kill -CONT "$etcd_pid"
wait_balanced 60
one_master "after etcd answers again" 0 1 2
ping_all "after etcd answers again"

# An etcd restart (its data kept).
echo "restarting etcd"
kill "$etcd_pid"; wait "$etcd_pid" 2>/dev/null || true
cl_etcd_start
wait_balanced 60
one_master "after the etcd restart" 0 1 2
ping_all "after the etcd restart"
for i in 0 1 2; do kill -0 "${cl_pids[$i]}" || { echo "FAIL: k$i exited"; exit 1; }; done

# One instance cut off from etcd while the others are not: k0 reaches etcd
# through a TCP proxy, which stops (SIGSTOP). k0 steps down before its
# lease can expire; after it expires the others take k0's switch; the
# proxy back, k0 joins again and is given a switch back.
echo "k0 cut off from etcd alone (its etcd traffic through a proxy, stopped)"
cl_kill 0 TERM
proxy=$((base + 5))
ip netns exec "$ns" python3 "$(dirname "$0")/tcp_proxy.py" "$proxy" "$base" &
proxy_pid=$!
cl_extra_pids+=("$proxy_pid")
for _ in $(seq 50); do in_ns bash -c "exec 3<>/dev/tcp/127.0.0.1/$proxy" 2>/dev/null && break; sleep 0.1; done
mark0=$(wc -l <"$dir/ken0.log")
cl_start 0 --cluster-etcd "http://127.0.0.1:$proxy"
# OVS's role column lags: k0's own log says when balancing gave it a switch.
until=$((SECONDS + 60))
until tail -n +"$((mark0 + 1))" "$dir/ken0.log" | grep -q ": role master"; do
  ((SECONDS <= until)) || { echo "FAIL: k0 behind the proxy was given no switch"; exit 1; }
  sleep 0.1
done
s0=$(tail -n +"$((mark0 + 1))" "$dir/ken0.log" | grep -m1 -o "datapath 000000000000000[123]: role master" | cut -c25)
until=$((SECONDS + 30))
until [[ $(cl_masters "$s0") == 0 ]]; do
  ((SECONDS <= until)) || { echo "FAIL: OVS does not show k0 as master of s$s0"; exit 1; }
  sleep 0.1
done
wait_balanced 60
one_master "with k0 behind the proxy" 0 1 2
mark0=$(wc -l <"$dir/ken0.log") mark1=$(wc -l <"$dir/ken1.log") mark2=$(wc -l <"$dir/ken2.log")
kill -STOP "$proxy_pid"
one_master "with k0 cut off" 1 2
down=$(tail -n +"$((mark0 + 1))" "$dir/ken0.log" | grep -m1 "stepping down to SLAVE on [0-9]* switch(es): etcd does not answer" || true)
[[ -n $down ]] || { echo "FAIL: k0 did not step down when cut off"; exit 1; }
up=$( (tail -n +"$((mark1 + 1))" "$dir/ken1.log"; tail -n +"$((mark2 + 1))" "$dir/ken2.log") |
  grep "datapath 000000000000000$s0: role master" | sort | head -1)
[[ -n $up ]] || { echo "FAIL: no new master of s$s0 logged"; exit 1; }
echo "  k0: ${down:11:12} ${down##*: }"
echo "  s$s0's new master: ${up:11:12}"
[[ ${down:0:23} < ${up:0:23} ]] || { echo "FAIL: k0 stepped down after another instance became master of s$s0"; exit 1; }
echo "  k0 stepped down before another instance became master of s$s0"
ping_all "with k0 cut off"
kill -CONT "$proxy_pid"
wait_balanced 60
one_master "with k0 back" 0 1 2
tail -n +"$((mark0 + 1))" "$dir/ken0.log" | grep -q "lease expired: joining again\|joined cluster 'e2e' again" ||
  { echo "FAIL: k0 did not join again"; exit 1; }
ping_all "with k0 back"
echo PASS
