"""Accounts and roles. Staff create accounts; residents never self-register."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from corridors.models import Role, RoleAssignment, User
from corridors.models.people import ROLE_SCOPE


def _sync_groups(user: User) -> None:
    """Keep Django groups (one per role) in step with the role assignments."""
    names = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    groups = [Group.objects.get_or_create(name=name)[0] for name in sorted(names)]
    user.groups.set(groups)


@transaction.atomic
def user_create(*, username: str, full_name: str, password: str, phone: str = "", email: str = "") -> User:
    """Create an active account with a usable password (validated by Django's validators)."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(username=username, full_name=full_name, phone=phone, email=email)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_update(*, user: User, full_name: str, phone: str, email: str) -> User:
    user.full_name, user.phone, user.email = full_name, phone, email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "phone", "email"])
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def user_set_active(*, user: User, active: bool, by: User) -> None:
    if user.pk == by.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])


@transaction.atomic
def role_assign(
    *, user: User, role: str, street, neighbourhood=None, building_group=None, department=None
) -> RoleAssignment:
    """Give a user a role in a scope. The scope must match the role (also a DB constraint)."""
    needed = ROLE_SCOPE[Role(role)]
    given = {"neighbourhood": neighbourhood, "building_group": building_group, "department": department}
    if needed and given[needed] is None:
        raise ValidationError(_("This role needs a %(scope)s.") % {"scope": RoleAssignment._meta.get_field(needed).verbose_name})
    for name, value in given.items():
        if name != needed:
            given[name] = None
    scope_street = _street_of(given[needed]) if needed else street
    if scope_street.pk != street.pk:
        raise ValidationError(_("The scope belongs to another street."))
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, street=street, **given)
    _sync_groups(user)
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment) -> None:
    user = assignment.user
    assignment.delete()
    _sync_groups(user)


def _street_of(obj):
    if hasattr(obj, "street"):
        return obj.street
    return obj.building.compound.neighbourhood.street
