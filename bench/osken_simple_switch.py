# OS-Ken reference app for the benchmarks: the classic OpenFlow 1.0
# MAC-learning switch, written for ken's bench (Debian's python3-os-ken ships
# no apps). Per datapath it learns which port each source MAC came from; a
# packet to a known MAC gets a flow (in_port, dl_src, dl_dst -> that port),
# and every packet-in is sent on with a packet-out (flooded when the
# destination is still unknown).
#
#   osken-manager --ofp-tcp-listen-port 6653 bench/osken_simple_switch.py

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import MAIN_DISPATCHER, set_ev_cls
from os_ken.lib.packet import ethernet, packet
from os_ken.ofproto import ofproto_v1_0


class BenchSimpleSwitch(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_0.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.port_of_mac = {}  # dpid -> {mac: port}

    def install_flow(self, datapath, in_port, src, dst, out_port):
        parser = datapath.ofproto_parser
        ofp = datapath.ofproto
        match = parser.OFPMatch(in_port=in_port, dl_src=src, dl_dst=dst)
        datapath.send_msg(parser.OFPFlowMod(
            datapath=datapath, match=match, cookie=0, command=ofp.OFPFC_ADD,
            idle_timeout=0, hard_timeout=0, priority=ofp.OFP_DEFAULT_PRIORITY,
            flags=ofp.OFPFF_SEND_FLOW_REM,
            actions=[parser.OFPActionOutput(out_port)]))

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in_handler(self, ev):
        msg = ev.msg
        datapath = msg.datapath
        parser = datapath.ofproto_parser
        ofp = datapath.ofproto

        frame = packet.Packet(msg.data).get_protocol(ethernet.ethernet)
        if frame is None:
            return
        table = self.port_of_mac.setdefault(datapath.id, {})
        table[frame.src] = msg.in_port
        out_port = table.get(frame.dst, ofp.OFPP_FLOOD)

        if out_port != ofp.OFPP_FLOOD:
            self.install_flow(datapath, msg.in_port, frame.src, frame.dst,
                              out_port)

        # A buffered packet is named by its id; an unbuffered one travels back.
        data = msg.data if msg.buffer_id == ofp.OFP_NO_BUFFER else None
        datapath.send_msg(parser.OFPPacketOut(
            datapath=datapath, buffer_id=msg.buffer_id, in_port=msg.in_port,
            actions=[parser.OFPActionOutput(out_port)], data=data))
