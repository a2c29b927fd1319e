"""The street's building-group list: filters, sorting, paging and the .xlsx export."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.export import XLSX_TYPE
from common.listing import paginate, sort_queryset
from common.permissions import require
from corridors.group_export import filename, filtered_groups, group_rows, is_large, workbook
from corridors.list_counts import CachedCount, count_key
from corridors.selectors import scope_of
from jobs.exports import export_request

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
    return filtered_groups(request.user, request.GET)


@login_required
def group_list(request):
    require(request.user, "corridors.view_street_lists")
    form, groups = _filtered_groups(request)
    groups, sort = sort_queryset(groups, request, GROUP_SORTS, default="neighbourhood")
    # The sort over four joined tables picks keys only; the page's rows come by key, as plain
    # values; the bounded count is kept in the cache until a group, place or role changes
    # (list_counts).
    keys = CachedCount(groups.values_list("pk", flat=True), count_key("groups", scope_of(request.user), request.GET))
    page = paginate(keys, request, count_limit=COUNT_LIMIT)
    page.object_list = group_rows(list(page.object_list))
    return render(
        request,
        "corridors/places/group_list.html",
        {"form": form, "page_obj": page, "groups": page.object_list, "sort": sort},
    )


@login_required
def group_export(request):
    require(request.user, "corridors.view_street_lists")
    _form, groups = _filtered_groups(request)
    if is_large(groups):
        # A district's list: built by the job queue, the request answers at once.
        export = export_request(
            user=request.user,
            builder="corridors.building_groups",
            params=request.GET.dict(),
            title=_("Building groups"),
        )
        return redirect(export.get_absolute_url())
    response = HttpResponse(workbook(groups), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename()}"'
    return response
