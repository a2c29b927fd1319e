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
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from common.listing import LIST_COUNT_LIMIT, page_rows, paginate
from common.permissions import require
from corridors.models import GalleryWork, WorkImage
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
    only, then the page's groups are counted (works by state, activities) by key. Counting
    every group's works at once made a street's page 750 KB and ~300 ms of SQL."""
    require(request.user, "corridors.use_gallery")
    groups = groups_for_user(request.user).filter(is_active=True)
    keys = groups.order_by(
        "building__compound__neighbourhood__name", "building__compound__name", "building__name", "name", "pk"
    ).values_list("pk", flat=True)
    page = paginate(keys, request, count_limit=LIST_COUNT_LIMIT)
    counted = groups.annotate(
        published=Count("works", filter=Q(works__state=GalleryWork.State.PUBLISHED), distinct=True),
        drafts=Count("works", filter=Q(works__state=GalleryWork.State.DRAFT), distinct=True),
        hidden=Count("works", filter=Q(works__state=GalleryWork.State.HIDDEN), distinct=True),
        activity_count=Count("activities", distinct=True),
    )
    page = page_rows(page, counted)
    return render(request, "corridors/gallery/index.html", {"groups": page.object_list, "page_obj": page})


@login_required
def group_gallery(request, group_pk):
    group = get_group_for_user(request.user, group_pk)
    works = group.works.order_by("state", "-published_at", "-pk").prefetch_related(
        Prefetch("images", queryset=WorkImage.objects.order_by("order", "pk"))
    )
    activities = activities_for_user(request.user).filter(group=group).order_by("-starts_at")
    context = {"group": group, "works": works, "activities": activities, **permissions_on(request.user, group)}
    return render(request, "corridors/gallery/group.html", context)
