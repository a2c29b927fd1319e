"""Door-to-door mode (issue 14): the next pending unit, four big answers recorded through the
consent service, the running margin, and an answer kept to retry when the network fails."""

import os
import re

import pytest
from playwright.sync_api import expect

from funds.models import ConsentStatus
from tests.conftest import browser_login
from tests.funds.conftest import add_units, make_campaign


@pytest.mark.django_db
def test_the_page_offers_the_next_pending_unit_and_records_through_the_service(world, as_user, campaign):
    units = add_units(campaign, 6)
    client = as_user(world.carl)
    page = client.get(f"/funds/{campaign.pk}/door/").content.decode()
    assert f'data-door-unit="{units[0].label}"' in page
    assert "13812340000" not in page  # the number is masked until revealed on purpose
    response = client.post(f"/funds/units/{units[0].pk}/door/", {"status": "agree", "current": "pending"})
    assert response.status_code == 302
    units[0].refresh_from_db()
    assert units[0].consent_status == ConsentStatus.AGREE
    assert units[0].consents.get().recorded_by == world.carl
    page = client.get(response["Location"]).content.decode()
    assert f'data-door-unit="{units[1].label}"' in page
    # Skipping shows the unit after it.
    page = client.get(f"/funds/{campaign.pk}/door/?after={units[1].pk}").content.decode()
    assert f'data-door-unit="{units[2].label}"' in page


@pytest.mark.django_db
def test_an_answer_recorded_meanwhile_is_not_overwritten(world, as_user, campaign):
    units = add_units(campaign, 2)
    client = as_user(world.carl)
    client.post(f"/funds/units/{units[0].pk}/door/", {"status": "refuse", "current": "pending"})
    response = client.post(
        f"/funds/units/{units[0].pk}/door/", {"status": "agree", "current": "pending"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "data-door-error" in response.content.decode()
    units[0].refresh_from_db()
    assert units[0].consent_status == ConsentStatus.REFUSE


@pytest.mark.django_db
def test_only_those_who_record_consent_may_use_it(world, as_user, campaign):
    units = add_units(campaign, 1)
    assert as_user(world.rita).get(f"/funds/{campaign.pk}/door/").status_code == 403
    assert as_user(world.rita).post(f"/funds/units/{units[0].pk}/door/", {"status": "agree"}).status_code == 403
    units[0].refresh_from_db()
    assert units[0].consent_status == ConsentStatus.PENDING


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_volunteer_records_four_answers_on_a_phone(world, live_server, phone):
    campaign = make_campaign(world)
    units = add_units(campaign, 8)
    browser_login(phone, live_server, "carl")
    phone.goto(f"{live_server.url}/funds/{campaign.pk}/units/")
    phone.get_by_role("link", name="上门征询").click()
    panel = phone.locator("[data-door-panel]")
    expect(panel.locator("[data-door-unit]")).to_have_attribute("data-door-unit", units[0].label)
    margin_before = panel.locator("[data-door-counts]").inner_text()
    for unit, answer in zip(units, ["同意", "反对", "弃权", "联系不上"], strict=False):
        expect(panel.locator("[data-door-unit]")).to_have_attribute("data-door-unit", unit.label)
        panel.get_by_role("button", name=answer, exact=True).click()
        expect(panel.locator("[data-door-done]")).to_contain_text(f"{unit.label}")
        expect(panel.locator("[data-door-done]")).to_contain_text(answer)
    assert panel.locator("[data-door-counts]").inner_text() != margin_before
    expect(panel.locator("[data-door-counts]")).to_contain_text("同意 1")
    assert [u.consent_status for u in campaign.units.order_by("floor", "label")][:4] == [
        ConsentStatus.AGREE,
        ConsentStatus.REFUSE,
        ConsentStatus.ABSTAIN,
        ConsentStatus.UNREACHABLE,
    ]
    # The signal drops: the save fails, says so, and the answer is kept to retry.
    fifth = units[4]
    phone.route(re.compile(r"/funds/units/\d+/door/$"), lambda route: route.abort())
    panel.get_by_role("button", name="同意", exact=True).click()
    failed = phone.locator("[data-door-failed]")
    expect(failed).to_be_visible()
    expect(failed).to_contain_text("同意")
    if shots := os.environ.get("SCREENSHOTS_DIR"):
        phone.screenshot(path=os.path.join(shots, "door-failed.png"), full_page=True)
    fifth.refresh_from_db()
    assert fifth.consent_status == ConsentStatus.PENDING
    phone.unroute(re.compile(r"/funds/units/\d+/door/$"))
    failed.get_by_role("button", name="重试").click()
    expect(phone.locator("[data-door-done]")).to_contain_text(fifth.label)
    fifth.refresh_from_db()
    assert fifth.consent_status == ConsentStatus.AGREE
    # Big buttons on the phone, nothing sideways.
    box = phone.get_by_role("button", name="同意", exact=True).bounding_box()
    assert box["height"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
