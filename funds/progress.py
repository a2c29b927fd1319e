"""Collection progress of a campaign, computed from the roll in one query."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from funds.models import Campaign, to_fen


def percent(part, whole) -> Decimal | None:
    """A share in per cent to two places, as the decision's shares (funds/decision.py) are shown:
    rounded down, so 100.00% means all of it (191 of 192 households is 99.47%, never 100.0%)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


@dataclass(frozen=True)
class Collection:
    households: int
    paid_full: int
    paid_partly: int
    unpaid: int
    total_due: Decimal
    collected: Decimal
    gap: Decimal

    @property
    def funded(self) -> bool:
        """Funded once what was collected covers the gap (DESIGN.md §2)."""
        return self.collected >= self.gap

    @property
    def still_missing(self) -> Decimal:
        return max(self.gap - self.collected, Decimal("0.00"))

    @property
    def households_percent(self):
        return percent(self.paid_full, self.households)

    @property
    def gap_percent(self):
        return percent(self.collected, self.gap) if self.gap > 0 else None

    @property
    def due_percent(self):
        return percent(self.collected, self.total_due)


def collection_of(campaign: Campaign) -> Collection:
    paid_full = paid_partly = unpaid = 0
    total_due = collected = Decimal("0.00")
    rows = campaign.units.values_list("area_m2", "paid_total")
    for area, paid in rows:
        due = campaign.due_for(area)
        total_due += due
        collected += paid
        if paid >= due:
            paid_full += 1
        elif paid > 0:
            paid_partly += 1
        else:
            unpaid += 1
    return Collection(
        households=paid_full + paid_partly + unpaid,
        paid_full=paid_full,
        paid_partly=paid_partly,
        unpaid=unpaid,
        total_due=to_fen(total_due),
        collected=to_fen(collected),
        gap=campaign.gap,
    )
