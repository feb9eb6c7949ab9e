#!/usr/bin/env python3
"""GET /metrics over real HTTP: ken-manager runs the metrics app, two
OpenFlow 1.3 switches (written here, Python stdlib) connect, one sends N
packet-ins of a known size and answers the controller's echo requests;
the answer must be valid Prometheus text (a strict parser below: every line
a HELP, a TYPE or a sample `name{labels} value`, every sample in a family
declared just before it, HELP and TYPE once per family), carry the
expected series with the right values, and lose the series of the switch
that disconnects.

Usage: test_metrics_http.py KEN_MANAGER [OFP_PORT WSAPI_PORT]
"""
import re
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request

import fake_switch13
from fake_switch13 import ofp_header as header

# Set by main from the command line (the module is also imported for its
# parser: tests/e2e/metrics_check.py).
KEN_MANAGER, OFP_PORT, WS_PORT = None, 18310, 18311
N_PACKET_INS = 500
FRAME = bytes(range(60))
PACKET_IN_LEN = 42 + len(FRAME)  # header 8, buffer id 4, total_len 2, reason, table, cookie 8, match 16, pad 2
DEADLINE = 60  # seconds: a guard, never waited for on success (sanitized builds are slow)

# ---- a strict reader of the text format 0.0.4 ----

NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*'
SAMPLE = re.compile(r'^(' + NAME + r')(?:\{(.*)\})? (\S+)$')
LABEL_PAIR = re.compile(r'(' + LABEL + r')="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')
TYPES = ('counter', 'gauge', 'summary', 'histogram', 'untyped')


class ParseError(Exception):
    pass


def unescape(v):
    return re.sub(r'\\(.)', lambda m: {'n': '\n', '\\': '\\', '"': '"'}[m.group(1)], v)


def parse_labels(text):
    labels, pos = {}, 0
    while pos < len(text):
        m = LABEL_PAIR.match(text, pos)
        if not m:
            raise ParseError('bad labels: %r' % text)
        if m.group(1) in labels:
            raise ParseError('label %s twice' % m.group(1))
        labels[m.group(1)] = unescape(m.group(2))
        pos = m.end()
        if m.group(3) == ',' and pos == len(text):
            raise ParseError('trailing comma: %r' % text)
    return labels


def parse_value(v):
    if v in ('+Inf', '-Inf', 'NaN'):
        return float(v.replace('Inf', 'inf').replace('NaN', 'nan'))
    if not re.match(r'^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$', v):
        raise ParseError('bad value %r' % v)
    return float(v) if re.search(r'[.eE]', v) else int(v)


def parse(text):
    """{family: {'type': t, 'help': h, 'samples': [(name, labels, value)]}}"""
    if not text.endswith('\n'):
        raise ParseError('the text does not end with a newline')
    families, current, helped = {}, None, None
    for line in text[:-1].split('\n'):
        if line.startswith('# HELP '):
            parts = line[7:].split(' ', 1)
            if parts[0] in families or not re.match('^' + NAME + '$', parts[0]):
                raise ParseError('HELP again or bad name: %r' % line)
            helped = parts[0]
            continue
        if line.startswith('# TYPE '):
            parts = line[7:].split(' ')
            if len(parts) != 2 or parts[1] not in TYPES or parts[0] != helped or parts[0] in families:
                raise ParseError('bad TYPE line (or without its HELP just before): %r' % line)
            current = families[parts[0]] = {'type': parts[1], 'samples': []}
            current['name'] = parts[0]
            helped = None
            continue
        if line.startswith('#') or not line:
            raise ParseError('unexpected line %r' % line)
        m = SAMPLE.match(line)
        if not m:
            raise ParseError('bad sample line %r' % line)
        name, labels, value = m.group(1), parse_labels(m.group(2) or ''), parse_value(m.group(3))
        if current is None:
            raise ParseError('sample before any family: %r' % line)
        fam = current['name']
        ok = name == fam or (current['type'] == 'summary' and name in (fam + '_sum', fam + '_count'))
        if not ok:
            raise ParseError('sample %s outside its family (%s): samples of a family must follow its TYPE' % (name, fam))
        if current['type'] == 'counter' and not name.endswith('_total'):
            raise ParseError('counter %s without _total' % name)
        key = (name, tuple(sorted(labels.items())))
        if any((s[0], tuple(sorted(s[1].items()))) == key for s in current['samples']):
            raise ParseError('series twice: %r' % line)
        current['samples'].append((name, labels, value))
    return families


def value(families, name, **labels):
    """The value of one series, or None."""
    fam = families.get(name) or families.get(re.sub(r'_(sum|count)$', '', name))
    if not fam:
        return None
    for n, l, v in fam['samples']:
        if n == name and l == labels:
            return v
    return None


def parser_self_check():
    """The parser refuses what it must (else a pass proves nothing)."""
    good = '# HELP a_total x\n# TYPE a_total counter\na_total{l="v\\"\\n\\\\"} 1\n'
    assert parse(good)['a_total']['samples'][0][1] == {'l': 'v"\n\\'}
    bad = [
        'a 1\n',                                                     # no family
        '# HELP a x\n# TYPE a gauge\na 1',                           # no final newline
        '# HELP a x\n# TYPE a gauge\nb 1\n',                        # outside its family
        '# HELP a x\n# TYPE a gauge\n# HELP a x\n# TYPE a gauge\n',  # declared twice
        '# TYPE a gauge\na 1\n',                                   # TYPE without HELP
        '# HELP a x\n# TYPE a counter\na 1\n',                      # counter without _total
        '# HELP a x\n# TYPE a gauge\na{l="x"y"} 1\n',               # unescaped quote
        '# HELP a x\n# TYPE a gauge\na{l="x",} 1\n',                # trailing comma
        '# HELP a x\n# TYPE a gauge\na one\n',                      # not a number
        '# HELP a x\n# TYPE a gauge\na 1\na 2\n',                   # a series twice
        '# HELP a x\n# TYPE a gauge\na{l="\\q"} 1\n',              # a bad escape
    ]
    for text in bad:
        try:
            parse(text)
        except ParseError:
            continue
        raise AssertionError('the parser took %r' % text)
    print('ok - the parser refuses %d bad texts' % len(bad))


# ---- a switch (fake_switch13.py), which can send packet-ins ----

class Switch(fake_switch13.Switch):
    def __init__(self, dpid):
        super().__init__(OFP_PORT, dpid, timeout=DEADLINE)

    def packet_in(self, xid):
        body = struct.pack('!IHBBQ', 0xffffffff, len(FRAME), 0, 0, 0)
        match = struct.pack('!HHII4x', 1, 12, 0x80000004, 1)
        self.send(header(10, PACKET_IN_LEN, xid) + body + match + b'\0\0' + FRAME)


# ---- the test ----

def get_metrics(url=None):
    with urllib.request.urlopen(url or 'http://127.0.0.1:%d/metrics' % WS_PORT, timeout=DEADLINE) as r:
        ctype = r.headers.get('Content-Type')
        if r.status != 200 or ctype != 'text/plain; version=0.0.4; charset=utf-8':
            raise AssertionError('status %s, content type %r' % (r.status, ctype))
        return parse(r.read().decode('utf-8'))


def wait_for(what, pred):
    until = time.monotonic() + DEADLINE
    while True:
        fams = get_metrics()
        if pred(fams):
            return fams
        if time.monotonic() > until:
            raise AssertionError('timed out waiting for ' + what)
        time.sleep(0.05)


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print('ok -', what)


def main():
    global KEN_MANAGER, OFP_PORT, WS_PORT
    KEN_MANAGER = sys.argv[1]
    OFP_PORT = int(sys.argv[2]) if len(sys.argv) > 2 else OFP_PORT
    WS_PORT = int(sys.argv[3]) if len(sys.argv) > 3 else WS_PORT
    parser_self_check()
    for p in (OFP_PORT, WS_PORT):  # an earlier run's manager still bound there would answer for us
        with socket.socket() as s:
            if s.connect_ex(('127.0.0.1', p)) == 0:
                print('port %d is in use' % p, file=sys.stderr)
                return 1
    mgr = subprocess.Popen([KEN_MANAGER, '--ofp-listen-host', '127.0.0.1', '--ofp-tcp-listen-port', str(OFP_PORT),
                            '--wsapi-host', '127.0.0.1', '--wsapi-port', str(WS_PORT),
                            '--echo-request-interval', '0.05', 'metrics'])
    switches = []
    try:
        until = time.monotonic() + DEADLINE
        while True:
            try:
                fams = get_metrics()
                break
            except OSError:
                if mgr.poll() is not None or time.monotonic() > until:
                    raise AssertionError('ken-manager did not serve /metrics')
                time.sleep(0.1)
        check(value(fams, 'ken_app_events_handled_total', app='metrics') is not None, 'the metrics app is listed')
        for f in ('process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_virtual_memory_bytes',
                  'process_open_fds', 'process_max_fds', 'process_start_time_seconds'):
            check(f in fams and len(fams[f]['samples']) == 1, f)
        check(value(fams, 'process_resident_memory_bytes') > 0, 'some resident memory')
        start = value(fams, 'process_start_time_seconds')
        check(time.time() - 3600 < start <= time.time() + 1, 'a start time in the last hour')
        check(value(fams, 'process_max_fds') >= value(fams, 'process_open_fds') > 2, 'open and max fds')

        switches = [Switch(1), Switch(2)]
        for s in switches:
            check(s.main.wait(DEADLINE), 'switch %d through the handshake' % s.dpid)
        d1, d2 = '%016x' % 1, '%016x' % 2
        fams = wait_for('both switches', lambda f: value(f, 'ken_datapath_connected', dpid=d1) == 1 and
                        value(f, 'ken_datapath_connected', dpid=d2) == 1)
        check(value(fams, 'ken_datapath_info', dpid=d1, address='127.0.0.1:%d' % switches[0].sock.getsockname()[1],
                    version='1.3') == 1, 'info: address and version')

        for i in range(N_PACKET_INS):
            switches[0].packet_in(i + 1)
        fams = wait_for('%d packet-ins' % N_PACKET_INS, lambda f: value(
            f, 'ken_datapath_messages_received_total', dpid=d1, type='PACKET_IN') == N_PACKET_INS)
        check(value(fams, 'ken_datapath_received_bytes_total', dpid=d1, type='PACKET_IN') ==
              N_PACKET_INS * PACKET_IN_LEN, 'packet-in bytes exactly')
        check(value(fams, 'ken_datapath_messages_received_total', dpid=d2, type='PACKET_IN') is None,
              'no packet-in series for the other switch')
        for t, n, size in (('HELLO', 1, 16), ('FEATURES_REQUEST', 1, 8), ('SET_CONFIG', 1, 12),
                           ('MULTIPART_REQUEST', 1, 16)):
            check(value(fams, 'ken_datapath_messages_sent_total', dpid=d1, type=t) == n, 'sent %s' % t)
            check(value(fams, 'ken_datapath_sent_bytes_total', dpid=d1, type=t) == n * size, 'sent %s bytes' % t)
        for t, size in (('HELLO', 16), ('FEATURES_REPLY', 32), ('MULTIPART_REPLY', 16)):
            check(value(fams, 'ken_datapath_messages_received_total', dpid=d1, type=t) == 1, 'received %s' % t)
            check(value(fams, 'ken_datapath_received_bytes_total', dpid=d1, type=t) == size, 'received %s bytes' % t)
        check(value(fams, 'ken_datapath_error_messages_received_total', dpid=d1) == 0, 'no error messages')
        check(value(fams, 'ken_datapath_bad_messages_total', dpid=d1) == 0, 'no bad messages')
        check(value(fams, 'ken_controller_connections_total') >= 2, 'connections counted')

        # Echo round trips (every 50 ms, answered by the reader threads).
        fams = wait_for('echo round trips', lambda f: (value(f, 'ken_datapath_echo_rtt_seconds_count', dpid=d1) or 0)
                        >= 2)
        last = value(fams, 'ken_datapath_echo_rtt_last_seconds', dpid=d1)
        total = value(fams, 'ken_datapath_echo_rtt_seconds_sum', dpid=d1)
        check(isinstance(last, float) and 0 < last < 5 and last <= total, 'echo RTT: last %.6f s, sum %.6f s'
              % (last, total))
        check(value(fams, 'ken_datapath_messages_received_total', dpid=d1, type='ECHO_REPLY') >=
              value(fams, 'ken_datapath_echo_rtt_seconds_count', dpid=d1), 'echo replies counted')

        # A bad message and an error from switch 1.
        switches[0].send(header(14, 8, 77))  # a flow-mod is the controller's to send: refused
        switches[0].send(header(1, 12, 78) + struct.pack('!HH', 1, 2))
        fams = wait_for('errors', lambda f: value(f, 'ken_datapath_bad_messages_total', dpid=d1) == 1 and
                        value(f, 'ken_datapath_error_messages_received_total', dpid=d1) == 1)
        check(True, 'a refused message and an OFPT_ERROR counted')

        # The handler time of the app that serves: its handlers ran.
        check(value(fams, 'ken_app_handler_seconds_total', app='metrics') > 0, 'metrics handler time')
        check(value(fams, 'ken_app_events_handled_total', app='dpset') >= 2, 'dpset handled its events')

        # Switch 2 leaves: its series go, switch 1's stay.
        switches[1].close()
        fams = wait_for('switch 2 gone', lambda f: value(f, 'ken_datapath_connected', dpid=d2) is None)
        left = [s for fam in fams.values() for s in fam['samples'] if s[1].get('dpid') == d2]
        check(not left, 'no series of the switch that left')
        check(value(fams, 'ken_datapath_connected', dpid=d1) == 1, 'the other switch still there')
        mgr.terminate()
        rc = mgr.wait(DEADLINE)
        check(rc == 0, 'ken-manager stopped cleanly')
        return 0
    finally:
        for s in switches:
            s.close()
        if mgr.poll() is None:
            mgr.kill()
            mgr.wait()


if __name__ == '__main__':
    sys.exit(main())
