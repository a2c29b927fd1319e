# The audit trail: pghistory's event models and triggers on the people and places models.
import corridors.models.audit  # noqa: F401 - registers them
from corridors.models.applications import (
    Application,
    ApplicationTransition,
    BudgetItem,
    ConventionVersion,
    ProgrammeYear,
    SketchImage,
    Theme,
)
from corridors.models.gallery import Activity, ActivityPhoto, GalleryWork, WorkImage, WorkTransition
from corridors.models.notifications import Notification
from corridors.models.people import Oversight, Role, RoleAssignment, User
from corridors.models.places import Building, BuildingGroup, Compound, Department, District, Neighbourhood, Street
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
    "District",
    "Oversight",
    "GroupDocument",
    "GroupPhoto",
    "Neighbourhood",
    "Role",
    "RoleAssignment",
    "Street",
    "User",
]
