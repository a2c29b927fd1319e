"""Maintenance-fund re-raising (专项维修资金续筹) for one building (DESIGN.md §2).

A campaign holds the money figures, the working group and the roll of units; each unit
keeps its consent history and its payments. Money is Decimal yuan to the fen.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.uploads import private_storage

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
    rule_set = models.CharField(_("rule set"), max_length=20, choices=RuleSet.choices, default=RuleSet.CIVIL_CODE_278)
    # The public notice (公示) is seen by everyone once published; until then only managers preview it.
    notice_published = models.BooleanField(_("notice published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fund campaign")
        verbose_name_plural = _("fund campaigns")
        ordering = ["-created_at", "-pk"]
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


class ConsentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    AGREE = "agree", _("Agree")
    REFUSE = "refuse", _("Refuse")
    ABSTAIN = "abstain", _("Abstain")
    UNREACHABLE = "unreachable", _("Unreachable")


class ConsentReason(models.TextChoices):
    LOW_FLOOR = "low_floor", _("Low floor")
    RENTED_OUT = "rented_out", _("Rented out")
    ABROAD = "abroad", _("Owner abroad / no contact")
    DUPLEX_TOP = "duplex_top", _("Duplex top floor")
    OTHER = "other", _("Other")


class Unit(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="units", verbose_name=_("campaign"))
    label = models.CharField(_("unit"), max_length=20)
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

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("funds:unit", args=[self.pk])

    @property
    def due(self) -> Decimal:
        return self.campaign.due_for(self.area_m2)

    @property
    def outstanding(self) -> Decimal:
        return self.due - self.paid_total


class ConsentRecord(models.Model):
    """One change of a unit's consent; the history is never edited."""

    class ScanKind(models.TextChoices):
        PDF = "pdf", _("PDF document")
        IMAGE = "image", _("Picture")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="consents", verbose_name=_("unit"))
    status = models.CharField(_("consent"), max_length=20, choices=ConsentStatus.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=ConsentReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    scan = models.FileField(
        _("signed form (scan)"), storage=private_storage, upload_to="consent-scans/%Y/%m", blank=True
    )
    scan_kind = models.CharField(max_length=10, choices=ScanKind.choices, blank=True, editable=False)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.unit} {self.get_status_display()}"

    @property
    def download_name(self) -> str:
        return f"consent-{self.pk}.{'pdf' if self.scan_kind == self.ScanKind.PDF else 'webp'}"


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
        """(field's verbose name, before, after) for display."""
        return [(Unit._meta.get_field(name).verbose_name, old, new) for name, (old, new) in self.changes.items()]


class Payment(models.Model):
    class Channel(models.TextChoices):
        CASH = "cash", _("Cash")
        BANK = "bank", _("Bank transfer")
        WECHAT = "wechat", _("WeChat Pay")
        ALIPAY = "alipay", _("Alipay")
        OTHER = "other", _("Other")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="payments", verbose_name=_("unit"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # A correction is a new, negative payment pointing at the one it corrects (the note is
    # the reason): payments and the money log are never rewritten.
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, corrects__isnull=True) | Q(amount__lt=0, corrects__isnull=False),
                name="payment_amount_sign",
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.amount}"

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None

    @property
    def taken_back(self) -> Decimal:
        """What a correction took back, as a positive amount."""
        return -self.amount if self.is_correction else Decimal("0.00")
