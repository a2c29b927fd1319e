"""Page permissions of the corridors app, each with the sentence a refused page shows.

Each permission is declared once with ``common.permissions.add_perm(name, predicate,
reason)``; views call ``common.permissions.require`` (re-exported as
``corridors.selectors.require``), so every 403 says why in the reader's language. Predicates
take the user and the object; the scope comes from ``corridors.selectors``. What a user may
not *see* at all is a scope, not a permission: the ``*_for_user`` querysets answer 404.
Workflow steps are not pages: their roles are the tables in ``corridors.workflows``.
"""

import rules
from django.utils.translation import gettext_lazy as _

from common.permissions import add_perm
from corridors.selectors import scope_of


def _first(obj, paths: tuple[str, ...]) -> int | None:
    """The value at the first dotted attribute path the object has (objects are fetched with their places)."""
    for path in paths:
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return None


def street_id_of(obj) -> int | None:
    """The street an object belongs to."""
    if obj._meta.model_name == "street":
        return obj.pk
    return _first(
        obj,
        (
            "street_id",
            "neighbourhood.street_id",
            "compound.neighbourhood.street_id",
            "building.compound.neighbourhood.street_id",
        ),
    )


def neighbourhood_id_of(obj) -> int | None:
    return _first(obj, ("neighbourhood_id", "compound.neighbourhood_id", "building.compound.neighbourhood_id"))


@rules.predicate
def is_street_staff(user):
    return bool(scope_of(user).staff_streets)


@rules.predicate
def is_staff_of_street(user, obj):
    return obj is not None and street_id_of(obj) in scope_of(user).staff_streets


@rules.predicate
def is_committee_of(user, obj):
    return obj is not None and neighbourhood_id_of(obj) in scope_of(user).committee_neighbourhoods


@rules.predicate
def leads_group(user, group):
    return group is not None and group.pk in scope_of(user).led_groups


responsible_for_group = is_staff_of_street | is_committee_of | leads_group


@rules.predicate
def is_street_viewer(user):
    """A district (区) or city (市) user: reads their streets, writes nothing."""
    return bool(scope_of(user).viewer_streets)


@rules.predicate
def oversees_street(user, obj):
    return obj is not None and street_id_of(obj) in scope_of(user).viewer_streets


# Read-only pages a district or city user may open too (every write permission stays as it is).
add_perm(
    "corridors.view_street_lists",
    is_street_staff | is_street_viewer,
    _("The street's lists are for its office staff and for district and city users."),
)

add_perm(
    "corridors.manage_places",
    is_street_staff,
    _("Only street office staff manage neighbourhoods, building groups and departments."),
)
add_perm("corridors.manage_people", is_street_staff, _("Only street office staff manage accounts and roles."))
add_perm("corridors.change_place", is_staff_of_street, _("Only the street office staff of this street may change it."))
add_perm(
    "corridors.view_group_page",
    responsible_for_group | oversees_street,
    _("This page is for the building group's leader, its residents' committee and its street office."),
)
add_perm(
    "corridors.add_group_file",
    responsible_for_group,
    _("Only the building group's leader, its residents' committee and its street office add its photos and documents."),
)
add_perm(
    "corridors.view_group_document",
    responsible_for_group | oversees_street,
    _("Only the building group's leader, its residents' committee and its street office may open its documents."),
)


# --- Warm-corridor applications (the workflow table decides the steps; these decide pages) ---


@rules.predicate
def is_committee_member(user):
    return bool(scope_of(user).committee_neighbourhoods)


@rules.predicate
def leads_application_group(user, application):
    return application is not None and application.group_id in scope_of(user).led_groups


@rules.predicate
def application_is_editable(user, application):
    return application is not None and application.is_editable


add_perm(
    "corridors.review_applications", is_street_staff, _("Only street office staff review the street's applications.")
)
add_perm(
    "corridors.endorse_applications",
    is_committee_member,
    _("Only residents' committee staff endorse their neighbourhood's applications."),
)
add_perm(
    "corridors.start_application", leads_group, _("Only the leader of this building group may write its application.")
)
add_perm(
    "corridors.change_application",
    leads_application_group & application_is_editable,
    _("Only the building group's leader changes its application, while it is a draft or returned for revision."),
)
add_perm(
    "corridors.post_progress_photos",
    leads_application_group,
    _("Only the leader of this building group posts progress photos of its corridor."),
)
add_perm("corridors.manage_programme", is_street_staff, _("Only street office staff set up the programme."))


# --- Corridor galleries and activities (objects are building groups, fetched with ancestors) ---

# The leader curates the gallery (adds, edits, publishes); the street staff and the
# neighbourhood committee moderate it (hide with a reason, unhide).
add_perm(
    "corridors.curate_gallery",
    leads_group,
    _("Only the leader of this building group adds, edits and publishes the works of its gallery."),
)
add_perm(
    "corridors.moderate_gallery",
    is_staff_of_street | is_committee_of,
    _("Only the street office and the neighbourhood's residents' committee hide a work or show it again."),
)
add_perm(
    "corridors.manage_activities",
    responsible_for_group,
    _("Only the building group's leader, its residents' committee and its street office manage its activities."),
)


@rules.predicate
def leads_any_group(user):
    return bool(scope_of(user).led_groups)


# The staff-side gallery pages: anyone who looks after some corridor.
add_perm(
    "corridors.use_gallery",
    is_street_staff | is_committee_member | leads_any_group,
    _("The gallery pages are for building-group leaders, residents' committees and street office staff."),
)

add_perm(
    "corridors.view_personal_data_log",
    rules.is_superuser,
    _("Only the system administrator reads the log of personal data seen unmasked."),
)

add_perm(
    "corridors.manage_districts",
    rules.is_superuser,
    _("Only the system administrator creates districts and streets and appoints their staff."),
)
