"""Every page at district scale, uncached, as ratios to /healthz (issues 15 and 16).

    .venv/bin/python scripts/district_benchmark.py [--database corridors_district] [--seconds 5] [--rounds 3]

1. The data: a database of its own (``--database``, on the server of DATABASE_URL or
   127.0.0.1:5432), created and migrated if missing; ``manage.py generate_district`` is run
   into it once (about 10 minutes) and reused by every later run (``--small``: a hundredth).
   Three accounts are added if missing: ``bench_district`` (district user of the generated
   district, read-only across its 12 streets), ``district0_staff`` (street office staff of the
   first street, made by the generator) and ``bench_officer`` (department officer there).
2. The server: one gunicorn node with 2 workers (4 threads each), the production settings
   plus ``config.benchmark_settings`` (a ``Server-Timing`` header with the request's SQL time),
   plain HTTP on the loopback. Public pages are requested with a ``messages`` cookie, which
   makes the page cache render them afresh and store nothing: every figure is a cache miss.
3. For every page: 16 requests 8 at a time to warm every worker thread's database connection
   (a fresh PostgreSQL backend first reads each table's catalog entries: tens of ms that a
   long-running node never pays again), then five requests one after another (status, SQL ms
   and query count from the ``Server-Timing`` header: medians), then ``wrk`` (16 connections) on /healthz and on the
   page back to back, so both see the same machine; req/s and p95 are printed as ratios to
   that /healthz run (medians over ``--rounds``). The district .xlsx of all building groups is
   timed once (first byte, last byte).

Goals (issue 16), uncached: p95 <= 10x healthz p95 and SQL <= 20 ms per request on every
page, gallery search <= 30 ms SQL, gallery page 4,000 as cheap as page 1, the groups export
answering within 2 s. Not a test: it prints and exits (the machine is shared, so the ratios,
not the milliseconds, are what to compare).
"""

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

# The measuring code of the demo's benchmark: wrk with its one-line JSON report, sessions.
from benchmark import CONNECTIONS, WRK_REPORT, staff_session, wrk  # noqa: E402

from tests.deploy.servers import free_port, start_node, wait_for_port  # noqa: E402

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = os.environ.get("BENCHMARK_REDIS_URL", "redis://127.0.0.1:6379/8")
# A messages cookie: the page cache renders the page for this visitor and keeps nothing.
UNCACHED = {"Cookie": "messages=benchmark"}
GOAL_P95 = 10
GOAL_SQL_MS = 20
GOAL_SEARCH_SQL_MS = 30


def database_url(options) -> str:
    base = options.server or os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}/{options.database}"


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(f"{parts.scheme}://{parts.netloc}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def ensure_district(small: bool) -> None:
    from django.core.management import call_command
    from django.db import connection

    from corridors.district import DISTRICT_NAME
    from corridors.models import Street

    call_command("migrate", verbosity=0)
    if Street.objects.filter(district__name=DISTRICT_NAME).exists():
        return
    print("generating the district (once; about 10 minutes at full size) ...")
    started = time.monotonic()
    call_command("generate_district", *(["--small"] if small else []))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"generated in {time.monotonic() - started:.0f} s")


def ensure_accounts():
    """The district user and the department officer the benchmark signs in as."""
    from corridors.district import DISTRICT_NAME
    from corridors.models import Department, District, Oversight, Role, RoleAssignment, Street, User

    district = District.objects.get(name=DISTRICT_NAME)
    street = Street.objects.filter(district=district).order_by("pk").first()
    viewer, _ = User.objects.get_or_create(username="bench_district", defaults={"full_name": "区里的干部"})
    Oversight.objects.get_or_create(user=viewer, district=district)
    officer, _ = User.objects.get_or_create(username="bench_officer", defaults={"full_name": "房管办干部"})
    department = Department.objects.filter(street=street).order_by("pk").first()
    RoleAssignment.objects.get_or_create(user=officer, role=Role.OFFICER, street=street, department=department)
    return street


def gallery_cursor(page: int, per_page: int) -> str:
    """The ``?after=`` cursor that opens gallery page ``page`` (found once, with an OFFSET)."""
    from corridors.selectors import public_works

    works = public_works().order_by("-published_at", "-pk").values("published_at", "pk")
    # A small (trial) district has fewer pages: its last one.
    row = works[max(0, min((page - 1) * per_page, works.count()) - 1)]
    return f"{row['published_at'].isoformat()}~{row['pk']}"


def pages(street) -> list[tuple[str, str, str, dict]]:
    """(who, label, path with query, headers) for every page measured."""
    from django.urls import reverse

    from corridors.models import Activity, BuildingGroup, Compound, Neighbourhood
    from corridors.selectors import public_works
    from corridors.views.public import WORKS_PER_PAGE
    from funds.models import Campaign, NoticeState

    group = (
        BuildingGroup.objects.filter(building__compound__neighbourhood__street=street, is_active=True)
        .filter(works__state="published")
        .order_by("pk")
        .first()
    )
    neighbourhood = Neighbourhood.objects.filter(street=street).order_by("pk").first()
    compound = Compound.objects.filter(neighbourhood__street=street).order_by("pk").first()
    work = public_works().order_by("-published_at").first()
    activity = Activity.objects.filter(group__building__compound__neighbourhood__street=street).order_by("pk").first()
    notice = Campaign.objects.filter(notice__state=NoticeState.PUBLISHED).first()
    deep = gallery_cursor(4000, WORKS_PER_PAGE)

    public = [
        ("home", "public:home", [], ""),
        ("gallery", "public:gallery", [], ""),
        ("gallery page 4,000", "public:gallery", [], f"after={deep}"),
        ("gallery search 和平", "public:gallery", [], "q=和平"),
        ("gallery search 电梯", "public:gallery", [], "q=电梯"),
        ("neighbourhood", "public:neighbourhood", [neighbourhood.pk], ""),
        ("compound", "public:compound", [compound.pk], ""),
        ("corridor", "public:corridor", [group.pk], ""),
        ("corridor activities", "public:corridor_activities", [group.pk], ""),
        ("street activities", "public:street_activities", [street.pk], ""),
        ("work", "public:work", [work.pk], ""),
        ("activity", "public:activity", [activity.pk] if activity else None, ""),
        ("poster", "public:poster", [group.pk], ""),
        ("corridor calendar", "public:corridor_calendar", [group.pk], ""),
        ("street calendar", "public:street_calendar", [street.pk], ""),
        ("request board", "consultations:public_board", [], ""),
        ("fund notice", "funds:notice", [notice.pk] if notice else None, ""),
    ]
    staff = [
        ("dashboard", "dashboards:dashboard", ""),
        ("year-end report", "dashboards:year_end", ""),
        ("search 电梯", "search", "q=电梯"),
        ("search 和平", "search", "q=和平"),
        ("building groups", "places:groups", ""),
        ("building groups search 和平", "places:groups", "q=和平"),
        ("applications", "applications:list", ""),
        ("applications search 电梯", "applications:list", "q=电梯"),
        ("requests overview", "consultations:overview", ""),
        ("requests search 电梯", "consultations:overview", "q=电梯"),
        ("campaigns", "funds:list", ""),
        ("checks", "funds:inspections", ""),
        ("awards", "funds:awards", ""),
        ("payouts", "funds:payouts", ""),
        ("budget", "funds:budget", ""),
        # The other lists a district user reads (read-only), beside the street staff's.
        ("neighbourhoods", "places:list", ""),
        ("conferences", "consultations:conferences", ""),
    ]
    # Lists of the street's own work, which a district user does not read (403 for them).
    street_only = [
        ("departments", "places:departments", ""),
        ("gallery works", "gallery:index", ""),
    ]
    officer = [
        ("follow-ups", "consultations:follow_ups", ""),
        ("search 电梯", "search", "q=电梯"),
    ]
    sessions = {
        "district": staff_session("bench_district"),
        "street staff": staff_session("district0_staff"),
        "officer": staff_session("bench_officer"),
    }

    def address(name, args, query):
        query = quote(query, safe="=&~:") if query else ""
        return reverse(name, args=args) + (f"?{query}" if query else "")

    found = [("public", label, address(n, a, q), UNCACHED) for label, n, a, q in public if a is not None]
    for who in ("district", "street staff"):
        cookie = {"Cookie": f"sessionid={sessions[who]}"}
        found += [(who, label, address(n, [], q), cookie) for label, n, q in staff]
        if who == "street staff":
            found += [(who, label, address(n, [], q), cookie) for label, n, q in street_only]
    cookie = {"Cookie": f"sessionid={sessions['officer']}"}
    found += [("officer", label, address(n, [], q), cookie) for label, n, q in officer]
    export = address("places:groups_export", [], "")
    return found, (export, {"Cookie": f"sessionid={sessions['district']}"})


TIMING = re.compile(r'sql;dur=([\d.]+);desc="(\d+) queries", app;dur=([\d.]+)')
# Requests sent 8 at a time before the five measured: each of the node's 8 threads then holds a
# database connection (CONN_MAX_AGE) whose server process has read the page's tables' catalog
# entries once. Without it, most of the five land on a fresh connection and their "SQL" is
# mostly PostgreSQL loading table definitions and statistics (30-60 ms on an empty list).
WARM_UP = 16


def warm_up(port: int, path: str, headers: dict, times: int = WARM_UP) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def one(_n):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("GET", path, headers=headers)
        connection.getresponse().read()
        connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(times)))


def sequential(port: int, path: str, headers: dict, times: int = 5) -> dict:
    """``times`` requests one after another: status, medians of SQL ms, query count, app ms."""
    sql, queries, app, status, size = [], [], [], 0, 0
    for _n in range(times):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        status, size = response.status, len(body)
        found = TIMING.search(response.getheader("Server-Timing") or "")
        if found:
            sql.append(float(found[1]))
            queries.append(int(found[2]))
            app.append(float(found[3]))
        connection.close()
    middle = statistics.median
    return {
        "status": status,
        "bytes": size,
        "sql_ms": middle(sql) if sql else float("nan"),
        "queries": middle(queries) if queries else 0,
        "app_ms": middle(app) if app else float("nan"),
    }


def timed_download(port: int, path: str, headers: dict) -> tuple[int, float, float, int]:
    """(status, seconds to the first byte, seconds to the last, bytes) of one request."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    first = response.read(1)
    first_byte = time.perf_counter() - started
    rest = response.read()
    connection.close()
    return response.status, first_byte, time.perf_counter() - started, len(first) + len(rest)


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="corridors_district", help="the district's database (made if missing)")
    parser.add_argument("--server", help=f"PostgreSQL server (default: DATABASE_URL's, else {DEFAULT_SERVER})")
    parser.add_argument("--small", action="store_true", help="generate a hundredth of the district (a trial run)")
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=1, help="healthz/page pairs per page (medians printed)")
    parser.add_argument("--only", default="", help="measure only pages whose 'who: label' contains this")
    parser.add_argument("--no-wrk", action="store_true", help="SQL time and status only (no load)")
    options = parser.parse_args()
    if not options.no_wrk and not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    url = database_url(options)
    ensure_database(url)
    folder = Path(tempfile.mkdtemp(prefix="corridors-district-benchmark-"))
    shared = redis_answers()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.benchmark_settings",
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or uuid.uuid4().hex * 2,
        # A public address, as on a real install (the poster prints it as a QR code).
        "ALLOWED_HOSTS": "127.0.0.1,corridors.example.cn",
        "SITE_URL": "https://corridors.example.cn",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
        "GUNICORN_MAX_REQUESTS": "0",
        "GUNICORN_TIMEOUT": "300",
        "GUNICORN_ACCESS_LOG": str(folder / "access.log"),
        "STATIC_ROOT": str(folder / "static"),
    }
    env.pop("REDIS_URL", None)
    if shared:
        env.update(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=f"district-benchmark-{uuid.uuid4().hex[:8]}")
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "HTTPS")})
    os.environ.update({k: env[k] for k in ("ALLOWED_HOSTS", "STATIC_ROOT") if k in env})
    if shared:
        os.environ.update(REDIS_URL=env["REDIS_URL"], CACHE_KEY_PREFIX=env["CACHE_KEY_PREFIX"])

    import django

    django.setup()
    from django.db import connection

    ensure_district(options.small)
    street = ensure_accounts()
    measured, (export_path, export_headers) = pages(street)
    measured = [m for m in measured if options.only in f"{m[0]}: {m[1]}"]
    connection.close()

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    port = free_port()
    node = start_node("district", port, env, folder)
    script = folder / "report.lua"
    script.write_text(WRK_REPORT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_port(port, node.process, "gunicorn", seconds=120)
        print(f"gunicorn: 2 workers x 4 threads, cache: {'Redis' if shared else 'per process'}, pages uncached")
        print(f"wrk: {CONNECTIONS} connections, {options.seconds} s per run, /healthz before each page, ")
        print(f"{options.rounds} round(s); SQL: median of 5 sequential requests (Server-Timing)")
        print("machine load average (1, 5, 15 min) at the start: {:.1f} {:.1f} {:.1f}\n".format(*os.getloadavg()))
        print(
            f"{'who':12} {'page':28} {'req/s':>7} {'x hz':>6} {'p95 ms':>8} {'x hz':>6} "
            f"{'SQL ms':>7} {'app ms':>7} {'queries':>7} {'KB':>6}  goal"
        )
        for who, label, path, headers in measured:
            warm_up(port, path, headers)
            alone = sequential(port, path, headers)
            rps, rps_ratio, p95, p95_ratio = [], [], [], []
            if not options.no_wrk and alone["status"] == 200:
                for _round in range(options.rounds):
                    health = wrk(base + "/healthz", {}, options.seconds, script)
                    page = wrk(base + path, headers, options.seconds, script)
                    rps.append(page["rps"])
                    rps_ratio.append(page["rps"] / max(health["rps"], 0.01))
                    p95.append(page["p95_us"] / 1000)
                    p95_ratio.append(page["p95_us"] / max(health["p95_us"], 1))
            sql_goal = GOAL_SEARCH_SQL_MS if "search" in label and who == "public" else GOAL_SQL_MS
            misses = []
            if alone["status"] != 200:
                misses.append(f"status {alone['status']}")
            if p95_ratio and statistics.median(p95_ratio) > GOAL_P95:
                misses.append(f"p95>{GOAL_P95}x")
            if alone["sql_ms"] > sql_goal:
                misses.append(f"SQL>{sql_goal}ms")

            def show(values, fmt):
                return format(statistics.median(values), fmt) if values else "-"

            print(
                f"{who:12} {label:28} {show(rps, '7.1f'):>7} {show(rps_ratio, '6.3f'):>6} "
                f"{show(p95, '8.1f'):>8} {show(p95_ratio, '6.1f'):>6} {alone['sql_ms']:7.1f} {alone['app_ms']:7.1f} "
                f"{alone['queries']:7.0f} {alone['bytes'] / 1024:6.0f}  {', '.join(misses) or 'ok'}",
                flush=True,
            )
        if not options.only or options.only in "district: groups export":
            status, first, last, size = timed_download(port, export_path, export_headers)
            if status == 302:
                verdict = "ok: handed to the job queue, the request answered at once"
            else:
                verdict = "ok" if status == 200 and last <= 2 else "over 2 s"
            print(
                f"\ndistrict .xlsx of all building groups: status {status}, first byte {first:.2f} s, "
                f"complete {last:.2f} s, {size / 1024:.0f} KB  {verdict}"
            )
        print("machine load average at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    finally:
        node.stop()
        if shared:
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(f"{env['CACHE_KEY_PREFIX']}:*"):
                client.delete(key)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
