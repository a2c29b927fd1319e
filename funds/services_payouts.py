"""Payouts and the corridor ledger: every write, one function per action (STYLE.md "Services").

Exactly once, by two people: a payout is proposed by street staff and approved or
rejected by a finance approver who is not the proposer; each step locks the payout row,
re-checks its state and writes one ``MoneyEvent`` (the append-only money log). The
database backs every rule with a constraint (see ``funds.models.payouts``). A refused
write raises ``Refused`` with the reason and changes nothing.
"""

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from corridors.models import ProgrammeYear, Role, RoleAssignment, User
from corridors.selectors import scope_of
from corridors.services.notifications import notify
from funds.models import Award, LedgerEntry, MoneyEvent, Payout, PayoutKind, PayoutReceipt, PayoutState
from funds.services_awards import Refused, money, refused_by_database, violated_constraint

Receipt = tuple[str, ContentFile]  # what ``common.forms.ReceiptField`` cleans to

# Proposed or approved: money promised but not paid, still cancellable.
OPEN_STATES = (PayoutState.PROPOSED, PayoutState.APPROVED)


def _street_id(award: Award) -> int:
    return award.programme_year.street_id


def _log(kind: str, payout: Payout, actor: User, note: str = "") -> None:
    MoneyEvent.objects.create(
        kind=kind,
        amount=payout.amount,
        actor=actor,
        subject_type="funds.payout",
        subject_id=payout.pk,
        note=(note or f"{payout.award} {payout.get_kind_display()}")[:200],
    )


def _lock_award(award_id: int) -> Award:
    return Award.objects.select_for_update(of=("self",)).select_related("programme_year").get(pk=award_id)


def _lock_payout(payout: Payout) -> Payout:
    # Two people acting on one payout at once: the second waits here, then sees the first result.
    return (
        Payout.objects.select_for_update(of=("self",))
        .select_related(
            "award__programme_year", "award__group__building__compound", "award__application", "proposed_by"
        )
        .get(pk=payout.pk)
    )


def _people(wanted) -> list[User]:
    return list(
        User.objects.filter(is_active=True, pk__in=RoleAssignment.objects.filter(wanted).values("user_id")).order_by(
            "pk"
        )
    )


def _tell(payout: Payout, actor: User, kind: str, reason: str = "") -> None:
    """Tell who acts next or who waits for the money, in the inbox and by e-mail after commit.

    Proposed: the street's finance approvers (never the proposer, who cannot approve). Any
    later step: the proposer (the payout page) and the group's leader (the award page, as a
    leader does not see the payout itself). Never the actor.
    """
    award = payout.award
    with translation.override(settings.LANGUAGE_CODE):
        verb = str(MoneyEvent.Kind(kind).label)
        subject = _("%(group)s: %(event)s") % {"group": award.group, "event": verb}
        lines = [
            _("Payout #%(number)s to %(group)s (%(certificate)s): %(kind)s, %(amount)s.")
            % {
                "number": payout.pk,
                "group": award.group,
                "certificate": award.certificate_number,
                "kind": payout.get_kind_display(),
                "amount": money(payout.amount),
            },
            _("%(actor)s: %(event)s.") % {"actor": actor, "event": verb},
        ]
        if reason:
            lines.append(_("Reason: %(reason)s") % {"reason": reason})
    message = "\n".join(lines)
    told = {"actor": actor, "verb": verb, "message": message, "application": award.application, "subject": subject}
    if kind == MoneyEvent.Kind.PAYOUT_PROPOSED:
        approvers = _people(Q(role=Role.FINANCE, street_id=_street_id(award)))
        notify(recipients=approvers, url=payout.get_absolute_url(), **told)
        return
    proposer = [payout.proposed_by] if payout.proposed_by.is_active else []
    notify(recipients=proposer, url=payout.get_absolute_url(), **told)
    leaders = _people(Q(role=Role.LEADER, building_group_id=award.group_id) & ~Q(user_id=payout.proposed_by_id))
    notify(recipients=leaders, url=award.get_absolute_url(), **told)


def _check_state(locked: Payout, allowed: set, expected_state: str | None, action: str) -> None:
    if expected_state is not None and locked.state != expected_state:
        raise Refused(
            _(
                "This payout changed while you were looking at it: it is now “%(state)s”. "
                "Nothing was done; please look at it again."
            )
            % {"state": locked.get_state_display()}
        )
    if locked.state not in allowed:
        raise Refused(
            _("“%(action)s” is not possible while the payout is “%(state)s”.")
            % {"action": action, "state": locked.get_state_display()}
        )


def _require_active(award: Award) -> None:
    if award.status != Award.Status.ACTIVE:
        raise Refused(
            _("The award is “%(status)s”: no payout can move until it is active again.")
            % {"status": award.get_status_display()}
        )


def _require_finance(actor: User, award: Award) -> None:
    if _street_id(award) not in scope_of(actor).finance_streets:
        raise Refused(_("Only a finance approver of this street may do this."))


def _release(locked: Payout) -> None:
    """A renovation payout that will not be paid gives its room under the limit back."""
    if locked.kind == PayoutKind.RENOVATION:
        award = _lock_award(locked.award_id)
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
    receipts: list[Receipt] = (),
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
    locked = _lock_award(award.pk)
    if request_token is not None:
        earlier = Payout.objects.filter(request_token=request_token).first()
        if earlier is not None:  # the same form, committed while this request waited
            return earlier
    if _street_id(locked) not in scope_of(actor).staff_streets:
        raise Refused(_("Only the street office staff of this street may propose a payout."))
    _require_active(locked)
    already = _("A culture-fund payout for this award is already proposed, approved or paid.")
    if kind == PayoutKind.CULTURE_FUND:
        amount = locked.culture_fund_amount
        if amount <= 0:
            raise Refused(
                _("This award's culture fund is %(amount)s, so there is nothing to pay.") % {"amount": money(amount)}
            )
        if locked.payouts.filter(kind=kind).exclude(state__in=[PayoutState.REJECTED, PayoutState.CANCELLED]).exists():
            raise Refused(already)
    elif kind == PayoutKind.RENOVATION:
        amount = Decimal(amount if amount is not None else 0)
        if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError({"amount": _("The amount must be positive, in yuan to the fen.")})
        if not receipts:
            raise ValidationError({"receipt": _("A renovation payout needs its receipts.")})
        if amount > locked.renovation_left:
            raise Refused(
                _(
                    "The renovation limit is %(limit)s (approved budget or the year's cap); %(committed)s is already "
                    "proposed or paid, so at most %(left)s can be proposed, not %(amount)s."
                )
                % {
                    "limit": money(locked.renovation_limit),
                    "committed": money(locked.renovation_committed),
                    "left": money(locked.renovation_left),
                    "amount": money(amount),
                }
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
            raise Refused(already) from exc
        if constraint == "payout_unique_request_token":
            raise Refused(_("This form was already sent and made its payout; see the award's payouts.")) from exc
        raise refused_by_database(exc) from exc
    for receipt_kind, content in receipts:
        PayoutReceipt.objects.create(payout=payout, file=content, kind=receipt_kind, uploaded_by=actor)
    _log(MoneyEvent.Kind.PAYOUT_PROPOSED, payout, actor)
    _tell(payout, actor, MoneyEvent.Kind.PAYOUT_PROPOSED)
    return payout


@transaction.atomic
def payout_receipts_add(
    *, payout: Payout, actor: User, receipts: list[Receipt], expected_state: str | None = None
) -> list[PayoutReceipt]:
    """Street staff add receipts to a renovation payout while it waits for approval.

    Once it is decided the receipts are what the approver saw: refused after that.
    """
    # Adding while an approver decides: the approval waits for this, or this sees the decision.
    locked = _lock_payout(payout)
    if _street_id(locked.award) not in scope_of(actor).staff_streets:
        raise Refused(_("Only the street office staff of this street may add receipts."))
    if locked.kind != PayoutKind.RENOVATION:
        raise Refused(_("Only a renovation payout has receipts."))
    _check_state(locked, {PayoutState.PROPOSED}, expected_state, _("Add receipts"))
    if not receipts:
        raise ValidationError({"receipt": _("Please choose a file.")})
    return [
        PayoutReceipt.objects.create(payout=locked, file=content, kind=receipt_kind, uploaded_by=actor)
        for receipt_kind, content in receipts
    ]


# --- Deciding ----------------------------------------------------------------------------


def year_committed(year: ProgrammeYear) -> Decimal:
    """Approved and paid payouts of a programme year (what its budget has already given)."""
    return Payout.objects.filter(
        award__programme_year=year, state__in=[PayoutState.APPROVED, PayoutState.PAID]
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def programme_year_money_logged(*, year: ProgrammeYear, actor: User, changes: dict) -> MoneyEvent:
    """Write a change of a programme year's money settings to the money log.

    ``changes`` maps a field name to ``(before, after)`` (before is None when the year is
    created). The event's amount is the annual budget after the change; the note lists
    every change, so the log shows who set which figure and when.
    """
    labels = {name: ProgrammeYear._meta.get_field(name).verbose_name for name in changes}
    parts = [
        _("%(field)s: %(before)s → %(after)s")
        % {
            "field": labels[name],
            "before": "—" if before is None else money(before),
            "after": "—" if after is None else money(after),
        }
        for name, (before, after) in changes.items()
    ]
    return MoneyEvent.objects.create(
        kind=MoneyEvent.Kind.BUDGET_CHANGE,
        amount=year.annual_budget,
        actor=actor,
        subject_type="corridors.programmeyear",
        subject_id=year.pk,
        note=pgettext("list separator", "; ").join(parts)[:200],
    )


@transaction.atomic
def payout_approve(*, payout: Payout, actor: User, expected_state: str | None = None) -> Payout:
    """A finance approver of the street, not the proposer, approves a proposed payout.

    Refused beyond the programme year's remaining budget, with the figures. Two approvers
    at once make one approval (row lock, then the state is re-checked).
    """
    locked = _lock_payout(payout)
    _require_finance(actor, locked.award)
    if locked.proposed_by_id == actor.pk:
        raise Refused(_("You proposed this payout, so someone else must approve it (four eyes)."))
    _check_state(locked, {PayoutState.PROPOSED}, expected_state, _("Approve"))
    _require_active(locked.award)
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
                "budget": money(year.annual_budget),
                "committed": money(committed),
                "remaining": money(remaining),
                "amount": money(locked.amount),
            }
        )
    locked.state, locked.approved_by, locked.approved_at = PayoutState.APPROVED, actor, timezone.now()
    locked.save(update_fields=["state", "approved_by", "approved_at"])
    _log(MoneyEvent.Kind.PAYOUT_APPROVED, locked, actor)
    _tell(locked, actor, MoneyEvent.Kind.PAYOUT_APPROVED)
    return locked


@transaction.atomic
def payout_reject(*, payout: Payout, actor: User, reason: str, expected_state: str | None = None) -> Payout:
    """A finance approver, not the proposer, rejects a proposed payout (reason required)."""
    locked = _lock_payout(payout)
    _require_finance(actor, locked.award)
    if locked.proposed_by_id == actor.pk:
        raise Refused(_("You proposed this payout; cancel it instead of rejecting it."))
    _check_state(locked, {PayoutState.PROPOSED}, expected_state, _("Reject"))
    if not reason.strip():
        raise Refused(_("Please give a reason."))
    locked.state, locked.rejected_by, locked.reason, locked.closed_at = (
        PayoutState.REJECTED,
        actor,
        reason.strip(),
        timezone.now(),
    )
    locked.save(update_fields=["state", "rejected_by", "reason", "closed_at"])
    _release(locked)
    _log(MoneyEvent.Kind.PAYOUT_REJECTED, locked, actor, note=reason.strip())
    _tell(locked, actor, MoneyEvent.Kind.PAYOUT_REJECTED, reason=reason.strip())
    return locked


@transaction.atomic
def payout_mark_paid(
    *, payout: Payout, actor: User, paid_on: date, reference: str, expected_state: str | None = None
) -> Payout:
    """A finance approver records the payment of an approved payout (reference and date).

    Paid once: two clicks or two people at once make one payment.
    """
    locked = _lock_payout(payout)
    _require_finance(actor, locked.award)
    _check_state(locked, {PayoutState.APPROVED}, expected_state, _("Mark paid"))
    _require_active(locked.award)
    if not reference.strip():
        raise ValidationError({"reference": _("Give the payment reference.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    locked.state, locked.paid_by, locked.paid_on, locked.paid_reference = (
        PayoutState.PAID,
        actor,
        paid_on,
        reference.strip(),
    )
    locked.save(update_fields=["state", "paid_by", "paid_on", "paid_reference"])
    if locked.kind == PayoutKind.CULTURE_FUND:
        award = _lock_award(locked.award_id)
        award.culture_fund_received += locked.amount
        award.save(update_fields=["culture_fund_received"])
    _log(MoneyEvent.Kind.PAYOUT_PAID, locked, actor, note=f"{locked.award} {reference.strip()}")
    _tell(locked, actor, MoneyEvent.Kind.PAYOUT_PAID)
    return locked


@transaction.atomic
def payout_cancel(*, payout: Payout, actor: User, reason: str, expected_state: str | None = None) -> Payout:
    """Street staff or a finance approver cancel a payout before it is paid (reason required)."""
    locked = _lock_payout(payout)
    scope = scope_of(actor)
    street_id = _street_id(locked.award)
    if street_id not in scope.staff_streets and street_id not in scope.finance_streets:
        raise Refused(_("Only the street office or its finance approvers may cancel a payout."))
    _check_state(locked, set(OPEN_STATES), expected_state, _("Cancel"))
    if not reason.strip():
        raise Refused(_("Please give a reason."))
    locked.state, locked.cancelled_by, locked.reason, locked.closed_at = (
        PayoutState.CANCELLED,
        actor,
        reason.strip(),
        timezone.now(),
    )
    locked.save(update_fields=["state", "cancelled_by", "reason", "closed_at"])
    _release(locked)
    _log(MoneyEvent.Kind.PAYOUT_CANCELLED, locked, actor, note=reason.strip())
    _tell(locked, actor, MoneyEvent.Kind.PAYOUT_CANCELLED, reason=reason.strip())
    return locked


def payouts_cancel_open(*, award: Award, actor: User, reason: str) -> list[Payout]:
    """Cancel every proposed or approved payout of an award that is suspended or revoked.

    Called by ``award_suspend`` / ``award_revoke`` inside their transaction, with the award
    locked; each cancellation is logged and told like one made on the payout's page.
    """
    cancelled = []
    for payout in (
        Payout.objects.select_for_update(of=("self",))
        .select_related("award__programme_year", "award__group", "award__application", "proposed_by")
        .filter(award_id=award.pk, state__in=OPEN_STATES)
        .order_by("pk")
    ):
        payout.state, payout.cancelled_by, payout.reason, payout.closed_at = (
            PayoutState.CANCELLED,
            actor,
            reason,
            timezone.now(),
        )
        payout.save(update_fields=["state", "cancelled_by", "reason", "closed_at"])
        _release(payout)
        _log(MoneyEvent.Kind.PAYOUT_CANCELLED, payout, actor, note=reason)
        _tell(payout, actor, MoneyEvent.Kind.PAYOUT_CANCELLED, reason=reason)
        cancelled.append(payout)
    return cancelled


# --- The corridor's ledger ---------------------------------------------------------------


@transaction.atomic
def ledger_entry_add(
    *,
    award: Award,
    actor: User,
    spent_on: date,
    item: str,
    amount: Decimal,
    receipt: Receipt | None = None,
) -> LedgerEntry:
    """The group's leader records spending from the culture fund received.

    The balance (received − spent) never goes below zero: checked under the award's row
    lock, and held by a database constraint.
    """
    # Two entries at once could together overspend: lock the award.
    locked = _lock_award(award.pk)
    if locked.group_id not in scope_of(actor).led_groups:
        raise Refused(_("Only the leader of this building group may keep its ledger."))
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("The amount must be positive, in yuan to the fen.")})
    if spent_on > timezone.localdate():
        raise ValidationError({"spent_on": _("The date cannot be in the future.")})
    if amount > locked.ledger_balance:
        raise ValidationError(
            {
                "amount": _("The balance is %(balance)s; %(amount)s is more than that.")
                % {"balance": money(locked.ledger_balance), "amount": money(amount)}
            }
        )
    entry = LedgerEntry(award=locked, spent_on=spent_on, item=item.strip(), amount=amount, recorded_by=actor)
    if receipt:
        entry.receipt_kind, entry.receipt = receipt
    entry.save()
    locked.ledger_spent += amount
    locked.save(update_fields=["ledger_spent"])
    MoneyEvent.objects.create(
        kind=MoneyEvent.Kind.LEDGER_SPENT,
        amount=amount,
        actor=actor,
        subject_type="funds.ledgerentry",
        subject_id=entry.pk,
        note=f"{locked} {entry.item}"[:200],
    )
    return entry
