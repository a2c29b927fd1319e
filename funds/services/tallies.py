"""A campaign's stored totals (``CampaignTally``), kept in step with every write to its roll.

The services that change a unit (consents, payments, corrections, imports, the rate) call
these inside their own transaction, after writing the unit, so the totals and the rows
they count commit together or not at all. The decision is worked out from the stored
totals by the same pure rule the full recomputation uses (``funds.decision``).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from funds.decision import owner_head, passes, use_passes
from funds.models import Campaign, Unit
from funds.models.tallies import CampaignTally
from funds.totals import counted_from_rows, decision_tally, payment_bucket


@dataclass(frozen=True)
class UnitState:
    """What of a unit the totals count: taken before a write and after it."""

    owner_key: str
    status: str
    area: Decimal
    paid: Decimal

    @classmethod
    def of(cls, unit: Unit) -> "UnitState":
        return cls(unit.owner_key, unit.consent_status, unit.area_m2, unit.paid_total)


def _lock(campaign: Campaign) -> tuple[CampaignTally, bool]:
    # Two volunteers recording answers (or payments) for different units at the same moment
    # each read the totals, add their own unit and write the totals back: without this row
    # lock the later write would drop the earlier one's count. The second waits here, then
    # reads what the first committed. (Lock order everywhere: the unit, then these totals.)
    stored = CampaignTally.objects.select_for_update().filter(pk=campaign.pk).first()
    if stored is None:
        # A campaign from before the totals (or made outside campaign_create): count it now,
        # under the campaign's own lock so two first writers do not both create the row.
        Campaign.objects.select_for_update(of=("self",)).filter(pk=campaign.pk).first()
        stored = CampaignTally.objects.select_for_update().filter(pk=campaign.pk).first()
        if stored is None:
            # Counted from the units as they are now, the write being recorded included.
            return CampaignTally.objects.create(campaign=campaign, **counted_from_rows(campaign)), True
    return stored, False


def _settle(stored: CampaignTally, campaign: Campaign) -> None:
    t = decision_tally(stored)
    stored.passes = passes(campaign.rule_set, t)
    stored.use_passes = use_passes(campaign.rule_set, t)
    stored.version += 1
    stored.save()  # figures that cannot be are refused by the table's check constraints


@transaction.atomic
def campaign_tally_recompute(*, campaign: Campaign) -> CampaignTally:
    """Count the totals afresh from the units and store them (an import, a new rate or rule
    set, a repair of drift). Returns the stored totals."""
    stored, _counted = _lock(campaign)
    for name, value in counted_from_rows(campaign).items():
        setattr(stored, name, value)
    _settle(stored, campaign)
    return stored


@transaction.atomic
def campaign_tally_unit_changed(*, unit: Unit, before: UnitState) -> CampaignTally:
    """Move one unit's part of the totals from ``before`` to its state now (already saved).

    The unit must be locked by the caller; its owner's other units are read after the
    totals' lock is taken, so two answers for one owner's two units still count the owner
    right (each sees the other's answer once it has committed).
    """
    campaign = unit.campaign
    after = UnitState.of(unit)
    stored, counted = _lock(campaign)
    if counted:
        return stored
    for state, sign in ((before, -1), (after, 1)):
        setattr(stored, f"{state.status}_units", getattr(stored, f"{state.status}_units") + sign)
        setattr(stored, f"{state.status}_area", getattr(stored, f"{state.status}_area") + sign * state.area)
        due = campaign.due_for(state.area)
        bucket = payment_bucket(state.paid, due)
        setattr(stored, bucket, getattr(stored, bucket) + sign)
        stored.total_area += sign * state.area
        stored.total_due += sign * due
        stored.collected += sign * state.paid
    for key in {before.owner_key, after.owner_key}:
        others = list(campaign.units.filter(owner_key=key).exclude(pk=unit.pk).values_list("consent_status", flat=True))
        was = owner_head(others + [before.status] if before.owner_key == key else others)
        now = owner_head(others + [after.status] if after.owner_key == key else others)
        stored.owners += now[0] - was[0]
        stored.part_owners += now[1] - was[1]
        stored.agree_owners += now[2] - was[2]
    _settle(stored, campaign)
    return stored
