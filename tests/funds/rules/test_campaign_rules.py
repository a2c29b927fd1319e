"""The campaign roles (the table in ``funds/selectors.py``), written out here and asked of the
real services (record a consent, a payment, change the campaign) and pages (see it, owners'
names in full, preview the unpublished notice) for every role, working-group members by side."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funds.models import ConsentStatus, WorkingGroupMember
from funds.services.campaigns import CAMPAIGN_FIELDS, campaign_update, working_group_member_add
from funds.services.consents import unit_record_consent
from funds.services.payments import payment_record
from tests import factories as f
from tests.funds.conftest import add_units, make_campaign
from tests.funds.rules.conftest import allowed

ROLES = [
    "staff",  # alice: street office staff of the building's street
    "other_staff",  # bob
    "committee",  # carl: residents' committee of the building's neighbourhood
    "other_committee",  # cindy
    "member_committee",  # working-group member on the committee's side
    "member_owners",  # on the owner representatives' side
    "member_property",  # on the property company's side (the collector)
    "member_elevator",  # on the elevator maintenance unit's side
    "leader",  # leo: leader of a building group in the building
    "representative",  # rita: representative of the neighbourhood
    "officer",  # otto
    "finance",  # fay: finance approver of the street (no campaign role)
    "nobody",
]
SEES = {
    "staff",
    "committee",
    "member_committee",
    "member_owners",
    "member_property",
    "member_elevator",
    "leader",
    "representative",
}
EXPECTED = {
    "see": SEES,
    "record_consent": SEES - {"representative"},
    "record_payment": {"staff", "committee", "member_property"},
    "manage": {"staff", "committee"},
    "owners_in_full": {"staff", "committee", "member_committee", "member_owners"},
    "preview_notice": {"staff", "committee"},
}


@pytest.fixture
def crew(world):
    campaign = make_campaign(world)
    unit = add_units(campaign, 1)[0]
    people = {
        "staff": world.alice,
        "other_staff": world.bob,
        "committee": world.carl,
        "other_committee": world.cindy,
        "leader": world.leo,
        "representative": world.rita,
        "officer": world.otto,
        "finance": world.fay,
        "nobody": world.nobody,
    }
    for role, side in [
        ("member_committee", WorkingGroupMember.Side.COMMITTEE),
        ("member_owners", WorkingGroupMember.Side.OWNERS),
        ("member_property", WorkingGroupMember.Side.PROPERTY),
        ("member_elevator", WorkingGroupMember.Side.ELEVATOR),
    ]:
        people[role] = f.UserFactory(username=role)
        working_group_member_add(campaign=campaign, actor=world.alice, name=role, side=side, user=people[role])
    assert set(people) == set(ROLES)
    return campaign, unit, people


def test_what_each_campaign_role_may_do(world, crew, client):
    campaign, unit, people = crew
    fields = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
    actions = {
        "record_consent": lambda user: unit_record_consent(unit=unit, status=ConsentStatus.AGREE, recorded_by=user),
        "record_payment": lambda user: payment_record(
            unit=unit, amount=Decimal("10.00"), paid_on=timezone.localdate(), channel="cash", recorded_by=user
        ),
        "manage": lambda user: campaign_update(campaign=campaign, actor=user, **{**fields, "purpose": "改"}),
    }
    actual = {
        name: {role for role in ROLES if allowed(lambda a=act, r=role: a(people[r]))} for name, act in actions.items()
    }

    actual["see"], actual["owners_in_full"], actual["preview_notice"] = set(), set(), set()
    for role in ROLES:
        client.force_login(people[role])
        page = client.get(reverse("funds:units", args=[campaign.pk]))
        assert page.status_code in (200, 404), role
        if page.status_code == 200:
            actual["see"].add(role)
            if unit.owner_name in page.content.decode():
                actual["owners_in_full"].add(role)
        if client.get(reverse("funds:notice", args=[campaign.pk])).status_code == 200:
            actual["preview_notice"].add(role)
    assert actual == EXPECTED
