# shellcheck shell=bash
# Start a throwaway PostgreSQL cluster and a Chroma server for the server-mode tests; sourced by .ci/run.
# start_servers exports SMART_COPILOT_TEST_PG_URL and SMART_COPILOT_TEST_CHROMA (tests/fixtures/servers.py
# uses them; without them it starts its own, or skips with the reason); stop_servers ends both (by pid / pg_ctl).
SERVERS_DIR=$(mktemp -d /tmp/sc-ci-servers.XXXXXX)
CHROMA_PID=""
PG_DATA=""
PG_USER=""
stop_servers() {
  if [ -n "$CHROMA_PID" ]; then kill "$CHROMA_PID" 2>/dev/null || true; wait "$CHROMA_PID" 2>/dev/null || true; fi
  if [ -n "$PG_DATA" ]; then
    if [ -n "$PG_USER" ]; then runuser -u "$PG_USER" -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
    else "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true; fi
  fi
  rm -rf "$SERVERS_DIR"
}
free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_servers() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$PG_BIN" ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
      || echo "warning: could not install postgresql; server-mode tests will be skipped"
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  fi
  if [ -n "$PG_BIN" ]; then
    if [ "$(id -u)" = 0 ]; then  # postgres refuses to run as root
      PG_USER=postgres; id -u postgres >/dev/null 2>&1 || PG_USER=nobody
      chown "$PG_USER" "$SERVERS_DIR"
    fi
    as_pg() { if [ -n "$PG_USER" ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi; }
    PG_PORT=$(free_port)
    PG_DATA="$SERVERS_DIR/pg"
    if as_pg "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U copilot -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null \
       && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$SERVERS_DIR/pg.log" -w -t 60 \
            -o "-h 127.0.0.1 -p $PG_PORT -k $SERVERS_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null; then
      export SMART_COPILOT_TEST_PG_URL="postgresql://copilot@127.0.0.1:$PG_PORT/postgres"
      echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
    else
      echo "warning: could not start PostgreSQL (see $SERVERS_DIR/pg.log); the tests will try themselves"
      PG_DATA=""
    fi
  fi
  CHROMA_PORT=$(free_port)
  ANONYMIZED_TELEMETRY=False .venv/bin/chroma run --path "$SERVERS_DIR/chroma" --host 127.0.0.1 --port "$CHROMA_PORT" \
    >"$SERVERS_DIR/chroma.log" 2>&1 &
  CHROMA_PID=$!
  for _ in $(seq 1 180); do
    if .venv/bin/python -c "import sys, urllib.request; urllib.request.urlopen('http://127.0.0.1:$CHROMA_PORT/api/v2/heartbeat', timeout=2)" 2>/dev/null; then
      export SMART_COPILOT_TEST_CHROMA="127.0.0.1:$CHROMA_PORT"; echo "Chroma server on 127.0.0.1:$CHROMA_PORT"; break
    fi
    sleep 0.5
  done
  [ -n "${SMART_COPILOT_TEST_CHROMA:-}" ] || echo "warning: the Chroma server did not start; the tests will try themselves"
}
