"""A year of a street's programme for the dashboards, on top of the shared personas.

Our street (四平路, alice's): two awards (g1 paid its culture fund, g2's approved), an
application submitted and returned with its history spread over days, requests of two
categories and departments (resolved after 3 and 20 days, one overdue, one confirmed, one
reopened), a campaign with a roll. The other street (控江路, bob's) has an application and a
request of its own, which alice must never count.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from consultations.models import Category, ConsultationRequest, RequestEvent
from consultations.services.categories import category_ensure_defaults
from corridors.models import Application, ApplicationTransition, Role
from corridors.services.people import role_assign
from corridors.workflows.application import State
from funds.models import PayoutKind, Unit
from funds.services.payouts import payout_approve, payout_mark_paid, payout_propose
from funds.services.tallies import campaign_tally_recompute
from tests import factories as f
from tests.corridors.test_application_workflow import make_application
from tests.funds.conftest import add_units, make_campaign
from tests.funds.test_acceptance import award_for, programme_year, ready_for_inspection

DAY = datetime.timedelta(days=1)


def add_request(world, *, street_side="ours", category, department, days_ago, state="submitted", **values):
    """A request filed ``days_ago`` days ago (test set-up straight into the table)."""
    if street_side == "ours":
        neighbourhood, compound, rep = world.n1, world.g1.building.compound, world.rita
    else:
        neighbourhood, compound, rep = world.n_other, world.g_other.building.compound, world.bob
    now = timezone.now()
    return ConsultationRequest.objects.create(
        representative=rep,
        neighbourhood=neighbourhood,
        compound=compound,
        category=category,
        title="电梯经常停运",
        text="电梯经常停运，老人上下楼困难。",
        department=department,
        channel="year_round",
        state=state,
        registered_by=rep,
        created_at=now - days_ago * DAY,
        **values,
    )


def backdate(transition, when):
    ApplicationTransition.objects.filter(pk=transition.pk).update(created_at=when)


@pytest.fixture
def year_world(world):
    today = timezone.localdate()
    now = timezone.now()
    year = programme_year(world.street)

    # Two awards: g1's culture fund paid, g2's approved.
    award1 = award_for(world)
    award2 = award_for(world, ready_for_inspection(world, group=world.g2, leader=world.lena, title="二号楼道"))
    paid = payout_propose(award=award1, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    payout_approve(payout=paid, actor=world.fay)
    payout_mark_paid(payout=paid, actor=world.fay, paid_on=today, reference="BANK-1")
    approved = payout_propose(award=award2, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    payout_approve(payout=approved, actor=world.fay)

    # An application with a history spread over days: created 10 days ago, submitted after 4,
    # returned after 2 more, submitted again after 1 (times written straight for the test).
    g3 = f.BuildingGroupFactory(building__compound__neighbourhood=world.n2, name="3号门")
    role_assign(user=world.leo, role=Role.LEADER, street=world.street, building_group=g3)
    world.leo.__dict__.pop("_corridor_scope", None)  # the scope is cached on the user object
    spread = make_application(world, year, group=g3, leader=world.leo, title="三号楼道")
    Application.objects.filter(pk=spread.pk).update(created_at=now - 10 * DAY, state=State.SUBMITTED)
    steps = [("draft", "submitted", 6), ("submitted", "returned", 4), ("returned", "submitted", 3)]
    for from_state, to_state, days_ago in steps:
        t = ApplicationTransition.objects.create(
            application=spread, actor=world.leo, action="submit", from_state=from_state, to_state=to_state
        )
        backdate(t, now - days_ago * DAY)

    # The other street's application (bob's street): never in alice's figures.
    other_year = programme_year(world.other_street)
    other_leader = f.UserFactory(username="oleg")
    role_assign(user=other_leader, role=Role.LEADER, street=world.other_street, building_group=world.g_other)
    make_application(world, other_year, group=world.g_other, leader=other_leader, title="控江楼道")

    # Requests.
    category_ensure_defaults(street=world.street)
    category_ensure_defaults(street=world.other_street)
    elevator = Category.objects.get(street=world.street, name="电梯")
    garbage = Category.objects.get(street=world.street, name="垃圾分类")
    greening = f.DepartmentFactory(street=world.street, name="绿化市容所")
    quick = add_request(
        world,
        category=elevator,
        department=world.housing,
        days_ago=5,
        state="confirmed",
        resolved_at=now - 2 * DAY,
        due_date=today,
    )
    slow = add_request(
        world,
        category=elevator,
        department=greening,
        days_ago=25,
        state="reopened",
        resolved_at=now - 5 * DAY,
        due_date=today - 2 * DAY,
    )
    add_request(world, category=garbage, department=world.housing, days_ago=1)
    RequestEvent.objects.create(
        request=quick, actor=world.rita, action="confirm", from_state="resolved", to_state="confirmed"
    )
    RequestEvent.objects.create(
        request=slow, actor=world.rita, action="reopen", from_state="resolved", to_state="reopened"
    )
    other_department = f.DepartmentFactory(street=world.other_street, name="控江房办")
    add_request(
        world,
        street_side="other",
        category=Category.objects.get(street=world.other_street, name="电梯"),
        department=other_department,
        days_ago=3,
    )

    # A campaign on g1's building: 8 units of 100 m², 5 agree, 2 paid in full (¥1,500 each).
    campaign = make_campaign(world)
    units = add_units(campaign, 8)
    Unit.objects.filter(pk__in=[u.pk for u in units[:5]]).update(consent_status="agree")
    Unit.objects.filter(pk__in=[u.pk for u in units[:2]]).update(paid_total=Decimal("1500.00"))
    campaign_tally_recompute(campaign=campaign)  # the stored totals, as check_campaign_totals --fix stores them

    return SimpleNamespace(w=world, year=year, award1=award1, award2=award2, greening=greening, campaign=campaign)
