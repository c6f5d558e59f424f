"""gunicorn settings, read from the environment (gunicorn loads this file from the cwd).

Threads suit examsite: a request mostly waits on the database, and an autosave is short.
"""

import os

bind = f"0.0.0.0:{os.getenv('PORT', '8000')}"
workers = int(os.getenv("GUNICORN_WORKERS", "3"))
threads = int(os.getenv("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A worker silent this long is restarted; no examsite request comes near it.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.getenv("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.getenv("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.getenv("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
# gunicorn trusts X-Forwarded-* from localhost only (FORWARDED_ALLOW_IPS); Django decides on
# the scheme itself, and trusts the proxy's header only with BEHIND_HTTPS_PROXY.
