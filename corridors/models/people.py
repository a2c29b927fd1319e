"""Accounts and roles. Staff create accounts; a role assignment carries its scope."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.masking import mask_name, mask_phone


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def masked_name(self) -> str:
        return mask_name(self.full_name or self.username)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Role(models.TextChoices):
    STREET_STAFF = "street_staff", _("Street office staff")
    FINANCE = "finance", _("Finance approver")
    COMMITTEE = "committee", _("Residents' committee staff")
    LEADER = "leader", _("Building-group leader")
    REPRESENTATIVE = "representative", _("Resident representative")
    OFFICER = "officer", _("Department officer")


# Roles that hold money or every account of a street: only the system administrator
# (superuser) gives or removes them, or touches their holders' accounts. Otherwise one
# staff member could create a "finance approver" and approve their own payout.
PRIVILEGED_ROLES = frozenset({Role.STREET_STAFF, Role.FINANCE})

# Which scope field each role needs; every other scope field must be empty.
ROLE_SCOPE = {
    Role.STREET_STAFF: None,
    Role.FINANCE: None,
    Role.COMMITTEE: "neighbourhood",
    Role.REPRESENTATIVE: "neighbourhood",
    Role.LEADER: "building_group",
    Role.OFFICER: "department",
}
SCOPE_FIELDS = ("neighbourhood", "building_group", "department")


def _scope_condition(role, needed):
    condition = Q(role=role)
    for name in SCOPE_FIELDS:
        condition &= Q(**{f"{name}__isnull": name != needed})
    return condition


def _scope_matches_role():
    conditions = [_scope_condition(role, needed) for role, needed in ROLE_SCOPE.items()]
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role)
    street = models.ForeignKey("corridors.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("street"))
    neighbourhood = models.ForeignKey(
        "corridors.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("neighbourhood"),
    )
    building_group = models.ForeignKey(
        "corridors.BuildingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("building group"),
    )
    department = models.ForeignKey(
        "corridors.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("department"),
    )
    # The department's head (科长): an officer of it, told of a follow-up overdue past the
    # street's ``escalate_days`` before the street office is. Street staff mark them on the
    # department's page; the database keeps it to an officer and to one per department.
    is_head = models.BooleanField(_("head of the department"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(condition=_scope_matches_role(), name="role_scope_matches_role"),
            models.UniqueConstraint(
                fields=["user", "role", "street", "neighbourhood", "building_group", "department"],
                nulls_distinct=False,
                name="role_assignment_unique",
            ),
            models.CheckConstraint(condition=Q(is_head=False) | Q(role="officer"), name="role_head_is_officer"),
            models.UniqueConstraint(
                fields=["department"], condition=Q(is_head=True), name="role_one_head_per_department"
            ),
        ]

    def __str__(self):
        scope = self.neighbourhood or self.building_group or self.department or self.street
        return f"{self.get_role_display()} · {scope}"


class Oversight(models.Model):
    """A district (区) or city (市) user: sees every street of the district (or of the
    install, when ``district`` is empty) read-only, and never writes street data."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oversights", verbose_name=_("user"))
    district = models.ForeignKey(
        "corridors.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="oversights",
        verbose_name=_("district"),
        help_text=_("Leave empty for a city user, who sees every district."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("district or city role")
        verbose_name_plural = _("district and city roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "district"], nulls_distinct=False, name="oversight_unique"),
        ]

    def __str__(self):
        if self.district_id is None:
            return str(_("City user (every district)"))
        return str(_("District user · %(district)s") % {"district": self.district})
