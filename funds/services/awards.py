"""The warm-corridor title: made by a passed check, then suspended, reinstated or revoked
(the table is ``funds/workflows/award.py``). Every step writes an ``AwardTransition`` and
tells the group's leader and committee; suspending or revoking cancels the open payouts.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from common.refusals import Refused
from corridors.models import Application, ProgrammeYear, User
from corridors.selectors import require_street_staff
from funds.models import AcceptanceCheck, Award, AwardTransition, Payout
from funds.notifications import tell_award
from funds.selectors import award_roles
from funds.services.payouts import payouts_cancel_open
from funds.workflows.award import AWARD, CANCELS_PAYOUTS
from funds.workflows.payout import OPEN_STATES


def renovation_limit_for(application: Application, year: ProgrammeYear) -> Decimal:
    """The approved budget total, or the year's cap when that is lower."""
    budget = application.budget_items.aggregate(total=Sum("total"))["total"] or Decimal("0.00")
    if year.renovation_cap is not None:
        return min(budget, year.renovation_cap)
    return budget


@transaction.atomic
def award_create(*, check: AcceptanceCheck, actor: User) -> Award:
    """Award the warm-corridor title for a passed check, with the next certificate number
    of the street's programme year; the entitlements are fixed now."""
    if check.outcome != AcceptanceCheck.Outcome.PASSED:
        raise Refused(_("Only a passed check leads to an award."))
    application = Application.objects.select_related("group", "programme_year").get(pk=check.application_id)
    # Two awards in one year at once would take the same number: lock the programme year.
    year = ProgrammeYear.objects.select_for_update().get(pk=application.programme_year_id)
    require_street_staff(actor, year.street_id)
    if Award.objects.filter(application=application).exists():
        raise Refused(_("This application already has its award."))
    sequence = (Award.objects.filter(programme_year=year).aggregate(n=Max("sequence"))["n"] or 0) + 1
    award = Award(
        application=application,
        check_record=check,
        group=application.group,
        programme_year=year,
        sequence=sequence,
        certificate_number=f"{year.year}-{year.street_id:02d}-{sequence:03d}",
        culture_fund_amount=year.culture_fund_amount,
        renovation_limit=renovation_limit_for(application, year),
        awarded_by=actor,
    )
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError as exc:  # the last line behind the lock above
        raise Refused(_("This application already has its award.")) from exc
    AwardTransition.objects.create(award=award, actor=actor, action="award", from_state="", to_state=award.state)
    return award


def _step(name: str, *, award: Award, actor: User, reason: str, expected_state: str | None) -> Award:
    """One step of the table: lock, check (stale, state, role, reason), write, log, tell."""
    reason = (reason or "").strip()
    if name in CANCELS_PAYOUTS:
        # The award's open payouts before the award: the order every payout step locks in,
        # so a suspension and a payout step at the same moment never deadlock.
        list(Payout.objects.select_for_update().filter(award_id=award.pk, state__in=OPEN_STATES).order_by("pk"))
    # Two staff changing the title at once: the second waits here, then sees the first one's step.
    locked = (
        Award.objects.select_for_update(of=("self",))
        .select_related("programme_year", "group__building__compound__neighbourhood", "application")
        .get(pk=award.pk)
    )
    require_street_staff(actor, locked.programme_year.street_id)
    transition = AWARD.check(
        name, locked, roles=award_roles(actor, locked), expected_state=expected_state, reason=reason
    )
    before = locked.state
    locked.state = transition.target
    locked.save(update_fields=["state"])
    AwardTransition.objects.create(
        award=locked, actor=actor, action=name, from_state=before, to_state=locked.state, note=reason
    )
    tell_award(locked, transition, actor, reason)
    locked.cancelled_payouts = []  # type: ignore[attr-defined]  # read by the view
    if name in CANCELS_PAYOUTS:
        locked.cancelled_payouts = payouts_cancel_open(  # type: ignore[attr-defined]
            award=locked, actor=actor, reason=CANCELS_PAYOUTS[name] % {"reason": reason}
        )
    return locked


@transaction.atomic
def award_suspend(*, award: Award, actor: User, reason: str, expected_state: str | None = None) -> Award:
    """Suspend an active title (reason required).

    Its proposed and approved payouts are cancelled (each logged and told); no payout can
    be proposed, approved or paid until it is reinstated, when staff propose again.
    """
    return _step("suspend", award=award, actor=actor, reason=reason, expected_state=expected_state)


@transaction.atomic
def award_reinstate(*, award: Award, actor: User, reason: str, expected_state: str | None = None) -> Award:
    """Lift a suspension (reason required); the suspension and its reason stay in the history."""
    return _step("reinstate", award=award, actor=actor, reason=reason, expected_state=expected_state)


@transaction.atomic
def award_revoke(*, award: Award, actor: User, reason: str, expected_state: str | None = None) -> Award:
    """Revoke the title for good (reason required).

    Its proposed and approved payouts are cancelled (each logged and told); payouts
    already paid stay in the log.
    """
    return _step("revoke", award=award, actor=actor, reason=reason, expected_state=expected_state)
