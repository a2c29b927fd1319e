"""How the campaign pages read on a phone in Chinese (and in English): brackets, grouping of
areas and the precision of percentages, as a resident committee member sees them."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from funds.services.payments import payment_record
from tests.funds.conftest import add_units


def text_of(html: str, marker: str) -> str:
    """The text of the element carrying ``marker`` (a data attribute), tags and newlines removed."""
    element = html.split(marker, 1)[1].split(">", 1)[1]
    element = element.split("</span>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", element)).strip()


@pytest.fixture
def paid_campaign(world, campaign):
    units = add_units(campaign, 4)
    payment_record(
        unit=units[0], amount=Decimal("1500.00"), paid_on=date.today(), channel="cash", recorded_by=world.alice
    )
    return campaign


def page(client, campaign, language):
    return client.get(reverse("funds:campaign", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_chinese_collection_summary_has_no_space_before_full_width_brackets(world, paid_campaign, as_user):
    html = page(as_user(world.carl), paid_campaign, "zh-hans")
    assert re.fullmatch(r"1 / 4（25\.0+%）", text_of(html, "data-households-paid"))
    # Collected ¥1,500.00 of the ¥163,000.00 gap.
    assert re.fullmatch(r"¥1,500\.00（占缺口的 0\.9\d*%）", text_of(html, "data-collected"))


def test_english_collection_summary_keeps_its_space_before_brackets(world, paid_campaign, as_user):
    html = page(as_user(world.carl), paid_campaign, "en")
    assert re.fullmatch(r"1 / 4 \(25\.0+%\)", text_of(html, "data-households-paid"))
    assert re.fullmatch(r"¥1,500\.00 \(0\.9\d*% of the gap\)", text_of(html, "data-collected"))
