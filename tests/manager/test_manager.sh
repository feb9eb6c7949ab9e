#!/usr/bin/env bash
# ken-manager from the outside: help and version, bad options and values
# out of range, config files (and files that are no config: endless,
# blocking, binary, oversized), apps by name, OS-Ken module path and shared
# object, the pid file, SIGTERM and SIGINT (during start-up too), a port in
# use, switch liveness by default, the TLS-without-CA warning, active mode
# by host name, and the built-in apps answering a fake switch. Every
# controller listens on 127.0.0.1, on a port the kernel picks.
#
#   test_manager.sh KEN_MANAGER SWITCH_CLIENT TEST_APPS_SO SLOW_APP_SO
set -uo pipefail
mgr=$(realpath "$1") client=$(realpath "$2") so=$(realpath "$3") slow_so=$(realpath "$4") dup_so=$(realpath "$5")
dir=$(mktemp -d /tmp/ken-manager-test.XXXXXX)
pid= port= log=
cleanup() {
  [[ -n $pid ]] && kill -9 "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { # NAME WHY [FILE]: the file's content helps the reader
  n=$((n + 1)) failed=$((failed + 1))
  echo "not ok $n - $1: $2"
  [[ -n ${3:-} && -f $3 ]] && sed 's/^/    | /' "$3" | tail -30
  return 0
}

# ---- running ken-manager to completion ----

# expect_exit NAME CODE PATTERN ARGS...: runs ken-manager, which must exit
# with CODE and print a line matching PATTERN (stdout or stderr). A hang
# fails with 124 (137 if SIGTERM did not end it either).
expect_exit() {
  local name=$1 code=$2 pattern=$3
  shift 3
  timeout -k 5 10 "$mgr" "$@" >"$dir/out" 2>&1
  local rc=$?
  if ((rc != code)); then not_ok "$name" "exit code $rc, want $code" "$dir/out"
  elif ! grep -Eq -- "$pattern" "$dir/out"; then not_ok "$name" "no line matches '$pattern'" "$dir/out"
  else ok "$name"; fi
}

# expect_usage_error NAME PATTERN ARGS...: exit 2 and exactly one line,
# of printable text only.
expect_usage_error() {
  local name=$1
  expect_exit "$@"
  (($(wc -l <"$dir/out") == 1)) || not_ok "$name (one line)" "$(wc -l <"$dir/out") lines" "$dir/out"
  if LC_ALL=C grep -q '[^[:print:]]' "$dir/out"; then not_ok "$name (printable)" "raw bytes in the message" "$dir/out"; fi
}

# ---- running ken-manager in the background ----

# start NAME ARGS...: starts ken-manager with its log in $dir/NAME.log and
# waits until it runs ("running" logged); sets pid, port and log.
start() {
  log=$dir/$1.log
  shift
  "$mgr" --pid-file "$dir/pid" "$@" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    grep -q "running (pid" "$log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  port=$(sed -n 's/.*listening on [^ ]* port \([0-9]*\).*/\1/p' "$log" | head -1)
  grep -q "running (pid" "$log" && return 0
  # Not running in time: never leave it behind for the next start to orphan.
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  pid=
  return 1
}

# stop SIGNAL: sends it and waits (10 s at most); returns the exit code.
stop() {
  kill "-$1" "$pid" 2>/dev/null
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    pid=
    return 124
  fi
  wait "$pid"
  local rc=$?
  pid=
  return $rc
}

# expect_clean_stop NAME [SIGNAL]: exit 0 after the signal, "stopped" logged.
expect_clean_stop() {
  stop "${2:-TERM}"
  local rc=$?
  if ((rc != 0)); then not_ok "$1" "exit code $rc after SIG${2:-TERM}" "$log"
  elif ! grep -q "manager: stopped" "$log"; then not_ok "$1" "'stopped' not logged" "$log"
  else ok "$1"; fi
}

# expect_log NAME PATTERN: the running manager's log has a matching line.
# expect_log NAME REGEX: the log has (or gets, within 5 s: app threads
# log after the switch client is done) a line matching REGEX.
expect_log() {
  for _ in $(seq 50); do
    grep -Eq -- "$2" "$log" && { ok "$1"; return; }
    sleep 0.1
  done
  not_ok "$1" "no log line matches '$2'" "$log"
}

local_args=(--ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port 0)

# ---- help, version, bad options ----

timeout 5 "$mgr" --help >"$dir/help" 2>&1
missing=
for o in ofp-listen-host ofp-tcp-listen-port ofp-ssl-listen-port ctl-privkey ctl-cert ca-certs ciphers \
  ofp-switch-address-list ofp-switch-connect-interval echo-request-interval maximum-unreplied-echo-requests \
  socket-timeout io-threads app-lists config-file verbose trace-events default-log-level log-level log-file use-syslog pid-file version help; do
  grep -q -- "--$o" "$dir/help" || missing+=" --$o"
done
grep -q "^Examples:" "$dir/help" || missing+=" Examples"
if [[ -n $missing ]]; then not_ok "--help lists every option" "missing:$missing" "$dir/help"; else ok "--help lists every option"; fi
# Ranges and the liveness default, and its difference from OS-Ken, are told.
if grep -q "(0.01 to 86400; default: 15)" "$dir/help" && grep -q "(0 to 1000; default: 3)" "$dir/help" &&
  grep -q "OS-Ken's 0 on purpose" "$dir/help" && grep -q "at most 1 MiB" "$dir/help"; then
  ok "--help gives ranges and defaults"
else
  not_ok "--help gives ranges and defaults" "a range, a default or the config file cap is missing" "$dir/help"
fi
expect_exit "-h" 0 "^Usage: ken-manager" -h
expect_exit "--version" 0 "^ken-manager [0-9]+\.[0-9]+\.[0-9]+$" --version

expect_usage_error "unknown option" 2 "unknown option --no-such-option" --no-such-option simple_switch_13
expect_usage_error "option without its value" 2 "needs a value: --log-file" --log-file
expect_usage_error "bad port" 2 "ofp-tcp-listen-port: '70000' is not a port number" --ofp-tcp-listen-port 70000
expect_usage_error "bad log level" 2 "default-log-level: 'loud' is not a log level" --default-log-level loud
expect_usage_error "bad seconds" 2 "socket-timeout: '-1' is not a number" --socket-timeout -1

# Values that parse but would break ken: each refused, from the command
# line and from a config file, with the range in the message.
out_of_range=(
  "echo-request-interval 0 not a number of seconds from 0.01 to 86400"
  "echo-request-interval 1e300 not a number of seconds from 0.01 to 86400"
  "echo-request-interval 0.0001 not a number of seconds from 0.01 to 86400"
  "echo-request-interval nan not a number of seconds"
  "ofp-switch-connect-interval 0 not a number of seconds from 0.01 to 86400"
  "socket-timeout 0 not a number of seconds from 0.01 to 86400"
  "maximum-unreplied-echo-requests 1001 not a whole number from 0 to 1000"
  "io-threads 65 not a whole number from 0 to 64"
  "io-threads -1 not a whole number from 0 to 64"
  "default-log-level 5 not a log level \\(10 to 50"
  "default-log-level 51 not a log level \\(10 to 50"
)
for spec in "${out_of_range[@]}"; do
  read -r opt value why <<<"$spec"
  expect_usage_error "out of range: --$opt $value" 2 "^ken-manager: --$opt: '$value' is $why" \
    "${local_args[@]}" "--$opt" "$value"
  printf '[DEFAULT]\n%s = %s\n' "${opt//-/_}" "$value" >"$dir/range.conf"
  expect_usage_error "out of range in a file: $opt = $value" 2 "range.conf:2: $opt: '$value' is $why" \
    "${local_args[@]}" --config-file "$dir/range.conf"
done

# Integers are plain decimal: no leading space, sign, zero or hex.
for value in " 31104" "+31104" "031104" "0x7980" "31104 "; do
  shown=${value//+/\\+} # as a pattern
  expect_usage_error "non-canonical port '$value'" 2 "ofp-tcp-listen-port: '$shown' is not a port number" \
    --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$value"
  printf "[DEFAULT]\nofp_listen_host = 127.0.0.1\nofp_tcp_listen_port = '%s'\n" "$value" >"$dir/port.conf"
  expect_usage_error "non-canonical port '$value' in a file" 2 "port.conf:3: ofp-tcp-listen-port: '$shown' is not a port" \
    --config-file "$dir/port.conf"
done
expect_usage_error "non-canonical count" 2 "maximum-unreplied-echo-requests: ' 3' is not a whole number" \
  "${local_args[@]}" --maximum-unreplied-echo-requests " 3"
# A value with control bytes is shown escaped.
expect_usage_error "escaped value" 2 "ofp-tcp-listen-port: '\\\\x1b\\[2J' is not a port" \
  "${local_args[@]}" --ofp-tcp-listen-port $'\e[2J'
expect_exit "missing app: the built-in apps listed" 2 \
  "cannot load apps: no app named nosuchapp; built-in apps:.* dpset .*simple_switch_13( |$)" "${local_args[@]}" nosuchapp
if grep -q " ken_manager" "$dir/out"; then not_ok "missing app: not ken-manager's own app" "listed" "$dir/out"; fi
expect_exit "an app with a built-in's name" 2 \
  "cannot load apps: $dup_so: its app simple_switch_13 has the name of a built-in app; rename it" \
  "${local_args[@]}" "$dup_so"
if grep -q "app simple_switch_13 in $dup_so has the name of a built-in app; it is ignored" "$dir/out"; then
  ok "an app with a built-in's name: logged as such"
else not_ok "an app with a built-in's name: logged as such" "no such line" "$dir/out"; fi
expect_exit "missing shared object" 2 "cannot load apps: cannot open $dir/none.so" "${local_args[@]}" "$dir/none.so"

# ---- config files ----

cfg() { # NAME LINES...: writes $dir/NAME.conf
  local f=$dir/$1.conf
  shift
  printf '%s\n' "$@" >"$f"
}
cfg unknown_section "[DEFAULT]" "ofp_tcp_listen_port = 0" "[oslo_messaging]" "x = 1"
expect_usage_error "config: unknown section" 2 "unknown_section.conf:3: unknown section" \
  --config-file "$dir/unknown_section.conf"
cfg unknown_key "[DEFAULT]" "# a comment" "ofp_tcp_listen_prot = 6653"
expect_usage_error "config: unknown option" 2 "unknown_key.conf:3: unknown option ofp_tcp_listen_prot" \
  --config-file "$dir/unknown_key.conf"
cfg dashed_key "[DEFAULT]" "ofp-tcp-listen-port = 6653"
expect_usage_error "config: dashed option name" 2 "dashed_key.conf:2: write the option with underscores" \
  --config-file "$dir/dashed_key.conf"
cfg bad_number "[DEFAULT]" "echo_request_interval = soon"
expect_usage_error "config: bad number" 2 "bad_number.conf:2: echo-request-interval: 'soon' is not a number" \
  --config-file "$dir/bad_number.conf"
cfg bad_count "[DEFAULT]" "maximum_unreplied_echo_requests = 2.5"
expect_usage_error "config: bad count" 2 "bad_count.conf:2: maximum-unreplied-echo-requests" \
  --config-file "$dir/bad_count.conf"
cfg no_section "verbose = true"
expect_usage_error "config: option before [DEFAULT]" 2 "no_section.conf:1: option before the \[DEFAULT\]" \
  --config-file "$dir/no_section.conf"
expect_usage_error "config: unreadable file" 2 "cannot read config file $dir/none.conf" --config-file "$dir/none.conf"

# Files that are no config file are refused at once (timeout 10 in
# expect_exit: a hang fails with 124).
expect_usage_error "config: /dev/zero refused" 2 "cannot read config file /dev/zero: not a regular file" \
  "${local_args[@]}" --config-file /dev/zero
mkfifo "$dir/fifo"
expect_usage_error "config: a FIFO refused" 2 "cannot read config file $dir/fifo: not a regular file" \
  "${local_args[@]}" --config-file "$dir/fifo"
{ echo "[DEFAULT]"; head -c $((1024 * 1024)) /dev/zero | tr '\0' '#'; echo; } >"$dir/big.conf"
expect_usage_error "config: over 1 MiB refused" 2 "cannot read config file $dir/big.conf: larger than 1 MiB" \
  "${local_args[@]}" --config-file "$dir/big.conf"
{ echo "[DEFAULT]"; head -c $((1024 * 1024 - 40)) /dev/zero | tr '\0' '#'; echo; echo "verbose = x"; } >"$dir/near.conf"
expect_usage_error "config: just under 1 MiB is read" 2 "near.conf:3: verbose: 'x' is not a boolean" \
  "${local_args[@]}" --config-file "$dir/near.conf"
printf '[DEFAULT]\nofp_tcp_listen_port = 0\0junk\n' >"$dir/nul.conf"
expect_usage_error "config: a NUL byte in a line" 2 "nul.conf:2: a NUL byte in the line" \
  --ofp-listen-host 127.0.0.1 --config-file "$dir/nul.conf"
printf '\x7fELF\x1b[2J\xfe\xff\n' >"$dir/binary.conf"
expect_usage_error "config: a binary file shown escaped" 2 'binary.conf:1: .*\\x7fELF\\x1b\[2J\\xfe\\xff$' \
  "${local_args[@]}" --config-file "$dir/binary.conf"

# Values from the file are applied: host, port, app, and the echo options
# (a switch that stops answering echo requests is dropped within 3 s, not
# the default 15 s x N).
cfg applied "[DEFAULT]" "ofp_listen_host = 127.0.0.1" "ofp_tcp_listen_port = 0" "; liveness" \
  "echo_request_interval = 0.2" "maximum_unreplied_echo_requests = '2'" "app_lists = cbench" "use_syslog = false"
if start config_applied --config-file "$dir/applied.conf"; then
  expect_log "config: host and port applied" "listening on 127.0.0.1 port [0-9]+"
  expect_log "config: app_lists applied" "app cbench started"
  if "$client" "$port" echo >"$dir/client" 2>&1; then ok "config: echo options applied"
  else not_ok "config: echo options applied" "switch client failed" "$dir/client"; fi
  expect_clean_stop "config: clean stop"
else
  not_ok "config: applied" "ken-manager did not start" "$log"
fi

# The command line wins over the file; a later file over an earlier one.
cfg quiet "[DEFAULT]" "default_log_level = error" "ofp_listen_host = 127.0.0.1" "ofp_tcp_listen_port = 0"
cfg loud "[DEFAULT]" "default_log_level = 20"
if start cli_wins --config-file "$dir/quiet.conf" --default-log-level info; then
  ok "config: the command line wins"
  expect_clean_stop "config: clean stop (command line)"
else
  not_ok "config: the command line wins" "no INFO line" "$log"
fi
if start later_file --config-file "$dir/quiet.conf" --config-file "$dir/loud.conf"; then
  ok "config: a later file wins"
  expect_clean_stop "config: clean stop (two files)"
else
  not_ok "config: a later file wins" "no INFO line" "$log"
fi
"$mgr" --pid-file "$dir/pid" --config-file "$dir/quiet.conf" >"$dir/quiet.log" 2>&1 &
pid=$! log=$dir/quiet.log
for _ in $(seq 50); do [[ -s $dir/pid ]] && break; sleep 0.1; done
sleep 0.3
if [[ -s $dir/quiet.log ]]; then not_ok "config: log level from the file" "INFO lines logged" "$dir/quiet.log"
else ok "config: log level from the file"; fi
stop TERM || not_ok "config: quiet stop" "exit code $?" "$log"

# ---- running, the pid file and signals ----

if start alone "${local_args[@]}"; then
  expect_log "no app: the controller runs alone" "no app given"
  if [[ $(cat "$dir/pid" 2>/dev/null) == "$pid" ]]; then ok "pid file"; else not_ok "pid file" "wrong or missing"; fi
  expect_clean_stop "SIGTERM: clean exit 0" TERM
  if [[ -e $dir/pid ]]; then not_ok "pid file removed on exit" "still there"; else ok "pid file removed on exit"; fi
else
  not_ok "no app" "ken-manager did not start" "$log"
fi

if start sigint "${local_args[@]}" simple_switch_13; then
  # A second manager on the same port fails with a clear message.
  timeout 10 "$mgr" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$port" cbench >"$dir/in_use" 2>&1
  rc=$?
  if ((rc == 0 || rc == 124)); then not_ok "port in use" "exit code $rc" "$dir/in_use"
  elif ! grep -qi "in use" "$dir/in_use"; then not_ok "port in use" "no clear message" "$dir/in_use"
  else ok "port in use: exit $rc with a message"; fi
  expect_clean_stop "SIGINT: clean exit 0" INT
else
  not_ok "SIGINT" "ken-manager did not start" "$log"
fi

# ---- a stop signal during start-up ----

# The app's start hook takes 30 s: SIGTERM (and SIGINT) must end the
# process well before, and the pid file goes with it.
for sig in TERM INT; do
  "$mgr" --pid-file "$dir/pid" "${local_args[@]}" "$slow_so" >"$dir/slow.log" 2>&1 &
  pid=$! log=$dir/slow.log
  for _ in $(seq 100); do grep -q "slow app starting" "$log" && break; sleep 0.1; done
  if ! grep -q "slow app starting" "$log"; then
    not_ok "SIG$sig during start-up" "the slow app did not start" "$log"
    kill -9 "$pid"; wait "$pid" 2>/dev/null; pid=
    continue
  fi
  kill "-$sig" "$pid"
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    not_ok "SIG$sig during start-up ends the process" "still running 5 s after SIG$sig" "$log"
    kill -9 "$pid"
  elif [[ -e $dir/pid ]]; then not_ok "SIG$sig during start-up ends the process" "pid file left" "$log"
  else ok "SIG$sig during start-up ends the process"; fi
  wait "$pid" 2>/dev/null
  pid=
done

# ---- switch liveness by default ----

# Only the interval is set: the default limit of unreplied echo requests
# (3) closes a switch that went silent, stalled mid-message or trickles
# bytes, within the client's 3 s; one that answers stays.
if start liveness "${local_args[@]}" --echo-request-interval 0.2; then
  for scenario in echo stall trickle alive; do
    if "$client" "$port" "$scenario" >"$dir/client" 2>&1; then ok "liveness by default: $scenario"
    else not_ok "liveness by default: $scenario" "$(tail -1 "$dir/client")" "$log"; fi
  done
  expect_log "liveness: the reason is logged" "echo timeout"
  expect_clean_stop "liveness: clean stop"
else
  not_ok "liveness by default" "ken-manager did not start" "$log"
fi

# ---- active mode: switch addresses by host name, as the listen host ----

for prefix in "" "tcp:"; do
  "$client" 0 listen >"$dir/active_client" 2>&1 &
  client_pid=$!
  for _ in $(seq 50); do grep -q "listening on" "$dir/active_client" && break; sleep 0.1; done
  sw_port=$(sed -n 's/listening on //p' "$dir/active_client")
  if start "active_${prefix%:}" --ofp-listen-host localhost --ofp-tcp-listen-port 0 \
    --ofp-switch-address-list "${prefix}localhost:$sw_port"; then
    if wait "$client_pid"; then ok "active mode: ${prefix}localhost:PORT connects"
    else not_ok "active mode: ${prefix}localhost:PORT connects" "switch client failed" "$dir/active_client"; fi
    expect_log "active mode: ${prefix}localhost logged" "connected to switch ${prefix}localhost:$sw_port"
    stop TERM
  else
    not_ok "active mode: ${prefix}localhost:PORT" "ken-manager did not start" "$log"
    kill "$client_pid" 2>/dev/null
    wait "$client_pid" 2>/dev/null
  fi
done

# ---- TLS: the key and certificate options reach the controller ----

if command -v openssl >/dev/null &&
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" -days 1 \
    -subj /CN=ken-test >/dev/null 2>&1; then
  if start tls --ofp-listen-host 127.0.0.1 --ofp-ssl-listen-port 0 --ctl-privkey "$dir/key.pem" \
    --ctl-cert "$dir/cert.pem" simple_switch_13; then
    port=$(sed -n 's/.*listening on 127.0.0.1 port \([0-9]*\) (TLS).*/\1/p' "$log")
    hello=$(timeout 5 openssl s_client -connect "127.0.0.1:$port" -quiet -ign_eof </dev/null 2>/dev/null |
      head -c 2 | od -An -tx1 | tr -d ' \n')
    if [[ $hello == 0400 ]]; then ok "TLS: a TLS client gets an OpenFlow 1.3 hello"
    else not_ok "TLS: a TLS client gets an OpenFlow 1.3 hello" "got '$hello'" "$log"; fi
    expect_log "TLS without --ca-certs: a WARNING" "WARNING.*TLS listener without ca_certs.*any host"
    expect_clean_stop "TLS: clean stop"
  else
    not_ok "TLS" "ken-manager did not start" "$log"
  fi
  if start tls_ca --ofp-listen-host 127.0.0.1 --ofp-ssl-listen-port 0 --ctl-privkey "$dir/key.pem" \
    --ctl-cert "$dir/cert.pem" --ca-certs "$dir/cert.pem"; then
    if grep -q "WARNING" "$log"; then not_ok "TLS with --ca-certs: no warning" "a WARNING" "$log"
    else ok "TLS with --ca-certs: no warning"; fi
    stop TERM
  else
    not_ok "TLS with --ca-certs" "ken-manager did not start" "$log"
  fi
  if start tls_active "${local_args[@]}" --ctl-privkey "$dir/key.pem" --ctl-cert "$dir/cert.pem" \
    --ofp-switch-address-list ssl:127.0.0.1:1; then
    expect_log "active TLS without --ca-certs: a WARNING" \
      "WARNING.*switch ssl:127.0.0.1:1 without ca_certs.*not verified"
    stop TERM
  else
    not_ok "active TLS without --ca-certs" "ken-manager did not start" "$log"
  fi
else
  echo "# skip TLS: no openssl command"
fi
expect_exit "TLS port without key and certificate" 1 "needs ctl_privkey and ctl_cert" \
  --ofp-listen-host 127.0.0.1 --ofp-ssl-listen-port 0

# ---- apps by OS-Ken module path and by shared object ----

for name in os_ken.app.simple_switch_13 ryu.app.simple_switch_13 apps/simple_switch_13 apps/simple_switch_13.py; do
  if start module_path "${local_args[@]}" "$name"; then
    expect_log "module path $name" "app simple_switch_13 started"
    stop TERM
  else
    not_ok "module path $name" "ken-manager did not start" "$log"
  fi
done
# Ryu's other learning switches by their module paths (issue 10).
for v in 12 14 15; do
  name=ryu.app.simple_switch_$v
  if start module_path "${local_args[@]}" "$name"; then
    expect_log "module path $name" "app simple_switch_$v started"
    stop TERM
  else
    not_ok "module path $name" "ken-manager did not start" "$log"
  fi
done

if start shared_object "${local_args[@]}" "$so"; then
  expect_log "shared object: its first app by name runs" "test app aa_first started"
  if grep -q zz_second "$log"; then not_ok "shared object: only the first app" "zz_second ran" "$log"
  else ok "shared object: only the first app"; fi
  expect_clean_stop "shared object: clean stop"
  expect_log "shared object: its stop hook ran" "test app aa_first stopped"
else
  not_ok "shared object" "ken-manager did not start" "$log"
fi
# A bare file name is the file here, not a library on the search path.
cp "$so" "$dir/bare.so"
cd "$dir" || exit 1
if start bare_so "${local_args[@]}" bare.so; then
  expect_log "shared object by bare file name" "test app aa_first started"
  stop TERM
else
  not_ok "shared object by bare file name" "ken-manager did not start" "$log"
fi
cd - >/dev/null || exit 1

# ---- the built-in apps and a fake switch ----

# client_run APP SCENARIO [EXTRA]: runs ken-manager with APP, the fake
# switch through SCENARIO, and checks the switch was logged.
client_run() {
  local app=$1 scenario=$2
  if ! start "app_$scenario" "${local_args[@]}" "$app"; then
    not_ok "$scenario" "ken-manager did not start" "$log"
    return
  fi
  if "$client" "$port" "$scenario" >"$dir/client" 2>&1; then ok "$scenario answers the fake switch"
  else not_ok "$scenario answers the fake switch" "switch client failed" "$dir/client"; cat "$log"; fi
  expect_log "$scenario: the switch is logged" "switch 0000000000000042 connected from 127.0.0.1:[0-9]+, OpenFlow 1\.[03]"
  expect_clean_stop "$scenario: clean stop"
  local ups
  ups=$(grep -c "connected from" "$log")
  if ((ups == 1)); then ok "$scenario: the switch's arrival is logged once"
  else not_ok "$scenario: the switch's arrival is logged once" "$ups times" "$log"; fi
}
client_run simple_switch_13 simple_switch_13
client_run simple_switch simple_switch
client_run cbench cbench10
client_run cbench cbench13
# --log-level MODULE=LEVEL: bad values are usage errors; from a config file
# and the command line, all apply (runtime at warning hides its "app ...
# started"; events at debug turns the trace on), other modules unchanged.
expect_usage_error "--log-level: no '='" 2 "--log-level: 'runtime' is not MODULE=LEVEL" --log-level runtime
expect_usage_error "--log-level: a bad level" 2 "--log-level: 'runtime=loud' is not MODULE=LEVEL" \
  --log-level runtime=loud
cfg log_levels "[DEFAULT]" "log_level = runtime=warning"
if start log_levels "${local_args[@]}" --config-file "$dir/log_levels.conf" --log-level "events = 10" simple_switch_13
then
  "$client" "$port" simple_switch_13 >"$dir/client" 2>&1 || not_ok "--log-level: switch client" "failed" "$dir/client"
  expect_log "--log-level events=10: the trace is on" "DEBUG events: EVENT ofp_event->simple_switch_13 EventOFPPacketIn$"
  stop TERM
  if grep -q "runtime: app simple_switch_13 started" "$log"; then
    not_ok "log_level runtime=warning in a file: applied" "runtime INFO logged" "$log"
  elif ! grep -q "INFO manager: stopped" "$log"; then
    not_ok "--log-level: other modules unchanged" "manager's INFO missing" "$log"
  else ok "log_level in a file and --log-level: both applied"; fi
else
  not_ok "--log-level" "ken-manager did not start" "$log"
fi

# client_run's simple_switch_13 ran without the trace: no EVENT lines.
if grep -q "EVENT " "$dir/app_simple_switch_13.log"; then
  not_ok "no event trace by default" "EVENT lines" "$dir/app_simple_switch_13.log"
else ok "no event trace by default"; fi

# --trace-events: Ryu's "EVENT src->dst class" per event handed to an app,
# and no other debug record; --verbose implies it.
for flag in --trace-events --verbose; do
  if start "trace$flag" "${local_args[@]}" "$flag" simple_switch_13; then
    "$client" "$port" simple_switch_13 >"$dir/client" 2>&1 || not_ok "$flag: switch client" "failed" "$dir/client"
    expect_log "$flag: packet-in traced" "DEBUG events: EVENT ofp_event->simple_switch_13 EventOFPPacketIn$"
    expect_log "$flag: features traced" "DEBUG events: EVENT ofp_event->simple_switch_13 EventOFPSwitchFeatures$"
    stop TERM
    if [[ $flag == --trace-events ]] && grep "DEBUG" "$log" | grep -vq "DEBUG events: EVENT "; then
      not_ok "--trace-events: only trace lines at debug" "other DEBUG lines" "$log"
    elif [[ $flag == --trace-events ]]; then ok "--trace-events: only trace lines at debug"
    fi
  else
    not_ok "$flag: event trace" "ken-manager did not start" "$log"
  fi
done

# --io-threads and io_threads: that many I/O threads (named ken-ioN), and a
# learning switch still answers through them.
io_thread_names() { local t; for t in /proc/"$pid"/task/*; do cat "$t/comm"; done 2>/dev/null | grep -c '^ken-io'; }
cfg io_threads "[DEFAULT]" "io_threads = 2"
for spec in "3 --io-threads 3" "2 --config-file $dir/io_threads.conf"; do
  read -r want flags <<<"$spec"
  # shellcheck disable=SC2086 # flags is two words on purpose
  if start "io_threads_$want" "${local_args[@]}" $flags simple_switch_13; then
    got=$(io_thread_names)
    if [[ $got != "$want" ]]; then not_ok "$flags: $want I/O threads" "$got threads named ken-io*" "$log"
    elif ! "$client" "$port" simple_switch_13 >"$dir/client" 2>&1; then
      not_ok "$flags: switch client" "failed" "$dir/client"
    else ok "$flags: $want I/O threads, the switch answered"; fi
    expect_clean_stop "$flags: clean stop"
  else
    not_ok "$flags" "ken-manager did not start" "$log"
  fi
done

echo "$((n - failed)) passed, $failed failed"
((failed == 0))
