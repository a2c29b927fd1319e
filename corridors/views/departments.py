"""Staff pages for the street's departments (职能部门), who staff the consultation stalls."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.permissions import require
from corridors.forms.places import DepartmentForm
from corridors.models import RoleAssignment
from corridors.selectors import departments_for_user, get_department_for_user, scope_of, staff_streets_for_user
from corridors.services import places as services
from corridors.views.places import form_page, save_form


@login_required
def department_list(request):
    require(request.user, "corridors.manage_places")
    heads = RoleAssignment.objects.filter(is_head=True).select_related("user")
    departments = (
        departments_for_user(request.user)
        .filter(street_id__in=scope_of(request.user).staff_streets)
        .prefetch_related(Prefetch("role_assignments", queryset=heads, to_attr="heads"))
    )
    return render(request, "corridors/places/department_list.html", {"departments": departments})


@login_required
def department_create(request):
    require(request.user, "corridors.manage_places")
    streets = staff_streets_for_user(request.user)
    form = DepartmentForm(request.POST or None, streets=streets)
    if request.method == "POST" and save_form(
        request, form, lambda **data: services.department_create(**data), _("Department %(name)s was added.")
    ):
        return redirect("places:departments")
    return form_page(request, form, title=_("New department"), back=reverse("places:departments"))


@login_required
def department_edit(request, pk):
    department = get_department_for_user(request.user, pk)
    require(request.user, "corridors.change_place", department)
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda **data: services.department_update(department=department, **data),
        _("Department %(name)s was saved."),
    ):
        return redirect("places:departments")
    return form_page(request, form, title=_("Edit department"), back=reverse("places:departments"), obj=department)
