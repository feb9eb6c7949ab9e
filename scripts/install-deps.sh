#!/usr/bin/env bash
# Installs the Debian packages ken needs to build, test and benchmark,
# only those that are missing (apt-get runs only when something is).
set -euo pipefail
pkgs=(
  build-essential meson ninja-build pkg-config clang libclang-rt-14-dev
  libjson-c-dev libssl-dev libmicrohttpd-dev libcmocka-dev libpcap-dev
  python3 python3-os-ken valgrind curl wrk
  openvswitch-switch openvswitch-testcontroller iputils-ping ethtool iproute2 tcpdump
  chromium chromium-driver  # the topology page in a real browser (tests/e2e/gui.sh)
)
pkgs+=(libcurl4-openssl-dev etcd-server)  # the cluster (src/cluster, tests/e2e/cluster.sh)
pkgs+=(man-db)  # man --warnings on the man pages (tests/install)
# The topology page (-Dgui, docs/gui.md) fetches cytoscape.js with npm at
# build time. A machine's own Node.js (with its npm) is used when there is
# one; else Debian's.
command -v npm >/dev/null || pkgs+=(nodejs npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then echo "install-deps: need root to install packages" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  timeout 900 apt-get update -qq
  timeout 1800 apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
