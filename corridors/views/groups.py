"""The street's building-group list: filters, sorting, paging and the .xlsx export."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from common.export import xlsx_response
from common.listing import paginate, sort_queryset
from common.masking import mask_name
from common.permissions import require
from common.search import search_filter
from corridors.forms.places import GroupFilterForm
from corridors.forms.street_filter import add_street_field, filter_by_street
from corridors.models import Role, RoleAssignment
from corridors.selectors import neighbourhoods_for_user, scope_of, staff_groups_for_user, streets_for_user

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
    add_street_field(form, streets_for_user(request.user))
    groups = filter_by_street(staff_groups_for_user(request.user), form, "building__compound__neighbourhood__street_id")
    groups = groups.annotate(leader_count=Count("role_assignments", filter=Q(role_assignments__role=Role.LEADER)))
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            groups = search_filter(groups, data["q"])
        if data["neighbourhood"]:
            groups = groups.filter(building__compound__neighbourhood=data["neighbourhood"])
        if data["has_leader"] == "yes":
            groups = groups.filter(leader_count__gt=0)
        elif data["has_leader"] == "no":
            groups = groups.filter(leader_count=0)
    leaders = RoleAssignment.objects.filter(role=Role.LEADER).select_related("user")
    groups = groups.prefetch_related(Prefetch("role_assignments", queryset=leaders, to_attr="leaders"))
    return form, groups


@login_required
def group_list(request):
    require(request.user, "corridors.view_street_lists")
    form, groups = _filtered_groups(request)
    groups, sort = sort_queryset(groups, request, GROUP_SORTS, default="neighbourhood")
    page = paginate(groups, request)
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
