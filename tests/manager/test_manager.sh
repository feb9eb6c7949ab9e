#!/usr/bin/env bash
# ken-manager from the outside: help and version, bad options, config
# files, apps by name, OS-Ken module path and shared object, the pid file,
# SIGTERM and SIGINT, a port in use, and the built-in apps answering a fake
# switch. Every controller listens on 127.0.0.1, on a port the kernel picks.
#
#   test_manager.sh KEN_MANAGER SWITCH_CLIENT TEST_APPS_SO
set -uo pipefail
mgr=$(realpath "$1") client=$(realpath "$2") so=$(realpath "$3")
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
# with CODE and print a line matching PATTERN (stdout or stderr).
expect_exit() {
  local name=$1 code=$2 pattern=$3
  shift 3
  timeout 10 "$mgr" "$@" >"$dir/out" 2>&1
  local rc=$?
  if ((rc != code)); then not_ok "$name" "exit code $rc, want $code" "$dir/out"
  elif ! grep -Eq -- "$pattern" "$dir/out"; then not_ok "$name" "no line matches '$pattern'" "$dir/out"
  else ok "$name"; fi
}

# expect_usage_error NAME PATTERN ARGS...: exit 2 and exactly one line.
expect_usage_error() {
  local name=$1
  expect_exit "$@"
  (($(wc -l <"$dir/out") == 1)) || not_ok "$name (one line)" "$(wc -l <"$dir/out") lines" "$dir/out"
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
expect_log() {
  if grep -Eq -- "$2" "$log"; then ok "$1"; else not_ok "$1" "no log line matches '$2'" "$log"; fi
}

local_args=(--ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port 0)

# ---- help, version, bad options ----

timeout 5 "$mgr" --help >"$dir/help" 2>&1
missing=
for o in ofp-listen-host ofp-tcp-listen-port ofp-ssl-listen-port ctl-privkey ctl-cert ca-certs ciphers \
  ofp-switch-address-list ofp-switch-connect-interval echo-request-interval maximum-unreplied-echo-requests \
  socket-timeout app-lists config-file verbose default-log-level log-file use-syslog pid-file version help; do
  grep -q -- "--$o" "$dir/help" || missing+=" --$o"
done
grep -q "^Examples:" "$dir/help" || missing+=" Examples"
if [[ -n $missing ]]; then not_ok "--help lists every option" "missing:$missing" "$dir/help"; else ok "--help lists every option"; fi
expect_exit "-h" 0 "^Usage: ken-manager" -h
expect_exit "--version" 0 "^ken-manager [0-9]+\.[0-9]+\.[0-9]+$" --version

expect_usage_error "unknown option" 2 "unknown option --no-such-option" --no-such-option simple_switch_13
expect_usage_error "option without its value" 2 "needs a value: --log-file" --log-file
expect_usage_error "bad port" 2 "ofp-tcp-listen-port: '70000' is not a port number" --ofp-tcp-listen-port 70000
expect_usage_error "bad log level" 2 "default-log-level: 'loud' is not a log level" --default-log-level loud
expect_usage_error "bad seconds" 2 "socket-timeout: '-1' is not a number" --socket-timeout -1
expect_exit "missing app" 2 "cannot load apps: no app named nosuchapp" "${local_args[@]}" nosuchapp
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
    expect_clean_stop "TLS: clean stop"
  else
    not_ok "TLS" "ken-manager did not start" "$log"
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

echo "$((n - failed)) passed, $failed failed"
((failed == 0))
