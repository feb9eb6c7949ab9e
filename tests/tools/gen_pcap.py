#!/usr/bin/env python3
"""Writes pcap files of OpenFlow connections for the ken-ofp pcap tests, and
what each should decode to.

The messages are built here with struct (not with ken), then cut into TCP
segments in the ways a capture shows them: split messages, several in one
segment, segments out of order, retransmissions (whole and overlapping),
a lost segment, a message cut off at the end, IPv6 and Linux cooked
captures. Each file NAME.pcap comes with NAME.expect.json:
{"messages": [[conn, from, type, xid], ...] in stream order per connection
and direction, "errors": bool (ken-ofp must exit 1 and say why), "notes": bool (it exits 0
but notes something on stderr)}.

usage: gen_pcap.py OUTDIR
"""
import json
import os
import struct
import sys

ARP = bytes.fromhex("ffffffffffff f20ba47df8ea 0806 0001 0800 06 04 0001 f20ba47df8ea 0a000001 000000000000 0a000003")


def hdr(version, type_, length, xid):
    return struct.pack("!BBHI", version, type_, length, xid)


def msg(version, type_, xid, body=b""):
    return hdr(version, type_, 8 + len(body), xid) + body


# ---- OpenFlow 1.3 messages: (bytes, type name as ovs-ofctl prints it, xid)
def of13():
    m = []
    m.append((msg(4, 0, 1, struct.pack("!HHI", 1, 8, 0x12)), "OFPT_HELLO", 1))  # version bitmap 1.0, 1.3
    m.append((msg(4, 5, 2), "OFPT_FEATURES_REQUEST", 2))
    m.append((msg(4, 9, 3, struct.pack("!HH", 0, 128)), "OFPT_SET_CONFIG", 3))
    match = struct.pack("!HH", 1, 12) + struct.pack("!IIxxxx", 0x80000004, 1)  # in_port=1, padded to 16
    out = struct.pack("!HHIH6x", 0, 16, 0xfffffffb, 0)  # output:FLOOD
    inst = struct.pack("!HH4x", 4, 8 + len(out)) + out
    fm = struct.pack("!QQBBHHHIIIH2x", 0, 0, 0, 0, 0, 0, 100, 0xffffffff, 0xffffffff, 0xffffffff, 1)
    m.append((msg(4, 14, 4, fm + match + inst), "OFPT_FLOW_MOD", 4))
    m.append((msg(4, 20, 5), "OFPT_BARRIER_REQUEST", 5))
    m.append((msg(4, 2, 6, b"ping"), "OFPT_ECHO_REQUEST", 6))
    m.append((msg(4, 18, 7, struct.pack("!HH4xI4x", 4, 0, 0xffffffff)), "OFPST_PORT request", 7))
    return m


def of13_switch():
    m = []
    m.append((msg(4, 0, 11, struct.pack("!HHI", 1, 8, 0x12)), "OFPT_HELLO", 11))
    m.append((msg(4, 6, 2, struct.pack("!QIBB2xII", 0x1234, 256, 254, 0, 0x4f, 0)), "OFPT_FEATURES_REPLY", 2))
    match = struct.pack("!HH", 1, 12) + struct.pack("!IIxxxx", 0x80000004, 3)
    pin = struct.pack("!IHBBQ", 0xffffffff, len(ARP), 0, 0, 0) + match + b"\0\0" + ARP
    m.append((msg(4, 10, 0, pin), "OFPT_PACKET_IN", 0))  # reason no_match
    m.append((msg(4, 21, 5), "OFPT_BARRIER_REPLY", 5))
    m.append((msg(4, 3, 6, b"ping"), "OFPT_ECHO_REPLY", 6))
    # a port stats reply with one port
    port = struct.pack("!I4x12QII", 1, *range(12), 5, 0)
    m.append((msg(4, 19, 7, struct.pack("!HH4x", 4, 0) + port), "OFPST_PORT reply", 7))
    return m


def of10():
    sw = [(msg(1, 0, 21), "OFPT_HELLO", 21), (msg(1, 3, 22), "OFPT_ECHO_REPLY", 22)]
    ctl = [(msg(1, 0, 1), "OFPT_HELLO", 1), (msg(1, 5, 2), "OFPT_FEATURES_REQUEST", 2),
           (msg(1, 2, 22), "OFPT_ECHO_REQUEST", 22)]
    po = struct.pack("!IHH", 0xffffffff, 0xfffd, 8) + struct.pack("!HHHH", 0, 8, 0xfffb, 0) + ARP
    ctl.append((msg(1, 13, 3, po), "OFPT_PACKET_OUT", 3))
    return sw, ctl


# ---- link, IP and TCP
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


class Capture:
    def __init__(self, link=1):
        self.link = link
        self.records = []
        self.t = 1700000000.0

    def frame(self, src, dst, sport, dport, seq, ack, flags, payload, cut=None):
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff, 5 << 4, flags, 65535, 0, 0)
        tcp += payload
        if len(src) == 4:
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, bytes(src), bytes(dst))
            ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:] + tcp
            et = 0x0800
        else:
            ip = struct.pack("!IHBB16s16s", 0x60000000, len(tcp), 6, 64, bytes(src), bytes(dst)) + tcp
            et = 0x86dd
        if self.link == 1:
            data = b"\x02\x00\x00\x00\x00\x01" + b"\x02\x00\x00\x00\x00\x02" + struct.pack("!H", et) + ip
        elif self.link == 276:  # Linux cooked v2
            data = struct.pack("!HHIHBB8s", et, 0, 1, 772, 0, 6, b"\0" * 8) + ip
        else:
            data = ip
        self.t += 0.000250
        wire = len(data)
        if cut is not None:
            data = data[:cut]
        self.records.append((self.t, data, wire))

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, self.link))
            for t, data, wire in self.records:
                sec = int(t)
                f.write(struct.pack("<IIII", sec, int(round((t - sec) * 1e6)), len(data), wire))
                f.write(data)


    def write_pcapng(self, path):
        """The pcapng form (tshark's default): a section header, one
        interface (microsecond times), an enhanced packet block a frame."""
        def block(btype, body):
            body += b"\0" * (-len(body) % 4)
            n = 12 + len(body)
            return struct.pack("<II", btype, n) + body + struct.pack("<I", n)
        with open(path, "wb") as f:
            f.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
            f.write(block(1, struct.pack("<HHI", self.link, 0, 65535)))
            for t, data, wire in self.records:
                us = int(round(t * 1e6))
                f.write(block(6, struct.pack("<IIIII", 0, us >> 32, us & 0xffffffff, len(data), wire) + data))


class Conn:
    """One TCP connection: the switch (client) dials the controller."""

    def __init__(self, cap, sw, ctl, sport, dport):
        self.cap, self.ends, self.ports = cap, (sw, ctl), (sport, dport)
        self.seq = [1000, 50000]  # next sequence number per direction (0: switch)

    def handshake(self):
        sw, ctl = self.ends
        sp, dp = self.ports
        self.cap.frame(sw, ctl, sp, dp, self.seq[0], 0, 0x02, b"")
        self.cap.frame(ctl, sw, dp, sp, self.seq[1], self.seq[0] + 1, 0x12, b"")
        self.seq = [self.seq[0] + 1, self.seq[1] + 1]
        self.cap.frame(sw, ctl, sp, dp, self.seq[0], self.seq[1], 0x10, b"")

    def seg(self, d, payload, seq=None, advance=True, cut=None):
        """A segment from side d (0 switch, 1 controller) at seq (default: next)."""
        src, dst = self.ends[d], self.ends[1 - d]
        sp, dp = (self.ports[0], self.ports[1]) if d == 0 else (self.ports[1], self.ports[0])
        s = self.seq[d] if seq is None else seq
        self.cap.frame(src, dst, sp, dp, s, self.seq[1 - d], 0x18, payload, cut)
        if advance:
            self.seq[d] = max(self.seq[d], s + len(payload))

    def fin(self, d):
        src, dst = self.ends[d], self.ends[1 - d]
        sp, dp = (self.ports[0], self.ports[1]) if d == 0 else (self.ports[1], self.ports[0])
        self.cap.frame(src, dst, sp, dp, self.seq[d], self.seq[1 - d], 0x11, b"")
        self.seq[d] += 1


SW, CTL = [10, 0, 0, 2], [10, 0, 0, 1]
SW2 = [10, 0, 0, 3]


def expect_list(conn, frm, msgs):
    return [[conn, frm, name, xid] for _, name, xid in msgs]


def scenario_inorder(reorder):
    """Two connections (1.3 on 6653, 1.0 on 6633) and one that is not
    OpenFlow; split messages, several a segment, retransmissions. With
    reorder, segments of each direction come out of order too."""
    cap = Capture()
    c1 = Conn(cap, SW, CTL, 40000, 6653)
    c2 = Conn(cap, SW2, CTL, 40001, 6633)
    web = Conn(cap, SW, CTL, 40002, 80)
    c1.handshake()
    c2.handshake()
    web.handshake()
    ctl, sw = of13(), of13_switch()
    ctl_bytes = b"".join(m for m, _, _ in ctl)
    sw_bytes = b"".join(m for m, _, _ in sw)
    # controller side: hello alone, then the rest in uneven pieces
    # (a message split over 3 segments, 3 messages in one)
    cuts = [len(ctl[0][0]), len(ctl[0][0]) + 5, len(ctl[0][0]) + 30, len(ctl_bytes) - 30, len(ctl_bytes)]
    sw_cuts = [len(sw[0][0]), len(sw[0][0]) + 20, len(sw[0][0]) + len(sw[1][0]) + 40, len(sw_bytes)]
    web.seg(0, b"GET / HTTP/1.0\r\n\r\n")

    def pieces(data, cuts):
        out, prev = [], 0
        for c in cuts:
            out.append((prev, data[prev:c]))
            prev = c
        return out

    cp, sp = pieces(ctl_bytes, cuts), pieces(sw_bytes, sw_cuts)
    base_c, base_s = c1.seq[1], c1.seq[0]
    order_c = list(range(len(cp)))
    order_s = list(range(len(sp)))
    if reorder:
        order_c = [0, 2, 1, 4, 3]
        order_s = [0, 2, 1, 3]
    # interleave the two directions
    for i in range(max(len(cp), len(sp))):
        if i < len(sp):
            off, data = sp[order_s[i]]
            c1.seg(0, data, seq=base_s + off)
        if i < len(cp):
            off, data = cp[order_c[i]]
            c1.seg(1, data, seq=base_c + off)
            if i == 1:
                c1.seg(1, data, seq=base_c + off)  # a whole retransmission
            if i == 2:
                c1.seg(1, ctl_bytes[off - 3:off + len(data)], seq=base_c + off - 3)  # overlapping
    c1.seq = [base_s + len(sw_bytes), base_c + len(ctl_bytes)]
    # 1.0 connection, in order
    sw10, ctl10 = of10()
    c2.seg(0, sw10[0][0])
    c2.seg(1, b"".join(m for m, _, _ in ctl10[:3]))
    c2.seg(0, sw10[1][0])
    c2.seg(1, ctl10[3][0][:20])
    c2.seg(1, ctl10[3][0][20:])
    c1.fin(0)
    c1.fin(1)
    c2.fin(1)
    c2.fin(0)
    exp = (expect_list(1, "switch", sw) + expect_list(1, "controller", ctl) + expect_list(2, "switch", sw10)
           + expect_list(2, "controller", ctl10))
    return cap, exp, False


def scenario_gap():
    """A segment the capture lost: the messages before it decode, the hole
    is reported."""
    cap = Capture()
    c = Conn(cap, SW, CTL, 40000, 6653)
    c.handshake()
    ctl = of13()
    c.seg(1, ctl[0][0] + ctl[1][0])
    c.seg(1, ctl[2][0], advance=True)
    lost = c.seq[1]
    c.seq[1] += len(ctl[3][0])  # the flow-mod never reaches the capture
    c.seg(1, ctl[4][0])
    assert lost
    return cap, expect_list(1, "controller", ctl[:3]), True


def scenario_unfinished():
    """A message cut off by the end of the capture."""
    cap = Capture()
    c = Conn(cap, SW, CTL, 40000, 6653)
    c.handshake()
    sw = of13_switch()
    c.seg(0, sw[0][0] + sw[1][0] + sw[2][0][:30])
    return cap, expect_list(1, "switch", sw[:2]), True


def scenario_ipv6_sll2():
    """IPv6 in a Linux cooked (v2) capture, as tcpdump -i any writes it."""
    cap = Capture(link=276)
    a = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]
    b = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    c = Conn(cap, a, b, 50000, 6653)
    c.handshake()
    sw, ctl = of13_switch(), of13()
    c.seg(0, sw[0][0])
    c.seg(1, ctl[0][0] + ctl[1][0])
    c.seg(0, sw[1][0])
    return cap, expect_list(1, "switch", sw[:2]) + expect_list(1, "controller", ctl[:2]), False


def scenario_synretx():
    """A SYN-ACK and a SYN sent again after data flowed (their answers
    were lost): the streams go on."""
    cap = Capture()
    c = Conn(cap, SW, CTL, 40000, 6653)
    isn = list(c.seq)
    c.handshake()
    sw, ctl = of13_switch(), of13()
    c.seg(0, sw[0][0])
    cap.frame(CTL, SW, 6653, 40000, isn[1], isn[0] + 1, 0x12, b"")  # SYN-ACK again
    c.seg(1, ctl[0][0] + ctl[1][0])
    cap.frame(SW, CTL, 40000, 6653, isn[0], 0, 0x02, b"")  # SYN again, no FIN before it
    c.seg(0, sw[1][0])
    return cap, expect_list(1, "switch", sw[:2]) + expect_list(1, "controller", ctl[:2]), False


def scenario_midstream():
    """A capture started while the controller ran: no handshake, and the
    first controller segment starts inside a flow-mod. The messages after
    it are found and decoded; the bytes skipped are noted."""
    cap = Capture()
    c = Conn(cap, SW, CTL, 40000, 6653)
    sw, ctl = of13_switch(), of13()
    c.seg(1, ctl[3][0][-20:] + ctl[4][0] + ctl[5][0])
    c.seg(0, sw[1][0] + sw[2][0])
    c.seg(1, ctl[6][0])
    return cap, expect_list(1, "switch", sw[1:3]) + expect_list(1, "controller", ctl[4:7]), "notes"


def scenario_many():
    """300 connections at once (the hash of address pairs grows), then one
    address pair used again after its connection closed: a new connection."""
    cap = Capture()
    conns, exp = [], []
    for i in range(300):
        c = Conn(cap, [10, 1, i // 250, 1 + i % 250], CTL, 30000 + i, 6653)
        c.handshake()
        conns.append(c)
    for i, c in enumerate(conns):
        c.seg(0, msg(4, 0, i, struct.pack("!HHI", 1, 8, 0x10)))
        c.seg(1, msg(4, 5, 100000 + i))
        exp += [[i + 1, "switch", "OFPT_HELLO", i], [i + 1, "controller", "OFPT_FEATURES_REQUEST", 100000 + i]]
    for c in conns:
        c.fin(0)
        c.fin(1)
    again = Conn(cap, [10, 1, 0, 1], CTL, 30000, 6653)
    again.seq = [7000, 9000]
    again.handshake()
    again.seg(0, msg(4, 2, 4242))
    exp.append([301, "switch", "OFPT_ECHO_REQUEST", 4242])
    return cap, exp, False


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, (cap, exp, err) in {
        "inorder": scenario_inorder(False),
        "reorder": scenario_inorder(True),
        "gap": scenario_gap(),
        "unfinished": scenario_unfinished(),
        "ipv6_sll2": scenario_ipv6_sll2(),
        "many": scenario_many(),
        "midstream": scenario_midstream(),
        "synretx": scenario_synretx(),
        "pcapng": scenario_inorder(False),  # written as pcapng
    }.items():
        if name == "pcapng":
            cap.write_pcapng(os.path.join(out, name + ".pcap"))
        else:
            cap.write(os.path.join(out, name + ".pcap"))
        with open(os.path.join(out, name + ".expect.json"), "w") as f:
            json.dump({"messages": exp, "errors": err is True, "notes": err == "notes"}, f)


if __name__ == "__main__":
    main()
