#!/usr/bin/env bash
# ken-ofp pcap on a real capture: in a network namespace of its own (its
# own loopback, so port 6653 is free and nothing else is captured), tcpdump
# records ken-manager (simple_switch_13) talking to the fake switch of the
# manager tests (handshake, packet-ins, the app's flow-mods and
# packet-outs). ken-ofp pcap must read every message of both directions,
# the same (source, destination, type, xid) sequence as ovs-ofctl
# ofp-parse-pcap on the same file, with the handshake and the app's
# answers among them, and exit 0.
#
# usage: live_capture.sh KEN_MANAGER SWITCH_CLIENT KEN_OFP
set -uo pipefail
mgr=$1 client=$2 ken=$3
[[ $(id -u) -eq 0 ]] || { echo "FAIL: needs root (a network namespace)"; exit 1; }
for t in tcpdump unshare ovs-ofctl ip python3; do
  command -v "$t" >/dev/null || { echo "FAIL: $t is not installed (scripts/install-deps.sh)"; exit 1; }
done
dir=$(mktemp -d /tmp/ken-live-capture.XXXXXX)
trap '[[ -n ${KEEP:-} ]] || rm -rf "$dir"' EXIT

# The capture, made inside a new network namespace; everything started
# there is stopped by its own pid before the namespace goes.
unshare -n bash -s "$mgr" "$client" "$dir" <<'EOF'
set -u
mgr=$1 client=$2 dir=$3
ip link set lo up
tcpdump -i lo -U -Z root -s 0 -w "$dir/cap.pcap" tcp port 6653 >"$dir/tcpdump.log" 2>&1 &
tp=$!
for _ in $(seq 50); do grep -q "listening on" "$dir/tcpdump.log" && break; sleep 0.1; done
# The filter is attached some time after tcpdump says it listens (seconds
# on a loaded machine): knock on the closed port (a SYN and its RST, no
# OpenFlow) until the capture holds more than its 24-byte file header.
for _ in $(seq 100); do
  (exec 3<>/dev/tcp/127.0.0.1/6653) 2>/dev/null
  (($(stat -c %s "$dir/cap.pcap" 2>/dev/null || echo 0) > 24)) && break
  sleep 0.1
done
"$mgr" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port 6653 simple_switch_13 >"$dir/mgr.log" 2>&1 &
mp=$!
for _ in $(seq 100); do grep -q "running (pid" "$dir/mgr.log" && break; sleep 0.1; done
"$client" 6653 simple_switch_13 >"$dir/client.log" 2>&1
echo "client exit $?" >>"$dir/client.log"
sleep 0.3
kill -TERM "$mp"; wait "$mp"
# SIGINT ends tcpdump at once, dropping what the kernel handed it and it
# has not written yet (a loaded machine leaves it behind): stop it only
# once the file has stopped growing for half a second (10 s at most).
last=-1 same=0
for _ in $(seq 100); do
  size=$(stat -c %s "$dir/cap.pcap" 2>/dev/null || echo 0)
  if ((size == last)); then same=$((same + 1)); else same=0 last=$size; fi
  ((same >= 5)) && break
  sleep 0.1
done
kill -INT "$tp"; wait "$tp"
EOF

fail=0
grep -q "client exit 0" "$dir/client.log" || { echo "FAIL: the fake switch's run"; cat "$dir/client.log" "$dir/mgr.log"; fail=1; }
[[ -s $dir/cap.pcap ]] || { echo "FAIL: no capture"; cat "$dir/tcpdump.log"; exit 1; }

"$ken" pcap "$dir/cap.pcap" >"$dir/ken.txt" 2>"$dir/ken.err"
rc=$?
"$ken" pcap --json "$dir/cap.pcap" >"$dir/ken.json" 2>/dev/null
ovs-ofctl ofp-parse-pcap "$dir/cap.pcap" >"$dir/ovs.txt" 2>"$dir/ovs.err"

python3 - "$dir" "$rc" <<'PY' || fail=1
import json, re, sys
d, rc = sys.argv[1], int(sys.argv[2])
ok = True
def check(c, what):
    global ok
    print(("ok: " if c else "FAIL: ") + what)
    ok = ok and c
ken = []
for line in open(d + "/ken.txt"):
    m = re.match(r"^\d+\.\d{6} #\d+ (\S+) > (\S+): (\S+(?: request| reply)?) (?:\(OF1\.\d\) )?\(xid=0x([0-9a-f]+)\)", line)
    if m:
        ken.append((m.group(1), m.group(2), m.group(3), int(m.group(4), 16)))
lines = open(d + "/ovs.txt").read().splitlines()
ovs = []
for i, line in enumerate(lines):
    m = re.match(r"^(\S+)\.(\d+) > (\S+)\.(\d+):$", line)
    if m and i + 1 < len(lines):
        t = re.match(r"^(\S+(?: request| reply)?) (?:\(OF1\.\d\) )?\(xid=0x([0-9a-f]+)\)", lines[i + 1])
        if t:
            ovs.append((m.group(1) + ":" + m.group(2), m.group(3) + ":" + m.group(4), t.group(1), int(t.group(2), 16)))
check(rc == 0, "ken-ofp pcap exits 0 on the live capture (stderr: %r)" % open(d + "/ken.err").read()[:300])
types = [k[2] for k in ken]
for want in ("OFPT_HELLO", "OFPT_FEATURES_REQUEST", "OFPT_FEATURES_REPLY", "OFPT_PACKET_IN", "OFPT_FLOW_MOD",
             "OFPT_PACKET_OUT"):
    check(want in types, "the capture shows %s" % want)
check(len(set((k[0], k[1]) for k in ken)) == 2, "both directions of the connection")
check(len(ken) > 0 and ken == ovs, "the same %d (source, destination, type, xid) as ovs-ofctl ofp-parse-pcap (%d)"
      % (len(ken), len(ovs)) + ("" if ken == ovs else "\n  ken: %s\n  ovs: %s" % (ken[:10], ovs[:10])))
js = [json.loads(l) for l in open(d + "/ken.json")]
check([(j["src"], j["dst"], j["type"], j["xid"]) for j in js] == ken and all("msg" in j for j in js),
      "--json gives the same messages, each decoded")
sys.exit(0 if ok else 1)
PY
exit $fail
