#!/usr/bin/env python3
"""Reads simple_monitor_13's tables out of the controller log and holds them
to what Open vSwitch itself reports (ovs-ofctl dump-flows / dump-ports).

    monitor_check.py ready LOG FROM               exit 0 once a whole poll is logged after line FROM
    monitor_check.py verify LOG FROM BEFORE AFTER  the last poll after FROM against two OVS dumps

BEFORE and AFTER are directories holding flows.txt and ports.txt, dumped
before FROM and after the poll: every logged counter must lie between the
two, since counters only grow.
"""
import os
import re
import sys

DPID = "0000000000000001"
# The flows simple_switch_13 installs between h1 (port 1) and h2 (port 2).
FLOWS = {(1, "00:00:00:00:00:02"): 2, (2, "00:00:00:00:00:01"): 1}
PORTS = {1, 2, 0xFFFFFFFE}  # and LOCAL

FLOW_HEAD = "datapath         in-port  eth-dst           out-port packets  bytes"
PORT_HEAD = "datapath         port     rx-pkts  rx-bytes rx-error tx-pkts  tx-bytes tx-error"
MSG = re.compile(r"^\S+ \S+ INFO simple_monitor_13: (.*)$")


def tables(log, start):
    """The last flow table and the last port table logged after line start,
    each a list of rows (lists of fields); None when none is whole yet."""
    with open(log, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")[start:]
    if lines and lines[-1] != "":
        lines = lines[:-1]  # a line still being written
    msgs = [m.group(1) for m in map(MSG.match, lines) if m]
    found = {}
    i = 0
    while i < len(msgs):
        kind = {FLOW_HEAD: "flows", PORT_HEAD: "ports"}.get(msgs[i])
        if kind and i + 1 < len(msgs) and msgs[i + 1].startswith("-----"):
            rows, i = [], i + 2
            while i < len(msgs) and msgs[i].startswith(DPID):
                rows.append(msgs[i].split())
                i += 1
            found[kind] = rows
        else:
            i += 1
    flows, ports = found.get("flows"), found.get("ports")
    if flows is None or len(flows) < len(FLOWS) or ports is None or len(ports) < len(PORTS):
        return None
    return flows, ports


def ovs_flows(path):
    """(in_port, eth_dst) -> (out_port, packets, bytes) of the priority-1 flows."""
    out = {}
    with open(path) as f:
        for line in f:
            if "priority=1," not in line:
                continue
            fields = dict(re.findall(r"(\w+)=([^,\s]+)", line))
            port = int(re.search(r"actions=output:(\d+)", line).group(1))
            out[(int(fields["in_port"]), fields["dl_dst"])] = (port, int(fields["n_packets"]), int(fields["n_bytes"]))
    return out


def ovs_ports(path):
    """port_no -> {rx_pkts, rx_bytes, rx_errs, tx_pkts, tx_bytes, tx_errs}"""
    out, port, direction = {}, None, None
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*port\s+(\w+):\s*(rx|tx)", line) or re.match(r"\s*(rx|tx)", line)
            if not m:
                continue
            if m.re.pattern.startswith(r"\s*port"):
                name = m.group(1)
                port = 0xFFFFFFFE if name == "LOCAL" else int(name)
                out[port] = {}
            direction = "rx" if re.match(r"\s*(port\s+\w+:\s*)?rx", line) else "tx"
            for key, val in re.findall(r"(pkts|bytes|errs)=(\d+)", line):
                out[port][f"{direction}_{key}"] = int(val)
    return out


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def between(what, lo, val, hi):
    if not lo <= val <= hi:
        fail(f"{what}: logged {val}, but OVS said {lo} before and {hi} after")


def verify(log, start, before, after):
    t = tables(log, start)
    if not t:
        fail("no whole flow and port table logged after the first dump")
    flows, ports = t
    f0, f1 = ovs_flows(os.path.join(before, "flows.txt")), ovs_flows(os.path.join(after, "flows.txt"))
    if set(f1) != set(FLOWS):
        fail(f"OVS has priority-1 flows {sorted(f1)}, expected {sorted(FLOWS)}")
    logged = {}
    for row in flows:
        # datapath in-port eth-dst out-port packets bytes (ports in hex, as Ryu)
        logged[(int(row[1], 16), row[2])] = (int(row[3], 16), int(row[4]), int(row[5]))
    keys = [(int(r[1], 16), r[2]) for r in flows]
    if keys != sorted(keys):
        fail(f"flows not sorted by in-port, eth-dst: {keys}")
    if set(logged) != set(FLOWS):
        fail(f"logged flows {sorted(logged)}, expected {sorted(FLOWS)}")
    for key, (out_port, packets, nbytes) in logged.items():
        if out_port != FLOWS[key] or out_port != f1[key][0]:
            fail(f"flow {key}: logged out-port {out_port}, OVS outputs to {f1[key][0]}")
        if packets == 0:
            fail(f"flow {key}: no packets counted")
        between(f"flow {key} packets", f0[key][1], packets, f1[key][1])
        between(f"flow {key} bytes", f0[key][2], nbytes, f1[key][2])
    p0, p1 = ovs_ports(os.path.join(before, "ports.txt")), ovs_ports(os.path.join(after, "ports.txt"))
    nos = [int(r[1], 16) for r in ports]
    if nos != sorted(nos) or set(nos) != PORTS:
        fail(f"logged ports {nos}, expected {sorted(PORTS)} in order")
    for r in ports:
        port = int(r[1], 16)
        vals = dict(zip(["rx_pkts", "rx_bytes", "rx_errs", "tx_pkts", "tx_bytes", "tx_errs"], map(int, r[2:8])))
        for k, v in vals.items():
            between(f"port {port:#x} {k}", p0[port][k], v, p1[port][k])
        if port in (1, 2) and (vals["rx_pkts"] == 0 or vals["tx_pkts"] == 0):
            fail(f"port {port}: no packets counted: {vals}")
    for row in flows + ports:
        print("  " + " ".join(row))
    print("flow and port tables agree with OVS")


def main():
    if sys.argv[1] == "ready":
        sys.exit(0 if tables(sys.argv[2], int(sys.argv[3])) else 1)
    verify(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])


if __name__ == "__main__":
    main()
