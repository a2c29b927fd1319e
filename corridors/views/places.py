"""Staff pages for places: neighbourhoods, compounds, buildings and building groups."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.export import xlsx_response
from common.listing import paginate, sort_queryset
from common.uploads import serve_private_file
from corridors.forms.places import (
    BuildingForm,
    BuildingGroupForm,
    CompoundForm,
    DepartmentForm,
    GroupFilterForm,
    NeighbourhoodForm,
    PlacesImportForm,
)
from corridors.imports import TEMPLATE_HEADERS, import_places
from corridors.models import Building, BuildingGroup, Compound, Role, RoleAssignment
from corridors.selectors import (
    departments_for_user,
    get_building_for_user,
    get_compound_for_user,
    get_department_for_user,
    get_document_for_user,
    get_group_for_user,
    get_neighbourhood_for_user,
    neighbourhoods_for_user,
    require,
    scope_of,
    staff_groups_for_user,
    streets_for_user,
)
from corridors.services import places as services


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


def _add_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field if the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
    else:
        form.add_error(None, error)


def _form_page(request, form, *, title, back, obj=None):
    return render(request, "corridors/places/form.html", {"form": form, "title": title, "back": back, "object": obj})


def _save(request, form, action, success):
    """Run ``action(**form.cleaned_data)``; True when it succeeded (and a message is queued)."""
    if not form.is_valid():
        return False
    try:
        result = action(**form.cleaned_data)
    except ValidationError as error:
        _add_errors(form, error)
        return False
    messages.success(request, success % {"name": result})
    return True


# --- Neighbourhoods ------------------------------------------------------------------


@login_required
def neighbourhood_create(request):
    require(request.user, "corridors.manage_places")
    streets = streets_for_user(request.user)
    form = NeighbourhoodForm(request.POST or None, streets=streets)
    if request.method == "POST" and _save(
        request, form, lambda **data: services.neighbourhood_create(**data), _("Neighbourhood %(name)s was added.")
    ):
        return redirect("places:list")
    return _form_page(request, form, title=_("New neighbourhood"), back=reverse("places:list"))


@login_required
def neighbourhood_edit(request, pk):
    neighbourhood = get_neighbourhood_for_user(request.user, pk)
    require(request.user, "corridors.change_place", neighbourhood)
    form = NeighbourhoodForm(request.POST or None, instance=neighbourhood)
    if request.method == "POST" and _save(
        request,
        form,
        lambda **data: services.neighbourhood_update(neighbourhood=neighbourhood, **data),
        _("Neighbourhood %(name)s was saved."),
    ):
        return redirect(neighbourhood)
    return _form_page(
        request, form, title=_("Edit neighbourhood"), back=neighbourhood.get_absolute_url(), obj=neighbourhood
    )


# --- Compounds and buildings ---------------------------------------------------------


@login_required
def compound_create(request, neighbourhood_pk):
    neighbourhood = get_neighbourhood_for_user(request.user, neighbourhood_pk)
    require(request.user, "corridors.change_place", neighbourhood)
    form = CompoundForm(request.POST or None)
    if request.method == "POST" and _save(
        request,
        form,
        lambda **data: services.compound_create(neighbourhood=neighbourhood, **data),
        _("Compound %(name)s was added."),
    ):
        return redirect(neighbourhood)
    return _form_page(request, form, title=_("New compound"), back=neighbourhood.get_absolute_url(), obj=neighbourhood)


@login_required
def compound_edit(request, pk):
    compound = get_compound_for_user(request.user, pk)
    require(request.user, "corridors.change_place", compound)
    form = CompoundForm(request.POST or None, instance=compound)
    if request.method == "POST" and _save(
        request,
        form,
        lambda **data: services.compound_update(compound=compound, **data),
        _("Compound %(name)s was saved."),
    ):
        return redirect(compound.neighbourhood)
    back = compound.neighbourhood.get_absolute_url()
    return _form_page(request, form, title=_("Edit compound"), back=back, obj=compound)


@login_required
def building_create(request, compound_pk):
    compound = get_compound_for_user(request.user, compound_pk)
    require(request.user, "corridors.change_place", compound)
    form = BuildingForm(request.POST or None)
    if request.method == "POST" and _save(
        request,
        form,
        lambda **data: services.building_create(compound=compound, **data),
        _("Building %(name)s was added."),
    ):
        return redirect(compound.neighbourhood)
    back = compound.neighbourhood.get_absolute_url()
    return _form_page(request, form, title=_("New building"), back=back, obj=compound)


@login_required
def building_edit(request, pk):
    building = get_building_for_user(request.user, pk)
    require(request.user, "corridors.change_place", building)
    form = BuildingForm(request.POST or None, instance=building)
    if request.method == "POST" and _save(
        request,
        form,
        lambda **data: services.building_update(building=building, **data),
        _("Building %(name)s was saved."),
    ):
        return redirect(building.compound.neighbourhood)
    back = building.compound.neighbourhood.get_absolute_url()
    return _form_page(request, form, title=_("Edit building"), back=back, obj=building)


# --- Building groups -----------------------------------------------------------------


@login_required
def group_create(request, building_pk):
    building = get_building_for_user(request.user, building_pk)
    require(request.user, "corridors.change_place", building)
    form = BuildingGroupForm(request.POST or None)
    if request.method == "POST" and _save(
        request,
        form,
        lambda **data: services.group_create(building=building, **data),
        _("Building group %(name)s was added."),
    ):
        return redirect(building.compound.neighbourhood)
    back = building.compound.neighbourhood.get_absolute_url()
    return _form_page(request, form, title=_("New building group"), back=back, obj=building)


@login_required
def group_edit(request, pk):
    group = get_group_for_user(request.user, pk)
    require(request.user, "corridors.change_place", group)
    form = BuildingGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and _save(
        request,
        form,
        lambda **data: services.group_update(group=group, **data),
        _("Building group %(name)s was saved."),
    ):
        return redirect(group)
    return _form_page(request, form, title=_("Edit building group"), back=group.get_absolute_url(), obj=group)


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
    neighbourhoods = neighbourhoods_for_user(request.user).filter(street_id__in=scope_of(request.user).staff_streets)
    form = GroupFilterForm(request.GET or None, neighbourhoods=neighbourhoods)
    groups = staff_groups_for_user(request.user).annotate(
        leader_count=Count("role_assignments", filter=Q(role_assignments__role=Role.LEADER))
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            groups = groups.filter(
                Q(name__icontains=data["q"])
                | Q(building__name__icontains=data["q"])
                | Q(building__compound__name__icontains=data["q"])
            )
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
    require(request.user, "corridors.manage_places")
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
    require(request.user, "corridors.manage_places")
    _form, groups = _filtered_groups(request)
    groups = groups.order_by(
        "building__compound__neighbourhood__name", "building__compound__name", "building__name", "name", "pk"
    )
    rows = (
        (
            g.building.compound.neighbourhood.name,
            g.building.compound.name,
            g.building.name,
            g.name,
            g.households,
            _("yes") if g.is_active else _("no"),
            g.leader_count,
            ", ".join(a.user.masked_name for a in g.leaders),
        )
        for g in groups
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


# --- Import --------------------------------------------------------------------------


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


# --- Departments ---------------------------------------------------------------------


@login_required
def department_list(request):
    require(request.user, "corridors.manage_places")
    departments = departments_for_user(request.user).filter(street_id__in=scope_of(request.user).staff_streets)
    return render(request, "corridors/places/department_list.html", {"departments": departments})


@login_required
def department_create(request):
    require(request.user, "corridors.manage_places")
    streets = streets_for_user(request.user)
    form = DepartmentForm(request.POST or None, streets=streets)
    if request.method == "POST" and _save(
        request, form, lambda **data: services.department_create(**data), _("Department %(name)s was added.")
    ):
        return redirect("places:departments")
    return _form_page(request, form, title=_("New department"), back=reverse("places:departments"))


@login_required
def department_edit(request, pk):
    department = get_department_for_user(request.user, pk)
    require(request.user, "corridors.change_place", department)
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST" and _save(
        request,
        form,
        lambda **data: services.department_update(department=department, **data),
        _("Department %(name)s was saved."),
    ):
        return redirect("places:departments")
    return _form_page(request, form, title=_("Edit department"), back=reverse("places:departments"), obj=department)


urlpatterns = [
    path("", neighbourhood_list, name="list"),
    path("neighbourhoods/<int:pk>/", neighbourhood_detail, name="neighbourhood"),
    path("groups/<int:pk>/", group_detail, name="group"),
    path("documents/<int:pk>/", document_download, name="document"),
    path("neighbourhoods/new/", neighbourhood_create, name="neighbourhood_create"),
    path("neighbourhoods/<int:pk>/edit/", neighbourhood_edit, name="neighbourhood_edit"),
    path("neighbourhoods/<int:pk>/import/", neighbourhood_import, name="import"),
    path("import-template.xlsx", import_template, name="import_template"),
    path("neighbourhoods/<int:neighbourhood_pk>/compounds/new/", compound_create, name="compound_create"),
    path("compounds/<int:pk>/edit/", compound_edit, name="compound_edit"),
    path("compounds/<int:compound_pk>/buildings/new/", building_create, name="building_create"),
    path("buildings/<int:pk>/edit/", building_edit, name="building_edit"),
    path("buildings/<int:building_pk>/groups/new/", group_create, name="group_create"),
    path("groups/", group_list, name="groups"),
    path("groups/export.xlsx", group_export, name="groups_export"),
    path("groups/<int:pk>/edit/", group_edit, name="group_edit"),
    path("groups/<int:pk>/activate/", group_set_active, {"active": True}, name="group_activate"),
    path("groups/<int:pk>/deactivate/", group_set_active, {"active": False}, name="group_deactivate"),
    path("departments/", department_list, name="departments"),
    path("departments/new/", department_create, name="department_create"),
    path("departments/<int:pk>/edit/", department_edit, name="department_edit"),
]
