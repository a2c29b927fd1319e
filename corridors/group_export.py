"""The staff list of building groups, filtered, and its .xlsx (the page, the export and its job).

Up to ``EXPORT_INLINE_LIMIT`` groups the workbook is written inside the request; beyond that
(a district user's 20,000 groups) the request only records an export for the job queue and
answers at once with the export's page (``jobs.exports``): a few seconds of workbook writing
never hold one of the site's workers.
"""

from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from common.export import write_xlsx
from common.http import address_maker
from common.listing import Row
from common.masking import mask_name
from common.search import search_filter
from corridors.forms.places import GroupFilterForm
from corridors.forms.street_filter import add_street_field, filter_by_street
from corridors.models import BuildingGroup, Role, RoleAssignment
from corridors.selectors import neighbourhoods_for_user, scope_of, staff_groups_for_user
from jobs.exports import exporter

EXPORT_INLINE_LIMIT = 2000


def filtered_groups(user, data):
    """(form, groups): the user's street groups with leader counts, filtered by ``data`` (GET)."""
    neighbourhoods = neighbourhoods_for_user(user).filter(street_id__in=scope_of(user).visible_streets)
    form = GroupFilterForm(data or None, neighbourhoods=neighbourhoods)
    add_street_field(form, scope_of(user).visible_streets)
    # Per row, not a GROUP BY over the join: a district's 20,000 groups are then sorted and
    # cut to a page before any leader is counted (PostgreSQL evaluates the subquery for the
    # rows it returns).
    leaders_of = RoleAssignment.objects.filter(role=Role.LEADER, building_group=OuterRef("pk"))
    counted = leaders_of.order_by().values("building_group").annotate(n=Count("pk")).values("n")
    groups = filter_by_street(staff_groups_for_user(user), form, "building__compound__neighbourhood__street_id")
    groups = groups.annotate(leader_count=Coalesce(Subquery(counted), 0))
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            groups = search_filter(groups, data["q"])
        if data["neighbourhood"]:
            groups = groups.filter(building__compound__neighbourhood=data["neighbourhood"])
        if data["has_leader"] == "yes":
            groups = groups.filter(Exists(leaders_of))
        elif data["has_leader"] == "no":
            groups = groups.filter(~Exists(leaders_of))
    return form, groups


def group_rows(keys: list[int]) -> list[dict]:
    """The list page's rows for the groups ``keys``, in that order, as plain values: the group,
    its places' names, the address of its page and its leaders' masked names. Model instances
    of four places and the leaders' users, and a ``reverse()`` a row, cost more than the page's
    two queries (``tests/corridors/test_group_list_rows.py``)."""
    leaders: dict[int, list[str]] = {}
    for group_id, full_name, username in (
        RoleAssignment.objects.filter(role=Role.LEADER, building_group_id__in=keys)
        .order_by("pk")
        .values_list("building_group_id", "user__full_name", "user__username")
    ):
        leaders.setdefault(group_id, []).append(mask_name(full_name or username))
    address = address_maker("places:group")
    rows = {
        row["pk"]: Row(row)
        for row in BuildingGroup.objects.filter(pk__in=keys).values(
            "pk",
            "name",
            "households",
            "is_active",
            neighbourhood_name=F("building__compound__neighbourhood__name"),
            compound_name=F("building__compound__name"),
            building_name=F("building__name"),
        )
    }
    for key, row in rows.items():
        row["url"] = address(key)
        row["leaders"] = leaders.get(key, ())
    return [rows[key] for key in keys if key in rows]


def is_large(groups) -> bool:
    return groups.order_by()[: EXPORT_INLINE_LIMIT + 1].count() > EXPORT_INLINE_LIMIT


def filename() -> str:
    return f"building-groups-{timezone.localdate():%Y%m%d}.xlsx"


def workbook(groups, progress=None):
    """The .xlsx of ``groups`` (bytes): plain tuples, not model instances; leaders masked."""
    groups = groups.order_by(
        "building__compound__neighbourhood__name", "building__compound__name", "building__name", "name", "pk"
    )
    leaders = {}
    for group_id, full_name, username in (
        RoleAssignment.objects.filter(role=Role.LEADER, building_group__in=groups.values("pk"))
        .order_by("pk")
        .values_list("building_group_id", "user__full_name", "user__username")
    ):
        leaders.setdefault(group_id, []).append(mask_name(full_name or username))
    yes, no = _("yes"), _("no")

    def rows():
        for done, (pk, neighbourhood, compound, building, name, households, active, count) in enumerate(
            groups.prefetch_related(None)
            .values_list(
                "pk",
                "building__compound__neighbourhood__name",
                "building__compound__name",
                "building__name",
                "name",
                "households",
                "is_active",
                "leader_count",
            )
            .iterator(chunk_size=2000),
            start=1,
        ):
            if progress is not None and done % 2000 == 0:
                progress(done, 0)
            names = ", ".join(leaders.get(pk, []))
            yield (neighbourhood, compound, building, name, households, yes if active else no, count, names)

    headers = [
        _("Neighbourhood"),
        _("Compound"),
        _("Building"),
        _("Building group"),
        _("Households"),
        _("Active"),
        _("Leaders"),
        _("Leader names"),
    ]
    return write_xlsx(headers, rows(), sheet_title=_("Building groups"))


@exporter("corridors.building_groups")
def building_groups_export(*, params, user, progress):
    """The job's side: the same filters, as the requesting user (same scope as the page)."""
    _form, groups = filtered_groups(user, params)
    total = groups.order_by().count()
    progress(0, total)
    data = workbook(groups, progress=lambda done, _total: progress(done, total))
    progress(total, total)
    return filename(), data
