"""A campaign's totals as the pages read them: the stored row (``CampaignTally``), the
decision worked out from it, the collection, and the door-to-door margin (cached per
version of the totals, since finding it needs the whole roll).
"""

from decimal import Decimal
from fractions import Fraction

from django.core.cache import cache

from funds.decision import (
    Decision,
    Margin,
    RollEntry,
    Tally,
    decide_totals,
    find_margin,
    passes,
    roll_of,
    tally,
    use_passes,
    with_use_and_other_rule,
)
from funds.models import Campaign
from funds.models.tallies import STATUSES, ZERO, CampaignTally
from funds.progress import Collection

MARGIN_CACHE_SECONDS = 24 * 3600


def decision_tally(stored: CampaignTally) -> Tally:
    """The stored totals as the decision's rule reads them (exact fractions)."""
    part_area = stored.agree_area + stored.refuse_area + stored.abstain_area
    return Tally(
        total_area=Fraction(stored.total_area),
        total_heads=stored.owners,
        part_area=Fraction(part_area),
        part_heads=stored.part_owners,
        agree_area=Fraction(stored.agree_area),
        agree_heads=stored.agree_owners,
    )


def payment_bucket(paid: Decimal, due: Decimal) -> str:
    if paid >= due:
        return "paid_full_units"
    return "paid_partly_units" if paid > 0 else "unpaid_units"


def counted_from_rows(campaign: Campaign) -> dict:
    """Every stored figure counted afresh from the campaign's units (one query; no lock)."""
    values: dict = {f"{s}_units": 0 for s in STATUSES} | {f"{s}_area": ZERO for s in STATUSES}
    values |= {"paid_full_units": 0, "paid_partly_units": 0, "unpaid_units": 0}
    total_due = collected = ZERO
    entries = []
    rows = campaign.units.values_list("consent_status", "area_m2", "paid_total", "owner_key")
    for status, area, paid, key in rows:
        values[f"{status}_units"] += 1
        values[f"{status}_area"] += area
        due = campaign.due_for(area)
        total_due += due
        collected += paid
        values[payment_bucket(paid, due)] += 1
        entries.append(RollEntry("", 0, area, key, status))
    t = tally(entries)
    values |= {
        "units": len(entries),
        "owners": t.total_heads,
        "part_owners": t.part_heads,
        "agree_owners": t.agree_heads,
        "total_area": sum((values[f"{s}_area"] for s in STATUSES), ZERO),
        "total_due": total_due,
        "collected": collected,
    }
    stored = CampaignTally(**values)
    values["passes"] = passes(campaign.rule_set, decision_tally(stored))
    values["use_passes"] = use_passes(campaign.rule_set, decision_tally(stored))
    return values


def tally_for(campaign: Campaign) -> CampaignTally:
    """The stored totals, or (a campaign not counted yet) the totals counted now, unsaved."""
    stored = CampaignTally.objects.filter(pk=campaign.pk).first()
    return stored or CampaignTally(campaign=campaign, **counted_from_rows(campaign))


def margin_for(campaign: Campaign, stored: CampaignTally) -> Margin | None:
    """The fewest owners to win over, found on the roll once per version of the totals.

    Keyed on the version and the time of the last change (a row counted afresh starts again
    at version 0); totals counted on the fly, not stored, are not cached.
    """
    if stored.updated_at is None:
        return find_margin(roll_of(campaign), campaign.rule_set)
    key = f"funds:margin:{campaign.pk}:{stored.version}:{stored.updated_at.timestamp()}:{campaign.rule_set}"
    found = cache.get(key)
    if found is None:
        found = (find_margin(roll_of(campaign), campaign.rule_set),)
        cache.set(key, found, MARGIN_CACHE_SECONDS)
    return found[0]


def campaign_decision(campaign: Campaign, *, margin: bool = True) -> Decision:
    """The decision from the stored totals (no per-unit work), with the use of the fund and
    the other rule set beside it; the margin (when it does not pass) from the cache."""
    stored = tally_for(campaign)
    t = decision_tally(stored)
    counts = {status: getattr(stored, f"{status}_units") for status in STATUSES}
    found = margin_for(campaign, stored) if margin and not passes(campaign.rule_set, t) else None
    return with_use_and_other_rule(decide_totals(t, campaign.rule_set, counts, found))


def campaign_collection(campaign: Campaign) -> Collection:
    """The collection's progress from the stored totals."""
    stored = tally_for(campaign)
    return Collection(
        households=stored.units,
        paid_full=stored.paid_full_units,
        paid_partly=stored.paid_partly_units,
        unpaid=stored.unpaid_units,
        total_due=stored.total_due,
        collected=stored.collected,
        gap=campaign.gap,
    )
