"""The conference on the day at one stall: carried-over items first, then the queue; check-in,
walk-ins, call next, and the "now serving" board in the lobby.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import add_errors
from common.permissions import require
from common.refusals import Refused
from consultations.forms.requests import WalkInForm
from consultations.forms.tickets import CheckInForm
from consultations.models import ConsultationRequest, Stall, Ticket
from consultations.selectors import department_requests_for_user, get_stall_for_user, stall_roles
from consultations.services.requests import request_register_walk_in
from consultations.services.tickets import ticket_call_next, ticket_issue
from consultations.workflows.request import OPEN_STATES
from consultations.workflows.ticket import CALLED_TICKET_STATES, LIVE_TICKET_STATES, TicketState, buttons_for
from corridors.models import Compound

# The queue as the officer reads it: who is at the table, who was called, who waits, who is aside.
QUEUE_ORDER = [TicketState.SERVING, TicketState.CALLED, TicketState.WAITING, TicketState.ON_HOLD]
BOARD_REFRESH_SECONDS = 10


def _compounds(street_id):
    return Compound.objects.filter(neighbourhood__street_id=street_id).select_related("neighbourhood")


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
    roles = stall_roles(request.user, stall)
    street_id = conference.street_id
    return {
        "stall": stall,
        "conference": conference,
        "carried_over": carried_over,
        "here": here,
        "queue": [(t, buttons_for(t.state, roles)) for t in tickets],
        "waiting_count": sum(1 for t in tickets if t.state == TicketState.WAITING),
        "finished_count": finished,
        # A district or city user reads the stall's queue: no step, no form.
        "can_run": bool(roles),
        "officers": stall.officers.all(),
        "check_in_form": check_in_form or CheckInForm(street_id=street_id),
        "walk_in_form": walk_in_form or WalkInForm(street_id=street_id, compounds=_compounds(street_id)),
    }


def runnable_stall(request, pk) -> Stall:
    """The stall, if the user may see it (else 404) and run it (else 403 with the reason)."""
    stall = get_stall_for_user(request.user, pk)
    require(request.user, "consultations.run_stall", stall)
    return stall


@login_required
def stall_detail(request, pk):
    stall = get_stall_for_user(request.user, pk)
    require(request.user, "consultations.view_stall", stall)
    return render(request, "consultations/stalls/stall.html", _stall_context(request, stall))


@login_required
@require_POST
def check_in(request, pk):
    """Give a representative the next number at this stall (for one of their requests, or none)."""
    stall = runnable_stall(request, pk)
    linkable = department_requests_for_user(request.user).filter(department=stall.department, state__in=OPEN_STATES)
    form = CheckInForm(request.POST, street_id=stall.conference.street_id, requests=linkable)
    if not form.is_valid():
        # The request is a hidden field (posted by a row's button): say what was wrong above the page.
        for error in form.errors.get("request", []):
            messages.error(request, error)
        context = _stall_context(request, stall, check_in_form=form)
        return render(request, "consultations/stalls/stall.html", context, status=400)
    representative, linked = form.cleaned_data["representative"], form.cleaned_data["request"]
    try:
        ticket = ticket_issue(actor=request.user, stall=stall, representative=representative, request=linked)
    except Refused as error:
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
    stall = runnable_stall(request, pk)
    street_id = stall.conference.street_id
    form = WalkInForm(request.POST, request.FILES, street_id=street_id, compounds=_compounds(street_id))
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
        except Refused as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Request registered. Answer it, accept it or refer it below."))
            return redirect(f"{registered.get_absolute_url()}?next={stall.get_absolute_url()}")
    context = _stall_context(request, stall, walk_in_form=form)
    return render(request, "consultations/stalls/stall.html", context, status=400)


@login_required
@require_POST
def call_next(request, pk):
    stall = runnable_stall(request, pk)
    try:
        ticket = ticket_call_next(actor=request.user, stall=stall)
    except Refused as error:
        messages.error(request, error.reason)
    else:
        messages.success(
            request,
            _("Calling number %(number)s: %(name)s.") % {"number": ticket.number, "name": ticket.representative},
        )
    return redirect(stall)


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
            "consultations/stalls/board.html",
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
