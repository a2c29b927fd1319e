"""Shared personas and the browser harness.

The world: street 四平路 (our street) with neighbourhoods N1 and N2, each with a group;
street 控江路 (another street). Personas, as in Healthchecks' ``hc/test.py``:

- alice: street staff of 四平路        - bob: street staff of 控江路 (no access to ours)
- fay: finance approver of 四平路      - carl: committee of N1; cindy: committee of N2
- leo: leader of group G1 (in N1)     - lena: leader of G2 (in N2)
- rita: representative of N1          - otto: officer of the housing department
"""

import os
import shutil
from types import SimpleNamespace

import pytest

from corridors.models import Role
from corridors.services.people import role_assign
from tests import factories as f

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def world(db):
    street = f.StreetFactory(name="四平路街道")
    other_street = f.StreetFactory(name="控江路街道")
    n1 = f.NeighbourhoodFactory(street=street, name="和平花园居民区")
    n2 = f.NeighbourhoodFactory(street=street, name="抚顺路363弄居民区")
    n_other = f.NeighbourhoodFactory(street=other_street, name="控江居民区")
    g1 = f.BuildingGroupFactory(building__compound__neighbourhood=n1, name="1单元")
    g2 = f.BuildingGroupFactory(building__compound__neighbourhood=n2, name="2单元")
    g_other = f.BuildingGroupFactory(building__compound__neighbourhood=n_other, name="3单元")
    housing = f.DepartmentFactory(street=street, name="房屋管理办事处")

    def person(username, role, street=street, **scope):
        user = f.UserFactory(username=username, full_name=f"{username}姓名")
        role_assign(user=user, role=role, street=street, **scope)
        return user

    return SimpleNamespace(
        street=street,
        other_street=other_street,
        n1=n1,
        n2=n2,
        n_other=n_other,
        g1=g1,
        g2=g2,
        g_other=g_other,
        housing=housing,
        alice=person("alice", Role.STREET_STAFF),
        bob=person("bob", Role.STREET_STAFF, street=other_street),
        fay=person("fay", Role.FINANCE),
        carl=person("carl", Role.COMMITTEE, neighbourhood=n1),
        cindy=person("cindy", Role.COMMITTEE, neighbourhood=n2),
        leo=person("leo", Role.LEADER, building_group=g1),
        lena=person("lena", Role.LEADER, building_group=g2),
        rita=person("rita", Role.REPRESENTATIVE, neighbourhood=n1),
        otto=person("otto", Role.OFFICER, department=housing),
        nobody=f.UserFactory(username="nobody"),
    )


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def as_user(client):
    """``as_user(world.alice).get(url)``: the test client signed in as that persona."""

    def login(user):
        client.force_login(user)
        return client

    return login


# --- Browser harness ----------------------------------------------------------------

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _browser_required() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true"} or os.environ.get("REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if _browser_required():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page (iPhone-like viewport), as a resident would hold it."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def browser_login(page, live_server, username, password=f.PASSWORD):
    """Sign in as a person would, including the second step for street staff, finance
    approvers and the superuser (the code computed as their phone would; enrolled the first time)."""
    from corridors.models import User

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    if "/accounts/login/second-factor/" not in page.url:
        return
    user = User.objects.get(username=username)
    enrolling = page.url.rstrip("/").endswith("set-up")
    page.get_by_label("验证码").fill(f.totp_code(user))
    page.locator("form[data-second-factor], form[data-second-factor-enrol]").get_by_role("button").click()
    page.wait_for_load_state()
    if enrolling:
        page.get_by_role("link", name="我已保存：继续").click()
        page.wait_for_load_state()


@pytest.fixture
def count_queries():
    """``count_queries(client.get, url, data)``: the number of SQL queries one request makes.

    Page tests measure it at two data sizes and assert the two are equal, so a loop that
    queries per row fails whatever else the layout adds to every page. It measures the
    rendering: the public page cache is emptied first.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure(call, *args, **kwargs):
        clear_test_cache()
        with CaptureQueriesContext(connection) as ctx:
            response = call(*args, **kwargs)
        assert response.status_code == 200, response.status_code
        return len(ctx.captured_queries)

    return measure


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language (Chinese), whatever ran before it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def run_jobs_here():
    """``with run_jobs_here() as ran:`` runs the jobs the block enqueued, in this test's transaction."""
    from tests.job_runner import jobs_run_here

    return jobs_run_here


def clear_test_cache() -> None:
    """Empty the configured cache of this test process: the memory cache, or in Redis only the
    keys under this process's own prefix (config/test_settings.py gives each test process
    one), never the whole database, which other test processes and servers may be using."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        cache.clear()
    elif isinstance(cache, RedisCache):
        assert cache.key_prefix, "a shared Redis is emptied only under a key prefix of its own"
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each test starts with an empty cache: no cached public page, count or fragment."""
    clear_test_cache()
