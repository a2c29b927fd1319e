"""Acceptance checks and awards: the pass rule at its boundaries, rectification and
re-inspection, who may record, the award's certificate number, suspension and revocation,
and the pages (record, printable record, certificate).

The helpers at the top are shared by the payout and ledger test modules.
"""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from common.refusals import Refused
from corridors.models import Application, ProgrammeYear, Role
from corridors.services.applications import application_budget_item_add, themes_ensure_defaults
from corridors.services.people import role_assign
from corridors.workflows.application import State
from funds.models import AcceptanceCheck, Award, Criterion, judge
from funds.services.awards import award_revoke, award_suspend
from funds.services.checks import check_record_scores, check_schedule, reinspection_request
from tests import factories as f
from tests.corridors.test_application_workflow import make_application

# --- Shared helpers ----------------------------------------------------------------------


def programme_year(street, **overrides) -> ProgrammeYear:
    """This year's programme of the street (made once): budget ¥100,000, cap ¥800."""
    themes_ensure_defaults(street=street)
    today = timezone.localdate()
    values = {
        "window_opens": today - datetime.timedelta(days=30),
        "window_closes": today + datetime.timedelta(days=30),
        "annual_budget": Decimal("100000.00"),
        "renovation_cap": Decimal("800.00"),
        **overrides,
    }
    year, created = ProgrammeYear.objects.get_or_create(street=street, year=today.year, defaults=values)
    if not created and overrides:
        ProgrammeYear.objects.filter(pk=year.pk).update(**overrides)
        year.refresh_from_db()
    return year


def ready_for_inspection(world, *, group=None, leader=None, title="百草园楼道", **year_overrides) -> Application:
    """An application with a ¥1,000.00 budget (2 × ¥500) whose leader asked for the check."""
    year = programme_year(world.street, **year_overrides)
    group, leader = group or world.g1, leader or world.leo
    application = make_application(world, year, group=group, leader=leader, title=title)
    application_budget_item_add(
        application=application, actor=leader, item="内墙油漆", quantity=Decimal("2"), unit_price=Decimal("500.00")
    )
    # Test set-up only: the earlier steps are tested in tests/corridors.
    Application.objects.filter(pk=application.pk).update(state=State.INSPECTION_REQUESTED)
    application.refresh_from_db()
    return application


def scores(*values) -> dict:
    """``scores(16)`` gives 16 on every criterion; five values give one each, in order."""
    values = values * 5 if len(values) == 1 else values
    return dict(zip(Criterion.values, values, strict=True))


def schedule(world, application, actor=None) -> AcceptanceCheck:
    return check_schedule(
        application=application,
        actor=actor or world.alice,
        scheduled_for=timezone.localdate(),
        inspectors=[world.alice, world.carl],
    )


def award_for(world, application=None, **year_overrides) -> Award:
    """Schedule and pass the check of a (new) application; return its award."""
    application = application or ready_for_inspection(world, **year_overrides)
    check = schedule(world, application)
    check_record_scores(check=check, actor=world.alice, scores=scores(18), remarks="整洁明亮")
    return Award.objects.get(application=application)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def application(world):
    return ready_for_inspection(world)


# --- The pass rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "passed"),
    [
        ((16, 16, 16, 16, 16), True),  # total 80: the lowest pass
        ((16, 16, 16, 16, 15), False),  # total 79
        ((20, 20, 20, 20, 12), True),  # one criterion at 12: still a pass
        ((20, 20, 20, 20, 11), False),  # one criterion at 11, total 91: fails
        ((20, 20, 20, 20, 20), True),
        ((0, 20, 20, 20, 20), False),
    ],
)
def test_pass_rule_boundaries(world, application, values, passed):
    check = schedule(world, application)
    items = "" if passed else "楼道杂物清理"
    check_record_scores(check=check, actor=world.alice, scores=scores(*values), rectification_items=items)
    check.refresh_from_db()
    application.refresh_from_db()
    assert check.outcome == (AcceptanceCheck.Outcome.PASSED if passed else AcceptanceCheck.Outcome.FAILED)
    assert application.state == (State.AWARDED if passed else State.RECTIFYING)
    assert Award.objects.filter(application=application).exists() is passed


def test_the_verdict_explains_itself():
    verdict = judge(scores(20, 20, 20, 20, 11), total_min=80, each_min=12)
    assert not verdict.passed and verdict.total == 91 and verdict.total_ok
    assert verdict.low == ("Harmonious",)
    verdict = judge(scores(16, 16, 16, 16, 15), total_min=80, each_min=12)
    assert not verdict.passed and not verdict.total_ok and verdict.low == ()


def test_the_rule_is_the_programme_years_and_is_kept_by_the_check(world):
    application = ready_for_inspection(world, pass_total_min=90, pass_each_min=15)
    check = schedule(world, application)
    # A later change of the year's rule does not change a check already scheduled.
    ProgrammeYear.objects.filter(pk=application.programme_year_id).update(pass_total_min=80, pass_each_min=12)
    check_record_scores(check=check, actor=world.alice, scores=scores(17), rectification_items="再整理")
    check.refresh_from_db()
    assert (check.pass_total_min, check.pass_each_min) == (90, 15)
    assert check.outcome == AcceptanceCheck.Outcome.FAILED


def test_scores_are_held_to_the_maximum_by_the_service_and_the_database(world, application):
    check = schedule(world, application)
    with pytest.raises(ValidationError):
        check_record_scores(check=check, actor=world.alice, scores=scores(21, 20, 20, 20, 20))
    check.refresh_from_db()
    assert check.is_open
    with pytest.raises(IntegrityError), transaction.atomic():
        AcceptanceCheck.objects.filter(pk=check.pk).update(
            outcome="passed", **dict.fromkeys(("score_tidy", "score_orderly", "score_civilised"), 21),
            score_warm=20, score_harmonious=20,
        )  # fmt: skip


# --- Failing, rectifying, re-inspecting --------------------------------------------------


def test_a_failed_check_opens_rectification_and_a_new_inspection(world, application):
    check = schedule(world, application)
    with pytest.raises(ValidationError, match="list what must be fixed"):
        check_record_scores(check=check, actor=world.alice, scores=scores(10))
    check_record_scores(check=check, actor=world.alice, scores=scores(10), rectification_items="清理杂物\n修好灯")
    application.refresh_from_db()
    assert application.state == State.RECTIFYING
    assert check.__class__.objects.get(pk=check.pk).rectification_list == ["清理杂物", "修好灯"]
    assert application.transitions.last().note == "清理杂物\n修好灯"

    # Nothing can be scheduled while rectifying; only the leader asks again.
    with pytest.raises(Refused):
        schedule(world, application)
    with pytest.raises(Refused):
        reinspection_request(application=application, actor=world.alice)
    reinspection_request(application=application, actor=world.leo, note="已整改")
    application.refresh_from_db()
    assert application.state == State.INSPECTION_REQUESTED

    second = schedule(world, application)
    assert second.round == 2
    check_record_scores(check=second, actor=world.alice, scores=scores(16))
    application.refresh_from_db()
    assert application.state == State.AWARDED
    assert Award.objects.get(application=application).check_record == second


def test_a_check_is_recorded_once(world, application):
    check = schedule(world, application)
    with pytest.raises(Refused, match="already scheduled"):
        schedule(world, application)
    check_record_scores(check=check, actor=world.alice, scores=scores(18))
    with pytest.raises(Refused, match="already recorded"):
        check_record_scores(check=check, actor=world.alice, scores=scores(10), rectification_items="x")
    assert Award.objects.count() == 1


def test_another_database_refusal_is_not_called_already_scheduled(world, application):
    # A rule the year's form would refuse, written behind its back: the check cannot hold it.
    ProgrammeYear.objects.filter(pk=application.programme_year_id).update(pass_total_min=101)
    with pytest.raises(Refused) as refused:
        schedule(world, application)
    assert "already scheduled" not in refused.value.reason
    assert "check_rule_consistent" in refused.value.reason and "nothing was saved" in refused.value.reason
    assert not AcceptanceCheck.objects.filter(application=application).exists()


@pytest.mark.parametrize("persona", ["bob", "leo", "carl", "fay", "nobody"])
def test_only_the_streets_staff_schedule_and_record(world, application, persona):
    with pytest.raises(Refused):
        schedule(world, application, actor=getattr(world, persona))
    check = schedule(world, application)
    with pytest.raises(Refused):
        check_record_scores(check=check, actor=getattr(world, persona), scores=scores(18))
    check.refresh_from_db()
    assert check.is_open


# --- Awards ------------------------------------------------------------------------------


def test_certificate_numbers_are_unique_per_street_and_year(world):
    first = award_for(world)
    second = award_for(world, ready_for_inspection(world, group=world.g2, leader=world.lena, title="二号"))
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.certificate_number != second.certificate_number
    assert first.culture_fund_amount == Decimal("2000.00")
    assert first.renovation_limit == Decimal("800.00")  # min(budget 1,000, cap 800)
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.filter(pk=second.pk).update(certificate_number=first.certificate_number)


def test_suspend_and_revoke_need_a_reason_and_staff(world):
    award = award_for(world)
    with pytest.raises(Refused, match="reason"):
        award_suspend(award=award, actor=world.alice, reason=" ")
    with pytest.raises(Refused):
        award_suspend(award=award, actor=world.leo, reason="楼道堆物")
    award = award_suspend(award=award, actor=world.alice, reason="楼道堆物")
    assert award.state == Award.State.SUSPENDED and award.transitions.last().note == "楼道堆物"
    award = award_revoke(award=award, actor=world.alice, reason="复查不合格")
    assert award.state == Award.State.REVOKED
    with pytest.raises(Refused):
        award_suspend(award=award, actor=world.alice, reason="again")


# --- Pages -------------------------------------------------------------------------------


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_staff_schedule_and_record_through_the_pages(world, application, en_client):
    en_client.force_login(world.alice)
    listing = en_client.get(reverse("funds:inspections"))
    assert application.title in listing.content.decode()
    response = en_client.post(
        reverse("funds:check_schedule", args=[application.pk]),
        {"scheduled_for": timezone.localdate().isoformat(), "inspectors": [world.alice.pk]},
    )
    check = AcceptanceCheck.objects.get(application=application)
    assert response.url == check.get_absolute_url()
    page = en_client.get(check.get_absolute_url())
    assert "Pass rule: each criterion 0–20; a total of at least 80 and no criterion below 12." in page.content.decode()
    data = {"score_" + c: 16 for c in Criterion.values} | {"score_harmonious": 11, "rectification_items": "补灯"}
    response = en_client.post(check.get_absolute_url(), data, follow=True)
    body = response.content.decode()
    assert "Not passed." in body and "Below the minimum: Harmonious" in body
    application.refresh_from_db()
    assert application.state == State.RECTIFYING
    # The application's history names the step.
    detail = en_client.get(application.get_absolute_url()).content.decode()
    assert "Fail the acceptance check" in detail


def test_the_leader_sees_the_check_and_asks_again_but_cannot_record(world, application, en_client):
    check = schedule(world, application)
    en_client.force_login(world.leo)
    assert en_client.get(check.get_absolute_url()).status_code == 200
    assert en_client.post(check.get_absolute_url(), {"score_tidy": 20}).status_code == 403
    check_record_scores(check=check, actor=world.alice, scores=scores(5), rectification_items="清理")
    page = en_client.get(check.get_absolute_url()).content.decode()
    assert "data-reinspection" in page
    en_client.post(reverse("funds:reinspection", args=[check.pk]), {"state": State.RECTIFYING, "reason": "好了"})
    application.refresh_from_db()
    assert application.state == State.INSPECTION_REQUESTED


@pytest.mark.parametrize("persona", ["bob", "lena", "cindy"])
def test_outsiders_do_not_find_the_check(world, application, en_client, persona):
    check = schedule(world, application)
    en_client.force_login(getattr(world, persona))
    assert en_client.get(check.get_absolute_url()).status_code == 404
    assert en_client.get(reverse("funds:check_print", args=[check.pk])).status_code == 404


def test_printable_record_and_certificate(world, en_client):
    award = award_for(world)
    en_client.force_login(world.alice)
    record = en_client.get(reverse("funds:check_print", args=[award.check_record_id])).content.decode()
    assert record.count("data-opinion-box") == 3
    assert "Inspection team opinion" in record and "(Seal)" in record
    certificate = en_client.get(reverse("funds:certificate", args=[award.pk])).content.decode()
    assert award.certificate_number in certificate


def test_award_page_suspend_with_reason(world, en_client):
    award = award_for(world)
    en_client.force_login(world.alice)
    page = en_client.get(award.get_absolute_url()).content.decode()
    assert 'data-award-action="suspend"' in page
    en_client.post(reverse("funds:award_status", args=[award.pk, "suspend"]), {"reason": "堆物"})
    award.refresh_from_db()
    assert award.state == Award.State.SUSPENDED
    en_client.force_login(world.leo)
    assert (
        en_client.post(reverse("funds:award_status", args=[award.pk, "reinstate"]), {"reason": "x"}).status_code == 403
    )


def test_scores_posted_from_a_stale_page_are_explained_not_forbidden(world, application, en_client):
    check = schedule(world, application)
    en_client.force_login(world.alice)
    form = en_client.get(check.get_absolute_url())  # alice's page still offers the scores form
    assert form.context["can_record"]
    check_record_scores(check=check, actor=world.alice, scores=scores(18))  # recorded meanwhile (another tab)
    data = {"score_" + c: 10 for c in Criterion.values} | {"rectification_items": "x"}
    response = en_client.post(check.get_absolute_url(), data)
    assert response.status_code == 302 and response.url == check.get_absolute_url()
    shown = [str(m) for m in en_client.get(response.url).context["messages"]]
    assert shown == ["This check was already recorded: Passed. Nothing was changed."]
    check.refresh_from_db()
    assert check.outcome == AcceptanceCheck.Outcome.PASSED
    # Without the role it stays a 403, with the reason.
    en_client.force_login(world.leo)
    refused = en_client.post(check.get_absolute_url(), data)
    assert refused.status_code == 403
    assert "Only the street office staff of this street record the scores." in refused.content.decode()


def test_an_award_status_button_on_a_stale_page_changes_nothing(world, en_client):
    award = award_for(world)
    en_client.force_login(world.alice)
    page = en_client.get(award.get_absolute_url()).content.decode()
    assert 'name="state" value="active"' in page
    award_suspend(award=award, actor=world.alice, reason="楼道堆物")
    # The page still showed "active": revoking from it is refused with the reason.
    response = en_client.post(
        reverse("funds:award_status", args=[award.pk, "revoke"]), {"state": "active", "reason": "复查"}, follow=True
    )
    assert any("changed while you were looking at it" in str(m) for m in response.context["messages"])
    award.refresh_from_db()
    assert (award.state, award.transitions.last().note) == (Award.State.SUSPENDED, "楼道堆物")
    with pytest.raises(Refused, match="now “Suspended”"):
        award_revoke(award=award, actor=world.alice, reason="复查", expected_state=Award.State.ACTIVE)
    award_revoke(award=award, actor=world.alice, reason="复查", expected_state=Award.State.SUSPENDED)
    award.refresh_from_db()
    assert award.state == Award.State.REVOKED


def more_groups(world, n: int) -> list:
    """``n`` more groups in N1, each led by leo."""
    groups = []
    for _ in range(n):
        group = f.BuildingGroupFactory(building__compound__neighbourhood=world.n1)
        role_assign(user=world.leo, role=Role.LEADER, street=world.street, building_group=group)
        groups.append(group)
    world.leo.__dict__.pop("_corridor_scope", None)  # the scope is cached on the user object
    return groups


def test_inspection_pages_keep_their_query_count(world, en_client, count_queries):
    en_client.force_login(world.alice)
    award_for(world)
    schedule(world, ready_for_inspection(world, group=world.g2, leader=world.lena, title="二号"))
    small = count_queries(en_client.get, reverse("funds:inspections"))
    small_awards = count_queries(en_client.get, reverse("funds:awards"))
    for n, group in enumerate(more_groups(world, 4)):
        application = ready_for_inspection(world, group=group, title=f"楼组{n}")
        if n % 2:
            award_for(world, application)
        else:
            schedule(world, application)
    assert count_queries(en_client.get, reverse("funds:inspections")) == small
    assert count_queries(en_client.get, reverse("funds:awards")) == small_awards
