"""The roll of a campaign: one row per unit (flat), with its owner, area and running totals."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.masking import mask_name, mask_phone
from funds.models.campaigns import Campaign
from funds.models.consents import ConsentReason, ConsentStatus


class Unit(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="units", verbose_name=_("campaign"))
    label = models.CharField(_("unit"), max_length=20)
    # What the site-wide search matches (common.search): the unit's number, never the owner.
    SEARCH_RELATED = ("label",)
    floor = models.SmallIntegerField(_("floor"))
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2)
    owner_name = models.CharField(_("owner"), max_length=50)
    owner_phone = models.CharField(_("owner's phone"), max_length=20, blank=True)
    owner_key = models.CharField(
        _("owner key"), max_length=50, help_text=_("The same key on several units means one owner (one head).")
    )
    # The latest consent record, kept here so the roll and the decision need no subquery.
    consent_status = models.CharField(
        _("consent"), max_length=20, choices=ConsentStatus.choices, default=ConsentStatus.PENDING
    )
    consent_reason = models.CharField(_("reason"), max_length=20, choices=ConsentReason.choices, blank=True)
    consent_updated_at = models.DateTimeField(_("consent updated"), null=True, blank=True)
    # Sum of this unit's payments, updated with each payment under a row lock.
    paid_total = models.DecimalField(_("paid"), max_digits=12, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["floor", "label"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "label"], name="unit_unique_label"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="unit_area_positive"),
            models.CheckConstraint(condition=Q(paid_total__gte=0), name="unit_paid_non_negative"),
        ]
        # The stored totals read an owner's other units on every answer (funds.services.tallies).
        indexes = [models.Index(fields=["campaign", "owner_key"], name="unit_campaign_owner")]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("funds:unit", args=[self.pk])

    # Every page, printed form and export shows the owner masked (个人信息保护法); the real
    # values reach a page only through a recorded reveal (funds/views/privacy.py).
    @property
    def shown_name(self) -> str:
        return mask_name(self.owner_name)

    @property
    def shown_phone(self) -> str:
        return mask_phone(self.owner_phone)

    @property
    def due(self) -> Decimal:
        return self.campaign.due_for(self.area_m2)

    @property
    def outstanding(self) -> Decimal:
        return self.due - self.paid_total


class UnitChange(models.Model):
    """A correction of a unit's roll data (before any payment), kept as history.

    ``changes`` maps each changed field to ``[before, after]`` as text.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="changes", verbose_name=_("unit"))
    changes = models.JSONField(_("changes"))
    reason = models.CharField(_("reason"), max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("unit correction")
        verbose_name_plural = _("unit corrections")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.unit} {self.changed_at:%Y-%m-%d}"

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        """(field's verbose name, before, after) for display, the owner's name and phone masked."""
        masks = {"owner_name": mask_name, "owner_phone": mask_phone}
        shown = masks.get
        return [
            (Unit._meta.get_field(name).verbose_name, shown(name, str)(old), shown(name, str)(new))
            for name, (old, new) in self.changes.items()
        ]
