#!/usr/bin/python3
"""OS-Ken's side of the ofctl oracle test.

Reads cases (tests/rest/ofctl_cases/README.md), each with "replies_hex":
the reply bytes ken's driver produced, one JSON object per line on stdin.
For each, calls the function of Debian's os_ken.lib.ofctl_v1_N that Ryu's
ofctl_rest calls for that route, with the arguments ofctl_rest passes,
against a fake datapath: it records the bytes of every message sent and,
for a request that waits, hands back the case's reply bytes parsed by
OS-Ken's own parser. Writes one JSON line per case:
  {"id", "status": "ok" | "400" | "404" | "501" | "crash", "why",
   "requests": [hex, ...], "answer": <the value under the dpid key>}
"crash" is an exception ofctl_rest does not map (Ryu answers 500).
"""
import json
import sys
import traceback

from os_ken.lib import ofctl_v1_0, ofctl_v1_2, ofctl_v1_3, ofctl_v1_4, ofctl_v1_5
from os_ken.ofproto import ofproto_parser
from os_ken.ofproto import ofproto_v1_0, ofproto_v1_0_parser
from os_ken.ofproto import ofproto_v1_2, ofproto_v1_2_parser
from os_ken.ofproto import ofproto_v1_3, ofproto_v1_3_parser
from os_ken.ofproto import ofproto_v1_4, ofproto_v1_4_parser
from os_ken.ofproto import ofproto_v1_5, ofproto_v1_5_parser

VERSIONS = {
    1: (ofproto_v1_0, ofproto_v1_0_parser, ofctl_v1_0),
    3: (ofproto_v1_2, ofproto_v1_2_parser, ofctl_v1_2),
    4: (ofproto_v1_3, ofproto_v1_3_parser, ofctl_v1_3),
    5: (ofproto_v1_4, ofproto_v1_4_parser, ofctl_v1_4),
    6: (ofproto_v1_5, ofproto_v1_5_parser, ofctl_v1_5),
}


class NotFound(Exception):
    """ofctl_rest's CommandNotFoundError and PortNotFoundError (404)."""


class FakeDatapath:
    def __init__(self, version, replies):
        self.ofproto, self.ofproto_parser, _ = VERSIONS[version]
        self.id = 1
        self.xid = 0
        self.replies = [bytes.fromhex(h) for h in replies]
        self.sent = []
        self.waiters = {}

    def set_xid(self, msg):
        self.xid = (self.xid + 1) & self.ofproto.MAX_XID
        msg.set_xid(self.xid)
        return self.xid

    def send_msg(self, msg):
        if msg.xid is None:
            self.set_xid(msg)
        msg.serialize()
        buf = bytearray(msg.buf)
        buf[4:8] = b"\0\0\0\0"
        self.sent.append(buf.hex())
        waiting = self.waiters.get(self.id, {})
        if msg.xid not in waiting:
            return
        lock, msgs = waiting.pop(msg.xid)
        for raw in self.replies:
            version, msg_type, msg_len, _ = ofproto_parser.header(raw)
            msgs.append(ofproto_parser.msg(self, version, msg_type, msg_len, msg.xid, raw))
        lock.set()


def none_if_all(value):
    return None if value == "ALL" else value


def call(case, dp, ofctl):
    kind = case["kind"]
    args = case.get("args") or {}
    body = case.get("body")
    w = dp.waiters
    v15 = dp.ofproto.OFP_VERSION >= ofproto_v1_5.OFP_VERSION
    flow = body if body else {}
    port = none_if_all(args.get("port"))
    stats = {
        "desc": lambda: ofctl.get_desc_stats(dp, w),
        # Ryu's route table wires /stats/flowdesc to the flow stats; ken
        # asks for the flow desc where the version has one (1.5), held to
        # the function ofctl_v1_5 has for it (ofctl_route_kind).
        "flowdesc": lambda: (ofctl.get_flow_desc_stats if v15 else ofctl.get_flow_stats)(dp, w, flow),
        "flow": lambda: ofctl.get_flow_stats(dp, w, flow),
        "aggregateflow": lambda: ofctl.get_aggregate_flow_stats(dp, w, flow),
        "table": lambda: ofctl.get_table_stats(dp, w),
        "tablefeatures": lambda: ofctl.get_table_features(dp, w),
        "port": lambda: ofctl.get_port_stats(dp, w, port),
        "queue": lambda: ofctl.get_queue_stats(dp, w, port, none_if_all(args.get("queue"))),
        "queueconfig": lambda: ofctl.get_queue_config(dp, w, port),
        "queuedesc": lambda: ofctl.get_queue_desc(dp, w, port, none_if_all(args.get("queue"))),
        "meterfeatures": lambda: ofctl.get_meter_features(dp, w),
        "meterconfig": lambda: ofctl.get_meter_config(dp, w, none_if_all(args.get("meter_id"))),
        "meterdesc": lambda: ofctl.get_meter_desc(dp, w, none_if_all(args.get("meter_id"))),
        "meter": lambda: ofctl.get_meter_stats(dp, w, none_if_all(args.get("meter_id"))),
        "groupfeatures": lambda: ofctl.get_group_features(dp, w),
        "groupdesc": lambda: ofctl.get_group_desc(dp, w, args.get("group_id")) if v15 else ofctl.get_group_desc(dp, w),
        "group": lambda: ofctl.get_group_stats(dp, w, none_if_all(args.get("group_id"))),
        "portdesc": lambda: ofctl.get_port_desc(dp, w, args.get("port")) if v15 else ofctl.get_port_desc(dp, w),
        "role": lambda: ofctl.get_role(dp, w),
    }
    if kind in stats:
        return stats[kind]()

    # The command routes: the body as ofctl_rest reads it ({} when empty).
    body = body if body is not None else {}
    ofp = dp.ofproto
    cmd = case.get("command")
    if kind == "flowentry":
        if cmd == "clear":
            flow = {} if ofp.OFP_VERSION == ofproto_v1_0.OFP_VERSION else {"table_id": ofp.OFPTT_ALL}
            return ofctl.mod_flow_entry(dp, flow, ofp.OFPFC_DELETE)
        cmds = {"add": ofp.OFPFC_ADD, "modify": ofp.OFPFC_MODIFY, "modify_strict": ofp.OFPFC_MODIFY_STRICT,
                "delete": ofp.OFPFC_DELETE, "delete_strict": ofp.OFPFC_DELETE_STRICT}
        if cmd not in cmds:
            raise NotFound(cmd)
        return ofctl.mod_flow_entry(dp, body, cmds[cmd])
    if kind in ("meterentry", "groupentry"):
        if kind == "meterentry":
            cmds = {"add": ofp.OFPMC_ADD, "modify": ofp.OFPMC_MODIFY, "delete": ofp.OFPMC_DELETE}
            fn = ofctl.mod_meter_entry
        else:
            cmds = {"add": ofp.OFPGC_ADD, "modify": ofp.OFPGC_MODIFY, "delete": ofp.OFPGC_DELETE}
            fn = ofctl.mod_group_entry
        if cmd not in cmds:
            raise NotFound(cmd)
        return fn(dp, body, cmds[cmd])
    if kind == "portdesc_modify":
        int(str(body.get("port_no", None)), 0)
        defaults = case.get("port_defaults")
        if not defaults:
            raise NotFound("port")
        body.setdefault("hw_addr", defaults.get("hw_addr"))
        if ofp.OFP_VERSION < ofproto_v1_4.OFP_VERSION:
            body.setdefault("advertise", defaults.get("advertised", 0))
        else:
            body.setdefault("properties", defaults.get("properties", []))
        if (cmd or "modify") != "modify":
            raise NotFound(cmd)
        return ofctl.mod_port_behavior(dp, body)
    if kind == "experimenter":
        return ofctl.send_experimenter(dp, body)
    if kind == "set_role":
        return ofctl.set_role(dp, body)
    raise SystemExit("ofctl_oracle: unknown kind %r in case %r" % (kind, case.get("id")))


def run(case):
    out = {"id": case.get("id"), "requests": []}
    version = case["version"]
    if version not in VERSIONS:
        out.update(status="501", why="no such version")
        return out
    dp = FakeDatapath(version, case.get("replies_hex") or [])
    try:
        ret = call(case, dp, VERSIONS[version][2])
        if case["kind"] in ("flowentry", "meterentry", "groupentry", "portdesc_modify", "experimenter", "set_role"):
            out.update(status="ok")
        else:
            # What Ryu's answer body holds: json.dumps of the returned dict.
            ret = json.loads(json.dumps(ret))
            out.update(status="ok", answer=ret.get(str(dp.id)) if isinstance(ret, dict) else ret)
    except ValueError as e:
        out.update(status="400", why="%s: %s" % (type(e).__name__, e))
    except AttributeError as e:
        out.update(status="501", why="AttributeError: %s" % e)
    except NotFound as e:
        out.update(status="404", why="not found: %s" % e)
    except Exception as e:  # ofctl_rest answers 500 for these
        tb = traceback.extract_tb(e.__traceback__)[-1]
        out.update(status="crash", why="%s: %s (%s:%d)" % (type(e).__name__, e, tb.filename.split("/")[-1], tb.lineno))
    out["requests"] = dp.sent
    return out


def main():
    import logging
    logging.disable(logging.CRITICAL)  # ofctl logs every message it sends
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        print(json.dumps(run(json.loads(line))), flush=False)


if __name__ == "__main__":
    main()
