"""The place tree above the street and who runs each street: only the system administrator.

A fresh install has no street; the superuser creates a district (区), its streets (街道), and
appoints each street's office staff and finance approvers (``RoleAssignment`` rows, so the
second factor is asked of them at their next sign-in, ``services.second_factor``). District
and city users (``Oversight``) see streets read-only. The first-run pages
(``corridors.views.districts``) and ``manage.py setup_street`` both go through here.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.refusals import Refused
from corridors.models import District, Oversight, Role, RoleAssignment, Street, User
from corridors.services.people import role_assign

APPOINTED_ROLES = (Role.STREET_STAFF, Role.FINANCE)


def _only_superuser(by: User | None) -> None:
    # ``by`` is None for a management command run by whoever runs the server.
    if by is not None and not (by.is_active and by.is_superuser):
        raise Refused(_("Only the system administrator creates districts and streets and appoints their staff."))


def _name(value: str, what: str) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise Refused(_("Please give the %(what)s a name.") % {"what": what}, field="name")
    if len(name) > 100:
        raise Refused(_("The name is longer than 100 characters."), field="name")
    return name


def district_ensure(*, by: User | None, name: str) -> tuple[District, bool]:
    """The district of this name, created if missing (a second call changes nothing)."""
    _only_superuser(by)
    name = _name(name, _("district"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                return District.objects.get_or_create(name=name)
        except IntegrityError:  # created at the same moment by someone else
            return District.objects.get(name=name), False


def district_create(*, by: User | None, name: str) -> District:
    _only_superuser(by)
    name = _name(name, _("district"))
    if District.objects.filter(name=name).exists():
        raise Refused(_("The district “%(name)s” already exists.") % {"name": name}, field="name")
    return district_ensure(by=by, name=name)[0]


def street_ensure(*, by: User | None, district: District, name: str) -> tuple[Street, bool]:
    _only_superuser(by)
    name = _name(name, _("street"))
    with transaction.atomic():
        District.objects.select_for_update().get(pk=district.pk)
        return Street.objects.get_or_create(district=district, name=name)


def street_create(*, by: User | None, district: District, name: str) -> Street:
    _only_superuser(by)
    name = _name(name, _("street"))
    if Street.objects.filter(district=district, name=name).exists():
        raise Refused(
            _("The street “%(name)s” already exists in %(district)s.") % {"name": name, "district": district},
            field="name",
        )
    return street_ensure(by=by, district=district, name=name)[0]


def street_appoint(*, by: User | None, street: Street, user: User, role: str) -> tuple[RoleAssignment, bool]:
    """Make ``user`` street office staff or finance approver of ``street`` (idempotent)."""
    _only_superuser(by)
    if role not in APPOINTED_ROLES:
        raise Refused(_("Only street office staff and finance approvers are appointed here."), field="role")
    if not user.is_active:
        raise Refused(_("This account is switched off; switch it on before giving it a role."), field="user")
    if user.oversights.exists():
        raise Refused(
            _("This account is a district or city user, who only reads; give the street role to another account."),
            field="user",
        )
    with transaction.atomic():
        existed = RoleAssignment.objects.filter(user=user, role=role, street=street).exists()
        assignment = role_assign(user=user, role=role, street=street)
    return assignment, not existed


def oversight_grant(*, by: User | None, user: User, district: District | None) -> tuple[Oversight, bool]:
    """Make ``user`` a district user (or a city user, ``district=None``): read-only, so an account
    that holds a role in a street cannot be one (it would read as one and write as the other)."""
    _only_superuser(by)
    if user.is_superuser:
        raise Refused(_("The system administrator sees everything already."), field="user")
    if RoleAssignment.objects.filter(user=user).exists():
        raise Refused(
            _("This account holds a role in a street; district and city users only read, so use another account."),
            field="user",
        )
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        return Oversight.objects.get_or_create(user=user, district=district)


def oversight_revoke(*, by: User | None, oversight: Oversight) -> None:
    """Take a district or city user's reading away (the audit trail keeps the removal)."""
    _only_superuser(by)
    with transaction.atomic():
        Oversight.objects.filter(pk=oversight.pk).delete()


def street_appointment_remove(*, by: User | None, assignment: RoleAssignment) -> None:
    """Take a street office staff or finance approver role away (the account stays)."""
    _only_superuser(by)
    if assignment.role not in APPOINTED_ROLES:
        raise Refused(_("Only street office staff and finance approvers are appointed and removed here."))
    from corridors.services.people import role_revoke

    with transaction.atomic():
        role_revoke(assignment=assignment)


def street_data(street: Street) -> list[str]:
    """What still belongs to ``street`` (the names of the kinds of rows), from every app's
    tables that point at it: a street with any of them is not removed."""
    found = []
    for relation in Street._meta.related_objects:
        accessor = relation.get_accessor_name()
        if accessor and relation.one_to_many and getattr(street, accessor).exists():
            found.append(str(relation.related_model._meta.verbose_name_plural))
    return found


def street_remove(*, by: User | None, street: Street) -> None:
    """Remove a street created by mistake: only while nothing belongs to it (no place, no
    programme year, no staff, no request…), so no street's data is ever deleted with it."""
    _only_superuser(by)
    with transaction.atomic():
        street = Street.objects.select_for_update().get(pk=street.pk)
        found = street_data(street)
        if found:
            raise Refused(
                _(
                    "%(street)s cannot be removed: it still has %(what)s. Only a street created by mistake, "
                    "still empty, is removed."
                )
                % {"street": street, "what": "、".join(found)}
            )
        try:
            with transaction.atomic():
                street.delete()
        except IntegrityError as error:  # a row added at the same moment
            raise Refused(_("%(street)s cannot be removed: it still has data.") % {"street": street}) from error


def _account(*, username: str, full_name: str, password: str) -> User:
    """The account of this username, or a new one (which needs a full name and a password)."""
    from corridors.services.people import user_create

    username = (username or "").strip()
    user = User.objects.filter(username__iexact=username).first()
    if user is not None:
        return user
    if not (full_name or "").strip():
        raise Refused(
            _("There is no account %(user)s yet: give its full name to create it.") % {"user": username},
            field="full_name",
        )
    if not password:
        raise Refused(_("There is no account %(user)s yet: give it a password.") % {"user": username}, field="password")
    return user_create(username=username, full_name=full_name.strip(), password=password)


@transaction.atomic
def street_appoint_account(
    *, by: User, street: Street, role: str, username: str, full_name: str = "", password: str = ""
) -> tuple[RoleAssignment, bool]:
    """Appoint an existing account, or create it and appoint it: both or neither."""
    _only_superuser(by)
    user = _account(username=username, full_name=full_name, password=password)
    return street_appoint(by=by, street=street, user=user, role=role)


@transaction.atomic
def oversight_grant_account(
    *, by: User, district: District | None, username: str, full_name: str = "", password: str = ""
) -> tuple[Oversight, bool]:
    _only_superuser(by)
    user = _account(username=username, full_name=full_name, password=password)
    return oversight_grant(by=by, user=user, district=district)


def first_run_steps() -> dict:
    """What a fresh install still lacks, in the order the superuser sets it up."""
    has_district = District.objects.exists()
    has_street = Street.objects.exists()
    has_staff = RoleAssignment.objects.filter(role=Role.STREET_STAFF).exists()
    return {
        "district": has_district,
        "street": has_street,
        "staff": has_staff,
        "done": has_district and has_street and has_staff,
    }
