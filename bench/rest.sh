#!/usr/bin/env bash
# REST server benchmark: wrk with 1, 16 and 256 keep-alive connections
# against each URL, reporting requests/s and the 99th percentile latency.
#
#   bench/rest.sh URL...        measure these URLs (a server you run)
#   bench/rest.sh               start ken-manager with the test app
#                               (build/tests/rest/rest_app.so) on port 18150
#                               and measure GET /hello, access log on, then
#                               off (--default-log-level 30), with the
#                               server's CPU time per request (a figure a
#                               busy machine disturbs less than req/s)
#   bench/rest.sh --rss [N]     with the test app: RSS of ken-manager after
#                               a warm-up and after N more requests (default
#                               1,000,000) at 16 connections
#
# KEN_BENCH_SECONDS sets each run's length (default 5). Run from the
# project root after `meson setup build && ninja -C build` (a release
# build is the fair one).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${KEN_BENCH_SECONDS:-5}
port=18150
command -v wrk >/dev/null || { echo "rest.sh: wrk is missing (scripts/install-deps.sh)" >&2; exit 1; }

# wrk's summary as "req/s p99 requests [errors]".
run_wrk() { # CONNECTIONS DURATION URL
  local c=$1 d=$2 url=$3 t=$(($1 < 2 ? 1 : 2))
  wrk -t"$t" -c"$c" -d"$d" --latency "$url" | awk '
    /^ +99%/ { p99 = $2 }
    /^Requests\/sec:/ { rps = $2 }
    /requests in/ { n = $1 }
    /Non-2xx or 3xx responses:/ { bad = $NF }
    /Socket errors:/ { errs = $0 }
    END { printf "%s %s %s%s%s\n", rps, p99, n, bad ? " non-2xx=" bad : "", errs ? " (" errs ")" : "" }'
}

# The server's CPU time (user + system) in clock ticks, when we started it.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }

measure() { # URL...
  printf '%-36s %6s %10s %10s %s\n' URL conns 'req/s' p99 "${pid:+server CPU us/request}"
  for url in "$@"; do
    for c in 1 16 256; do
      local t0= t1= cpu=
      [[ -n $pid ]] && t0=$(cpu_ticks)
      read -r rps p99 n rest < <(run_wrk "$c" "${secs}s" "$url")
      if [[ -n $pid ]]; then
        t1=$(cpu_ticks)
        cpu=$(awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
      fi
      printf '%-36s %6s %10s %10s %s %s\n' "$url" "$c" "$rps" "$p99" "$cpu" "${rest:-}"
    done
  done
}

tmp=$(mktemp -d)
pid=
cleanup() {
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

start_server() { # EXTRA-OPTIONS...
  rm -f "$tmp/log"
  build/ken-manager --ofp-tcp-listen-port 0 --wsapi-host 127.0.0.1 --wsapi-port "$port" \
    --log-file "$tmp/log" "$@" build/tests/rest/rest_app.so &
  pid=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/hello" && return 0
    sleep 0.1
  done
  echo "rest.sh: ken-manager did not start" >&2
  cat "$tmp/log" >&2 || true
  exit 1
}

stop_server() {
  kill "$pid"
  wait "$pid" || true
  pid=
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
if [[ ${1:-} == --rss ]]; then
  total=${2:-1000000}
  start_server --default-log-level 30
  url="http://127.0.0.1:$port/hello"
  wrk -t2 -c16 -d3s "$url" >/dev/null   # warm-up: caches and pools at their size
  before=$(rss_kb)
  done_n=0
  while ((done_n < total)); do
    n=$(wrk -t2 -c16 -d5s "$url" | awk '/requests in/ { print $1 }')
    done_n=$((done_n + n))
  done
  after=$(rss_kb)
  echo "RSS of ken-manager: ${before} kB after the warm-up, ${after} kB after ${done_n} more requests"
  stop_server
elif (($#)); then
  measure "$@"
else
  start_server
  echo "access log on (INFO):"
  measure "http://127.0.0.1:$port/hello"
  stop_server
  start_server --default-log-level 30
  echo "access log off (--default-log-level 30):"
  measure "http://127.0.0.1:$port/hello"
  stop_server
fi
