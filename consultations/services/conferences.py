"""Conferences and their stalls: the street office sets up the day."""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.refusals import Refused
from consultations.models import Conference, Stall
from consultations.services.roles import require_officer_of
from corridors.models import Department, Street, User
from corridors.selectors import require_street_staff


@transaction.atomic
def conference_create(*, actor: User, street: Street, name: str, date: datetime.date, venue: str) -> Conference:
    """A new conference of the street; its name is unique in the street."""
    require_street_staff(actor, street.pk)
    name = name.strip()
    taken = Refused(_("A conference with this name already exists."))
    if Conference.objects.filter(street=street, name=name).exists():
        raise taken
    try:
        # Two staff creating the same conference at once both pass the check above: the
        # unique constraint is the last line, and the second one gets the same reason.
        with transaction.atomic():
            return Conference.objects.create(street=street, name=name, date=date, venue=venue)
    except IntegrityError as exc:
        raise taken from exc


@transaction.atomic
def stall_open(
    *, actor: User, conference: Conference, department: Department, officers=(), location: str = ""
) -> Stall:
    """A department's stall at a conference, with the officers on duty (all of the department's)."""
    require_street_staff(actor, conference.street_id)
    if department.street_id != conference.street_id:
        raise Refused(_("This department belongs to another street."))
    # Two staff opening the same stall at once: get_or_create falls back on the unique constraint.
    stall, created = Stall.objects.get_or_create(
        conference=conference, department=department, defaults={"location": location}
    )
    if not created:
        raise Refused(_("This department already has a stall at this conference."))
    for officer in officers:
        require_officer_of(officer, department)
    stall.officers.set(officers)
    return stall
