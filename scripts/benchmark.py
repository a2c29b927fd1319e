"""Throughput and p95 latency of the demo's pages, as ratios to /healthz.

    make benchmark            # or: .venv/bin/python scripts/benchmark.py [--seconds 5] [--rounds 3]

Serves the database the settings point at (the quick start's, with the demo loaded: `make
benchmark` loads it) the way a server does: the shipped nginx configuration (TLS with a
throw-away certificate) in front of two gunicorn nodes with the production settings, Redis
as the shared cache when it answers on 127.0.0.1:6379 (database 5, a key prefix of its own;
BENCHMARK_REDIS_URL names another). The nodes' SITE_URL is the benchmark's own nginx, with
POSTER_ALLOW_LOCAL_ADDRESS, so the poster prints. For each page, `wrk` (16 connections)
measures /healthz and then the page, back to back, so both see the same machine; the ratios
are the page's requests per second and p95 latency divided by those of the /healthz run
just before it. All pages are measured in turn ``--rounds`` times and each figure is the
median over the rounds (a burst of load from elsewhere skews one round, not the result).
Staff pages are measured signed in (a session made here for the demo's `staff` account).
Not a test: it prints and exits.

Goals (issue 11): cached anonymous public pages >= 0.5x healthz throughput and p95 <= 2x
healthz p95; uncached staff lists p95 <= 10x healthz p95.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from statistics import median
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.deploy.servers import (  # noqa: E402 - after the path is set
    free_port,
    nginx_config,
    start_nginx,
    start_node,
    stop,
    wait_for_port,
)

CONNECTIONS = 16
REDIS_URL = os.environ.get("BENCHMARK_REDIS_URL") or "redis://127.0.0.1:6379/5"
# wrk prints one JSON line when a run ends: requests per second, p95 in microseconds, errors.
WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format('{"rps": %f, "p95_us": %d, "requests": %d, "errors": %d}\\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(95), summary.requests, errors))
end
"""


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


# --district: the dataset of `manage.py generate_district` (issue 16) instead of the demo; the
# staff pages are measured as the first generated street's staff account.
DISTRICT_STAFF = "district0_staff"


def pages(staff_session: str, district: bool = False) -> list[tuple[str, str, dict]]:
    """(label, path, headers) for every page measured, found in the demo's data."""
    from django.urls import NoReverseMatch, reverse

    from corridors.models import BuildingGroup, Compound, Neighbourhood, Street
    from corridors.selectors import public_works
    from funds.models import Campaign, NoticeState

    if district:
        from corridors.district import DISTRICT_NAME

        street = Street.objects.filter(district__name=DISTRICT_NAME).order_by("pk").first()
    else:
        street = Street.objects.get(name="四平路街道")
    group = BuildingGroup.objects.filter(building__compound__neighbourhood__street=street, is_active=True).first()
    neighbourhood = Neighbourhood.objects.filter(street=street).first()
    compound = Compound.objects.filter(neighbourhood__street=street).first()
    work = public_works().first()
    notice = Campaign.objects.filter(notice__state=NoticeState.PUBLISHED).first()
    staff = {"Cookie": f"sessionid={staff_session}"}
    wanted = [
        ("public: home", "public:home", [], {}),
        ("public: gallery", "public:gallery", [], {}),
        ("public: neighbourhood", "public:neighbourhood", [neighbourhood.pk], {}),
        ("public: compound", "public:compound", [compound.pk], {}),
        ("public: corridor", "public:corridor", [group.pk], {}),
        ("public: corridor activities", "public:corridor_activities", [group.pk], {}),
        ("public: street activities", "public:street_activities", [street.pk], {}),
        ("public: work", "public:work", [work.pk] if work else None, {}),
        ("public: poster", "public:poster", [group.pk], {}),
        ("public: street calendar", "public:street_calendar", [street.pk], {}),
        ("public: request board", "consultations:public_board", [], {}),
        ("public: fund notice", "funds:notice", [notice.pk] if notice else None, {}),
        ("staff: building groups", "places:groups", [], staff),
        ("staff: applications", "applications:list", [], staff),
        ("staff: payouts", "funds:payouts", [], staff),
        ("staff: consultation overview", "consultations:overview", [], staff),
        ("staff: dashboard", "dashboards:dashboard", [], staff),
    ]
    if district:
        wanted += [
            ("public: gallery search 和平", "public:gallery", [], {"?": "q=和平"}),
            ("public: gallery search 电梯", "public:gallery", [], {"?": "q=电梯"}),
            ("public: street calendar", "public:street_calendar", [street.pk], {}),
            ("staff: search everything 电梯", "search", [], {**staff, "?": "q=电梯"}),
            ("staff: requests search 电梯", "consultations:overview", [], {**staff, "?": "q=电梯"}),
        ]
    found = []
    for label, name, args, headers in wanted:
        if args is None:
            continue
        try:
            headers = dict(headers)
            query = headers.pop("?", "")
            # wrk sends the address as given: the Chinese query percent-encoded.
            query = quote(query, safe="=&")
            found.append((label, reverse(name, args=args) + (f"?{query}" if query else ""), headers))
        except NoReverseMatch:
            print(f"(skipped {label}: no URL named {name})")
    return found


def staff_session(username: str = "staff") -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from corridors.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # Street staff sign in with a second factor: the session records the verified device,
    # as after entering the authenticator's code.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def wrk(url: str, headers: dict, seconds: int, script: Path) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script), "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    return json.loads(output.strip().splitlines()[-1])


def errors(page: dict) -> str:
    return f" errors={page['errors']}" if page["errors"] else ""


def line(label: str, runs: list[tuple[dict, dict]]) -> str:
    """The page's figures over its runs: medians of req/s, p95 and of each run's ratios to
    the /healthz run just before it (so a burst of load elsewhere skews one run, not all)."""
    rps = median(page["rps"] for _health, page in runs)
    p95 = median(page["p95_us"] for _health, page in runs) / 1000
    rps_ratio = median(page["rps"] / health["rps"] for health, page in runs)
    p95_ratio = median(page["p95_us"] / max(health["p95_us"], 1) for health, page in runs)
    health_rps = median(health["rps"] for health, _page in runs)
    health_p95 = median(health["p95_us"] for health, _page in runs) / 1000
    return (
        f"{label:32} {rps:8.0f} {rps_ratio:10.2f} {p95:8.1f} {p95_ratio:10.2f}"
        f"   (healthz {health_rps:.0f} req/s, p95 {health_p95:.1f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument(
        "--rounds", type=int, default=3, help="times every page (and /healthz before it) is measured; medians are shown"
    )
    parser.add_argument(
        "--district",
        action="store_true",
        help="measure the dataset of `manage.py generate_district` (run it first on the database the settings use)",
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    os.environ["PATH"] = f"{os.environ['PATH']}:/usr/sbin"
    if not shutil.which("nginx"):
        sys.exit("nginx is needed: apt-get install nginx")

    folder = Path(tempfile.mkdtemp(prefix="corridors-benchmark-"))
    shared = redis_answers()
    https_port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        # The poster's QR code leads to SITE_URL, which it refuses while that is a loopback
        # address (a dead code on a wall): here it is the benchmark's own nginx, on purpose.
        "SITE_URL": f"https://127.0.0.1:{https_port}",
        "POSTER_ALLOW_LOCAL_ADDRESS": "true",
        "PROXY_COUNT": "1",
        "SERVE_PUBLIC_MEDIA": "false",
        "PRIVATE_MEDIA_ACCEL": "true",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "4",
        # No worker recycling during the runs: with one worker per node, a worker retired
        # after GUNICORN_MAX_REQUESTS leaves its node without one while Django starts again
        # (seconds on a loaded machine), which measures the restart, not the pages.
        "GUNICORN_MAX_REQUESTS": "0",
        "GUNICORN_ACCESS_LOG": str(folder / "access.log"),
    }
    if shared:
        env.update(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=f"benchmark-{uuid.uuid4().hex[:8]}")
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "HTTPS", "ALLOWED_HOSTS")})

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from tests.deploy.servers import database_url

    env["DATABASE_URL"] = database_url(connection.settings_dict)
    session = staff_session(DISTRICT_STAFF if options.district else "staff")
    measured = pages(session, district=options.district)
    connection.close()

    env["STATIC_ROOT"] = str(folder / "static")  # where nginx_config() points /static/
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    nodes = [start_node(name, free_port(), env, folder) for name in ("a", "b")]
    config = nginx_config(
        folder,
        http_port=free_port(),
        https_port=https_port,
        nodes=[n.port for n in nodes],
        media_root=settings.MEDIA_ROOT,
    )
    proxy = start_nginx(config)
    script = folder / "report.lua"
    script.write_text(WRK_REPORT)
    base = f"https://127.0.0.1:{https_port}"
    try:
        for node in nodes:
            wait_for_port(node.port, node.process, f"node {node.name}", seconds=60)
        wait_for_port(https_port, proxy, "nginx")
        print(f"nginx + 2 gunicorn nodes (1 worker x 4 threads each), cache: {'Redis' if shared else 'per process'}")
        print(
            f"wrk: {CONNECTIONS} connections, {options.seconds} s per run, /healthz measured just before each "
            f"page; {options.rounds} round(s) over all pages, each figure the median of its rounds' ratios\n"
        )
        results: dict[str, list[tuple[dict, dict, str]]] = {label: [] for label, _path, _headers in measured}
        for round_number in range(1, options.rounds + 1):
            print(f"round {round_number}:")
            for label, path, headers in measured:
                # Warm up: the first rendering fills the page cache (where the page uses it).
                warm = subprocess.run(  # noqa: S603
                    ["curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}"]
                    + [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
                    + [base + path],
                    capture_output=True,
                    text=True,
                ).stdout
                health = wrk(base + "/healthz", {}, options.seconds, script)
                page = wrk(base + path, headers, options.seconds, script)
                results[label].append((health, page, warm))
                print(f"  {line(label, [(health, page)])}  {warm}{errors(page)}")
        print(f"\n{'page':32} {'req/s':>8} {'x healthz':>10} {'p95 ms':>8} {'x healthz':>10}  status")
        for label, runs in results.items():
            statuses = ",".join(sorted({warm for _health, _page, warm in runs}))
            failed = sum(page["errors"] for _health, page, _warm in runs)
            print(
                f"{line(label, [(health, page) for health, page, _warm in runs])}  {statuses}"
                f"{' errors=' + str(failed) if failed else ''}"
            )
    finally:
        stop(proxy, seconds=10)
        for node in nodes:
            node.stop()
        if shared:
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(f"{env['CACHE_KEY_PREFIX']}:*"):
                client.delete(key)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
