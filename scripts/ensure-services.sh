#!/usr/bin/env bash
# Make sure Postgres (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer. Starts them when they are
# installed but stopped (Debian layout). Exits non-zero if either is still unreachable.
set -uo pipefail
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ok=0
if ! port_open 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [[ -d /etc/postgresql ]]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do port_open 5432 && break; sleep 0.5; done
  fi
  port_open 5432 || { echo "Postgres is not reachable on 127.0.0.1:5432" >&2; ok=1; }
fi
if ! port_open 6379; then
  if command -v redis-server >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
    for _ in $(seq 1 30); do port_open 6379 && break; sleep 0.5; done
  fi
  port_open 6379 || { echo "Redis is not reachable on 127.0.0.1:6379" >&2; ok=1; }
fi
exit $ok
