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
from corridors.models.notifications import NoticePreference, Notification, Reminder, ReminderPolicy
from corridors.models.people import Oversight, Role, RoleAssignment, User
from corridors.models.places import Building, BuildingGroup, Compound, Department, District, Neighbourhood, Street
from corridors.models.privacy import PersonalDataAccess
from corridors.models.signups import ActivitySignup
from corridors.models.uploads import GroupDocument, GroupPhoto

__all__ = [
    "Application",
    "ApplicationTransition",
    "BudgetItem",
    "ConventionVersion",
    "NoticePreference",
    "Notification",
    "Reminder",
    "ReminderPolicy",
    "PersonalDataAccess",
    "ProgrammeYear",
    "SketchImage",
    "Theme",
    "Activity",
    "ActivitySignup",
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
