"""Scheduled reminders: what is overdue reaches the person who can act on it, once a day at most.

Each app contributes what is due in a street through the ``reminders(street, today, policy)``
hook (corridors: applications waiting for the committee or the street longer than the
street's service time; funds: corridors waiting for their acceptance check, payouts proposed
and not yet approved, campaign units unpaid after the collection deadline; consultations:
follow-ups due and overdue, escalated officer → department head → street office).
``send_reminders`` asks every street whose policy is on, keeps one ``Reminder`` row per
person, thing and day (a database constraint: nobody is reminded twice for the same thing on
the same day) and sends each person one digest through ``notify`` (inbox, and e-mail if they
chose it), in their language, its lines grouped under one heading per kind. It runs every
morning as a periodic job, and by hand as ``manage.py send_reminders [--dry-run]``.
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.hooks import call_hooks_flat
from common.systemtext import Text, word
from corridors.models import Application, ReminderPolicy, Role, RoleAssignment, Street, User
from corridors.workflows.application import State


@dataclass
class Due:
    """One thing overdue, for the people who can act on it."""

    kind: str
    subject: str  # e.g. "application:12"
    line: Text
    recipients: list = field(default_factory=list)
    link: str = ""  # a full address, shown on its own line below ``line`` (the inbox makes it a link)


# The digest's headings, in the digest's order. The kinds are plain names, so corridors
# titles the other apps' reminders without importing them.
KIND_HEADINGS = {
    "follow_up_overdue": _("Follow-ups overdue"),
    "follow_up_due": _("Follow-ups due soon"),
    "application_waiting": _("Applications waiting for a decision"),
    "inspection_waiting": _("Corridors waiting for their acceptance check"),
    "payout_waiting": _("Payouts waiting for approval"),
    "campaign_unpaid": _("Units not yet paid after the collection deadline"),
}


def digest_lines(items: list[Due]) -> list:
    """One heading per kind (with how many), then that kind's lines."""
    order = list(KIND_HEADINGS)
    kinds = sorted({item.kind for item in items}, key=lambda k: (order.index(k) if k in order else len(order), k))
    lines = []
    for kind in kinds:
        mine = [item for item in items if item.kind == kind]
        heading = KIND_HEADINGS.get(kind)
        if heading is not None:
            lines.append(Text(_("%(heading)s (%(count)s):"), heading=word(heading), count=len(mine)))
        for item in mine:
            lines.append(item.line)
            if item.link:
                lines.append(item.link)
    return lines


def policy_for(street) -> ReminderPolicy:
    return ReminderPolicy.objects.filter(street=street).first() or ReminderPolicy(street=street)


def _holders(**wanted) -> list[User]:
    ids = RoleAssignment.objects.filter(**wanted).values("user_id")
    return list(User.objects.filter(is_active=True, pk__in=ids).order_by("pk"))


def waiting_applications(street, today: datetime.date, policy) -> list[Due]:
    """Applications waiting for the committee (submitted) or the street (endorsed) too long."""
    cutoff = timezone.make_aware(datetime.datetime.combine(today, datetime.time())) - datetime.timedelta(
        days=policy.waiting_days
    )
    waiting = (
        Application.objects.filter(programme_year__street=street, state__in=[State.SUBMITTED, State.ENDORSED])
        .annotate(since=Max("transitions__created_at"))
        .filter(since__lt=cutoff)
        .select_related("group__building__compound")
        .order_by("pk")
    )
    due = []
    for application in waiting:
        if application.state == State.SUBMITTED:
            people = _holders(
                role=Role.COMMITTEE, neighbourhood_id=application.group.building.compound.neighbourhood_id
            )
        else:
            people = _holders(role=Role.STREET_STAFF, street=street)
        days = (today - timezone.localdate(application.since)).days
        line = Text(
            _("Application “%(title)s” of %(group)s has waited %(days)s days: %(state)s."),
            title=application.title,
            group=application.group,
            days=days,
            state=word(State(application.state).label),
        )
        due.append(Due("application_waiting", f"application:{application.pk}", line, people))
    return due


def collect(street, today: datetime.date, policy=None) -> list[Due]:
    policy = policy or policy_for(street)
    return waiting_applications(street, today, policy) + call_hooks_flat("reminders", street, today, policy)


def send_reminders(*, today: datetime.date | None = None, dry_run: bool = False) -> list[tuple[User, list[Due]]]:
    """Send today's digests (or, with ``dry_run``, only say what would be sent, to whom)."""
    from corridors.services.notifications import notify

    today = today or timezone.localdate()
    digests: dict[int, tuple[User, list[Due]]] = {}
    for street in Street.objects.order_by("pk"):
        policy = policy_for(street)
        if not policy.enabled:
            continue
        for item in collect(street, today, policy):
            for person in item.recipients:
                digests.setdefault(person.pk, (person, []))[1].append(item)
    sent = []
    for person, items in digests.values():
        with transaction.atomic():
            fresh = [item for item in items if dry_run or _first_today(person, item, today)]
            if not fresh:
                continue
            sent.append((person, fresh))
            if dry_run:
                continue
            notify(
                recipients=[person],
                actor=None,
                verb=Text(_("Reminders")),
                message=digest_lines(fresh),
                subject=Text(_("%(count)s things wait for you"), count=len(fresh)),
                url=reverse("inbox:list"),
                key="reminders.digest",
            )
    return sent


def _first_today(person, item: Due, today) -> bool:
    """Record the reminder; False if this person was already reminded of it today."""
    from corridors.models import Reminder

    try:
        with transaction.atomic():
            Reminder.objects.create(recipient=person, kind=item.kind, subject=item.subject, day=today)
    except IntegrityError:
        return False
    return True
