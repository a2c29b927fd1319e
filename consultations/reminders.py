"""Consultations' part of the morning reminders (``corridors.reminders``, the ``reminders`` hook).

A follow-up (an accepted or reopened request) due within three days, or overdue, reminds its
assigned officer (without one: the department's officers); overdue by the street's
``escalate_days`` or more, the street office staff are told too. (There is no department-head
role yet; when there is, it goes between the two.)
"""

import datetime

from django.utils.translation import gettext_lazy as _

from common.systemtext import Text
from consultations.models import ConsultationRequest
from consultations.workflows.request import FOLLOW_UP_STATES
from corridors.models import Role
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
            people = officers + (staff if late >= policy.escalate_days else [])
            due.append(Due("follow_up_overdue", f"request:{request.pk}", line, people))
        else:
            line = Text(
                _("Request #%(number)s “%(title)s” (%(department)s) is due on %(due)s."),
                number=request.pk,
                title=request.title,
                department=request.department,
                due=request.due_date.isoformat(),
            )
            due.append(Due("follow_up_due", f"request:{request.pk}", line, officers))
    return due
