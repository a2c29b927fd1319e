"""The street office's set-up pages: request categories and representatives' terms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.forms import CategoryActiveForm, CategoryForm, CategoryRenameForm, TermForm
from consultations.models import RepresentativeTerm
from consultations.selectors import categories_for_user, get_category_for_user
from consultations.services import (
    ConsultationError,
    category_add,
    category_rename,
    category_set_active,
    representative_term_add,
)
from corridors.models import Role, RoleAssignment
from corridors.selectors import require, streets_for_user

# --- Categories ----------------------------------------------------------------------------


@login_required
def categories(request):
    """The street's categories: add one, rename, deactivate or reactivate (requests keep theirs)."""
    require(request.user, "consultations.manage_categories")
    form = CategoryForm(request.POST or None, streets=streets_for_user(request.user).order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            added = category_add(actor=request.user, street=form.cleaned_data["street"], name=form.cleaned_data["name"])
        except ConsultationError as error:
            form.add_error("name", error.reason)
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
        "consultations/categories.html",
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
    except ConsultationError as error:
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
    except ConsultationError as error:
        messages.error(request, error.reason)
    else:
        message = _("“%(name)s” is offered again.") if active else _("“%(name)s” is no longer offered.")
        messages.success(request, message % {"name": category.name})
    return redirect("consultations:categories")


# --- Representatives' terms -------------------------------------------------------------------


@login_required
def representatives(request):
    """The street's representatives with the terms they serve; record a new term."""
    require(request.user, "consultations.manage_terms")
    streets = streets_for_user(request.user)
    form = TermForm(request.POST or None, streets=streets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assignment = data["assignment"]
        try:
            representative_term_add(
                actor=request.user,
                representative=assignment.user,
                neighbourhood=assignment.neighbourhood,
                term=data["term"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ConsultationError as error:
            form.add_error(None, error.reason)
        else:
            messages.success(request, _("Term recorded."))
            return redirect("consultations:representatives")
    assignments = (
        RoleAssignment.objects.filter(role=Role.REPRESENTATIVE, street__in=streets)
        .select_related("user", "neighbourhood")
        .order_by("neighbourhood__name", "user__full_name", "pk")
    )
    terms = list(RepresentativeTerm.objects.filter(neighbourhood__street__in=streets).select_related("neighbourhood"))
    by_person = {}
    for term in terms:
        by_person.setdefault((term.representative_id, term.neighbourhood_id), []).append(term)
    rows = [(a, by_person.get((a.user_id, a.neighbourhood_id), [])) for a in assignments]
    return render(
        request,
        "consultations/representatives.html",
        {"form": form, "rows": rows, "today": timezone.localdate()},
        status=400 if form.errors else 200,
    )
