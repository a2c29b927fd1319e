"""Places: neighbourhoods, compounds, buildings, building groups and departments.

Every write of a place goes through one function here (views, the import, admin and tests).
Names are stripped; a name already used under the same parent is refused with a message
for the user before the database constraint would refuse it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from corridors.models import (
    Building,
    BuildingGroup,
    Compound,
    Department,
    Neighbourhood,
    Role,
    RoleAssignment,
    Street,
    User,
)


def _clean(obj, *, exclude=None) -> None:
    # validate_constraints would repeat our friendlier name checks with Django's wording.
    obj.full_clean(exclude=exclude, validate_constraints=False)


def _name(value: str) -> str:
    return (value or "").strip()


# --- Neighbourhoods ------------------------------------------------------------------


def _check_neighbourhood_name(neighbourhood: Neighbourhood) -> None:
    taken = Neighbourhood.objects.filter(street_id=neighbourhood.street_id, name=neighbourhood.name)
    if taken.exclude(pk=neighbourhood.pk).exists():
        raise ValidationError({"name": _("This street already has a neighbourhood with this name.")})


@transaction.atomic
def neighbourhood_create(
    *, street: Street, name: str, committee_name: str, address: str = "", phone: str = ""
) -> Neighbourhood:
    """Create a neighbourhood of the street; its name is unique within the street."""
    neighbourhood = Neighbourhood(
        street=street,
        name=_name(name),
        committee_name=_name(committee_name),
        address=address.strip(),
        phone=phone.strip(),
    )
    _clean(neighbourhood)
    _check_neighbourhood_name(neighbourhood)
    neighbourhood.save()
    return neighbourhood


@transaction.atomic
def neighbourhood_update(
    *, neighbourhood: Neighbourhood, name: str, committee_name: str, address: str = "", phone: str = ""
) -> Neighbourhood:
    neighbourhood.name, neighbourhood.committee_name = _name(name), _name(committee_name)
    neighbourhood.address, neighbourhood.phone = address.strip(), phone.strip()
    _clean(neighbourhood)
    _check_neighbourhood_name(neighbourhood)
    neighbourhood.save(update_fields=["name", "committee_name", "address", "phone"])
    return neighbourhood


# --- Compounds -----------------------------------------------------------------------


def _check_compound_name(compound: Compound) -> None:
    taken = Compound.objects.filter(neighbourhood_id=compound.neighbourhood_id, name=compound.name)
    if taken.exclude(pk=compound.pk).exists():
        raise ValidationError({"name": _("This neighbourhood already has a compound with this name.")})


@transaction.atomic
def compound_create(*, neighbourhood: Neighbourhood, name: str, address: str = "") -> Compound:
    """Create a compound (小区) in the neighbourhood; its name is unique within the neighbourhood."""
    compound = Compound(neighbourhood=neighbourhood, name=_name(name), address=address.strip())
    _clean(compound)
    _check_compound_name(compound)
    compound.save()
    return compound


@transaction.atomic
def compound_update(*, compound: Compound, name: str, address: str = "") -> Compound:
    compound.name, compound.address = _name(name), address.strip()
    _clean(compound)
    _check_compound_name(compound)
    compound.save(update_fields=["name", "address"])
    return compound


# --- Buildings -----------------------------------------------------------------------


def _check_building_name(building: Building) -> None:
    taken = Building.objects.filter(compound_id=building.compound_id, name=building.name)
    if taken.exclude(pk=building.pk).exists():
        raise ValidationError({"name": _("This compound already has a building with this name.")})


def _check_building_figures(building: Building) -> None:
    errors = {}
    if building.floors is not None and building.floors < 1:
        errors["floors"] = _("A building has at least one floor.")
    if building.households is not None and building.households < 1:
        errors["households"] = _("A building has at least one household.")
    if building.year_built is not None and not 1800 <= building.year_built <= 2200:
        errors["year_built"] = _("Enter a year between 1800 and 2200.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def building_create(
    *, compound: Compound, name: str, floors: int, households: int, elevators: int = 0, year_built: int | None = None
) -> Building:
    """Create a building (楼栋) in the compound; its name is unique within the compound."""
    building = Building(
        compound=compound,
        name=_name(name),
        floors=floors,
        households=households,
        elevators=elevators or 0,
        year_built=year_built,
    )
    _clean(building)
    _check_building_figures(building)
    _check_building_name(building)
    building.save()
    return building


@transaction.atomic
def building_update(
    *, building: Building, name: str, floors: int, households: int, elevators: int = 0, year_built: int | None = None
) -> Building:
    """Change a building; its households may not fall below those of its active groups."""
    # Lock the building so a group added meanwhile cannot slip past the household check.
    Building.objects.select_for_update().filter(pk=building.pk).first()
    building.name, building.floors, building.households = _name(name), floors, households
    building.elevators, building.year_built = elevators or 0, year_built
    _clean(building)
    _check_building_figures(building)
    _check_building_name(building)
    in_groups = _active_group_households(building)
    if in_groups > households:
        raise ValidationError(
            {
                "households": _(
                    "The active groups of this building have %(total)s households together, more than %(households)s."
                )
                % {"total": in_groups, "households": households}
            }
        )
    building.save(update_fields=["name", "floors", "households", "elevators", "year_built"])
    return building


# --- Building groups -----------------------------------------------------------------


def _active_group_households(building: Building, *, exclude_pk: int | None = None) -> int:
    groups = BuildingGroup.objects.filter(building_id=building.pk, is_active=True).exclude(pk=exclude_pk)  # type: ignore[misc]
    return groups.aggregate(total=Sum("households"))["total"] or 0


def _check_group(group: BuildingGroup, building: Building) -> None:
    """The name is free in the building and the households fit in the building."""
    taken = BuildingGroup.objects.filter(building_id=building.pk, name=group.name)
    if taken.exclude(pk=group.pk).exists():
        raise ValidationError({"name": _("This building already has a group with this name.")})
    if group.households < 1:
        raise ValidationError({"households": _("A building group has at least one household.")})
    if group.households > building.households:
        raise ValidationError(
            {
                "households": _("A group cannot have more households than its building (%(households)s).")
                % {"households": building.households}
            }
        )
    if group.is_active:
        total = _active_group_households(building, exclude_pk=group.pk) + group.households
        if total > building.households:
            raise ValidationError(
                {
                    "households": _(
                        "With this group the building's active groups would have %(total)s households, "
                        "more than the building's %(households)s."
                    )
                    % {"total": total, "households": building.households}
                }
            )


def _locked_building(building: Building) -> Building:
    # Two staff adding groups to one building at once would each pass the household sum alone.
    return Building.objects.select_for_update().get(pk=building.pk)


@transaction.atomic
def group_create(*, building: Building, name: str, households: int) -> BuildingGroup:
    """Create an active building group (楼组); its name is unique within the building and
    the households of the building's active groups never exceed the building's."""
    locked = _locked_building(building)
    group = BuildingGroup(building=building, name=_name(name), households=households)
    _clean(group)
    _check_group(group, locked)
    group.save()
    return group


@transaction.atomic
def group_update(*, group: BuildingGroup, name: str, households: int) -> BuildingGroup:
    locked = _locked_building(group.building)
    group.name, group.households = _name(name), households
    _clean(group)
    _check_group(group, locked)
    group.save(update_fields=["name", "households"])
    return group


@transaction.atomic
def group_deactivate(*, group: BuildingGroup) -> BuildingGroup:
    """Take a group out of use (its history stays); deactivating twice is harmless."""
    group.is_active = False
    group.save(update_fields=["is_active"])
    return group


@transaction.atomic
def group_activate(*, group: BuildingGroup) -> BuildingGroup:
    """Put a group back in use, if its households still fit in the building."""
    locked = _locked_building(group.building)
    group.is_active = True
    _check_group(group, locked)
    group.save(update_fields=["is_active"])
    return group


# --- Departments ---------------------------------------------------------------------


def _check_department_name(department: Department) -> None:
    taken = Department.objects.filter(street_id=department.street_id, name=department.name)
    if taken.exclude(pk=department.pk).exists():
        raise ValidationError({"name": _("This street already has a department with this name.")})


@transaction.atomic
def department_create(*, street: Street, name: str) -> Department:
    """Create an active department of the street; its name is unique within the street."""
    department = Department(street=street, name=_name(name))
    _clean(department)
    _check_department_name(department)
    department.save()
    return department


# department_update without a ``head``: the department keeps the head it has.
KEEP_HEAD = object()


@transaction.atomic
def department_update(
    *, department: Department, name: str, is_active: bool = True, head: User | None | object = KEEP_HEAD
) -> Department:
    department.name, department.is_active = _name(name), is_active
    _clean(department)
    _check_department_name(department)
    department.save(update_fields=["name", "is_active"])
    if head is not KEEP_HEAD:
        department_head_set(department=department, head=head)  # type: ignore[arg-type]
    return department


@transaction.atomic
def department_head_set(*, department: Department, head: User | None) -> RoleAssignment | None:
    """Make ``head`` (an officer of the department) its head, or, with None, leave it without one.

    The head is told of follow-ups overdue past the street's ``escalate_days`` (consultations'
    reminders). The database keeps one head per department, and only an officer.
    """
    # Two staff choosing different heads at once: the second waits and its choice stands.
    officers = list(
        RoleAssignment.objects.select_for_update().filter(role=Role.OFFICER, department=department).order_by("pk")
    )
    chosen = None
    if head is not None:
        chosen = next((a for a in officers if a.user_id == head.pk), None)
        if chosen is None or not head.is_active:
            raise ValidationError({"head": _("%(name)s is not an officer of this department.") % {"name": head}})
    for assignment in officers:
        if assignment.is_head and assignment is not chosen:
            assignment.is_head = False
            assignment.save(update_fields=["is_head"])
    if chosen is not None and not chosen.is_head:
        chosen.is_head = True
        chosen.save(update_fields=["is_head"])
    return chosen
