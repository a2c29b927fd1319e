"""Settings for the district benchmark (``scripts/district_benchmark.py``), never for a site.

The production settings plus one middleware, first in the chain, that times every SQL
statement a request runs (``connection.execute_wrapper``) and reports it in a
``Server-Timing`` header: ``sql;dur=<ms>;desc="<n> queries", app;dur=<ms>``. The benchmark
reads the header to print the SQL time per request beside the latency ratios.
"""

import time

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE

MIDDLEWARE = ["config.benchmark_settings.SqlTimingMiddleware", *MIDDLEWARE]


class SqlTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connection

        spent = [0.0, 0]

        def timed(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += time.perf_counter() - started
                spent[1] += 1

        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = self.get_response(request)
        total = time.perf_counter() - started
        response["Server-Timing"] = (
            f'sql;dur={spent[0] * 1000:.2f};desc="{spent[1]} queries", app;dur={total * 1000:.2f}'
        )
        return response
