"""gunicorn settings for Lyon Assos (`gunicorn -c gunicorn.conf.py lyonassos.wsgi`).

Every value can be overridden by the environment variable named beside it.
"""

import multiprocessing
import os

wsgi_app = "lyonassos.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threaded workers (gthread). A process runs SEARCH_CONCURRENCY searches at a time (1 by default,
# directory/search/budget.py); the other searches wait for a slot within their time budget, and
# the other threads keep serving listing pages, cached results and /healthz. With one thread per
# worker, twenty residents pressing "Près de moi" at once held every worker and /healthz waited
# 1.3–2.2 s behind them; with 16 threads it answered in 254 ms at p99 (docs/benchmarks.md,
# "Concurrency run"). Each thread keeps its own database connection (DATABASE_CONN_MAX_AGE):
# workers × threads must stay under PostgreSQL's max_connections (100 by default).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "16"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never grows unbounded; the jitter keeps them
# from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Access log on stdout. %(U)s is the path WITHOUT the query string: verification and reset
# links carry tokens in their URLs, and search queries are personal; neither belongs in logs.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """A thread that waits for the interpreter lock gets it after 1 ms rather than 5: a listing
    page or /healthz answered beside a search rendering its page waits less behind it. Then the
    worker loads what its first requests would, and freezes it out of the garbage collector's
    full passes (directory/warmup.py)."""
    import sys

    from directory import warmup

    sys.setswitchinterval(0.001)
    warmup.prepare_process()
