#!/usr/bin/env python3
"""Writes v1_2.jsonl: cases for the ofctl oracle harness, OpenFlow 1.2
(ken's ofctl_v1_2 against OS-Ken's os_ken.lib.ofctl_v1_2).

The request-side bodies (matches, actions, entries) are the 1.3 ones of
gen_v1_3.py, sent to a 1.2 switch; the replies have 1.2's shapes. Every
value is made up for these tests. Run from this folder:
    python3 gen_v1_2.py > v1_2.jsonl
"""
import json
import struct
import sys

import gen_v1_3 as g

V = 3
cases = []


def case(cid, kind, args=None, body=None, replies=None, command=None, port_defaults=None):
    c = {"id": cid, "version": V, "kind": kind, "args": args or {}, "body": body}
    if command is not None:
        c["command"] = command
    if port_defaults is not None:
        c["port_defaults"] = port_defaults
    if replies is not None:
        c["replies"] = replies
    cases.append(c)


def st(bodies, stype):
    """A stats reply in parts (1.2: OFPStatsReply, 'more' on all but the last)."""
    return [{"OFPStatsReply": {"body": b, "flags": 0 if i == len(bodies) - 1 else 1, "type": stype}}
            for i, b in enumerate(bodies)]


def flow_stats(priority=10, table_id=0, m=None, inst=None, cookie=0):
    return {"OFPFlowStats": {
        "table_id": table_id, "duration_sec": 12, "duration_nsec": 3400, "priority": priority,
        "idle_timeout": 30, "hard_timeout": 60, "cookie": cookie, "packet_count": 7, "byte_count": 910,
        "match": m or g.match(), "instructions": inst if inst is not None else []}}


# ---- desc
DESC = {"OFPDescStats": {"mfr_desc": "Nimbus Labs", "hw_desc": "nb-2", "sw_desc": "0.9.1",
                         "serial_num": "X77", "dp_desc": "lab bench"}}
case("v12-desc", "desc", replies=st([DESC], 0))
case("v12-desc-empty", "desc", replies=[])

# ---- flow stats
FILTERS = [None, {}, {"table_id": 4}, {"table_id": "ALL"}, {"out_port": "CONTROLLER"}, {"out_group": "ANY"},
           {"cookie": 3, "cookie_mask": "0xff"}, {"flags": "ignored on 1.2"}, {"priority": 10},
           {"match": {"in_port": "LOCAL", "dl_type": 2048}}, {"table_id": "bad"}, {"match": []}, [1]]
for i, body in enumerate(FILTERS):
    case("v12-flow-filter-%d" % i, "flow", body=body, replies=st([[flow_stats()]], 1))
V12_MATCHES = [m for m in g.MATCHES
               if not any(f["OXMTlv"]["field"] in ("mpls_bos", "pbb_isid", "tunnel_id", "ipv6_exthdr")
                          for f in m["OFPMatch"]["oxm_fields"])]
for i, m in enumerate(V12_MATCHES):
    case("v12-flow-match-%d" % i, "flow", replies=st([[flow_stats(m=m)]], 1))
V12_ACTIONS = [a for a in g.ACTIONS if not any(k in a for k in ("OFPActionPushPbb", "OFPActionPopPbb"))
               and "tunnel_id" not in json.dumps(a)]
for i, a in enumerate(V12_ACTIONS):
    case("v12-flow-action-%d" % i, "flow", replies=st([[flow_stats(inst=[g.apply(a)])]], 1))
case("v12-flow-actions-all", "flow", replies=st([[flow_stats(inst=[g.apply(*V12_ACTIONS)])]], 1))
V12_INSTS = [i for i in g.INSTS if not any("OFPInstructionMeter" in x for x in i)]
for i, ins in enumerate(V12_INSTS):
    case("v12-flow-inst-%d" % i, "flow", replies=st([[flow_stats(inst=ins)]], 1))
PARTS = [[flow_stats(priority=5), flow_stats(priority=7, table_id=0xfe)], [flow_stats(priority=5, cookie=9)],
         [flow_stats(priority=0, table_id=0xff)]]
for i, p in enumerate([None, 5, "7", 0, -1]):
    case("v12-flow-prio-%d" % i, "flow", body=None if p is None else {"priority": p}, replies=st(PARTS, 1))
case("v12-flow-noreply", "flow", replies=[])
for i, mt in enumerate(g.REQ_MATCHES):
    case("v12-flow-reqmatch-%d" % i, "flow", body={"match": mt}, replies=st([[]], 1))
for i, mt in enumerate(g.BAD_MATCHES):
    case("v12-flow-badmatch-%d" % i, "flow", body={"match": mt}, replies=st([[]], 1))

# ---- aggregate
AGG = {"OFPAggregateStatsReply": {"packet_count": 5, "byte_count": 600, "flow_count": 2}}
case("v12-agg", "aggregateflow", replies=st([AGG], 2))
case("v12-agg-filter", "aggregateflow", body={"out_port": 3, "match": {"ipv6_src": "2001:db8::/64"}},
     replies=st([AGG, AGG], 2))
case("v12-agg-bad", "aggregateflow", body={"out_group": "NONE"}, replies=[])

# ---- table stats (1.2: everything a table supports)
def tstat(tid, bits):
    return {"OFPTableStats": {"table_id": tid, "name": "tbl%d" % tid, "match": bits, "wildcards": bits >> 1,
                              "write_actions": (1 << 0) | (1 << 17) | (1 << 25), "apply_actions": 0x3ff9801,
                              "write_setfields": bits & 0xfff, "apply_setfields": 1 << 35,
                              "metadata_match": 0xffffffffffffffff, "metadata_write": 0xff00, "instructions": 0x3e,
                              "config": tid & 3, "max_entries": 1024, "active_count": 3, "lookup_count": 40,
                              "matched_count": 30}}
case("v12-table", "table", replies=st([[tstat(0, 0xfffffffff), tstat(1, 0x5)], [tstat(0xfe, 0)]], 3))
for i, bits in enumerate([1, 1 << 35, 0x0f0f0f0f0, 0]):
    case("v12-table-%d" % i, "table", replies=st([[tstat(i, bits)]], 3))
case("v12-table-empty", "table", replies=st([[]], 3))

# ---- port and queue stats
def pstat(port):
    return {"OFPPortStats": {"port_no": port, "rx_packets": 1, "tx_packets": 2, "rx_bytes": 3, "tx_bytes": 4,
                             "rx_dropped": 5, "tx_dropped": 6, "rx_errors": 7, "tx_errors": 8, "rx_frame_err": 9,
                             "rx_over_err": 10, "rx_crc_err": 11, "collisions": 12}}
for i, pa in enumerate([None, "2", "0xfffffffe", "ALL", "LOCAL", "x", "4294967296"]):
    case("v12-port-%d" % i, "port", args={} if pa is None else {"port": pa},
         replies=st([[pstat(1), pstat(0xfffffffe)], [pstat(9)]], 4))
def qstat(port, q):
    return {"OFPQueueStats": {"port_no": port, "queue_id": q, "tx_bytes": 100, "tx_packets": 10, "tx_errors": 1}}
for i, (pa, qa) in enumerate([(None, None), ("1", "2"), ("ALL", "ALL"), ("1", "q"), ("0o7", None)]):
    args = {}
    if pa is not None:
        args["port"] = pa
    if qa is not None:
        args["queue"] = qa
    case("v12-queue-%d" % i, "queue", args=args, replies=st([[qstat(1, 0), qstat(2, 0xffffffff)], [qstat(3, 1)]], 5))

# ---- queue config
MINR = {"OFPQueuePropMinRate": {"property": 1, "rate": 100}}
MAXR = {"OFPQueuePropMaxRate": {"property": 2, "rate": 800}}
for i, (pa, reps) in enumerate([
        (None, [{"OFPQueueGetConfigReply": {"port": 0xffffffff, "queues": [
            {"OFPPacketQueue": {"port": 1, "queue_id": 1, "properties": [MINR, MAXR]}},
            {"OFPPacketQueue": {"port": 2, "queue_id": 0xffffffff, "properties": []}}]}}]),
        ("3", [{"OFPQueueGetConfigReply": {"port": 3, "queues": []}}]),
        ("LOCAL", []),
]):
    case("v12-queueconfig-%d" % i, "queueconfig", args={} if pa is None else {"port": pa}, replies=reps)

# ---- groups
for i, (t, c, mg, ac) in enumerate([(15, 15, [1, 2, 3, 4], [0x3fff801, 1, (1 << 26) | 1, 0]),
                                    (4, 2, [0, 9, 0, 9], [0, 1 << 25, 0, 0])]):
    case("v12-groupfeatures-%d" % i, "groupfeatures",
         replies=st([{"OFPGroupFeaturesStats": {"types": t, "capabilities": c, "max_groups": mg, "actions": ac}}], 8))
GD = [[g.gdesc(1, 0, [g.bucket(0, 0xffffffff, 0xffffffff, [g.out_action(1)])]),
       g.gdesc(0xfffffffc, 3, [g.bucket(1, 2, 3, [{"OFPActionSetQueue": {"queue_id": 4}}])])], [g.gdesc(2, 1, [])]]
case("v12-groupdesc", "groupdesc", replies=st(GD, 7))
case("v12-groupdesc-empty", "groupdesc", replies=st([[]], 7))
def gstat(gid, nb):
    return {"OFPGroupStats": {"group_id": gid, "ref_count": 1, "packet_count": 2, "byte_count": 3,
                              "bucket_counters": [{"OFPBucketCounter": {"packet_count": k, "byte_count": 64 * k}}
                                                  for k in range(nb)]}}
for i, ga in enumerate([None, "1", "ALL", "0xffffff00", "g"]):
    case("v12-group-%d" % i, "group", args={} if ga is None else {"group_id": ga},
         replies=st([[gstat(1, 2), gstat(0xfffffffc, 0)], [gstat(7, 1)]], 6))

# ---- port desc: the ports of a features reply
def port(no, name):
    return {"OFPPort": {"port_no": no, "hw_addr": "02:00:00:00:01:%02x" % (no & 0xff), "name": name, "config": 0,
                        "state": 1, "curr": 0x820, "advertised": 0, "supported": 0x820, "peer": 0,
                        "curr_speed": 1000000, "max_speed": 1000000}}
def features(ports):
    return {"OFPSwitchFeatures": {"datapath_id": 0x10, "n_buffers": 256, "n_tables": 8, "capabilities": 0x4f,
                                  "ports": {str(p["OFPPort"]["port_no"]): p for p in ports}}}
case("v12-portdesc", "portdesc", replies=[features([port(1, "p1"), port(2, "p2"), port(0xfffffffe, "local")])])
case("v12-portdesc-none", "portdesc", replies=[features([])])

# ---- role
for i, (role, gen) in enumerate([(0, 0), (2, 7), (3, 2 ** 64 - 1)]):
    case("v12-role-%d" % i, "role", replies=[{"OFPRoleReply": {"role": role, "generation_id": gen}}])

# ---- what 1.2 does not have: 501
for k in ["tablefeatures", "meterfeatures", "meterconfig", "meter", "queuedesc", "meterdesc"]:
    case("v12-unsupported-" + k, k, replies=[])
case("v12-unsupported-meterentry", "meterentry", body={"meter_id": 1}, command="add")

# ---- writes
for i, b in enumerate(g.FLOW_BODIES):
    case("v12-flowentry-add-%d" % i, "flowentry", body=b, command="add")
for cmd in ["modify", "modify_strict", "delete", "delete_strict"]:
    case("v12-flowentry-%s" % cmd, "flowentry", body=g.FLOW_BODIES[2], command=cmd)
case("v12-flowentry-clear", "flowentry", body=None, command="clear")
for i, b in enumerate(g.BAD_FLOW):
    case("v12-flowentry-bad-%d" % i, "flowentry", body=b, command="add")
for i, b in enumerate(g.GROUP_BODIES):
    case("v12-groupentry-add-%d" % i, "groupentry", body=b, command="add")
case("v12-groupentry-delete", "groupentry", body={"group_id": 1}, command="delete")
PD = {"hw_addr": "02:99:88:77:66:55", "advertised": 0x820}
for i, b in enumerate([{"port_no": 1}, {"port_no": 2, "config": 1, "mask": 1, "advertise": 8},
                       {"port_no": 1, "hw_addr": "x"}]):
    case("v12-portmod-%d" % i, "portdesc_modify", body=b, command="modify", port_defaults=PD)
for i, b in enumerate([{"experimenter": 5, "exp_type": 1, "data": "abc"},
                       {"experimenter": 5, "data_type": "base64", "data": "YWJj"}, {"data": 1}]):
    case("v12-experimenter-%d" % i, "experimenter", body=b)
for i, b in enumerate([{}, {"role": "MASTER"}, {"role": "slave"}, {"role": "x"}]):
    case("v12-setrole-%d" % i, "set_role", body=b)

for i, b in enumerate(g.ORDER_FLOW):
    case("v12-order-flowentry-%d" % i, "flowentry", body=b, command="add")

# ---- text fields that are not UTF-8: Ryu's 1.2 module decodes them strictly
for i, t in enumerate(g.BAD_TEXTS):
    feat = struct.pack("!QIB3xII", 1, 0, 1, 0, 0) + g.port_bytes(1, t) + g.port_bytes(2, b"p2")
    case("v12-text-portdesc-%d" % i, "portdesc", replies=[g.of_msg(3, 6, feat)])
    case("v12-text-desc-%d" % i, "desc", replies=[g.mp_bytes(3, 19, 0, g.desc_bytes(t))])
    ts = struct.pack("!B7x32sQQIIQQQQIIIIQQ", i, t, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 10, 1, 2, 3)
    case("v12-text-table-%d" % i, "table", replies=[g.mp_bytes(3, 19, 3, ts)])

g.cases = cases  # random_cases appends to the list its module holds
g.random_cases("v12", V, 400, 12)
g.random_matches("v12", V, 300, 112)
g.random_replies("v12", V, 100, 21, V12_MATCHES, V12_ACTIONS, V12_INSTS, flow_stats, st)

# /stats/flowdesc is the flow stats before 1.5 (Ryu's route table): the
# same answers as the first flow cases.
for c in [c for c in cases if c["kind"] == "flow"][:40]:
    cases.append(dict(c, id=c["id"] + "-as-flowdesc", kind="flowdesc"))

if __name__ == "__main__":
    for c in cases:
        sys.stdout.write(json.dumps(c, sort_keys=True) + "\n")
