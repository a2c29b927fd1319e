"""How the campaign pages read on a phone in Chinese (and in English): brackets, grouping of
areas and the precision of percentages, as a resident committee member sees them."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from funds.models import ConsentStatus
from funds.services.consents import unit_record_consent
from funds.services.notice import notice_publish
from funds.services.payments import payment_record
from funds.templatetags.funds_format import area, count
from tests.funds.conftest import add_units, import_roll, roll_csv


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


@pytest.fixture
def big_units_campaign(campaign):
    import_roll(
        campaign,
        data=roll_csv(
            [
                ("101", 1, "20062.00", "欧阳一", "13812340001", "K1"),
                ("102", 1, "1500.50", "欧阳二", "13812340002", "K2"),
            ]
        ),
    )
    return campaign


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_areas_are_grouped_by_thousands_like_money(world, big_units_campaign, as_user, language):
    client = as_user(world.carl)
    html = page(client, big_units_campaign, language)
    # The decision's area condition: 0 of 21,562.50 m² agree so far.
    assert "21,562.50 m²" in html and "21562.50" not in html
    roll = client.get(reverse("funds:units", args=[big_units_campaign.pk]), HTTP_ACCEPT_LANGUAGE=language)
    roll_html = roll.content.decode()
    assert "20,062.00" in roll_html and "1,500.50" in roll_html
    assert "20062.00" not in roll_html
    unit = big_units_campaign.units.get(label="101")
    detail = client.get(reverse("funds:unit", args=[unit.pk]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "20,062.00 m²" in detail


def test_area_filter_groups_and_rounds_to_the_fen():
    assert area(Decimal("1234567.5")) == "1,234,567.50"
    assert area(Decimal("99.995")) == "100.00"
    assert area(None) == "" and area("not an area") == ""


def test_percentages_on_the_campaign_page_all_have_two_decimals_rounded_down(world, campaign, as_user):
    units = add_units(campaign, 3)
    for unit in units[:2]:
        payment_record(
            unit=unit, amount=Decimal("1500.00"), paid_on=date.today(), channel="cash", recorded_by=world.alice
        )
    unit_record_consent(unit=units[0], status=ConsentStatus.AGREE, recorded_by=world.alice)
    html = page(as_user(world.carl), campaign, "zh-hans")
    # 2 of 3 households paid: 66.66%, as the decision shows 2/3 − ε (never rounded up to 66.67%).
    assert text_of(html, "data-households-paid") == "2 / 3（66.66%）"
    shown = re.findall(r"(\d+(?:\.\d+)?)%", re.sub(r"<[^>]+>", " ", html))
    assert shown and all(re.fullmatch(r"\d+\.\d\d", p) for p in shown), shown
    assert "33.33" in shown  # 1 of 3 owners agree, in the decision table


def test_the_public_notice_shows_shares_to_two_decimals(world, campaign, client):
    units = add_units(campaign, 4)
    unit_record_consent(unit=units[0], status=ConsentStatus.AGREE, recorded_by=world.alice)
    notice_publish(campaign=campaign, actor=world.carl)
    html = client.get(reverse("funds:notice", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    shown = re.findall(r"(\d+(?:\.\d+)?)%", re.sub(r"<[^>]+>", " ", html))
    assert "25.00" in shown and all(re.fullmatch(r"\d+\.\d\d", p) for p in shown), shown


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "1 层 101（100.00 m²）"), ("en", "floor 1 101 (100.00 m²)")],
)
def test_the_door_to_door_list_has_no_space_before_a_full_width_bracket(world, campaign, as_user, language, expected):
    add_units(campaign, 3)
    html = as_user(world.carl).get(reverse("funds:units", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE=language)
    margin = re.sub(r"\s+", " ", html.content.decode().split("data-margin", 1)[1].split("</ul>", 1)[0])
    assert expected in margin
    assert "101 （" not in margin and "101（" not in margin.replace(expected, "")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_owner_counts_are_grouped_by_thousands_like_the_other_figures(world, campaign, as_user, language):
    rows = [(f"{1 + i // 40}-{i % 40 + 1}", 1 + i // 40, "50.00", f"业主{i}", "", f"K{i}") for i in range(1001)]
    import_roll(campaign, data=roll_csv(rows))
    html = page(as_user(world.carl), campaign, language)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    # Owners in the decision table and its arithmetic, units pending, households paid.
    assert "1001" not in text
    assert text.count("1,001") >= 4 and "2/3 × 1,001" in text
    assert re.fullmatch(r"0 / 1,001 ?[（(]0\.00%[）)]", text_of(html, "data-households-paid"))


def test_count_filter_groups_whole_numbers():
    assert count(1234567) == "1,234,567" and count(Decimal("1001")) == "1,001" and count(12) == "12"
    assert count(Decimal("667.34")) == "667.34" and count(None) == ""
