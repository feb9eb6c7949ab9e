#!/usr/bin/env python3
"""Checks a topology REST answer (stdin) for tests/e2e/topology.sh: the
line of three switches (s1:2 - s2:2, s2:3 - s3:2, hosts on port 1), in
Ryu's to_dict shapes key for key. Exits 0 when it holds.

    topology_check.py switches|links|links-after-down|links-timeout|links-of-2|hosts|hosts-v6|hosts-of-2
"""
import json, sys
what = sys.argv[1]
data = json.load(sys.stdin)
def port_ok(p):
    return list(p) == ['dpid', 'port_no', 'hw_addr', 'name'] and len(p['dpid']) == 16 and len(p['port_no']) == 8
def ln(p):
    return (int(p['dpid'], 16), int(p['port_no'], 16))
if what == 'switches':
    ok = sorted(s['dpid'] for s in data) == ['%016x' % i for i in (1, 2, 3)]
    ok = ok and all(list(s) == ['dpid', 'ports'] and all(port_ok(p) for p in s['ports']) for s in data)
    want = {1: [1, 2], 2: [1, 2, 3], 3: [1, 2]}
    ok = ok and all(sorted(int(p['port_no'], 16) for p in s['ports']) == want[int(s['dpid'], 16)] for s in data)
    ok = ok and all(p['name'] == 's%d-eth%d' % ln(p) for s in data for p in s['ports'])
elif what in ('links', 'links-after-down'):
    got = sorted((ln(l['src']), ln(l['dst'])) for l in data)
    want = [((1, 2), (2, 2)), ((2, 2), (1, 2))]
    if what == 'links':
        want += [((2, 3), (3, 2)), ((3, 2), (2, 3))]
    ok = got == sorted(want) and all(list(l) == ['src', 'dst'] and port_ok(l['src']) and port_ok(l['dst']) for l in data)
elif what == 'links-timeout':
    got = sorted((ln(l['src']), ln(l['dst'])) for l in data)
    ok = got == sorted([((1, 2), (2, 2)), ((2, 2), (1, 2)), ((3, 2), (2, 3))])
elif what == 'links-of-2':
    ok = sorted((ln(l['src']), ln(l['dst'])) for l in data) == [((2, 2), (1, 2)), ((2, 3), (3, 2))]
elif what in ('hosts', 'hosts-v6'):
    by = {h['mac']: h for h in data}
    ok = sorted(by) == ['00:00:00:00:00:0%d' % i for i in (1, 2, 3)]
    for i in (1, 2, 3):
        h = by.get('00:00:00:00:00:0%d' % i)
        ok = ok and h is not None and list(h) == ['mac', 'ipv4', 'ipv6', 'port'] and port_ok(h['port'])
        ok = ok and ln(h['port']) == (i, 1) and '10.0.0.%d' % i in h['ipv4']
        if what == 'hosts-v6' and i in (1, 2):
            ok = ok and 'fe80::200:ff:fe00:%d' % i in h['ipv6']
elif what == 'hosts-of-2':
    ok = [h['mac'] for h in data] == ['00:00:00:00:00:02']
else:
    sys.exit('unknown check ' + what)
sys.exit(0 if ok else 1)
