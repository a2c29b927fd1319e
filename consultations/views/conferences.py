"""Conferences and their stalls: the list, setting one up, opening stalls, the report."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from common.forms import add_errors
from common.permissions import has_declared_perm, require
from common.refusals import Refused
from consultations.forms.conferences import ConferenceForm, StallForm
from consultations.models import ConsultationRequest, Stall
from consultations.selectors import conferences_for_user, get_conference_for_user
from consultations.services.conferences import conference_create, stall_open
from consultations.workflows.request import FOLLOW_UP_STATES, OPEN_STATES
from consultations.workflows.ticket import TicketState
from corridors.forms.street_filter import StreetYearFilterForm
from corridors.selectors import scope_of, staff_streets_for_user


@login_required
def conference_list(request):
    require(request.user, "consultations.view_conferences")
    scope = scope_of(request.user)
    stalls = Stall.objects.select_related("department").order_by("department__name")
    if not scope.visible_streets:
        stalls = stalls.filter(department_id__in=scope.departments)
    conferences = conferences_for_user(request.user)
    years = [d.year for d in conferences.dates("date", "year")]
    # The reader's street ids: the filter reads the streets' names only when it offers them.
    form = StreetYearFilterForm(request.GET or None, streets=scope.visible_streets, years=years)
    conferences = form.apply(conferences, street="street_id", year="date__year")
    return render(
        request,
        "consultations/conferences/conference_list.html",
        {
            "conferences": conferences.prefetch_related(Prefetch("stalls", queryset=stalls)),
            # The rules alone: Django's model permissions cannot grant it (two queries saved).
            "can_manage": has_declared_perm(request.user, "consultations.manage_conferences"),
            "filter_form": form,
        },
    )


@login_required
def conference_new(request):
    require(request.user, "consultations.manage_conferences")
    form = ConferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conference = conference_create(
                actor=request.user, street=staff_streets_for_user(request.user).first(), **form.cleaned_data
            )
        except Refused as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Conference created. Now open the departments' stalls."))
            return redirect(conference)
    return render(request, "consultations/conferences/conference_new.html", {"form": form})


@login_required
def conference_detail(request, pk):
    conference = get_conference_for_user(request.user, pk)
    can_manage = conference.street_id in scope_of(request.user).staff_streets
    form = StallForm(request.POST or None, conference=conference) if can_manage else None
    if request.method == "POST":
        require(request.user, "consultations.manage_conferences")
        if form.is_valid():
            try:
                stall_open(actor=request.user, conference=conference, **form.cleaned_data)
            except Refused as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Stall opened."))
                return redirect(conference)
    stalls = (
        conference.stalls.select_related("department")
        .prefetch_related("officers")
        .annotate(
            waiting=Count("tickets", filter=Q(tickets__state=TicketState.WAITING), distinct=True),
            requests=Count(
                "department__consultation_requests",
                filter=Q(department__consultation_requests__conference=conference),
                distinct=True,
            ),
        )
    )
    if not can_manage and conference.street_id not in scope_of(request.user).viewer_streets:
        stalls = stalls.filter(department_id__in=scope_of(request.user).departments)
    return render(
        request,
        "consultations/conferences/conference_detail.html",
        {"conference": conference, "stalls": stalls, "form": form, "can_manage": can_manage},
    )


def _days(duration: datetime.timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 86400, 1)


@login_required
def conference_report(request, pk):
    """How many of the conference's requests were resolved, how long they took, by category and department."""
    require(request.user, "consultations.view_conferences")
    conference = get_conference_for_user(request.user, pk)
    return render(
        request,
        "consultations/conferences/conference_report.html",
        {"conference": conference, **report_figures(conference)},
    )


def report_figures(conference) -> dict:
    """The report's figures (the page and its .xlsx): summary, by category, by department."""
    today = timezone.localdate()
    resolved = Q(resolved_at__isnull=False)
    # How long it took: from filing to the department's answer or resolution.
    took = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    measures = {
        "total": Count("pk"),
        "resolved": Count("pk", filter=resolved),
        "still_open": Count("pk", filter=Q(state__in=OPEN_STATES)),
        "overdue": Count("pk", filter=Q(state__in=FOLLOW_UP_STATES, due_date__lt=today)),
        "avg_duration": Avg(took, filter=resolved),
        "max_duration": Max(took, filter=resolved),
    }
    requests = ConsultationRequest.objects.filter(conference=conference)
    summary = requests.aggregate(**measures)
    summary["avg_days"] = _days(summary.pop("avg_duration"))
    summary["max_days"] = _days(summary.pop("max_duration"))
    by_category = list(
        requests.values("category__name").annotate(**measures).order_by("category__position", "category__name")
    )
    by_department = list(requests.values("department__name").annotate(**measures).order_by("department__name"))
    for row in (*by_category, *by_department):
        row["avg_days"] = _days(row.pop("avg_duration"))
        row["max_days"] = _days(row.pop("max_duration"))
    return {"summary": summary, "by_category": by_category, "by_department": by_department}
