"""Consultations' part of the morning reminders (``corridors.reminders``, the ``reminders`` hook).

A follow-up (an accepted or reopened request) due within three days, or overdue, reminds its
assigned officer (without one: the department's officers). Overdue by the street's
``escalate_days`` or more, the head of its department is told too (the officer whose role
carries ``is_head``, marked by the street office on the department's page); after
``street_escalate_days`` more, the street office staff as well. A department without a head
skips that rung: the street office staff are told at ``escalate_days``.
"""

import datetime

from django.utils.translation import gettext_lazy as _

from common.systemtext import Text, day
from consultations.models import ConsultationRequest
from consultations.workflows.request import FOLLOW_UP_STATES
from corridors.models import Role, RoleAssignment
from corridors.reminders import Due, _holders

SOON = datetime.timedelta(days=3)


def follow_up_reminders(street, today: datetime.date, policy) -> list[Due]:
    requests = list(
        ConsultationRequest.objects.filter(
            department__street=street, state__in=FOLLOW_UP_STATES, due_date__lte=today + SOON
        )
        .select_related("department", "assigned_officer")
        .order_by("due_date", "pk")
    )
    if not requests:
        return []
    staff = _holders(role=Role.STREET_STAFF, street=street)
    heads = {
        assignment.department_id: assignment.user
        for assignment in RoleAssignment.objects.filter(
            role=Role.OFFICER, is_head=True, department__street=street, user__is_active=True
        ).select_related("user")
    }
    due = []
    for request in requests:
        if request.assigned_officer and request.assigned_officer.is_active:
            officers = [request.assigned_officer]
        else:
            officers = _holders(role=Role.OFFICER, department=request.department)
        late = (today - request.due_date).days
        if late > 0:
            line = Text(
                _("Request #%(number)s “%(title)s” (%(department)s) is %(days)s days overdue."),
                number=request.pk,
                title=request.title,
                department=request.department,
                days=late,
            )
            head = heads.get(request.department_id)
            people = list(officers)
            if head is not None and late >= policy.escalate_days:
                people.append(head)
            street_after = policy.escalate_days + (policy.street_escalate_days if head is not None else 0)
            if late >= street_after:
                people += staff
            people = list({person.pk: person for person in people}.values())
            due.append(Due("follow_up_overdue", f"request:{request.pk}", line, people))
        else:
            line = Text(
                _("Request #%(number)s “%(title)s” (%(department)s) is due on %(due)s."),
                number=request.pk,
                title=request.title,
                department=request.department,
                due=day(request.due_date),
            )
            due.append(Due("follow_up_due", f"request:{request.pk}", line, officers))
    return due
