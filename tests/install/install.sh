#!/usr/bin/env bash
# install: `meson install` into a temporary folder (DESTDIR) puts every
# piece where it belongs (tools, libken.so with its soname and libken.a,
# ken.pc, every public header, man pages, systemd unit, sample config);
# each installed header compiles on its own (C11, -pedantic) with
# pkg-config's flags; an app built outside the tree with `pkg-config
# --cflags --libs ken` only is loaded into the installed ken-manager, logs
# at start, answers its REST route, and brings no second ken (libken.so)
# into it; the installed ken-ofp round-trips a message. Cleans up.
#   install.sh BUILD_DIR SOURCE_DIR HELLO_APP_C
set -uo pipefail
build=$1 src=$2 app_c=$3
tmp=$(mktemp -d /tmp/ken-install-test.XXXXXX)
mgr_pid=
cleanup() {
  [[ -n $mgr_pid ]] && kill "$mgr_pid" 2>/dev/null && wait "$mgr_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

root=$tmp/root
if ! meson install -C "$build" --destdir "$root" --no-rebuild --quiet >"$tmp/install.log" 2>&1; then
  cat "$tmp/install.log"; echo "FAIL: meson install"; exit 1
fi
ok "meson install --destdir"

# Where the build's prefix put things (the options it was set up with).
opt() { meson introspect "$build" --buildoptions | python3 -c \
  "import json,sys; print(next(o['value'] for o in json.load(sys.stdin) if o['name']=='$1'))"; }
prefix=$(opt prefix)
abs() { [[ $1 == /* ]] && echo "$1" || echo "$prefix/$1"; }
bindir=$root$(abs "$(opt bindir)") sbindir=$root$(abs "$(opt sbindir)") libdir=$root$(abs "$(opt libdir)")
incdir=$root$(abs "$(opt includedir)") mandir=$root$(abs "$(opt mandir)") sysconfdir=$(abs "$(opt sysconfdir)")

for f in "$sbindir/ken-manager" "$bindir/ken-ofp" "$bindir/ken-bench"; do check "installed $f" test -x "$f"; done
for f in man8/ken-manager.8 man1/ken-ofp.1 man1/ken-bench.1 man5/ken.conf.5; do
  check "man page $f" test -s "$mandir/$f"
done
check "sample config" test -s "$root$sysconfdir/ken/ken.conf"
unit=$(find "$root" -name ken-manager.service)
check "systemd unit" test -n "$unit"
check "the unit runs the installed ken-manager with the installed config" \
  grep -qx "ExecStart=${sbindir#"$root"}/ken-manager --config-file $sysconfdir/ken/ken.conf" "$unit"
check "libken.a" test -s "$libdir/libken.a"
check "libken.so -> libken.so.0" test "$(readlink "$libdir/libken.so")" = libken.so.0
soname=$(readelf -d "$libdir/libken.so.0" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
check "soname libken.so.0 (got '$soname')" test "$soname" = libken.so.0
check "app module rest_hello.so" test -s "$libdir/ken/apps/rest_hello.so"
pcdir=$libdir/pkgconfig
check "ken.pc" test -s "$pcdir/ken.pc"

# Every public header of the tree, and the generated ones, installed.
for h in "$src"/include/ken/*.h ofp_types.h ofp_error_list.h ofp_oxm_fields.h; do
  check "header ken/${h##*/}" test -s "$incdir/ken/${h##*/}"
done

export PKG_CONFIG_PATH=$pcdir PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_LIBDIR=/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/lib/pkgconfig:/usr/share/pkgconfig
cflags=$(pkg-config --cflags ken) libs=$(pkg-config --libs ken) ||
  { fail "pkg-config ken"; exit 1; }
echo "pkg-config: $cflags $libs"
cc=${CC_OUT_OF_TREE:-cc}
# Each installed header compiles alone (it includes what it needs).
bad=0
for h in "$incdir"/ken/*.h; do
  echo "#include \"ken/${h##*/}\"" | $cc -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only $cflags -x c - ||
    { echo "  ken/${h##*/} does not compile alone"; bad=1; }
done
check "every installed header compiles alone with pkg-config's flags" test $bad -eq 0

# The out-of-tree app: pkg-config's flags only, no path into the tree.
check "app built with pkg-config --cflags --libs ken" \
  $cc -std=c11 -Wall -Wextra -Werror -shared -fPIC -o "$tmp/hello_app.so" "$app_c" $cflags $libs
if [[ -f $tmp/hello_app.so ]]; then
  # A free port for the REST server.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  log=$tmp/manager.log
  LD_LIBRARY_PATH=$libdir "$sbindir/ken-manager" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port 0 \
    --wsapi-host 127.0.0.1 --wsapi-port "$port" "$tmp/hello_app.so" >"$log" 2>&1 &
  mgr_pid=$!
  for _ in $(seq 100); do grep -q "listening on 127.0.0.1 port $port" "$log" && break; sleep 0.1; done
  check "the installed ken-manager starts the app (it logs)" grep -q "hello_app started with ken's installed headers" "$log"
  cp "/proc/$mgr_pid/maps" "$tmp/maps" || { fail "read /proc/$mgr_pid/maps"; echo libken.so >"$tmp/maps"; }
  reply=$(curl -s --max-time 5 "http://127.0.0.1:$port/install/world")
  check "the app answers its REST route (got '$reply')" \
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(not (d["hello"] == "world" and d["msg_bytes"] > 0))' "$reply"
  kill -TERM "$mgr_pid"
  wait "$mgr_pid"; rc=$?
  mgr_pid=
  check "ken-manager stops cleanly (exit $rc)" test $rc -eq 0
  # The app needs libken.so.0; ken-manager, whose soname it is, stands for
  # it, so no second ken is loaded (its apps would register twice).
  check "the app links libken.so.0" bash -c "readelf -d '$tmp/hello_app.so' | grep -q 'NEEDED.*\\[libken.so.0\\]'"
  check "ken-manager's soname is libken.so.0" bash -c "readelf -d '$sbindir/ken-manager' | grep -q 'SONAME.*\\[libken.so.0\\]'"
  check "libken.so was not loaded into ken-manager" bash -c "! grep -q 'libken\\.so' '$tmp/maps'"
  check "no app or context registered twice" bash -c "! grep -q 'registered twice' '$log'"
  check "no error logged" bash -c "! grep -Eq 'ERROR|CRITICAL' '$log'"
  echo "--- ken-manager's log"; cat "$log"; echo "---"
fi

# The installed ken-ofp.
hex=$(echo '{"OFPEchoRequest": {"data": "aGk="}}' | "$bindir/ken-ofp" encode -V 4 --hex)
check "installed ken-ofp encodes (got '$hex')" test "$hex" = 0402000a000000006869
check "installed ken-ofp decodes" bash -c "'$bindir/ken-ofp' decode --json --hex $hex | grep -q OFPEchoRequest"
check "installed ken-manager --version" bash -c "'$sbindir/ken-manager' --version | grep -q '^ken-manager '"

echo "install: $fails failed"
[[ $fails -eq 0 ]]
