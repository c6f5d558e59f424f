#!/bin/sh
# The container's start: get the database ready, then hand the process over to the command
# (gunicorn by default). Any other command (a shell, manage.py) runs as it is.
set -eu

if [ "${1:-}" = "gunicorn" ]; then
  python manage.py bootstrap --wait "${DB_WAIT_SECONDS:-60}"
fi
exec "$@"
