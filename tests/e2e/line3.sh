# Sourced by ovs-env.sh and cluster-env.sh, which define in_ns, vsctl,
# in_host, tag and hosts (the host numbers their cleanup deletes):
#
#   line3_build PROTO [no-ipv6]   # s1 - s2 - s3 in a line (dpids 1-3; s1:2-s2:2, s2:3-s3:2),
#                                 # host hN (10.0.0.N, 00:00:00:00:00:0N) on port 1 of sN
#
# Three bridges in a line, speaking PROTO only, each with a host on port 1
# (hosts without IPv6 when the second argument is no-ipv6: its neighbour
# and router messages move counters). The caller sets the controllers.
line3_build() {
  local proto=$1 ipv6=${2:-}
  for s in 1 2 3; do
    vsctl add-br "s$s" -- set bridge "s$s" datapath_type=netdev fail_mode=secure protocols="$proto" \
      other-config:datapath-id=000000000000000$s
  done
  for h in 1 2 3; do
    ip netns add "${tag}h$h"
    hosts+=("$h")
    line3_veth "h${h}-eth0" "s${h}-eth1"
    in_ns ip link set "h${h}-eth0" netns "${tag}h$h"
    in_host "$h" ip link set lo up
    if [[ $ipv6 == no-ipv6 ]]; then
      in_host "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    fi
    in_host "$h" ip link set "h${h}-eth0" address "00:00:00:00:00:0$h"
    in_host "$h" ip addr add "10.0.0.$h/24" dev "h${h}-eth0"
    in_host "$h" ethtool -K "h${h}-eth0" tx off >/dev/null 2>&1 || true
    in_host "$h" ip link set "h${h}-eth0" up
    in_ns ip link set "s${h}-eth1" up
    vsctl add-port "s$h" "s${h}-eth1" -- set interface "s${h}-eth1" ofport_request=1
  done
  line3_veth s1-eth2 s2-eth2
  line3_veth s2-eth3 s3-eth2
  for i in s1-eth2 s2-eth2 s2-eth3 s3-eth2; do in_ns ip link set "$i" up; done
  vsctl add-port s1 s1-eth2 -- set interface s1-eth2 ofport_request=2
  vsctl add-port s2 s2-eth2 -- set interface s2-eth2 ofport_request=2
  vsctl add-port s2 s2-eth3 -- set interface s2-eth3 ofport_request=3
  vsctl add-port s3 s3-eth2 -- set interface s3-eth2 ofport_request=2
}

line3_veth() {
  in_ns ip link add "$1" type veth peer name "$2"
  in_ns ethtool -K "$1" tx off >/dev/null 2>&1 || true
  in_ns ethtool -K "$2" tx off >/dev/null 2>&1 || true
}
