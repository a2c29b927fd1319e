"""The audit trail of privileged changes, kept by the database (django-pghistory).

PostgreSQL triggers write one event row whenever an account is created, activated or
deactivated, gets a new password or admin rights; a role is granted, changed or removed; a
place's households (which feed the consent threshold), floors or name change; a department
is added or changed. The row holds what the record looked like and, for changes made
through a page, who made them and where (``pghistory.middleware.HistoryMiddleware``); a
change made in the shell or by a script is recorded all the same, without a person.
Second-factor resets are written by the service that does them (``record_event``).

Event rows are append-only: pghistory's triggers refuse UPDATE and DELETE, and the app's
database role may only read and add to them (``config/db_roles.py``). The superuser browses
the trail at ``audit:list`` (``corridors.views.audit``).
"""

import pghistory
import pgtrigger
from django.utils.translation import gettext_lazy as _

from corridors.models.people import Oversight, RoleAssignment, User
from corridors.models.places import Building, BuildingGroup, Compound, Department, Neighbourhood

# label -> what the page says (the trail page filters on these).
EVENT_LABELS = {
    "account.created": _("Account created"),
    "account.activated": _("Account activated"),
    "account.deactivated": _("Account deactivated"),
    "account.password": _("Password set or reset"),
    "account.admin": _("System administrator rights changed"),
    "account.second_factor_reset": _("Second factor reset"),
    "role.granted": _("Role granted"),
    "role.changed": _("Role changed"),
    "role.removed": _("Role removed"),
    "place.added": _("Place added"),
    "place.changed": _("Place changed (households, floors, name)"),
    "department.added": _("Department added"),
    "department.changed": _("Department changed"),
}

pghistory.track(
    pghistory.InsertEvent("account.created"),
    pghistory.UpdateEvent("account.activated", condition=pgtrigger.Q(old__is_active=False, new__is_active=True)),
    pghistory.UpdateEvent("account.deactivated", condition=pgtrigger.Q(old__is_active=True, new__is_active=False)),
    # The hash is never copied: the row only says that the password changed.
    pghistory.UpdateEvent("account.password", condition=pghistory.AnyChange("password")),
    pghistory.UpdateEvent("account.admin", condition=pghistory.AnyChange("is_superuser", "is_staff")),
    pghistory.ManualEvent("account.second_factor_reset"),
    fields=["username", "full_name", "is_active", "is_staff", "is_superuser"],
    model_name="AccountEvent",
    append_only=True,
)(User)

pghistory.track(
    pghistory.InsertEvent("role.granted"),
    pghistory.UpdateEvent("role.changed"),
    pghistory.DeleteEvent("role.removed"),
    model_name="RoleEvent",
    append_only=True,
)(RoleAssignment)

# District and city users (read-only across their streets): granted and removed like roles.
pghistory.track(
    pghistory.InsertEvent("role.granted"),
    pghistory.UpdateEvent("role.changed"),
    pghistory.DeleteEvent("role.removed"),
    model_name="OversightEvent",
    append_only=True,
)(Oversight)

pghistory.track(
    pghistory.InsertEvent("place.added"),
    pghistory.UpdateEvent("place.changed", condition=pghistory.AnyChange("name", "floors", "households", "elevators")),
    fields=["compound", "name", "floors", "households", "elevators"],
    model_name="BuildingEvent",
    append_only=True,
)(Building)

pghistory.track(
    pghistory.InsertEvent("place.added"),
    pghistory.UpdateEvent("place.changed", condition=pghistory.AnyChange("name", "households", "is_active")),
    fields=["building", "name", "households", "is_active"],
    model_name="BuildingGroupEvent",
    append_only=True,
)(BuildingGroup)

pghistory.track(
    pghistory.InsertEvent("place.added"),
    pghistory.UpdateEvent("place.changed", condition=pghistory.AnyChange("name", "committee_name", "street")),
    fields=["street", "name", "committee_name"],
    model_name="NeighbourhoodEvent",
    append_only=True,
)(Neighbourhood)

pghistory.track(
    pghistory.InsertEvent("place.added"),
    pghistory.UpdateEvent("place.changed", condition=pghistory.AnyChange("name", "neighbourhood")),
    fields=["neighbourhood", "name"],
    model_name="CompoundEvent",
    append_only=True,
)(Compound)

pghistory.track(
    pghistory.InsertEvent("department.added"),
    pghistory.UpdateEvent("department.changed"),
    model_name="DepartmentEvent",
    append_only=True,
)(Department)


def record_event(obj, label: str):
    """Write a manual event (``account.second_factor_reset``) with the current page's context."""
    return pghistory.create_event(obj, label=label)
