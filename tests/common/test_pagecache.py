"""The public page cache (``common.pagecache``) on a small page with the public layout.

Anonymous visitors share one rendering per address, language and text size, get an ETag
(a 304 when nothing changed) and no cookie; ``bump`` retires the page at once; signed-in
people always get their own rendering, never stored by anyone.
"""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

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


# --- Served before the rest of the middleware (common.pagecache.PageCacheMiddleware) ----------

EARLY = "common.pagecache.PageCacheMiddleware"


class CacheCalls:
    """The cache operations a request makes (each one a round trip to Redis in production)."""

    OPERATIONS = ("get", "get_many", "set", "set_many", "add", "delete", "delete_many", "incr", "touch", "has_key")

    def __init__(self, monkeypatch):
        from django.core.cache import caches

        self.calls: list[str] = []
        self.inside = 0
        backend = caches["default"]
        for name in self.OPERATIONS:
            original = getattr(backend, name)
            monkeypatch.setattr(backend, name, self._spy(name, original))

    def _spy(self, name, original):
        def spy(*args, **kwargs):
            outermost = not self.inside  # the in-memory cache's get_many calls its own get
            if outermost:
                self.calls.append(name)
            self.inside += 1
            try:
                return original(*args, **kwargs)
            finally:
                self.inside -= 1

        return spy


def test_a_stored_page_costs_no_query_and_one_cache_round_trip(client, monkeypatch, django_assert_num_queries):
    client.get("/cached/7/")
    calls = CacheCalls(monkeypatch)
    with django_assert_num_queries(0):
        response = client.get("/cached/7/")
    assert response["X-Page-Cache"] == "hit" and "第一版" in response.content.decode()
    assert calls.calls == ["get_many"]  # the page and its generations together


def test_the_early_answer_carries_every_header_the_whole_stack_gives(client, settings):
    """The same stored page, answered before the session middleware and answered by the view's
    decorator after the whole stack (the middleware removed), in each language and text size,
    as a 200 and as a 304: the same headers."""
    variants = [{}, {"headers": {"accept-language": "en"}}]
    client.get("/cached/7/")
    client.get("/cached/7/", **variants[1])

    def answers(client):
        seen = []
        for variant in variants:
            page = client.get("/cached/7/", **variant)
            headers = dict(variant.get("headers", {}), **{"if-none-match": page["ETag"]})
            not_modified = client.get("/cached/7/", headers=headers)
            assert (page.status_code, not_modified.status_code) == (200, 304)
            seen += [(page.content, _headers(page)), (b"", _headers(not_modified))]
        return seen

    early = answers(client)
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != EARLY]
    assert answers(Client()) == early  # a new client loads the middleware anew
    assert views.RENDERS["count"] == 2  # both languages were stored once, then only served
    assert early[0][1]["X-Frame-Options"] == "DENY" and "default-src 'self'" in early[0][1]["Content-Security-Policy"]
    assert early[0][1]["Content-Language"] == "zh-hans" and early[2][1]["Content-Language"] == "en"


def _headers(response) -> dict:
    return {name: value for name, value in response.items() if name != "X-Request-ID"}


def test_a_visitor_whose_browser_asks_for_english_gets_the_english_copy_from_the_cache(client):
    chinese = client.get("/cached/7/")
    english = client.get("/cached/7/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert english["X-Page-Cache"] == "miss" and english["Content-Language"] == "en"
    again = client.get("/cached/7/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert again["X-Page-Cache"] == "hit" and again.content == english.content != chinese.content
    assert "中文" in again.content.decode()  # the switch back, on the English page
    assert client.get("/cached/7/")["Content-Language"] == "zh-hans"


def test_an_anonymous_visitor_with_a_session_cookie_is_served_the_stored_page_too(client):
    """A session cookie (a signed-out browser's, say) sends the request through the session
    and authentication middleware; the decorator then finds the stored page."""
    first = client.get("/cached/7/")
    client.cookies["sessionid"] = "no-such-session"
    response = client.get("/cached/7/")
    assert response["X-Page-Cache"] == "hit" and response.content == first.content
    assert views.RENDERS["count"] == 1


def test_a_visitor_with_a_message_waiting_gets_a_page_of_their_own(client):
    client.get("/cached/7/")
    client.cookies["messages"] = "anything"
    response = client.get("/cached/7/")
    assert response["X-Page-Cache"] == "bypass" and response["Cache-Control"] == "private, no-store"
