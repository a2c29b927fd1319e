"""Every anonymous public page is served from the shared cache (Redis) and changes the moment
what it shows changes, on every node.

Two app nodes are two threads here, each with its own database connection and its own
Redis client (Django's caches are per thread), on one Redis key prefix: node A warms the
pages, a service writes and commits, and node B's very next view shows the change (and so
does node A's). The writes are the services' own, committed for real (a transactional
test), so the bumps made when they commit are the ones tested.
"""

import threading
import uuid

import pytest
import redis
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from corridors.services.gallery import activity_update, work_hide, work_publish, work_update
from funds.services.notice import notice_publish, notice_withdraw
from tests.consultations.conftest import cw, file_request, fresh, suggested  # noqa: F401, F811 (cw: a fixture)
from tests.corridors.test_activities import make_activity
from tests.corridors.test_gallery import make_work
from tests.corridors.test_public import approve
from tests.funds.conftest import make_campaign

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = "redis://127.0.0.1:6379/5"


@pytest.fixture
def shared_cache(settings):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        pytest.skip("Redis on 127.0.0.1:6379 is not running (.ci/run starts it)")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"pages-{uuid.uuid4().hex[:8]}",
        }
    }


def on_node(url: str):
    """One anonymous GET served by another app node: another thread, database connection
    and Redis client."""
    answer = {}

    def visit():
        try:
            answer["response"] = Client().get(url)
        finally:
            connection.close()

    thread = threading.Thread(target=visit)
    thread.start()
    thread.join()
    return answer["response"]


def text(response) -> str:
    return response.content.decode()


def warmed(urls) -> None:
    """Each page rendered once on node A, then served from the cache on node B."""
    for url in urls:
        if on_node(url).status_code == 200:
            assert on_node(url)["X-Page-Cache"] == "hit", url


def test_a_published_work_shows_at_once_and_a_hidden_one_is_gone_at_once_on_every_node(world, shared_cache):
    approve(world.g1, world.leo)
    older = make_work(world.g1, world.leo, title="旧作品")
    draft = make_work(world.g1, world.leo, title="楼道新貌", publish=False)
    compound = world.g1.building.compound
    pages = [
        reverse("public:gallery"),
        world.g1.get_public_url(),
        reverse("public:compound", args=[compound.pk]),
        reverse("public:neighbourhood", args=[compound.neighbourhood_id]),
        reverse("public:work", args=[draft.pk]),
        older.get_public_url(),
    ]
    warmed(pages)
    assert "楼道新貌" not in text(on_node(reverse("public:gallery")))
    assert on_node(reverse("public:work", args=[draft.pk])).status_code == 404

    work_publish(work=draft, by=world.leo)
    for url in pages[:2]:
        response = on_node(url)
        assert response["X-Page-Cache"] == "miss" and "楼道新貌" in text(response), url
    assert "楼道新貌" in text(on_node(draft.get_public_url()))
    warmed(pages)

    work_hide(work=draft, reason="含有门牌号", by=world.alice)
    for url in pages[:2]:
        assert "楼道新貌" not in text(on_node(url)), url
        assert "旧作品" in text(on_node(url)), url
    assert on_node(draft.get_public_url()).status_code == 404

    # A page another work shows is untouched by this one's changes, until its own.
    assert on_node(older.get_public_url())["X-Page-Cache"] == "hit"
    work_update(work=older, kind=older.kind, title="旧作品（修订）")
    assert "旧作品（修订）" in text(on_node(older.get_public_url()))


def test_a_changed_activity_shows_at_once_on_its_page_the_corridor_compound_and_street(world, shared_cache):
    activity = make_activity(world.g1, world.leo, title="每月美食日")
    street = world.g1.building.compound.neighbourhood.street
    pages = [
        activity.get_public_url(),
        reverse("public:corridor_activities", args=[world.g1.pk]),
        reverse("public:compound", args=[world.g1.building.compound_id]),
        reverse("public:street_activities", args=[street.pk]),
        reverse("public:street_calendar", args=[street.pk]),
    ]
    warmed(pages)
    activity_update(
        activity=activity,
        kind=activity.kind,
        title="端午包粽子",
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        place=activity.place,
        description=activity.description,
    )
    for url in pages:
        response = on_node(url)
        assert "端午包粽子" in text(response) and "每月美食日" not in text(response), url


def test_the_fund_notice_appears_and_goes_with_its_publishing(world, shared_cache):
    campaign = make_campaign(world)
    url = reverse("funds:notice", args=[campaign.pk])
    assert on_node(url).status_code == 404
    notice_publish(campaign=campaign, actor=world.alice)
    first = on_node(url)
    assert first.status_code == 200 and "更换电梯" in text(first)
    assert on_node(url)["X-Page-Cache"] == "hit"
    notice_withdraw(campaign=campaign, actor=world.alice)
    assert on_node(url).status_code == 404


def test_a_ledger_line_shows_at_once_on_the_public_corridor_page(world, shared_cache):
    from tests.funds.test_ledger import paid_award, spend

    award = paid_award(world)
    url = award.group.get_public_url()
    warmed([url])
    assert "社区绿植" not in text(on_node(url))
    spend(world, award, "120.00", item="社区绿植")
    response = on_node(url)
    assert response["X-Page-Cache"] == "miss" and "社区绿植" in text(response)


def test_a_resolved_request_reaches_the_public_board_at_once(cw, shared_cache):  # noqa: F811
    from consultations.services.requests import request_accept, request_confirm, request_resolve

    url = reverse("consultations:public_board")
    warmed([url])
    request = file_request(cw)
    officer = cw.w.otto if request.department == cw.w.housing else cw.kong_officer
    request_accept(actor=fresh(officer), request=request, due_date=timezone.localdate())
    summary = suggested(request)
    assert summary not in text(on_node(url))  # not on the board until confirmed
    request_resolve(actor=fresh(officer), request=request, resolution="已处理。", public_summary=summary)
    request_confirm(actor=fresh(request.representative), request=request)
    response = on_node(url)
    assert response["X-Page-Cache"] == "miss" and summary in text(response)


def test_signed_in_visitors_and_anonymous_ones_never_share_a_copy(world, shared_cache, client):
    make_work(world.g1, world.leo, title="楼道新貌")
    url = world.g1.get_public_url()
    warmed([url])
    client.force_login(world.leo)
    mine = client.get(url)
    assert mine["X-Page-Cache"] == "bypass" and "no-store" in mine["Cache-Control"]
    assert on_node(url)["X-Page-Cache"] == "hit"
