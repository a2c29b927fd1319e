"""Telling people about a request's steps: the shared in-app inbox and e-mail after commit.

Uses ``corridors.models.Notification`` (the inbox of ``inbox:list``) without an
application: the inbox shows ``verb`` as the heading and ``message`` below it, and its
"Open" button follows ``url``. Its ``verb_label`` only knows the applications' steps, so
``verb`` carries the step's label itself, written in the site's language like the e-mail.
Who is told is decided by the workflow table (``Transition.notify`` in ``REQUEST``, ``FILING_NOTIFY``).
"""

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

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
    url = request.get_absolute_url()
    with translation.override(settings.LANGUAGE_CODE):
        label = str(ACTION_LABELS.get(action, action))
        heading = _("Request #%(number)s: %(action)s") % {"number": request.pk, "action": label}
        lines = [
            f"#{request.pk} {request.title}",
            _("%(actor)s: %(action)s.") % {"actor": actor, "action": label},
            _("The request is now “%(state)s”.") % {"state": request.get_state_display()},
        ]
        if note:
            lines.append(_("Note: %(note)s") % {"note": note})
    return notify(recipients=people, actor=actor, verb=label, message="\n".join(lines), url=url, subject=heading)
