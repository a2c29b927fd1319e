"""Maintenance-fund re-raising (专项维修资金续筹) for one building (DESIGN.md §2).

A campaign holds the money figures and the working group; its roll of units
(``funds.models.units``) keeps each unit's consents and payments. Money is Decimal yuan to the fen.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import StateChange
from funds.workflows.notice import NOTICE, NoticeState

FEN = Decimal("0.01")


def to_fen(value: Decimal) -> Decimal:
    """Money is rounded half-up to the fen (四舍五入), the usual accounting rule."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


class RuleSet(models.TextChoices):
    CIVIL_CODE_278 = "civil_code_278", _("Civil Code art. 278 (2/3 take part, 3/4 of them agree)")
    LEGACY_2_3 = "legacy_2_3", _("Legacy rule (2/3 of all owners and area agree)")


class Campaign(models.Model):
    building = models.ForeignKey(
        "corridors.Building", on_delete=models.PROTECT, related_name="fund_campaigns", verbose_name=_("building")
    )
    purpose = models.CharField(_("purpose"), max_length=200, help_text=_("For example: replace the 3 elevators"))
    works_cost = models.DecimalField(_("works cost"), max_digits=12, decimal_places=2)
    fund_balance = models.DecimalField(_("fund balance"), max_digits=12, decimal_places=2)
    initial_fund = models.DecimalField(
        _("initial fund"), max_digits=12, decimal_places=2, help_text=_("The amount first deposited, as on record.")
    )
    reserve_share = models.DecimalField(
        _("reserve share"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of the initial fund that must stay in the account (0.30 = 30%)."),
    )
    rate_per_m2 = models.DecimalField(_("rate per m²"), max_digits=8, decimal_places=2)
    collector = models.CharField(_("collected by"), max_length=100, help_text=_("The property company"))
    supervisor = models.CharField(_("supervised by"), max_length=100, help_text=_("The owners' committee"))
    rule_set = models.CharField(_("rule set"), max_length=20, choices=RuleSet, default=RuleSet.CIVIL_CODE_278)
    collection_deadline = models.DateField(
        _("collection deadline"),
        null=True,
        blank=True,
        help_text=_("After this day the collector and the street office get a daily list of the units not yet paid."),
    )
    consent_deadline = models.DateField(
        _("return consent forms by"),
        null=True,
        blank=True,
        help_text=_("Printed on every consent form. Leave empty to write the date by hand."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # What the site-wide search matches (common.search): a small table, by purpose and place.
    SEARCH_RELATED = ("purpose", "building__name", "building__compound__name")

    class Meta:
        verbose_name = _("fund campaign")
        verbose_name_plural = _("fund campaigns")
        ordering = ["-created_at", "-pk"]
        # The list's order, and the first and last campaign's year for its year filter
        # (funds.selectors.campaign_years: one index entry read at each end).
        indexes = [models.Index(fields=["-created_at", "-id"], name="campaign_created_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reserve_share__gte=0, reserve_share__lte=1), name="campaign_reserve_share_range"
            ),
            models.CheckConstraint(
                condition=Q(works_cost__gte=0, fund_balance__gte=0, initial_fund__gte=0, rate_per_m2__gt=0),
                name="campaign_money_non_negative",
            ),
        ]

    def __str__(self):
        return f"{self.building} · {self.purpose}"

    def get_absolute_url(self):
        return reverse("funds:campaign", args=[self.pk])

    @property
    def reserve(self) -> Decimal:
        """The part of the fund that must stay: reserve share × initial fund, to the fen."""
        return to_fen(self.reserve_share * self.initial_fund)

    @property
    def gap(self) -> Decimal:
        """What is missing: cost − (balance − reserve). Zero or less means nothing to raise."""
        return to_fen(self.works_cost - (self.fund_balance - self.reserve))

    @property
    def usable_balance(self) -> Decimal:
        return to_fen(self.fund_balance - self.reserve)

    def due_for(self, area: Decimal) -> Decimal:
        return to_fen(area * self.rate_per_m2)


class WorkingGroupMember(models.Model):
    class Side(models.TextChoices):
        COMMITTEE = "committee", _("Residents' committee")
        OWNERS = "owners", _("Owner representative")
        PROPERTY = "property", _("Property company")
        ELEVATOR = "elevator", _("Elevator maintenance unit")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members", verbose_name=_("campaign"))
    name = models.CharField(_("name"), max_length=50)
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    is_leader = models.BooleanField(_("leader"), default=False)
    # A member with an account records consents (and, on the property company's side,
    # payments): see funds/selectors.py. Members without one are listed for the record only.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fund_memberships",
        verbose_name=_("account"),
    )

    class Meta:
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        ordering = ["-is_leader", "side", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign"], condition=Q(is_leader=True), name="campaign_one_leader"),
            models.UniqueConstraint(
                fields=["campaign", "user"], condition=Q(user__isnull=False), name="campaign_member_user_once"
            ),
        ]

    def __str__(self):
        return self.name


class CampaignNotice(models.Model):
    """A campaign's public notice (公示): seen by everyone once published; until then only
    the managers preview it. Its steps are ``funds.workflows.notice``."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, primary_key=True, related_name="notice", verbose_name=_("campaign")
    )
    state = models.CharField(_("state"), max_length=12, choices=NoticeState.choices, default=NoticeState.UNPUBLISHED)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        constraints = [models.CheckConstraint(condition=Q(state__in=NoticeState.values), name="notice_state_valid")]

    def __str__(self):
        return f"{self.campaign}: {self.get_state_display()}"

    @property
    def is_published(self) -> bool:
        return self.state == NoticeState.PUBLISHED


class NoticeTransition(StateChange):
    """History of a public notice: who published or withdrew it, and when."""

    notice = models.ForeignKey(
        CampaignNotice, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("public notice")
    )
    from_state = models.CharField(_("from"), max_length=24, choices=NoticeState.choices)
    to_state = models.CharField(_("to"), max_length=24, choices=NoticeState.choices)

    class Meta:
        verbose_name = _("public notice step")
        verbose_name_plural = _("public notice steps")
        ordering = ["notice_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.notice_id}: {self.from_state} → {self.to_state}"

    @property
    def action_label(self) -> str:
        return NOTICE[self.action].label if self.action in NOTICE else self.action
