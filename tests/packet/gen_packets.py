#!/usr/bin/python3
"""Builds packets of every protocol the packet library knows with OS-Ken
(os_ken.lib.packet) and writes one line per packet to OUT:

    name <TAB> frame hex <TAB> JSON before serialize <TAB> JSON of the parse
         <TAB> frame hex as built from the JSON before serialize
         <TAB> 1 if OS-Ken's parse serializes back to the frame, else 0

The JSON before serialize has the lengths and checksums the generator left
at 0 (OS-Ken fills them); the JSON of the parse is Packet(frame).to_jsondict().
The fifth column differs from the frame only for SCTP: OS-Ken's
sctp._checksum runs over str(bytearray) (the text of its repr) under
Python 3, so its CRC is not RFC 3309's; the generator computes the real
CRC32c (crc32c() below, bit by bit from RFC 3309) for ken to match.
The last column is 0 where OS-Ken's parse loses bytes (a payload of zeros
is padding to it), so that its JSON cannot give the frame back: the test
does not ask ken to either. Packets OS-Ken cannot parse back into the same protocols are skipped (and
counted): they are no oracle.   Usage: gen_packets.py OUT [SEED]"""
import json
import logging
import random
import sys

try:
    from os_ken.lib.packet import (arp, ethernet, icmp, icmpv6, ipv4, ipv6, lldp, mpls, packet, sctp, tcp, udp, vlan,
                                   vxlan)
except ImportError as e:  # the oracle: without it the test fails, as test_json_defaults.py does
    print(f"FAIL: OS-Ken, the oracle, is missing ({e}): apt-get install python3-os-ken")
    sys.exit(1)

logging.disable(logging.WARNING)  # OS-Ken logs the TCP options it cannot read: they are meant
R = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)


def rb(lo, hi):
    return bytes(R.randrange(256) for _ in range(R.randint(lo, hi)))


def mac():
    return ':'.join('%02x' % R.randrange(256) for _ in range(6))


def ip4():
    return '.'.join(str(R.randrange(256)) for _ in range(4))


def ip6():
    import ipaddress
    return str(ipaddress.IPv6Address(bytes(R.randrange(256) if R.random() < 0.5 else 0 for _ in range(16))))


# ports OS-Ken hands to protocols ken does not parse (DHCP, VXLAN, BGP, OpenFlow, ...)
AVOID = {67, 68, 546, 547, 4789, 6081, 179, 6633, 6653, 2600, 0}


def port():
    while True:
        p = R.randrange(1, 65536)
        if p not in AVOID:
            return p


def tcp_opts():
    pool = [lambda: tcp.TCPOptionMaximumSegmentSize(R.randrange(65536)),
            lambda: tcp.TCPOptionWindowScale(R.randrange(15)),
            lambda: tcp.TCPOptionSACKPermitted(),
            lambda: tcp.TCPOptionSACK([(R.randrange(2**32), R.randrange(2**32)) for _ in range(R.randint(1, 3))]),
            lambda: tcp.TCPOptionTimestamps(R.randrange(2**32), R.randrange(2**32)),
            lambda: tcp.TCPOptionUserTimeout(R.randrange(2), R.randrange(2**15)),
            lambda: tcp.TCPOptionNoOperation()]
    opts = [R.choice(pool)() for _ in range(R.randint(1, 3))]
    n = sum(len(o.serialize()) for o in opts)
    if n % 4:  # end the list so that the padding parses as End of Option List
        opts.append(tcp.TCPOptionEndOfOptionList())
    return opts


NO_SCTP = False


def l4(v6, proto=None):
    proto = proto or R.choice(['tcp', 'udp', 'icmp'] + ([] if NO_SCTP else ['sctp']))
    if proto == 'tcp':
        opt = tcp_opts() if R.random() < 0.6 else None
        if R.random() < 0.15:  # bytes: an option of a kind OS-Ken does not name, or a SACK it cannot read
            opt = R.choice([bytes([30, 6]) + rb(4, 4), bytes([5, 3, 0, 0]), bytes([1, 1, 34, 2])])
        t = tcp.tcp(src_port=port(), dst_port=port(), seq=R.randrange(2**32), ack=R.randrange(2**32),
                    bits=R.randrange(64), window_size=R.randrange(65536), urgent=R.randrange(65536), option=opt)
        return 6, [t] + ([rb(1, 40)] if R.random() < 0.7 else [])
    if proto == 'udp':
        payload = R.choice([[rb(1, 60)], [rb(1, 60)], [rb(1, 60)], [], [bytes(R.randint(1, 9))]])  # zeros: padding to OS-Ken
        return 17, [udp.udp(src_port=port(), dst_port=port())] + payload
    if proto == 'sctp':
        return 132, [sctp.sctp(src_port=port(), dst_port=port(), vtag=R.randrange(2**32), chunks=sctp_chunks())]
    if v6:
        return 58, [icmpv6_msg()]
    return 1, [icmp_msg()]


def causes():
    addr = [lambda: sctp.param_ipv4(ip4()), lambda: sctp.param_ipv6(ip6()), lambda: sctp.param_host_addr(rb(1, 9))]
    pool = [lambda: sctp.cause_invalid_stream_id(value=R.randrange(65536)),
            lambda: sctp.cause_missing_param(types=[R.randrange(65536) for _ in range(R.randint(1, 3))]),
            lambda: sctp.cause_stale_cookie(rb(4, 4)), lambda: sctp.cause_out_of_resource(),
            lambda: sctp.cause_unresolvable_addr(R.choice(addr)()),
            lambda: sctp.cause_unrecognized_chunk(rb(4, 8)), lambda: sctp.cause_invalid_param(),
            lambda: sctp.cause_unrecognized_param(rb(4, 8)), lambda: sctp.cause_no_userdata(rb(4, 4)),
            lambda: sctp.cause_cookie_while_shutdown(),
            lambda: sctp.cause_restart_with_new_addr([R.choice(addr)() for _ in range(R.randint(1, 2))]),
            lambda: sctp.cause_user_initiated_abort(rb(1, 9)), lambda: sctp.cause_protocol_violation(rb(1, 9))]
    return [R.choice(pool)() for _ in range(R.randint(0, 3))]


def sctp_chunks():
    def params(ack=False):
        # only the parameters OS-Ken expects in the chunk (it stops at another)
        pool = [lambda: sctp.param_ipv4(ip4()), lambda: sctp.param_ipv6(ip6()), lambda: sctp.param_ecn(),
                lambda: sctp.param_host_addr(rb(1, 9))]
        pool += [lambda: sctp.param_state_cookie(rb(1, 9))] if ack else [
            lambda: sctp.param_cookie_preserve(R.randrange(2**32))]
        return [R.choice(pool)() for _ in range(R.randint(0, 3))]
    pool = [lambda: sctp.chunk_data(unordered=R.randrange(2), begin=R.randrange(2), end=R.randrange(2),
                                    tsn=R.randrange(2**32), sid=R.randrange(65536), seq=R.randrange(65536),
                                    payload_id=R.randrange(2**32), payload_data=rb(4, 16)),
            lambda: sctp.chunk_init(init_tag=R.randrange(2**32), a_rwnd=R.randrange(2**32), os=R.randrange(65536),
                                    mis=R.randrange(65536), i_tsn=R.randrange(2**32), params=params()),
            lambda: sctp.chunk_init_ack(init_tag=R.randrange(2**32), params=params(True)),
            lambda: sctp.chunk_sack(tsn_ack=R.randrange(2**32), a_rwnd=R.randrange(2**32), gapack_num=1,
                                    gapacks=[[R.randrange(65536), R.randrange(65536)]], duptsn_num=2,
                                    duptsns=[R.randrange(2**32), R.randrange(2**32)]),
            lambda: sctp.chunk_heartbeat(info=sctp.param_heartbeat(rb(4, 8))),
            lambda: sctp.chunk_heartbeat_ack(info=sctp.param_heartbeat(rb(4, 8))),
            lambda: sctp.chunk_shutdown(tsn_ack=R.randrange(2**32)),
            lambda: sctp.chunk_shutdown_ack(), lambda: sctp.chunk_cookie_ack(),
            lambda: sctp.chunk_cookie_echo(cookie=rb(4, 12)),
            lambda: sctp.chunk_ecn_echo(low_tsn=R.randrange(2**32)), lambda: sctp.chunk_cwr(low_tsn=R.randrange(2**32)),
            lambda: sctp.chunk_shutdown_complete(tflag=R.randrange(2)),
            lambda: sctp.chunk_abort(tflag=R.randrange(2), causes=causes()),
            lambda: sctp.chunk_error(flags=R.randrange(256), causes=causes())]
    return [R.choice(pool)() for _ in range(R.randint(1, 3))]


def icmp_msg():
    k = R.choice(['echo', 'unreach', 'exceeded', 'raw'])
    if k == 'echo':
        return icmp.icmp(type_=R.choice([0, 8]), data=icmp.echo(id_=R.randrange(65536), seq=R.randrange(65536),
                                                                  data=rb(1, 30) if R.random() < 0.8 else None))
    if k == 'unreach':
        return icmp.icmp(type_=3, code=R.randrange(16), data=icmp.dest_unreach(data_len=R.randrange(256),
                                                                            mtu=R.randrange(65536), data=rb(1, 28)))
    if k == 'exceeded':
        return icmp.icmp(type_=11, code=R.randrange(2), data=icmp.TimeExceeded(data_len=R.randrange(256),
                                                                            data=rb(1, 28)))
    return icmp.icmp(type_=R.choice([13, 14, 5]), data=rb(4, 20))


def nd_opt(in_ra=False):
    k = R.choice(['sla', 'tla', 'pi'] if in_ra else ['sla', 'tla'])
    if k == 'pi':
        return icmpv6.nd_option_pi(pl=R.randrange(129), res1=R.randrange(8), val_l=R.randrange(2**32),
                                   pre_l=R.randrange(2**32), prefix=ip6())
    cls = icmpv6.nd_option_sla if k == 'sla' else icmpv6.nd_option_tla
    return cls(hw_src=mac())


def icmpv6_msg():
    k = R.choice(['echo', 'ns', 'na', 'rs', 'ra', 'raw', 'mld', 'mldv2q', 'mldv2r'])
    if k == 'mld':
        return icmpv6.icmpv6(type_=R.choice([130, 131, 132]), data=icmpv6.mld(maxresp=R.randrange(65536), address=ip6()))
    if k == 'mldv2q':
        return icmpv6.icmpv6(type_=130, data=icmpv6.mldv2_query(
            maxresp=R.randrange(65536), address=ip6(), s_flg=R.randrange(2), qrv=R.randrange(8), qqic=R.randrange(256),
            srcs=[ip6() for _ in range(R.randint(0, 3))]))
    if k == 'mldv2r':
        recs = [icmpv6.mldv2_report_group(type_=R.randrange(1, 7), address=ip6(),
                                          srcs=[ip6() for _ in range(R.randint(0, 2))],
                                          aux=rb(4, 4) * R.randint(1, 2) if R.random() < 0.3 else None)
                for _ in range(R.randint(0, 3))]
        return icmpv6.icmpv6(type_=143, data=icmpv6.mldv2_report(records=recs))
    if k == 'echo':
        return icmpv6.icmpv6(type_=R.choice([128, 129]), data=icmpv6.echo(id_=R.randrange(65536), seq=R.randrange(65536),
                                                                         data=rb(1, 20)))
    if k in ('ns', 'na'):
        return icmpv6.icmpv6(type_=135 if k == 'ns' else 136, data=icmpv6.nd_neighbor(
            res=R.randrange(8), dst=ip6(), option=nd_opt() if R.random() < 0.7 else None))
    if k == 'rs':
        return icmpv6.icmpv6(type_=133, data=icmpv6.nd_router_solicit(option=nd_opt() if R.random() < 0.7 else None))
    if k == 'ra':
        # OS-Ken's link-layer options take the rest of the message: put them last
        opts = [icmpv6.nd_option_pi(pl=R.randrange(129), prefix=ip6(), val_l=R.randrange(2**32))
                for _ in range(R.randint(0, 2))]
        if R.random() < 0.6:
            opts.append(nd_opt())
        return icmpv6.icmpv6(type_=134, data=icmpv6.nd_router_advert(
            ch_l=R.randrange(256), res=R.randrange(4), rou_l=R.randrange(65536), rea_t=R.randrange(2**32),
            ret_t=R.randrange(2**32), options=opts))
    return icmpv6.icmpv6(type_=R.choice([1, 2, 3, 4]), code=R.randrange(4), data=rb(4, 30))


def ext_hdrs(last):
    kinds = R.sample(['hop', 'frag', 'auth', 'dst'], R.randint(1, 3))
    if 'hop' in kinds:  # hop-by-hop comes first
        kinds.remove('hop')
        kinds.insert(0, 'hop')
    codes = {'hop': 0, 'frag': 44, 'auth': 51, 'dst': 60}
    hdrs = []
    for i, k in enumerate(kinds):
        nxt = codes[kinds[i + 1]] if i + 1 < len(kinds) else last
        if k in ('hop', 'dst'):
            # eight bytes: OS-Ken reads the length field right for this size only
            opts = R.choice([[ipv6.option(type_=1, len_=4, data=rb(4, 4))],
                             [ipv6.option(type_=5, len_=2, data=rb(2, 2)), ipv6.option(type_=1, len_=0, data=None)],
                             [ipv6.option(type_=0, len_=-1, data=None)] * 2 + [ipv6.option(type_=1, len_=2, data=rb(2, 2))]])
            hdrs.append((ipv6.hop_opts if k == 'hop' else ipv6.dst_opts)(nxt=nxt, size=0, data=opts))
        elif k == 'frag':
            hdrs.append(ipv6.fragment(nxt=nxt, offset=R.randrange(8192), more=R.randrange(2), id_=R.randrange(2**32)))
        else:
            size = R.randint(1, 4)
            hdrs.append(ipv6.auth(nxt=nxt, size=size, spi=R.randrange(2**32), seq=R.randrange(2**32),
                                  data=rb((size + 2) * 4 - 12, (size + 2) * 4 - 12)))
    return [codes[kinds[0]], hdrs]


def ip_layer(v6=None, proto=None):
    v6 = R.random() < 0.5 if v6 is None else v6
    nxt, rest = l4(v6, proto)
    if v6:
        ext = R.random() < 0.4
        first, hdrs = ext_hdrs(nxt) if ext else (nxt, [])
        # the transport checksum takes ipv6.nxt as OS-Ken does
        return 0x86dd, [ipv6.ipv6(traffic_class=R.randrange(256), flow_label=R.randrange(2**20), nxt=first,
                                  hop_limit=R.randrange(256), src=ip6(), dst=ip6(), ext_hdrs=hdrs)] + rest
    hl = 5
    opt = None
    if R.random() < 0.3:
        n = R.choice([1, 2, 3])
        opt = bytes([7, 4 * n - 1]) + rb(4 * n - 2, 4 * n - 2)  # a record-route-shaped option
        hl = 5 + n
    return 0x0800, [ipv4.ipv4(header_length=hl, tos=R.randrange(256), identification=R.randrange(65536),
                              flags=R.randrange(8), offset=R.randrange(8192), ttl=R.randrange(256), proto=nxt,
                              src=ip4(), dst=ip4(), option=opt)] + rest


def arp_layer():
    return 0x0806, [arp.arp(opcode=R.choice([1, 2]), src_mac=mac(), src_ip=ip4(), dst_mac=mac(), dst_ip=ip4())]


def lldp_layer():
    tlvs = [lldp.ChassisID(subtype=R.randrange(1, 8), chassis_id=rb(1, 20)),
            lldp.PortID(subtype=R.randrange(1, 8), port_id=rb(1, 20)), lldp.TTL(ttl=R.randrange(65536))]
    opt = [lambda: lldp.PortDescription(port_description=rb(1, 30)),
           lambda: lldp.SystemName(system_name=rb(1, 30)),
           lambda: lldp.SystemDescription(system_description=rb(1, 60)),
           lambda: lldp.SystemCapabilities(system_cap=R.randrange(65536), enabled_cap=R.randrange(65536)),
           lambda: lldp.ManagementAddress(addr_subtype=R.randrange(1, 3), addr=rb(4, 16), intf_subtype=R.randrange(1, 4),
                                          intf_num=R.randrange(2**32), oid=rb(0, 8)),
           lambda: lldp.OrganizationallySpecific(oui=rb(3, 3), subtype=R.randrange(256), info=rb(0, 20))]
    if R.random() < 0.3:
        tlvs += [f() for f in opt]  # every TLV
    else:
        tlvs += [R.choice(opt)() for _ in range(R.randint(0, 4))]
    tlvs.append(lldp.End())
    return 0x88cc, [lldp.lldp(tlvs=tlvs)]


def vxlan_layers():
    """UDP to port 4789 and VXLAN, a protocol ken knows only as the oracle
    test registers it (ken_pkt_register), around an inner frame."""
    global NO_SCTP
    NO_SCTP = True  # the CRC fix-up below would change the outer UDP checksum too
    inner = frame(tunnel=False)
    NO_SCTP = False
    return 17, [udp.udp(src_port=port(), dst_port=4789), vxlan.vxlan(vni=R.randrange(2**24))] + inner


def frame(tunnel=True):
    kind = R.choice(['ip', 'ip', 'ip', 'arp', 'lldp', 'mpls'] + (['vxlan'] if tunnel else []))
    if kind == 'vxlan':
        nxt, rest = vxlan_layers()
        v6 = R.random() < 0.5
        outer = (ipv6.ipv6(nxt=nxt, src=ip6(), dst=ip6()) if v6 else ipv4.ipv4(proto=nxt, src=ip4(), dst=ip4()))
        return [ethernet.ethernet(dst=mac(), src=mac(), ethertype=0x86dd if v6 else 0x0800), outer] + rest
    if kind == 'ip':
        et, rest = ip_layer()
    elif kind == 'arp':
        et, rest = arp_layer()
    elif kind == 'lldp':
        et, rest = lldp_layer()
    else:
        n = R.randint(1, 3)
        _, inner = ip_layer(v6=False)
        stack = [mpls.mpls(label=R.randrange(2**20), exp=R.randrange(8), bsb=int(i == n - 1), ttl=R.randrange(256))
                 for i in range(n)]
        et, rest = 0x8847, stack + inner
    tags = R.choice([[], [], ['vlan'], ['svlan', 'vlan'], ['vlan', 'vlan']])
    layers = []
    for i, t in enumerate(tags):
        nxt = (0x8100 if tags[i + 1] == 'vlan' else 0x88a8) if i + 1 < len(tags) else et
        cls = vlan.vlan if t == 'vlan' else vlan.svlan
        layers.append(cls(pcp=R.randrange(8), cfi=R.randrange(2), vid=R.randrange(4096), ethertype=nxt))
    first = ({'vlan': 0x8100, 'svlan': 0x88a8}[tags[0]]) if tags else et
    return [ethernet.ethernet(dst=mac(), src=mac(), ethertype=first)] + layers + rest


def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
    return (~crc) & 0xffffffff


def fix_sctp(data, protos):
    """The frame with the SCTP checksum RFC 3309 gives (a csum of 0 asked for one)."""
    off = 0
    for p in protos:
        if isinstance(p, sctp.sctp):
            break
        if isinstance(p, ethernet.ethernet):
            off += 14
        elif isinstance(p, (vlan.vlan, vlan.svlan, mpls.mpls)):
            off += 4
        elif isinstance(p, ipv4.ipv4):
            off += p.header_length * 4
            end = off - p.header_length * 4 + p.total_length
        elif isinstance(p, ipv6.ipv6):
            ext = sum(len(h) for h in p.ext_hdrs)
            end = off + 40 + p.payload_length
            off += 40 + ext
    else:
        return data
    seg = bytearray(data[off:end])
    seg[8:12] = b'\0\0\0\0'
    crc = crc32c(seg)
    out = bytearray(data)
    out[off + 8:off + 12] = crc.to_bytes(4, 'little')  # RFC 3309: least significant byte first
    return bytes(out)


def jsonable(protos):
    return [bytes(p) if isinstance(p, (bytes, bytearray)) else p for p in protos]


# OS-Ken's constructor defaults: each packet as the classes and the few
# arguments given; the JSON before serialize then holds only those
# arguments ({"ipv4": {"proto": 17}}), so ken's defaults are held to OS-Ken's.
DEFAULTS = [
    [('ethernet', {}), ('ipv4', {'proto': 17}), ('udp', {})],
    [('ethernet', {}), ('ipv4', {'proto': 6}), ('tcp', {})],
    [('ethernet', {}), ('ipv4', {'proto': 1}), ('icmp', {})],
    [('ethernet', {}), ('ipv4', {'proto': 1}), ('icmp', {'data': b''})],
    [('ethernet', {}), ('ipv4', {'proto': 132}), ('sctp', {})],
    [('ethernet', {'ethertype': 0x86dd}), ('ipv6', {'nxt': 58}), ('icmpv6', {'type_': 128, 'data': ('echo', {})})],
    [('ethernet', {'ethertype': 0x86dd}), ('ipv6', {}), ('tcp', {})],
    [('ethernet', {'ethertype': 0x86dd}), ('ipv6', {'nxt': 17}), ('udp', {})],
    [('ethernet', {'ethertype': 0x806}), ('arp', {})],
    [('ethernet', {'ethertype': 0x8100}), ('vlan', {'ethertype': 0x806}), ('arp', {})],
    [('ethernet', {'ethertype': 0x88a8}), ('svlan', {}), ('vlan', {'ethertype': 0x806}), ('arp', {})],
    [('ethernet', {'ethertype': 0x8847}), ('mpls', {}), ('ipv4', {'proto': 17}), ('udp', {})],
]
CLASSES = {'ethernet': ethernet.ethernet, 'ipv4': ipv4.ipv4, 'ipv6': ipv6.ipv6, 'udp': udp.udp, 'tcp': tcp.tcp,
           'icmp': icmp.icmp, 'icmpv6': icmpv6.icmpv6, 'sctp': sctp.sctp, 'arp': arp.arp, 'vlan': vlan.vlan,
           'svlan': vlan.svlan, 'mpls': mpls.mpls}


def defaults_frames():
    for layers in DEFAULTS:
        protos, pre = [], []
        for name, args in layers:
            kw = dict(args)
            body = {k.rstrip('_'): v for k, v in args.items()}
            if isinstance(kw.get('data'), tuple):  # a payload class with its own defaults
                cls_name, cargs = kw['data']
                kw['data'] = getattr(icmpv6 if name == 'icmpv6' else icmp, cls_name)(**cargs)
                body['data'] = {cls_name: cargs}
            if isinstance(body.get('data'), bytes):
                body['data'] = ''
            protos.append(CLASSES[name](**kw))
            pre.append({name: body})
        yield protos, json.dumps({'Packet': {'protocols': pre}})


def main():
    out = open(sys.argv[1], 'w')
    made = skipped = 0
    for protos, pre in defaults_frames():
        pkt = packet.Packet()
        for p in protos:
            pkt.add_protocol(p)
        pkt.serialize()
        data = bytes(pkt.data)
        back = packet.Packet(data)
        back.protocols = jsonable(back.protocols)
        out.write('defaults:%s\t%s\t%s\t%s\t%s\t1\n' % ('/'.join(type(p).__name__ for p in protos), data.hex(), pre,
                                                       json.dumps(back.to_jsondict()),
                                                       fix_sctp(data, back.protocols).hex()))
        made += 1
    for i in range(int(sys.argv[3]) if len(sys.argv) > 3 else 1500):
        protos = frame()
        pkt = packet.Packet()
        for p in protos:
            pkt.add_protocol(p)
        pre = json.dumps(packet.Packet(protocols=jsonable(protos)).to_jsondict())
        try:
            pkt.serialize()
            data = bytes(pkt.data)
            back = packet.Packet(data)
        except Exception:
            skipped += 1
            continue
        names = [type(p).__name__ for p in back.protocols if not isinstance(p, (bytes, bytearray))]
        want = [type(p).__name__ for p in protos if not isinstance(p, (bytes, bytearray))]
        if names != want:
            skipped += 1
            continue
        back.protocols = jsonable(back.protocols)
        again = packet.Packet(protocols=back.protocols)
        again.serialize()
        lossless = int(bytes(again.data) == data)
        label = '/'.join(want)
        out.write('%s\t%s\t%s\t%s\t%s\t%d\n' % (label, data.hex(), pre, json.dumps(back.to_jsondict()),
                                              fix_sctp(data, back.protocols).hex(), lossless))
        made += 1
    print('generated %d packets, skipped %d OS-Ken cannot parse back' % (made, skipped))


main()
