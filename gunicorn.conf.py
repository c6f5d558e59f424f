"""gunicorn settings, read from the environment (gunicorn loads this file from the cwd).

Sync workers (one request at a time per process) by default: measured with `make bench`,
they served more answers per second than threaded workers on the same cores (a request is
~10 ms, mostly Python, so threads mostly wait for the GIL), and each keeps one database
connection. Slow clients never hold a worker: compose's nginx balancer buffers requests and
responses. GUNICORN_THREADS above 1 switches to threaded workers (gthread). See
docs/scaling.md.
"""

import os

bind = f"0.0.0.0:{os.getenv('PORT', '8000')}"
# SO_REUSEPORT: a new master started by a supervisor while the old one's workers still drain
# binds at once instead of failing with "address in use"; the kernel shares connections.
reuse_port = True
workers = int(os.getenv("GUNICORN_WORKERS", "5"))
threads = int(os.getenv("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# A worker silent this long is restarted; no examsite request comes near it.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.getenv("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.getenv("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.getenv("GUNICORN_MAX_REQUESTS", "2000"))
# The app is imported once, in the master, and workers are forked from it: a recycled
# worker starts in milliseconds instead of importing Django, numpy and scipy again on the
# cores that serve requests (measured: p99 at 2,000 candidates 1.1 s without, see
# docs/scaling.md). Nothing opens a database connection at import, so none is shared.
preload_app = True
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
# gunicorn trusts X-Forwarded-* from localhost only (FORWARDED_ALLOW_IPS); Django decides on
# the scheme itself, and trusts the proxy's header only with BEHIND_HTTPS_PROXY.
