"""funds' part of the morning reminders (``corridors.reminders``, through the ``reminders`` hook):
payouts proposed and not yet approved after the street's ``payout_days`` go to its finance
approvers."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.money import yuan
from common.systemtext import Text
from corridors.models import Role
from corridors.reminders import Due, _holders
from funds.models import Payout


def payout_reminders(street, today: datetime.date, policy) -> list[Due]:
    cutoff = timezone.make_aware(datetime.datetime.combine(today, datetime.time())) - datetime.timedelta(
        days=policy.payout_days
    )
    waiting = list(
        Payout.objects.filter(state=Payout.State.PROPOSED, award__programme_year__street=street, proposed_at__lt=cutoff)
        .select_related("award__group")
        .order_by("pk")
    )
    if not waiting:
        return []
    approvers = _holders(role=Role.FINANCE, street=street)
    return [
        Due(
            "payout_waiting",
            f"payout:{payout.pk}",
            Text(
                _("Payout #%(number)s to %(group)s (%(amount)s) has waited %(days)s days for approval."),
                number=payout.pk,
                group=payout.award.group,
                amount=yuan(payout.amount),
                days=(today - timezone.localdate(payout.proposed_at)).days,
            ),
            [person for person in approvers if person.pk != payout.proposed_by_id],
        )
        for payout in waiting
    ]
