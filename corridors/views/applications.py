"""The application page: its timeline, its steps, progress photos and the printable form.

Views parse the form, fetch through ``corridors.selectors`` and call one service; the
services decide and explain (``Refused.reason`` is shown as it is).
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.hooks import call_hooks_flat
from common.permissions import reason_for, refuse
from common.refusals import Refused
from common.uploads import serve_picture
from corridors.forms.applications import ProgressPhotoForm, StepForm
from corridors.images import broken_picture_discard
from corridors.models import Role, SketchImage
from corridors.models.applications import ProgressPhoto
from corridors.selectors import application_roles, get_application_for_user
from corridors.services.applications import (
    application_approve,
    application_endorse,
    application_progress_photo_add,
    application_reject,
    application_request_inspection,
    application_return_by_committee,
    application_return_by_street,
    application_start_creation,
    application_submit,
    application_withdraw,
)
from corridors.workflows.application import APPLICATION, State, page_steps

# The steps the application page offers (``page_steps``), each carried out by its one service function.
STEP_SERVICES = {
    "submit": application_submit,
    "endorse": application_endorse,
    "return_by_committee": application_return_by_committee,
    "approve": application_approve,
    "return_by_street": application_return_by_street,
    "reject": application_reject,
    "withdraw": application_withdraw,
    "start_creation": application_start_creation,
    "request_inspection": application_request_inspection,
}


def budget_of(application) -> dict:
    items = list(application.budget_items.all())
    return {"budget_items": items, "budget_total": sum((i.total for i in items), Decimal("0.00"))}


def can_edit(user, application) -> bool:
    # The role check as well as the rule: a superuser "has" every permission but leads no group.
    return user.has_perm("corridors.change_application", application) and Role.LEADER in application_roles(
        user, application
    )


def application_sections(application, user) -> list[tuple[str, dict]]:
    """Sections other apps add to the application page, as ``(template name, context)`` pairs.

    An app contributes by defining ``application_sections(application, user)`` on its
    AppConfig (funds: the acceptance checks, the award, its payouts and ledger); corridors
    never imports funds or consultations (dependencies point one way).
    """
    return call_hooks_flat("application_sections", application, user)


def _can_post_progress(application, roles) -> bool:
    return application.takes_progress_photos and Role.LEADER in roles


def _page_context(request, application, *, progress_form=None) -> dict:
    roles = application_roles(request.user, application)
    can_post_progress = _can_post_progress(application, roles)
    return {
        "application": application,
        "roles": roles,
        "steps": page_steps(application.state, roles),
        "can_edit": can_edit(request.user, application),
        "transitions": application.transitions.select_related("actor"),
        "conventions": application.convention_versions.select_related("author"),
        "sketches": application.sketches.all(),
        "progress_photos": application.progress_photos.all(),
        "progress_form": (progress_form or ProgressPhotoForm()) if can_post_progress else None,
        # Street staff who just approved go back to the next one waiting.
        "back_to_endorsed": application.state == State.APPROVED and Role.STREET_STAFF in roles,
        **budget_of(application),
    }


@login_required
def application_detail(request, pk):
    application = get_application_for_user(request.user, pk)
    context = _page_context(request, application)
    context["app_sections"] = application_sections(application, request.user)
    return render(request, "corridors/applications/detail.html", context)


@login_required
@require_POST
def progress_photo_add(request, pk):
    application = get_application_for_user(request.user, pk)
    roles = application_roles(request.user, application)
    if not _can_post_progress(application, roles):
        if Role.LEADER in roles:
            messages.error(
                request,
                _("Progress photos are posted while the corridor is being made; the application is “%(state)s”.")
                % {"state": application.get_state_display()},
            )
            return redirect(application)
        raise refuse(reason_for("corridors.post_progress_photos"))
    form = ProgressPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            application_progress_photo_add(
                application=application,
                actor=request.user,
                image=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except Refused as error:
            messages.error(request, error.reason)
        else:
            messages.success(request, _("Progress photo posted."))
        return redirect(application)
    context = _page_context(request, application, progress_form=form)
    context["app_sections"] = application_sections(application, request.user)
    return render(request, "corridors/applications/detail.html", context, status=400)


@login_required
def application_print(request, pk):
    application = get_application_for_user(request.user, pk)
    return render(request, "corridors/applications/print.html", _page_context(request, application))


@login_required
@require_POST
def application_step(request, pk, action):
    application = get_application_for_user(request.user, pk)
    if action not in STEP_SERVICES:
        raise Http404
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was done."))
        return redirect(application)
    try:
        done = STEP_SERVICES[action](
            application=application,
            actor=request.user,
            note=form.cleaned_data["note"],
            expected_state=form.cleaned_data["state"],
        )
    except Refused as error:
        messages.error(request, error.reason)
    else:
        messages.success(
            request,
            _("Done: %(action)s. The application is now “%(state)s”.")
            % {"action": APPLICATION[action].label, "state": done.get_state_display()},
        )
    return redirect(application)


@login_required
@require_POST
def application_picture_discard(request, pk, kind, picture_pk):
    """Its uploader deletes a sketch or progress photo that could not be processed."""
    application = get_application_for_user(request.user, pk)
    model = {"sketch": SketchImage, "progress": ProgressPhoto}.get(kind)
    if model is None:
        raise Http404
    picture = get_object_or_404(model, application=application, pk=picture_pk)
    try:
        broken_picture_discard(picture=picture, by=request.user)
    except Refused as error:
        messages.error(request, error.reason)
    else:
        messages.success(request, _("The picture was deleted."))
    return redirect(application)


@login_required
def application_picture(request, pk, kind, picture_pk, size):
    """A sketch or progress photo of an application, for those who may see the application
    (these pictures have no public address)."""
    application = get_application_for_user(request.user, pk)
    model = {"sketch": SketchImage, "progress": ProgressPhoto}.get(kind)
    if model is None:
        raise Http404
    picture = get_object_or_404(model, application=application, pk=picture_pk)
    return serve_picture(picture, size=size, download_name=f"{kind}-{picture.pk}-{size}.webp")
