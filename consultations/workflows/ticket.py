"""The ticket workflow: a queue number at one stall (DESIGN.md §3), as one table.

    (issued) ──→ waiting ──→ called ──→ serving ──→ done
                   ↑  ↘         ├──→ no-show
                   └── on hold ←┘

Issuing is not a transition (there is no state before it) but writes a history row like
every step. "Call" is taken by ``ticket_call_next`` on the lowest waiting number at the stall,
never on a chosen ticket; the other steps are buttons on the stall page. Each step is one
service function in ``consultations.services.tickets``, which calls ``TICKET.check`` on the
locked row and writes one ``TicketEvent``. Roles are relative to the ticket's stall
(``consultations.selectors.stall_roles``): an officer of its department, the staff of its
street. Nobody is told of a ticket's steps: the "now serving" board and the representative's
queue page show them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.workflows import Transition, Workflow
from corridors.models import Role


class TicketState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Done")
    NO_SHOW = "no_show", _("Did not come")
    ON_HOLD = "on_hold", _("On hold")


T = TicketState
# A ticket still in the queue; a representative holds at most one per stall.
LIVE_TICKET_STATES = frozenset({T.WAITING, T.CALLED, T.SERVING, T.ON_HOLD})
# Shown on the "now serving" board.
CALLED_TICKET_STATES = frozenset({T.CALLED, T.SERVING})

OFFICER, STREET = Role.OFFICER, Role.STREET_STAFF
# Who runs a stall: the officers of its department and the staff of its street.
STALL_RUNNERS = frozenset({OFFICER, STREET})

ISSUE, CALL = "issue", "call"
TICKET = Workflow(
    "ticket",
    TicketState,
    [
        Transition(CALL, _("Call next"), frozenset({T.WAITING}), T.CALLED, STALL_RUNNERS),
        Transition("serve", _("Serve"), frozenset({T.CALLED}), T.SERVING, STALL_RUNNERS, style="success"),
        Transition("done", _("Done"), frozenset({T.SERVING}), T.DONE, STALL_RUNNERS, style="success"),
        Transition("no_show", _("No-show"), frozenset({T.CALLED}), T.NO_SHOW, STALL_RUNNERS,
                   style="outline-danger"),
        Transition("hold", _("Hold"), frozenset({T.WAITING, T.CALLED}), T.ON_HOLD, STALL_RUNNERS,
                   style="outline-secondary"),
        Transition("resume", _("Back in the queue"), frozenset({T.ON_HOLD}), T.WAITING, STALL_RUNNERS,
                   style="outline-primary"),
    ],
)  # fmt: skip
# The steps a stall page offers as buttons on a ticket ("call" is "call next", for the stall).
BUTTON_STEPS = tuple(t.name for t in TICKET if t.name != CALL)


def buttons_for(state: str, roles) -> list:
    """The ticket's buttons on the stall page, in table order."""
    return [t for t in TICKET.available(state, roles) if t.name in BUTTON_STEPS]
