#!/bin/sh
# Entry point of the grading server image: web, worker, migrate or health; other commands run as is.
set -eu

role="${1:-web}"

# A wrong setting stops the service with one clear line before gunicorn or Celery would turn it
# into a worker-boot traceback.
check_settings() {
  python -c 'import os, sys
from grader.config import ConfigError, load
try:
    load(os.environ.get("GRADER_INSTANCE_PATH") or "instance")
except ConfigError as exc:
    sys.exit(f"Error: {exc.message}")
sys.exit(0)' || exit 2
}

case "$role" in
  web)
    shift
    check_settings
    # One gunicorn worker process per container: Socket.IO clients must keep talking to the
    # process that holds their session (long-polling is stateful), so scale web by adding
    # containers behind a sticky load balancer, not by raising --workers. The threaded worker
    # serves WebSockets through simple-websocket; each open socket holds one thread.
    exec gunicorn --config python:grader.gunicorn_conf --worker-class gthread --workers 1 \
      --threads "${GRADER_WEB_THREADS:-100}" \
      --bind "${GRADER_WEB_BIND:-0.0.0.0:8000}" \
      --access-logfile - --error-logfile - \
      --forwarded-allow-ips "${GRADER_FORWARDED_ALLOW_IPS:-127.0.0.1}" \
      "$@" "grader:create_app()"
    ;;
  worker)
    shift
    check_settings
    # Each worker process grades GRADER_WORKERS submissions at a time, one sandbox each. A
    # grading mostly waits on its container, so threads suffice (as in the embedded mode), and
    # no process is forked after the app has opened database connections.
    exec celery --app grader.tasks worker --pool threads \
      --concurrency "${GRADER_WORKERS:-2}" --loglevel "${GRADER_LOG_LEVEL:-INFO}" \
      --hostname "grader@%h" "$@"
    ;;
  migrate)
    shift
    flask --app grader db upgrade
    if [ "${GRADER_SYNC_ON_MIGRATE:-true}" = "true" ]; then
      # This job has no Docker engine: the grading workers check changed challenges (set
      # GRADER_SYNC_OPTIONS=--no-check to trust them as they are).
      # shellcheck disable=SC2086 # GRADER_SYNC_OPTIONS holds flags, e.g. --no-check
      flask --app grader challenges sync ${GRADER_SYNC_OPTIONS:---queue-checks} "$@"
    fi
    ;;
  health)
    # The health checks of compose.yaml: `health web` asks the status API of this container's
    # gunicorn; `health worker` pings this container's Celery worker through the broker.
    case "${2:-}" in
      web)
        port="${GRADER_WEB_BIND:-0.0.0.0:8000}"
        exec python -c "import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=4) as reply:
    sys.exit(0 if reply.status == 200 else 1)" "http://127.0.0.1:${port##*:}/api/v1/status"
        ;;
      worker)
        exec celery --app grader.tasks inspect ping --destination "grader@$(hostname)" \
          --timeout 5 >/dev/null
        ;;
      *)
        echo "usage: grader-entrypoint health web|worker" >&2
        exit 2
        ;;
    esac
    ;;
  *)
    exec "$@"
    ;;
esac
