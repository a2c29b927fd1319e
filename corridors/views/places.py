"""Staff pages for places: neighbourhoods, compounds, buildings and building groups."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import render
from django.urls import path

from common.uploads import serve_private_file
from corridors.access import (
    get_document_for_user,
    get_group_for_user,
    get_neighbourhood_for_user,
    neighbourhoods_for_user,
    require,
)
from corridors.models import Building, BuildingGroup, Compound, Role, RoleAssignment


@login_required
def neighbourhood_list(request):
    neighbourhoods = neighbourhoods_for_user(request.user).annotate(
        compound_count=Count("compounds", distinct=True),
        group_count=Count("compounds__buildings__groups", distinct=True),
    )
    return render(request, "corridors/places/neighbourhood_list.html", {"neighbourhoods": neighbourhoods})


@login_required
def neighbourhood_detail(request, pk):
    neighbourhood = get_neighbourhood_for_user(request.user, pk)
    leaders = RoleAssignment.objects.filter(role=Role.LEADER).select_related("user")
    groups = BuildingGroup.objects.order_by("name").prefetch_related(Prefetch("role_assignments", queryset=leaders))
    buildings = Building.objects.order_by("name").prefetch_related(Prefetch("groups", queryset=groups))
    compounds = Compound.objects.filter(neighbourhood=neighbourhood).prefetch_related(
        Prefetch("buildings", queryset=buildings)
    )
    return render(
        request,
        "corridors/places/neighbourhood_detail.html",
        {"neighbourhood": neighbourhood, "compounds": compounds},
    )


@login_required
def group_detail(request, pk):
    group = get_group_for_user(request.user, pk)
    require(request.user, "corridors.view_group_page", group)
    leaders = RoleAssignment.objects.filter(building_group=group, role=Role.LEADER).select_related("user")
    return render(
        request,
        "corridors/places/group_detail.html",
        {
            "group": group,
            "leaders": leaders,
            "photos": group.photos.all()[:12],
            "documents": group.documents.all(),
            "can_change": request.user.has_perm("corridors.change_place", group),
            "can_add_file": request.user.has_perm("corridors.add_group_file", group),
        },
    )


@login_required
def document_download(request, pk):
    document = get_document_for_user(request.user, pk)
    require(request.user, "corridors.view_group_document", document.building_group)
    return serve_private_file(document.file, download_name=document.download_name)




urlpatterns = [
    path("", neighbourhood_list, name="list"),
    path("neighbourhoods/<int:pk>/", neighbourhood_detail, name="neighbourhood"),
    path("groups/<int:pk>/", group_detail, name="group"),
    path("documents/<int:pk>/", document_download, name="document"),
]
