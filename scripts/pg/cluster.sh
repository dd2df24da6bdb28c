#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for tests and benchmarks (no Docker).
#
#   scripts/pg/cluster.sh start [DIR]   initdb + start; prints the URL on stdout
#   scripts/pg/cluster.sh stop  [DIR]   stop the server and delete DIR
#
# DIR defaults to $DOSSIER_PG_DIR or /tmp/dossier-pg. The server listens on 127.0.0.1
# only, on a free port, with trust authentication (it is a scratch cluster: never point
# it at data you keep). The URL is also written to DIR/url.
#
# initdb and postgres refuse to run as root; CI runs as root, so they then run as the
# `postgres` system user (created by the distribution package) through `su`.
# On a machine without PostgreSQL, `start` installs the distribution's package when
# running as root (apt-get), else it says what to install.
set -euo pipefail

cmd=${1:-}
dir=${2:-${DOSSIER_PG_DIR:-/tmp/dossier-pg}}

find_bin() {
  local b
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  if [ -z "$b" ] && command -v pg_ctl >/dev/null; then b=$(dirname "$(command -v pg_ctl)"); fi
  printf '%s' "$b"
}

# Runs a command as the cluster's owner: ourselves, or `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

free_port() {
  python3 - <<'PY' 2>/dev/null && return
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
  # No python: probe upwards from a pid-derived port.
  local p=$((20000 + $$ % 20000))
  while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

start() {
  local bin
  bin=$(find_bin)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "cluster.sh: installing postgresql from the distribution's packages" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-contrib >&2 \
        || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-contrib >&2; }
      bin=$(find_bin)
    fi
    [ -n "$bin" ] || { echo "cluster.sh: PostgreSQL not found; install the postgresql package" >&2; exit 1; }
  fi
  if [ -f "$dir/url" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    cat "$dir/url"; return
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  local port
  port=$(free_port)
  # fsync off: a crash loses a scratch cluster, which is fine, and tests run faster.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres dossier
  local url="postgres://postgres@127.0.0.1:$port/dossier"
  echo "$url" >"$dir/url"
  echo "$url"
}

stop() {
  local bin
  bin=$(find_bin)
  if [ -n "$bin" ] && [ -d "$dir/data" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$dir"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
