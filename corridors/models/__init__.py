from corridors.models.applications import (
    Application,
    ApplicationTransition,
    BudgetItem,
    ConventionVersion,
    ProgrammeYear,
    SketchImage,
    Theme,
)

# The audit trail: pghistory's triggers on the models above.
import corridors.models.audit  # noqa: E402, F401 - after the models it tracks
from corridors.models.gallery import Activity, ActivityPhoto, GalleryWork, WorkImage, WorkTransition
from corridors.models.notifications import Notification
from corridors.models.people import Role, RoleAssignment, User
from corridors.models.places import Building, BuildingGroup, Compound, Department, Neighbourhood, Street
from corridors.models.privacy import PersonalDataAccess
from corridors.models.uploads import GroupDocument, GroupPhoto

__all__ = [
    "Application",
    "ApplicationTransition",
    "BudgetItem",
    "ConventionVersion",
    "Notification",
    "PersonalDataAccess",
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
