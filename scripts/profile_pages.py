"""What one request to a page costs inside Django, beside /healthz: no server, no network.

    DATABASE_URL=… REDIS_URL=redis://127.0.0.1:6379/7 STATIC_ROOT=/tmp/static \\
        .venv/bin/python scripts/profile_pages.py /corridors/1/ /manage/places/groups/ "/search/?q=电梯" --as staff

Calls the WSGI application directly (the production settings, the HTTPS headers nginx sends)
in alternating batches of 100 requests to /healthz and to the page, and prints the medians
of wall time and of this process's CPU time per request, with the page's SQL queries; with
``--profile``, cProfile's top functions for the page. Anonymous pages are asked twice first,
so a public page is measured as a cache hit; ``--miss`` sends a ``messages`` cookie instead,
which makes the page cache render the page every time and keep nothing (a cache miss, as
``district_benchmark.py`` measures it). A path may carry a query string (``/gallery/?q=电梯``).
``--as USERNAME`` signs the requests in (a session made here). Run ``collectstatic`` into
STATIC_ROOT first. Not a test: it prints.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DEBUG="false",
    HTTPS="true",
    ALLOWED_HOSTS="127.0.0.1",
    PROXY_COUNT="1",
    SECRET_KEY=os.environ.get("SECRET_KEY") or uuid.uuid4().hex * 2,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--as", dest="username", help="sign the page's requests in as this account")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--miss", action="store_true", help="render anonymous pages every time (page-cache miss)")
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    app = WSGIHandler()
    cookie = ""
    if options.username:
        from scripts.benchmark import staff_session

        cookie = f"sessionid={staff_session(options.username)}"
    if options.miss:
        # What the page cache does for a visitor with a message waiting: render, keep nothing.
        cookie = "; ".join(part for part in (cookie, "messages=profile") if part)

    def call(address: str, cookie: str = "") -> int:
        path, _, query = address.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path.encode().decode("latin-1"),
            "QUERY_STRING": quote(query, safe="=&~:+%"),
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "443",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_X_FORWARDED_FOR": "127.0.0.1",
            "HTTP_COOKIE": cookie,
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        status = []
        b"".join(app(environ, lambda line, headers, exc_info=None: status.append(line)))
        return int(status[0].split()[0])

    def batch(path: str, cookie: str = "") -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(100):
            call(path, cookie)
        return (time.perf_counter() - wall) / 100, (time.process_time() - cpu) / 100

    for path in options.paths:
        status = [call(path, cookie), call(path, cookie)][-1]
        queries: list[float] = []

        def counted(execute, sql, *args, queries=queries):
            start = time.perf_counter()
            try:
                return execute(sql, *args)
            finally:
                queries.append(time.perf_counter() - start)

        with connection.execute_wrapper(counted):
            call(path, cookie)
        health, page = [], []
        for _ in range(max(options.requests // 100, 1)):
            health.append(batch("/healthz"))
            page.append(batch(path, cookie))

        def us(runs, index):
            return statistics.median(run[index] for run in runs) * 1e6

        print(
            f"{path} ({status}, {len(queries)} queries, {sum(queries) * 1e3:.1f} ms SQL):"
            f" wall {us(page, 0):.0f} us, cpu {us(page, 1):.0f} us"
            f" | /healthz wall {us(health, 0):.0f} us, cpu {us(health, 1):.0f} us"
        )
        if options.profile:
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(200):
                call(path, cookie)
            profile.disable()
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
