"""The campaign roles (the table in ``funds/selectors.py``), written out here and asked of the
real services (record a consent, a payment, change the campaign) and pages (see it, owners'
names in full, reveal one for a purpose, preview the unpublished notice) for every role,
working-group members by side."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funds.models import ConsentStatus, WorkingGroupMember
from funds.services.campaigns import CAMPAIGN_FIELDS, campaign_update, working_group_member_add
from funds.services.consents import unit_record_consent
from funds.services.payments import payment_record
from funds.services.privacy import unit_owner_reveal
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
# The table in funds/selectors.py, written out by hand: Y allowed, . refused. "full" is the
# unit roll showing an owner's name or phone in full: nobody, whatever the role ("reveal"
# is revealing one unit's owner, for a stated purpose that is recorded).
TABLE = """
role               see  consent  payment  manage  full  reveal  preview
staff               Y      Y        Y       Y      .      Y       Y
other_staff         .      .        .       .      .      .       .
committee           Y      Y        Y       Y      .      Y       Y
other_committee     .      .        .       .      .      .       .
member_committee    Y      Y        .       .      .      Y       .
member_owners       Y      Y        .       .      .      Y       .
member_property     Y      Y        Y       .      .      .       .
member_elevator     Y      Y        .       .      .      .       .
leader              Y      Y        .       .      .      .       .
representative      Y      .        .       .      .      .       .
officer             .      .        .       .      .      .       .
finance             .      .        .       .      .      .       .
nobody              .      .        .       .      .      .       .
"""


def expected_table() -> dict[str, set[str]]:
    """Column → the roles marked Y."""
    header, *lines = TABLE.strip().splitlines()
    columns = header.split()[1:]
    rows = [line.split() for line in lines]
    assert [row[0] for row in rows] == ROLES
    return {column: {row[0] for row in rows if row[1 + i] == "Y"} for i, column in enumerate(columns)}


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
        "consent": lambda user: unit_record_consent(unit=unit, status=ConsentStatus.AGREE, recorded_by=user),
        "payment": lambda user: payment_record(
            unit=unit, amount=Decimal("10.00"), paid_on=timezone.localdate(), channel="cash", recorded_by=user
        ),
        "manage": lambda user: campaign_update(campaign=campaign, actor=user, **{**fields, "purpose": "改"}),
        "reveal": lambda user: unit_owner_reveal(unit=unit, actor=user, purpose="电话预约上门"),
    }
    actual = {
        name: {role for role in ROLES if allowed(lambda a=act, r=role: a(people[r]))} for name, act in actions.items()
    }

    actual["see"], actual["full"], actual["preview"] = set(), set(), set()
    for role in ROLES:
        client.force_login(people[role])
        page = client.get(reverse("funds:units", args=[campaign.pk]))
        assert page.status_code in (200, 404), role
        if page.status_code == 200:
            actual["see"].add(role)
            html = page.content.decode()
            if unit.owner_name in html or unit.owner_phone in html:
                actual["full"].add(role)
        if client.get(reverse("funds:notice", args=[campaign.pk])).status_code == 200:
            actual["preview"].add(role)
    assert actual == expected_table()
