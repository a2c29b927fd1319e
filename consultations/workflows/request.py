"""The request workflow (诉求, DESIGN.md §3), as one table.

    filed / registered at a stall ──→ submitted ──→ answered on the spot (closed)
                                       │  ↑ └────→ declined with a reason (closed)
                          referred ────┘  │
                                       accepted for follow-up (officer, due date)
                                          └──→ resolved ──→ confirmed by the representative (closed)
                                                   └──→ reopened with a reason ──→ resolved ...

Each step is carried out by exactly one service function in
``consultations.services.requests`` (``request_accept``, ``request_confirm``, ...), which calls
``REQUEST.check`` on the locked row and writes one ``RequestEvent``. Roles are relative to the
request (``consultations.selectors.request_roles``): its own representative, an officer of *its
current* department, the staff of *its* street. The residents' committee of its neighbourhood
reads it and files on a representative's behalf but takes no step. ``notify`` says who is told
(``consultations.notifications``): REPRESENTATIVE is the request's representative; OFFICER is
the officer following it up or, while nobody is, every officer of its department.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.workflows import Transition, Workflow
from corridors.models import Role


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the department")
    ANSWERED = "answered", _("Answered on the spot")
    ACCEPTED = "accepted", _("Accepted for follow-up")
    DECLINED = "declined", _("Declined")
    RESOLVED = "resolved", _("Resolved, waiting for confirmation")
    CONFIRMED = "confirmed", _("Resolved and confirmed")
    REOPENED = "reopened", _("Reopened")


S = RequestState
# The department is still working on these: they are carried over to the next conference.
OPEN_STATES = frozenset({S.SUBMITTED, S.ACCEPTED, S.REOPENED})
# A due date counts only while someone is following the request up.
FOLLOW_UP_STATES = frozenset({S.ACCEPTED, S.REOPENED})
CLOSED_STATES = frozenset({S.ANSWERED, S.DECLINED, S.CONFIRMED})
# Shown (anonymised) on the public board 你反映·我来办.
PUBLIC_STATES = frozenset({S.CONFIRMED})

REPRESENTATIVE, OFFICER, STREET = Role.REPRESENTATIVE, Role.OFFICER, Role.STREET_STAFF
COMMITTEE = Role.COMMITTEE
DEPARTMENT = frozenset({OFFICER, STREET})
ONLY_REPRESENTATIVE = frozenset({REPRESENTATIVE})
TELL_REP, TELL_OFFICER = frozenset({REPRESENTATIVE}), frozenset({OFFICER})
TELL_BOTH = TELL_REP | TELL_OFFICER

REQUEST = Workflow(
    "request",
    RequestState,
    [
        Transition("answer_on_spot", _("Answer on the spot"), frozenset({S.SUBMITTED}), S.ANSWERED, DEPARTMENT,
                   reason_required=True, notify=TELL_REP, style="success"),
        Transition("accept", _("Accept for follow-up"), frozenset({S.SUBMITTED}), S.ACCEPTED, DEPARTMENT,
                   notify=TELL_BOTH),
        Transition("refer", _("Refer to another department"), OPEN_STATES, S.SUBMITTED, DEPARTMENT,
                   reason_required=True, notify=TELL_BOTH, style="outline-primary"),
        Transition("decline", _("Decline"), OPEN_STATES, S.DECLINED, DEPARTMENT,
                   reason_required=True, notify=TELL_REP, style="outline-danger"),
        Transition("resolve", _("Resolve"), FOLLOW_UP_STATES, S.RESOLVED, DEPARTMENT,
                   reason_required=True, notify=TELL_REP, style="success"),
        Transition("confirm", _("Confirm the resolution"), frozenset({S.RESOLVED}), S.CONFIRMED, ONLY_REPRESENTATIVE,
                   notify=TELL_OFFICER, style="success"),
        Transition("reopen", _("Reopen"), frozenset({S.RESOLVED}), S.REOPENED, ONLY_REPRESENTATIVE,
                   reason_required=True, notify=TELL_OFFICER, style="outline-danger"),
    ],
)  # fmt: skip

# Filing is not a transition (there is no state before it) but is a history row all the same.
FILE, REGISTER_WALK_IN, FILE_ON_BEHALF = "file", "register_walk_in", "file_on_behalf"
FILING_LABELS = {
    FILE: _("Filed"),
    REGISTER_WALK_IN: _("Registered at the stall"),
    FILE_ON_BEHALF: _("Filed by the residents' committee on the representative's behalf"),
}
# Who is told of a new request: the department (not at a stall, where it is being written
# down), and the representative when someone else wrote it down for them.
FILING_NOTIFY = {FILE: TELL_OFFICER, REGISTER_WALK_IN: TELL_REP, FILE_ON_BEHALF: TELL_BOTH}
ACTION_LABELS = {**FILING_LABELS, **{t.name: t.label for t in REQUEST}}

# What the representative reads as the next step, per state.
NEXT_STEP = {
    S.SUBMITTED: _("Waiting for the department to answer or accept it."),
    S.ANSWERED: _("The department answered it on the spot."),
    S.ACCEPTED: _("The department is following it up."),
    S.DECLINED: _("The department declined it; the reason is below."),
    S.RESOLVED: _("Read the resolution, then confirm it or reopen it with a reason."),
    S.CONFIRMED: _("Resolved and confirmed."),
    S.REOPENED: _("Reopened: the department is following it up again."),
}
