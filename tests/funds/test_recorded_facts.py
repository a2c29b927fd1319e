"""Recorded facts are never changed by a default (issue 13, item 3): the consent form opens on
the unit's answer, an untouched or repeated submission changes nothing, changing a recorded
vote needs a confirmation and the reason; the inspections list shows the recorded checks;
the margin says who is still needed, with the rule's arithmetic beside it."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funds.decision import decide_campaign
from funds.models import ConsentRecord, ConsentStatus
from funds.services.consents import unit_record_consent
from funds.services.payments import payment_record
from tests.funds.conftest import add_units, make_campaign
from tests.funds.test_acceptance import award_for, ready_for_inspection, schedule


@pytest.fixture
def agreed_and_paid(world):
    campaign = make_campaign(world)
    unit = add_units(campaign, 1)[0]
    unit_record_consent(unit=unit, status=ConsentStatus.AGREE, recorded_by=world.alice)
    payment_record(unit=unit, amount=unit.due, paid_on=timezone.localdate(), channel="cash", recorded_by=world.alice)
    return unit


def form_values(html: str) -> dict:
    """The consent form's selected status and hidden current answer, read from the page."""
    import re

    form = html[html.index('action="' + "/funds/units/") :]
    selected = re.search(r'<select name="status"[^>]*>(.*?)</select>', form, re.S).group(1)
    chosen = re.search(r'<option value="([a-z]+)"[^>]*selected', selected).group(1)
    current = re.search(r'name="current" value="([a-z]*)"', form).group(1)
    return {"status": chosen, "current": current}


def test_the_consent_form_opens_on_the_recorded_answer_and_saving_it_untouched_changes_nothing(
    world, agreed_and_paid, client
):
    unit = agreed_and_paid
    client.force_login(world.alice)
    page = client.get(unit.get_absolute_url()).content.decode()
    values = form_values(page)
    assert values == {"status": "agree", "current": "agree"}  # not 待征询
    response = client.post(reverse("funds:unit_consent", args=[unit.pk]), {**values, "reason": "", "note": ""})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.consent_status == ConsentStatus.AGREE
    assert ConsentRecord.objects.filter(unit=unit).count() == 1
    assert decide_campaign(unit.campaign).tally.agree_heads == 1
    assert "已记录为“同意”，未作改动" in client.get(unit.get_absolute_url()).content.decode()


def test_sixteen_identical_submissions_write_one_history_row(world, client):
    campaign = make_campaign(world)
    unit = add_units(campaign, 1)[0]
    client.force_login(world.alice)
    url = reverse("funds:unit_consent", args=[unit.pk])
    post = {"status": "agree", "current": "pending", "reason": "", "note": "上门签字"}
    for _ in range(16):
        assert client.post(url, post).status_code == 302
    assert ConsentRecord.objects.filter(unit=unit).count() == 1


def test_changing_a_recorded_vote_asks_for_confirmation_and_a_reason(world, agreed_and_paid, client):
    unit = agreed_and_paid
    client.force_login(world.alice)
    url = reverse("funds:unit_consent", args=[unit.pk])
    refused = client.post(url, {"status": "refuse", "current": "agree"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "确认更改" in html and "更改原因" in html
    unit.refresh_from_db()
    assert unit.consent_status == ConsentStatus.AGREE and unit.consents.count() == 1
    # Confirmed without a reason: still refused.
    assert client.post(url, {"status": "refuse", "current": "agree", "confirm": "on"}).status_code == 400
    changed = client.post(
        url, {"status": "refuse", "current": "agree", "confirm": "on", "change_reason": "业主5月12日重新签字"}
    )
    assert changed.status_code == 302
    record = unit.consents.order_by("-pk").first()
    assert (record.previous_status, record.status, record.change_reason) == ("agree", "refuse", "业主5月12日重新签字")
    assert "业主5月12日重新签字" in client.get(unit.get_absolute_url()).content.decode()


def test_a_change_recorded_meanwhile_is_not_overwritten(world, client):
    campaign = make_campaign(world)
    unit = add_units(campaign, 1)[0]
    unit_record_consent(unit=unit, status=ConsentStatus.REFUSE, recorded_by=world.carl)
    client.force_login(world.alice)
    # Alice's page still showed 待征询 when she chose 同意.
    response = client.post(reverse("funds:unit_consent", args=[unit.pk]), {"status": "agree", "current": "pending"})
    assert response.status_code == 400
    assert "有人已记录" in response.content.decode()
    unit.refresh_from_db()
    assert unit.consent_status == ConsentStatus.REFUSE


def test_the_roll_list_cannot_flip_a_recorded_vote_in_one_tap(world, agreed_and_paid, client):
    unit = agreed_and_paid
    client.force_login(world.alice)
    roll = client.get(reverse("funds:units", args=[unit.campaign_id])).content.decode()
    assert 'name="current" value="agree"' in roll
    response = client.post(
        reverse("funds:unit_consent", args=[unit.pk]), {"status": "pending", "current": "agree", "next": "/"}
    )
    assert response.status_code == 400
    unit.refresh_from_db()
    assert unit.consent_status == ConsentStatus.AGREE


def test_the_inspections_list_shows_the_recorded_checks(world, client):
    award = award_for(world)
    failed_application = ready_for_inspection(world, group=world.g2, leader=world.lena, title="向阳楼道")
    schedule(world, failed_application)
    client.force_login(world.alice)
    html = client.get(reverse("funds:inspections")).content.decode()
    recorded = html[html.index('id="recorded-h"') :]
    assert award.application.title in recorded
    assert "尚无已记录的验收" not in recorded
    assert "向阳楼道" not in recorded  # scheduled, not recorded: listed above instead


def test_the_margin_for_nine_voted_six_agree_says_one_refuser_to_persuade(world, client):
    campaign = make_campaign(world)
    units = add_units(campaign, 9)
    for unit in units[:6]:
        unit_record_consent(unit=unit, status=ConsentStatus.AGREE, recorded_by=world.alice)
    for unit in units[6:]:
        unit_record_consent(unit=unit, status=ConsentStatus.REFUSE, recorded_by=world.alice)
    client.force_login(world.alice)
    html = client.get(reverse("funds:campaign", args=[campaign.pk])).content.decode()
    assert 'data-margin-owners="1"' in html and 'data-margin-persuade="1"' in html
    assert "data-margin-reach" not in html
    assert "说服 1 位已反对或弃权的业主" in html
    assert "还需要 3 位业主" not in html
    # The arithmetic beside it, under both rule sets: 6 agreeing owners against 3/4 × 9, at least 7.
    assert "6 ≥ 3/4 × 9" in html and "至少需要 7" in html
    assert 'data-rule="civil_code_278"' in html and 'data-rule="legacy_2_3"' in html


def test_a_pending_owner_is_proposed_before_one_abroad_on_the_page(world, client):
    campaign = make_campaign(world)
    units = add_units(campaign, 4)
    for unit in units[:2]:
        unit_record_consent(unit=unit, status=ConsentStatus.AGREE, recorded_by=world.alice)
    unit_record_consent(unit=units[2], status=ConsentStatus.UNREACHABLE, reason="abroad", recorded_by=world.alice)
    client.force_login(world.alice)
    html = client.get(reverse("funds:campaign", args=[campaign.pk])).content.decode()
    margin = html[html.index("data-margin>") : html.index("</ul>", html.index("data-margin>"))]
    assert units[3].label in margin and units[2].label not in margin
    assert "data-margin-unreachable" not in html
    assert Decimal(units[3].area_m2) == Decimal("100.00")
