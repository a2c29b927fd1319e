"""The unit roll on a phone: the roll comes first, with the decision in one line and a link to
it in full below the roll (it used to push the roll a few screens down)."""

from django.urls import reverse

from funds.models import ConsentStatus
from funds.services.consents import unit_record_consent
from tests.funds.conftest import add_units


def roll(client, campaign) -> str:
    return client.get(reverse("funds:units", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_the_roll_comes_before_the_full_decision_with_a_one_line_summary_on_top(world, campaign, as_user):
    units = add_units(campaign, 4)
    unit_record_consent(unit=units[0], status=ConsentStatus.AGREE, recorded_by=world.alice)
    html = roll(as_user(world.carl), campaign)
    summary = html.index('data-decision-summary="fail"')
    first_unit = html.index('data-unit="101"')
    full_decision = html.index('id="decision"')
    assert summary < first_unit < full_decision
    line = html[summary : html.index("</p>", summary)]
    assert "尚未通过" in line and 'href="#decision"' in line
    assert "还需" in line  # how many more owners must agree


def test_a_passed_decision_reads_passes_in_the_summary_for_those_who_only_read_the_roll(world, campaign, as_user):
    units = add_units(campaign, 4)
    for unit in units[:3]:
        unit_record_consent(unit=unit, status=ConsentStatus.AGREE, recorded_by=world.alice)
    html = roll(as_user(world.rita), campaign)  # the owners' representative reads the roll, records nothing
    summary = html.index('data-decision-summary="pass"')
    assert summary < html.index('data-unit="101"') < html.index('id="decision"')
    line = html[summary : html.index("</p>", summary)]
    assert "通过" in line and "尚未通过" not in line and 'href="#decision"' in line
