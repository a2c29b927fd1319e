"""Money received from the owners, and its corrections (a reversing entry, never an update)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridors.models import User
from funds.models import MoneyEvent, Payment, Unit
from funds.selectors import require_campaign_role
from funds.services.money import money_event_log
from funds.services.tallies import UnitState, campaign_tally_unit_changed


@transaction.atomic
def payment_record(
    *,
    unit: Unit,
    amount: Decimal,
    paid_on: date,
    channel: str,
    recorded_by: User,
    note: str = "",
) -> Payment:
    """Record money received from a unit's owner, and log it in the money log.

    Partial payments are allowed; the unit's total never exceeds its due (area × rate):
    the contribution is a fixed one-off sum, so an overpayment is a counting mistake.
    """
    # Two payments for one unit at once could together exceed the due: lock the unit.
    locked = (
        Unit.objects.select_for_update(of=("self",))
        .select_related("campaign__building__compound__neighbourhood")
        .get(pk=unit.pk)
    )
    require_campaign_role(recorded_by, locked.campaign, "record_payment")
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("The amount must be positive, in yuan to the fen.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    outstanding = locked.due - locked.paid_total
    if amount > outstanding:
        raise ValidationError(
            {
                "amount": _("This unit owes ¥%(outstanding)s; ¥%(amount)s is more.")
                % {"outstanding": outstanding, "amount": amount}
            }
        )
    payment = Payment(
        unit=locked,
        amount=amount,
        paid_on=paid_on,
        channel=Payment.Channel(channel),
        note=note.strip(),
        recorded_by=recorded_by,
    )
    payment.full_clean()
    payment.save()
    before = UnitState.of(locked)
    locked.paid_total += amount
    locked.save(update_fields=["paid_total"])
    campaign_tally_unit_changed(unit=locked, before=before)
    unit.paid_total = locked.paid_total
    money_event_log(
        kind=MoneyEvent.Kind.CONTRIBUTION,
        amount=amount,
        actor=recorded_by,
        subject=payment,
        note=f"{locked.campaign.building} {locked.label}",
    )
    return payment


@transaction.atomic
def payment_correct(*, payment: Payment, amount: Decimal, reason: str, recorded_by: User) -> Payment:
    """Take back (part of) a payment recorded in error: a new negative payment and a
    correction in the money log. Nothing recorded before is changed.

    At most what is left of the payment after earlier corrections can be taken back.
    """
    # Two corrections of one payment at once could take back more than was paid: lock the unit.
    unit = (
        Unit.objects.select_for_update(of=("self",))
        .select_related("campaign__building__compound__neighbourhood")
        .get(pk=payment.unit_id)
    )
    require_campaign_role(recorded_by, unit.campaign, "manage")
    original = Payment.objects.get(pk=payment.pk)
    if original.is_correction:
        raise ValidationError(_("A correction cannot itself be corrected; record a new payment instead."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the correction.")})
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("The amount must be positive, in yuan to the fen.")})
    left = original.amount + sum(original.corrections.values_list("amount", flat=True))
    if amount > left:
        raise ValidationError(
            {
                "amount": _("Only ¥%(left)s of this payment is left to take back; ¥%(amount)s is more.")
                % {"left": left, "amount": amount}
            }
        )
    correction = Payment(
        unit=unit,
        amount=-amount,
        paid_on=timezone.localdate(),
        channel=original.channel,
        note=reason[:200],
        recorded_by=recorded_by,
        corrects=original,
    )
    correction.full_clean()
    correction.save()
    before = UnitState.of(unit)
    unit.paid_total -= amount
    unit.save(update_fields=["paid_total"])
    campaign_tally_unit_changed(unit=unit, before=before)
    money_event_log(
        kind=MoneyEvent.Kind.CORRECTION,
        amount=-amount,
        actor=recorded_by,
        subject=correction,
        note=f"{unit.campaign.building} {unit.label}: {reason}",
    )
    return correction
