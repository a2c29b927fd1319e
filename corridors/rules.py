"""Object-level permissions for places and people, as ``rules`` predicates.

Each predicate takes the user and the object; the scope comes from ``corridors.selectors``.
"""

import rules

from corridors.selectors import scope_of


def street_id_of(obj) -> int | None:
    """The street an object belongs to (objects are fetched with their ancestors)."""
    if obj._meta.model_name == "street":
        return obj.pk
    for path in (
        "street_id",
        "neighbourhood.street_id",
        "compound.neighbourhood.street_id",
        "building.compound.neighbourhood.street_id",
    ):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return None


def neighbourhood_id_of(obj) -> int | None:
    for path in ("neighbourhood_id", "compound.neighbourhood_id", "building.compound.neighbourhood_id"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return None


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


rules.add_perm("corridors.manage_places", is_street_staff)
rules.add_perm("corridors.manage_people", is_street_staff)
rules.add_perm("corridors.change_place", is_staff_of_street)
rules.add_perm("corridors.view_group_page", is_staff_of_street | is_committee_of | leads_group)
rules.add_perm("corridors.add_group_file", is_staff_of_street | is_committee_of | leads_group)
rules.add_perm("corridors.view_group_document", is_staff_of_street | is_committee_of | leads_group)


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


rules.add_perm("corridors.review_applications", is_street_staff)
rules.add_perm("corridors.endorse_applications", is_committee_member)
rules.add_perm("corridors.start_application", leads_group)
rules.add_perm("corridors.change_application", leads_application_group & application_is_editable)
rules.add_perm("corridors.manage_programme", is_street_staff)


# --- Corridor galleries and activities (objects are building groups, fetched with ancestors) ---

# The leader curates the gallery (adds, edits, publishes); the street staff and the
# neighbourhood committee moderate it (hide with a reason, unhide).
rules.add_perm("corridors.curate_gallery", leads_group)
rules.add_perm("corridors.moderate_gallery", is_staff_of_street | is_committee_of)
rules.add_perm("corridors.manage_activities", is_staff_of_street | is_committee_of | leads_group)


@rules.predicate
def leads_any_group(user):
    return bool(scope_of(user).led_groups)


# The staff-side gallery pages: anyone who looks after some corridor.
rules.add_perm("corridors.use_gallery", is_street_staff | is_committee_member | leads_any_group)
