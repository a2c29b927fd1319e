"""funds' part of the morning reminders (``corridors.reminders``, through the ``reminders`` hook).

- A corridor whose leader asked for the acceptance check more than the street's
  ``inspection_days`` ago and that is still not inspected (no outcome recorded, and no check
  scheduled for today or later) goes to the street office staff, and to the inspectors of a
  check that was scheduled and not recorded. The clock starts when the corridor is reported
  ready (the step ``request_inspection`` or ``request_reinspection``): an approved corridor
  still being created cannot be inspected yet, so it is not reminded.
- Payouts proposed and not yet approved after the street's ``payout_days`` go to its finance
  approvers.
- A campaign past its collection deadline with units not yet paid gives its collector (the
  property company's working-group member with an account) and the street office staff one
  line a day: how many, and a link to the unit roll filtered to them. Never a message to an
  owner: the system does not write to owners.
"""

import datetime

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.money import yuan
from common.systemtext import Text, day
from corridors.models import Application, Role, User
from corridors.reminders import Due, _holders
from corridors.services.notifications import absolute_url
from corridors.workflows.application import State
from funds.models import AcceptanceCheck, Campaign, Payout, WorkingGroupMember
from funds.selectors import unpaid_units


def _start_of(today: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time()))


def inspection_reminders(street, today: datetime.date, policy) -> list[Due]:
    cutoff = _start_of(today) - datetime.timedelta(days=policy.inspection_days)
    planned = AcceptanceCheck.objects.filter(outcome=AcceptanceCheck.Outcome.SCHEDULED, scheduled_for__gte=today)
    waiting = list(
        Application.objects.filter(programme_year__street=street, state=State.INSPECTION_REQUESTED)
        .exclude(pk__in=planned.values("application_id"))
        .annotate(since=Max("transitions__created_at", filter=Q(transitions__to_state=State.INSPECTION_REQUESTED)))
        .filter(since__lt=cutoff)
        .select_related("group")
        .order_by("pk")
    )
    if not waiting:
        return []
    staff = _holders(role=Role.STREET_STAFF, street=street)
    overdue_checks = AcceptanceCheck.objects.filter(
        outcome=AcceptanceCheck.Outcome.SCHEDULED, application__in=waiting
    ).prefetch_related("inspectors")
    inspectors = {
        check.application_id: [person for person in check.inspectors.all() if person.is_active]
        for check in overdue_checks
    }
    due = []
    for application in waiting:
        people = list({person.pk: person for person in staff + inspectors.get(application.pk, [])}.values())
        line = Text(
            _("The corridor of %(group)s (“%(title)s”) asked for its acceptance check %(days)s days ago."),
            group=application.group,
            title=application.title,
            days=(today - timezone.localdate(application.since)).days,
        )
        link = absolute_url(application.get_absolute_url())
        due.append(Due("inspection_waiting", f"application:{application.pk}", line, people, link))
    return due


def payout_reminders(street, today: datetime.date, policy) -> list[Due]:
    cutoff = _start_of(today) - datetime.timedelta(days=policy.payout_days)
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


def unpaid_reminders(street, today: datetime.date, policy) -> list[Due]:
    campaigns = list(
        Campaign.objects.filter(building__compound__neighbourhood__street=street, collection_deadline__lt=today)
        .select_related("building")
        .order_by("pk")
    )
    if not campaigns:
        return []
    staff = _holders(role=Role.STREET_STAFF, street=street)
    collectors: dict[int, list[User]] = {}
    members = WorkingGroupMember.objects.filter(
        campaign__in=campaigns, side=WorkingGroupMember.Side.PROPERTY, user__is_active=True
    ).select_related("user")
    for member in members.order_by("pk"):
        collectors.setdefault(member.campaign_id, []).append(member.user)
    due = []
    for campaign in campaigns:
        count = unpaid_units(campaign).aggregate(n=Count("pk"))["n"]
        if not count:
            continue
        people = list({person.pk: person for person in collectors.get(campaign.pk, []) + staff}.values())
        link = absolute_url(reverse("funds:units", args=[campaign.pk]) + "?payment=unpaid")
        line = Text(
            _("%(campaign)s: %(count)s units not yet paid after the collection deadline (%(deadline)s)."),
            campaign=campaign,
            count=count,
            deadline=day(campaign.collection_deadline),
        )
        due.append(Due("campaign_unpaid", f"campaign:{campaign.pk}", line, people, link))
    return due
