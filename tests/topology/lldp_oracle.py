#!/usr/bin/env python3
"""ken's LLDP frame against OS-Ken's (Debian's python3-os-ken):
os_ken.topology.switches.LLDPPacket.lldp_packet for the same dpid, port
and MAC gives the same bytes, and the frame length (the 1.0 flow's
max_len) is Switches.LLDP_PACKET_LEN. Also OS-Ken's parser reads ken's
frame back. Skips (77) when OS-Ken is not installed.

    lldp_oracle.py build/tests/topology/lldp-frame
"""
import subprocess
import sys

sys.path.insert(0, '/usr/lib/python3/dist-packages')
try:
    from os_ken.topology.switches import LLDPPacket, Switches
except Exception as e:  # not installed, or its dependencies missing
    print('SKIP: OS-Ken not importable: %s' % e)
    sys.exit(77)

tool = sys.argv[1]
cases = [
    (0, 0, '00:00:00:00:00:00'),
    (1, 1, '00:00:00:00:00:01'),
    (0x1122334455667788, 0x12345678, '00:11:22:33:44:55'),
    (0xffffffffffffffff, 0xfffffffe, 'ff:ff:ff:ff:ff:ff'),
    (0x00000000000000ab, 0xff00, 'aa:bb:cc:dd:ee:ff'),
    (42, 65534, '02:00:00:00:00:2a'),
]
bad = 0
for dpid, port, mac in cases:
    want = LLDPPacket.lldp_packet(dpid, port, mac, Switches.DEFAULT_TTL).hex()
    got = subprocess.run([tool, str(dpid), str(port), mac], check=True, capture_output=True,
                         text=True).stdout.strip()
    back = LLDPPacket.lldp_parse(bytes.fromhex(got))
    if got != want or back != (dpid, port):
        print('FAIL: dpid %x port %x mac %s\n  ken    %s\n  OS-Ken %s\n  parsed %r' % (dpid, port, mac, got, want, back))
        bad += 1
    else:
        print('ok: dpid %016x port %08x mac %s: %d bytes' % (dpid, port, mac, len(want) // 2))
n = int(subprocess.run([tool, '--len'], check=True, capture_output=True, text=True).stdout)
if n != Switches.LLDP_PACKET_LEN:
    print('FAIL: KEN_TOPO_LLDP_PACKET_LEN %d, OS-Ken LLDP_PACKET_LEN %d' % (n, Switches.LLDP_PACKET_LEN))
    bad += 1
sys.exit(1 if bad else 0)
