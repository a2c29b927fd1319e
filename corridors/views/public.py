"""Pages for residents, no sign-in: street → neighbourhood → corridor."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import path

from corridors.models import BuildingGroup, GroupPhoto, Neighbourhood, Street


def _public_groups():
    return BuildingGroup.objects.filter(is_active=True).select_related("building__compound__neighbourhood")


def home(request):
    streets = Street.objects.prefetch_related(
        Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("name"))
    )
    return render(request, "public/home.html", {"streets": streets})


def neighbourhood(request, pk):
    place = get_object_or_404(Neighbourhood.objects.select_related("street"), pk=pk)
    groups = (
        _public_groups()
        .filter(building__compound__neighbourhood=place)
        .order_by("building__compound__name", "building__name", "name")
    )
    return render(request, "public/neighbourhood.html", {"neighbourhood": place, "groups": groups})


def corridor(request, pk):
    # Public pages show active groups only; everything on them is public by design.
    group = get_object_or_404(_public_groups(), pk=pk)
    photos = GroupPhoto.objects.filter(building_group=group)[:24]
    return render(request, "public/corridor.html", {"group": group, "photos": photos})


urlpatterns = [
    path("", home, name="home"),
    path("neighbourhoods/<int:pk>/", neighbourhood, name="neighbourhood"),
    path("corridors/<int:pk>/", corridor, name="corridor"),
]
