"""The corridor's own ledger: how the group spent the culture fund it received (public)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.money import yuan
from common.publictext import require_public_text
from common.refusals import Refused
from corridors.images import receipt_later
from corridors.models import Role, User
from corridors.selectors import group_place_names, group_private_names
from funds.models import Award, LedgerEntry, MoneyEvent
from funds.selectors import award_roles
from funds.services.money import money_event_log
from funds.services.payouts import Receipt, lock_award


@transaction.atomic
def ledger_entry_add(
    *,
    award: Award,
    actor: User,
    spent_on: date,
    item: str,
    amount: Decimal,
    receipt: Receipt | None = None,
    receipt_amount: Decimal | None = None,
) -> LedgerEntry:
    """The group's leader records spending from the culture fund received.

    The balance (received − spent) never goes below zero: checked under the award's row
    lock, and held by a database constraint.
    """
    # Two entries at once could together overspend: lock the award.
    locked = lock_award(award.pk)
    if Role.LEADER not in award_roles(actor, locked):
        raise Refused(_("Only the leader of this building group may keep its ledger."))
    # The ledger is public: its items name no one and no home (common.publictext).
    group = locked.group
    require_public_text({"item": item}, names=group_private_names(group), allowed=group_place_names(group))
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("The amount must be positive, in yuan to the fen.")})
    if spent_on > timezone.localdate():
        raise ValidationError({"spent_on": _("The date cannot be in the future.")})
    if amount > locked.ledger_balance:
        raise ValidationError(
            {
                "amount": _("The balance is %(balance)s; %(amount)s is more than that.")
                % {"balance": yuan(locked.ledger_balance), "amount": yuan(amount)}
            }
        )
    if receipt_amount is not None and Decimal(receipt_amount) < amount:
        raise ValidationError(
            {
                "amount": _("The receipt shows %(receipt)s; the entry cannot be more (%(amount)s).")
                % {"receipt": yuan(receipt_amount), "amount": yuan(amount)}
            }
        )
    entry = LedgerEntry(
        award=locked,
        spent_on=spent_on,
        item=item.strip(),
        amount=amount,
        receipt_amount=receipt_amount,
        recorded_by=actor,
    )
    if receipt:
        entry.receipt_kind, entry.receipt = receipt
    entry.save()
    if receipt:
        receipt_later(entry, kind=entry.receipt_kind, field="receipt")
    locked.ledger_spent += amount
    locked.save(update_fields=["ledger_spent"])
    money_event_log(
        kind=MoneyEvent.Kind.LEDGER_SPENT, amount=amount, actor=actor, subject=entry, note=f"{locked} {entry.item}"
    )
    return entry


@transaction.atomic
def ledger_entry_reverse(*, entry: LedgerEntry, actor: User, reason: str) -> LedgerEntry:
    """Correct a wrong ledger line: a reversing entry (the same amount, negative, with the
    reason) cancels it; nothing recorded is edited. The right spending is then recorded
    anew. Both lines stay on the public ledger; the balance comes back by the amount.
    """
    # Two reversals of one line at once: the award's lock orders them; the second sees the first.
    locked = lock_award(entry.award_id)
    if Role.LEADER not in award_roles(actor, locked):
        raise Refused(_("Only the leader of this building group may keep its ledger."))
    original = LedgerEntry.objects.get(pk=entry.pk)
    if original.is_reversal:
        raise Refused(_("A correction cannot itself be reversed; record the spending again instead."))
    if LedgerEntry.objects.filter(reverses=original).exists():
        raise Refused(_("This entry was already reversed."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the correction.")})
    reversal = LedgerEntry.objects.create(
        award=locked,
        spent_on=timezone.localdate(),
        item=original.item,
        amount=-original.amount,
        reverses=original,
        reason=reason[:200],
        recorded_by=actor,
    )
    locked.ledger_spent -= original.amount
    locked.save(update_fields=["ledger_spent"])
    money_event_log(
        kind=MoneyEvent.Kind.LEDGER_REVERSED,
        amount=-original.amount,
        actor=actor,
        subject=reversal,
        note=f"{locked} {original.item}: {reason}",
    )
    return reversal
