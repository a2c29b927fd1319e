"""Who may see and change what, decided once, here (views never fetch objects bare).

``scope_of(user)`` reads a user's role assignments in one query and caches them on the
user object for the request. The ``*_for_user`` querysets apply that scope, so an object
outside it is simply not found (404); the ``rules`` predicates in ``corridors/rules.py``
decide the pages a user may use on an object they can see (403 with the reason;
``require`` here is ``common.permissions.require``).
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from common.permissions import require  # noqa: F401 - consultations' views still import it from here
from common.refusals import Refused
from corridors.models import (
    Activity,
    Application,
    Building,
    BuildingGroup,
    Compound,
    Department,
    GalleryWork,
    GroupDocument,
    Neighbourhood,
    Notification,
    Oversight,
    ProgrammeYear,
    Role,
    RoleAssignment,
    Street,
    User,
)
from corridors.scope_cache import cached_scope
from corridors.workflows.application import CLOSED_STATES
from corridors.workflows.application import State as ApplicationState


@dataclass(frozen=True)
class Scope:
    staff_streets: frozenset = field(default_factory=frozenset)
    finance_streets: frozenset = field(default_factory=frozenset)
    committee_neighbourhoods: frozenset = field(default_factory=frozenset)
    representative_neighbourhoods: frozenset = field(default_factory=frozenset)
    led_groups: frozenset = field(default_factory=frozenset)
    departments: frozenset = field(default_factory=frozenset)
    streets: frozenset = field(default_factory=frozenset)
    # Streets seen read-only as a district (区) or city (市) user: never written.
    viewer_streets: frozenset = field(default_factory=frozenset)

    @property
    def visible_streets(self) -> frozenset:
        """Every street the user may look at: their own (staff) and those they oversee."""
        return self.staff_streets | self.viewer_streets

    @property
    def roles(self) -> set[str]:
        roles: set[str] = set()
        for role, ids in (
            (Role.STREET_STAFF, self.staff_streets),
            (Role.FINANCE, self.finance_streets),
            (Role.COMMITTEE, self.committee_neighbourhoods),
            (Role.REPRESENTATIVE, self.representative_neighbourhoods),
            (Role.LEADER, self.led_groups),
            (Role.OFFICER, self.departments),
        ):
            if ids:
                roles.add(role)
        return roles


EMPTY_SCOPE = Scope()


def scope_of(user) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_corridor_scope", None)
    if cached is not None:
        return cached
    # Kept in Django's cache between pages, retired when a role, an oversight, the account or
    # a street changes (corridors/scope_cache.py).
    scope = cached_scope(user, lambda: _scope_from_database(user))
    user._corridor_scope = scope
    return scope


def _scope_from_database(user) -> Scope:
    found: dict[str, set[int]] = {role: set() for role in Role}
    streets = set()
    for a in RoleAssignment.objects.filter(user=user).values(
        "role", "street_id", "neighbourhood_id", "building_group_id", "department_id"
    ):
        streets.add(a["street_id"])
        target = a["neighbourhood_id"] or a["building_group_id"] or a["department_id"] or a["street_id"]
        found[a["role"]].add(target)
    if user.is_superuser:
        # The superuser administers the deployment: street staff of every street.
        all_streets = set(Street.objects.values_list("pk", flat=True))
        found[Role.STREET_STAFF] |= all_streets
        streets |= all_streets
    oversees = Oversight.objects.filter(user=user).filter(
        Q(district__isnull=True) | Q(district=OuterRef("district_id"))
    )
    viewer_streets = set(Street.objects.filter(Exists(oversees)).values_list("pk", flat=True))
    return Scope(
        viewer_streets=frozenset(viewer_streets),
        staff_streets=frozenset(found[Role.STREET_STAFF]),
        finance_streets=frozenset(found[Role.FINANCE]),
        committee_neighbourhoods=frozenset(found[Role.COMMITTEE]),
        representative_neighbourhoods=frozenset(found[Role.REPRESENTATIVE]),
        led_groups=frozenset(found[Role.LEADER]),
        departments=frozenset(found[Role.OFFICER]),
        streets=frozenset(streets),
    )


def require_street_staff(actor, street_id: int) -> None:
    """For services: refuse (with the reason) a write only the street's office staff may make."""
    if street_id not in scope_of(actor).staff_streets:
        raise Refused(_("Only the street office staff of this street may do this."))


# --- Scoped querysets: what a user can see at all --------------------------------


def streets_for_user(user):
    """The streets the user may *view*: their staff streets and, for a district (区) or city
    (市) user, every street they oversee (read-only). Dashboards and lists take this; a form
    choosing where to *write* takes ``staff_streets_for_user``."""
    return Street.objects.filter(pk__in=scope_of(user).visible_streets).select_related("district")


def staff_streets_for_user(user):
    """The streets the user may change: those they are street office staff of."""
    return Street.objects.filter(pk__in=scope_of(user).staff_streets)


def viewed_streets_only(user) -> frozenset:
    """The streets the user sees read-only (overseen, not staff of)."""
    scope = scope_of(user)
    return scope.viewer_streets - scope.staff_streets


# The system administrator's districts pages: every street, appointment and district or city
# user of the install (nobody else has these pages: 404 for them, after the page's 403).


def get_appointment_for_user(user, pk) -> RoleAssignment:
    """A street office staff or finance appointment (the superuser's setup pages)."""
    if not (user.is_active and user.is_superuser):
        raise Http404
    appointed = RoleAssignment.objects.filter(role__in=[Role.STREET_STAFF, Role.FINANCE])
    return get_object_or_404(appointed.select_related("user", "street"), pk=pk)


def get_oversight_for_user(user, pk) -> Oversight:
    if not (user.is_active and user.is_superuser):
        raise Http404
    return get_object_or_404(Oversight.objects.select_related("user", "district"), pk=pk)


def get_street_for_user(user, pk) -> Street:
    """A street the user may view (its staff, its district or city users, the superuser)."""
    return get_object_or_404(streets_for_user(user), pk=pk)


def neighbourhoods_for_user(user):
    scope = scope_of(user)
    return Neighbourhood.objects.filter(
        Q(street_id__in=scope.visible_streets) | Q(pk__in=scope.committee_neighbourhoods)
    ).select_related("street")


def responsible_for(scope: Scope, group: str = "group") -> Q:
    """Rows of the building groups a scope looks after: its streets' (staff), its
    neighbourhoods' (committee) and its own (leader). ``group`` is the path to the group
    (``""`` when the rows are the groups themselves)."""
    prefix = f"{group}__" if group else ""
    return (
        # District and city users see their streets' groups too, read-only (rules.py keeps
        # every write to the street's staff, committee and leaders).
        Q(**{f"{prefix}building__compound__neighbourhood__street_id__in": scope.visible_streets})
        | Q(**{f"{prefix}building__compound__neighbourhood_id__in": scope.committee_neighbourhoods})
        | Q(**{f"{prefix}pk__in": scope.led_groups})
    )


def groups_for_user(user):
    return BuildingGroup.objects.filter(responsible_for(scope_of(user), group="")).select_related(
        "building__compound__neighbourhood__street"
    )


def get_neighbourhood_for_user(user, pk):
    return get_object_or_404(neighbourhoods_for_user(user), pk=pk)


def get_group_for_user(user, pk):
    return get_object_or_404(groups_for_user(user), pk=pk)


def get_document_for_user(user, pk):
    document = get_object_or_404(
        GroupDocument.objects.select_related("building_group__building__compound__neighbourhood"), pk=pk
    )
    # Not visible → not found, so a guessed id reveals nothing.
    if not groups_for_user(user).filter(pk=document.building_group_id).exists():
        raise Http404
    return document


# --- Places below the neighbourhood, and departments --------------------------------


def compounds_for_user(user):
    scope = scope_of(user)
    return Compound.objects.filter(
        Q(neighbourhood__street_id__in=scope.visible_streets) | Q(neighbourhood_id__in=scope.committee_neighbourhoods)
    ).select_related("neighbourhood__street")


def buildings_for_user(user):
    scope = scope_of(user)
    return Building.objects.filter(
        Q(compound__neighbourhood__street_id__in=scope.visible_streets)
        | Q(compound__neighbourhood_id__in=scope.committee_neighbourhoods)
    ).select_related("compound__neighbourhood__street")


def staff_groups_for_user(user):
    """The building groups of the streets the user is staff of, or oversees read-only as a
    district or city user (not those led or seen as committee)."""
    return BuildingGroup.objects.filter(
        building__compound__neighbourhood__street_id__in=scope_of(user).visible_streets
    ).select_related("building__compound__neighbourhood")


def departments_for_user(user):
    scope = scope_of(user)
    return Department.objects.filter(
        Q(street_id__in=scope.visible_streets) | Q(pk__in=scope.departments)
    ).select_related("street")


def get_compound_for_user(user, pk):
    return get_object_or_404(compounds_for_user(user), pk=pk)


def get_building_for_user(user, pk):
    return get_object_or_404(buildings_for_user(user), pk=pk)


def get_department_for_user(user, pk):
    return get_object_or_404(departments_for_user(user), pk=pk)


# --- Accounts: what a street staff member may manage ------------------------------


def accounts_for_user(user):
    """Accounts with a role in one of the user's staff streets, plus accounts with no role at all.

    Superusers and Django-admin staff are never listed: a street staff member must not be
    able to reset the password of someone with more power than themselves.
    """
    streets = scope_of(user).staff_streets
    if not streets:
        return User.objects.none()
    in_street = RoleAssignment.objects.filter(user=OuterRef("pk"), street_id__in=streets)
    any_role = RoleAssignment.objects.filter(user=OuterRef("pk"))
    return User.objects.filter(is_superuser=False, is_staff=False).filter(Exists(in_street) | ~Exists(any_role))


def get_account_for_user(user, pk):
    return get_object_or_404(accounts_for_user(user), pk=pk)


def role_assignments_for_user(user):
    """Role assignments in the user's staff streets, with their scope loaded for display."""
    return RoleAssignment.objects.filter(street_id__in=scope_of(user).staff_streets).select_related(
        "street", "neighbourhood", "building_group__building__compound", "department"
    )


def get_role_assignment_for_user(user, account, pk):
    return get_object_or_404(role_assignments_for_user(user), user=account, pk=pk)


# --- Warm-corridor applications ------------------------------------------------------


def applications_for_user(user):
    """Applications the user may see: their street (staff), neighbourhood (committee), own groups (leader)."""
    return Application.objects.filter(responsible_for(scope_of(user))).select_related(
        "group__building__compound__neighbourhood__street", "programme_year", "theme"
    )


def get_application_for_user(user, pk):
    return get_object_or_404(applications_for_user(user), pk=pk)


def group_roles(user, group) -> set[str]:
    """The workflow roles the user holds *on this building group* (fetched with its places):
    its leader, the committee of its neighbourhood, the staff of its street."""
    scope = scope_of(user)
    neighbourhood = group.building.compound.neighbourhood
    roles: set[str] = set()
    if group.pk in scope.led_groups:
        roles.add(Role.LEADER)
    if neighbourhood.pk in scope.committee_neighbourhoods:
        roles.add(Role.COMMITTEE)
    if neighbourhood.street_id in scope.staff_streets:
        roles.add(Role.STREET_STAFF)
    return roles


def application_roles(user, application) -> set[str]:
    """The workflow roles the user holds *on this application* (fetched with its ancestors)."""
    return group_roles(user, application.group)


def programme_years_for_user(user):
    return ProgrammeYear.objects.filter(street_id__in=scope_of(user).streets).select_related("street")


def notifications_for_user(user):
    return Notification.objects.filter(recipient_id=user.pk)


def get_notification_for_user(user, pk):
    return get_object_or_404(notifications_for_user(user), pk=pk)


# --- Gallery works and activities ------------------------------------------------------


def works_for_user(user):
    """Works of the groups the user is responsible for (leader, committee, street staff), in any state."""
    return GalleryWork.objects.filter(responsible_for(scope_of(user))).select_related(
        "group__building__compound__neighbourhood__street"
    )


def get_work_for_user(user, pk):
    return get_object_or_404(works_for_user(user), pk=pk)


def work_roles(user, work) -> set[str]:
    """The work-workflow roles the user holds on this work (fetched with its group's places)."""
    return group_roles(user, work.group)


def activities_for_user(user):
    return Activity.objects.filter(responsible_for(scope_of(user))).select_related(
        "group__building__compound__neighbourhood__street"
    )


def get_activity_for_user(user, pk):
    return get_object_or_404(activities_for_user(user), pk=pk)


# --- What anyone may see, signed in or not (the public pages) ---------------------------

# An application counts for the public page (theme, convention) once the street approved
# it; every later step (creation, inspection, award...) still counts.
NOT_YET_APPROVED = frozenset(
    {ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.ENDORSED, ApplicationState.RETURNED}
) | frozenset(CLOSED_STATES)


def public_groups():
    """Active building groups, with the places above them loaded for breadcrumbs."""
    return BuildingGroup.objects.filter(is_active=True).select_related("building__compound__neighbourhood__street")


def get_public_group(pk):
    return get_object_or_404(public_groups(), pk=pk)


def approved_applications():
    """Applications the street approved (or took further), newest programme year first."""
    return (
        Application.objects.exclude(state__in=sorted(s.value for s in NOT_YET_APPROVED))
        .select_related("theme", "programme_year")
        .order_by("-programme_year__year", "-pk")
    )


def public_works():
    """Published works of active groups: a draft or hidden work is never public."""
    return GalleryWork.objects.filter(state=GalleryWork.State.PUBLISHED, group__is_active=True).select_related(
        "group__building__compound__neighbourhood"
    )


def get_public_work(pk):
    return get_object_or_404(public_works(), pk=pk)


def public_activities():
    return Activity.objects.filter(group__is_active=True).select_related("group__building__compound__neighbourhood")


def get_public_activity(pk):
    return get_object_or_404(public_activities(), pk=pk)


# --- What a group's public text may and may not name (common.publictext) ------------------


def group_private_names(group, *also) -> list[str]:
    """The people behind a group whose names its public text must not carry: its leaders (and
    ``also``: the writer, a work's author who did not agree to be named...)."""
    leaders = User.objects.filter(roles__role=Role.LEADER, roles__building_group_id=group.pk).values_list(
        "full_name", flat=True
    )
    return [name for name in [*leaders, *also] if name]


def group_place_names(group) -> list[str]:
    """The group's own address, which its public text may name although it looks like a unit number."""
    building, name = group.building.name, group.name
    return [f"{building} {name}", f"{building}{name}", building, name]
