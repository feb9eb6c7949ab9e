#!/usr/bin/env python3
"""GET /stats/flow's direct text path (src/rest/ofctl/flow_text.c) against
the general one: every flow case of tests/rest/ofctl_cases, the flow stats
replies of the shared corpus, and a table of 1000 flows in five parts as
Open vSwitch sends it (with and without a priority filter), through
`ofctl-driver --text-check`, which fails on any difference in the bytes
of the answer, or an answer of the direct path where the general one has
none.

  ofctl_text_check.py DRIVER CASES_DIR [CONFORMANCE_DIR]
"""
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ofctl_compare import conformance_cases  # noqa: E402


def ovs_table(version, n=1000, parts=5, body=None):
    per = n // parts
    replies = []
    for p in range(parts):
        flows = []
        for k in range(per):
            i = p * per + k
            if version == 1:
                flows.append({"OFPFlowStats": {
                    "byte_count": i * 100, "cookie": i, "duration_nsec": 123456789, "duration_sec": 42 + i,
                    "hard_timeout": 0, "idle_timeout": 0, "packet_count": i, "priority": 1 + i % 3, "table_id": 0,
                    "actions": [{"OFPActionOutput": {"max_len": 0, "port": 2}}],
                    "match": {"OFPMatch": {"wildcards": 0x3ffff2, "in_port": 1, "dl_src": "00:00:00:00:00:00",
                                           "dl_dst": "02:00:00:%02x:%02x:%02x" % (i >> 16 & 255, i >> 8 & 255, i & 255),
                                           "dl_vlan": 0, "dl_vlan_pcp": 0, "dl_type": 0, "nw_tos": 0, "nw_proto": 0,
                                           "nw_src": "0.0.0.0", "nw_dst": "0.0.0.0", "tp_src": 0, "tp_dst": 0}}}})
                continue
            if version == 6:
                flows.append({"OFPFlowStats": {
                    "priority": 1 + i % 3, "table_id": 0, "reason": 0,
                    "stats": {"OFPStats": {"oxs_fields": [
                        {"OXSTlv": {"field": "duration", "value": [42 + i, 123456789]}},
                        {"OXSTlv": {"field": "idle_time", "value": [i, 5]}},
                        {"OXSTlv": {"field": "packet_count", "value": i}},
                        {"OXSTlv": {"field": "byte_count", "value": i * 100}}]}},
                    "match": {"OFPMatch": {"type": 1, "oxm_fields": [
                        {"OXMTlv": {"field": "in_port", "value": 1}},
                        {"OXMTlv": {"field": "eth_dst",
                                    "value": "02:00:00:%02x:%02x:%02x" % (i >> 16 & 255, i >> 8 & 255, i & 255)}}]}}}})
                continue
            flows.append({"OFPFlowStats": {
                "byte_count": i * 100, "cookie": i, "duration_nsec": 123456789, "duration_sec": 42 + i,
                "hard_timeout": 0, "idle_timeout": 0, "packet_count": i, "priority": 1 + i % 3, "table_id": 0,
                "instructions": [{"OFPInstructionActions": {
                    "actions": [{"OFPActionOutput": {"max_len": 0, "port": 2}}], "type": 4}}],
                "match": {"OFPMatch": {"type": 1, "oxm_fields": [
                    {"OXMTlv": {"field": "in_port", "value": 1}},
                    {"OXMTlv": {"field": "eth_dst",
                                "value": "02:00:00:%02x:%02x:%02x" % (i >> 16 & 255, i >> 8 & 255, i & 255)}}]}}}})
            if version >= 4:
                flows[-1]["OFPFlowStats"]["flags"] = 0
            if version >= 5:
                flows[-1]["OFPFlowStats"]["importance"] = i % 7
        replies.append({"OFPStatsReply" if version == 3 else "OFPFlowStatsReply": {
            "body": flows, "flags": 1 if p < parts - 1 else 0, "type": 17 if version == 6 else 1}})
    return {"id": "ovs-table-v%d%s" % (version, "-filtered" if body else ""), "version": version, "kind": "flow",
            "args": {}, "body": body, "replies": replies}


def main(argv):
    driver, cases_dir = argv[1], argv[2]
    lines = []
    for path in sorted(glob.glob(os.path.join(cases_dir, "v1_*.jsonl"))):
        with open(path) as f:
            lines += [l for l in f if l.strip() and '"kind": "flow' in l]
    if len(argv) > 3 and os.path.isdir(os.path.join(argv[3], "ofp")):
        lines += [json.dumps(c) for c in conformance_cases(argv[3]) if c["kind"] == "flow"]
    for v in (1, 3, 4, 5, 6):
        lines += [json.dumps(ovs_table(v)), json.dumps(ovs_table(v, body={"priority": 2}))]
    p = subprocess.run([driver, "--text-check"], input="".join(l.rstrip("\n") + "\n" for l in lines),
                       capture_output=True, text=True)
    sys.stderr.write(p.stderr)
    if p.returncode != 0:
        print("FAIL: the direct text path differs from the general one (above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
