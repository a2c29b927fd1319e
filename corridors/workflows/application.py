"""The warm-corridor application workflow (DESIGN.md §1), as one table.

    draft → submitted → endorsed (committee) → approved (street) → in creation → inspection requested
          ↘ returned (by committee or street) ↗          ↘ rejected (street)
    withdrawn (by the leader, any time before approval)
    inspection requested → awarded (the acceptance check passed)
                         → rectifying (it failed) → inspection requested (the leader asks again)

Each step below is carried out by exactly one service function in
``corridors.services.applications`` (``application_submit``, ``application_endorse``, ...);
this module only says what is allowed and who is told, so pages, services and tests read
the same table. Roles are relative to the application: the leader of *its* group, the
committee of *its* neighbourhood, the staff of *its* street. ``notify`` names who is told
(``corridors.notifications`` turns the roles into people; the actor is never told).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.workflows import Transition, Workflow
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


def _step(name, label, sources, target, roles, *, notify, reason_required=False, style="primary"):
    return Transition(
        name, label, frozenset(sources), target, frozenset(roles), reason_required, frozenset(notify), style
    )


APPLICATION = Workflow(
    "application",
    State,
    [
        # name, label, from, to, who may, who is told (the group's leader hears of every step)
        _step("submit", _("Submit"), {State.DRAFT, State.RETURNED}, State.SUBMITTED, {LEADER},
              notify={LEADER, COMMITTEE}),
        _step("endorse", _("Endorse"), {State.SUBMITTED}, State.ENDORSED, {COMMITTEE},
              notify={LEADER, STREET}),
        _step("return_by_committee", _("Return for revision"), {State.SUBMITTED}, State.RETURNED, {COMMITTEE},
              notify={LEADER}, reason_required=True, style="warning"),
        _step("approve", _("Approve for creation"), {State.ENDORSED}, State.APPROVED, {STREET},
              notify={LEADER, COMMITTEE}, style="success"),
        _step("return_by_street", _("Return for revision"), {State.ENDORSED}, State.RETURNED, {STREET},
              notify={LEADER, COMMITTEE}, reason_required=True, style="warning"),
        _step("reject", _("Reject"), {State.ENDORSED}, State.REJECTED, {STREET},
              notify={LEADER, COMMITTEE}, reason_required=True, style="danger"),
        _step("withdraw", _("Withdraw"), {State.DRAFT, State.SUBMITTED, State.ENDORSED, State.RETURNED},
              State.WITHDRAWN, {LEADER}, notify={LEADER, COMMITTEE}, style="outline-danger"),
        _step("start_creation", _("Start creating the corridor"), {State.APPROVED}, State.IN_CREATION, {LEADER},
              notify={LEADER, COMMITTEE, STREET}),
        _step("request_inspection", _("Request the acceptance check"), {State.IN_CREATION},
              State.INSPECTION_REQUESTED, {LEADER}, notify={LEADER, COMMITTEE, STREET}),
        # The acceptance check's outcome (funds records the scores and takes these steps).
        _step("pass_inspection", _("Pass the acceptance check"), {State.INSPECTION_REQUESTED}, State.AWARDED,
              {STREET}, notify={LEADER, COMMITTEE}, style="success"),
        _step("fail_inspection", _("Fail the acceptance check"), {State.INSPECTION_REQUESTED}, State.RECTIFYING,
              {STREET}, notify={LEADER, COMMITTEE}, reason_required=True, style="warning"),
        _step("request_reinspection", _("Ask for a new inspection"), {State.RECTIFYING},
              State.INSPECTION_REQUESTED, {LEADER}, notify={LEADER, COMMITTEE, STREET}),
    ],
    role_labels=dict(Role.choices),
)  # fmt: skip

# Steps taken from the acceptance check (funds), never from a button on the application
# page: their outcome is decided by the scores, so the application page cannot offer them.
INSPECTION_STEPS = frozenset({"pass_inspection", "fail_inspection", "request_reinspection"})


def page_steps(state: str, roles) -> list[Transition]:
    """The buttons the application page offers these roles in this state, in table order."""
    return [t for t in APPLICATION.available(state, roles) if t.name not in INSPECTION_STEPS]


def label_for(name: str) -> str:
    """A step's label by name (history rows and inbox headings), or the name itself."""
    return str(APPLICATION[name].label) if name in APPLICATION else name


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
