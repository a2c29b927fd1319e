"""The warm-corridor title (温馨楼组) a passed check leads to, with its entitlements (DESIGN.md §2)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import StateChange
from funds.models.checks import AcceptanceCheck
from funds.workflows.award import AWARD, AwardState

MONEY = {"max_digits": 12, "decimal_places": 2}


class Award(models.Model):
    """温馨楼组 for one programme year; it entitles the group to the culture fund and the renovation money."""

    State = AwardState

    application = models.OneToOneField(
        "corridors.Application", on_delete=models.PROTECT, related_name="award", verbose_name=_("application")
    )
    check_record = models.OneToOneField(
        AcceptanceCheck, on_delete=models.PROTECT, related_name="award", verbose_name=_("acceptance check")
    )
    group = models.ForeignKey(
        "corridors.BuildingGroup", on_delete=models.PROTECT, related_name="awards", verbose_name=_("building group")
    )
    programme_year = models.ForeignKey(
        "corridors.ProgrammeYear", on_delete=models.PROTECT, related_name="awards", verbose_name=_("programme year")
    )
    sequence = models.PositiveIntegerField(_("sequence number"))
    certificate_number = models.CharField(_("certificate number"), max_length=40)
    # Changed only by the award services, each change an ``AwardTransition`` (funds/workflows/award.py).
    state = models.CharField(_("status"), max_length=12, choices=AwardState.choices, default=AwardState.ACTIVE)
    # The entitlements, fixed when the title is awarded.
    culture_fund_amount = models.DecimalField(_("culture fund"), **MONEY)
    renovation_limit = models.DecimalField(
        _("renovation limit"), help_text=_("The approved budget, or the year's cap if lower."), **MONEY
    )
    # Running sums, changed only under a row lock on this award, and held by constraints below.
    renovation_committed = models.DecimalField(_("renovation proposed or paid"), default=0, **MONEY)
    culture_fund_received = models.DecimalField(_("culture fund received"), default=0, **MONEY)
    ledger_spent = models.DecimalField(_("spent from the culture fund"), default=0, **MONEY)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("awarded by")
    )
    awarded_at = models.DateTimeField(_("awarded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-programme_year__year", "sequence"]
        constraints = [
            # The programme year is one street's year: numbers are unique per street and year.
            models.UniqueConstraint(fields=["programme_year", "sequence"], name="award_unique_sequence"),
            models.UniqueConstraint(fields=["programme_year", "certificate_number"], name="award_unique_certificate"),
            models.CheckConstraint(condition=Q(state__in=AwardState.values), name="award_state_valid"),
            models.CheckConstraint(
                condition=Q(renovation_committed__gte=0, renovation_committed__lte=F("renovation_limit")),
                name="award_renovation_within_limit",
            ),
            models.CheckConstraint(
                condition=Q(ledger_spent__gte=0, ledger_spent__lte=F("culture_fund_received")),
                name="award_ledger_balance_not_negative",
            ),
        ]

    def __str__(self):
        return self.certificate_number

    def get_absolute_url(self):
        return reverse("funds:award", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.state == AwardState.ACTIVE

    @property
    def ledger_balance(self):
        return self.culture_fund_received - self.ledger_spent

    @property
    def renovation_left(self):
        return self.renovation_limit - self.renovation_committed


class AwardTransition(StateChange):
    """History of a title: one row per step (who, when, from, to, why), the award itself first."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("award"))
    from_state = models.CharField(_("from"), max_length=24, choices=AwardState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=24, choices=AwardState.choices)

    class Meta:
        verbose_name = _("award step")
        verbose_name_plural = _("award steps")
        ordering = ["award_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.award_id}: {self.from_state or '—'} → {self.to_state}"

    @property
    def action_label(self) -> str:
        return AWARD[self.action].label if self.action in AWARD else self.action
