#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and benchmarks (Debian's `postgresql` package).
#   eval "$(scripts/test-postgres.sh start)"   # installs the package if missing, starts a cluster in a fresh
#                                              # temporary directory on a free 127.0.0.1 port, and prints
#                                              # `export BHYT_TEST_POSTGRES_URL=... BHYT_TEST_POSTGRES_DIR=...`
#   scripts/test-postgres.sh stop "$BHYT_TEST_POSTGRES_DIR"   # stops it and removes the directory
# As root the cluster runs as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail

action="${1:-}"
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"

find_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  echo "$bin"
}

as_owner() {  # run a command as the cluster's owner
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    bin="$(find_bin)"
    if [ -z "$bin" ]; then
      echo "installing Debian's postgresql package" >&2
      $sudo_cmd apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends postgresql >&2
      bin="$(find_bin)"
    fi
    [ -n "$bin" ] || { echo "no PostgreSQL binaries found" >&2; exit 1; }
    dir="$(mktemp -d "${TMPDIR:-/tmp}/bhyt-pg.XXXXXX")"
    chmod 0755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U bhyt -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # a free port: ask the kernel for one, then retry if another process takes it first
    for _ in 1 2 3 4 5; do
      port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
      if as_owner "$bin/pg_ctl" -D "$dir/data" -w -t 30 -l "$dir/server.log" \
          -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400" start >&2; then
        echo "export BHYT_TEST_POSTGRES_URL=postgresql://bhyt@127.0.0.1:$port/postgres"
        echo "export BHYT_TEST_POSTGRES_DIR=$dir"
        exit 0
      fi
    done
    cat "$dir/server.log" >&2
    exit 1
    ;;
  stop)
    dir="${2:-}"
    [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
    bin="$(find_bin)"
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
