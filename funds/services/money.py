"""The append-only money log (``funds.models.money``): the one way a row gets into it."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.money import yuan
from corridors.models import ProgrammeYear, User
from funds.models import MoneyEvent


def money_event_log(*, kind: str, amount: Decimal, actor: User, subject: models.Model, note: str) -> MoneyEvent:
    """Write one money event about ``subject`` (a payment, payout, ledger entry, programme year)."""
    return MoneyEvent.objects.create(
        kind=kind,
        amount=amount,
        actor=actor,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        note=note[:200],
    )


def programme_year_money_logged(*, year: ProgrammeYear, actor: User, changes: dict) -> MoneyEvent:
    """Write a change of a programme year's money settings to the money log.

    ``changes`` maps a field name to ``(before, after)`` (before is None when the year is
    created). The event's amount is the annual budget after the change; the note lists
    every change, so the log shows who set which figure and when.
    """
    labels = {name: ProgrammeYear._meta.get_field(name).verbose_name for name in changes}  # type: ignore[union-attr]
    parts = [
        _("%(field)s: %(before)s → %(after)s")
        % {
            "field": labels[name],
            "before": "—" if before is None else yuan(before),
            "after": "—" if after is None else yuan(after),
        }
        for name, (before, after) in changes.items()
    ]
    return money_event_log(
        kind=MoneyEvent.Kind.BUDGET_CHANGE,
        amount=year.annual_budget,
        actor=actor,
        subject=year,
        note=pgettext("list separator", "; ").join(parts),
    )
