"""Signed-in pages for a corridor's gallery and activities: the overview and one group's page.

Leaders curate their group's gallery (``corridors.curate_gallery``); street staff and the
neighbourhood committee hide and unhide works (``corridors.moderate_gallery``); all three
manage activities (``corridors.manage_activities``). Objects are fetched through the
scoped helpers of ``corridors.selectors`` (outside the user's scope: 404), then the
permission is checked on the work's group (403). Nothing new is added to a deactivated
group: writes fetch it through ``get_active_group_for_user`` (404). Works are in ``works``,
activities in ``activities``.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render

from common.http import address_maker
from common.listing import LIST_COUNT_LIMIT, paginate
from common.permissions import require
from corridors.models import Activity, BuildingGroup, GalleryWork, WorkImage
from corridors.selectors import activities_for_user, get_group_for_user, groups_for_user

CURATE = "corridors.curate_gallery"
MODERATE = "corridors.moderate_gallery"
ACTIVITIES = "corridors.manage_activities"


def permissions_on(user, group) -> dict:
    return {
        "can_curate": user.has_perm(CURATE, group),
        "can_moderate": user.has_perm(MODERATE, group),
        "can_manage_activities": user.has_perm(ACTIVITIES, group),
    }


def get_active_group_for_user(user, pk):
    """A group in the user's scope that is still active: the only kind that takes new works or activities."""
    return get_object_or_404(groups_for_user(user).filter(is_active=True), pk=pk)


@login_required
def index(request):
    """The groups in the user's care, 25 a page: the sort over four joined tables picks keys
    only, then the page's groups are read and counted (works by state, activities) by key.
    Counting every group's works at once made a street's page 750 KB and ~300 ms of SQL."""
    require(request.user, "corridors.use_gallery")
    groups = groups_for_user(request.user).filter(is_active=True)
    keys = groups.order_by(
        "building__compound__neighbourhood__name", "building__compound__name", "building__name", "name", "pk"
    ).values_list("pk", flat=True)
    page = paginate(keys, request, count_limit=LIST_COUNT_LIMIT)
    # The page's 25 groups by key, as plain values with each count its own subquery: the
    # join of works and activities grouped by every column of the group and its four places
    # made each group's works times its activities rows, and 25 model instances.
    works = GalleryWork.objects.filter(group=OuterRef("pk"))
    rows = (
        BuildingGroup.objects.filter(pk__in=list(page.object_list))
        .order_by()
        .values_list(
            "pk",
            "name",
            "building__name",
            "building__compound__name",
            "building__compound__neighbourhood__name",
            *(_count(works.filter(state=state)) for state in _STATES),
            _count(Activity.objects.filter(group=OuterRef("pk"))),
        )
    )
    address = address_maker("gallery:group")
    found = {
        pk: {
            "url": address(pk),
            "label": f"{compound} {building} {name}",
            "neighbourhood": neighbourhood,
            "published": published,
            "drafts": drafts,
            "hidden": hidden,
            "activity_count": activities,
        }
        for pk, name, building, compound, neighbourhood, published, drafts, hidden, activities in rows
    }
    page.object_list = [found[key] for key in page.object_list if key in found]
    return render(request, "corridors/gallery/index.html", {"groups": page.object_list, "page_obj": page})


_STATES = (GalleryWork.State.PUBLISHED, GalleryWork.State.DRAFT, GalleryWork.State.HIDDEN)


def _count(rows):
    """``COUNT(*)`` of ``rows`` (filtered by ``OuterRef("pk")``) as a column of the outer query."""
    counted = rows.order_by().values("group").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


@login_required
def group_gallery(request, group_pk):
    group = get_group_for_user(request.user, group_pk)
    works = group.works.order_by("state", "-published_at", "-pk").prefetch_related(
        Prefetch("images", queryset=WorkImage.objects.order_by("order", "pk"))
    )
    activities = activities_for_user(request.user).filter(group=group).order_by("-starts_at")
    context = {"group": group, "works": works, "activities": activities, **permissions_on(request.user, group)}
    return render(request, "corridors/gallery/group.html", context)
