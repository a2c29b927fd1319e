"""The street's building-group list: filters, sorting, paging and the .xlsx export."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from common.export import xlsx_response
from common.listing import page_rows, paginate, sort_queryset
from common.masking import mask_name
from common.permissions import require
from common.search import search_filter
from corridors.forms.places import GroupFilterForm
from corridors.models import Role, RoleAssignment
from corridors.selectors import neighbourhoods_for_user, scope_of, staff_groups_for_user

# The list counts at most this many groups (common.listing.BoundedPaginator): a district
# user sees "more than 5,000" and filters, instead of a COUNT over every group each time.
COUNT_LIMIT = 5000

GROUP_SORTS = {
    "name": "name",
    "building": "building__name",
    "compound": "building__compound__name",
    "neighbourhood": "building__compound__neighbourhood__name",
    "households": "households",
    "leaders": "leader_count",
}


def _filtered_groups(request):
    """The user's street groups with leader counts, filtered by the GET parameters."""
    neighbourhoods = neighbourhoods_for_user(request.user).filter(street_id__in=scope_of(request.user).visible_streets)
    form = GroupFilterForm(request.GET or None, neighbourhoods=neighbourhoods)
    # Per row, not a GROUP BY over the join: a district's 20,000 groups are then sorted and
    # cut to a page before any leader is counted (PostgreSQL evaluates the subquery for the
    # rows it returns).
    leaders_of = RoleAssignment.objects.filter(role=Role.LEADER, building_group=OuterRef("pk"))
    counted = leaders_of.order_by().values("building_group").annotate(n=Count("pk")).values("n")
    groups = staff_groups_for_user(request.user).annotate(leader_count=Coalesce(Subquery(counted), 0))
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
    leaders = RoleAssignment.objects.filter(role=Role.LEADER).select_related("user")
    groups = groups.prefetch_related(Prefetch("role_assignments", queryset=leaders, to_attr="leaders"))
    return form, groups


@login_required
def group_list(request):
    require(request.user, "corridors.view_street_lists")
    form, groups = _filtered_groups(request)
    groups, sort = sort_queryset(groups, request, GROUP_SORTS, default="neighbourhood")
    # The sort over four joined tables picks keys only; the page's rows come by key.
    page = page_rows(paginate(groups.values_list("pk", flat=True), request, count_limit=COUNT_LIMIT), groups)
    return render(
        request,
        "corridors/places/group_list.html",
        {"form": form, "page_obj": page, "groups": page.object_list, "sort": sort},
    )


@login_required
def group_export(request):
    require(request.user, "corridors.view_street_lists")
    _form, groups = _filtered_groups(request)
    groups = groups.order_by(
        "building__compound__neighbourhood__name", "building__compound__name", "building__name", "name", "pk"
    )
    # Plain tuples, not model instances: a district's 20,000 groups are written in seconds
    # (common.export streams them into the workbook). Leaders' names come masked.
    leaders = {}
    for group_id, full_name, username in (
        RoleAssignment.objects.filter(role=Role.LEADER, building_group__in=groups.values("pk"))
        .order_by("pk")
        .values_list("building_group_id", "user__full_name", "user__username")
    ):
        leaders.setdefault(group_id, []).append(mask_name(full_name or username))
    yes, no = _("yes"), _("no")
    rows = (
        (
            neighbourhood,
            compound,
            building,
            name,
            households,
            yes if active else no,
            count,
            ", ".join(leaders.get(pk, [])),
        )
        for pk, neighbourhood, compound, building, name, households, active, count in groups.prefetch_related(None)
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
        .iterator(chunk_size=2000)
    )
    return xlsx_response(
        filename=f"building-groups-{timezone.localdate():%Y%m%d}.xlsx",
        sheet_title=_("Building groups"),
        headers=[
            _("Neighbourhood"),
            _("Compound"),
            _("Building"),
            _("Building group"),
            _("Households"),
            _("Active"),
            _("Leaders"),
            _("Leader names"),
        ],
        rows=rows,
    )
