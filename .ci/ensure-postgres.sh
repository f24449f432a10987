#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with trust auth and a database `test`,
# as on this project's machines. Starts the installed cluster, or installs one from Debian.
set -euo pipefail
ready() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
if ready; then echo "postgres: answering on 127.0.0.1:5432"; exit 0; fi
if ls /etc/postgresql/*/main >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! ready; then
  echo "postgres: none running; installing from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  v=$(ls /usr/lib/postgresql | sort -V | tail -1)
  data=/tmp/crm-pulse-pg
  rm -rf "$data" && mkdir -p "$data" && chown postgres "$data"
  su postgres -c "/usr/lib/postgresql/$v/bin/initdb -D $data -A trust -U postgres" >/dev/null
  su postgres -c "/usr/lib/postgresql/$v/bin/pg_ctl -D $data -o '-c listen_addresses=127.0.0.1 -p 5432' -l $data/log start" >/dev/null
fi
for _ in $(seq 1 30); do ready && break; sleep 1; done
ready || { echo "postgres: could not start a server on 127.0.0.1:5432" >&2; exit 1; }
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE test' >/dev/null
echo "postgres: answering on 127.0.0.1:5432"
