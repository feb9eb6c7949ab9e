#!/usr/bin/env bash
# The REST server under wrk at 256 keep-alive connections: every answer is
# 200, no socket error, and at least 1,000 requests/s in each 2 s round
# (healthy: 20,000 and more, sanitizers on). With libmicrohttpd's epoll
# mode, resumed connections were sometimes never read again: a round then
# served a few hundred requests, the rest waiting until wrk gave up.
# usage: test_load.sh KEN_MANAGER REST_APP_SO
set -euo pipefail
km=$1 app=$2
command -v wrk >/dev/null || { echo "FAIL: wrk is missing (scripts/install-deps.sh)"; exit 1; }
dir=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
"$km" --ofp-tcp-listen-port 0 --wsapi-host 127.0.0.1 --wsapi-port 0 --default-log-level 30 \
  --log-file "$dir/log" "$app" &
pid=$!
# The port: at level 30 the "listening" line is not logged; ask the kernel.
port=
for _ in $(seq 200); do
  port=$(ss -Htlnp 2>/dev/null | awk -v p="pid=$pid," '$0 ~ p { n = split($4, a, ":"); print a[n] }' | while read -r cand; do
    curl -s -m 1 -o /dev/null "http://127.0.0.1:$cand/hello" && echo "$cand" && break; done || true)
  [[ -n $port ]] && break
  sleep 0.05
done
[[ -n $port ]] || { echo "FAIL: ken-manager did not start"; cat "$dir/log"; exit 1; }
fail=0
for round in 1 2 3; do
  out=$(wrk -t2 -c256 -d2s --timeout 2s "http://127.0.0.1:$port/hello")
  n=$(awk '/requests in/ { print $1 }' <<<"$out")
  if grep -qE "Socket errors|Non-2xx" <<<"$out" || ((n < 2000)); then
    echo "FAIL: round $round: $out"
    fail=1
  else
    echo "ok: round $round: $n requests in 2 s, no timeout, all 200"
  fi
done
kill "$pid"
wait "$pid" || { echo "FAIL: ken-manager exited $?"; fail=1; }
pid=
exit $fail
