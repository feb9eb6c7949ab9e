"""Regenerates tests/vectors/of10/of10-*.{hex,json} and malformed/of10-*.{hex,err}.
Every expected JSON comes from OS-Ken 2.5 itself: requests are built and
serialized by OS-Ken, replies are hand-packed bytes parsed by OS-Ken.
Run: /usr/bin/python3 tests/vectors/of10/gen_of10_vectors.py tests/vectors"""
import sys, os, json, struct
from os_ken.ofproto import ofproto_parser, ofproto_v1_0 as ofp, ofproto_v1_0_parser as p


class _Datapath:
    ofproto = ofp
    ofproto_parser = p


dp = _Datapath()


def parse(buf):
    version, msg_type, msg_len, xid = struct.unpack_from('!BBHI', buf)
    return ofproto_parser.msg(dp, version, msg_type, msg_len, xid, buf)

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
os.makedirs(f'{OUT}/of10', exist_ok=True)
os.makedirs(f'{OUT}/malformed', exist_ok=True)

def hexlines(b):
    return '\n'.join(b[i:i+16].hex(' ') for i in range(0, len(b), 16)) + '\n'

def write(name, buf, js, note):
    """note says what the vector holds; it documents the call site only."""
    with open(f'{OUT}/of10/of10-{name}.hex', 'w') as f:
        f.write(hexlines(buf))
    with open(f'{OUT}/of10/of10-{name}.json', 'w') as f:
        json.dump(js, f, indent=1, sort_keys=True); f.write('\n')

def request(name, m, note):
    m.serialize()
    write(name, bytes(m.buf), m.to_jsondict(), note + ' (built and serialized by OS-Ken)')

def nx_request(name, m, note):
    """A Nicira message OS-Ken builds: ken decodes every vendor message as
    OFPVendor, with the Nicira body as its data (OS-Ken's shape for the
    Nicira replies it parses), so the body is OS-Ken's own to_jsondict()."""
    m.serialize()
    write(name, bytes(m.buf), {'OFPVendor': {'vendor': 0x2320, 'data': m.to_jsondict()}}, note)

def reply(name, t, body, note):
    buf = struct.pack('!BBHI', 1, t, 8 + len(body), 0) + body
    m = parse(buf)
    write(name, buf, m.to_jsondict(), note + ' (decoded by OS-Ken)')

def malformed(name, t, body, err, note, length=None):
    buf = struct.pack('!BBHI', 1, t, length if length is not None else 8 + len(body), 0) + body
    with open(f'{OUT}/malformed/of10-{name}.hex', 'w') as f:
        f.write(hexlines(buf))
    with open(f'{OUT}/malformed/of10-{name}.err', 'w') as f:
        f.write(err + '\n')

H = struct.pack
MATCH = p.OFPMatch(in_port=1, dl_src='00:11:22:33:44:55', dl_type=0x800, nw_proto=6,
                   nw_src='10.0.0.0', nw_src_mask=8, nw_dst='10.1.2.3', tp_dst=80)
MATCH_ALL = p.OFPMatch()
def match_bytes(m):
    b = bytearray(); m.serialize(b, 0); return bytes(b)

# ---- symmetric and controller-to-switch messages ----
request('hello', p.OFPHello(dp), 'OFPT_HELLO')
request('echo_request', p.OFPEchoRequest(dp, b'ping data'), 'OFPT_ECHO_REQUEST with data')
request('echo_request_empty', p.OFPEchoRequest(dp, b''), 'OFPT_ECHO_REQUEST without data')
request('echo_reply', p.OFPEchoReply(dp, b'\x00\x01\x02\xff'), 'OFPT_ECHO_REPLY')
request('error_hello_failed', p.OFPErrorMsg(dp, ofp.OFPET_HELLO_FAILED, ofp.OFPHFC_INCOMPATIBLE,
        b'no common version'), 'OFPT_ERROR hello failed, text data')
request('error_bad_request', p.OFPErrorMsg(dp, ofp.OFPET_BAD_REQUEST, ofp.OFPBRC_BAD_LEN,
        bytes.fromhex('010e0048000000ff')), 'OFPT_ERROR bad request, data is the offending header')
v = p.OFPVendor(dp); v.vendor = 0x00abcdef; v.data = b'vendor payload'
request('vendor', v, 'OFPT_VENDOR, unknown vendor')
v = p.OFPVendor(dp); v.vendor = 0x00abcdef; v.data = b''
request('vendor_empty', v, 'OFPT_VENDOR without data')
nx_request('nxt_role_request', p.NXTRoleRequest(dp, ofp.NX_ROLE_MASTER), 'Nicira role request')
nx_request('nxt_set_flow_format', p.NXTSetFlowFormat(dp, ofp.NXFF_NXM), 'Nicira set flow format')
nx_request('nxt_flow_mod_table_id', p.NXTFlowModTableId(dp, 1), 'Nicira flow_mod_table_id')
nx_request('nxt_set_packet_in_format', p.NXTSetPacketInFormat(dp, 1), 'Nicira set packet-in format')
nx_request('nxt_flow_age', p.NXTFlowAge(dp), 'Nicira flow age')
nx_request('nxt_set_async_config', p.NXTSetAsyncConfig(dp, [3, 1], [7, 0], [15, 2]), 'Nicira set async config')
nx_request('nxt_set_controller_id', p.NXTSetControllerId(dp, 0x1234), 'Nicira set controller id')
request('get_config_request', p.OFPGetConfigRequest(dp), 'OFPT_GET_CONFIG_REQUEST')
request('set_config', p.OFPSetConfig(dp, ofp.OFPC_FRAG_DROP, 0xffe5), 'OFPT_SET_CONFIG')
request('barrier_request', p.OFPBarrierRequest(dp), 'OFPT_BARRIER_REQUEST')
request('queue_get_config_request', p.OFPQueueGetConfigRequest(dp, 3), 'OFPT_QUEUE_GET_CONFIG_REQUEST')
request('port_mod', p.OFPPortMod(dp, 3, 'fa:c8:e8:76:1d:7e', ofp.OFPPC_PORT_DOWN,
        ofp.OFPPC_PORT_DOWN | ofp.OFPPC_NO_FLOOD, ofp.OFPPF_1GB_FD | ofp.OFPPF_COPPER), 'OFPT_PORT_MOD')

ACTIONS = [p.OFPActionOutput(2, 128), p.OFPActionVlanVid(100), p.OFPActionVlanPcp(5), p.OFPActionStripVlan(),
           p.OFPActionSetDlSrc('00:11:22:33:44:55'), p.OFPActionSetDlDst('66:77:88:99:aa:bb'),
           p.OFPActionSetNwSrc('192.168.1.1'), p.OFPActionSetNwDst('192.168.1.2'), p.OFPActionSetNwTos(0xb8),
           p.OFPActionSetTpSrc(1234), p.OFPActionSetTpDst(80), p.OFPActionEnqueue(3, 7),
           p.OFPActionOutput(ofp.OFPP_CONTROLLER, 0xffff)]
request('flow_mod_all_actions', p.OFPFlowMod(dp, MATCH, 0x1122334455667788, ofp.OFPFC_ADD, 10, 30, 0x8000,
        0xffffffff, ofp.OFPP_NONE, ofp.OFPFF_SEND_FLOW_REM, ACTIONS), 'OFPT_FLOW_MOD, every 1.0 action')
request('flow_mod_delete', p.OFPFlowMod(dp, MATCH_ALL, 0, ofp.OFPFC_DELETE_STRICT, 0, 0, 1, 0xffffffff, 5, 0, []),
        'OFPT_FLOW_MOD delete, wildcard-all match, no actions')
request('flow_mod_vendor_action', p.OFPFlowMod(dp, MATCH_ALL, actions=[
        p.OFPActionVendorUnknown(0x00abcdef, b'12345678abcdefgh')]), 'OFPT_FLOW_MOD with an unknown vendor action')
request('packet_out', p.OFPPacketOut(dp, 0xffffffff, 1, [p.OFPActionOutput(ofp.OFPP_FLOOD, 0)],
        bytes(range(60))), 'OFPT_PACKET_OUT with data')
request('packet_out_buffered', p.OFPPacketOut(dp, 0x42, ofp.OFPP_NONE, [], None),
        'OFPT_PACKET_OUT of a buffered packet, no actions')

request('desc_stats_request', p.OFPDescStatsRequest(dp, 0), 'OFPST_DESC request')
request('flow_stats_request', p.OFPFlowStatsRequest(dp, 0, MATCH, 0xff, ofp.OFPP_NONE), 'OFPST_FLOW request')
request('aggregate_stats_request', p.OFPAggregateStatsRequest(dp, 0, MATCH_ALL, 0, 2), 'OFPST_AGGREGATE request')
request('table_stats_request', p.OFPTableStatsRequest(dp, 0), 'OFPST_TABLE request')
request('port_stats_request', p.OFPPortStatsRequest(dp, 0, ofp.OFPP_NONE), 'OFPST_PORT request')
request('queue_stats_request', p.OFPQueueStatsRequest(dp, 0, ofp.OFPP_ALL, ofp.OFPQ_ALL), 'OFPST_QUEUE request')
request('vendor_stats_request', p.OFPVendorStatsRequest(dp, 0, 0x00abcdef, b'\x00\x00\x00\x01abcd'),
        'OFPST_VENDOR request')

# ---- switch-to-controller messages ----
PORT1 = H('!H6s16sIIIIII', 1, bytes.fromhex('0a0b0c0d0e0f'), b'eth1', ofp.OFPPC_NO_FLOOD, ofp.OFPPS_LINK_DOWN,
          0x2c0, 0x280, 0x2ff, 0)
PORT2 = H('!H6s16sIIIIII', 0xfffe, bytes.fromhex('0a0b0c0d0e10'), b'br0-local-port-x', 0, 0, 0, 0, 0, 0)
reply('features_reply', 6, H('!QIB3xII', 0xfedcba9876543210, 256, 254, 0xc7, 0xfff) + PORT1 + PORT2,
      'OFPT_FEATURES_REPLY with two ports (one name uses all 16 bytes)')
reply('features_reply_no_ports', 6, H('!QIB3xII', 1, 0, 1, 0, 0), 'OFPT_FEATURES_REPLY without ports')
reply('get_config_reply', 8, H('!HH', ofp.OFPC_FRAG_REASM, 128), 'OFPT_GET_CONFIG_REPLY')
reply('barrier_reply', 19, b'', 'OFPT_BARRIER_REPLY')
reply('packet_in', 10, H('!IHHBx', 0xffffffff, 14, 3, ofp.OFPR_ACTION) + bytes.fromhex('ffffffffffff0a0b0c0d0e0f0806'),
      'OFPT_PACKET_IN, unbuffered')
reply('flow_removed', 11, match_bytes(MATCH) + H('!QHBxIIH2xQQ', 0xffffffffffffffff, 0x8000, ofp.OFPRR_HARD_TIMEOUT,
      3600, 999999999, 60, 12345678901, 0x7fffffffffffffff + 5), 'OFPT_FLOW_REMOVED (u64 above INT64_MAX)')
reply('port_status', 12, H('!B7x', ofp.OFPPR_MODIFY) + PORT1, 'OFPT_PORT_STATUS')
Q1 = H('!IH2x', 1, 8 + 8 + 16) + H('!HH4x', ofp.OFPQT_NONE, 8) + H('!HH4xH6x', ofp.OFPQT_MIN_RATE, 16, 500)
Q2 = H('!IH2x', 2, 8)
reply('queue_get_config_reply', 21, H('!H6x', 1) + Q1 + Q2, 'OFPT_QUEUE_GET_CONFIG_REPLY, two queues')

def stats(t, body): return H('!HH', t, 0) + body
def text(s, n): return s.encode().ljust(n, b'\0')
reply('desc_stats_reply', 17, stats(0, text('Nicira, Inc.', 256) + text('Open vSwitch', 256) + text('2.17.0', 256)
      + text('None', 32) + text('x' * 256, 256)), 'OFPST_DESC reply (dp_desc fills all 256 bytes)')
A1 = H('!HHHH', 0, 8, 1, 0xffe5) + H('!HHH2x', 1, 8, 10) + H('!HH6s6x', 4, 16, bytes.fromhex('020000000001'))
FS1 = match_bytes(MATCH) + H('!IIHHH6xQQQ', 10, 500, 0x8000, 10, 0, 0xabcdef, 42, 4200) + A1
FS2 = match_bytes(MATCH_ALL) + H('!IIHHH6xQQQ', 0, 0, 0, 0, 0, 0, 0, 0)
reply('flow_stats_reply', 17, stats(1, H('!HBx', 4 + len(FS1), 0) + FS1 + H('!HBx', 4 + len(FS2), 254) + FS2),
      'OFPST_FLOW reply, two flows (one without actions)')
reply('flow_stats_reply_empty', 17, stats(1, b''), 'OFPST_FLOW reply without flows')
reply('aggregate_stats_reply', 17, stats(2, H('!QQI4x', 100, 6400, 3)), 'OFPST_AGGREGATE reply')
reply('table_stats_reply', 17, stats(3, H('!B3x32sIIIQQ', 0, b'classifier', 0x3fffff, 1000000, 12, 345, 67)
      + H('!B3x32sIIIQQ', 1, b'second', 0, 10, 0, 0, 0)), 'OFPST_TABLE reply, two tables')
reply('port_stats_reply', 17, stats(4, H('!H6x12Q', 1, *range(1, 13)) + H('!H6x12Q', 2, *([0xffffffffffffffff] * 12))),
      'OFPST_PORT reply, two ports (counters unavailable on the second)')
reply('queue_stats_reply', 17, stats(5, H('!H2xIQQQ', 1, 0, 1000, 10, 0) + H('!H2xIQQQ', 1, 1, 2000, 20, 1)),
      'OFPST_QUEUE reply, two queues')
reply('vendor_stats_reply', 17, stats(0xffff, H('!I', 0x00abcdef) + b'opaque'), 'OFPST_VENDOR reply, unknown vendor')
reply('nxt_role_reply', 4, H('!III', 0x2320, 11, ofp.NX_ROLE_SLAVE), 'Nicira role reply, inside OFPVendor')
reply('error_reply', 1, H('!HH', ofp.OFPET_FLOW_MOD_FAILED, ofp.OFPFMFC_ALL_TABLES_FULL) + bytes(range(64)),
      'OFPT_ERROR flow mod failed')

# NX actions inside 1.0 messages: an unknown NX subtype (OS-Ken's NXActionUnknown)
fm = match_bytes(MATCH_ALL) + H('!QHHHHIHH', 0, 0, 0, 0, 100, 0xffffffff, 0xffff, 0)
reply('flow_mod_nx_unknown', 14, fm + H('!HHIH6x', 0xffff, 16, 0x2320, 0x6578),
      'OFPT_FLOW_MOD with an NX action of an unknown subtype')

# ---- malformed ----
FM_HDR = match_bytes(MATCH_ALL) + H('!QHHHHIHH', 0, 0, 0, 0, 100, 0xffffffff, 0xffff, 0)
malformed('short_match', 14, match_bytes(MATCH_ALL)[:30], 'OFPBRC_BAD_LEN', 'flow mod ending inside its match')
malformed('flow_removed_short_match', 11, match_bytes(MATCH_ALL)[:39], 'OFPBRC_BAD_LEN', 'flow removed, 39-byte match')
malformed('action_len_wrong', 14, FM_HDR + H('!HHHH8x', 0, 16, 1, 0), 'OFPBAC_BAD_LEN', 'output action of length 16')
malformed('action_len_zero', 14, FM_HDR + H('!HHHH', 0, 0, 1, 0), 'OFPBAC_BAD_LEN', 'action of length 0')
malformed('action_len_odd', 14, FM_HDR + H('!HHI4x', 0xffff, 12, 0xabcdef), 'OFPBAC_BAD_LEN', 'vendor action of length 12')
malformed('action_len_overrun', 14, FM_HDR + H('!HHHH', 0, 8, 1, 0) + H('!HHI', 0xffff, 24, 0xabcdef),
          'OFPBAC_BAD_LEN', 'vendor action longer than the message')
malformed('action_short_header', 14, FM_HDR + H('!HH', 0, 8), 'OFPBAC_BAD_LEN', '4 bytes left for an action')
malformed('action_unknown_type', 14, FM_HDR + H('!HHHH', 12, 8, 1, 0), 'OFPBAC_BAD_TYPE', 'action type 12')
malformed('packet_out_actions_len_overrun', 13, H('!IHH', 0xffffffff, 1, 16) + H('!HHHH', 0, 8, 1, 0),
          'OFPBRC_BAD_LEN', 'packet out whose actions_len runs past the end')
malformed('packet_out_actions_len_split', 13, H('!IHH', 0xffffffff, 1, 4) + H('!HHHH', 0, 8, 1, 0),
          'OFPBAC_BAD_LEN', 'packet out whose actions_len ends inside an action')
malformed('flow_stats_truncated_body', 17, stats(1, H('!HBx', 4 + len(FS1), 0) + FS1[:50]),
          'OFPBRC_BAD_LEN', 'flow stats entry longer than the reply')
malformed('flow_stats_len_short', 17, stats(1, H('!HBx', 2, 0) + FS2), 'OFPBRC_BAD_LEN',
          'flow stats entry whose length is below its header')
malformed('port_stats_truncated_body', 17, stats(4, H('!H6x12Q', 1, *range(12))[:60]), 'OFPBRC_BAD_LEN',
          'port stats reply with 60 of 104 bytes')
malformed('desc_stats_truncated_body', 17, stats(0, b'x' * 100), 'OFPBRC_BAD_LEN', 'desc stats reply, 100 bytes')
malformed('aggregate_stats_truncated', 17, stats(2, H('!QQ', 1, 2)), 'OFPBRC_BAD_LEN', 'aggregate reply, 16 of 24 bytes')
malformed('stats_unknown_type', 17, stats(7, b''), 'OFPBRC_BAD_MULTIPART', 'stats reply of type 7')
malformed('stats_short_header', 17, H('!H', 1), 'OFPBRC_BAD_LEN', 'stats reply without its flags')
malformed('stats_no_header', 17, b'', 'OFPBRC_BAD_MULTIPART', 'stats reply without its type')
malformed('features_reply_partial_port', 6, H('!QIB3xII', 1, 0, 1, 0, 0) + PORT1[:20], 'OFPBRC_BAD_LEN',
          'features reply with 20 bytes of a port')
malformed('port_status_short', 12, H('!B7x', 0) + PORT1[:47], 'OFPBRC_BAD_LEN', 'port status, 47-byte port')
malformed('queue_len_overrun', 21, H('!H6x', 1) + H('!IH2x', 1, 64) + H('!HH4x', 0, 8), 'OFPBRC_BAD_LEN',
          'queue whose len runs past the reply')
malformed('queue_prop_bad_len', 21, H('!H6x', 1) + H('!IH2x', 1, 24) + H('!HH4xH6x', 1, 20, 5), 'OFPBRC_BAD_LEN',
          'queue property whose len runs past its queue')
malformed('queue_prop_unknown', 21, H('!H6x', 1) + H('!IH2x', 1, 16) + H('!HH4x', 9, 8), 'OFPBRC_BAD_TYPE',
          'queue property of type 9')
malformed('vendor_short', 4, b'\x00\x00', 'OFPBRC_BAD_LEN', 'vendor message without a whole vendor id')
malformed('nxt_role_reply_short', 4, H('!II', 0x2320, 11) + b'\x00\x00', 'OFPBRC_BAD_LEN', 'Nicira role reply, 2-byte role')
malformed('error_short', 1, H('!H', 1), 'OFPBRC_BAD_LEN', 'error message without its code')
malformed('unknown_type', 22, b'', 'OFPBRC_BAD_TYPE', 'message type 22 does not exist in 1.0')
malformed('get_config_reply_long', 8, H('!HHH', 0, 128, 0), 'OFPBRC_BAD_LEN', 'get config reply with 2 trailing bytes')
malformed('truncated', 14, FM_HDR, 'OFPBRC_BAD_LEN', 'header claims 8 more bytes than sent', length=8 + len(FM_HDR) + 8)
malformed('header_len_below_8', 0, b'', 'OFPBRC_BAD_LEN', 'header length 4', length=4)

# ---- NX actions inside 1.0 messages (the codecs 1.2+ shares) ----
from os_ken.ofproto import nicira_ext
NX_ACTIONS = [p.NXActionSetQueue(3), p.NXActionResubmit(in_port=2), p.NXActionResubmitTable(in_port=0xfff8, table_id=1),
              p.NXActionRegLoad(ofs_nbits=nicira_ext.ofs_nbits(0, 31), dst='reg0', value=0x1234),
              p.NXActionRegMove(src_field='reg1', dst_field='reg2', n_bits=16, src_ofs=0, dst_ofs=8),
              p.NXActionNote(note=[1, 2, 3, 4, 5]), p.NXActionDecTtl(), p.NXActionExit()]
request('flow_mod_nx_actions', p.OFPFlowMod(dp, MATCH, actions=[p.OFPActionOutput(1, 0)] + NX_ACTIONS),
        'OFPT_FLOW_MOD mixing 1.0 and NX actions')
NXA = b''.join(bytes(a.serialize(b := bytearray(), 0) or b) for a in NX_ACTIONS[:2])
FS3 = match_bytes(MATCH_ALL) + H('!IIHHH6xQQQ', 1, 2, 3, 4, 5, 6, 7, 8) + NXA
reply('flow_stats_reply_nx_actions', 17, stats(1, H('!HBx', 4 + len(FS3), 0) + FS3), 'OFPST_FLOW reply with NX actions')
