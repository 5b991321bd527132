#!/usr/bin/env bash
# Brings up what the tests need on this machine: PostgreSQL, Redis and Chromium.
# Installs them with apt-get when absent (Debian), starts them when stopped. Idempotent.
# Prints the environment to use (PG_ADMIN_URL, REDIS_URL, CHROMIUM_PATH) on stdout as `export` lines.
set -euo pipefail

log() { printf '[test-env] %s\n' "$*" >&2; }
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
APT_UPDATED=0
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then log "apt-get not found: install $* by hand"; return 1; fi
  if [ "$APT_UPDATED" = 0 ]; then $SUDO apt-get update -qq >&2 || true; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >&2
}

# PostgreSQL
PG_HOST=127.0.0.1; PG_PORT=${PG_PORT:-5432}
if ! command -v pg_ctlcluster >/dev/null 2>&1 && ! command -v pg_ctl >/dev/null 2>&1; then
  log "installing PostgreSQL"; apt_install postgresql postgresql-client
fi
if ! pg_isready -h "$PG_HOST" -p "$PG_PORT" -q 2>/dev/null; then
  log "starting PostgreSQL"
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
    if [ -z "$version" ]; then
      version=$(ls /usr/lib/postgresql | sort -V | tail -1)
      $SUDO pg_createcluster "$version" main >&2
    fi
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || $SUDO pg_ctlcluster "$version" main start >&2
  fi
  for _ in $(seq 1 30); do pg_isready -h "$PG_HOST" -p "$PG_PORT" -q && break; sleep 1; done
fi
pg_isready -h "$PG_HOST" -p "$PG_PORT" -q || { log "PostgreSQL did not start"; exit 1; }
# Trust auth on loopback for the test role (a fresh Debian install uses peer/md5).
if ! psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  log "allowing trust auth on 127.0.0.1 for tests"
  hba=$(ls /etc/postgresql/*/main/pg_hba.conf | head -1)
  $SUDO sed -i 's/^\(host\s\+all\s\+all\s\+127\.0\.0\.1\/32\s\+\).*/\1trust/; s/^\(local\s\+all\s\+postgres\s\+\).*/\1trust/' "$hba"
  version=$(ls /etc/postgresql | sort -V | tail -1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload >&2 || true
  sleep 1
fi
echo "export PG_ADMIN_URL=postgres://postgres@${PG_HOST}:${PG_PORT}/postgres"

# Redis
if ! command -v redis-server >/dev/null 2>&1; then log "installing Redis"; apt_install redis-server; fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp --logfile /tmp/contingent-redis.log >&2
  for _ in $(seq 1 20); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { log "Redis did not start"; exit 1; }
echo "export REDIS_TEST_URL=redis://127.0.0.1:6379"

# Chromium (browser tests drive Debian's Chromium; never a downloaded browser)
CHROMIUM=""
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then CHROMIUM="$candidate"; break; fi
done
if [ -z "$CHROMIUM" ]; then
  log "installing Chromium"
  apt_install chromium fonts-dejavu-core >/dev/null || true
  [ -x /usr/bin/chromium ] && CHROMIUM=/usr/bin/chromium
fi
if [ -n "$CHROMIUM" ]; then echo "export CHROMIUM_PATH=$CHROMIUM"; else log "Chromium not available"; fi
