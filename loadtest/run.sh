#!/usr/bin/env bash
# Load and fault test of Lyon Assos (docs/benchmarks.md, "Load and faults"): gunicorn with the
# production settings on 127.0.0.1 only, PostgreSQL with the 100 000 bench listings, wrk.
#
#   loadtest/run.sh          calibration (/healthz), then the mix: CONNECTIONS clients, DURATION s
#   loadtest/run.sh faults   the mix again; SIGKILL one gunicorn worker at +15 s, restart
#                            PostgreSQL at +30 s; a probe polls /healthz every 0.2 s
#
# Environment: DATABASE_URL (default the `bench` database), ROWS (100000: rows of the bench's
# registry file when it has to import it), PORT (8090), CONNECTIONS (50), DURATION (60),
# THREADS (2), PG_CLUSTER (the first of /etc/postgresql, "main").
# Restarting PostgreSQL needs root (or the postgres user): the fault run says so and skips it.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${1:-load}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench}
PORT=${PORT:-8090}
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-60}
ROWS=${ROWS:-100000}
THREADS=${THREADS:-2}
PG_VERSION=${PG_VERSION:-$(ls /etc/postgresql 2>/dev/null | head -n1)}
OUT=${OUT:-$(mktemp -d /tmp/lyonassos-loadtest.XXXXXX)}
URL="http://127.0.0.1:$PORT"
mkdir -p "$OUT"
[[ "$PORT" =~ ^80[89][0-9]$ ]] || { echo "PORT must be 8080-8099" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 2; }
case "$DATABASE_URL" in postgres*) ;; *) echo "DATABASE_URL must be PostgreSQL" >&2; exit 2;; esac

# Production settings, but: a throwaway key, 127.0.0.1 as host, the console mailer, and rate limits
# off (every client here has the same address; production limits are per address).
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-loadtest-$RANDOM$RANDOM$RANDOM}
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_RATE_LIMITS=0 GUNICORN_BIND=127.0.0.1:$PORT
export GUNICORN_ACCESS_LOG=${GUNICORN_ACCESS_LOG:-/dev/null}
PY=.venv/bin/python

echo "== database: ${DATABASE_URL%%\?*} (bench listings reused or built)"
$PY manage.py migrate --noinput -v0
# The bench listings present are kept as they are; without any, a registry file of ROWS rows is
# imported, then geocoded (`make bench`'s shapes, in its order).
DJANGO_DEBUG=1 $PY manage.py bench --rows "$ROWS" --build-only --reuse | tail -n 1
$PY manage.py collectstatic --noinput -v0
SLUGS_FILE="$OUT/slugs.txt"
$PY manage.py shell --no-imports -c "
from directory import bench
for slug in bench.bench_rows().published().order_by('?').values_list('slug', flat=True)[:2000]:
    print(slug)" > "$SLUGS_FILE"
export SLUGS_FILE

echo "== gunicorn on $URL ($(nproc) CPUs; the machine may be shared: see the load average)"
.venv/bin/gunicorn -c gunicorn.conf.py > "$OUT/gunicorn.log" 2>&1 &
GUNICORN=$!
cleanup() { kill -TERM "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 60); do curl -fsS -o /dev/null "$URL/healthz" && break; sleep 0.5; done
curl -fsS "$URL/healthz" >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# Warm up: every worker loads the reference snapshot and opens its connection.
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s loadtest/mix.lua "$URL" >/dev/null

run_mix() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s loadtest/mix.lua "$URL" | grep '^RESULT'; }

if [ "$MODE" = load ]; then
  echo "== calibration: /healthz, $CONNECTIONS clients, 15 s"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d15s -s loadtest/healthz.lua "$URL" | grep '^RESULT'
  echo "== mix: $CONNECTIONS clients, $DURATION s"
  run_mix
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

echo "== faults: mix for $DURATION s; worker SIGKILL at +15 s, PostgreSQL restart at +30 s"
# Probe: one /healthz every 0.2 s, timestamped, to date the errors.
( while true; do
    code=$(curl -s -o /dev/null -m 10 -H 'X-Forwarded-Proto: https' -w '%{http_code}' "$URL/healthz" || true)
    echo "$(date +%s.%N) $code"; sleep 0.2
  done ) > "$OUT/probe.log" &
PROBE=$!
trap 'kill "$PROBE" 2>/dev/null || true; cleanup' EXIT
run_mix > "$OUT/mix.txt" &
MIX=$!
start=$(date +%s.%N)
sleep 15
victim=$(pgrep -P "$GUNICORN" | head -n1)
echo "+$(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s: SIGKILL worker $victim"
kill -KILL "$victim"
sleep 15
if [ "$(id -u)" = 0 ] || [ "$(id -un)" = postgres ]; then
  echo "+$(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s: restart PostgreSQL $PG_VERSION/main"
  t0=$(date +%s.%N)
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main restart
  echo "   PostgreSQL back after $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-4) s"
else
  echo "   not root: PostgreSQL restart skipped"
fi
wait "$MIX"
kill "$PROBE" 2>/dev/null || true
cat "$OUT/mix.txt"
echo "workers now: $(pgrep -P "$GUNICORN" | tr '\n' ' ')(victim $victim replaced: $(pgrep -P "$GUNICORN" | grep -qx "$victim" && echo no || echo yes))"
awk -v start="$start" '
  $2 != "200" { bad++; if (!first) first = $1; last = $1 }
  { n++ }
  END {
    if (bad) printf "probe: %d of %d /healthz failed, from +%.1f s to +%.1f s\n", bad, n, first - start, last - start;
    else printf "probe: all %d /healthz answered 200\n", n
  }' "$OUT/probe.log"
tail -n 1 "$OUT/probe.log" | awk '{ print "last probe: " $2 }'
echo "500s logged: $(grep -c "ERROR django.request" "$OUT/gunicorn.log"), first/last: $(grep "ERROR django.request" "$OUT/gunicorn.log" | sed -n "1p;\$p" | cut -c12-23 | tr "\n" " ")"
echo "PostgreSQL restart began at $(date -d @"${t0:-0}" +%H:%M:%S.%N | cut -c1-12)"
echo "gunicorn log: $OUT/gunicorn.log"
