"""The funds navigation shows each role only the pages it may open."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.funds.test_acceptance import award_for


@pytest.fixture
def award(world):
    return award_for(world)


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _nav(body: str) -> str:
    start = body.index('aria-label="Warm-corridor awards and payouts"')
    return body[start : body.index("</nav>", start)]


def test_the_funds_nav_shows_only_what_the_user_may_open(world, award, en_client):
    links = {
        "inspections": reverse("funds:inspections"),
        "awards": reverse("funds:awards"),
        "payouts": reverse("funds:payouts"),
        "budget": reverse("funds:budget"),
    }
    en_client.force_login(world.alice)
    nav = _nav(en_client.get(links["payouts"]).content.decode())
    assert all(f'href="{url}"' in nav for url in links.values())
    assert re.search(rf'href="{links["payouts"]}"\s*aria-current="page"', nav)
    assert nav.count('aria-current="page"') == 1
    en_client.force_login(world.fay)
    nav = _nav(en_client.get(links["budget"]).content.decode())
    assert links["inspections"] not in nav and links["payouts"] in nav
    assert re.search(rf'href="{links["budget"]}"\s*aria-current="page"', nav)
    en_client.force_login(world.leo)
    nav = _nav(en_client.get(award.get_absolute_url()).content.decode())
    assert links["awards"] in nav
    assert links["inspections"] not in nav and links["payouts"] not in nav and links["budget"] not in nav
