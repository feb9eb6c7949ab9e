#!/usr/bin/python3
"""Times OS-Ken's OpenFlow parser on the messages ken-bench-codec used and
prints ns per message beside ken's, with the ratio. Input: the --json
lines of ken-bench-codec (a file, or stdin)."""
import json
import sys
import time

from os_ken.ofproto import ofproto_parser, ofproto_protocol


def per_call_ns(fn, budget_s=1.0):
    n, t0 = 0, time.perf_counter()
    while True:
        for _ in range(100):
            fn()
        n += 100
        dt = time.perf_counter() - t0
        if dt >= budget_s:
            return dt / n * 1e9


def main():
    rows = [json.loads(line) for line in open(sys.argv[1] if len(sys.argv) > 1 else '/dev/stdin') if line.strip()]
    print('%-26s %10s %12s %8s   %10s %12s %8s' % ('message', 'ken dec ns', 'OS-Ken dec', 'ratio',
                                                   'ken enc ns', 'OS-Ken enc', 'ratio'))
    for r in rows:
        buf = bytes.fromhex(r['hex'])
        version, msg_type, msg_len, xid = ofproto_parser.header(buf)
        dp = ofproto_protocol.ProtocolDesc(version)
        decode = lambda: ofproto_parser.msg(dp, version, msg_type, msg_len, xid, buf)
        msg = decode()
        dec = per_call_ns(decode)
        enc = None
        if type(msg).__name__ == 'OFPFlowMod':  # OS-Ken serializes controller-to-switch messages only
            def encode():
                m = dp.ofproto_parser.OFPFlowMod(
                    dp, msg.cookie, msg.cookie_mask, msg.table_id, msg.command, msg.idle_timeout,
                    msg.hard_timeout, msg.priority, msg.buffer_id, msg.out_port, msg.out_group, msg.flags,
                    msg.match, msg.instructions)
                m.serialize()
            encode()
            enc = per_call_ns(encode)
        print('%-26s %10.1f %12.0f %7.0fx   %10.1f %12s %8s' % (
            r['name'], r['decode_ns'], dec, dec / r['decode_ns'], r['encode_ns'],
            '%.0f' % enc if enc else 'n/a', '%.0fx' % (enc / r['encode_ns']) if enc else 'n/a'))


main()
