"""The leader's draft of a warm-corridor application: start it, edit it, its budget and sketches.

Views parse the form, fetch through ``corridors.selectors`` and call one service; the
services decide and explain (``Refused.reason`` is shown as it is).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import add_errors
from common.permissions import reason_for, refuse, require
from common.refusals import Refused
from corridors.forms.applications import ApplicationForm, BudgetItemForm, SketchForm
from corridors.models import ProgrammeYear, Role
from corridors.selectors import (
    application_roles,
    applications_for_user,
    get_application_for_user,
    get_group_for_user,
)
from corridors.services.applications import (
    application_budget_item_add,
    application_budget_item_remove,
    application_create,
    application_sketch_add,
    application_sketch_remove,
    application_update,
)
from corridors.views.applications import budget_of, can_edit
from corridors.workflows.application import CLOSED_STATES


def _latest_year(street_id):
    return ProgrammeYear.objects.filter(street_id=street_id).order_by("-year").first()


@login_required
def application_new(request, group_pk):
    group = get_group_for_user(request.user, group_pk)
    require(request.user, "corridors.start_application", group)
    street = group.building.compound.neighbourhood.street
    year = _latest_year(street.pk)
    if year is None:
        messages.error(request, _("The street office has not opened a programme year yet."))
        return redirect("home")
    live = applications_for_user(request.user).filter(group=group, programme_year=year).exclude(state__in=CLOSED_STATES)
    if existing := live.first():
        messages.info(request, _("This building group already has an application for %(year)s.") % {"year": year.year})
        return redirect(existing)
    form = ApplicationForm(request.POST or None, street=street, households=group.households)
    if request.method == "POST" and form.is_valid():
        try:
            application = application_create(actor=request.user, group=group, programme_year=year, **form.cleaned_data)
        except (Refused, ValidationError) as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Add the budget and sketches, then submit it."))
            return redirect("applications:edit", application.pk)
    return render(request, "corridors/applications/new.html", {"form": form, "group": group, "year": year})


def _edit_page(request, application, *, form=None, budget_form=None, sketch_form=None, status=200):
    group = application.group
    if form is None:
        latest = application.convention_versions.order_by("-number").first()
        form = ApplicationForm(
            street=group.building.compound.neighbourhood.street,
            households=group.households,
            initial={
                "theme": application.theme_id,
                "title": application.title,
                "plan": application.plan,
                "convention": latest.text if latest else "",
                "households_agreed": application.households_agreed,
            },
        )
    budget_form, sketch_form = budget_form or BudgetItemForm(), sketch_form or SketchForm()
    # Both sit in the page's one form: the browser must not ask for them on a plain save.
    budget_form.use_required_attribute = sketch_form.use_required_attribute = False
    context = {
        "application": application,
        "form": form,
        "budget_form": budget_form,
        "sketch_form": sketch_form,
        "sketches": application.sketches.all(),
        **budget_of(application),
    }
    return render(request, "corridors/applications/edit.html", context, status=status)


def _editable_application(request, pk):
    application = get_application_for_user(request.user, pk)
    if not can_edit(request.user, application):
        raise refuse(reason_for("corridors.change_application"))
    return application


@login_required
def application_edit(request, pk):
    application = get_application_for_user(request.user, pk)
    if not can_edit(request.user, application):
        if Role.LEADER in application_roles(request.user, application):
            messages.info(
                request,
                _("The application is “%(state)s” and can no longer be changed.")
                % {"state": application.get_state_display()},
            )
            return redirect(application)
        raise refuse(reason_for("corridors.change_application"))
    if request.method != "POST":
        return _edit_page(request, application)
    return _save_edit_page(request, application)


def _save_edit_page(request, application):
    """The edit page is one form: every button saves what is typed above it first.

    ``action`` says what else the button does: add the budget line typed in (a line typed but
    not added is added by 保存 too), upload the sketch, or remove a line or a sketch. Nothing
    typed is lost: a refusal re-renders the page with every field as it was sent.
    """
    group = application.group
    form = ApplicationForm(
        request.POST, street=group.building.compound.neighbourhood.street, households=group.households
    )
    budget_form = BudgetItemForm(request.POST)
    sketch_form = SketchForm(request.POST, request.FILES)
    action = request.POST.get("action", "save")
    remove_item, remove_sketch = request.POST.get("remove_item"), request.POST.get("remove_sketch")
    adding = action == "add_item" or (action == "save" and (request.POST.get("item") or "").strip())
    uploading = action == "upload" or (action == "save" and request.FILES.get("image"))

    def again():
        return _edit_page(
            request,
            application,
            form=form,
            budget_form=budget_form if adding else None,
            sketch_form=sketch_form if uploading else None,
            status=400,
        )

    if not form.is_valid():
        return again()
    try:
        application_update(
            application=application,
            actor=request.user,
            expected_state=request.POST.get("state") or None,
            **form.cleaned_data,
        )
    except Refused as error:
        messages.error(request, error.reason)
        return redirect(application)
    except ValidationError as error:
        add_errors(form, error)
        return again()
    try:
        if adding:
            if not budget_form.is_valid():
                messages.success(request, _("Changes saved."))
                return again()
            application_budget_item_add(application=application, actor=request.user, **budget_form.cleaned_data)
        if uploading:
            if not sketch_form.is_valid():
                messages.success(request, _("Changes saved."))
                return again()
            application_sketch_add(
                application=application,
                actor=request.user,
                image=sketch_form.cleaned_data["image"],
                alt_text=sketch_form.cleaned_data["alt_text"],
            )
        if remove_item and remove_item.isdigit():
            application_budget_item_remove(application=application, actor=request.user, item_id=int(remove_item))
        if remove_sketch and remove_sketch.isdigit():
            application_sketch_remove(application=application, actor=request.user, sketch_id=int(remove_sketch))
    except Refused as error:
        messages.error(request, error.reason)
        return redirect("applications:edit", application.pk)
    except ValidationError as error:
        add_errors(budget_form if adding else sketch_form, error)
        messages.success(request, _("Changes saved."))
        return again()
    messages.success(request, _("Changes saved."))
    if action == "save" and not (remove_item or remove_sketch):
        return redirect(application)
    return redirect(
        reverse("applications:edit", args=[application.pk]) + ("#budget-h" if adding or remove_item else "#sketch-h")
    )


@login_required
@require_POST
def budget_item_add(request, pk):
    application = _editable_application(request, pk)
    budget_form = BudgetItemForm(request.POST)
    if budget_form.is_valid():
        try:
            application_budget_item_add(application=application, actor=request.user, **budget_form.cleaned_data)
        except Refused as error:
            messages.error(request, error.reason)
        except ValidationError as error:
            add_errors(budget_form, error)
            return _edit_page(request, application, budget_form=budget_form, status=400)
        return redirect("applications:edit", application.pk)
    return _edit_page(request, application, budget_form=budget_form, status=400)


@login_required
@require_POST
def budget_item_remove(request, pk, item_pk):
    application = _editable_application(request, pk)
    try:
        application_budget_item_remove(application=application, actor=request.user, item_id=item_pk)
    except Refused as error:
        messages.error(request, error.reason)
    return redirect("applications:edit", application.pk)


@login_required
@require_POST
def sketch_add(request, pk):
    application = _editable_application(request, pk)
    sketch_form = SketchForm(request.POST, request.FILES)
    if sketch_form.is_valid():
        try:
            application_sketch_add(
                application=application,
                actor=request.user,
                image=sketch_form.cleaned_data["image"],
                alt_text=sketch_form.cleaned_data["alt_text"],
            )
        except Refused as error:
            messages.error(request, error.reason)
        return redirect("applications:edit", application.pk)
    return _edit_page(request, application, sketch_form=sketch_form, status=400)


@login_required
@require_POST
def sketch_remove(request, pk, sketch_pk):
    application = _editable_application(request, pk)
    try:
        application_sketch_remove(application=application, actor=request.user, sketch_id=sketch_pk)
    except Refused as error:
        messages.error(request, error.reason)
    return redirect("applications:edit", application.pk)
