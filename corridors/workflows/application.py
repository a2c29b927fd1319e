"""The warm-corridor application workflow (DESIGN.md §1), as one table.

    draft → submitted → endorsed (committee) → approved (street) → in creation → inspection requested
          ↘ returned (by committee or street) ↗          ↘ rejected (street)
    withdrawn (by the leader, any time before approval)
    inspection requested → awarded (the acceptance check passed)
                         → rectifying (it failed) → inspection requested (the leader asks again)

Each action below is carried out by exactly one service function in
``corridors.services.applications`` (``application_submit``, ``application_endorse``, ...);
this module only says what is allowed, so pages, services and tests read the same table.
Roles are relative to the application: the leader of *its* group, the committee of *its*
neighbourhood, the staff of *its* street.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from corridors.models.people import Role


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the committee")
    ENDORSED = "endorsed", _("Endorsed by the committee")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved for creation")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    IN_CREATION = "in_creation", _("In creation")
    INSPECTION_REQUESTED = "inspection_requested", _("Inspection requested")
    AWARDED = "awarded", _("Passed the acceptance check: awarded")
    RECTIFYING = "rectifying", _("Rectifying after the acceptance check")


# The leader may change the application (text, budget, sketches) only here.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
# A closed application no longer counts as the group's live application for the year.
CLOSED_STATES = frozenset({State.REJECTED, State.WITHDRAWN})

LEADER, COMMITTEE, STREET = Role.LEADER, Role.COMMITTEE, Role.STREET_STAFF


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset
    target: State
    role: Role
    note_required: bool = False
    # Who is told, besides the group's leader (the actor is never told of their own step).
    notify: tuple = ()
    # Bootstrap button style on the application page.
    style: str = "primary"


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("submit", _("Submit"), frozenset({State.DRAFT, State.RETURNED}), State.SUBMITTED, LEADER,
               notify=(COMMITTEE,)),
        Action("endorse", _("Endorse"), frozenset({State.SUBMITTED}), State.ENDORSED, COMMITTEE,
               notify=(STREET,)),
        Action("return_by_committee", _("Return for revision"), frozenset({State.SUBMITTED}), State.RETURNED,
               COMMITTEE, note_required=True, style="warning"),
        Action("approve", _("Approve for creation"), frozenset({State.ENDORSED}), State.APPROVED, STREET,
               notify=(COMMITTEE,), style="success"),
        Action("return_by_street", _("Return for revision"), frozenset({State.ENDORSED}), State.RETURNED, STREET,
               note_required=True, notify=(COMMITTEE,), style="warning"),
        Action("reject", _("Reject"), frozenset({State.ENDORSED}), State.REJECTED, STREET,
               note_required=True, notify=(COMMITTEE,), style="danger"),
        Action("withdraw", _("Withdraw"),
               frozenset({State.DRAFT, State.SUBMITTED, State.ENDORSED, State.RETURNED}), State.WITHDRAWN, LEADER,
               notify=(COMMITTEE,), style="outline-danger"),
        Action("start_creation", _("Start creating the corridor"), frozenset({State.APPROVED}), State.IN_CREATION,
               LEADER, notify=(COMMITTEE, STREET)),
        Action("request_inspection", _("Request the acceptance check"), frozenset({State.IN_CREATION}),
               State.INSPECTION_REQUESTED, LEADER, notify=(COMMITTEE, STREET)),
    ]
}  # fmt: skip

# Steps taken from the acceptance check (funds), not from a button on the application
# page: its outcome is decided by the scores, so the application page cannot offer them.
# ``corridors.services.applications`` carries them out exactly like the actions above.
INSPECTION_ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("pass_inspection", _("Pass the acceptance check"), frozenset({State.INSPECTION_REQUESTED}),
               State.AWARDED, STREET, notify=(COMMITTEE,), style="success"),
        Action("fail_inspection", _("Fail the acceptance check"), frozenset({State.INSPECTION_REQUESTED}),
               State.RECTIFYING, STREET, note_required=True, notify=(COMMITTEE,), style="warning"),
        Action("request_reinspection", _("Ask for a new inspection"), frozenset({State.RECTIFYING}),
               State.INSPECTION_REQUESTED, LEADER, notify=(COMMITTEE, STREET)),
    ]
}  # fmt: skip


def action_named(name: str) -> Action | None:
    """Any step of the workflow by name (page buttons and acceptance-check steps), for labels."""
    return ACTIONS.get(name) or INSPECTION_ACTIONS.get(name)


# What the leader sees on their home page as the next step, per state.
NEXT_STEP = {
    State.DRAFT: _("Complete the application, then submit it to the residents' committee."),
    State.SUBMITTED: _("Waiting for the residents' committee to endorse it."),
    State.ENDORSED: _("Waiting for the street office to approve it."),
    State.RETURNED: _("Revise the application as asked, then submit it again."),
    State.APPROVED: _("Approved: start creating the corridor."),
    State.IN_CREATION: _("Post progress photos; request the acceptance check when the corridor is ready."),
    State.INSPECTION_REQUESTED: _("Waiting for the street office to inspect the corridor."),
    State.REJECTED: _("The application was rejected."),
    State.WITHDRAWN: _("The application was withdrawn."),
    State.AWARDED: _("The corridor passed the acceptance check and holds the warm-corridor title."),
    State.RECTIFYING: _("Fix the items the acceptance check listed, then ask for a new inspection."),
}

# Which role is expected to act next, per state (for queues and the home page).
WAITING_FOR = {
    State.DRAFT: LEADER,
    State.RETURNED: LEADER,
    State.SUBMITTED: COMMITTEE,
    State.ENDORSED: STREET,
    State.APPROVED: LEADER,
    State.IN_CREATION: LEADER,
    State.INSPECTION_REQUESTED: STREET,
    State.RECTIFYING: LEADER,
}


def is_allowed(action: Action, state: str, roles) -> bool:
    """The table's answer: may someone holding ``roles`` on the application take ``action`` now?"""
    return state in action.sources and action.role in roles


def actions_for(state: str, roles) -> list[Action]:
    """The actions open to these roles in this state, in table order."""
    return [a for a in ACTIONS.values() if is_allowed(a, state, roles)]
