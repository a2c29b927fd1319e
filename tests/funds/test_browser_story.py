"""The D座 story replayed in a real browser from an EMPTY campaign (issue 7, "Done when").

alice (street staff) opens the campaign through the form with the story's figures and
imports a 12-unit roll whose areas sum to the story's 20,062.00 m²; leo (leader of the
building group, masked names) goes door to door recording consents, following the units
the page tells him to visit, until the decision flips from fail to pass; alice records
payments until the campaign is funded and then until every household has paid:
¥300,930.00, the story's figure. Finally she publishes the notice for the public.
"""

from decimal import Decimal

import pytest

from funds.models import Campaign
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (unit, floor, area m²): 2 flats on each of 6 floors, 20,062.00 m² in all.
ROLL = [
    ("101", 1, "1500.00"),
    ("102", 1, "1520.50"),
    ("201", 2, "1600.00"),
    ("202", 2, "1650.25"),
    ("301", 3, "1680.00"),
    ("302", 3, "1700.75"),
    ("401", 4, "1690.00"),
    ("402", 4, "1710.50"),
    ("501", 5, "1720.00"),
    ("502", 5, "1735.25"),
    ("601", 6, "1760.00"),
    ("602", 6, "1794.75"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙"


def roll_file() -> bytes:
    lines = ["房号,楼层,面积,业主姓名,电话,业主编号"]
    for i, (label, floor, area) in enumerate(ROLL):
        lines.append(f"{label},{floor},{area},{SURNAMES[i]}先生,1390000{i:04d},D-{label}")
    return ("\n".join(lines) + "\n").encode()


def test_roll_adds_up_to_the_story():
    assert sum(Decimal(area) for _, _, area in ROLL) == Decimal("20062.00")
    assert sum(Decimal(area) for _, _, area in ROLL) * 15 == Decimal("300930.00")


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    browser_login(page, live_server, username)


def test_the_story_from_an_empty_campaign(world, live_server, page):
    browser_login(page, live_server, "alice")

    # 1. alice opens the campaign through the form.
    page.goto(f"{live_server.url}/funds/new/")
    page.select_option("#id_building", str(world.g1.building.pk))
    page.fill("#id_purpose", "更换3台电梯")
    page.fill("#id_works_cost", "895000")
    page.fill("#id_fund_balance", "856000")
    page.fill("#id_initial_fund", "413333.33")
    page.fill("#id_reserve_share", "0.30")
    page.fill("#id_rate_per_m2", "15")
    page.fill("#id_collector", "和平花园物业")
    page.fill("#id_supervisor", "和平花园业委会")
    page.locator("form[data-once] button[type=submit]").click()
    page.wait_for_url("**/import/")
    campaign = Campaign.objects.get()
    assert campaign.gap == Decimal("163000.00") and campaign.reserve == Decimal("124000.00")
    base = f"{live_server.url}/funds/{campaign.pk}"

    # 2. ...and imports the roll (Chinese headers).
    page.set_input_files("input[type=file]", {"name": "D座.csv", "mimeType": "text/csv", "buffer": roll_file()})
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url(f"{base}/units/")
    assert page.locator("tr[data-unit]").count() == 12
    assert page.locator("[data-decision=fail]").is_visible()

    # 3. leo, the building group's leader, visits doors and records what he hears.
    switch_user(page, live_server, "leo")
    page.goto(f"{base}/units/")
    assert "王先生" not in page.content() and "王*" in page.content()  # he sees owners masked

    def record(label, status):
        row = page.locator(f'tr[data-unit="{label}"]')
        row.locator("select").select_option(status)
        row.locator("button[type=submit]").click()
        page.wait_for_url(f"{base}/units/")

    # The first refusal with its reason, through the unit's own page.
    page.locator('tr[data-unit="101"] a').click()
    page.select_option("#id_status", "refuse")
    page.select_option("#id_reason", "low_floor")
    page.fill("#id_note", "一楼不用电梯")
    page.locator("form[action$='/consent/'] button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{base}/units/")
    record("102", "refuse")
    for label in ("602", "601", "502", "501", "402"):
        record(label, "agree")
        assert page.locator("[data-decision=fail]").is_visible()
    # Just before the flip the page says exactly what is missing and whom to visit.
    margin = page.locator("[data-decision=fail]").inner_text()
    assert "再有 1 位业主同意即可通过" in margin, margin
    closing = page.locator("[data-margin-reach]").inner_text()
    assert "上门征询 1 位尚未表态的业主" in closing and "302" in closing and "1,700.75" in closing
    record("302", "agree")
    assert page.locator("[data-decision=pass]").is_visible()
    page.goto(f"{base}/")
    assert page.locator("[data-decision=pass]").is_visible()
    assert page.locator("[data-use-decision=pass]").is_visible()  # the second result: using the fund

    # 4. alice records the payments, floor by floor, until the page says funded.
    switch_user(page, live_server, "alice")
    units = {u.label: u for u in campaign.units.all()}

    def pay(label):
        unit = units[label]
        page.goto(f"{live_server.url}/funds/units/{unit.pk}/")
        page.fill("#payment_amount", str(unit.area_m2 * 15))
        page.locator("form[action$='/payments/'] button[type=submit]").click()
        page.wait_for_load_state()
        page.goto(f"{base}/collection/")

    for label in ("101", "102", "201", "202", "301", "302"):
        pay(label)
        assert page.locator("[data-funded=no]").is_visible()
    assert "尚差 ¥18,227.50" in page.locator("[data-funded=no]").inner_text()
    pay("401")
    funded = page.locator("[data-funded=yes]").inner_text()
    assert "已收 ¥170,122.50" in funded and "¥163,000.00" in funded, funded
    for label in ("402", "501", "502", "601", "602"):
        pay(label)
    assert "¥300,930.00" in page.locator("[data-funded=yes]").inner_text()
    assert "12 / 12" in page.locator("section[aria-labelledby=collection-title]").inner_text()

    # 5. The notice is a preview until alice publishes it; then anyone can read it.
    page.goto(f"{base}/")
    page.locator("form[action$='/notice/publish/'] button[type=submit]").click()
    page.wait_for_load_state()
    page.context.clear_cookies()
    page.goto(f"{base}/notice/")
    assert "¥300,930.00" in page.content() and "¥163,000.00" in page.content()
    assert "王先生" not in page.content() and "data-notice-preview" not in page.content()
