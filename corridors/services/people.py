"""Accounts and roles. Staff create accounts; residents never self-register."""

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from corridors.models import Role, RoleAssignment, User
from corridors.models.people import PRIVILEGED_ROLES, ROLE_SCOPE


def _sync_groups(user: User) -> None:
    """Keep Django groups (one per role) in step with the role assignments."""
    names = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    groups = [Group.objects.get_or_create(name=name)[0] for name in sorted(names)]
    user.groups.set(groups)


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from error


@transaction.atomic
def user_create(*, username: str, full_name: str, password: str, phone: str = "", email: str = "") -> User:
    """Create an active account with a usable password (validated by Django's validators)."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(username=username, full_name=full_name, phone=phone, email=email)
    _validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_create_with_role(
    *,
    by: User,
    username: str,
    full_name: str,
    password: str,
    role: str,
    street,
    phone: str = "",
    email: str = "",
    neighbourhood=None,
    building_group=None,
    department=None,
) -> User:
    """Create an account and its first role, both or neither (a bad scope creates no account)."""
    user = user_create(username=username, full_name=full_name, password=password, phone=phone, email=email)
    role_grant(
        by=by,
        user=user,
        role=role,
        street=street,
        neighbourhood=neighbourhood,
        building_group=building_group,
        department=department,
    )
    return user


def _refuse_privileged_role(by: User | None, role: str) -> None:
    if by is not None and not by.is_superuser and role in PRIVILEGED_ROLES:
        raise ValidationError(
            _("Only the system administrator can give or remove the roles of street staff and finance approvers.")
        )


def _refuse_privileged_account(by: User | None, user: User) -> None:
    """Street staff may not reset, edit or switch off a staff or finance account (four eyes)."""
    if by is None or by.is_superuser or by.pk == user.pk:
        return
    if user.is_superuser or RoleAssignment.objects.filter(user=user, role__in=PRIVILEGED_ROLES).exists():
        raise ValidationError(
            _("Only the system administrator can change the account of a street staff member or finance approver.")
        )


@transaction.atomic
def user_update(*, user: User, full_name: str, phone: str, email: str, by: User | None = None) -> User:
    _refuse_privileged_account(by, user)
    user.full_name, user.phone, user.email = full_name, phone, email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "phone", "email"])
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, by: User | None = None) -> None:
    """Set a new password (validated by Django's validators); the user's other sessions end."""
    _refuse_privileged_account(by, user)
    _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def user_set_active(*, user: User, active: bool, by: User) -> None:
    """Deactivate or reactivate an account; a deactivated user can neither sign in nor stay signed in."""
    if user.pk == by.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    _refuse_privileged_account(by, user)
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
        raise ValidationError(
            _("This role needs a %(scope)s.") % {"scope": RoleAssignment._meta.get_field(needed).verbose_name}  # type: ignore[union-attr]
        )
    for name in given:
        if name != needed:
            given[name] = None
    scope_street = _street_of(given[needed]) if needed else street
    if scope_street.pk != street.pk:
        raise ValidationError(_("The scope belongs to another street."))
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, street=street, **given)
    _sync_groups(user)
    return assignment


@transaction.atomic
def role_grant(
    *, by: User, user: User, role: str, street, neighbourhood=None, building_group=None, department=None
) -> RoleAssignment:
    """``role_assign`` on behalf of a staff member: only in a street where ``by`` is street staff."""
    if not _is_staff_of(by, street):
        raise ValidationError(_("You can only give roles in your own street."))
    _refuse_privileged_role(by, role)
    return role_assign(
        user=user,
        role=role,
        street=street,
        neighbourhood=neighbourhood,
        building_group=building_group,
        department=department,
    )


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: User | None = None) -> None:
    """Remove a role. With ``by``: only in ``by``'s street, and never ``by``'s own street-staff role."""
    if by is not None:
        if not _is_staff_of(by, assignment.street):
            raise ValidationError(_("You can only remove roles in your own street."))
        if assignment.user_id == by.pk and assignment.role == Role.STREET_STAFF:
            # Otherwise a staff member could lock themselves out of these pages.
            raise ValidationError(_("You cannot remove your own street staff role."))
        _refuse_privileged_role(by, assignment.role)
    user = assignment.user
    assignment.delete()
    _sync_groups(user)


def _is_staff_of(user: User, street) -> bool:
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return RoleAssignment.objects.filter(user=user, role=Role.STREET_STAFF, street=street).exists()


def _street_of(obj):
    if hasattr(obj, "street"):
        return obj.street
    return obj.building.compound.neighbourhood.street
