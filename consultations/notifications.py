"""Telling people about a request's steps: the shared in-app inbox and e-mail after commit.

Uses ``corridors.models.Notification`` (the inbox of ``inbox:list``) without an
application: the inbox shows the step's label as the heading and the message below it, and
its "Open" button follows ``url``. Both are kept as source texts and parameters
(``common.systemtext``): each reader sees them in their own language, and the e-mail is
written in the recipient's. Who is told is decided by the workflow table
(``Transition.notify`` in ``REQUEST``, ``FILING_NOTIFY``).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.systemtext import Text, choice, word
from consultations.models import ConsultationRequest
from consultations.workflows.request import ACTION_LABELS, OFFICER, REPRESENTATIVE
from corridors.models import Notification, Role, RoleAssignment, User
from corridors.services.notifications import notify


def recipients(request: ConsultationRequest, roles, actor: User) -> list[User]:
    """The active users ``roles`` stand for on this request, never the actor (one query)."""
    wanted = Q(pk__in=[])
    if REPRESENTATIVE in roles:
        wanted |= Q(pk=request.representative_id)
    if OFFICER in roles:
        if request.assigned_officer_id:
            wanted |= Q(pk=request.assigned_officer_id)
        else:
            officers = RoleAssignment.objects.filter(role=Role.OFFICER, department_id=request.department_id)
            wanted |= Q(pk__in=officers.values("user_id"))
    return list(User.objects.filter(wanted, is_active=True).exclude(pk=actor.pk).order_by("pk"))


def notify_step(*, request: ConsultationRequest, actor: User, action: str, roles, note: str = "") -> list[Notification]:
    """Put one inbox message per recipient and e-mail those with an address once the step commits."""
    if not roles:
        return []
    people = recipients(request, roles, actor)
    if not people:
        return []
    label = ACTION_LABELS.get(action, action)
    step = word(label)
    lines = [
        f"#{request.pk} {request.title}",
        Text(_("%(actor)s: %(action)s."), actor=actor, action=step),
        Text(_("The request is now “%(state)s”."), state=choice(request)),
    ]
    if note:
        lines.append(Text(_("Note: %(note)s"), note=note))
    return notify(
        recipients=people,
        actor=actor,
        verb=Text(label),
        message=lines,
        url=request.get_absolute_url(),
        subject=Text(_("Request #%(number)s: %(action)s"), number=request.pk, action=step),
        key=f"consultations.request.{action}",
    )
