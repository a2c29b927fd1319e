"""Staff pages for places: neighbourhoods, compounds, buildings and building groups, one at a time.

The building-group list is in ``groups``, the import in ``place_imports``, departments in
``departments``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import add_errors
from common.http import address_maker
from common.permissions import require
from common.uploads import serve_private_file
from corridors.forms.places import BuildingForm, BuildingGroupForm, CompoundForm, NeighbourhoodForm
from corridors.list_counts import TIMEOUT, count_key
from corridors.models import Building, BuildingGroup, Compound, Role, RoleAssignment
from corridors.selectors import (
    get_building_for_user,
    get_compound_for_user,
    get_document_for_user,
    get_group_for_user,
    get_neighbourhood_for_user,
    neighbourhoods_for_user,
    scope_of,
    staff_streets_for_user,
)
from corridors.services import places as services


@login_required
def neighbourhood_list(request):
    # Plain values addressed from one reversal: a district's hundred rows are no model
    # instances with their street, and no ``reverse()`` each.
    rows = neighbourhoods_for_user(request.user).select_related(None).values_list("pk", "name", "committee_name")
    counts = _place_counts(request.user)
    address = address_maker("places:neighbourhood")
    neighbourhoods = [
        {
            "url": address(pk),
            "name": name,
            "committee_name": committee_name,
            "compound_count": counts.get(pk, (0, 0))[0],
            "group_count": counts.get(pk, (0, 0))[1],
        }
        for pk, name, committee_name in rows
    ]
    return render(
        request,
        "corridors/places/neighbourhood_list.html",
        {"neighbourhoods": neighbourhoods, "import_streets": staff_streets_for_user(request.user)},
    )


def _place_counts(user) -> dict[int, tuple[int, int]]:
    """Compounds and building groups of each neighbourhood the user reads, by key: two
    ``COUNT(DISTINCT …)`` over the join of every group of the user's streets (a district's
    20,000: 25-80 ms), kept in the cache under the reader's scope and the list generation
    (``corridors.list_counts``), which every save or delete of a place raises."""
    key = count_key("neighbourhood_places", scope_of(user), QueryDict())
    counts = cache.get(key)
    if counts is None:
        rows = neighbourhoods_for_user(user).annotate(
            compound_count=Count("compounds", distinct=True),
            group_count=Count("compounds__buildings__groups", distinct=True),
        )
        counts = {
            pk: (compounds, groups) for pk, compounds, groups in rows.values_list("pk", "compound_count", "group_count")
        }
        cache.set(key, counts, TIMEOUT)
    return counts


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
        {
            "neighbourhood": neighbourhood,
            "compounds": compounds,
            "can_change": request.user.has_perm("corridors.change_place", neighbourhood),
        },
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


# --- Helpers -------------------------------------------------------------------------


def form_page(request, form, *, title, back, obj=None):
    return render(request, "corridors/places/form.html", {"form": form, "title": title, "back": back, "object": obj})


def save_form(request, form, action, success):
    """Run ``action(**form.cleaned_data)``; True when it succeeded (and a message is queued)."""
    if not form.is_valid():
        return False
    try:
        result = action(**form.cleaned_data)
    except ValidationError as error:
        add_errors(form, error)
        return False
    messages.success(request, success % {"name": result})
    return True


# --- Neighbourhoods ------------------------------------------------------------------


@login_required
def neighbourhood_create(request):
    require(request.user, "corridors.manage_places")
    streets = staff_streets_for_user(request.user)
    form = NeighbourhoodForm(request.POST or None, streets=streets)
    if request.method == "POST" and save_form(
        request, form, lambda **data: services.neighbourhood_create(**data), _("Neighbourhood %(name)s was added.")
    ):
        return redirect("places:list")
    return form_page(request, form, title=_("New neighbourhood"), back=reverse("places:list"))


@login_required
def neighbourhood_edit(request, pk):
    neighbourhood = get_neighbourhood_for_user(request.user, pk)
    require(request.user, "corridors.change_place", neighbourhood)
    form = NeighbourhoodForm(request.POST or None, instance=neighbourhood)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda **data: services.neighbourhood_update(neighbourhood=neighbourhood, **data),
        _("Neighbourhood %(name)s was saved."),
    ):
        return redirect(neighbourhood)
    return form_page(
        request, form, title=_("Edit neighbourhood"), back=neighbourhood.get_absolute_url(), obj=neighbourhood
    )


# --- Compounds and buildings ---------------------------------------------------------


@login_required
def compound_create(request, neighbourhood_pk):
    neighbourhood = get_neighbourhood_for_user(request.user, neighbourhood_pk)
    require(request.user, "corridors.change_place", neighbourhood)
    form = CompoundForm(request.POST or None)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda **data: services.compound_create(neighbourhood=neighbourhood, **data),
        _("Compound %(name)s was added."),
    ):
        return redirect(neighbourhood)
    return form_page(request, form, title=_("New compound"), back=neighbourhood.get_absolute_url(), obj=neighbourhood)


@login_required
def compound_edit(request, pk):
    compound = get_compound_for_user(request.user, pk)
    require(request.user, "corridors.change_place", compound)
    form = CompoundForm(request.POST or None, instance=compound)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda **data: services.compound_update(compound=compound, **data),
        _("Compound %(name)s was saved."),
    ):
        return redirect(compound.neighbourhood)
    back = compound.neighbourhood.get_absolute_url()
    return form_page(request, form, title=_("Edit compound"), back=back, obj=compound)


@login_required
def building_create(request, compound_pk):
    compound = get_compound_for_user(request.user, compound_pk)
    require(request.user, "corridors.change_place", compound)
    form = BuildingForm(request.POST or None)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda **data: services.building_create(compound=compound, **data),
        _("Building %(name)s was added."),
    ):
        return redirect(compound.neighbourhood)
    back = compound.neighbourhood.get_absolute_url()
    return form_page(request, form, title=_("New building"), back=back, obj=compound)


@login_required
def building_edit(request, pk):
    building = get_building_for_user(request.user, pk)
    require(request.user, "corridors.change_place", building)
    form = BuildingForm(request.POST or None, instance=building)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda **data: services.building_update(building=building, **data),
        _("Building %(name)s was saved."),
    ):
        return redirect(building.compound.neighbourhood)
    back = building.compound.neighbourhood.get_absolute_url()
    return form_page(request, form, title=_("Edit building"), back=back, obj=building)


# --- Building groups -----------------------------------------------------------------


@login_required
def group_create(request, building_pk):
    building = get_building_for_user(request.user, building_pk)
    require(request.user, "corridors.change_place", building)
    form = BuildingGroupForm(request.POST or None)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda **data: services.group_create(building=building, **data),
        _("Building group %(name)s was added."),
    ):
        return redirect(building.compound.neighbourhood)
    back = building.compound.neighbourhood.get_absolute_url()
    return form_page(request, form, title=_("New building group"), back=back, obj=building)


@login_required
def group_edit(request, pk):
    group = get_group_for_user(request.user, pk)
    require(request.user, "corridors.change_place", group)
    form = BuildingGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda **data: services.group_update(group=group, **data),
        _("Building group %(name)s was saved."),
    ):
        return redirect(group)
    return form_page(request, form, title=_("Edit building group"), back=group.get_absolute_url(), obj=group)


@require_POST
@login_required
def group_set_active(request, pk, active):
    group = get_group_for_user(request.user, pk)
    require(request.user, "corridors.change_place", group)
    try:
        if active:
            services.group_activate(group=group)
            messages.success(request, _("Building group %(name)s is active again.") % {"name": group})
        else:
            services.group_deactivate(group=group)
            messages.success(request, _("Building group %(name)s was deactivated.") % {"name": group})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(group)
