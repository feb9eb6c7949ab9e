#!/usr/bin/env python3
"""GET /metrics of a ken-manager running metrics and simple_switch_13 with
Open vSwitch's bridge s1 (dpid 1, OpenFlow 1.3) and two hosts that pinged
each other (tests/e2e/metrics.sh): the text parses strictly (the parser of
tests/rest/test_metrics_http.py) and the series say what happened.

Usage: metrics_check.py URL
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rest'))
import test_metrics_http as t  # noqa: E402

url = sys.argv[1]
D = '0000000000000001'


def v(fams, name, **labels):
    return t.value(fams, name, **labels)


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print('ok -', what)


until = time.monotonic() + 30
while True:
    try:
        fams = t.get_metrics(url)
        # the echo requests go every 0.2 s once s1 is in MAIN
        if (v(fams, 'ken_datapath_echo_rtt_seconds_count', dpid=D) or 0) >= 2:
            break
    except OSError:
        pass
    if time.monotonic() > until:
        raise AssertionError('no answer with two echo round trips of s1 within 30 s')
    time.sleep(0.1)

check(v(fams, 'ken_datapath_connected', dpid=D) == 1, 's1 connected')
check([s[1]['version'] for s in fams['ken_datapath_info']['samples'] if s[1]['dpid'] == D] == ['1.3'], 's1 speaks 1.3')
pin = v(fams, 'ken_datapath_messages_received_total', dpid=D, type='PACKET_IN') or 0
check(pin >= 3, '%d packet-ins (ARP request and reply, the first ping)' % pin)
check(v(fams, 'ken_datapath_received_bytes_total', dpid=D, type='PACKET_IN') > 32 * pin, 'packet-in bytes')
fm = v(fams, 'ken_datapath_messages_sent_total', dpid=D, type='FLOW_MOD') or 0
check(fm >= 3, '%d flow-mods (the table-miss flow and learnt flows)' % fm)
po = v(fams, 'ken_datapath_messages_sent_total', dpid=D, type='PACKET_OUT') or 0
check(po >= 1, '%d packet-outs' % po)
for typ in ('HELLO', 'FEATURES_REPLY', 'MULTIPART_REPLY', 'ECHO_REPLY'):
    check((v(fams, 'ken_datapath_messages_received_total', dpid=D, type=typ) or 0) >= 1, 'received ' + typ)
for typ in ('HELLO', 'FEATURES_REQUEST', 'SET_CONFIG', 'ECHO_REQUEST'):
    check((v(fams, 'ken_datapath_messages_sent_total', dpid=D, type=typ) or 0) >= 1, 'sent ' + typ)
check(v(fams, 'ken_datapath_bad_messages_total', dpid=D) == 0, 'nothing refused')
check(v(fams, 'ken_datapath_error_messages_received_total', dpid=D) == 0, 'no error from OVS')
last = v(fams, 'ken_datapath_echo_rtt_last_seconds', dpid=D)
check(0 < last < 1, 'echo round trip %.6f s' % last)
handled = v(fams, 'ken_app_events_handled_total', app='simple_switch_13')
check(handled >= pin, 'simple_switch_13 handled %d events' % handled)
check(v(fams, 'ken_app_handler_seconds_total', app='simple_switch_13') > 0, 'simple_switch_13 handler time')
# ovs-env.sh's ctl_start probes the port with a connection of its own,
# closed at once (a reset: a read error); s1's connection is the other.
conns = v(fams, 'ken_controller_connections_total')
check(conns >= 1 and v(fams, 'ken_controller_connection_errors_total') <= conns - 1,
      '%d connections, s1\'s without error' % conns)
