"""Pages of the acceptance checks: the inspections queue, scheduling, scores, photos, print, re-inspection."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import add_errors
from common.listing import LIST_COUNT_LIMIT, paginate
from common.permissions import has_declared_perm, require
from common.refusals import Refused
from common.uploads import serve_picture
from corridors.forms.street_filter import StreetYearFilterForm
from corridors.images import broken_picture_discard
from corridors.selectors import applications_for_user, get_application_for_user, scope_of
from corridors.workflows.application import State
from funds.forms.checks import CheckPhotoForm, ScheduleForm, ScoresForm
from funds.forms.steps import ReasonForm
from funds.models import AcceptanceCheck, Award
from funds.selectors import (
    checks_for_user,
    checks_to_schedule_q,
    get_check_for_user,
    programme_years_of,
    street_id_of_application,
)
from funds.services import checks as services


def street_checks(request):
    """The checks and applications of the streets the user reads, by the street and year in the
    query string (the page and its export): staff, and district or city users (read-only)."""
    scope = scope_of(request.user)
    mine = applications_for_user(request.user).filter(
        group__building__compound__neighbourhood__street_id__in=scope.visible_streets
    )
    checks = checks_for_user(request.user).filter(
        application__group__building__compound__neighbourhood__street_id__in=scope.visible_streets
    )
    years = programme_years_of(checks, "application__programme_year")
    # The reader's street ids: the filter reads the streets' names only when it offers them.
    form = StreetYearFilterForm(request.GET or None, streets=scope.visible_streets, years=years)
    mine = form.apply(mine, street=_APP_STREET, year="programme_year__year")
    checks = form.apply(checks, street=f"application__{_APP_STREET}", year="application__programme_year__year")
    return form, mine, checks


_APP_STREET = "group__building__compound__neighbourhood__street_id"
# What the queue's rows show: the application's title and link, its group's name (building and
# compound) and neighbourhood. Read with these columns only: the scoped querysets join and read
# every column of six tables, and building that SQL was most of the page's time.
_GROUP_NAME = ("group__name", "group__building__name", "group__building__compound__name")
_QUEUED = ("title", "state", "updated_at", *_GROUP_NAME, "group__building__compound__neighbourhood__name")
_CHECKED = ("scheduled_for", "outcome", "recorded_at", "application__title")
_CHECKED += tuple(f"application__{field}" for field in _GROUP_NAME)


@login_required
def inspection_list(request):
    require(request.user, "funds.view_checks")
    form, mine, checks = street_checks(request)
    # One query for both queues of applications (the same order), split here.
    queued = mine.filter(checks_to_schedule_q() | Q(state=State.RECTIFYING)).select_related(None)
    queued = list(
        queued.select_related("group__building__compound__neighbourhood").only(*_QUEUED).order_by("updated_at", "pk")
    )
    checks = checks.select_related(None).select_related("application__group__building__compound").only(*_CHECKED)
    context = {
        "filter_form": form,
        "can_schedule": has_declared_perm(request.user, "funds.inspect"),
        "to_schedule": [a for a in queued if a.state == State.INSPECTION_REQUESTED],
        "scheduled": checks.filter(outcome=AcceptanceCheck.Outcome.SCHEDULED).order_by("scheduled_for", "pk"),
        "rectifying": [a for a in queued if a.state == State.RECTIFYING],
        "page_obj": paginate(
            checks.exclude(outcome=AcceptanceCheck.Outcome.SCHEDULED).order_by("-recorded_at", "-pk"),
            request,
            count_limit=LIST_COUNT_LIMIT,
        ),
    }
    return render(request, "funds/checks/inspections.html", context)


@login_required
def check_schedule(request, application_pk):
    application = get_application_for_user(request.user, application_pk)
    require(request.user, "funds.schedule_check", application)
    street_id = street_id_of_application(application)
    form = ScheduleForm(request.POST or None, inspectors=services.inspectors_available(street_id))
    if request.method == "POST" and form.is_valid():
        try:
            check = services.check_schedule(application=application, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        except Refused as error:
            messages.error(request, error.reason)
            return redirect("funds:inspections")
        else:
            messages.success(request, _("The acceptance check is scheduled."))
            return redirect(check)
    # What the leader posted while the corridor was made, for whoever plans the visit.
    context = {"form": form, "application": application, "progress_photos": application.progress_photos.all()}
    return render(request, "funds/checks/schedule.html", context)


def _check_context(request, check: AcceptanceCheck) -> dict:
    application = check.application
    staff = request.user.has_perm("funds.record_check", check)
    latest = check.round == application.acceptance_checks.order_by("-round").values_list("round", flat=True).first()
    return {
        "check": check,
        "application": application,
        "verdict": check.verdict,
        "inspectors": check.inspectors.all(),
        "photos": check.photos.all(),
        "award": Award.objects.filter(check_record=check).first(),
        "can_record": staff and check.is_open,
        "can_add_photo": staff,
        "can_request_reinspection": latest
        and application.state == State.RECTIFYING
        and application.group_id in scope_of(request.user).led_groups,
    }


@login_required
def check_detail(request, pk):
    check = get_check_for_user(request.user, pk)
    context = _check_context(request, check)
    form = None
    if context["can_record"]:
        form = ScoresForm(request.POST or None, criterion_max=check.criterion_max)
        if request.method == "POST" and form.is_valid():
            try:
                check = services.check_record_scores(
                    check=check,
                    actor=request.user,
                    scores=form.scores(),
                    remarks=form.cleaned_data["remarks"],
                    rectification_items=form.cleaned_data["rectification_items"],
                )
            except ValidationError as error:
                add_errors(form, error)
            except Refused as error:
                messages.error(request, error.reason)
                return redirect(check)
            else:
                if check.outcome == AcceptanceCheck.Outcome.PASSED:
                    messages.success(request, _("The corridor passed the acceptance check; the award is made."))
                else:
                    messages.warning(request, _("The corridor did not pass; the leader is asked to rectify."))
                return redirect(check)
    elif request.method == "POST":
        require(request.user, "funds.record_check", check)
        # Staff posting a form from a stale page: the check was recorded meanwhile.
        messages.error(request, services.already_recorded(check))
        return redirect(check)
    context.update(form=form, photo_form=CheckPhotoForm() if context["can_add_photo"] else None)
    return render(request, "funds/checks/detail.html", context)


@login_required
@require_POST
def check_photo_add(request, pk):
    check = get_check_for_user(request.user, pk)
    require(request.user, "funds.record_check", check)
    form = CheckPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.check_photo_add(
                check=check,
                actor=request.user,
                image=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except Refused as error:
            messages.error(request, error.reason)
        else:
            messages.success(request, _("Photo added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(check)


@login_required
def check_print(request, pk):
    check = get_check_for_user(request.user, pk)
    return render(request, "funds/checks/print.html", _check_context(request, check))


@login_required
@require_POST
def reinspection_request(request, pk):
    check = get_check_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.reinspection_request(
            application=check.application,
            actor=request.user,
            note=form.cleaned_data.get("reason", ""),
            expected_state=form.cleaned_data.get("state") or None,
        )
    except Refused as error:
        messages.error(request, error.reason)
    else:
        messages.success(request, _("The street office is asked to inspect the corridor again."))
    return redirect(check)


@login_required
@require_POST
def check_photo_discard(request, pk, photo_pk):
    """Its uploader deletes a check photo that could not be processed."""
    check = get_check_for_user(request.user, pk)
    photo = get_object_or_404(check.photos.all(), pk=photo_pk)
    try:
        broken_picture_discard(picture=photo, by=request.user)
    except Refused as error:
        messages.error(request, error.reason)
    else:
        messages.success(request, _("The picture was deleted."))
    return redirect(check)


@login_required
def check_photo_file(request, pk, photo_pk, size):
    """A photo of an acceptance check, for those who may see the check (no public address)."""
    check = get_check_for_user(request.user, pk)
    photo = get_object_or_404(check.photos.all(), pk=photo_pk)
    return serve_picture(photo, size=size, download_name=f"check-{check.pk}-{photo.pk}-{size}.webp")
