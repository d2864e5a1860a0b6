# Sourced by .ci/run: a throwaway PostgreSQL cluster for the storage tests (never a mock).
# start_postgres (as root, with Debian's postgresql installed) starts a cluster in a temporary
# folder on a free loopback port (trust auth, no other listener), creates the database
# border_map_test and exports BORDER_MAP_TEST_POSTGRES_URL; stop_postgres stops it and removes
# the folder.

start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    echo "PostgreSQL is not installed (Debian: apt-get install postgresql)" >&2
    return 1
  fi
  PG_DIR=$(mktemp -d /tmp/border-map-pg.XXXXXX)
  chown postgres: "$PG_DIR"
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_postgres() { su postgres -s /bin/sh -c "cd /tmp && $*"; }
  as_postgres "'$bin/initdb' -D '$PG_DIR/data' -U postgres -A trust -E UTF8 --no-sync" >/dev/null
  PG_CTL="$bin/pg_ctl"
  as_postgres "'$PG_CTL' -D '$PG_DIR/data' -l '$PG_DIR/server.log' -w -t 60 start \
    -o \"-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off\"" >/dev/null
  as_postgres "'$bin/createdb' -h 127.0.0.1 -p $port border_map_test"
  export BORDER_MAP_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/border_map_test"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    su postgres -s /bin/sh -c "cd /tmp && '$PG_CTL' -D '$PG_DIR/data' -m fast -w stop" >/dev/null || true
  fi
  [ -n "${PG_DIR:-}" ] && rm -rf "$PG_DIR"
  return 0
}
