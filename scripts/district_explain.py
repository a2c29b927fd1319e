"""EXPLAIN ANALYZE of every query the district benchmark's pages run (docs/performance.md).

    .venv/bin/python scripts/district_explain.py [--database corridors_district] [--only gallery] [--plans] [--repeat 3]

Opens each page of ``scripts/district_benchmark.py`` once through Django's test client
(uncached, as the benchmark does), captures its SQL, runs ``EXPLAIN (ANALYZE, FORMAT JSON)``
on each SELECT and prints, slowest first: the time, the indexes in the plan and the tables
read whole (``seq:``; right for small tables), with ``--plans`` the text plans of those over
5 ms. Each page ends with its total: the planning and execution time of all its queries, the
database's own work per request (``--repeat N`` runs each EXPLAIN N times and keeps the
fastest, so a query that waited for a CPU on a busy machine is not counted at its worst;
``--miss``: with no cache, what a view costs when nothing it keeps in the cache is there).
Read-only: the district database must exist (the benchmark makes it).
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import district_benchmark  # noqa: E402


def walk(plan, indexes: set, scans: set) -> None:
    if "Index Name" in plan:
        indexes.add(plan["Index Name"])
    if plan.get("Node Type") == "Seq Scan":
        scans.add(plan["Relation Name"])
    for child in plan.get("Plans", []):
        walk(child, indexes, scans)


def main_table(sql: str) -> str:
    """The table after the outermost FROM (subqueries in the select list have their own)."""
    depth = 0
    for i, char in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and sql.startswith(" FROM ", i):
            return sql[i + 6 :].split()[0].strip('"')
    return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="corridors_district")
    parser.add_argument("--server")
    parser.add_argument("--only", default="", help="pages whose 'who: label' contains this")
    parser.add_argument("--plans", action="store_true", help="print the text plan of queries over 5 ms")
    parser.add_argument("--repeat", type=int, default=1, help="EXPLAIN each query this many times, keep the fastest")
    parser.add_argument("--miss", action="store_true", help="no cache: what a view costs when nothing is cached")
    options = parser.parse_args()
    os.environ["DATABASE_URL"] = district_benchmark.database_url(options)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    street = district_benchmark.ensure_accounts()
    measured, _export = district_benchmark.pages(street)
    from django.conf import settings

    backend = "dummy.DummyCache" if options.miss else "locmem.LocMemCache"
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": plain}}
    with override_settings(
        CACHES={"default": {"BACKEND": f"django.core.cache.backends.{backend}"}},
        ALLOWED_HOSTS=["*"],
        STORAGES=storages,
    ):
        for who, label, path, headers in measured:
            if options.only not in f"{who}: {label}":
                continue
            client = Client(headers=headers)
            client.get(path)  # once to warm Python's caches
            with CaptureQueriesContext(connection) as captured:
                status = client.get(path).status_code
            print(f"\n#### {who}: {label} — {path} ({status}, {len(captured.captured_queries)} queries)\n")
            rows = []
            with connection.cursor() as cursor:
                for query in captured.captured_queries:
                    sql = query["sql"]
                    if not sql.lstrip().upper().startswith("SELECT"):
                        continue
                    plans = []
                    for _n in range(max(1, options.repeat)):
                        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                        result = cursor.fetchone()[0]
                        result = json.loads(result) if isinstance(result, str) else result
                        plans.append(result[0])
                    plan = min(plans, key=lambda p: p["Planning Time"] + p["Execution Time"])
                    indexes, scans = set(), set()
                    walk(plan["Plan"], indexes, scans)
                    table = main_table(sql)
                    rows.append((plan["Planning Time"], plan["Execution Time"], table, indexes, scans, sql))
            planned, ran = sum(r[0] for r in rows), sum(r[1] for r in rows)
            print("| table | indexes used | plan ms | run ms |\n|---|---|---|---|")
            for planning, execution, table, indexes, scans, sql in sorted(rows, key=lambda r: -r[1]):
                used = ", ".join(sorted(indexes)) + ("; seq: " + ", ".join(sorted(scans)) if scans else "")
                print(f"| {table} | {used} | {planning:.1f} | {execution:.1f} |")
                if options.plans and execution > 5:
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN ANALYZE " + sql)
                        print("\n```\n" + sql[:600] + "\n" + "\n".join(r[0] for r in cursor.fetchall()) + "\n```\n")
            print(f"| **total** ({len(rows)} SELECTs) | | {planned:.1f} | {ran:.1f} |")
            print(f"\nSQL per request (planning + execution): {planned + ran:.1f} ms")


if __name__ == "__main__":
    main()
