"""Two or more people acting at the same moment, on real PostgreSQL connections (``tests/races.py``).

The race helper holds a barrier *inside* each service, just after its row lock: with the lock,
the calls go through one at a time and the later ones see what the first one did; without
it, they all pass the barrier together and write twice. Each test below fails when the lock
(or, for conferences, the unique constraint's refusal) it names is removed.
"""

import datetime

import pytest
from django.utils import timezone

from consultations.models import Conference, ConsultationRequest, RequestEvent, Stall, Ticket, TicketEvent
from consultations.services import conferences as conference_services
from consultations.services import tickets as ticket_services
from consultations.services.conferences import conference_create
from consultations.services.requests import request_accept, request_decline
from consultations.services.tickets import ticket_call_next, ticket_issue, ticket_serve
from consultations.workflows.request import REQUEST, RequestState
from consultations.workflows.ticket import TICKET, TicketState
from corridors.models import Role, User
from corridors.services.people import role_assign
from tests import factories as f
from tests.consultations.conftest import file_request
from tests.races import race

N = 8
SOON = timezone.localdate() + datetime.timedelta(days=14)
STALE = "changed while you were looking at it"


def fresh(user):
    # Each thread reads its own copy: role scopes are cached on the user object.
    return User.objects.get(pk=user.pk)


def representatives(cw, n, prefix="queue"):
    reps = []
    for i in range(n):
        rep = f.UserFactory(username=f"{prefix}{i}", full_name=f"排队{i}")
        role_assign(user=rep, role=Role.REPRESENTATIVE, street=cw.w.street, neighbourhood=cw.w.n1)
        reps.append(rep)
    return reps


@pytest.mark.django_db(transaction=True)
def test_eight_officers_issuing_at_once_get_eight_consecutive_numbers(cw, monkeypatch):
    """The stall's row lock serialises issuing (``select_for_update`` in ``ticket_issue``)."""
    reps = representatives(cw, N)
    officer = cw.w.otto

    def issue(rep):
        return lambda: ticket_issue(
            actor=fresh(officer), stall=Stall.objects.get(pk=cw.stall.pk), representative=fresh(rep)
        )

    # ``stall_roles`` is what ``ticket_issue`` asks first once it holds the stall's lock.
    outcomes = race(monkeypatch, [issue(rep) for rep in reps], inside=(ticket_services, "stall_roles"))
    assert outcomes == ["done"] * N
    numbers = sorted(Ticket.objects.filter(stall=cw.stall).values_list("number", flat=True))
    assert numbers == list(range(1, N + 1))
    assert TicketEvent.objects.filter(action="issue").count() == N


@pytest.mark.django_db(transaction=True)
def test_two_officers_calling_next_at_once_call_two_different_tickets(cw, monkeypatch):
    """The waiting ticket's row lock (``select_for_update`` in ``ticket_call_next``)."""
    for rep in representatives(cw, 2, prefix="call"):
        ticket_issue(actor=cw.w.otto, stall=cw.stall, representative=rep)

    def call(user):
        return lambda: ticket_call_next(actor=fresh(user), stall=Stall.objects.get(pk=cw.stall.pk))

    outcomes = race(monkeypatch, [call(cw.w.otto), call(cw.w.alice)], inside=(TICKET, "check"))
    assert outcomes == ["done", "done"]
    called = Ticket.objects.filter(stall=cw.stall, state=TicketState.CALLED)
    assert sorted(called.values_list("number", flat=True)) == [1, 2]
    assert TicketEvent.objects.filter(action="call").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_officers_serving_the_same_ticket_at_once_serve_it_once(cw, monkeypatch):
    """The ticket's row lock (``select_for_update`` in the ticket steps)."""
    ticket = ticket_issue(actor=cw.w.otto, stall=cw.stall, representative=cw.w.rita)
    ticket_call_next(actor=cw.w.otto, stall=cw.stall)

    def serve(user):
        return lambda: ticket_serve(
            actor=fresh(user), ticket=Ticket.objects.get(pk=ticket.pk), expected_state=TicketState.CALLED
        )

    outcomes = race(monkeypatch, [serve(cw.w.otto), serve(cw.w.alice)], inside=(TICKET, "check"))
    assert outcomes.count("done") == 1
    assert STALE in next(o for o in outcomes if o != "done")
    assert TicketEvent.objects.filter(ticket=ticket, action="serve").count() == 1


@pytest.mark.django_db(transaction=True)
def test_accept_and_decline_at_once_one_wins_and_the_other_is_told(cw, monkeypatch):
    """The request's row lock (``select_for_update`` in ``lock_request``)."""
    r = file_request(cw)

    def accept():
        request_accept(
            actor=fresh(cw.w.otto),
            request=ConsultationRequest.objects.get(pk=r.pk),
            due_date=SOON,
            expected_state=RequestState.SUBMITTED,
        )

    def decline():
        request_decline(
            actor=fresh(cw.w.alice),
            request=ConsultationRequest.objects.get(pk=r.pk),
            reason="不属于公共部位。",
            expected_state=RequestState.SUBMITTED,
        )

    outcomes = race(monkeypatch, [accept, decline], inside=(REQUEST, "check"))
    assert outcomes.count("done") == 1
    refused = next(o for o in outcomes if o != "done")
    assert STALE in refused
    steps = list(RequestEvent.objects.filter(request=r).exclude(action="file").values_list("action", flat=True))
    assert len(steps) == 1
    winner = {"accept": RequestState.ACCEPTED, "decline": RequestState.DECLINED}[steps[0]]
    assert ConsultationRequest.objects.get(pk=r.pk).state == winner


@pytest.mark.django_db(transaction=True)
def test_two_staff_creating_the_same_conference_at_once_get_a_reason_not_a_crash(cw, monkeypatch):
    """The unique constraint is the last line; its refusal is turned into the same sentence.

    Here the "lock" is the unique index entry the first insert holds: the second insert waits
    on it, then fails, and ``conference_create`` turns that into a reason.
    """

    def make():
        conference_create(
            actor=fresh(cw.w.alice),
            street=type(cw.w.street).objects.get(pk=cw.w.street.pk),
            name="2027年代表大会",
            date=cw.upcoming.date,
            venue="大厅",
        )

    outcomes = race(monkeypatch, [make, make], inside=(conference_services.Conference.objects, "create"))
    assert sorted(outcomes) == ["A conference with this name already exists.", "done"]
    assert Conference.objects.filter(name="2027年代表大会").count() == 1
