"""funds' AppConfig hooks (docs/architecture.md "How the apps meet"): what funds adds to
pages it does not own, its part of the demo world, and the programme year's money.

The home page, the public corridor page and the application page belong to corridors,
which never imports funds: it asks every app (``common.hooks``) for ``(template name,
context)`` pairs. ``funds/apps.py`` only names the hooks and calls these.
"""

from decimal import Decimal

from corridors.models import ProgrammeYear, User
from corridors.selectors import applications_for_user, scope_of
from corridors.workflows.application import State
from funds.decision import passes
from funds.models import (
    AcceptanceCheck,
    Award,
    Campaign,
    CampaignTally,
    LedgerEntry,
    MoneyEvent,
    NoticeState,
    Payout,
    PayoutState,
)
from funds.selectors import (
    awards_for_user,
    campaigns_for_user,
    checks_for_user,
    checks_to_schedule_q,
    payouts_for_user,
    street_id_of_application,
)
from funds.services.money import programme_year_money_logged
from funds.services.payouts import year_committed
from funds.totals import decision_tally

HOME_LIST = 5


def home_section(user) -> list[tuple[str, dict]]:
    scope = scope_of(user)
    section = {}
    if scope.finance_streets:
        waiting = (
            Payout.objects.filter(
                award__programme_year__street_id__in=scope.finance_streets,
                state__in=[PayoutState.PROPOSED, PayoutState.APPROVED],
            )
            .select_related("award__group__building__compound")
            .order_by("state", "proposed_at", "pk")
        )
        # Four eyes: a finance approver's own proposals wait for someone else.
        to_approve = waiting.filter(state=PayoutState.PROPOSED).exclude(proposed_by=user)
        section["finance"] = {
            "to_approve": list(to_approve[:HOME_LIST]),
            "to_approve_count": to_approve.count(),
            "to_pay_count": waiting.filter(state=PayoutState.APPROVED).count(),
        }
    if scope.staff_streets:
        in_street = applications_for_user(user).filter(
            group__building__compound__neighbourhood__street_id__in=scope.staff_streets
        )
        to_schedule = in_street.filter(checks_to_schedule_q()).order_by("updated_at", "pk")
        section["staff"] = {
            "to_schedule": list(to_schedule[:HOME_LIST]),
            "scheduled_count": AcceptanceCheck.objects.filter(
                outcome=AcceptanceCheck.Outcome.SCHEDULED,
                application__group__building__compound__neighbourhood__street_id__in=scope.staff_streets,
            ).count(),
        }
    if scope.led_groups:
        awards = list(
            Award.objects.filter(group_id__in=scope.led_groups)
            .select_related("group__building__compound", "programme_year")
            .order_by("group_id", "-programme_year__year")
        )
        rectifying = list(
            AcceptanceCheck.objects.filter(
                application__group_id__in=scope.led_groups,
                application__state=State.RECTIFYING,
                outcome=AcceptanceCheck.Outcome.FAILED,
            )
            .select_related("application__group__building__compound")
            .order_by("application_id", "-round")
            .distinct("application_id")
        )
        if awards or rectifying:
            section["leader"] = {"awards": awards, "rectifying": rectifying}
    # A working-group member (a campaign volunteer, often with no role of their own): straight
    # to the door-to-door visits of each campaign they are in.
    visiting = list(
        campaigns_for_user(user)
        .filter(members__user=user)
        .select_related("building__compound")
        .order_by("-created_at", "pk")
        .distinct()[:HOME_LIST]
    )
    if visiting:
        # Whether there is still a vote to win and someone to ask, from the stored totals (one
        # query): a campaign not counted yet keeps its link.
        by_campaign = {t.pk: t for t in CampaignTally.objects.filter(pk__in=[c.pk for c in visiting])}
        for campaign in visiting:
            tally = by_campaign.get(campaign.pk)
            campaign.door_passed = bool(tally and passes(campaign.rule_set, decision_tally(tally)))
            campaign.door_pending = tally.pending_units if tally else None
        section["member"] = {"campaigns": visiting}
    if not section:
        return []
    return [("funds/includes/home_section.html", section)]


def public_corridor_section(group) -> list[tuple[str, dict]]:
    """The group's title, culture fund and spending, and its building's published fund notices.

    Three queries (two without a title). Public by design (公开): amounts, items and dates
    only, never who recorded them; a notice only once its managers published it.
    """
    sections = _award_section(group)
    notices = list(
        Campaign.objects.filter(building_id=group.building_id, notice__state=NoticeState.PUBLISHED)
        .order_by("-created_at", "-pk")
        .only("pk", "purpose")
    )
    if notices:
        sections.append(("funds/notice/includes/public_notice_link.html", {"notices": notices}))
    return sections


def _award_section(group) -> list[tuple[str, dict]]:
    award = (
        Award.objects.filter(group_id=group.pk, state=Award.State.ACTIVE)
        .select_related("programme_year")
        .order_by("-programme_year__year")
        .first()
    )
    if award is None:
        return []
    lines = list(
        LedgerEntry.objects.filter(award=award)
        .order_by("spent_on", "pk")
        .values("spent_on", "item", "amount", "reverses__spent_on")
    )
    return [("funds/awards/includes/public_corridor.html", {"award": award, "ledger": lines})]


def application_section(application, user) -> list[tuple[str, dict]]:
    """The application page's links to its acceptance checks, award, payouts and ledger.

    At most three queries whatever the number of checks and payouts: the checks, the award
    (once a check passed) and its payouts (for the street's staff and finance approvers,
    who alone see payouts). The page's viewer already sees the application, so the
    helpers' scope only keeps these in line with the funds pages.
    """
    scope = scope_of(user)
    street_id = street_id_of_application(application)
    checks = list(checks_for_user(user).filter(application_id=application.pk).order_by("round", "pk"))
    award = None
    if any(check.outcome == AcceptanceCheck.Outcome.PASSED for check in checks):
        award = awards_for_user(user).filter(application_id=application.pk).first()
    sees_payouts = street_id in scope.staff_streets or street_id in scope.finance_streets
    payouts = []
    if award is not None and sees_payouts:
        payouts = list(payouts_for_user(user).filter(award=award).order_by("proposed_at", "pk"))
    is_staff = street_id in scope.staff_streets
    can_schedule = (
        is_staff and application.state == State.INSPECTION_REQUESTED and not any(check.is_open for check in checks)
    )
    if not (checks or award or can_schedule):
        return []
    section = {
        "application": application,
        "checks": checks,
        "award": award,
        "payouts": payouts,
        "sees_payouts": sees_payouts,
        "can_schedule": can_schedule,
        "can_propose": is_staff and award is not None and award.is_active,
    }
    return [("funds/awards/includes/application_section.html", section)]


def load_demo(street) -> None:
    """funds' part of the demo world (``manage.py load_demo``, after corridors' part)."""
    from funds.demo import load_demo_funds

    load_demo_funds(street)


def programme_year_committed(year: ProgrammeYear) -> Decimal:
    """What a programme year's budget has already given: its approved and paid payouts."""
    return year_committed(year)


def programme_year_money_changed(year: ProgrammeYear, actor: User, changes: dict) -> MoneyEvent:
    """A programme year's money settings changed (corridors' service, same transaction): log it."""
    return programme_year_money_logged(year=year, actor=actor, changes=changes)
