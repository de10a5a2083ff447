#!/usr/bin/env bash
# Starts, stops and reports a moto server for local runs, bound to 127.0.0.1
# on a free port. State (pid, URL, log) lives under .local/moto of the
# repository, so `stop` ends only the server that `start` launched.
#
#   eval "$(localstack/moto.sh start)"   # exports AWS_ENDPOINT_URL and dummy credentials
#   go run ./localstack/seed
#   localstack/moto.sh status
#   localstack/moto.sh stop
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${AIMS_LOCAL_STATE:-$root/.local}/moto"
pidfile="$state/pid"
urlfile="$state/url"
logfile="$state/moto.log"

say() { echo "$*" >&2; }

# running succeeds when the pidfile names a live moto_server process.
running() {
  [[ -f "$pidfile" ]] || return 1
  local pid
  pid="$(cat "$pidfile")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  ps -p "$pid" -o args= 2>/dev/null | grep -q moto_server
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

print_env() {
  echo "export AWS_ENDPOINT_URL=$(cat "$urlfile")"
  echo "export AWS_REGION=us-east-1"
  echo "export AWS_ACCESS_KEY_ID=testing"
  echo "export AWS_SECRET_ACCESS_KEY=testing"
}

start() {
  if running; then
    say "moto already running at $(cat "$urlfile") (pid $(cat "$pidfile"))"
    print_env
    return
  fi
  if ! command -v moto_server >/dev/null; then
    say 'moto_server not found: pip install "moto[server]==5.2.1"'
    exit 1
  fi
  mkdir -p "$state"
  local port url
  port="$(free_port)"
  url="http://127.0.0.1:$port"
  MOTO_ACCOUNT_ID="${MOTO_ACCOUNT_ID:-123456789012}" \
    nohup moto_server -H 127.0.0.1 -p "$port" >"$logfile" 2>&1 &
  echo $! >"$pidfile"
  echo "$url" >"$urlfile"
  for _ in $(seq 1 150); do
    if curl -fsS -o /dev/null "$url/moto-api/data.json" 2>/dev/null; then
      say "moto running at $url (pid $(cat "$pidfile"), log $logfile)"
      print_env
      return
    fi
    if ! running; then break; fi
    sleep 0.2
  done
  say "moto did not answer at $url; log follows"
  cat "$logfile" >&2
  stop >/dev/null 2>&1 || true
  exit 1
}

stop() {
  if ! running; then
    say "moto not running"
    rm -f "$pidfile" "$urlfile"
    return
  fi
  local pid
  pid="$(cat "$pidfile")"
  kill "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$pidfile" "$urlfile"
  say "moto stopped (pid $pid)"
}

status() {
  if running; then
    echo "running $(cat "$urlfile") pid $(cat "$pidfile")"
  else
    echo "stopped"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) say "usage: $0 start|stop|status"; exit 2 ;;
esac
