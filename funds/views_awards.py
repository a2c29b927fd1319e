"""Staff pages of the acceptance checks and awards (the leader sees their own group's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from common.listing import paginate
from corridors.selectors import applications_for_user, get_application_for_user, scope_of
from corridors.workflows.application import State
from funds import services_awards as services
from funds.forms_awards import CheckPhotoForm, ProposeForm, ReasonForm, ScheduleForm, ScoresForm
from funds.models import AcceptanceCheck, Award, PayoutKind
from funds.selectors import (
    awards_for_user,
    checks_for_user,
    get_award_for_user,
    get_check_for_user,
    is_finance_of,
    is_staff_of,
    leads,
)
from funds.services_awards import Refused, street_id_of_application


def form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _require_staff(user, street_id: int) -> None:
    if not is_staff_of(user, street_id):
        raise PermissionDenied


# --- Inspections -------------------------------------------------------------------------


@login_required
def inspection_list(request):
    scope = scope_of(request.user)
    if not scope.staff_streets:
        raise PermissionDenied
    mine = applications_for_user(request.user).filter(
        group__building__compound__neighbourhood__street_id__in=scope.staff_streets
    )
    checks = checks_for_user(request.user).filter(
        application__group__building__compound__neighbourhood__street_id__in=scope.staff_streets
    )
    context = {
        "to_schedule": mine.filter(services.checks_to_schedule_q()).order_by("updated_at", "pk"),
        "scheduled": checks.filter(outcome=AcceptanceCheck.Outcome.SCHEDULED).order_by("scheduled_for", "pk"),
        "rectifying": mine.filter(state=State.RECTIFYING).order_by("updated_at", "pk"),
        "recorded": paginate(
            checks.exclude(outcome=AcceptanceCheck.Outcome.SCHEDULED).order_by("-recorded_at", "-pk"), request
        ),
    }
    return render(request, "funds/inspections.html", context)


@login_required
def check_schedule(request, application_pk):
    application = get_application_for_user(request.user, application_pk)
    street_id = street_id_of_application(application)
    _require_staff(request.user, street_id)
    form = ScheduleForm(request.POST or None, inspectors=services.inspectors_available(street_id))
    if request.method == "POST" and form.is_valid():
        try:
            check = services.check_schedule(application=application, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        except Refused as error:
            messages.error(request, error.reason)
            return redirect("funds:inspections")
        else:
            messages.success(request, _("The acceptance check is scheduled."))
            return redirect(check)
    # What the leader posted while the corridor was made, for whoever plans the visit.
    context = {"form": form, "application": application, "progress_photos": application.progress_photos.all()}
    return render(request, "funds/check_schedule.html", context)


def _check_context(request, check: AcceptanceCheck) -> dict:
    application = check.application
    street_id = street_id_of_application(application)
    staff = is_staff_of(request.user, street_id)
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
        and leads(request.user, application.group_id),
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
                form_errors(form, error)
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
        if not is_staff_of(request.user, street_id_of_application(check.application)):
            raise PermissionDenied(_("Only the street office staff of this street record the scores."))
        # Staff posting a form from a stale page: the check was recorded meanwhile.
        messages.error(request, services.already_recorded(check))
        return redirect(check)
    context.update(form=form, photo_form=CheckPhotoForm() if context["can_add_photo"] else None)
    return render(request, "funds/check_detail.html", context)


@login_required
@require_POST
def check_photo_add(request, pk):
    check = get_check_for_user(request.user, pk)
    _require_staff(request.user, street_id_of_application(check.application))
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
    return render(request, "funds/check_print.html", _check_context(request, check))


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


# --- Awards ------------------------------------------------------------------------------


@login_required
def award_list(request):
    scope = scope_of(request.user)
    if not (scope.staff_streets or scope.finance_streets or scope.committee_neighbourhoods or scope.led_groups):
        raise PermissionDenied
    awards = awards_for_user(request.user).order_by("-programme_year__year", "sequence")
    return render(request, "funds/award_list.html", {"page_obj": paginate(awards, request)})


@login_required
def award_detail(request, pk):
    award = get_award_for_user(request.user, pk)
    street_id = award.programme_year.street_id
    staff = is_staff_of(request.user, street_id)
    context = {
        "award": award,
        "payouts": award.payouts.select_related("proposed_by", "approved_by"),
        "ledger": award.ledger_entries.all()[:5],
        "is_staff": staff,
        "can_see_payouts": staff or is_finance_of(request.user, street_id),
        "can_propose": staff and award.is_active,
        "is_leader": leads(request.user, award.group_id),
        "propose_form": ProposeForm(initial={"kind": PayoutKind.CULTURE_FUND}) if staff and award.is_active else None,
    }
    return render(request, "funds/award_detail.html", context)


STATUS_SERVICES = {
    "suspend": services.award_suspend,
    "reinstate": services.award_reinstate,
    "revoke": services.award_revoke,
}


@login_required
@require_POST
def award_status(request, pk, action):
    award = get_award_for_user(request.user, pk)
    if action not in STATUS_SERVICES:
        raise Http404
    _require_staff(request.user, award.programme_year.street_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        award = STATUS_SERVICES[action](
            award=award,
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
            expected_status=form.cleaned_data.get("state") or None,
        )
    except Refused as error:
        messages.error(request, error.reason)
    else:
        messages.success(request, _("The award is now “%(status)s”.") % {"status": award.get_status_display()})
        if award.cancelled_payouts:
            messages.warning(
                request,
                ngettext(
                    "%(count)s open payout was cancelled.",
                    "%(count)s open payouts were cancelled.",
                    len(award.cancelled_payouts),
                )
                % {"count": len(award.cancelled_payouts)},
            )
    return redirect(award)


@login_required
def certificate(request, pk):
    award = get_award_for_user(request.user, pk)
    return render(request, "funds/certificate.html", {"award": award})
