"""Owners' names and phones seen unmasked, on purpose: one unit, or the outstanding list in full.

Only the campaign's revealers (``funds.selectors``: managers and the working group's
members for the committee and the owners) may; each act is recorded, with its purpose, in
the site's one log (``corridors.services.privacy.personal_data_reveal``) before any value
is shown.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from corridors.models import PersonalDataAccess, User
from corridors.services.privacy import personal_data_reveal
from funds.exports import outstanding_rows, outstanding_units
from funds.models import Campaign, Unit
from funds.selectors import require_campaign_role

OWNER_FIELDS = ["owner_name", "owner_phone"]


@transaction.atomic
def unit_owner_reveal(*, unit: Unit, actor: User, purpose: str) -> tuple[str, str]:
    """The owner's name and phone of one unit, after recording who asked, when and why."""
    campaign = unit.campaign
    require_campaign_role(actor, campaign, "reveal")
    personal_data_reveal(
        actor=actor,
        subject=unit,
        subject_label=_("%(building)s, unit %(unit)s (campaign %(campaign)s)")
        % {"building": campaign.building, "unit": unit.label, "campaign": campaign.pk},
        fields=OWNER_FIELDS,
        purpose=purpose,
    )
    return unit.owner_name, unit.owner_phone


@transaction.atomic
def outstanding_export_full(*, campaign: Campaign, actor: User, purpose: str) -> list[list]:
    """The outstanding list's rows with owners in full, after recording the export and its purpose."""
    require_campaign_role(actor, campaign, "reveal")
    units = outstanding_units(campaign)
    personal_data_reveal(
        actor=actor,
        subject=campaign,
        subject_label=_("%(building)s: units still to pay (campaign %(campaign)s)")
        % {"building": campaign.building, "campaign": campaign.pk},
        fields=OWNER_FIELDS,
        purpose=purpose,
        kind=PersonalDataAccess.Kind.EXPORT,
        rows=len(units),
    )
    return outstanding_rows(units, unmasked=True)
