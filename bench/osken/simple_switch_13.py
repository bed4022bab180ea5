# A learning switch for os-ken (OpenFlow 1.3), the equivalent of os-ken's sample app simple_switch_13,
# which Debian's python3-os-ken leaves out. Written for the controller comparison in bench/controllers:
# it does what bench/controllers/Patchbay.LearningSwitch does, so both are measured doing the same work.
#
#   osken-manager bench/osken/simple_switch_13.py --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port PORT
#
# On connect: a table-miss flow (priority 0) that sends whole packets to the controller.
# On PACKET_IN: learn eth_src on in_port; a known eth_dst gets a priority-1 flow (in_port, eth_dst,
# eth_src -> output) carrying the buffer id (the switch then forwards the buffered packet itself);
# an unknown one is flooded with a PACKET_OUT.
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib.packet import ethernet, ether_types, packet
from os_ken.ofproto import ofproto_v1_3


class LearningSwitch13(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # datapath id -> {mac: port}
        self.tables = {}

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def on_features(self, ev):
        datapath = ev.msg.datapath
        ofp = datapath.ofproto
        parser = datapath.ofproto_parser
        to_controller = [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)]
        self.install(datapath, 0, parser.OFPMatch(), to_controller)

    def install(self, datapath, priority, match, actions, buffer_id=None):
        ofp = datapath.ofproto
        parser = datapath.ofproto_parser
        instructions = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
        if buffer_id is None:
            buffer_id = ofp.OFP_NO_BUFFER
        datapath.send_msg(parser.OFPFlowMod(datapath=datapath, buffer_id=buffer_id, priority=priority,
                                            match=match, instructions=instructions))

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def on_packet_in(self, ev):
        msg = ev.msg
        datapath = msg.datapath
        ofp = datapath.ofproto
        parser = datapath.ofproto_parser
        in_port = msg.match['in_port']

        eth = packet.Packet(msg.data).get_protocols(ethernet.ethernet)[0]
        if eth.ethertype == ether_types.ETH_TYPE_LLDP:
            return

        table = self.tables.setdefault(datapath.id, {})
        table[eth.src] = in_port
        out_port = table.get(eth.dst, ofp.OFPP_FLOOD)
        actions = [parser.OFPActionOutput(out_port)]

        if out_port != ofp.OFPP_FLOOD:
            match = parser.OFPMatch(in_port=in_port, eth_dst=eth.dst, eth_src=eth.src)
            if msg.buffer_id != ofp.OFP_NO_BUFFER:
                self.install(datapath, 1, match, actions, msg.buffer_id)
                return
            self.install(datapath, 1, match, actions)

        data = msg.data if msg.buffer_id == ofp.OFP_NO_BUFFER else None
        datapath.send_msg(parser.OFPPacketOut(datapath=datapath, buffer_id=msg.buffer_id, in_port=in_port,
                                              actions=actions, data=data))
