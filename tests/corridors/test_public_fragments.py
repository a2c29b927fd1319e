"""The public pages' cards from the fragment cache (``corridors.fragments``): a page the page
cache renders again reuses the cards it rendered before, and never shows an old one.

Every request here carries a ``messages`` cookie, which makes the page cache render the page
each time (as for a visitor with a message waiting): what is checked is the fragments, not
the stored page. The cards are rendered once, then changed behind them.
"""

import re

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.pagecache import bump_all
from corridors import fragments
from corridors.models import GalleryWork
from corridors.services.gallery import activity_update, work_hide, work_update
from tests import factories as f
from tests.corridors.test_activities import make_activity
from tests.corridors.test_gallery import make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(client):
    """An anonymous visitor whose every page is rendered (never served stored)."""
    client.cookies["messages"] = "fragments"
    return client


def page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200 and response["X-Page-Cache"] == "bypass", url
    return response.content.decode()


def gallery_and_corridor(world):
    return [reverse("public:gallery"), world.g1.get_public_url()]


@pytest.fixture
def renders(monkeypatch):
    """The cards rendered (not read from the cache) since the fixture started, as a list."""
    rendered: list = []
    real = fragments.cached

    def counting(name, items, stamp, render):
        if name == "gallery-form":  # the search form is no card
            return real(name, items, stamp, render)
        return real(name, items, stamp, lambda item: rendered.append(item) or render(item))

    monkeypatch.setattr("corridors.views.public.cached", counting)
    return rendered


def test_a_rendered_page_keeps_its_cards_and_the_next_render_reuses_them(world, visitor, renders):
    make_work(world.g1, world.leo, title="楼道的春天")
    make_work(world.g1, world.leo, title="楼道的夏天")
    first = page(visitor, reverse("public:gallery"))
    assert len(renders) == 2
    renders.clear()
    again = page(visitor, reverse("public:gallery"))
    assert "楼道的春天" in again and again == first
    assert renders == []  # every card came from the cache


def test_a_deployment_retires_the_fragments_with_the_pages(world, visitor, renders):
    make_work(world.g1, world.leo, title="楼道的春天")
    page(visitor, reverse("public:gallery"))
    renders.clear()
    bump_all()  # manage.py clear_page_cache, run after every deployment (new templates)
    page(visitor, reverse("public:gallery"))
    assert [work["title"] for work in renders] == ["楼道的春天"]


def test_a_hidden_work_is_gone_from_the_gallery_and_its_corridor_at_once(world, visitor):
    work = make_work(world.g1, world.leo, title="楼道的春天")
    make_work(world.g1, world.leo, title="留下的作品")
    for url in gallery_and_corridor(world):
        assert "楼道的春天" in page(visitor, url)

    with TestCase.captureOnCommitCallbacks(execute=True):
        work_hide(work=work, reason="照片里有门牌号", by=world.carl)
    for url in gallery_and_corridor(world):
        html = page(visitor, url)
        assert "楼道的春天" not in html and "留下的作品" in html, url


def test_an_edited_work_shows_its_new_title_on_the_next_render(world, visitor):
    work = make_work(world.g1, world.leo, title="楼道的春天")
    for url in gallery_and_corridor(world):
        page(visitor, url)

    work_update(work=work, kind=GalleryWork.Kind.PAINTING, title="楼道的夏天")
    for url in gallery_and_corridor(world):
        html = page(visitor, url)
        assert "楼道的夏天" in html and "楼道的春天" not in html, url
        assert "绘画" in html, url


def test_a_renamed_corridor_shows_its_new_name_on_the_gallery_cards(world, visitor):
    make_work(world.g1, world.leo, title="楼道的春天")
    assert "1号门" not in page(visitor, reverse("public:gallery"))
    world.g1.name = "1号门"
    world.g1.save()
    html = page(visitor, reverse("public:gallery"))
    assert f"{world.g1.building} 1号门" in html


def test_a_language_switch_shows_the_cards_in_the_other_language(world, visitor):
    make_work(world.g1, world.leo, title="楼道的春天", kind=GalleryWork.Kind.PHOTO)
    make_activity(world.g1, world.leo, title="下周的美食日", days=7)
    make_activity(world.g1, world.leo, title="上个月的美食日", days=-30)
    pages = [*gallery_and_corridor(world), reverse("public:corridor_activities", args=[world.g1.pk])]
    chinese = [page(visitor, url, HTTP_ACCEPT_LANGUAGE="zh-hans") for url in pages]
    english = [page(visitor, url, HTTP_ACCEPT_LANGUAGE="en") for url in pages]

    # The work cards: its kind and the author's name ("Resident" without consent).
    for html in chinese[:2]:
        assert '照片 · <span class="work-author">居民</span>' in html
    for html in english[:2]:
        assert 'Photo · <span class="work-author">Resident</span>' in html and 'work-author">居民' not in html
    # The activity entries: their kind.
    assert "Food day" in english[2] and "Food day" not in chinese[2]
    # And back: the Chinese cards were kept apart, not overwritten.
    assert [page(visitor, url, HTTP_ACCEPT_LANGUAGE="zh-hans") for url in pages] == chinese


def test_a_changed_activity_shows_its_new_title_in_the_lists_and_the_calendar(world, visitor):
    activity = make_activity(world.g1, world.leo, title="下周的美食日", days=7)
    compound = world.g1.building.compound
    urls = [
        reverse("public:corridor_activities", args=[world.g1.pk]),
        reverse("public:compound", args=[compound.pk]),
        reverse("public:street_activities", args=[compound.neighbourhood.street_id]),
        reverse("public:street_calendar", args=[compound.neighbourhood.street_id]),
        reverse("public:corridor_calendar", args=[world.g1.pk]),
    ]
    for url in urls:
        assert "下周的美食日" in page(visitor, url), url

    activity_update(
        activity=activity,
        kind=activity.kind,
        title="改期的美食日",
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        place="3号楼大堂",
    )
    for url in urls:
        html = page(visitor, url)
        assert "改期的美食日" in html and "下周的美食日" not in html, url
        assert "3号楼大堂" in html, url


def test_the_calendar_from_cached_events_is_the_same_feed(world, visitor):
    make_activity(world.g1, world.leo, title="下周的美食日", days=7, description="每家带一道拿手菜。" * 10)
    make_activity(world.g1, world.leo, title="上个月的美食日", days=-30)
    url = reverse("public:corridor_calendar", args=[world.g1.pk])
    first = page(visitor, url)
    assert first.startswith("BEGIN:VCALENDAR\r\n") and first.endswith("END:VCALENDAR\r\n")
    assert first.count("BEGIN:VEVENT") == 2 and first.count("END:VEVENT") == 2
    assert first.index("上个月的美食日") < first.index("下周的美食日")  # in date order
    assert page(visitor, url) == first


def test_the_compound_lists_its_corridors_as_they_are_now_in_the_same_queries_however_many(world, visitor):
    building = world.g1.building
    url = reverse("public:compound", args=[building.compound_id])
    with CaptureQueriesContext(connection) as one:
        html = page(visitor, url)
    assert f'href="{world.g1.get_public_url()}"' in html and f"{building.name} 1单元" in html

    more = [f.BuildingGroupFactory(building=building, name=f"{n}单元") for n in range(5, 9)]
    with CaptureQueriesContext(connection) as five:
        html = page(visitor, url)
    assert all(f'href="{group.get_public_url()}"' in html for group in more)
    assert len(five.captured_queries) == len(one.captured_queries)

    # A renamed corridor or building shows at once; a deactivated corridor is gone.
    more[0].name = "东侧楼道"
    more[0].save()
    building.name = "新楼"
    building.save()
    more[1].is_active = False
    more[1].save()
    html = page(visitor, url)
    assert "新楼 东侧楼道" in html and "新楼 1单元" in html
    assert more[1].get_public_url() not in html and f"{more[1].name}" not in html


def test_the_corridor_shows_its_past_activities_with_attendance(world, visitor):
    past = make_activity(world.g1, world.leo, title="上个月的美食日", days=-30)
    past.attendance = 12
    past.save()
    html = page(visitor, world.g1.get_public_url())
    assert "上个月的美食日" in html and past.get_public_url() in html and "12 人参加" in html


def test_the_search_form_from_the_cache_says_what_was_refused_in_plain_words(world, visitor):
    """The form is kept in the fragment cache under what was typed, chosen and offered; the
    layout's error summary still rewrites a refused field's message before it is drawn."""
    make_work(world.g1, world.leo, title="楼道的春天")
    url = reverse("public:gallery")
    first = page(visitor, url, data={"theme": "不存在的主题", "q": "楼道"})
    again = page(visitor, url, data={"theme": "不存在的主题", "q": "楼道"})
    assert again == first
    field = re.search(r'<div id="id_theme_error"[^>]*>(.*?)</div>', first, re.S).group(1)
    assert "请从列表中选择" in field and "选择一个有效的选项" not in field
    assert re.search(r'<input[^>]*name="q"[^>]*value="楼道"', first)
    # Another word is another form: the cached one is not shown for it.
    other = page(visitor, url, data={"q": "春天"})
    assert re.search(r'<input[^>]*name="q"[^>]*value="春天"', other) and "id_theme_error" not in other


def test_a_card_shows_its_first_ready_picture_and_a_new_one_at_once(world, visitor):
    """The cards read their work and first picture as plain values: a picture put first, or
    replaced, is a new card on the next render of the gallery and of the corridor."""
    work = make_work(world.g1, world.leo, title="楼道的春天", alt_text="第一张照片")
    for url in gallery_and_corridor(world):
        assert 'alt="第一张照片"' in page(visitor, url)
    image = work.images.get()
    image.alt_text = "换了说明"
    image.save()
    for url in gallery_and_corridor(world):
        html = page(visitor, url)
        assert 'alt="换了说明"' in html and "第一张照片" not in html, url
