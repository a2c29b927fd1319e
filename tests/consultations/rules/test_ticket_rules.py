"""Who may take which step on a queue ticket, in which state: every role × every state × every action.

The expected answers are written out below by hand, from DESIGN.md §3, not read from
``consultations.workflows.ticket``. Each answer comes from calling the real service as that
person on rita's ticket at the housing department's stall, brought to that state by the real
services; a refusal carries a reason and changes nothing, a step taken writes its history
row (who, from, to). "call next" calls the lowest waiting number at the stall: here the
ticket is alone in the queue, so it is called exactly when it is waiting.
"""

import pytest
from django.db import transaction

from common.refusals import Refused
from consultations.models import Ticket, TicketEvent
from consultations.services.tickets import (
    ticket_call_next,
    ticket_done,
    ticket_hold,
    ticket_issue,
    ticket_no_show,
    ticket_resume,
    ticket_serve,
)
from tests.consultations.rules.conftest import ROLES, Undo, expected_column, fresh

pytestmark = pytest.mark.django_db

STATES = ["waiting", "called", "serving", "done", "no_show", "on_hold"]
ACTIONS = ["call_next", "serve", "done", "no_show", "hold", "resume"]

# Y: the step is taken. ".": refused with a reason, nothing changes.
#                waiting called serving done no_show on_hold
NOTHING = {
    "call_next": ".      .      .       .    .       .",
    "serve":     ".      .      .       .    .       .",
    "done":      ".      .      .       .    .       .",
    "no_show":   ".      .      .       .    .       .",
    "hold":      ".      .      .       .    .       .",
    "resume":    ".      .      .       .    .       .",
}  # fmt: skip
RUNS_THE_STALL = {
    "call_next": "Y      .      .       .    .       .",
    "serve":     ".      Y      .       .    .       .",
    "done":      ".      .      Y       .    .       .",
    "no_show":   ".      Y      .       .    .       .",
    "hold":      "Y      Y      .       .    .       .",
    "resume":    ".      .      .       .    .       Y",
}  # fmt: skip
EXPECTED = {
    # The ticket is rita's, but the queue is run by the stall.
    "its representative": NOTHING,
    "another representative": NOTHING,
    "officer of its department": RUNS_THE_STALL,
    "officer of another department": NOTHING,
    "staff of its street": RUNS_THE_STALL,
    "staff of another street": NOTHING,
    "committee of its neighbourhood": NOTHING,
    "finance": NOTHING,
    "leader": NOTHING,
    "nobody": NOTHING,
}
TARGET = {
    "call_next": "called",
    "serve": "serving",
    "done": "done",
    "no_show": "no_show",
    "hold": "on_hold",
    "resume": "waiting",
}
# The history row's name for each step.
EVENT = {
    "call_next": "call",
    "serve": "serve",
    "done": "done",
    "no_show": "no_show",
    "hold": "hold",
    "resume": "resume",
}
# Who may give a number at the stall.
ISSUES = {
    "its representative": ".",
    "another representative": ".",
    "officer of its department": "Y",
    "officer of another department": ".",
    "staff of its street": "Y",
    "staff of another street": ".",
    "committee of its neighbourhood": ".",
    "finance": ".",
    "leader": ".",
    "nobody": ".",
}


def ticket_in(cw, state: str) -> Ticket:
    w = cw.w
    ticket = ticket_issue(actor=w.otto, stall=cw.stall, representative=w.rita)
    if state in ("called", "serving", "done", "no_show"):
        ticket_call_next(actor=w.otto, stall=cw.stall)
    if state in ("serving", "done"):
        ticket_serve(actor=w.otto, ticket=ticket)
    if state == "done":
        ticket_done(actor=w.otto, ticket=ticket)
    elif state == "no_show":
        ticket_no_show(actor=w.otto, ticket=ticket)
    elif state == "on_hold":
        ticket_hold(actor=w.otto, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.state == state
    return ticket


def step(action: str, actor, ticket: Ticket, cw):
    if action == "call_next":
        return ticket_call_next(actor=actor, stall=cw.stall)
    service = {
        "serve": ticket_serve,
        "done": ticket_done,
        "no_show": ticket_no_show,
        "hold": ticket_hold,
        "resume": ticket_resume,
    }[action]
    return service(actor=actor, ticket=ticket)


def attempt(action: str, user, ticket: Ticket, cw) -> str:
    state, events = ticket.state, ticket.events.count()
    try:
        with transaction.atomic():
            actor = fresh(user)
            try:
                step(action, actor, ticket, cw)
            except Refused as refused:
                assert refused.reason.strip(), (action, user)
                after = Ticket.objects.get(pk=ticket.pk)
                assert (after.state, after.events.count()) == (state, events)
                return "."
            after = Ticket.objects.get(pk=ticket.pk)
            assert after.state == TARGET[action]
            event = TicketEvent.objects.filter(ticket=ticket).latest("pk")
            assert after.events.count() == events + 1
            assert (event.actor, event.action, event.from_state, event.to_state) == (
                actor,
                EVENT[action],
                state,
                TARGET[action],
            )
            assert event.created_at
            raise Undo
    except Undo:
        return "Y"


@pytest.mark.parametrize("state", STATES)
def test_who_may_take_which_step_in_each_state(cw, personas, state):
    ticket = ticket_in(cw, state)
    found = {role: {a: attempt(a, personas[role], ticket, cw) for a in ACTIONS} for role in ROLES}
    assert found == expected_column(EXPECTED, STATES, state, ACTIONS)


@pytest.mark.parametrize("role", ROLES)
def test_who_gives_a_number_at_the_stall(cw, personas, role):
    try:
        with transaction.atomic():
            ticket = ticket_issue(actor=fresh(personas[role]), stall=cw.stall, representative=cw.w.rita)
            assert ticket.number == 1 and ticket.events.get().action == "issue"
            raise Undo
    except Undo:
        found = "Y"
    except Refused as refused:
        assert refused.reason.strip()
        found = "."
    assert found == ISSUES[role]
    assert not Ticket.objects.exists()
