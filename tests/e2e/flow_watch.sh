#!/usr/bin/env bash
# flow_watch_13 against Open vSwitch: the ICMP flow it installs (idle
# timeout, SEND_FLOW_REM) carries a few pings and then expires; the
# flow-removed message it logs must carry the cookie, priority and idle
# timeout it installed and the counters OVS showed just before the flow
# went. The experimenter message it sends for an unknown experimenter must
# come back as the error OpenFlow 1.3 defines for it, carrying the start of
# that very message.
#
#   tests/e2e/flow_watch.sh PORT build/ken-manager
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=$1 manager=$2
source "$here/ovs-env.sh"

ovs_start
ctl_start "$port" "$manager" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$port" flow_watch_13
bridge_add "$port"
host_add 1
host_add 2
# Only the ICMP flow forwards: no ARP, so each host knows the other's address.
in_host 1 ip neigh add 10.0.0.2 lladdr 00:00:00:00:00:02 dev h1-eth0
in_host 2 ip neigh add 10.0.0.1 lladdr 00:00:00:00:00:01 dev h2-eth0
bridge_wait_connected

# The flow idles out 5 s after its last packet: ping as soon as it is there.
for _ in $(seq 50); do
  ofctl dump-flows | grep -q "cookie=0x6b656e" && break
  sleep 0.1
done
in_host 1 ping -c 3 -i 0.2 -W 1 10.0.0.2 >/dev/null || { echo "FAIL: h1 cannot ping h2 through the ICMP flow"; exit 1; }
# OVS moves a datapath flow's counters to its OpenFlow flow every half a
# second or so: wait for them, still well within the idle timeout.
sleep 1.5
flow=$(ofctl dump-flows | grep "cookie=0x6b656e") || { echo "FAIL: the ICMP flow expired before it could be read"; exit 1; }
echo "OVS:  $flow"
packets=$(sed -n 's/.*n_packets=\([0-9]*\).*/\1/p' <<<"$flow")
bytes=$(sed -n 's/.*n_bytes=\([0-9]*\).*/\1/p' <<<"$flow")
((packets == 6)) || { echo "FAIL: OVS counted $packets ICMP packets, expected 3 requests and 3 replies"; exit 1; }

for _ in $(seq 100); do
  grep -q "flow removed:" "$dir/controller.log" && break
  sleep 0.1
done
removed=$(grep "flow removed:" "$dir/controller.log") || { echo "FAIL: no flow-removed message within 10 s"; exit 1; }
echo "ken:  ${removed#* INFO }"
want="flow removed: dpid=0000000000000001 cookie=0x6b656e priority=100 reason=IDLE TIMEOUT table_id=0 duration_sec="
[[ $removed == *"$want"* ]] || { echo "FAIL: expected '$want...'"; exit 1; }
want="idle_timeout=5 hard_timeout=0 packet_count=$packets byte_count=$bytes"
[[ $removed == *"$want" ]] || { echo "FAIL: expected '...$want'"; exit 1; }

error=$(grep "error: " "$dir/controller.log") || { echo "FAIL: no error message logged"; exit 1; }
echo "ken:  ${error#* INFO }"
# OpenFlow 1.3: OFPET_BAD_REQUEST (1), OFPBRC_BAD_EXPERIMENTER (3).
[[ $error == *"error: dpid=0000000000000001 type=0x1 code=0x3 xid="* ]] ||
  { echo "FAIL: expected type 0x1 (BAD_REQUEST), code 0x3 (BAD_EXPERIMENTER)"; exit 1; }
# The data is the start of the offending message: an OpenFlow 1.3
# experimenter message (version 4, type 4) of the error's xid, for
# experimenter 0x00ffffff, which OVS itself refuses when it reads it
# (OFPBRC_BAD_VENDOR is OVS's name for OFPBRC_BAD_EXPERIMENTER).
xid=$(sed -n 's/.* xid=0x\([0-9a-f]*\) .*/\1/p' <<<"$error")
data=$(sed -n 's/.* data=\([0-9a-f]*\)$/\1/p' <<<"$error")
[[ ${data:0:4} == 0404 && ${data:8:8} == $(printf %08x "0x$xid") && ${data:16:8} == 00ffffff ]] ||
  { echo "FAIL: the error's data $data is not the experimenter message of xid 0x$xid"; exit 1; }
printed=$(ovs-ofctl ofp-print "$data" 2>&1 || true)
[[ $printed == *"decode error: OFPBRC_BAD_VENDOR"* ]] ||
  { echo "FAIL: OVS reads the refused message otherwise: $printed"; exit 1; }
echo PASS
