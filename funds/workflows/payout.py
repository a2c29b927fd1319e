"""The payout workflow (DESIGN.md §2), as one table.

    (propose) → proposed → approved → paid
                         ↘ rejected
    proposed, approved → cancelled (before payment)

Roles are relative to the payout: the office staff and the finance approvers of *its*
street. Four eyes is a rule over people, not roles, so the table cannot hold it: the
services refuse approving or rejecting one's own proposal, and a ``CheckConstraint``
backs them. Who is told: ``PROPOSER`` (the staff member who proposed it), the street's
``FINANCE`` approvers and the group's ``LEADER`` (see ``funds.notifications``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.workflows import Transition, Workflow
from corridors.models import Role


class PayoutState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved, not yet paid")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", pgettext_lazy("payout", "Paid")
    CANCELLED = "cancelled", _("Cancelled")


# Proposed or approved: money promised but not paid, still cancellable.
OPEN_STATES = frozenset({PayoutState.PROPOSED, PayoutState.APPROVED})
# A rejected or cancelled payout no longer counts against anything.
DEAD_STATES = (PayoutState.REJECTED, PayoutState.CANCELLED)

STAFF, FINANCE, LEADER = Role.STREET_STAFF, Role.FINANCE, Role.LEADER
# Who is told, besides roles: the staff member who proposed the payout.
PROPOSER = "proposer"

PAYOUT = Workflow(
    "payout",
    PayoutState,
    [
        # Proposing makes the payout: no state before it, so ``check`` is not used for it.
        Transition("propose", _("Propose a payout"), frozenset(), PayoutState.PROPOSED, frozenset({STAFF}),
                   notify=frozenset({FINANCE})),
        Transition("receipts", _("Add receipts"), frozenset({PayoutState.PROPOSED}), PayoutState.PROPOSED,
                   frozenset({STAFF}), style="outline-primary"),
        Transition("approve", _("Approve"), frozenset({PayoutState.PROPOSED}), PayoutState.APPROVED,
                   frozenset({FINANCE}), notify=frozenset({PROPOSER, LEADER}), style="success"),
        Transition("reject", _("Reject"), frozenset({PayoutState.PROPOSED}), PayoutState.REJECTED,
                   frozenset({FINANCE}), reason_required=True, notify=frozenset({PROPOSER, LEADER}), style="danger"),
        Transition("pay", _("Mark paid"), frozenset({PayoutState.APPROVED}), PayoutState.PAID,
                   frozenset({FINANCE}), notify=frozenset({PROPOSER, LEADER}), style="success"),
        Transition("cancel", _("Cancel"), OPEN_STATES, PayoutState.CANCELLED, frozenset({STAFF, FINANCE}),
                   reason_required=True, notify=frozenset({PROPOSER, LEADER}), style="outline-danger"),
    ],
)  # fmt: skip

# What someone whose role does not allow a step is told (said before any other refusal).
ROLE_REFUSALS = {
    "propose": _("Only the street office staff of this street may propose a payout."),
    "receipts": _("Only the street office staff of this street may add receipts."),
    "approve": _("Only a finance approver of this street may do this."),
    "reject": _("Only a finance approver of this street may do this."),
    "pay": _("Only a finance approver of this street may do this."),
    "cancel": _("Only the street office or its finance approvers may cancel a payout."),
}

# Four eyes: the steps the proposer may never take on their own payout, and why.
FOUR_EYES = {
    "approve": _("You proposed this payout, so someone else must approve it (four eyes)."),
    "reject": _("You proposed this payout; cancel it instead of rejecting it."),
}
