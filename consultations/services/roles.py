"""Role checks that several consultations services make on the people they are given."""

from django.utils.translation import gettext as _

from common.refusals import Refused
from corridors.models import Department, Neighbourhood, Role, RoleAssignment, User


def require_representative_of(person: User, neighbourhood: Neighbourhood, *, active_only: bool = False) -> None:
    """Refuse unless ``person`` is a representative of ``neighbourhood``."""
    assignments = RoleAssignment.objects.filter(user=person, role=Role.REPRESENTATIVE, neighbourhood=neighbourhood)
    if active_only:
        assignments = assignments.filter(user__is_active=True)
    if not assignments.exists():
        raise Refused(
            _("%(name)s is not a representative of %(neighbourhood)s.")
            % {"name": person, "neighbourhood": neighbourhood}
        )


def require_officer_of(officer: User, department: Department) -> None:
    """Refuse unless ``officer`` is an officer of ``department``."""
    if not RoleAssignment.objects.filter(user=officer, role=Role.OFFICER, department=department).exists():
        raise Refused(_("%(name)s is not an officer of %(department)s.") % {"name": officer, "department": department})
