"""The conference on the day: conferences and their stalls, the stall page (carried-over items
first, then the queue), check-in, walk-ins, call next, the "now serving" board, the report.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, Max, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.forms import CheckInForm, ConferenceForm, StallForm, TicketStepForm, WalkInForm
from consultations.models import ConsultationRequest, Stall, Ticket
from consultations.selectors import (
    conferences_for_user,
    department_requests_for_user,
    get_conference_for_user,
    get_stall_for_user,
    get_ticket_for_user,
)
from consultations.services import (
    ConsultationError,
    conference_create,
    request_register_walk_in,
    stall_open,
    ticket_call_next,
    ticket_done,
    ticket_hold,
    ticket_issue,
    ticket_no_show,
    ticket_resume,
    ticket_serve,
)
from consultations.workflow import (
    CALLED_TICKET_STATES,
    LIVE_TICKET_STATES,
    OPEN_STATES,
    TICKET_ACTIONS,
    RequestState,
    TicketState,
    ticket_actions_for,
)
from corridors.models import Compound, Street
from corridors.selectors import require, scope_of

TICKET_SERVICES = {
    "serve": ticket_serve,
    "done": ticket_done,
    "no_show": ticket_no_show,
    "hold": ticket_hold,
    "resume": ticket_resume,
}
# The queue as the officer reads it: who is at the table, who was called, who waits, who is aside.
QUEUE_ORDER = [TicketState.SERVING, TicketState.CALLED, TicketState.WAITING, TicketState.ON_HOLD]
BOARD_REFRESH_SECONDS = 10


# --- Conferences ---------------------------------------------------------------------------


@login_required
def conference_list(request):
    require(request.user, "consultations.follow_up")
    scope = scope_of(request.user)
    stalls = Stall.objects.select_related("department").order_by("department__name")
    if not scope.staff_streets:
        stalls = stalls.filter(department_id__in=scope.departments)
    conferences = conferences_for_user(request.user).prefetch_related(Prefetch("stalls", queryset=stalls))
    return render(
        request,
        "consultations/conference_list.html",
        {"conferences": conferences, "can_manage": request.user.has_perm("consultations.manage_conferences")},
    )


@login_required
def conference_new(request):
    require(request.user, "consultations.manage_conferences")
    streets = Street.objects.filter(pk__in=scope_of(request.user).staff_streets)
    form = ConferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conference = conference_create(actor=request.user, street=streets.first(), **form.cleaned_data)
        except ConsultationError as error:
            form.add_error(None, error.reason)
        else:
            messages.success(request, _("Conference created. Now open the departments' stalls."))
            return redirect(conference)
    return render(request, "consultations/conference_new.html", {"form": form})


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
            except ConsultationError as error:
                form.add_error(None, error.reason)
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
    if not can_manage:
        stalls = stalls.filter(department_id__in=scope_of(request.user).departments)
    return render(
        request,
        "consultations/conference_detail.html",
        {"conference": conference, "stalls": stalls, "form": form, "can_manage": can_manage},
    )


def _days(duration: datetime.timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 86400, 1)


@login_required
def conference_report(request, pk):
    """How many of the conference's requests were resolved, how long they took, by category and department."""
    require(request.user, "consultations.follow_up")
    conference = get_conference_for_user(request.user, pk)
    today = timezone.localdate()
    resolved = Q(resolved_at__isnull=False)
    # How long it took: from filing to the department's answer or resolution.
    took = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    measures = {
        "total": Count("pk"),
        "resolved": Count("pk", filter=resolved),
        "still_open": Count("pk", filter=Q(state__in=OPEN_STATES)),
        "overdue": Count("pk", filter=Q(state__in=[RequestState.ACCEPTED, RequestState.REOPENED], due_date__lt=today)),
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
    return render(
        request,
        "consultations/conference_report.html",
        {"conference": conference, "summary": summary, "by_category": by_category, "by_department": by_department},
    )


# --- The stall page -------------------------------------------------------------------------


def _stall_context(request, stall, *, check_in_form=None, walk_in_form=None) -> dict:
    conference = stall.conference
    live_ticket = Ticket.objects.filter(
        stall=stall, representative=OuterRef("representative"), state__in=LIVE_TICKET_STATES
    )
    base = ConsultationRequest.objects.with_overdue().select_related(
        "representative", "compound", "building", "category", "assigned_officer", "conference"
    )
    # Everything the department still owes from before this conference: items of any earlier
    # conference of the street, and year-round items filed before this conference's day.
    carried_over = (
        base.filter(department=stall.department, state__in=OPEN_STATES)
        .filter(
            Q(conference__street_id=conference.street_id, conference__date__lt=conference.date)
            | Q(conference__isnull=True, created_at__date__lt=conference.date)
        )
        .order_by("due_date", "created_at", "pk")
    )
    here = (
        base.filter(conference=conference, department=stall.department)
        .annotate(checked_in=Exists(live_ticket))
        .order_by("created_at", "pk")
    )
    tickets = list(
        Ticket.objects.filter(stall=stall, state__in=LIVE_TICKET_STATES).select_related("representative", "request")
    )
    tickets.sort(key=lambda t: (QUEUE_ORDER.index(t.state), t.number))
    finished = Ticket.objects.filter(stall=stall).exclude(state__in=LIVE_TICKET_STATES).count()
    street_id = conference.street_id
    compounds = Compound.objects.filter(neighbourhood__street_id=street_id).select_related("neighbourhood")
    return {
        "stall": stall,
        "conference": conference,
        "carried_over": carried_over,
        "here": here,
        "queue": [(t, ticket_actions_for(t.state)) for t in tickets],
        "waiting_count": sum(1 for t in tickets if t.state == TicketState.WAITING),
        "finished_count": finished,
        "officers": stall.officers.all(),
        "check_in_form": check_in_form or CheckInForm(street_id=street_id),
        "walk_in_form": walk_in_form or WalkInForm(street_id=street_id, compounds=compounds),
    }


def _runnable_stall(request, pk) -> Stall:
    stall = get_stall_for_user(request.user, pk)
    require(request.user, "consultations.run_stall", stall)
    return stall


@login_required
def stall_detail(request, pk):
    stall = _runnable_stall(request, pk)
    return render(request, "consultations/stall.html", _stall_context(request, stall))


@login_required
@require_POST
def check_in(request, pk):
    """Give a representative the next number at this stall (for one of their requests, or none)."""
    stall = _runnable_stall(request, pk)
    linkable = department_requests_for_user(request.user).filter(department=stall.department, state__in=OPEN_STATES)
    form = CheckInForm(request.POST, street_id=stall.conference.street_id, requests=linkable)
    if not form.is_valid():
        # The request is a hidden field (posted by a row's button): say what was wrong above the page.
        for error in form.errors.get("request", []):
            messages.error(request, error)
        context = _stall_context(request, stall, check_in_form=form)
        return render(request, "consultations/stall.html", context, status=400)
    representative, linked = form.cleaned_data["representative"], form.cleaned_data["request"]
    try:
        ticket = ticket_issue(actor=request.user, stall=stall, representative=representative, request=linked)
    except ConsultationError as error:
        messages.error(request, error.reason)
    else:
        messages.success(
            request,
            _("%(name)s checked in: number %(number)s.") % {"name": representative, "number": ticket.number},
        )
    return redirect(stall)


@login_required
@require_POST
def walk_in(request, pk):
    stall = _runnable_stall(request, pk)
    street_id = stall.conference.street_id
    compounds = Compound.objects.filter(neighbourhood__street_id=street_id).select_related("neighbourhood")
    form = WalkInForm(request.POST, request.FILES, street_id=street_id, compounds=compounds)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registered = request_register_walk_in(
                actor=request.user,
                stall=stall,
                representative=data["representative"],
                compound=data["compound"],
                building=data["building"],
                households=data["households"],
                category=data["category"],
                title=data["title"],
                text=data["text"],
                attachments=form.attachments(),
            )
        except ConsultationError as error:
            form.add_error(None, error.reason)
        else:
            messages.success(request, _("Request registered. Answer it, accept it or refer it below."))
            return redirect(f"{registered.get_absolute_url()}?next={stall.get_absolute_url()}")
    context = _stall_context(request, stall, walk_in_form=form)
    return render(request, "consultations/stall.html", context, status=400)


@login_required
@require_POST
def call_next(request, pk):
    stall = _runnable_stall(request, pk)
    try:
        ticket = ticket_call_next(actor=request.user, stall=stall)
    except ConsultationError as error:
        messages.error(request, error.reason)
    else:
        messages.success(
            request,
            _("Calling number %(number)s: %(name)s.") % {"number": ticket.number, "name": ticket.representative},
        )
    return redirect(stall)


@login_required
@require_POST
def ticket_step(request, pk, action):
    ticket = get_ticket_for_user(request.user, pk)
    require(request.user, "consultations.run_stall", ticket.stall)
    if action not in TICKET_ACTIONS:
        messages.error(request, _("Unknown step; nothing was done."))
        return redirect(ticket.stall)
    form = TicketStepForm(request.POST)
    expected = form.cleaned_data["state"] if form.is_valid() else None
    try:
        done = TICKET_SERVICES[action](actor=request.user, ticket=ticket, expected_state=expected)
    except ConsultationError as error:
        messages.error(request, error.reason)
    else:
        messages.success(
            request,
            _("Number %(number)s: %(state)s.") % {"number": done.number, "state": done.get_state_display()},
        )
    return redirect(ticket.stall)


# --- The "now serving" board (a lobby screen: numbers only, no sign-in) ---------------------------


def board_language(request) -> str:
    """The board's language: the site's (Chinese), whatever the lobby PC's browser asks for,
    unless the screen's address says otherwise (``?lang=en``)."""
    asked = request.GET.get("lang", "")
    return asked if asked in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def board(request, pk):
    # Deliberately public: a lobby screen shows ticket numbers and the department, nothing personal.
    stall = get_object_or_404(Stall.objects.select_related("conference", "department"), pk=pk)
    live = Ticket.objects.filter(stall=stall)
    called = list(live.filter(state__in=CALLED_TICKET_STATES).order_by("-called_at", "-number")[:3])
    waiting = list(live.filter(state=TicketState.WAITING).order_by("number").values_list("number", flat=True)[:8])
    language = board_language(request)
    # The template (and its <html lang>) is rendered inside the override.
    with translation.override(language):
        response = render(
            request,
            "consultations/board.html",
            {
                "stall": stall,
                "called": called,
                "waiting": waiting,
                "refresh_seconds": BOARD_REFRESH_SECONDS,
                "now": timezone.localtime(),
            },
        )
    response.headers["Content-Language"] = language
    return response
