"""Who is told of a corridors workflow step: one rule set for every table.

Each ``Transition`` in ``corridors.workflows`` names the roles told of it (``notify``),
relative to the object's building group: its leader(s), the committee of its
neighbourhood, the office staff of its street. ``people_for`` turns those roles into
active accounts (one query); ``tell`` sends them one inbox message each and an e-mail
after commit through ``corridors.services.notifications.notify``. The actor is never told
of their own step. What they read is kept as source texts and parameters
(``common.systemtext``): the inbox shows it in the reader's language, the e-mail in the
recipient's.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.systemtext import Text, choice, word
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
    # The inbox heading is the step's label (``Notification.verb_label`` reads the table);
    # the e-mail goes out after commit, so a rolled-back step sends nothing.
    action = word(transition.label)
    body = [
        Text(_("%(actor)s: %(action)s."), actor=actor, action=action),
        Text(_("The %(thing)s is now “%(state)s”."), thing=word(obj._meta.verbose_name), state=choice(obj)),
    ]
    if note:
        body.append(Text(_("Note: %(note)s"), note=note))
    return notify(
        recipients=recipients,
        actor=actor,
        verb=transition.name,
        message=note,
        url=obj.get_absolute_url(),
        application=application,
        subject=Text(_("%(title)s: %(action)s"), title=obj, action=action),
        body=body,
        key=f"corridors.{obj._meta.model_name}.{transition.name}",
    )


def application_step_told(application: Application, *, actor: User, transition: Transition, note: str) -> None:
    tell(application, group=application.group, actor=actor, transition=transition, note=note, application=application)


def work_step_told(work: GalleryWork, *, actor: User, transition: Transition, note: str) -> None:
    tell(work, group=work.group, actor=actor, transition=transition, note=note)
