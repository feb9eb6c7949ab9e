#!/usr/bin/env python3
"""Checks GET /v1.0/cluster (stdin) for tests/e2e/cluster.sh.

    cluster_check.py status M1 M2 M3

M1..M3: the instance (0..2) Open vSwitch reports as master of s1..s3.
Holds when the answer names the three members k0..k2, the three switches
with the same masters, every switch connected to every member, and the
answering instance's own role matching."""
import json
import sys


def fail(why):
    print(f"cluster_check: {why}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 5 or sys.argv[1] != "status":
        fail("usage: cluster_check.py status M1 M2 M3")
    body = json.load(sys.stdin)
    if body.get("cluster") != "e2e":
        fail(f"cluster {body.get('cluster')!r}")
    if sorted(body.get("members", [])) != ["k0", "k1", "k2"]:
        fail(f"members {body.get('members')}")
    me = body.get("node_id")
    sws = {s["dpid"]: s for s in body.get("switches", [])}
    for n, m in zip((1, 2, 3), sys.argv[2:]):
        s = sws.get(f"{n:016x}")
        if s is None:
            fail(f"no switch {n}")
        if s.get("master") != f"k{m}":
            fail(f"s{n}: master {s.get('master')!r}, OVS says k{m}")
        if not isinstance(s.get("generation_id"), int) or s["generation_id"] <= 0:
            fail(f"s{n}: generation_id {s.get('generation_id')!r}")
        if sorted(s.get("connected", [])) != ["k0", "k1", "k2"]:
            fail(f"s{n}: connected {s.get('connected')}")
        want = "master" if s["master"] == me else "slave"
        if s.get("role") != want:
            fail(f"s{n}: role {s.get('role')!r} at {me}, want {want}")
    if len(sws) != 3:
        fail(f"{len(sws)} switches")


if __name__ == "__main__":
    main()
