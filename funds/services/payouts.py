"""Payouts: every step, one function each (the table is ``funds/workflows/payout.py``).

Exactly once, by two people: a payout is proposed by street staff and approved or
rejected by a finance approver who is not the proposer; each step locks the payout row,
re-checks its state against the table, writes a ``PayoutTransition`` (who, when, from,
to, why) and one ``MoneyEvent`` (the append-only money log), and tells who is next. The
database backs every rule with a constraint (see ``funds.models.payouts``). A refused
write raises ``Refused`` with the reason and changes nothing.
"""

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.money import yuan
from common.refusals import Refused, refused_by_database, violated_constraint
from common.workflows import Transition
from corridors.images import receipt_later
from corridors.models import ProgrammeYear, User
from funds.models import Award, Payout, PayoutKind, PayoutReceipt, PayoutState, PayoutTransition
from funds.notifications import PAYOUT_EVENTS, tell_payout
from funds.selectors import award_roles, payout_roles
from funds.services.money import money_event_log
from funds.workflows.payout import DEAD_STATES, FOUR_EYES, OPEN_STATES, PAYOUT, ROLE_REFUSALS

Receipt = tuple[str, ContentFile]  # what ``common.forms.ReceiptField`` cleans to
# A renovation receipt with the amount it shows (``funds.forms.payouts.ReceiptsField`` + amounts).
AmountedReceipt = tuple[str, ContentFile, Decimal]


def _receipt_amounts(receipts: Sequence[AmountedReceipt]) -> Decimal:
    """The receipts' total; each amount positive, to the fen (else the form's field says why)."""
    total = Decimal("0.00")
    for _kind, _content, amount in receipts:
        amount = Decimal(amount)
        if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError({"receipt_amounts": _("Each receipt's amount must be positive, in yuan to the fen.")})
        total += amount
    return total


def _within_receipts(amount: Decimal, covered: Decimal, field: str | None = "amount") -> None:
    if amount > covered:
        raise Refused(
            _("The receipts add up to %(covered)s: a renovation payout of %(amount)s needs receipts for all of it.")
            % {"covered": yuan(covered), "amount": yuan(amount)},
            field=field,
        )


def receipts_total(payout: Payout) -> Decimal | None:
    """What a payout's receipts add up to; None if one of them has no recorded amount (older ones)."""
    amounts = list(payout.receipts.values_list("amount", flat=True))
    if any(a is None for a in amounts):
        return None
    return sum((a for a in amounts if a is not None), Decimal("0.00"))


def lock_award(award_id: int) -> Award:
    """The award's row, locked: every change of its running sums happens under this lock."""
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related("programme_year", "group__building__compound")
        .get(pk=award_id)
    )


def _lock_payout(payout: Payout) -> Payout:
    # Two people acting on one payout at once: the second waits here, then sees the first result.
    return (
        Payout.objects.select_for_update(of=("self",))
        .select_related(
            "award__programme_year",
            "award__group__building__compound__neighbourhood",
            "award__application",
            "proposed_by",
        )
        .get(pk=payout.pk)
    )


def _require_active(award: Award) -> None:
    if not award.is_active:
        raise Refused(
            _("The award is “%(status)s”: no payout can move until it is active again.")
            % {"status": award.get_state_display()}
        )


def _check(name: str, locked: Payout, actor: User, *, expected_state: str | None, reason: str = "") -> Transition:
    """Refuse a step the actor's role, four eyes or the table (stale page, state, reason) forbids."""
    roles = payout_roles(actor, locked)
    if PAYOUT[name].roles.isdisjoint(roles):
        raise Refused(ROLE_REFUSALS[name])
    if name in FOUR_EYES and locked.proposed_by_id == actor.pk:
        raise Refused(FOUR_EYES[name])
    return PAYOUT.check(name, locked, roles=roles, expected_state=expected_state, reason=reason)


def _record(locked: Payout, transition: Transition, actor: User, *, before: str, reason: str = "", note: str = ""):
    """The step's history row, its money event and the people told, all in the step's transaction."""
    PayoutTransition.objects.create(
        payout=locked, actor=actor, action=transition.name, from_state=before, to_state=locked.state, note=reason
    )
    money_event_log(
        kind=PAYOUT_EVENTS[transition.name],
        amount=locked.amount,
        actor=actor,
        subject=locked,
        note=note or reason or f"{locked.award} {locked.get_kind_display()}",
    )
    tell_payout(locked, transition, actor, reason)


def _release(locked: Payout) -> None:
    """A renovation payout that will not be paid gives its room under the limit back."""
    if locked.kind == PayoutKind.RENOVATION:
        award = lock_award(locked.award_id)
        award.renovation_committed -= locked.amount
        award.save(update_fields=["renovation_committed"])


# --- Proposing ---------------------------------------------------------------------------


@transaction.atomic
def payout_propose(
    *,
    award: Award,
    actor: User,
    kind: str,
    amount: Decimal | None = None,
    note: str = "",
    receipts: Sequence[AmountedReceipt] = (),
    request_token: uuid.UUID | None = None,
) -> Payout:
    """Street staff propose a payout to an active award.

    Culture fund: the award's fixed amount, at most one live (not rejected or cancelled)
    per award. Renovation: with at least one receipt, and never above what is left under
    the award's limit (approved budget or the year's cap), checked under the award's row
    lock. A form submitted twice (same ``request_token``) returns the first payout.
    """
    if request_token is not None:
        earlier = Payout.objects.filter(request_token=request_token).first()
        if earlier is not None:
            return earlier
    # Two proposals for one award at once: the second waits here and sees the first.
    locked = lock_award(award.pk)
    if request_token is not None:
        earlier = Payout.objects.filter(request_token=request_token).first()
        if earlier is not None:  # the same form, committed while this request waited
            return earlier
    transition = PAYOUT["propose"]
    if transition.roles.isdisjoint(award_roles(actor, locked)):
        raise Refused(ROLE_REFUSALS["propose"])
    _require_active(locked)
    already = _("A culture-fund payout for this award is already proposed, approved or paid.")
    if kind == PayoutKind.CULTURE_FUND:
        amount = locked.culture_fund_amount
        if amount <= 0:
            raise Refused(
                _("This award's culture fund is %(amount)s, so there is nothing to pay.") % {"amount": yuan(amount)}
            )
        if locked.payouts.filter(kind=kind).exclude(state__in=DEAD_STATES).exists():
            raise Refused(already, field="kind")
    elif kind == PayoutKind.RENOVATION:
        amount = Decimal(amount if amount is not None else 0)
        if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError({"amount": _("The amount must be positive, in yuan to the fen.")})
        if not receipts:
            raise ValidationError({"receipt": _("A renovation payout needs its receipts.")})
        _within_receipts(amount, _receipt_amounts(receipts))
        if amount > locked.renovation_left:
            raise Refused(
                _(
                    "The renovation limit is %(limit)s (approved budget or the year's cap); %(committed)s is already "
                    "proposed or paid, so at most %(left)s can be proposed, not %(amount)s."
                )
                % {
                    "limit": yuan(locked.renovation_limit),
                    "committed": yuan(locked.renovation_committed),
                    "left": yuan(locked.renovation_left),
                    "amount": yuan(amount),
                },
                field="amount",
            )
        locked.renovation_committed += amount
        locked.save(update_fields=["renovation_committed"])
    else:
        raise ValidationError({"kind": _("Choose the kind of payout.")})
    payout = Payout(
        award=locked, kind=kind, amount=amount, note=note.strip(), proposed_by=actor, request_token=request_token
    )
    try:
        with transaction.atomic():
            payout.save()
    except IntegrityError as exc:  # the constraints behind the lock: one culture fund, one token
        constraint = violated_constraint(exc)
        if constraint == "payout_one_live_culture_fund":
            raise Refused(already, field="kind") from exc
        if constraint == "payout_unique_request_token":
            raise Refused(_("This form was already sent and made its payout; see the award's payouts.")) from exc
        raise refused_by_database(exc) from exc
    for receipt_kind, content, receipt_amount in receipts:
        stored = PayoutReceipt.objects.create(
            payout=payout, file=content, kind=receipt_kind, amount=receipt_amount, uploaded_by=actor
        )
        receipt_later(stored, kind=receipt_kind)
    _record(payout, transition, actor, before="")
    return payout


@transaction.atomic
def payout_receipts_add(
    *, payout: Payout, actor: User, receipts: list[AmountedReceipt], expected_state: str | None = None
) -> list[PayoutReceipt]:
    """Street staff add receipts to a renovation payout while it waits for approval.

    Once it is decided the receipts are what the approver saw: refused after that.
    """
    # Adding while an approver decides: the approval waits for this, or this sees the decision.
    locked = _lock_payout(payout)
    if PAYOUT["receipts"].roles.isdisjoint(payout_roles(actor, locked)):
        raise Refused(ROLE_REFUSALS["receipts"])
    if locked.kind != PayoutKind.RENOVATION:
        raise Refused(_("Only a renovation payout has receipts."))
    _check("receipts", locked, actor, expected_state=expected_state)
    if not receipts:
        raise ValidationError({"receipt": _("Please choose a file.")})
    _receipt_amounts(receipts)
    added = [
        PayoutReceipt.objects.create(payout=locked, file=content, kind=receipt_kind, amount=amount, uploaded_by=actor)
        for receipt_kind, content, amount in receipts
    ]
    for stored in added:
        receipt_later(stored, kind=stored.kind)
    PayoutTransition.objects.create(
        payout=locked,
        actor=actor,
        action="receipts",
        from_state=locked.state,
        to_state=locked.state,
        note=", ".join(receipt.download_name for receipt in added),
    )
    return added


# --- Deciding ----------------------------------------------------------------------------


def year_committed(year: ProgrammeYear) -> Decimal:
    """Approved and paid payouts of a programme year (what its budget has already given)."""
    return Payout.objects.filter(
        award__programme_year=year, state__in=[PayoutState.APPROVED, PayoutState.PAID]
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@transaction.atomic
def payout_approve(*, payout: Payout, actor: User, expected_state: str | None = None) -> Payout:
    """A finance approver of the street, not the proposer, approves a proposed payout.

    Refused beyond the programme year's remaining budget, with the figures. Two approvers
    at once make one approval (row lock, then the state is re-checked).
    """
    locked = _lock_payout(payout)
    transition = _check("approve", locked, actor, expected_state=expected_state)
    _require_active(locked.award)
    if locked.kind == PayoutKind.RENOVATION:
        covered = receipts_total(locked)
        if covered is not None:
            _within_receipts(locked.amount, covered, field=None)
    # Two approvals in one year at once could together pass the budget: lock the year.
    year = ProgrammeYear.objects.select_for_update().get(pk=locked.award.programme_year_id)
    committed = year_committed(year)
    remaining = year.annual_budget - committed
    if locked.amount > remaining:
        raise Refused(
            _(
                "Not enough budget: the %(year)s budget is %(budget)s, %(committed)s is already approved or paid, "
                "%(remaining)s remains, and this payout is %(amount)s."
            )
            % {
                "year": year.year,
                "budget": yuan(year.annual_budget),
                "committed": yuan(committed),
                "remaining": yuan(remaining),
                "amount": yuan(locked.amount),
            }
        )
    before = locked.state
    locked.state, locked.approved_by, locked.approved_at = transition.target, actor, timezone.now()
    locked.save(update_fields=["state", "approved_by", "approved_at"])
    _record(locked, transition, actor, before=before)
    return locked


@transaction.atomic
def payout_reject(*, payout: Payout, actor: User, reason: str, expected_state: str | None = None) -> Payout:
    """A finance approver, not the proposer, rejects a proposed payout (reason required)."""
    locked = _lock_payout(payout)
    reason = (reason or "").strip()
    transition = _check("reject", locked, actor, expected_state=expected_state, reason=reason)
    before = locked.state
    locked.state, locked.rejected_by, locked.reason, locked.closed_at = (
        transition.target,
        actor,
        reason,
        timezone.now(),
    )
    locked.save(update_fields=["state", "rejected_by", "reason", "closed_at"])
    _release(locked)
    _record(locked, transition, actor, before=before, reason=reason)
    return locked


@transaction.atomic
def payout_mark_paid(
    *, payout: Payout, actor: User, paid_on: date, reference: str, expected_state: str | None = None
) -> Payout:
    """A finance approver records the payment of an approved payout (reference and date).

    Paid once: two clicks or two people at once make one payment.
    """
    locked = _lock_payout(payout)
    transition = _check("pay", locked, actor, expected_state=expected_state)
    _require_active(locked.award)
    if not reference.strip():
        raise ValidationError({"reference": _("Give the payment reference.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    before = locked.state
    locked.state, locked.paid_by, locked.paid_on, locked.paid_reference = (
        transition.target,
        actor,
        paid_on,
        reference.strip(),
    )
    locked.save(update_fields=["state", "paid_by", "paid_on", "paid_reference"])
    if locked.kind == PayoutKind.CULTURE_FUND:
        award = lock_award(locked.award_id)
        award.culture_fund_received += locked.amount
        award.save(update_fields=["culture_fund_received"])
    _record(locked, transition, actor, before=before, note=f"{locked.award} {reference.strip()}")
    return locked


def _cancel(locked: Payout, transition: Transition, actor: User, reason: str) -> Payout:
    before = locked.state
    locked.state, locked.cancelled_by, locked.reason, locked.closed_at = (
        transition.target,
        actor,
        reason,
        timezone.now(),
    )
    locked.save(update_fields=["state", "cancelled_by", "reason", "closed_at"])
    _release(locked)
    _record(locked, transition, actor, before=before, reason=reason)
    return locked


@transaction.atomic
def payout_cancel(*, payout: Payout, actor: User, reason: str, expected_state: str | None = None) -> Payout:
    """Street staff or a finance approver cancel a payout before it is paid (reason required)."""
    locked = _lock_payout(payout)
    reason = (reason or "").strip()
    transition = _check("cancel", locked, actor, expected_state=expected_state, reason=reason)
    return _cancel(locked, transition, actor, reason)


def payouts_cancel_open(*, award: Award, actor: User, reason: str) -> list[Payout]:
    """Cancel every proposed or approved payout of an award that is suspended or revoked.

    Called by ``award_suspend`` / ``award_revoke`` inside their transaction, with the award
    locked (and its open payouts locked before it); each cancellation is recorded, logged
    and told like one made on the payout's page.
    """
    return [
        _cancel(payout, PAYOUT["cancel"], actor, reason)
        for payout in Payout.objects.select_for_update(of=("self",))
        .select_related(
            "award__programme_year", "award__group__building__compound", "award__application", "proposed_by"
        )
        .filter(award_id=award.pk, state__in=OPEN_STATES)
        .order_by("pk")
    ]
