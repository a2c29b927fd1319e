"""gunicorn, the app server: `gunicorn -c gunicorn.conf.py` (make run, deploy/systemd).

Threaded workers (gthread): a worker answers several requests at once, so a few slow
ones (an export, a large upload) do not hold up the site. Every value can be changed from
the environment; docs/operations.md lists them.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
wsgi_app = "config.wsgi:application"
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
if os.environ.get("REDIS_URL"):
    workers = _int("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2, 8))
else:
    # Without Redis the cache is one process's memory: one worker, so a page retired on
    # one is retired for all (the quick start; threads still give concurrency).
    workers = _int("WEB_CONCURRENCY", 1)
# Without DATABASE_URL the settings start the embedded PostgreSQL: do it once, before
# the workers are forked, rather than once per worker.
preload_app = not os.environ.get("DATABASE_URL")

# A request still running after this long is stopped (its worker is replaced).
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Replace each worker after a while (jittered, so they do not all restart at once):
# whatever a long-lived process accumulates is returned.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Only the local nginx may say which scheme and address a request came from.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# client (as nginx saw it), request id (the app's X-Request-ID), request line, status,
# bytes, milliseconds, user agent.
access_log_format = '%({x-forwarded-for}i)s %({x-request-id}o)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = os.environ.get("NODE_NAME") or "corridors"
# gunicorn's runtime control socket is one path per user: two nodes on a machine would
# share it. systemd's signals (reload, stop) are all we use.
control_socket_disable = True
