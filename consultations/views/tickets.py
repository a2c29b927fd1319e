"""Tickets: a step on one ticket at the stall, and the representative's place in each queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.permissions import require
from common.refusals import Refused
from consultations.forms.tickets import TicketStepForm
from consultations.models import Ticket
from consultations.selectors import get_ticket_for_user, my_tickets
from consultations.services.tickets import ticket_done, ticket_hold, ticket_no_show, ticket_resume, ticket_serve
from consultations.workflows.ticket import CALLED_TICKET_STATES, LIVE_TICKET_STATES, TicketState

# The ticket's buttons (``BUTTON_STEPS`` of the table), each carried out by its one service function.
TICKET_SERVICES = {
    "serve": ticket_serve,
    "done": ticket_done,
    "no_show": ticket_no_show,
    "hold": ticket_hold,
    "resume": ticket_resume,
}


@login_required
@require_POST
def ticket_step(request, pk, action):
    ticket = get_ticket_for_user(request.user, pk)
    require(request.user, "consultations.run_stall", ticket.stall)
    if action not in TICKET_SERVICES:
        messages.error(request, _("Unknown step; nothing was done."))
        return redirect(ticket.stall)
    form = TicketStepForm(request.POST)
    expected = form.cleaned_data["state"] if form.is_valid() else None
    try:
        done = TICKET_SERVICES[action](actor=request.user, ticket=ticket, expected_state=expected)
    except Refused as error:
        messages.error(request, error.reason)
    else:
        messages.success(
            request,
            _("Number %(number)s: %(state)s.") % {"number": done.number, "state": done.get_state_display()},
        )
    return redirect(ticket.stall)


@login_required
def my_queues(request):
    """On the phone: my number at each stall, the number being served, how many are ahead."""
    require(request.user, "consultations.file_request")
    ahead = (
        Ticket.objects.filter(stall=OuterRef("stall"), state=TicketState.WAITING, number__lt=OuterRef("number"))
        .values("stall")
        .annotate(n=Count("pk"))
        .values("n")
    )
    serving = (
        Ticket.objects.filter(stall=OuterRef("stall"), state__in=CALLED_TICKET_STATES)
        .order_by("-called_at", "-number")
        .values("number")[:1]
    )
    tickets = (
        my_tickets(request.user)
        .filter(state__in=LIVE_TICKET_STATES)
        .annotate(
            ahead=Subquery(ahead, output_field=IntegerField()),
            now_serving=Subquery(serving, output_field=IntegerField()),
        )
        .order_by("stall__conference__date", "stall__department__name")
    )
    return render(request, "consultations/tickets/my_queues.html", {"tickets": tickets})
