"""Importing a neighbourhood's compounds, buildings and groups from a spreadsheet (``corridors.imports``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.export import xlsx_response
from common.permissions import require
from corridors.forms.places import PlacesImportForm
from corridors.imports import TEMPLATE_HEADERS, TREE_TEMPLATE_HEADERS, import_places, import_street_tree
from corridors.selectors import get_neighbourhood_for_user, streets_for_user


@login_required
def neighbourhood_import(request, pk):
    neighbourhood = get_neighbourhood_for_user(request.user, pk)
    require(request.user, "corridors.change_place", neighbourhood)
    form = PlacesImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_places(neighbourhood=neighbourhood, file=form.cleaned_data["file"])
        if result.ok:
            messages.success(
                request,
                _(
                    "Import finished: %(compounds)s compounds, %(buildings)s buildings and %(groups)s building groups "
                    "added; %(present)s building groups were already present."
                )
                % {
                    "compounds": result.compounds_created,
                    "buildings": result.buildings_created,
                    "groups": result.groups_created,
                    "present": result.groups_present,
                },
            )
            return redirect(neighbourhood)
    return render(
        request,
        "corridors/places/import.html",
        {"neighbourhood": neighbourhood, "form": form, "result": result},
    )


@login_required
def import_template(request):
    require(request.user, "corridors.manage_places")
    # Headers only: an example row left in by mistake would be imported as a real building.
    return xlsx_response(filename="places-import-template.xlsx", sheet_title="楼组", headers=TEMPLATE_HEADERS, rows=[])


@login_required
def street_import(request, pk):
    """A street's whole tree (neighbourhoods, compounds, buildings, groups) from one spreadsheet."""
    street = get_object_or_404(streets_for_user(request.user), pk=pk)
    require(request.user, "corridors.change_place", street)
    form = PlacesImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_street_tree(street=street, file=form.cleaned_data["file"])
        if result.ok:
            messages.success(
                request,
                _(
                    "Import finished: %(neighbourhoods)s neighbourhoods, %(compounds)s compounds, "
                    "%(buildings)s buildings and %(groups)s building groups added; "
                    "%(present)s building groups were already present."
                )
                % {
                    "neighbourhoods": result.neighbourhoods_created,
                    "compounds": result.compounds_created,
                    "buildings": result.buildings_created,
                    "groups": result.groups_created,
                    "present": result.groups_present,
                },
            )
            return redirect("places:list")
    return render(request, "corridors/places/street_import.html", {"street": street, "form": form, "result": result})


@login_required
def street_import_template(request):
    require(request.user, "corridors.manage_places")
    return xlsx_response(
        filename="street-tree-template.xlsx", sheet_title="街道", headers=TREE_TEMPLATE_HEADERS, rows=[]
    )
