"""The audit trail of privileged changes, kept by the database (django-pghistory).

PostgreSQL triggers write one event row whenever an account is created, activated or
deactivated, gets a new password or admin rights; a role is granted, changed or removed; a
place's households (which feed the consent threshold), floors or name change; a department
is added or changed. The row holds what the record looked like and, for changes made
through a page, who made them and where (``pghistory.middleware.HistoryMiddleware``); a
change made in the shell or by a script is recorded all the same, without a person.
Second-factor resets are written by the service that does them (``record_event``).

The superuser browses the trail at ``audit:list`` (``corridors.views.audit``).
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from corridors.models.people import RoleAssignment, User
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
)(User)

pghistory.track(
    pghistory.InsertEvent("role.granted"),
    pghistory.UpdateEvent("role.changed"),
    pghistory.DeleteEvent("role.removed"),
    model_name="RoleEvent",
)(RoleAssignment)

pghistory.track(
    pghistory.InsertEvent("place.added"),
    pghistory.UpdateEvent("place.changed", condition=pghistory.AnyChange("name", "floors", "households", "elevators")),
    fields=["compound", "name", "floors", "households", "elevators"],
    model_name="BuildingEvent",
)(Building)

pghistory.track(
    pghistory.InsertEvent("place.added"),
    pghistory.UpdateEvent("place.changed", condition=pghistory.AnyChange("name", "households", "is_active")),
    fields=["building", "name", "households", "is_active"],
    model_name="BuildingGroupEvent",
)(BuildingGroup)

pghistory.track(
    pghistory.InsertEvent("place.added"),
    pghistory.UpdateEvent("place.changed", condition=pghistory.AnyChange("name", "committee_name", "street")),
    fields=["street", "name", "committee_name"],
    model_name="NeighbourhoodEvent",
)(Neighbourhood)

pghistory.track(
    pghistory.InsertEvent("place.added"),
    pghistory.UpdateEvent("place.changed", condition=pghistory.AnyChange("name", "neighbourhood")),
    fields=["neighbourhood", "name"],
    model_name="CompoundEvent",
)(Compound)

pghistory.track(
    pghistory.InsertEvent("department.added"),
    pghistory.UpdateEvent("department.changed"),
    model_name="DepartmentEvent",
)(Department)


def record_event(obj, label: str):
    """Write a manual event (``account.second_factor_reset``) with the current page's context."""
    return pghistory.create_event(obj, label=label)


class PersonDataExport(models.Model):
    """One export of everything recorded about a person (个人信息保护法 art. 45): who asked for
    whom, when, and how many records left the database."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("exported by")
    )
    query = models.CharField(_("searched for"), max_length=100)
    records = models.PositiveIntegerField(_("records exported"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.query} ({self.created_at:%Y-%m-%d})"
