"""The application workflow's rules around its steps: reasons, stale pages, the window and
consent, one live application, editing, versions, budgets and who is told.

Who may take which step in which state (every role × state × step) is the hand-written
table in ``tests/corridors/rules/test_application_rules.py``.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from common.refusals import Refused
from corridors.models import Application, ConventionVersion, Notification, ProgrammeYear, Role
from corridors.services.applications import (
    application_budget_item_add,
    application_create,
    application_return,
    application_submit,
    application_update,
    application_withdraw,
    themes_ensure_defaults,
)
from corridors.views.applications import STEP_SERVICES
from corridors.workflows.application import APPLICATION, EDITABLE_STATES, State, page_steps

PERSONA_FOR_ROLE = {Role.LEADER: "leo", Role.COMMITTEE: "carl", Role.STREET_STAFF: "alice"}


# --- Helpers shared by the application test modules -----------------------------------


def make_year(street, **overrides) -> ProgrammeYear:
    themes_ensure_defaults(street=street)
    today = timezone.localdate()
    values = {
        "window_opens": today - datetime.timedelta(days=30),
        "window_closes": today + datetime.timedelta(days=30),
        **overrides,
    }
    return ProgrammeYear.objects.create(street=street, year=today.year, **values)


def make_application(world, year, *, group=None, leader=None, state=State.DRAFT, agreed=None, title="百草园楼道"):
    group = group or world.g1
    leader = leader or world.leo
    application = application_create(
        actor=leader,
        group=group,
        programme_year=year,
        theme=year.street.themes.first(),
        title=title,
        plan="粉刷墙面，布置绿植。",
        convention="不堆放杂物。",
        households_agreed=group.households if agreed is None else agreed,
    )
    if state != State.DRAFT:
        # Test set-up only: put the record straight into the state under test.
        Application.objects.filter(pk=application.pk).update(state=state)
        application.refresh_from_db()
    return application


@pytest.fixture(autouse=True)
def english():
    """Refusals in English, so the tests can read them (the default language is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def year(world):
    return make_year(world.street)


# --- The table itself --------------------------------------------------------------------


def page_steps_everywhere():
    return {t for state in State for t in page_steps(state, set(PERSONA_FOR_ROLE))}


def test_the_table_is_the_issue_workflow():
    def step(name):
        a = APPLICATION[name]
        return set(a.sources), a.target, set(a.roles), a.reason_required

    assert step("submit") == ({State.DRAFT, State.RETURNED}, State.SUBMITTED, {Role.LEADER}, False)
    assert step("endorse") == ({State.SUBMITTED}, State.ENDORSED, {Role.COMMITTEE}, False)
    assert step("return_by_committee") == ({State.SUBMITTED}, State.RETURNED, {Role.COMMITTEE}, True)
    assert step("approve") == ({State.ENDORSED}, State.APPROVED, {Role.STREET_STAFF}, False)
    assert step("return_by_street") == ({State.ENDORSED}, State.RETURNED, {Role.STREET_STAFF}, True)
    assert step("reject") == ({State.ENDORSED}, State.REJECTED, {Role.STREET_STAFF}, True)
    assert step("withdraw")[0] == {State.DRAFT, State.SUBMITTED, State.ENDORSED, State.RETURNED}
    assert step("start_creation")[:3] == ({State.APPROVED}, State.IN_CREATION, {Role.LEADER})
    assert step("request_inspection")[:3] == ({State.IN_CREATION}, State.INSPECTION_REQUESTED, {Role.LEADER})
    # Nothing leaves the closed or final states.
    for state in (State.REJECTED, State.WITHDRAWN, State.INSPECTION_REQUESTED):
        assert page_steps(state, set(PERSONA_FOR_ROLE)) == []
    assert set(STEP_SERVICES) == {t.name for t in page_steps_everywhere()}


# --- Rules around the steps --------------------------------------------------------------


def test_a_reason_is_required_to_return_or_reject(world, year):
    application = make_application(world, year, state=State.ENDORSED)
    with pytest.raises(Refused, match="reason"):
        application_return(application=application, actor=world.alice, note="   ")
    with pytest.raises(Refused, match="reason"):
        STEP_SERVICES["reject"](application=application, actor=world.alice, note="")
    application.refresh_from_db()
    assert application.state == State.ENDORSED
    assert not application.transitions.exists()


def test_a_stale_page_changes_nothing(world, year):
    application = make_application(world, year, state=State.SUBMITTED)
    with pytest.raises(Refused, match="changed while you were looking"):
        STEP_SERVICES["endorse"](application=application, actor=world.carl, expected_state=State.DRAFT)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_submit_outside_the_window_is_refused_with_the_dates(world):
    today = timezone.localdate()
    year = make_year(
        world.street,
        window_opens=today + datetime.timedelta(days=1),
        window_closes=today + datetime.timedelta(days=20),
    )
    application = make_application(world, year)
    with pytest.raises(Refused) as refused:
        application_submit(application=application, actor=world.leo)
    assert year.window_opens.isoformat() in refused.value.reason
    application.refresh_from_db()
    assert application.state == State.DRAFT


@pytest.mark.parametrize(("households", "agreed", "ok"), [(12, 8, True), (12, 7, False), (3, 2, True), (10, 6, False),
                                                          (10, 7, True), (1, 1, True), (1, 0, False)])  # fmt: skip
def test_consent_minimum_is_exactly_two_thirds(world, year, households, agreed, ok):
    world.g1.households = households
    world.g1.save()
    application = make_application(world, year, agreed=agreed)
    if ok:
        application_submit(application=application, actor=world.leo)
    else:
        with pytest.raises(Refused, match=f"{agreed} of {households}"):
            application_submit(application=application, actor=world.leo)
        application.refresh_from_db()
        assert application.state == State.DRAFT
    assert year.consent_is_met(agreed, households) is ok


def test_households_needed_is_a_ceiling(world, year):
    assert [year.households_needed(n) for n in (1, 2, 3, 10, 12, 192)] == [1, 2, 2, 7, 8, 128]


def test_one_live_application_per_group_and_year(world, year):
    first = make_application(world, year)
    with pytest.raises(Refused, match="already has an application"):
        make_application(world, year)
    # The database is the last line: even a direct insert fails.
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            group=world.g1, programme_year=year, theme=first.theme, title="x", plan="x",
            households_agreed=1, households_total=12, created_by=world.leo,
        )  # fmt: skip
    application_withdraw(application=first, actor=world.leo)
    second = make_application(world, year, title="第二次")
    assert second.state == State.DRAFT


def test_only_the_groups_leader_creates_and_edits(world, year):
    with pytest.raises(Refused):
        make_application(world, year, group=world.g1, leader=world.lena)
    application = make_application(world, year)
    with pytest.raises(Refused):
        application_budget_item_add(
            application=application, actor=world.alice, item="油漆", quantity=Decimal(1), unit_price=Decimal(1)
        )


@pytest.mark.parametrize("state", list(State))
def test_editing_only_in_draft_or_returned(world, year, state):
    application = make_application(world, year, state=state)
    kwargs = {"theme": application.theme, "title": "新标题", "plan": "新计划", "convention": "新公约",
              "households_agreed": 9}  # fmt: skip
    if state in EDITABLE_STATES:
        application_update(application=application, actor=world.leo, **kwargs)
        application.refresh_from_db()
        assert application.title == "新标题"
    else:
        with pytest.raises(Refused):
            application_update(application=application, actor=world.leo, **kwargs)
        application.refresh_from_db()
        assert application.title == "百草园楼道"


def test_the_convention_keeps_its_versions(world, year):
    application = make_application(world, year)
    kwargs = {"theme": application.theme, "title": application.title, "plan": application.plan,
              "households_agreed": 10}  # fmt: skip
    application_update(application=application, actor=world.leo, convention="不堆放杂物。", **kwargs)
    assert ConventionVersion.objects.filter(application=application).count() == 1
    application_update(application=application, actor=world.leo, convention="不堆放杂物，轮流打扫。", **kwargs)
    versions = list(application.convention_versions.order_by("number"))
    assert [(v.number, v.text, v.author) for v in versions] == [
        (1, "不堆放杂物。", world.leo),
        (2, "不堆放杂物，轮流打扫。", world.leo),
    ]


def test_budget_totals_are_exact_decimals(world, year):
    application = make_application(world, year)
    for quantity, price in (("3", "0.10"), ("120", "18.50"), ("2.5", "33.33")):
        application_budget_item_add(
            application=application, actor=world.leo, item="项目", quantity=Decimal(quantity), unit_price=Decimal(price)
        )
    totals = [i.total for i in application.budget_items.order_by("pk")]
    assert totals == [Decimal("0.30"), Decimal("2220.00"), Decimal("83.33")]


def test_each_step_tells_the_next_actor_and_the_leader(world, year, mailoutbox, run_jobs_here):
    world.carl.email = "carl@example.org"
    world.carl.save()
    world.leo.email = "leo@example.org"
    world.leo.save()
    application = make_application(world, year)
    with run_jobs_here():
        application_submit(application=application, actor=world.leo)
    # The committee of n1 is told; the leader acted, so is not; cindy (n2) never.
    assert list(Notification.objects.values_list("recipient__username", "verb")) == [("carl", "submit")]
    assert [m.to for m in mailoutbox] == [["carl@example.org"]]
    assert application.get_absolute_url() in mailoutbox[0].body

    with run_jobs_here():
        STEP_SERVICES["endorse"](application=application, actor=world.carl)
    told = set(Notification.objects.filter(verb="endorse").values_list("recipient__username", flat=True))
    assert told == {"leo", "alice"}
    assert [m.to for m in mailoutbox[1:]] == [["leo@example.org"]]


def test_a_refused_step_sends_nothing(world, year, mailoutbox, run_jobs_here):
    application = make_application(world, year)
    with run_jobs_here(), pytest.raises(Refused):
        STEP_SERVICES["approve"](application=application, actor=world.alice)
    assert not Notification.objects.exists()
    assert mailoutbox == []
