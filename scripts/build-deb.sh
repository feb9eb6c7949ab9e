#!/usr/bin/env bash
# Builds the Debian packages (ken, libken0, libken-dev) from a copy of the
# tree (the tree stays clean), checks them with lintian (no error
# allowed), installs them with apt, and smoke-tests what got installed:
# ken-manager --version, ken-manager running simple_switch_13 for a
# second, and an app built with `pkg-config --cflags --libs ken` loaded
# into /usr/sbin/ken-manager. Then removes them again (KEN_DEB_KEEP=1 keeps
# them installed). Installs the packaging tools it lacks with apt-get.
# The .deb files are left in $KEN_DEB_OUT (default: build-deb/).
#   scripts/build-deb.sh     (CI: .ci/run, after make test)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
out=${KEN_DEB_OUT:-$src/build-deb}
start=$SECONDS
say() { echo "== deb: $*"; }

tools=(debhelper dpkg-dev fakeroot lintian)
build_deps=(build-essential meson ninja-build pkg-config python3 libjson-c-dev libssl-dev libmicrohttpd-dev
            libcmocka-dev libpcap-dev curl man-db)
missing=()
for p in "${tools[@]}" "${build_deps[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  [[ $(id -u) -eq 0 ]] || { echo "deb: need root to install packages" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  timeout 900 apt-get update -qq
  timeout 1800 apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

work=$(mktemp -d /tmp/ken-deb.XXXXXX)
mgr=
cleanup() {
  [[ -n $mgr ]] && kill "$mgr" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# The copy: the files git knows (tracked, or new and not ignored), so no
# build folder comes along; a tree outside git is copied but its builds.
mkdir "$work/ken"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$src" ls-files -z -c -o --exclude-standard | (cd "$src" && xargs -0 tar -cf - --no-recursion) |
    tar -xf - -C "$work/ken"
else
  tar -C "$src" --exclude='./build*' --exclude=./.git -cf - . | tar -xf - -C "$work/ken"
fi

say "dpkg-buildpackage -b -us -uc"
if ! (cd "$work/ken" && timeout 1800 dpkg-buildpackage -b -us -uc -j"$(nproc)") >"$work/build.log" 2>&1; then
  tail -60 "$work/build.log"
  echo "deb: dpkg-buildpackage failed" >&2
  exit 1
fi
# What meson test said of the install suite (dh_auto_test).
grep -E '^ *[0-9]+/[0-9]+ .*install' "$work/build.log" || { echo "deb: the install tests did not run" >&2; exit 1; }
debs=()
for d in "$work"/*.deb; do [[ $d == *-dbgsym_* ]] || debs+=("$d"); done
say "built ${debs[*]##*/} ($((SECONDS - start)) s)"

say "lintian"
changes=("$work"/ken_*.changes)
lintian --fail-on error --tag-display-limit 0 "${changes[0]}" | tee "$work/lintian.log"

mkdir -p "$out"
cp "${debs[@]}" "$work/build.log" "$out/"

say "apt-get install ${debs[*]##*/}"
export DEBIAN_FRONTEND=noninteractive
timeout 600 apt-get install -y -qq --no-install-recommends "${debs[@]}" >"$work/apt.log" 2>&1 ||
  { cat "$work/apt.log"; echo "deb: apt-get install failed" >&2; exit 1; }

fails=0
check() { local what=$1; shift; if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fails=$((fails + 1)); fi; }
check "ken-manager --version" bash -c '/usr/sbin/ken-manager --version | grep -q "^ken-manager [0-9]"'
check "man ken-manager" bash -c 'man -w ken-manager | grep -q /usr/share/man/man8/ken-manager.8'
check "man ken.conf" bash -c 'man -w 5 ken.conf | grep -q /usr/share/man/man5/ken.conf.5'
check "systemd unit" test -f /lib/systemd/system/ken-manager.service
check "sample config accepted" bash -c "grep -q '^app_lists' /etc/ken/ken.conf"

# simple_switch_13 with the installed config, on a port of its own.
log=$work/manager.log
/usr/sbin/ken-manager --config-file /etc/ken/ken.conf --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port 0 \
  >"$log" 2>&1 &
mgr=$!
for _ in $(seq 50); do grep -q "running" "$log" && break; sleep 0.1; done
sleep 1
check "ken-manager runs simple_switch_13 from the installed config" \
  bash -c "kill -0 $mgr && grep -q 'app simple_switch_13 started' '$log'"
kill -TERM "$mgr"; rc=0; wait "$mgr" || rc=$?; mgr=
check "ken-manager stops cleanly (exit $rc)" test $rc -eq 0

# An app built against the installed libken-dev, run by the installed ken-manager.
cflags=$(pkg-config --cflags ken) libs=$(pkg-config --libs ken)
check "app built with pkg-config --cflags --libs ken" \
  cc -std=c11 -Wall -Wextra -Werror -shared -fPIC -o "$work/hello_app.so" tests/install/hello_app.c $cflags $libs
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/sbin/ken-manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port 0 --wsapi-host 127.0.0.1 \
  --wsapi-port "$port" "$work/hello_app.so" >"$log" 2>&1 &
mgr=$!
for _ in $(seq 50); do grep -q "listening on 127.0.0.1 port $port" "$log" && break; sleep 0.1; done
check "the app answers its REST route" bash -c "curl -s --max-time 5 http://127.0.0.1:$port/install/deb | grep -q '\"hello\": *\"deb\"'"
kill -TERM "$mgr"; rc=0; wait "$mgr" || rc=$?; mgr=
check "ken-manager stops cleanly (exit $rc)" test $rc -eq 0

# The installed example module, by its path, and the installed ken-ofp.
rest_hello=$(dpkg -L ken | grep '/ken/apps/rest_hello.so$')
/usr/sbin/ken-manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port 0 --wsapi-host 127.0.0.1 \
  --wsapi-port "$port" "$rest_hello" >>"$log" 2>&1 &
mgr=$!
for _ in $(seq 50); do [[ $(grep -c "listening on 127.0.0.1 port $port" "$log") -ge 2 ]] && break; sleep 0.1; done
check "the installed rest_hello.so answers" bash -c "curl -s --max-time 5 http://127.0.0.1:$port/hello/deb | grep -q '\"name\": *\"deb\"'"
kill -TERM "$mgr"; rc=0; wait "$mgr" || rc=$?; mgr=
check "ken-manager stops cleanly (exit $rc)" test $rc -eq 0
check "ken-ofp round-trips a message" bash -c \
  "echo '{\"OFPEchoRequest\": {\"data\": \"aGk=\"}}' | ken-ofp encode -V 4 --hex | ken-ofp decode --json --hex - | grep -q OFPEchoRequest"
((fails)) && cat "$log"

if [[ ${KEN_DEB_KEEP:-0} != 1 ]]; then
  timeout 600 apt-get purge -y -qq ken libken0 libken-dev >/dev/null 2>&1 || echo "deb: could not remove the packages" >&2
fi
say "$fails failed ($((SECONDS - start)) s)"
[[ $fails -eq 0 ]]
