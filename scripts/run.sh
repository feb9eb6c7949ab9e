#!/usr/bin/env bash
# The main job: ken-manager with the default app when it exists, otherwise a
# ken-ofp demo (decode a packet-in, encode a flow-mod from JSON).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -x build/ken-manager ]]; then
  echo "ken: starting ken-manager with simple_switch_13 (Ctrl-C to stop)"
  exec build/ken-manager --verbose apps/simple_switch_13 "$@"
fi
echo "== ken-ofp demo: decode an OpenFlow 1.3 packet-in"
build/ken-ofp decode --hex '040a0046000000000000 00c803e800640000000000000000 0001002880000004 0000abcd80004c08 000000000000c350 00013e04c0a80203 00014004c0a80204 0000686f6765'
echo
echo "== ken-ofp demo: encode an OpenFlow 1.3 flow-mod from OS-Ken JSON"
cat <<'JSON' | tee /dev/stderr | build/ken-ofp encode --ofp-version 4 --hex
{"OFPFlowMod": {"priority": 1, "match": {"OFPMatch": {"oxm_fields": [
  {"OXMTlv": {"field": "in_port", "mask": null, "value": 1}},
  {"OXMTlv": {"field": "eth_dst", "mask": null, "value": "00:00:00:00:00:02"}}]}},
 "instructions": [{"OFPInstructionActions": {"type": 4, "actions": [
  {"OFPActionOutput": {"port": 2, "max_len": 65509}}]}}]}}
JSON
