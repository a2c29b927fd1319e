"""The two workflows of stall consultations (DESIGN.md §3), as readable tables.

A request (诉求)::

    filed / registered at a stall ──→ submitted ──→ answered on the spot (closed)
                                       │  ↑ └────→ declined with a reason (closed)
                          referred ────┘  │
                                       accepted for follow-up (officer, due date)
                                          └──→ resolved ──→ confirmed by the representative (closed)
                                                   └──→ reopened with a reason ──→ resolved ...

A ticket at a stall::

    waiting ──→ called ──→ serving ──→ done
       ↑  ↘        ├──→ no-show
       └── on hold ←┘

Each action is carried out by exactly one service function in
``consultations.services`` (``request_accept``, ``ticket_call_next``, ...); this module only
says what is allowed, so pages, services and tests read the same table. Roles are relative
to the request: its own representative, an officer of *its current* department, the staff
of *its* street (and the residents' committee of its neighbourhood, which reads and files on
a representative's behalf but takes no step). ``Action.notify`` and ``FILING_NOTIFY`` say
who is told of each step (``consultations.notifications``).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from corridors.models import Role


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the department")
    ANSWERED = "answered", _("Answered on the spot")
    ACCEPTED = "accepted", _("Accepted for follow-up")
    DECLINED = "declined", _("Declined")
    RESOLVED = "resolved", _("Resolved, waiting for confirmation")
    CONFIRMED = "confirmed", _("Resolved and confirmed")
    REOPENED = "reopened", _("Reopened")


class Channel(models.TextChoices):
    PRE_FILED = "pre_filed", _("Filed online before the conference")
    WALK_IN = "walk_in", _("Walk-in at the stall")
    YEAR_ROUND = "year_round", _("Any time of year")


class TicketState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Done")
    NO_SHOW = "no_show", _("Did not come")
    ON_HOLD = "on_hold", _("On hold")


# The department is still working on these: they are carried over to the next conference.
OPEN_STATES = frozenset({RequestState.SUBMITTED, RequestState.ACCEPTED, RequestState.REOPENED})
# A due date counts only while someone is following the request up.
FOLLOW_UP_STATES = frozenset({RequestState.ACCEPTED, RequestState.REOPENED})
CLOSED_STATES = frozenset({RequestState.ANSWERED, RequestState.DECLINED, RequestState.CONFIRMED})
# Shown (anonymised) on the public board 你反映·我来办.
PUBLIC_STATES = frozenset({RequestState.CONFIRMED})
# A ticket still in the queue; a representative holds at most one per stall.
LIVE_TICKET_STATES = frozenset({TicketState.WAITING, TicketState.CALLED, TicketState.SERVING, TicketState.ON_HOLD})
# Shown on the "now serving" board.
CALLED_TICKET_STATES = frozenset({TicketState.CALLED, TicketState.SERVING})

REPRESENTATIVE, OFFICER, STREET = Role.REPRESENTATIVE, Role.OFFICER, Role.STREET_STAFF
# The residents' committee of the request's neighbourhood: reads and files on a
# representative's behalf, takes no step on a request.
COMMITTEE = Role.COMMITTEE
DEPARTMENT = frozenset({OFFICER, STREET})
# Who is told of a step (inbox and e-mail): REPRESENTATIVE is the request's representative;
# OFFICER is the officer following it up, or, while nobody is, every officer of its department.
TELL_REP, TELL_OFFICER = frozenset({REPRESENTATIVE}), frozenset({OFFICER})
TELL_BOTH = TELL_REP | TELL_OFFICER


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset
    target: str
    roles: frozenset
    note_required: bool = False
    # Bootstrap button style on the request page.
    style: str = "primary"
    # Who is told (see ``TELL_*``); the one taking the step never is.
    notify: frozenset = frozenset()


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("answer_on_spot", _("Answer on the spot"), frozenset({RequestState.SUBMITTED}),
               RequestState.ANSWERED, DEPARTMENT, note_required=True, style="success", notify=TELL_REP),
        Action("accept", _("Accept for follow-up"), frozenset({RequestState.SUBMITTED}),
               RequestState.ACCEPTED, DEPARTMENT, notify=TELL_BOTH),
        Action("refer", _("Refer to another department"), OPEN_STATES,
               RequestState.SUBMITTED, DEPARTMENT, note_required=True, style="outline-primary", notify=TELL_BOTH),
        Action("decline", _("Decline"), OPEN_STATES,
               RequestState.DECLINED, DEPARTMENT, note_required=True, style="outline-danger", notify=TELL_REP),
        Action("resolve", _("Resolve"), FOLLOW_UP_STATES,
               RequestState.RESOLVED, DEPARTMENT, note_required=True, style="success", notify=TELL_REP),
        Action("confirm", _("Confirm the resolution"), frozenset({RequestState.RESOLVED}),
               RequestState.CONFIRMED, frozenset({REPRESENTATIVE}), style="success", notify=TELL_OFFICER),
        Action("reopen", _("Reopen"), frozenset({RequestState.RESOLVED}),
               RequestState.REOPENED, frozenset({REPRESENTATIVE}), note_required=True, style="outline-danger",
               notify=TELL_OFFICER),
    ]
}  # fmt: skip

# Filing is not a transition (there is no state before it) but is a history row all the same.
FILE, REGISTER_WALK_IN, FILE_ON_BEHALF = "file", "register_walk_in", "file_on_behalf"
ACTION_LABELS = {
    FILE: _("Filed"),
    REGISTER_WALK_IN: _("Registered at the stall"),
    FILE_ON_BEHALF: _("Filed by the residents' committee on the representative's behalf"),
    **{name: action.label for name, action in ACTIONS.items()},
}
# Who is told of a new request: the department (not at a stall, where it is being written
# down), and the representative when someone else wrote it down for them.
FILING_NOTIFY = {FILE: TELL_OFFICER, REGISTER_WALK_IN: TELL_REP, FILE_ON_BEHALF: TELL_BOTH}

# What the representative reads as the next step, per state.
NEXT_STEP = {
    RequestState.SUBMITTED: _("Waiting for the department to answer or accept it."),
    RequestState.ANSWERED: _("The department answered it on the spot."),
    RequestState.ACCEPTED: _("The department is following it up."),
    RequestState.DECLINED: _("The department declined it; the reason is below."),
    RequestState.RESOLVED: _("Read the resolution, then confirm it or reopen it with a reason."),
    RequestState.CONFIRMED: _("Resolved and confirmed."),
    RequestState.REOPENED: _("Reopened: the department is following it up again."),
}


@dataclass(frozen=True)
class TicketAction:
    name: str
    label: str
    sources: frozenset
    target: str
    style: str = "primary"


# Calling is "call next": the lowest waiting number at the stall, not a chosen ticket.
TICKET_ACTIONS: dict[str, TicketAction] = {
    a.name: a
    for a in [
        TicketAction("serve", _("Serve"), frozenset({TicketState.CALLED}), TicketState.SERVING, "success"),
        TicketAction("done", _("Done"), frozenset({TicketState.SERVING}), TicketState.DONE, "success"),
        TicketAction("no_show", _("No-show"), frozenset({TicketState.CALLED}), TicketState.NO_SHOW,
                     "outline-danger"),
        TicketAction("hold", _("Hold"), frozenset({TicketState.WAITING, TicketState.CALLED}), TicketState.ON_HOLD,
                     "outline-secondary"),
        TicketAction("resume", _("Back in the queue"), frozenset({TicketState.ON_HOLD}), TicketState.WAITING,
                     "outline-primary"),
    ]
}  # fmt: skip


def is_allowed(action: Action, state: str, roles) -> bool:
    """The table's answer: may someone holding ``roles`` on the request take ``action`` now?"""
    return state in action.sources and bool(action.roles & set(roles))


def actions_for(state: str, roles) -> list[Action]:
    """The actions open to these roles in this state, in table order."""
    return [a for a in ACTIONS.values() if is_allowed(a, state, roles)]


def ticket_actions_for(state: str) -> list[TicketAction]:
    return [a for a in TICKET_ACTIONS.values() if state in a.sources]
