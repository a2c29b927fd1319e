"""The "now serving" board: its words mean the queue, and it speaks the site's language, not
the lobby PC's browser's (unless the screen's address asks for English)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from consultations.services.tickets import ticket_issue

pytestmark = pytest.mark.django_db


def board_url(cw):
    return reverse("consultations:board", args=[cw.stall.pk])


def heading(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[page.index(">", start) + 1 : page.index("</h2>", start)].strip()


def test_next_on_the_board_is_the_next_number_not_the_next_page(cw, client):
    ticket_issue(actor=cw.w.otto, stall=cw.stall, representative=cw.w.rita)
    page = client.get(board_url(cw)).content.decode()
    # Pagination's "Next" is 下一页; the queue's is its own message.
    assert "下一页" not in page
    with translation.override("zh-hans"):
        assert heading(page, "next-h") == pgettext("queue", "Next")
    with translation.override("en"):
        assert pgettext("queue", "Next") == "Next"


def test_an_english_browser_in_the_lobby_still_sees_the_chinese_board(cw, client):
    response = client.get(board_url(cw), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert '<html lang="zh-Hans"' in page
    assert "正在接待" in page and "Now serving" not in page
    assert response.headers["Content-Language"] == "zh-hans"


def test_the_board_in_english_when_its_address_asks(cw, client):
    response = client.get(board_url(cw), {"lang": "en"})
    page = response.content.decode()
    assert '<html lang="en"' in page
    assert "Now serving" in page and heading(page, "next-h") == "Next"
    assert response.headers["Content-Language"] == "en"
    # An unknown language is the site's.
    page = client.get(board_url(cw), {"lang": "xx"}).content.decode()
    assert '<html lang="zh-Hans"' in page


def test_the_board_leaves_the_language_of_other_pages_alone(cw, client, as_user):
    client.get(board_url(cw), {"lang": "en"})
    assert translation.get_language() == "zh-hans"
    page = as_user(cw.w.otto).get(reverse("consultations:stall", args=[cw.stall.pk])).content.decode()
    assert "叫号屏" in page
