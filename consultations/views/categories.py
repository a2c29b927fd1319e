"""The street office's request categories: add one, rename, deactivate or reactivate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import add_errors
from common.permissions import require
from common.refusals import Refused
from consultations.forms.categories import CategoryActiveForm, CategoryForm, CategoryRenameForm
from consultations.selectors import categories_for_user, get_category_for_user
from consultations.services.categories import category_add, category_rename, category_set_active
from corridors.selectors import staff_streets_for_user


@login_required
def categories(request):
    """The street's categories: add one, rename, deactivate or reactivate (requests keep theirs)."""
    require(request.user, "consultations.manage_categories")
    form = CategoryForm(request.POST or None, streets=staff_streets_for_user(request.user).order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            added = category_add(actor=request.user, street=form.cleaned_data["street"], name=form.cleaned_data["name"])
        except Refused as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Category “%(name)s” added.") % {"name": added.name})
            return redirect("consultations:categories")
    rows = (
        categories_for_user(request.user)
        .annotate(request_count=Count("requests"))
        .order_by("street__name", "-is_active", "position", "name")
    )
    return render(
        request,
        "consultations/categories/categories.html",
        {"form": form, "categories": rows, "several_streets": form.several_streets},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def category_rename_view(request, pk):
    require(request.user, "consultations.manage_categories")
    category = get_category_for_user(request.user, pk)
    form = CategoryRenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the category a name."))
        return redirect("consultations:categories")
    old_name = category.name
    try:
        renamed = category_rename(actor=request.user, category=category, name=form.cleaned_data["name"])
    except Refused as error:
        messages.error(request, error.reason)
    else:
        messages.success(
            request, _("Category “%(old)s” renamed to “%(new)s”.") % {"old": old_name, "new": renamed.name}
        )
    return redirect("consultations:categories")


@login_required
@require_POST
def category_active_view(request, pk):
    require(request.user, "consultations.manage_categories")
    category = get_category_for_user(request.user, pk)
    form = CategoryActiveForm(request.POST)
    form.is_valid()
    active = form.cleaned_data.get("active", False)
    try:
        category_set_active(actor=request.user, category=category, active=active)
    except Refused as error:
        messages.error(request, error.reason)
    else:
        message = _("“%(name)s” is offered again.") if active else _("“%(name)s” is no longer offered.")
        messages.success(request, message % {"name": category.name})
    return redirect("consultations:categories")
