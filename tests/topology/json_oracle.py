#!/usr/bin/env python3
"""ken's topology JSON against OS-Ken's: the same switch, link and host
built with os_ken.topology.switches (Switch, Port, Link, Host) give, from
to_dict(), the same keys in the same order and the same values as ken's
ken_topo_*_to_json (printed by topo-json). Skips (77) without OS-Ken.

    json_oracle.py build/tests/topology/topo-json
"""
import json
import subprocess
import sys
from types import SimpleNamespace as NS

sys.path.insert(0, '/usr/lib/python3/dist-packages')
try:
    from os_ken.topology.switches import Host, Link, Port, Switch
    from os_ken.ofproto import ofproto_v1_3
except Exception as e:
    print('SKIP: OS-Ken not importable: %s' % e)
    sys.exit(77)


def ofpport(dpid, no, name):
    mac = '0a:1b:2c:3d:%02x:%02x' % (dpid & 0xff, no & 0xff)
    return NS(port_no=no, hw_addr=mac, name=name.encode(), config=0, state=0)


sw = Switch(NS(id=0x1234567890abcdef, ofproto=ofproto_v1_3))
for no, name in ((1, 'br0-eth1'), (0xfffffff0, 'x')):
    sw.ports.append(Port(0x1234567890abcdef, ofproto_v1_3, ofpport(0x1234567890abcdef, no, name)))
link = Link(Port(1, ofproto_v1_3, ofpport(1, 2, 's1-eth2')), Port(2, ofproto_v1_3, ofpport(2, 3, 's2-eth3')))
host = Host('00:00:00:00:00:01', Port(1, ofproto_v1_3, ofpport(1, 1, 's1-eth1')))
host.ipv4 = ['10.0.0.1', '192.168.1.254']
host.ipv6 = ['fe80::1', '2001:db8::abcd']
want = [sw.to_dict(), link.to_dict(), host.to_dict()]

out = subprocess.run([sys.argv[1]], check=True, capture_output=True, text=True).stdout.splitlines()
bad = 0
for name, w, line in zip(('switch', 'link', 'host'), want, out):
    g = json.loads(line)
    # json.dumps keeps key order: equal text means equal keys, order and values.
    if json.dumps(g) != json.dumps(w):
        print('FAIL: %s\n  ken    %s\n  OS-Ken %s' % (name, json.dumps(g), json.dumps(w)))
        bad += 1
    else:
        print('ok: %s %s' % (name, json.dumps(g)))
sys.exit(1 if bad or len(out) != 3 else 0)
