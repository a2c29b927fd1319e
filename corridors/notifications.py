"""Who is told of a corridors workflow step: one rule set for every table.

Each ``Transition`` in ``corridors.workflows`` names the roles told of it (``notify``),
relative to the object's building group: its leader(s), the committee of its
neighbourhood, the office staff of its street. ``people_for`` turns those roles into
active accounts (one query); ``tell`` sends them one inbox message each and an e-mail
after commit through ``corridors.services.notifications.notify``. The actor is never told
of their own step.
"""

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from common.workflows import Transition
from corridors.models import Application, BuildingGroup, GalleryWork, Notification, Role, RoleAssignment, User
from corridors.services.notifications import notify


def people_for(roles, *, group: BuildingGroup) -> list[User]:
    """The active users holding ``roles`` relative to ``group`` (fetched with its places)."""
    neighbourhood = group.building.compound.neighbourhood
    by_role = {
        Role.LEADER: Q(role=Role.LEADER, building_group_id=group.pk),
        Role.COMMITTEE: Q(role=Role.COMMITTEE, neighbourhood_id=neighbourhood.pk),
        Role.STREET_STAFF: Q(role=Role.STREET_STAFF, street_id=neighbourhood.street_id),
    }
    wanted = [by_role[role] for role in roles if role in by_role]
    if not wanted:
        return []
    condition = wanted.pop()
    for other in wanted:
        condition |= other
    assignments = RoleAssignment.objects.filter(condition).values("user_id")
    return list(User.objects.filter(is_active=True, pk__in=assignments).order_by("pk"))


def tell(
    obj, *, group: BuildingGroup, actor: User, transition: Transition, note: str, application: Application | None = None
) -> list[Notification]:
    """Tell the transition's ``notify`` roles about a step just taken on ``obj`` (inside its transaction)."""
    recipients = people_for(transition.notify, group=group)
    # E-mail goes out in the site's language, after commit, so a rolled-back step sends nothing.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(title)s: %(action)s") % {"title": obj, "action": transition.label}
        lines = [
            _("%(actor)s: %(action)s.") % {"actor": actor, "action": transition.label},
            _("The %(thing)s is now “%(state)s”.")
            % {"thing": obj._meta.verbose_name, "state": obj.get_state_display()},
        ]
        if note:
            lines.append(_("Note: %(note)s") % {"note": note})
    return notify(
        recipients=recipients,
        actor=actor,
        verb=transition.name,
        message=note,
        url=obj.get_absolute_url(),
        application=application,
        subject=subject,
        body="\n".join(lines),
    )


def application_step_told(application: Application, *, actor: User, transition: Transition, note: str) -> None:
    tell(application, group=application.group, actor=actor, transition=transition, note=note, application=application)


def work_step_told(work: GalleryWork, *, actor: User, transition: Transition, note: str) -> None:
    tell(work, group=work.group, actor=actor, transition=transition, note=note)
