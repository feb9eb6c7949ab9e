# flow_watch_13, as a Ryu app: the Python original of apps/flow_watch_13.c.
# Ryu ships no example that handles flow-removed and error messages, so ken
# wrote this one in the manner of Ryu's examples (ryu-manager runs it); the
# line-count test (line_count.py) measures the C port against it.
#
# On every switch it installs a flow for ICMP that the switch forwards
# itself (NORMAL) and removes after IDLE_TIMEOUT idle seconds, telling the
# controller (OFPFF_SEND_FLOW_REM); and it sends a message no switch
# accepts, an experimenter message for an experimenter nobody is, to see
# the switch's error. Both answers are logged.
from ryu.base import app_manager
from ryu.controller import ofp_event
from ryu.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER
from ryu.controller.handler import set_ev_cls
from ryu.lib.packet import ether_types, in_proto
from ryu.ofproto import ofproto_v1_3

COOKIE = 0x6b656e
PRIORITY = 100
IDLE_TIMEOUT = 5
NOBODY = 0x00ffffff  # an experimenter id no switch knows


class FlowWatch13(app_manager.RyuApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def switch_features_handler(self, ev):
        datapath = ev.msg.datapath
        ofproto = datapath.ofproto
        parser = datapath.ofproto_parser

        match = parser.OFPMatch(eth_type=ether_types.ETH_TYPE_IP,
                                ip_proto=in_proto.IPPROTO_ICMP)
        actions = [parser.OFPActionOutput(ofproto.OFPP_NORMAL)]
        inst = [parser.OFPInstructionActions(ofproto.OFPIT_APPLY_ACTIONS,
                                             actions)]
        mod = parser.OFPFlowMod(datapath=datapath, cookie=COOKIE,
                                priority=PRIORITY, idle_timeout=IDLE_TIMEOUT,
                                flags=ofproto.OFPFF_SEND_FLOW_REM,
                                match=match, instructions=inst)
        datapath.send_msg(mod)

        bad = parser.OFPExperimenter(datapath, experimenter=NOBODY,
                                     exp_type=0, data=b'')
        datapath.send_msg(bad)

    @set_ev_cls(ofp_event.EventOFPFlowRemoved, MAIN_DISPATCHER)
    def flow_removed_handler(self, ev):
        msg = ev.msg
        reasons = ['IDLE TIMEOUT', 'HARD TIMEOUT', 'DELETE', 'GROUP DELETE']
        reason = (reasons[msg.reason] if msg.reason < len(reasons)
                  else 'unknown')
        self.logger.info('flow removed: dpid=%016x cookie=%#x priority=%d '
                         'reason=%s table_id=%d duration_sec=%d '
                         'idle_timeout=%d hard_timeout=%d packet_count=%d '
                         'byte_count=%d', msg.datapath.id, msg.cookie,
                         msg.priority, reason, msg.table_id,
                         msg.duration_sec, msg.idle_timeout,
                         msg.hard_timeout, msg.packet_count, msg.byte_count)

    @set_ev_cls(ofp_event.EventOFPErrorMsg,
                [CONFIG_DISPATCHER, MAIN_DISPATCHER])
    def error_msg_handler(self, ev):
        msg = ev.msg
        self.logger.info('error: dpid=%016x type=%#x code=%#x xid=%#x '
                         'data=%s', msg.datapath.id, msg.type, msg.code,
                         msg.xid, msg.data.hex())
