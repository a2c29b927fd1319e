from corridors.models.people import Role, RoleAssignment, User
from corridors.models.places import Building, BuildingGroup, Compound, Department, Neighbourhood, Street
from corridors.models.uploads import GroupDocument, GroupPhoto

__all__ = [
    "Building",
    "BuildingGroup",
    "Compound",
    "Department",
    "GroupDocument",
    "GroupPhoto",
    "Neighbourhood",
    "Role",
    "RoleAssignment",
    "Street",
    "User",
]
