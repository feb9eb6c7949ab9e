#!/usr/bin/python3
"""The ofctl oracle test: ken's ofctl modules against Debian OS-Ken's.

Usage:
  ofctl_compare.py DRIVER CASES.jsonl|DIR [...] [--conformance DIR] [--quiet]

Runs every case through ken (DRIVER, ofctl_driver.c) and through OS-Ken
(ofctl_oracle.py, with the reply bytes ken's driver produced, so both
sides read identical bytes), and compares, case by case: the status, the
bytes of every message sent (xid zeroed) and the answer (the JSON under
the dpid key). Where OS-Ken itself crashes (ofctl_rest would answer 500),
ken must answer 400; such cases are counted apart.

--conformance DIR adds cases made at run time from the reply messages of
the shared OpenFlow corpus (DIR/ofp/of1N/*.packet): each stats reply is
handed to the stats route that asks for it. The corpus is read in place,
never copied. Exit status: 0 when every case agrees, 1 otherwise.
"""
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, "ofctl_oracle.py")

# The OS-Ken reply class -> the ofctl_rest route that asks for it.
REPLY_KIND = {
    "OFPDescStatsReply": "desc",
    "OFPFlowStatsReply": "flow",
    "OFPFlowDescStatsReply": "flowdesc",
    "OFPAggregateStatsReply": "aggregateflow",
    "OFPTableStatsReply": "table",
    "OFPTableFeaturesStatsReply": "tablefeatures",
    "OFPPortStatsReply": "port",
    "OFPQueueStatsReply": "queue",
    "OFPQueueGetConfigReply": "queueconfig",
    "OFPQueueDescStatsReply": "queuedesc",
    "OFPMeterFeaturesStatsReply": "meterfeatures",
    "OFPMeterConfigStatsReply": "meterconfig",
    "OFPMeterDescStatsReply": "meterdesc",
    "OFPMeterStatsReply": "meter",
    "OFPGroupFeaturesStatsReply": "groupfeatures",
    "OFPGroupDescStatsReply": "groupdesc",
    "OFPGroupStatsReply": "group",
    "OFPPortDescStatsReply": "portdesc",
    "OFPRoleReply": "role",
}
VERSION_DIRS = {"of10": 1, "of12": 3, "of13": 4, "of14": 5, "of15": 6}


def conformance_cases(root):
    cases = []
    for d, version in sorted(VERSION_DIRS.items()):
        for path in sorted(glob.glob(os.path.join(root, "ofp", d, "*.packet"))):
            try:
                with open(path + ".json") as f:
                    cls = next(iter(json.load(f)))
            except (OSError, ValueError, StopIteration):
                continue
            kind = REPLY_KIND.get(cls)
            if version == 1 and cls == "OFPSwitchFeatures":
                kind = "portdesc"  # 1.0 reads its ports from the features reply
            if kind is None:
                continue
            with open(path, "rb") as f:
                raw = f.read()
            cases.append({"id": "conformance/%s/%s" % (d, os.path.basename(path)), "version": version,
                          "kind": kind, "args": {}, "body": None, "replies": [raw.hex()]})
    return cases


def run_lines(cmd, lines):
    p = subprocess.run(cmd, input="".join(l + "\n" for l in lines), capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit("%s failed (exit %d)" % (cmd[0], p.returncode))
    return [json.loads(l) for l in p.stdout.splitlines() if l.strip()]


def compare(driver, cases, quiet):
    lines = [json.dumps(c) for c in cases]
    ken = run_lines([driver], lines)
    if len(ken) != len(cases):
        raise SystemExit("driver answered %d cases of %d" % (len(ken), len(cases)))
    for c, k in zip(cases, ken):
        c["replies_hex"] = k.get("replies", [])
    osken = run_lines(["/usr/bin/python3", ORACLE], [json.dumps(c) for c in cases])
    agree = mismatch = crash_ok = 0
    for c, k, o in zip(cases, ken, osken):
        problems = []
        if k["status"] in ("case",):
            problems.append("the case itself is malformed: %s" % k.get("why"))
        elif o["status"] == "crash":
            if k["status"] != "400":
                problems.append("OS-Ken crashes (%s); ken must answer 400, answered %s" % (o.get("why"), k["status"]))
        elif k["status"] != o["status"]:
            problems.append("status: ken %s (%s), OS-Ken %s (%s)" % (k["status"], k.get("why"), o["status"], o.get("why")))
        else:
            if k["status"] == "ok" and k["requests"] != o["requests"]:
                problems.append("messages sent differ:\n    ken:    %s\n    OS-Ken: %s" % (k["requests"], o["requests"]))
            if k["status"] == "ok" and "answer" in o and k.get("answer") != o.get("answer"):
                problems.append("answer differs:\n    ken:    %s\n    OS-Ken: %s" % (
                    json.dumps(k.get("answer"), sort_keys=True), json.dumps(o.get("answer"), sort_keys=True)))
        if problems:
            mismatch += 1
            if not quiet or mismatch <= 20:
                print("MISMATCH %s (v%s %s): %s" % (c.get("id"), c.get("version"), c.get("kind"), "; ".join(problems)))
        elif o["status"] == "crash":
            crash_ok += 1
        else:
            agree += 1
    return agree, mismatch, crash_ok


def main(argv):
    quiet = "--quiet" in argv
    argv = [a for a in argv if a != "--quiet"]
    conformance = None
    if "--conformance" in argv:
        i = argv.index("--conformance")
        conformance = argv[i + 1]
        del argv[i:i + 2]
    if len(argv) < 2:
        raise SystemExit(__doc__)
    driver, files = argv[0], []
    for a in argv[1:]:
        files += sorted(glob.glob(os.path.join(a, "*.jsonl"))) if os.path.isdir(a) else [a]
    if not files and conformance is None:
        raise SystemExit("ofctl_compare: no case files given")
    total = [0, 0, 0]
    for path in files:
        with open(path) as f:
            cases = [json.loads(l) for l in f if l.strip() and not l.startswith("#")]
        r = compare(driver, cases, quiet)
        print("%s: %d cases, %d agree, %d where OS-Ken crashes and ken answers 400, %d mismatches" % (
            os.path.basename(path), len(cases), r[0], r[2], r[1]))
        total = [a + b for a, b in zip(total, r)]
    if conformance is not None:
        if os.path.isdir(os.path.join(conformance, "ofp")):
            cases = conformance_cases(conformance)
            r = compare(driver, cases, quiet)
            print("conformance replies (%s): %d cases, %d agree, %d where OS-Ken crashes, %d mismatches" % (
                conformance, len(cases), r[0], r[2], r[1]))
            total = [a + b for a, b in zip(total, r)]
        else:
            print("SKIP conformance replies: %s is absent" % conformance)
    print("all: %d agree, %d OS-Ken crashes answered 400, %d mismatches" % (total[0], total[2], total[1]))
    return 1 if total[1] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
