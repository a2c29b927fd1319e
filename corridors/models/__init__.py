from corridors.models.applications import (
    Application,
    ApplicationTransition,
    BudgetItem,
    ConventionVersion,
    ProgrammeYear,
    SketchImage,
    Theme,
)

# The audit trail: pghistory's triggers on the models above, and the personal-data export log.
from corridors.models.audit import PersonDataExport  # noqa: E402 - after the models it tracks
from corridors.models.gallery import Activity, ActivityPhoto, GalleryWork, WorkImage, WorkTransition
from corridors.models.notifications import Notification
from corridors.models.people import Role, RoleAssignment, User
from corridors.models.places import Building, BuildingGroup, Compound, Department, Neighbourhood, Street
from corridors.models.uploads import GroupDocument, GroupPhoto

__all__ = [
    "Application",
    "ApplicationTransition",
    "BudgetItem",
    "ConventionVersion",
    "Notification",
    "PersonDataExport",
    "ProgrammeYear",
    "SketchImage",
    "Theme",
    "Activity",
    "ActivityPhoto",
    "GalleryWork",
    "WorkImage",
    "WorkTransition",
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
