"""The public page cache (``common.pagecache``) on a small page with the public layout.

Anonymous visitors share one rendering per address, language and text size, get an ETag
(a 304 when nothing changed) and no cookie; ``bump`` retires the page at once; signed-in
people always get their own rendering, never stored by anyone.
"""

import pytest
from django.core.cache import cache
from django.db import transaction

from common.pagecache import bump, bump_all
from tests.common import pagecache_urls as views

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.common.pagecache_urls")]


@pytest.fixture(autouse=True)
def fresh():
    cache.clear()
    views.RENDERS["count"] = 0
    views.SHOWN["text"] = "第一版"


def test_anonymous_visitors_share_one_rendering_with_no_cookie_and_a_public_cache_header(client):
    first = client.get("/cached/7/")
    assert first.status_code == 200 and "第一版" in first.content.decode()
    assert first["X-Page-Cache"] == "miss"
    views.SHOWN["text"] = "第二版"  # changed without telling the cache: the stored copy is served
    second = client.get("/cached/7/")
    assert second["X-Page-Cache"] == "hit" and "第一版" in second.content.decode()
    assert second.content == first.content and views.RENDERS["count"] == 1
    for response in (first, second):
        assert not response.cookies  # no session, no CSRF cookie
        assert response["Cache-Control"] == "public, max-age=60"
        assert {"Cookie", "Accept-Language"} <= {v.strip() for v in response["Vary"].split(",")}
        assert response["Content-Type"].startswith("text/html")
        assert response["ETag"] == first["ETag"]


def committed(capture, action, *args):
    """Run a bump as a service does, inside a transaction, and commit it."""
    with capture(execute=True):
        action(*args)


def test_a_bump_retires_the_page_at_once_and_only_pages_keyed_on_it(client, django_capture_on_commit_callbacks):
    client.get("/cached/7/")
    client.get("/cached/8/")
    views.SHOWN["text"] = "第二版"
    committed(django_capture_on_commit_callbacks, bump, "group", 7)
    again = client.get("/cached/7/")
    assert again["X-Page-Cache"] == "miss" and "第二版" in again.content.decode()
    other = client.get("/cached/8/")
    assert other["X-Page-Cache"] == "hit" and "第一版" in other.content.decode()
    committed(django_capture_on_commit_callbacks, bump_all)
    assert client.get("/cached/8/")["X-Page-Cache"] == "miss"


def test_a_bump_inside_a_transaction_retires_the_page_at_once_and_again_at_the_commit(
    client, django_capture_on_commit_callbacks
):
    client.get("/cached/7/")
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        bump("group", 7)
        # The writer's own next page is fresh at once...
        assert client.get("/cached/7/")["X-Page-Cache"] == "miss"
        # ...but a visitor rendering now still reads the old rows and stores that page.
        assert client.get("/cached/7/")["X-Page-Cache"] == "hit"
    for callback in callbacks:
        callback()
    # The commit retires the page stored in between.
    assert client.get("/cached/7/")["X-Page-Cache"] == "miss"


def test_a_forgotten_generation_never_revives_an_old_page(client):
    client.get("/cached/7/")
    cache.delete("pagegen:group:7")  # evicted by a full cache
    assert client.get("/cached/7/")["X-Page-Cache"] == "miss"


def test_an_unchanged_page_answers_304_to_its_etag_and_200_after_a_bump(client, django_capture_on_commit_callbacks):
    etag = client.get("/cached/7/")["ETag"]
    not_modified = client.get("/cached/7/", headers={"if-none-match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    views.SHOWN["text"] = "第二版"
    committed(django_capture_on_commit_callbacks, bump, "group", 7)
    changed = client.get("/cached/7/", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag and "第二版" in changed.content.decode()


def test_language_and_text_size_each_get_their_own_copy_and_the_switches_need_no_csrf_cookie(client):
    client.handler.enforce_csrf_checks = True
    chinese = client.get("/cached/7/").content.decode()
    assert "English" in chinese  # the switch to English, on a Chinese page
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/cached/7/"})
    assert switched.status_code == 302 and switched.url == "/cached/7/"
    english = client.get("/cached/7/")
    assert english["X-Page-Cache"] == "miss" and "中文" in english.content.decode()
    assert client.get("/cached/7/")["X-Page-Cache"] == "hit"

    assert client.post("/prefs/text-size/", {"size": "large", "next": "/cached/7/"}).status_code == 302
    large = client.get("/cached/7/")
    assert large["X-Page-Cache"] == "miss" and "Normal text" in large.content.decode()
    assert "csrftoken" not in client.cookies and views.RENDERS["count"] == 3


def test_signed_in_people_get_their_own_page_marked_private_and_nothing_is_stored(client, world):
    client.get("/cached/7/")
    client.force_login(world.alice)
    views.SHOWN["text"] = "第二版"
    response = client.get("/cached/7/")
    assert response["X-Page-Cache"] == "bypass" and "第二版" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store" and "ETag" not in response
    client.logout()
    assert "第一版" in client.get("/cached/7/").content.decode()  # the anonymous copy was untouched


def test_a_page_holding_a_csrf_token_is_never_stored(client):
    response = client.get("/cached-form/7/")
    assert response["X-Page-Cache"] == "bypass" and "csrftoken" in response.cookies
    assert client.get("/cached-form/7/")["X-Page-Cache"] == "bypass"
