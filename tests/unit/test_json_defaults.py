#!/usr/bin/env python3
"""The JSON codec's defaults are OS-Ken's constructor defaults, and its
errors name the key and the cause.

    test_json_defaults.py KEN_OFP

For each message, ken's encode of JSON that leaves fields out must give
the bytes OS-Ken serialises for the constructor called with the same
fields left out (where OS-Ken's constructor has no default, the test passes
ken's documented choice explicitly). OS-Ken (Debian python3-os-ken, which
make test installs) is the oracle: without it the test fails.
"""
import importlib
import json
import subprocess
import sys

try:
    importlib.import_module("os_ken.ofproto.ofproto_v1_3_parser")
except ImportError as e:
    print(f"FAIL: OS-Ken, the oracle, is missing ({e}): apt-get install python3-os-ken")
    sys.exit(1)

KEN_OFP = sys.argv[1]
VERSIONS = {1: "0", 3: "2", 4: "3", 5: "4", 6: "5"}
failures = []


def osken(wire, build):
    """OS-Ken's bytes for build(ofproto, parser, datapath) with xid 0."""
    ofp = importlib.import_module(f"os_ken.ofproto.ofproto_v1_{VERSIONS[wire]}")
    parser = importlib.import_module(f"os_ken.ofproto.ofproto_v1_{VERSIONS[wire]}_parser")

    class Datapath:
        ofproto = ofp
        ofproto_parser = parser

    msg = build(ofp, parser, Datapath())
    msg.set_xid(0)
    msg.serialize()
    return bytes(msg.buf)


def ken(wire, obj):
    r = subprocess.run([KEN_OFP, "encode", "-V", str(wire), "-"], input=json.dumps(obj).encode(),
                       capture_output=True)
    return r.returncode, r.stdout, r.stderr.decode()


typed_checked = 0
untyped = []


def same(name, wire, obj, build):
    global typed_checked
    rc, out, err = ken(wire, obj)
    want = osken(wire, build)
    if rc != 0 or out != want:
        failures.append(f"{name} (wire {wire}): ken {out.hex() or err.strip()}, OS-Ken {want.hex()}")
    # a C app's builder, ken_ofp_<name>_init(), gives the constructor's defaults too
    (cls, body), = obj.items()
    if body == {}:
        r = subprocess.run([KEN_OFP, "init", "-V", str(wire), cls], capture_output=True)
        if b"Protocol not supported" in r.stderr:
            untyped.append(f"{cls} (wire {wire})")  # still laid out in C: no typed struct yet
            return
        typed_checked += 1
        if r.returncode != 0 or r.stdout != want:
            failures.append(f"{name} (wire {wire}): ken_ofp_init {r.stdout.hex() or r.stderr.decode().strip()}, "
                            f"OS-Ken {want.hex()}")


def refused(name, wire, obj, *words):
    rc, _, err = ken(wire, obj)
    if rc != 1 or not all(w in err for w in words):
        failures.append(f"{name} (wire {wire}): expected a refusal naming {words}, got rc {rc}: {err.strip()}")


LATER = (3, 4, 5, 6)
for w in LATER:
    same("flow stats", w, {"OFPFlowStatsRequest": {}}, lambda o, p, dp: p.OFPFlowStatsRequest(dp))
    same("port stats", w, {"OFPPortStatsRequest": {}},
         lambda o, p, dp: p.OFPPortStatsRequest(dp, 0, o.OFPP_ANY) if w >= 5 else p.OFPPortStatsRequest(dp))
    same("queue stats", w, {"OFPQueueStatsRequest": {}}, lambda o, p, dp: p.OFPQueueStatsRequest(dp))
    same("group stats", w, {"OFPGroupStatsRequest": {}}, lambda o, p, dp: p.OFPGroupStatsRequest(dp))
    same("flow mod", w, {"OFPFlowMod": {}}, lambda o, p, dp: p.OFPFlowMod(dp))
    same("aggregate stats", w, {"OFPAggregateStatsRequest": {}},
         lambda o, p, dp: p.OFPAggregateStatsRequest(dp) if w == 3 else p.OFPAggregateStatsRequest(
             dp, 0, o.OFPTT_ALL, o.OFPP_ANY, o.OFPG_ANY, 0, 0, p.OFPMatch()))
for w in (1,) + LATER:
    same("port mod", w, {"OFPPortMod": {}}, lambda o, p, dp: p.OFPPortMod(dp))
for w in (4, 5, 6):
    same("meter stats", w, {"OFPMeterStatsRequest": {}}, lambda o, p, dp: p.OFPMeterStatsRequest(dp))
    same("meter mod", w, {"OFPMeterMod": {}}, lambda o, p, dp: p.OFPMeterMod(dp))
for w in (4, 5):
    same("meter config stats", w, {"OFPMeterConfigStatsRequest": {}},
         lambda o, p, dp: p.OFPMeterConfigStatsRequest(dp))
for w in (5, 6):
    same("flow monitor", w, {"OFPFlowMonitorRequest": {}}, lambda o, p, dp: p.OFPFlowMonitorRequest(dp))
for w in (4, 5, 6):
    same("table features", w, {"OFPTableFeaturesStatsRequest": {}},
         lambda o, p, dp: p.OFPTableFeaturesStatsRequest(dp))
same("bundle features", 6, {"OFPBundleFeaturesStatsRequest": {}},
     lambda o, p, dp: p.OFPBundleFeaturesStatsRequest(dp))
same("meter desc stats", 6, {"OFPMeterDescStatsRequest": {}}, lambda o, p, dp: p.OFPMeterDescStatsRequest(dp))
same("group mod", 6, {"OFPGroupMod": {}}, lambda o, p, dp: p.OFPGroupMod(dp))
# a bucket's watch port and group default to ANY, as OFPBucket's constructor has them
for w in (3, 4, 5):
    same("bucket defaults", w, {"OFPGroupMod": {"group_id": 1, "buckets": [{"OFPBucket": {"weight": 2, "actions": []}}]}},
         lambda o, p, dp: p.OFPGroupMod(dp, group_id=1, buckets=[p.OFPBucket(weight=2, actions=[])]))
# 1.0: OS-Ken's stats constructors want every field; ken's defaults are all
# tables, ports and queues, and an empty (all-wildcard) match.
same("flow stats", 1, {"OFPFlowStatsRequest": {}},
     lambda o, p, dp: p.OFPFlowStatsRequest(dp, 0, p.OFPMatch(), 0xff, o.OFPP_NONE))
same("aggregate stats", 1, {"OFPAggregateStatsRequest": {}},
     lambda o, p, dp: p.OFPAggregateStatsRequest(dp, 0, p.OFPMatch(), 0xff, o.OFPP_NONE))
same("port stats", 1, {"OFPPortStatsRequest": {}}, lambda o, p, dp: p.OFPPortStatsRequest(dp, 0, o.OFPP_NONE))
same("queue stats", 1, {"OFPQueueStatsRequest": {}},
     lambda o, p, dp: p.OFPQueueStatsRequest(dp, 0, o.OFPP_NONE, o.OFPQ_ALL))
same("flow mod", 1, {"OFPFlowMod": {}}, lambda o, p, dp: p.OFPFlowMod(dp, p.OFPMatch()))

# Errors name the key and the cause.
for w in (1, 4, 6):
    refused("unknown key", w, {"OFPFlowStatsRequest": {"table": 1}}, '"table"', "unknown key")
    refused("type error", w, {"OFPPortStatsRequest": {"port_no": "1"}}, '"port_no"', "type error")
    refused("range", w, {"OFPPortStatsRequest": {"port_no": 1 << 40}}, '"port_no"', "out of range")
refused("list type error", 4, {"OFPMeterMod": {"bands": 5}}, '"bands"', "type error")
refused("data type error", 4, {"OFPEchoRequest": {"data": 5}}, '"data"', "type error")
refused("mac type error", 4, {"OFPPortMod": {"hw_addr": 5}}, '"hw_addr"', "type error")
refused("missing field", 4, {"OFPPortStatus": {"reason": 0}}, '"desc"', "missing field")
# structures with irregular parts refuse unknown keys too
refused("unknown key in a match", 4, {"OFPFlowMod": {"match": {"OFPMatch": {"oxm_fields": [], "bogus": 1}}}},
        '"bogus"', "OFPMatch")
refused("unknown key in a packet-out", 4, {"OFPPacketOut": {"buffer_id": 1, "in_port": 1, "actions": [], "bogus": 3}},
        '"bogus"', "OFPPacketOut")
refused("unknown key in a 1.0 match", 1, {"OFPFlowMod": {"match": {"OFPMatch": {"wildcards": 0, "bogus": 1}}}},
        '"bogus"', "OFPMatch")
refused("unknown key in an error", 4, {"OFPErrorMsg": {"type": 1, "code": 1, "data": "", "bogus": 1}},
        '"bogus"', "OFPErrorMsg")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"ok ({typed_checked} typed builders checked against OS-Ken too; not typed yet: {', '.join(untyped) or 'none'})")
