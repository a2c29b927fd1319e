"""The warm-corridor title's workflow (DESIGN.md §2), as one table.

    (award) → active ⇄ suspended
              active, suspended → revoked (for good)

The title is made by a passed acceptance check (``funds.services.awards.award_create``),
then the street office may suspend, reinstate or revoke it, always with a reason. Every
step writes an ``AwardTransition`` (who, when, from, to, why), so a suspension's reason
stays readable after the title is reinstated. Suspending or revoking cancels the award's
open payouts. Who is told: the group's ``LEADER`` and its neighbourhood's ``COMMITTEE``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.workflows import Transition, Workflow
from corridors.models import Role


class AwardState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("award status", "Active")
    SUSPENDED = "suspended", pgettext_lazy("award status", "Suspended")
    REVOKED = "revoked", pgettext_lazy("award status", "Revoked")


STAFF, COMMITTEE, LEADER = Role.STREET_STAFF, Role.COMMITTEE, Role.LEADER
TOLD = frozenset({LEADER, COMMITTEE})

AWARD = Workflow(
    "award",
    AwardState,
    [
        # Made by a passed check: no state before it, so ``check`` is not used for it.
        # The application's "passed" step (corridors) already tells the leader and the committee.
        Transition("award", _("Award the title"), frozenset(), AwardState.ACTIVE, frozenset({STAFF})),
        Transition("suspend", _("Suspend"), frozenset({AwardState.ACTIVE}), AwardState.SUSPENDED,
                   frozenset({STAFF}), reason_required=True, notify=TOLD, style="warning"),
        Transition("reinstate", _("Reinstate"), frozenset({AwardState.SUSPENDED}), AwardState.ACTIVE,
                   frozenset({STAFF}), reason_required=True, notify=TOLD, style="success"),
        Transition("revoke", _("Revoke"), frozenset({AwardState.ACTIVE, AwardState.SUSPENDED}), AwardState.REVOKED,
                   frozenset({STAFF}), reason_required=True, notify=TOLD, style="danger"),
    ],
)  # fmt: skip

# Steps that cancel the award's open payouts, with the reason each cancellation carries.
CANCELS_PAYOUTS = {
    "suspend": _("Award suspended: %(reason)s"),
    "revoke": _("Award revoked: %(reason)s"),
}
