"""A campaign's running totals: the roll's counts, areas and money, and where the decision stands.

Kept up to date in the same transaction as every write that changes them (a consent, a
payment or its correction, a unit's correction, an import, a new rate), under a row lock
on this row (``funds.services.tallies``), so the pages read one row instead of the whole
roll. ``manage.py check_campaign_totals`` recomputes them from the units and reports (or
fixes) any difference; the constraints below are the database's last line.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from funds.models.campaigns import Campaign

ZERO = Decimal("0.00")
# The consent statuses, in the order of the fields below (funds.models.consents.ConsentStatus).
STATUSES = ("agree", "refuse", "abstain", "pending", "unreachable")


def _count(label):
    return models.PositiveIntegerField(label, default=0)


def _area(label):
    return models.DecimalField(label, max_digits=14, decimal_places=2, default=ZERO)


class CampaignTally(models.Model):
    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, primary_key=True, related_name="tally", verbose_name=_("campaign")
    )
    units = _count(_("units"))
    owners = _count(_("owners"))
    total_area = _area(_("total area (m²)"))
    # Units and area by the unit's current consent.
    agree_units = _count(_("agreeing units"))
    agree_area = _area(_("agreeing area (m²)"))
    refuse_units = _count(_("refusing units"))
    refuse_area = _area(_("refusing area (m²)"))
    abstain_units = _count(_("abstaining units"))
    abstain_area = _area(_("abstaining area (m²)"))
    pending_units = _count(_("pending units"))
    pending_area = _area(_("pending area (m²)"))
    unreachable_units = _count(_("unreachable units"))
    unreachable_area = _area(_("unreachable area (m²)"))
    # Heads (funds.decision.owner_head): an owner takes part, or agrees, through all their units.
    part_owners = _count(_("owners taking part"))
    agree_owners = _count(_("agreeing owners"))
    # Money: each unit's due is its area × the rate, to the fen.
    total_due = models.DecimalField(_("total due"), max_digits=14, decimal_places=2, default=ZERO)
    collected = models.DecimalField(_("collected"), max_digits=14, decimal_places=2, default=ZERO)
    paid_full_units = _count(_("units paid in full"))
    paid_partly_units = _count(_("units paid in part"))
    unpaid_units = _count(_("units not paid"))
    # Where the decision stands, by funds.decision on the totals above.
    passes = models.BooleanField(_("the decision passes"), default=False)
    use_passes = models.BooleanField(_("the use of the fund passes"), default=False)
    # Goes up with every change: what a cached margin (the door-to-door list) is keyed on.
    version = models.PositiveBigIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("campaign totals")
        verbose_name_plural = _("campaign totals")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    units=F("agree_units")
                    + F("refuse_units")
                    + F("abstain_units")
                    + F("pending_units")
                    + F("unreachable_units")
                )
                & Q(units=F("paid_full_units") + F("paid_partly_units") + F("unpaid_units")),
                name="tally_units_add_up",
            ),
            models.CheckConstraint(
                condition=Q(
                    total_area=F("agree_area")
                    + F("refuse_area")
                    + F("abstain_area")
                    + F("pending_area")
                    + F("unreachable_area"),
                    agree_area__gte=0,
                    refuse_area__gte=0,
                    abstain_area__gte=0,
                    pending_area__gte=0,
                    unreachable_area__gte=0,
                ),
                name="tally_areas_add_up",
            ),
            models.CheckConstraint(
                condition=Q(agree_owners__lte=F("part_owners"), part_owners__lte=F("owners"), owners__lte=F("units")),
                name="tally_owners_within_units",
            ),
            models.CheckConstraint(
                condition=Q(collected__gte=0, collected__lte=F("total_due")), name="tally_collected_within_due"
            ),
        ]

    def __str__(self):
        return f"{self.campaign_id}: {self.units}"
