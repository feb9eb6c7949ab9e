#!/usr/bin/python3
"""Writes v1_0.jsonl: the ofctl oracle cases for OpenFlow 1.0.

Every route of ofctl_rest on a 1.0 switch: the stats routes with request
filters and path parts in Ryu's forms (and the malformed ones), with reply
bytes packed here (each reply field given its own value, so a field read
from the wrong place shows); the write routes with every action and match
field; the routes 1.0 lacks (501). Run: python3 gen_v1_0.py (writes the
file beside it).
"""
import json
import os
import random
import struct

CASES = []


def case(cid, kind, args=None, body=None, replies=None, command=None, port_defaults=None):
    c = {"id": "v10-" + cid, "version": 1, "kind": kind, "args": args or {}, "body": body}
    if command is not None:
        c["command"] = command
    if port_defaults is not None:
        c["port_defaults"] = port_defaults
    if replies is not None:
        c["replies"] = replies
    CASES.append(c)


# ---- reply bytes (OpenFlow 1.0 wire format) ----

OFPT_FEATURES_REPLY = 6
OFPT_STATS_REPLY = 17
MORE = 1


def msg(msg_type, body, xid=0):
    return (struct.pack("!BBHI", 1, msg_type, 8 + len(body), xid) + body).hex()


def stats_reply(stype, body, flags=0):
    return msg(OFPT_STATS_REPLY, struct.pack("!HH", stype, flags) + body)


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ip(s):
    a = [int(x) for x in s.split(".")]
    return (a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3]


FW_ALL = (1 << 22) - 1


def match(wildcards=FW_ALL, in_port=0, dl_src="00:00:00:00:00:00", dl_dst="00:00:00:00:00:00", dl_vlan=0,
          dl_vlan_pcp=0, dl_type=0, nw_tos=0, nw_proto=0, nw_src="0.0.0.0", nw_dst="0.0.0.0", tp_src=0, tp_dst=0):
    return struct.pack("!IH6s6sHBxHBB2xIIHH", wildcards, in_port, mac(dl_src), mac(dl_dst), dl_vlan, dl_vlan_pcp,
                       dl_type, nw_tos, nw_proto, ip(nw_src), ip(nw_dst), tp_src, tp_dst)


def a_output(port, max_len=0xffe5):
    return struct.pack("!HHHH", 0, 8, port, max_len)


def a_vid(v):
    return struct.pack("!HHH2x", 1, 8, v)


def a_pcp(v):
    return struct.pack("!HHB3x", 2, 8, v)


def a_strip():
    return struct.pack("!HH4x", 3, 8)


def a_dl(t, addr):
    return struct.pack("!HH6s6x", t, 16, mac(addr))


def a_nw(t, addr):
    return struct.pack("!HHI", t, 8, ip(addr))


def a_tos(v):
    return struct.pack("!HHB3x", 8, 8, v)


def a_tp(t, v):
    return struct.pack("!HHH2x", t, 8, v)


def a_enqueue(port, queue):
    return struct.pack("!HHH6xI", 11, 16, port, queue)


def a_nx_resubmit(port):
    # Nicira vendor action (NXAST_RESUBMIT): OS-Ken decodes it; Ryu shows "VENDOR"
    return struct.pack("!HHIHH4x", 0xffff, 16, 0x2320, 1, port)


def flow_stats(m, actions=b"", table_id=0, dur=(10, 20), priority=100, idle=30, hard=40, cookie=0x55,
               packets=7, nbytes=700):
    acts = b"".join(actions) if isinstance(actions, list) else actions
    body = (struct.pack("!Bx", table_id) + m + struct.pack("!IIHHH6xQQQ", dur[0], dur[1], priority, idle, hard,
                                                           cookie, packets, nbytes) + acts)
    return struct.pack("!H", 2 + len(body)) + body


def flow_reply(entries, flags=0):
    return stats_reply(1, b"".join(entries), flags)


def desc_reply(mfr=b"Maker", hw=b"HW 1", sw=b"SW 2.0", serial=b"SN42", dp=b"dp one", flags=0):
    return stats_reply(0, struct.pack("!256s256s256s32s256s", mfr, hw, sw, serial, dp), flags)


def aggregate_reply(packets, nbytes, flows, flags=0):
    return stats_reply(2, struct.pack("!QQI4x", packets, nbytes, flows), flags)


def table_entry(table_id, name, wildcards, max_entries=1000, active=5, lookup=123456, matched=654321):
    return struct.pack("!B3x32sIIIQQ", table_id, name, wildcards, max_entries, active, lookup, matched)


def table_reply(entries, flags=0):
    return stats_reply(3, b"".join(entries), flags)


def port_entry(port_no, base=0):
    return struct.pack("!H6x12Q", port_no, *[base + i * 11 + 1 for i in range(12)])


def port_reply(entries, flags=0):
    return stats_reply(4, b"".join(entries), flags)


def queue_entry(port_no, queue_id, txb=1000, txp=10, txe=1):
    return struct.pack("!H2xIQQQ", port_no, queue_id, txb, txp, txe)


def queue_reply(entries, flags=0):
    return stats_reply(5, b"".join(entries), flags)


def phy_port(port_no, hw, name, config=0, state=0, curr=0x2a0, adv=0x280, supp=0x2bf, peer=0):
    return struct.pack("!H6s16sIIIIII", port_no, mac(hw), name, config, state, curr, adv, supp, peer)


def features_reply(ports, dpid=0x1234):
    return msg(OFPT_FEATURES_REPLY, struct.pack("!QIB3xII", dpid, 256, 254, 0xc7, 0xfff) + b"".join(ports))


# ---- 501: what ofctl_v1_0 does not have ----

for kind in ("tablefeatures", "queueconfig", "queuedesc", "meterfeatures", "meterconfig", "meterdesc",
             "meter", "groupfeatures", "groupdesc", "group", "role"):
    case("unsupported-" + kind, kind, replies=[])
case("unsupported-queueconfig-port", "queueconfig", args={"port": "1"}, replies=[])
case("unsupported-meter-id", "meter", args={"meter_id": "3"}, replies=[])
case("unsupported-group-id", "group", args={"group_id": "ALL"}, replies=[])
for cmd in ("add", "modify", "delete"):
    case("unsupported-meterentry-" + cmd, "meterentry", body={"meter_id": 1, "flags": "KBPS"}, command=cmd)
    case("unsupported-groupentry-" + cmd, "groupentry", body={"group_id": 1, "type": "ALL"}, command=cmd)
case("unsupported-experimenter", "experimenter", body={"experimenter": 0x2320, "exp_type": 1, "data": "x"})
case("unsupported-set-role", "set_role", body={"role": "MASTER"})

# ---- desc ----

case("desc", "desc", replies=[desc_reply()])
case("desc-empty-reply", "desc", replies=[])
case("desc-two-parts-last-wins", "desc", replies=[desc_reply(mfr=b"first", flags=MORE), desc_reply(mfr=b"second")])
case("desc-utf8", "desc", replies=[desc_reply(mfr="Gr\u00fcn \u2603".encode(), dp="\u00e9t\u00e9".encode())])
case("desc-not-utf8", "desc", replies=[desc_reply(hw=b"bad \xff byte")])
case("desc-full-width", "desc", replies=[desc_reply(mfr=b"M" * 256, serial=b"S" * 32, dp=b"D" * 256)])
case("desc-blank", "desc", replies=[desc_reply(mfr=b"", hw=b"", sw=b"", serial=b"", dp=b"")])
case("desc-body-ignored", "desc", body={"match": 1}, replies=[desc_reply()])

# ---- flow stats: the request (filters) ----

ONE_FLOW = [flow_reply([flow_stats(match(FW_ALL & ~1, in_port=1), [a_output(2)])])]

filters = {
    "none": None,
    "empty": {},
    "empty-list": [],
    "empty-string": "",
    "zero": 0,
    "false": False,
    "list": [1],
    "string": "match",
    "number": 5,
    "true": True,
    "in_port": {"match": {"in_port": 1}},
    "in_port-hex": {"match": {"in_port": "0x1f"}},
    "in_port-str": {"match": {"in_port": "7"}},
    "in_port-name": {"match": {"in_port": "LOCAL"}},
    "in_port-name-lower": {"match": {"in_port": "controller"}},
    "in_port-name-prefixed": {"match": {"in_port": "OFPP_IN_PORT"}},
    "in_port-name-prefix-lower": {"match": {"in_port": "ofpp_local"}},
    "in_port-name-unknown": {"match": {"in_port": "UPLINK"}},
    "in_port-true": {"match": {"in_port": True}},
    "in_port-null": {"match": {"in_port": None}},
    "in_port-float": {"match": {"in_port": 1.5}},
    "in_port-too-big": {"match": {"in_port": 65536}},
    "in_port-negative": {"match": {"in_port": -1}},
    "in_port-max": {"match": {"in_port": 65535}},
    "dl_src": {"match": {"dl_src": "aa:bb:cc:dd:ee:ff"}},
    "dl_src-upper": {"match": {"dl_src": "AA:BB:CC:DD:EE:0F"}},
    "dl_src-short-words": {"match": {"dl_src": "a:b:c:d:e:f"}},
    "dl_src-dashes": {"match": {"dl_src": "00-11-22-33-44-55"}},
    "dl_src-cisco": {"match": {"dl_src": "0011.2233.4455"}},
    "dl_src-bare": {"match": {"dl_src": "001122334455"}},
    "dl_src-bare-11": {"match": {"dl_src": "01122334455"}},
    "dl_src-pgsql": {"match": {"dl_src": "001122:334455"}},
    "dl_src-3-colon": {"match": {"dl_src": "0011:2233:4455"}},
    "dl_src-int": {"match": {"dl_src": 1}},
    "dl_src-newline": {"match": {"dl_src": "00:11:22:33:44:55\n"}},
    "dl_src-bad": {"match": {"dl_src": "00:11:22:33:44"}},
    "dl_src-bad-hex": {"match": {"dl_src": "00:11:22:33:44:gg"}},
    "dl_src-null": {"match": {"dl_src": None}},
    "dl_src-mask": {"match": {"dl_src": "00:11:22:33:44:55/ff:ff:ff:00:00:00"}},
    "dl_dst": {"match": {"dl_dst": "01:80:c2:00:00:0e"}},
    "dl_dst-broadcast": {"match": {"dl_dst": "ff:ff:ff:ff:ff:ff"}},
    "dl_dst-int-big": {"match": {"dl_dst": 281474976710656}},
    "dl_vlan": {"match": {"dl_vlan": 100}},
    "dl_vlan-str": {"match": {"dl_vlan": "100"}},
    "dl_vlan-hex": {"match": {"dl_vlan": "0xffff"}},
    "dl_vlan-too-big": {"match": {"dl_vlan": 65536}},
    "dl_vlan-bad": {"match": {"dl_vlan": "vlan"}},
    "dl_vlan_pcp": {"match": {"dl_vlan_pcp": 5}},
    "dl_vlan_pcp-too-big": {"match": {"dl_vlan_pcp": 256}},
    "dl_type": {"match": {"dl_type": 2048}},
    "dl_type-hex": {"match": {"dl_type": "0x0806"}},
    "dl_type-octal": {"match": {"dl_type": "0o4000"}},
    "dl_type-binary": {"match": {"dl_type": "0b100000000000"}},
    "dl_type-underscore": {"match": {"dl_type": "2_048"}},
    "dl_type-spaces": {"match": {"dl_type": " 2048 "}},
    "dl_type-leading-zero": {"match": {"dl_type": "0800"}},
    "dl_type-plus": {"match": {"dl_type": "+2048"}},
    "dl_type-float": {"match": {"dl_type": 2048.0}},
    "dl_type-float-str": {"match": {"dl_type": "2048.0"}},
    "dl_type-bool": {"match": {"dl_type": True}},
    "dl_type-list": {"match": {"dl_type": [2048]}},
    "nw_tos": {"match": {"nw_tos": 16}},
    "nw_proto": {"match": {"nw_proto": 6}},
    "nw_proto-too-big": {"match": {"nw_proto": 300}},
    "nw_src": {"match": {"nw_src": "10.0.0.1"}},
    "nw_src-prefix": {"match": {"nw_src": "10.0.0.0/24"}},
    "nw_src-prefix-32": {"match": {"nw_src": "10.0.0.1/32"}},
    "nw_src-prefix-1": {"match": {"nw_src": "128.0.0.0/1"}},
    "nw_src-prefix-0": {"match": {"nw_src": "10.0.0.0/0"}},
    "nw_src-prefix-33": {"match": {"nw_src": "10.0.0.0/33"}},
    "nw_src-prefix-bad": {"match": {"nw_src": "10.0.0.0/x"}},
    "nw_src-prefix-mask": {"match": {"nw_src": "10.0.0.0/255.255.255.0"}},
    "nw_src-two-slashes": {"match": {"nw_src": "10.0.0.0/8/9"}},
    "nw_src-short": {"match": {"nw_src": "10.1"}},
    "nw_src-hex": {"match": {"nw_src": "0x0a000001"}},
    "nw_src-octal": {"match": {"nw_src": "010.0.0.1"}},
    "nw_src-bad": {"match": {"nw_src": "10.0.0.256"}},
    "nw_src-word": {"match": {"nw_src": "host"}},
    "nw_src-int": {"match": {"nw_src": 167772161}},
    "nw_src-null": {"match": {"nw_src": None}},
    "nw_dst": {"match": {"nw_dst": "192.168.1.0/24"}},
    "nw_dst-exact": {"match": {"nw_dst": "192.168.1.7"}},
    "nw_dst-list": {"match": {"nw_dst": ["192.168.1.7"]}},
    "tp_src": {"match": {"tp_src": 80}},
    "tp_dst": {"match": {"tp_dst": "443"}},
    "tp_dst-too-big": {"match": {"tp_dst": 70000}},
    "unknown-field": {"match": {"ipv4_src": "10.0.0.1", "tp_dst": 22}},
    "match-null": {"match": None},
    "match-list": {"match": []},
    "match-string": {"match": "in_port=1"},
    "all-fields": {"match": {"in_port": 3, "dl_src": "00:00:00:00:00:01", "dl_dst": "00:00:00:00:00:02",
                             "dl_vlan": 10, "dl_vlan_pcp": 3, "dl_type": 2048, "nw_tos": 8, "nw_proto": 17,
                             "nw_src": "10.1.0.0/16", "nw_dst": "10.2.3.0/24", "tp_src": 53, "tp_dst": 5353}},
    "table_id": {"table_id": 0},
    "table_id-str": {"table_id": "0x2"},
    "table_id-all": {"table_id": "ALL"},
    "table_id-too-big": {"table_id": 256},
    "table_id-true": {"table_id": True},
    "out_port": {"out_port": 2},
    "out_port-name": {"out_port": "NONE"},
    "out_port-flood": {"out_port": "flood"},
    "out_port-bad": {"out_port": "port2"},
    "out_port-null": {"out_port": None},
    "priority": {"priority": 100},
    "priority-other": {"priority": 7},
    "priority-hex": {"priority": "0x64"},
    "priority-negative": {"priority": -5},
    "priority-huge": {"priority": 10 ** 30},
    "priority-bad": {"priority": "high"},
    "priority-null": {"priority": None},
    "cookie-ignored": {"cookie": "x", "cookie_mask": "y"},
    "bad-then-501": {"match": {"dl_vlan": 70000, "nw_src": 5}},
    "501-then-bad": {"match": {"nw_src": 5, "dl_vlan": "x"}},
    "bad-before-501": {"match": {"dl_vlan": "x", "nw_src": 5}},
    "bad-priority-after-501": {"match": {"nw_dst": None}, "priority": "x"},
    "misfit-and-bad-priority": {"match": {"tp_src": 1 << 20}, "priority": "x"},
}
BASIC_FILTERS = list(filters)
for name, body in list(filters.items()):
    case("flow-filter-" + name, "flow", body=body, replies=ONE_FLOW)
    if not name.startswith("priority"):
        case("aggregateflow-filter-" + name, "aggregateflow", body=body,
             replies=[aggregate_reply(3, 300, 2)])

# Python's int(x, 0) and int(x) in their corners, through a few fields
INT_FORMS = ["0x_1f", "0X1F", "0O17", "0B101", "1__0", "_1", "1_", "00", "0_0", "-0", "0b", "0x", " +0x10 ", "- 5",
             "\x1f7\x1c", "\t12\n", "\u00a012", "1e3", "0x1f ", "", " ", "+", "12a", "\u0661\u0662"]
for i, v in enumerate(INT_FORMS):
    filters["dl_vlan-form-%d" % i] = {"match": {"dl_vlan": v}}
    filters["in_port-form-%d" % i] = {"match": {"in_port": v}}
for name in ("\u0131n_port", "\ufb02ood", "\ufb02\u00f3od", "cONTROLLER", "L\u0130CAL", "Normal", "nOnE", "OFPP_Max", "OFPP_OFPP_ALL", "OFPPALL", "ALL ",
             "local\u0000", "table"):
    filters["in_port-name-%s" % name.encode("unicode_escape").decode()] = {"match": {"in_port": name}}
MAC_FORMS = ["0:1:2:3:4:5", "001122-334455", "aa:bb:cc:dd:ee:ff:00", "", "00:11:22:33:44:55 ",
             "\n00:11:22:33:44:55", "00:11:22:33:44:55\n\n", "0011.2233.44556", "1:22:333:44:55:66",
             "a-b-c-d-e-f", "abc-def-123", "ab:cd:ef:12:34:5", "000:11:22:33:44:55", "AbCdEf012345", "A.B.C",
             True, 2.9, -0.5, -1, 281474976710655, [1], {"a": 1}]
for i, v in enumerate(MAC_FORMS):
    filters["dl_dst-form-%d" % i] = {"match": {"dl_dst": v}}
IP_FORMS = ["10.0.0.1 trailing", "10.0.0.1\t", "1.2.3.4.5", "0x7f.1", "4294967295", "4294967296", "",
            "10.0.0.0/ 24", "10.0.0.0/24 ", "10.0.0.0/+24", "10.0.0.0/2_4", "10.0.0.0/024", "10.0.0.0/",
            "/24", "10.0.0.0/-8", "1.2.3.4/8", "255.255.255.255/31", "10.0.0.1\u0000", "10.0.0.1\u00e9",
            "012.0x10.0.1", " 10.0.0.1"]
for i, v in enumerate(IP_FORMS):
    filters["nw_dst-form-%d" % i] = {"match": {"nw_dst": v}}

FORM_FILTERS = [n for n in filters if n not in BASIC_FILTERS]
for name in FORM_FILTERS:
    case("flow-filter-" + name, "flow", body=filters[name], replies=ONE_FLOW)

case("flow-filter-zero-float", "flow", body=0.0, replies=ONE_FLOW)
case("flow-filter-float", "flow", body=0.5, replies=ONE_FLOW)
case("flow-filter-lone-surrogate", "flow", body={"match": {"dl_vlan": "\udc801"}}, replies=ONE_FLOW)
case("flow-filter-lone-surrogate-port", "flow", body={"match": {"in_port": "\udc80"}}, replies=ONE_FLOW)

# ---- flow stats: the reply ----

every_action = [a_output(1), a_output(0xfffd, 128), a_output(0xfffe), a_output(0xff00), a_output(0xfff8),
                a_output(0xfff9), a_output(0xfffa), a_output(0xfffb), a_output(0xfffc), a_output(0xffff),
                a_output(0xfeff), a_vid(100), a_vid(0xffff), a_pcp(7), a_strip(),
                a_dl(4, "00:0a:0b:0c:0d:0e"), a_dl(5, "fe:ff:ff:ff:ff:ff"), a_nw(6, "10.0.0.9"),
                a_nw(7, "255.255.255.255"), a_tos(0xb8), a_tp(9, 8080), a_tp(10, 65535), a_enqueue(3, 5),
                a_enqueue(0xfff8, 0xffffffff), a_enqueue(0xfffe, 0xfffffffe), a_nx_resubmit(4)]
case("flow-reply-every-action", "flow", replies=[flow_reply([flow_stats(match(), every_action)])])
for i, act in enumerate(every_action):
    case("flow-reply-action-%d" % i, "flow", replies=[flow_reply([flow_stats(match(), [act])])])
case("flow-reply-no-actions", "flow", replies=[flow_reply([flow_stats(match(), [])])])
case("flow-reply-empty", "flow", replies=[flow_reply([])])
case("flow-reply-none", "flow", replies=[])

match_replies = {
    "all-wild": match(),
    "exact-all": match(0, in_port=5, dl_src="00:00:00:00:00:0a", dl_dst="00:00:00:00:00:0b", dl_vlan=4095,
                       dl_vlan_pcp=7, dl_type=0x86dd, nw_tos=252, nw_proto=58, nw_src="1.2.3.4", nw_dst="5.6.7.8",
                       tp_src=1, tp_dst=2),
    "in_port-local": match(FW_ALL & ~1, in_port=0xfffe),
    "in_port-max": match(FW_ALL & ~1, in_port=0xff00),
    "in_port-none": match(FW_ALL & ~1, in_port=0xffff),
    "in_port-reserved-unnamed": match(FW_ALL & ~1, in_port=0xfff0),
    "dl_src": match(FW_ALL & ~4, dl_src="12:34:56:78:9a:bc"),
    "dl_dst": match(FW_ALL & ~8, dl_dst="de:ad:be:ef:00:01"),
    "dl_vlan": match(FW_ALL & ~2, dl_vlan=0xffff),
    "dl_vlan_pcp": match(FW_ALL & ~(1 << 20), dl_vlan_pcp=2),
    "dl_type": match(FW_ALL & ~16, dl_type=0x0806),
    "nw_tos": match(FW_ALL & ~(1 << 21), nw_tos=4),
    "nw_proto": match(FW_ALL & ~32, nw_proto=1),
    "tp_src": match(FW_ALL & ~64, tp_src=22),
    "tp_dst": match(FW_ALL & ~128, tp_dst=23),
    "ip-fields-wild-values-set": match(FW_ALL, nw_src="9.9.9.9", nw_dst="8.8.8.8", tp_src=9, in_port=3),
}
for bits in (0, 1, 8, 16, 24, 31, 32, 33, 63):
    w = (FW_ALL & ~(0x3f << 8)) | (bits << 8)
    match_replies["nw_src-wild-%d" % bits] = match(w, nw_src="172.16.5.4")
    w = (FW_ALL & ~(0x3f << 14)) | (bits << 14)
    match_replies["nw_dst-wild-%d" % bits] = match(w, nw_dst="172.17.6.0")
match_replies["nw-both-prefix"] = match((FW_ALL & ~(0xfff << 8)) | (8 << 8) | (16 << 14), nw_src="10.0.0.0",
                                        nw_dst="10.1.0.0")
match_replies["wildcards-high-bits"] = match(0xffc00000 | (FW_ALL & ~1), in_port=1)
for name, m in match_replies.items():
    case("flow-reply-match-" + name, "flow", replies=[flow_reply([flow_stats(m, [a_output(1)])])])

big_counts = flow_stats(match(), [a_strip()], table_id=254, dur=(0xffffffff, 999999999), priority=0xffff,
                        idle=0xffff, hard=0, cookie=0xffffffffffffffff, packets=0xfffffffffffffffe,
                        nbytes=1 << 63)
case("flow-reply-big-numbers", "flow", replies=[flow_reply([big_counts])])
case("flow-reply-table-255", "flow", replies=[flow_reply([flow_stats(match(), [], table_id=255)])])
several = [flow_stats(match(FW_ALL & ~1, in_port=i), [a_output(i + 1)], priority=p, cookie=i)
           for i, p in ((1, 100), (2, 7), (3, 100), (4, 0))]
case("flow-reply-several", "flow", replies=[flow_reply(several)])
case("flow-reply-multipart", "flow", replies=[flow_reply(several[:2], MORE), flow_reply(several[2:3], MORE),
                                              flow_reply(several[3:])])
case("flow-reply-multipart-empty-part", "flow", replies=[flow_reply(several[:1], MORE), flow_reply([])])
for prio in (100, 7, 0, "0", -1, 65535, 99999, "0x64"):
    case("flow-reply-priority-filter-%s" % json.dumps(prio), "flow", body={"priority": prio},
         replies=[flow_reply(several[:2], MORE), flow_reply(several[2:])])

# ---- aggregate ----

case("aggregateflow", "aggregateflow", replies=[aggregate_reply(10, 1000, 3)])
case("aggregateflow-big", "aggregateflow", replies=[aggregate_reply((1 << 64) - 1, 1 << 63, 0xffffffff)])
case("aggregateflow-zero", "aggregateflow", replies=[aggregate_reply(0, 0, 0)])
case("aggregateflow-none", "aggregateflow", replies=[])
case("aggregateflow-multipart", "aggregateflow",
     replies=[aggregate_reply(1, 2, 3, MORE), aggregate_reply(4, 5, 6)])

# ---- table ----

table_wildcards = [0, FW_ALL, 1, 2, 4, 8, 16, 32, 64, 128, 1 << 6 | 1, 1 << 14, 0x3fffff & ~(0x3f << 8), 0xffffffff,
                   0x0000ffff, 0x00ff00ff, 0x55555555]
for w in table_wildcards:
    case("table-wildcards-%08x" % w, "table", replies=[table_reply([table_entry(0, b"classifier", w)])])
case("table-several", "table", replies=[table_reply([table_entry(i, b"t%d" % i, 0x3ff0ff ^ i, 100 * i, i, i * 3,
                                                                 i * 2) for i in range(4)])])
case("table-multipart", "table", replies=[table_reply([table_entry(0, b"a", 1)], MORE),
                                          table_reply([table_entry(1, b"b", 2)])])
case("table-empty", "table", replies=[table_reply([])])
case("table-none", "table", replies=[])
case("table-name-full", "table", replies=[table_reply([table_entry(254, b"N" * 32, 7)])])
case("table-name-utf8", "table", replies=[table_reply([table_entry(1, "t\u00e4ble".encode(), 7)])])
case("table-name-utf8-4-bytes", "table", replies=[table_reply([table_entry(1, "t\U0001f600".encode(), 7)])])
case("table-name-surrogate-bytes", "table", replies=[table_reply([table_entry(1, b"t\xed\xa0\x80", 7)])])
case("table-name-overlong", "table", replies=[table_reply([table_entry(1, b"t\xc0\xaf", 7)])])
case("table-name-truncated-utf8", "table", replies=[table_reply([table_entry(1, b"t\xf0\x9f\x98", 7)])])
case("table-name-not-utf8", "table", replies=[table_reply([table_entry(1, b"t\xe4ble", 7)])])
case("table-big", "table", replies=[table_reply([table_entry(255, b"x", 0, 0xffffffff, 0xffffffff,
                                                             (1 << 64) - 1, (1 << 64) - 1)])])

# ---- port stats ----

port_args = {
    "none": {},
    "all": {"port": "ALL"},
    "1": {"port": "1"},
    "hex": {"port": "0x10"},
    "octal": {"port": "0o17"},
    "binary": {"port": "0b101"},
    "underscore": {"port": "1_0"},
    "spaces": {"port": " 7 "},
    "max": {"port": "65535"},
    "too-big": {"port": "65536"},
    "negative": {"port": "-1"},
    "leading-zero": {"port": "010"},
    "zero": {"port": "0"},
    "name": {"port": "LOCAL"},
    "garbage": {"port": "eth0"},
    "empty": {"port": ""},
    "float": {"port": "1.0"},
    "huge": {"port": "99999999999999999999999"},
    "unicode-digits": {"port": "\u0663"},
    "not-utf8": {"port": "\udc80x"},
}
for name, args in port_args.items():
    case("port-arg-" + name, "port", args=args, replies=[port_reply([port_entry(1)])])
case("port-reply-reserved", "port", replies=[port_reply([port_entry(0xfffe, 5), port_entry(0xff00, 6),
                                                         port_entry(0xfffd), port_entry(0xffff),
                                                         port_entry(0xfff7)])])
case("port-reply-multipart", "port", replies=[port_reply([port_entry(1, 100)], MORE),
                                              port_reply([port_entry(2, 200), port_entry(3, 300)])])
case("port-reply-empty", "port", replies=[port_reply([])])
case("port-reply-none", "port", replies=[])
case("port-reply-big", "port", replies=[port_reply([port_entry(4, (1 << 64) - 200)])])

# ---- queue stats ----

queue_args = {
    "none": {},
    "port": {"port": "1"},
    "port-all": {"port": "ALL"},
    "port-queue": {"port": "2", "queue": "3"},
    "port-all-queue": {"port": "ALL", "queue": "7"},
    "port-queue-all": {"port": "2", "queue": "ALL"},
    "hex": {"port": "0xfffe", "queue": "0xffffffff"},
    "queue-too-big": {"port": "1", "queue": "4294967296"},
    "queue-negative": {"port": "1", "queue": "-2"},
    "queue-garbage": {"port": "1", "queue": "q1"},
    "port-garbage": {"port": "p1", "queue": "1"},
    "port-too-big": {"port": "65536", "queue": "1"},
    "port-name": {"port": "LOCAL"},
    "queue-underscore": {"port": "1", "queue": "1_000"},
    "both-bad": {"port": "x", "queue": "y"},
    "port-misfit-queue-bad": {"port": "70000", "queue": "y"},
}
for name, args in queue_args.items():
    case("queue-arg-" + name, "queue", args=args, replies=[queue_reply([queue_entry(1, 1)])])
case("queue-reply-several", "queue", replies=[queue_reply([queue_entry(1, 0), queue_entry(0xfffe, 0xffffffff),
                                                           queue_entry(0xfffc, 5, 1 << 63, 0, 0)])])
case("queue-reply-multipart", "queue", replies=[queue_reply([queue_entry(1, 1)], MORE),
                                                queue_reply([queue_entry(2, 2)])])
case("queue-reply-empty", "queue", replies=[queue_reply([])])
case("queue-reply-none", "queue", replies=[])

# ---- port desc (the features reply) ----

P1 = phy_port(1, "00:00:00:00:01:01", b"eth1", state=1)
P2 = phy_port(2, "0a:00:00:00:01:02", b"eth2", config=1, peer=0x280)
PL = phy_port(0xfffe, "0a:00:00:00:00:fe", b"br0", config=0x41, state=0x200)
case("portdesc", "portdesc", replies=[features_reply([P1, P2, PL])])
case("portdesc-no-ports", "portdesc", replies=[features_reply([])])
case("portdesc-none", "portdesc", replies=[])
case("portdesc-one", "portdesc", replies=[features_reply([PL])])
case("portdesc-port-arg-ignored", "portdesc", args={"port": "2"}, replies=[features_reply([P1, P2])])
case("portdesc-port-arg-garbage", "portdesc", args={"port": "x"}, replies=[features_reply([P1])])
case("portdesc-name-full", "portdesc", replies=[features_reply([phy_port(3, "00:00:00:00:00:03", b"n" * 16)])])
case("portdesc-name-utf8", "portdesc", replies=[features_reply([phy_port(3, "00:00:00:00:00:03",
                                                                         "p\u00f6rt".encode())])])
case("portdesc-name-not-utf8", "portdesc", replies=[features_reply([phy_port(3, "00:00:00:00:00:03",
                                                                             b"p\xf6rt")])])
case("portdesc-big", "portdesc", replies=[features_reply([phy_port(0xff00, "ff:ff:ff:ff:ff:ff", b"x",
                                                                   0xffffffff, 0xffffffff, 0xffffffff,
                                                                   0xffffffff, 0xffffffff, 0xffffffff)])])
case("portdesc-duplicate-port", "portdesc", replies=[features_reply([P1, P2, phy_port(1, "00:00:00:00:0d:0d",
                                                                                   b"dup")])])
case("flow-reply-vendor-action-other", "flow",
     replies=[flow_reply([flow_stats(match(), [struct.pack("!HHI8x", 0xffff, 16, 0x00123456)])])])
case("flow-reply-nx-actions", "flow",
     replies=[flow_reply([flow_stats(match(), [a_nx_resubmit(1), a_output(2), a_nx_resubmit(0xfff8)])])])
case("portdesc-many", "portdesc", replies=[features_reply([phy_port(i, "00:00:00:00:00:%02x" % i, b"p%d" % i)
                                                           for i in (5, 3, 9, 1, 7)])])

# ---- flow entries ----

FLOW_CMDS = ("add", "modify", "modify_strict", "delete", "delete_strict")
BASE = {"dpid": 1, "cookie": 1, "priority": 11, "match": {"in_port": 1}, "actions": [{"type": "OUTPUT", "port": 2}]}
for cmd in FLOW_CMDS:
    case("flowentry-" + cmd, "flowentry", body=BASE, command=cmd)
    case("flowentry-%s-empty" % cmd, "flowentry", body={}, command=cmd)
case("flowentry-no-body", "flowentry", body=None, command="add")
case("flowentry-clear", "flowentry", body=None, command="clear")
case("flowentry-clear-body-ignored", "flowentry", body=BASE, command="clear")
case("flowentry-bad-command", "flowentry", body=BASE, command="remove")

actions = {
    "output": {"type": "OUTPUT", "port": 3},
    "output-max_len": {"type": "OUTPUT", "port": "CONTROLLER", "max_len": 128},
    "output-max_len-hex": {"type": "OUTPUT", "port": 1, "max_len": "0xffff"},
    "output-default-port": {"type": "OUTPUT"},
    "output-port-names": None,
    "output-port-str": {"type": "OUTPUT", "port": "5"},
    "output-port-bad": {"type": "OUTPUT", "port": "uplink"},
    "output-port-null": {"type": "OUTPUT", "port": None},
    "output-port-true": {"type": "OUTPUT", "port": True},
    "output-port-float": {"type": "OUTPUT", "port": 2.0},
    "output-port-too-big": {"type": "OUTPUT", "port": 65536},
    "output-max_len-bad": {"type": "OUTPUT", "port": 1, "max_len": "all"},
    "output-max_len-too-big": {"type": "OUTPUT", "port": 1, "max_len": 65536},
    "set_vlan_vid": {"type": "SET_VLAN_VID", "vlan_vid": 10},
    "set_vlan_vid-default": {"type": "SET_VLAN_VID"},
    "set_vlan_vid-str": {"type": "SET_VLAN_VID", "vlan_vid": "0x0a"},
    "set_vlan_vid-bad": {"type": "SET_VLAN_VID", "vlan_vid": "ten"},
    "set_vlan_vid-too-big": {"type": "SET_VLAN_VID", "vlan_vid": 65536},
    "set_vlan_pcp": {"type": "SET_VLAN_PCP", "vlan_pcp": 3},
    "set_vlan_pcp-default": {"type": "SET_VLAN_PCP"},
    "set_vlan_pcp-too-big": {"type": "SET_VLAN_PCP", "vlan_pcp": 256},
    "strip_vlan": {"type": "STRIP_VLAN"},
    "strip_vlan-extra-keys": {"type": "STRIP_VLAN", "vlan_vid": "junk"},
    "set_dl_src": {"type": "SET_DL_SRC", "dl_src": "00:11:22:33:44:55"},
    "set_dl_src-dashes": {"type": "SET_DL_SRC", "dl_src": "00-11-22-33-44-5F"},
    "set_dl_src-int": {"type": "SET_DL_SRC", "dl_src": 257},
    "set_dl_src-missing": {"type": "SET_DL_SRC"},
    "set_dl_src-bad": {"type": "SET_DL_SRC", "dl_src": "zz:11:22:33:44:55"},
    "set_dl_dst": {"type": "SET_DL_DST", "dl_dst": "66:77:88:99:aa:bb"},
    "set_dl_dst-wrong-key": {"type": "SET_DL_DST", "dl_src": "66:77:88:99:aa:bb"},
    "set_nw_src": {"type": "SET_NW_SRC", "nw_src": "10.0.0.1"},
    "set_nw_src-missing": {"type": "SET_NW_SRC"},
    "set_nw_src-int": {"type": "SET_NW_SRC", "nw_src": 167772161},
    "set_nw_src-short": {"type": "SET_NW_SRC", "nw_src": "10.1"},
    "set_nw_src-prefix": {"type": "SET_NW_SRC", "nw_src": "10.0.0.0/8"},
    "set_nw_src-part-256": {"type": "SET_NW_SRC", "nw_src": "10.0.0.256"},
    "set_nw_src-part-big": {"type": "SET_NW_SRC", "nw_src": "10.0.1.70000"},
    "set_nw_src-overflow": {"type": "SET_NW_SRC", "nw_src": "256.0.0.1"},
    "set_nw_src-negative": {"type": "SET_NW_SRC", "nw_src": "10.0.0.-1"},
    "set_nw_src-leading-zero": {"type": "SET_NW_SRC", "nw_src": "010.001.0.09"},
    "set_nw_src-spaces": {"type": "SET_NW_SRC", "nw_src": " 10. 0.0 .1"},
    "set_nw_src-empty-part": {"type": "SET_NW_SRC", "nw_src": "10..0.1"},
    "set_nw_dst": {"type": "SET_NW_DST", "nw_dst": "192.168.0.254"},
    "set_nw_dst-null": {"type": "SET_NW_DST", "nw_dst": None},
    "set_nw_tos": {"type": "SET_NW_TOS", "nw_tos": 184},
    "set_nw_tos-default": {"type": "SET_NW_TOS"},
    "set_nw_tos-too-big": {"type": "SET_NW_TOS", "nw_tos": 256},
    "set_tp_src": {"type": "SET_TP_SRC", "tp_src": 8080},
    "set_tp_src-default": {"type": "SET_TP_SRC"},
    "set_tp_dst": {"type": "SET_TP_DST", "tp_dst": "0x50"},
    "set_tp_dst-bad": {"type": "SET_TP_DST", "tp_dst": None},
    "enqueue": {"type": "ENQUEUE", "port": 1, "queue_id": 2},
    "enqueue-default": {"type": "ENQUEUE"},
    "enqueue-names": {"type": "ENQUEUE", "port": "IN_PORT", "queue_id": "ALL"},
    "enqueue-queue-prefixed": {"type": "ENQUEUE", "port": "OFPP_LOCAL", "queue_id": "OFPQ_ALL"},
    "enqueue-queue-bad": {"type": "ENQUEUE", "port": 1, "queue_id": "gold"},
    "enqueue-queue-too-big": {"type": "ENQUEUE", "port": 1, "queue_id": 4294967296},
    "enqueue-queue-str": {"type": "ENQUEUE", "port": "2", "queue_id": "0x10"},
    "unknown-type": {"type": "PUSH_VLAN", "ethertype": 0x8100},
    "no-type": {"port": 1},
    "type-lowercase": {"type": "output", "port": 1},
    "type-number": {"type": 0, "port": 1},
    "set_field-not-in-10": {"type": "SET_FIELD", "field": "vlan_vid", "value": 3},
}
for name, a in actions.items():
    if a is None:
        continue
    case("flowentry-action-" + name, "flowentry", body={"actions": [a]}, command="add")
for p in ("IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "CONTROLLER", "LOCAL", "NONE", "MAX", "in_port", "Flood",
          "OFPP_NORMAL", "OFPP_normal", "ofpp_normal", "OFPP_", "0xfffe", "65280"):
    case("flowentry-output-port-" + p, "flowentry", body={"actions": [{"type": "OUTPUT", "port": p}]}, command="add")
ACT_IP_FORMS = [" 1 . 2 . 3 . 4", "1.2.3.4\n", "+1.2.3.4", "1_0.0.0.1", "0x1.2.3.4", "1.2.3.", ".1.2.3",
                "1.2.3.4.", "1.2.3.4 x", "0.0.0.0", "255.255.255.255", "1.2.3.0256", "0.0.0.4294967295",
                "0.0.0.4294967296", "0.0.1.4294967295", "\u0661.2.3.4", ["1.2.3.4"], 1, True]
for i, v in enumerate(ACT_IP_FORMS):
    case("flowentry-set-nw-dst-form-%d" % i, "flowentry", body={"actions": [{"type": "SET_NW_DST", "nw_dst": v}]},
         command="add")
for i, v in enumerate(MAC_FORMS):
    case("flowentry-set-dl-src-form-%d" % i, "flowentry", body={"actions": [{"type": "SET_DL_SRC", "dl_src": v}]},
         command="add")
for i, v in enumerate(INT_FORMS):
    case("flowentry-idle-form-%d" % i, "flowentry", body={"idle_timeout": v}, command="add")
    case("flowentry-enqueue-queue-form-%d" % i, "flowentry",
         body={"actions": [{"type": "ENQUEUE", "port": 1, "queue_id": v}]}, command="add")
case("flowentry-every-action", "flowentry", body={"actions": [a for n, a in actions.items()
                                                                  if a and "-" not in n]}, command="add")
case("flowentry-actions-empty-list", "flowentry", body={"actions": []}, command="add")
case("flowentry-actions-empty-object", "flowentry", body={"actions": {}}, command="add")
case("flowentry-actions-object", "flowentry", body={"actions": {"type": "OUTPUT"}}, command="add")
case("flowentry-actions-empty-string", "flowentry", body={"actions": ""}, command="add")
case("flowentry-actions-string", "flowentry", body={"actions": "OUTPUT:1"}, command="add")
case("flowentry-actions-string-list", "flowentry", body={"actions": ["OUTPUT:1"]}, command="add")
case("flowentry-actions-number", "flowentry", body={"actions": 1}, command="add")
case("flowentry-actions-null", "flowentry", body={"actions": None}, command="add")
case("flowentry-actions-nested-list", "flowentry", body={"actions": [[{"type": "OUTPUT"}]]}, command="add")
case("flowentry-action-bad-then-501", "flowentry",
     body={"actions": [{"type": "SET_VLAN_VID", "vlan_vid": "x"}, {"type": "SET_NW_SRC"}]}, command="add")
case("flowentry-action-501-then-bad", "flowentry",
     body={"actions": [{"type": "SET_NW_SRC"}, {"type": "SET_VLAN_VID", "vlan_vid": "x"}]}, command="add")
case("flowentry-action-misfit-then-501", "flowentry",
     body={"actions": [{"type": "SET_VLAN_VID", "vlan_vid": 1 << 17}, {"type": "SET_NW_DST", "nw_dst": 1}]},
     command="add")
case("flowentry-action-501-match-bad", "flowentry",
     body={"actions": [{"type": "SET_NW_DST"}], "match": {"dl_type": "x"}}, command="add")
case("flowentry-match-501-action-misfit", "flowentry",
     body={"actions": [{"type": "OUTPUT", "port": 1 << 20}], "match": {"nw_dst": 1}}, command="add")

for name, body in filters.items():
    if isinstance(body, dict) and "match" in body:
        case("flowentry-match-" + name, "flowentry", body={"match": body["match"], "actions": []}, command="add")

fields = {
    # (not 1 << 64 as a JSON number: json-c reads it as the largest uint64)
    "cookie": [0, 1, "0x10", (1 << 64) - 1, "18446744073709551616", -1, "cookie", None, "18446744073709551615"],
    "priority": [0, 65535, 65536, "0x8000", "-1", "p", 1.0, True],
    "buffer_id": [0, 5, 0xffffffff, 1 << 32, "OFP_NO_BUFFER", "NO_BUFFER", "no_buffer", "5", True, None, -1, 1.0],
    "out_port": [1, "ANY", "NONE", "CONTROLLER", "2", "0xffff", 65536, "x", None, False],
    "flags": [0, 1, 7, "0x3", 65536, "SEND_FLOW_REM", None],
    "idle_timeout": [0, 60, "30", 65535, 65536, -1, "idle"],
    "hard_timeout": [0, 300, "0x12c", 65536, "", " "],
}
for key, values in fields.items():
    for i, v in enumerate(values):
        case("flowentry-%s-%d" % (key, i), "flowentry", body={key: v, "match": {"in_port": 1}}, command="add")
for cmd in FLOW_CMDS:
    case("flowentry-%s-full" % cmd, "flowentry", command=cmd,
         body={"dpid": 1, "cookie": 99, "priority": 100, "idle_timeout": 10, "hard_timeout": 20, "flags": 1,
               "buffer_id": 7, "out_port": 3,
               "match": filters["all-fields"]["match"],
               "actions": [{"type": "SET_DL_DST", "dl_dst": "aa:aa:aa:aa:aa:aa"}, {"type": "OUTPUT", "port": 4}]})
case("flowentry-body-list", "flowentry", body=[{"match": {}}], command="add")
case("flowentry-body-string", "flowentry", body="add", command="add")
case("flowentry-body-number", "flowentry", body=3, command="add")
case("flowentry-error-order-cookie-first", "flowentry", body={"priority": "x", "cookie": "y"}, command="add")
case("flowentry-error-order-misfit-priority", "flowentry", body={"priority": 1 << 17, "idle_timeout": "x"},
     command="add")
case("flowentry-error-order-actions-501", "flowentry", body={"hard_timeout": 1 << 17, "actions": "x"},
     command="add")

# ---- port modification ----

PD = {"hw_addr": "0a:1b:2c:3d:4e:5f", "advertised": 0x280}
pm = {
    "minimal": {"port_no": 1},
    "full": {"port_no": 2, "hw_addr": "aa:bb:cc:dd:ee:ff", "config": 1, "mask": 1, "advertise": 0x20},
    "port-str": {"port_no": "3", "config": "0x41", "mask": "0x41"},
    "port-hex": {"port_no": "0xfffe"},
    "port-name": {"port_no": "LOCAL"},
    "port-missing": {"config": 1},
    "port-null": {"port_no": None},
    "port-bool": {"port_no": True},
    "port-float": {"port_no": 1.0},
    "port-too-big": {"port_no": 65536},
    "port-negative": {"port_no": -1},
    "hw_addr-dashes": {"port_no": 1, "hw_addr": "AA-BB-CC-DD-EE-01"},
    "hw_addr-cisco": {"port_no": 1, "hw_addr": "aabb.ccdd.ee02"},
    "hw_addr-bare": {"port_no": 1, "hw_addr": "aabbccddee03"},
    "hw_addr-int": {"port_no": 1, "hw_addr": 123456789012},
    "hw_addr-int-small": {"port_no": 1, "hw_addr": 5},
    "hw_addr-bad": {"port_no": 1, "hw_addr": "not a mac"},
    "hw_addr-null": {"port_no": 1, "hw_addr": None},
    "config-bad": {"port_no": 1, "config": "down"},
    "config-too-big": {"port_no": 1, "config": 1 << 32},
    "mask-bad": {"port_no": 1, "mask": [1]},
    "advertise": {"port_no": 1, "advertise": "0x7ff"},
    "advertise-null": {"port_no": 1, "advertise": None},
    "advertise-bad": {"port_no": 1, "advertise": "10GB_FD"},
    "advertise-negative": {"port_no": 1, "advertise": -5},
    "extra-keys": {"port_no": 1, "dpid": 1, "properties": []},
}
for name, body in pm.items():
    case("portdesc_modify-" + name, "portdesc_modify", body=body, command="modify", port_defaults=PD)
case("portdesc_modify-body-list", "portdesc_modify", body=[{"port_no": 1}], command="modify", port_defaults=PD)
case("portdesc_modify-no-body", "portdesc_modify", body=None, command="modify", port_defaults=PD)
case("portdesc_modify-no-such-port", "portdesc_modify", body={"port_no": 9}, command="modify")
case("portdesc_modify-bad-command", "portdesc_modify", body={"port_no": 1}, command="add", port_defaults=PD)
case("portdesc_modify-defaults-zero", "portdesc_modify", body={"port_no": 4}, command="modify",
     port_defaults={"hw_addr": "00:00:00:00:00:00", "advertised": 0})
case("portdesc_modify-defaults-big", "portdesc_modify", body={"port_no": 4, "config": 0xffffffff}, command="modify",
     port_defaults={"hw_addr": "ff:ff:ff:ff:ff:ff", "advertised": 0xffffffff})

# ---- seeded random bodies: field values from a pool of good and bad forms ----

R = random.Random(10)
POOL = [0, 1, 2, 255, 256, 65535, 65536, -1, 2 ** 32, 2 ** 32 - 1, 2 ** 64 - 1, "0", "1", "0x10", "0b1", "0o7", "ALL",
        "LOCAL", "controller", "OFPP_NONE", "in_port", "NONE", "x", "", " 5 ", "1_0", None, True, False, 1.0, 2.5, [],
        [1], {}, {"a": 1}, "10.0.0.1", "10.0.0.0/24", "10.0.0.0/8/1", "10.1", "aa:bb:cc:dd:ee:ff", "aabb.ccdd.eeff",
        "001122334455", "1.2.3.256", "NO_BUFFER", "OFP_NO_BUFFER", "\u0661", "0x_f", "\u00a07"]
MATCH_KEYS = ["in_port", "dl_src", "dl_dst", "dl_vlan", "dl_vlan_pcp", "dl_type", "nw_tos", "nw_proto", "nw_src",
              "nw_dst", "tp_src", "tp_dst", "bogus"]
ACTION_TYPES = ["OUTPUT", "SET_VLAN_VID", "SET_VLAN_PCP", "STRIP_VLAN", "SET_DL_SRC", "SET_DL_DST", "SET_NW_SRC",
                "SET_NW_DST", "SET_NW_TOS", "SET_TP_SRC", "SET_TP_DST", "ENQUEUE", "NOPE"]
ACTION_KEYS = ["port", "max_len", "vlan_vid", "vlan_pcp", "dl_src", "dl_dst", "nw_src", "nw_dst", "nw_tos", "tp_src",
               "tp_dst", "queue_id"]


def rvalue():
    return R.choice(POOL)


def rbody(top, with_actions):
    b = {k: rvalue() for k in R.sample(top, R.randint(0, 3))}
    if R.random() < 0.7:
        b["match"] = {k: rvalue() for k in R.sample(MATCH_KEYS, R.randint(0, 4))}
    if with_actions and R.random() < 0.8:
        b["actions"] = []
        for _ in range(R.randint(0, 3)):
            a = {"type": R.choice(ACTION_TYPES)}
            a.update({k: rvalue() for k in R.sample(ACTION_KEYS, R.randint(0, 3))})
            b["actions"].append(a)
    return b


for i in range(300):
    kind = R.choice(["flow", "flowentry", "flowentry", "portdesc_modify"])
    if kind == "flow":
        case("random-%d" % i, "flow", body=rbody(["table_id", "out_port", "priority"], False), replies=ONE_FLOW)
    elif kind == "flowentry":
        case("random-%d" % i, "flowentry", command=R.choice(FLOW_CMDS),
             body=rbody(["cookie", "priority", "buffer_id", "out_port", "flags", "idle_timeout", "hard_timeout"], True))
    else:
        body = {k: rvalue() for k in R.sample(["port_no", "hw_addr", "config", "mask", "advertise"], R.randint(0, 5))}
        if R.random() < 0.7:
            body["port_no"] = R.choice([1, "2", "0x3", 70000])
        case("random-%d" % i, "portdesc_modify", body=body, command="modify", port_defaults=PD)


# /stats/flowdesc is the flow stats before 1.5 (Ryu's route table): the
# same answers as the first flow cases.
for c in [c for c in CASES if c["kind"] == "flow"][:40]:
    CASES.append(dict(c, id=c["id"] + "-as-flowdesc", kind="flowdesc"))


def main():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "v1_0.jsonl")
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    with open(path, "w") as f:
        for c in CASES:
            f.write(json.dumps(c, sort_keys=True) + "\n")
    print("%d cases -> %s" % (len(CASES), path))


if __name__ == "__main__":
    main()
