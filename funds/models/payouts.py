"""Payouts to an awarded corridor (DESIGN.md §2).

A payout is proposed by street staff, approved or rejected by a finance approver who is
not the proposer, then marked paid; it can be cancelled before payment (the table is
``funds.workflows.payout``). Each step is a ``PayoutTransition`` (who, when, from, to,
why) and a ``MoneyEvent`` (``funds.models.money``), so the log holds every yuan.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.models import StateChange
from common.uploads import private_storage, receipt_suffix
from funds.workflows.payout import DEAD_STATES, PAYOUT, PayoutState

MONEY = {"max_digits": 12, "decimal_places": 2}


class PayoutKind(models.TextChoices):
    CULTURE_FUND = "culture_fund", _("Culture fund")
    RENOVATION = "renovation", _("Renovation reimbursement")


class Payout(models.Model):
    Kind = PayoutKind
    State = PayoutState

    award = models.ForeignKey("funds.Award", on_delete=models.PROTECT, related_name="payouts", verbose_name=_("award"))
    kind = models.CharField(_("kind"), max_length=20, choices=PayoutKind)
    amount = models.DecimalField(_("amount"), **MONEY)
    state = models.CharField(_("state"), max_length=12, choices=PayoutState.choices, default=PayoutState.PROPOSED)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The form's one-time token: a second submission of the same form finds this payout.
    request_token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rejected by"),
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    closed_at = models.DateTimeField(_("rejected or cancelled at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked paid by"),
    )
    paid_on = models.DateField(pgettext_lazy("payout", "paid on"), null=True, blank=True)
    paid_reference = models.CharField(_("payment reference"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(condition=Q(kind__in=PayoutKind.values), name="payout_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=PayoutState.values), name="payout_state_valid"),
            # Four eyes, whatever path the write takes (service, admin, SQL).
            models.CheckConstraint(condition=~Q(approved_by=F("proposed_by")), name="payout_approver_not_proposer"),
            models.CheckConstraint(condition=~Q(rejected_by=F("proposed_by")), name="payout_rejecter_not_proposer"),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "paid"]) | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="payout_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=~Q(state="paid") | (Q(paid_on__isnull=False) & ~Q(paid_reference="")),
                name="payout_paid_has_reference",
            ),
            # Two proposals at once, or a second click: one live culture-fund payout per award.
            models.UniqueConstraint(
                fields=["award"],
                condition=Q(kind="culture_fund") & ~Q(state__in=["rejected", "cancelled"]),
                name="payout_one_live_culture_fund",
            ),
            # A double-submitted form: the same token cannot make a second payout.
            models.UniqueConstraint(fields=["request_token"], name="payout_unique_request_token"),
        ]
        indexes = [models.Index(fields=["state", "award"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    def get_absolute_url(self):
        return reverse("funds:payout", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.state not in DEAD_STATES


class PayoutReceipt(models.Model):
    """A receipt behind a renovation payout: PDF or picture, private (served after a permission check)."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF document")
        IMAGE = "image", _("Picture")

    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("payout"))
    file = models.FileField(_("receipt"), storage=private_storage, upload_to="payout-receipts/%Y/%m")
    kind = models.CharField(max_length=10, choices=Kind.choices, editable=False)
    # What the receipt says was spent. A renovation payout never exceeds its receipts' total
    # (the service, and a deferred constraint trigger at commit). Receipts uploaded before
    # amounts were recorded have none (NULL) and are shown as such.
    amount = models.DecimalField(_("amount on the receipt"), null=True, blank=True, **MONEY)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payout receipt")
        verbose_name_plural = _("payout receipts")
        ordering = ["payout_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="payoutreceipt_amount_positive"
            )
        ]

    def __str__(self):
        return self.download_name

    @property
    def download_name(self) -> str:
        return f"payout-{self.payout_id}-receipt-{self.pk}.{receipt_suffix(self.kind, self.file.name)}"


class PayoutTransition(StateChange):
    """History of a payout: one row per step (who, when, from, to, why)."""

    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("payout"))
    from_state = models.CharField(_("from"), max_length=24, choices=PayoutState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=24, choices=PayoutState.choices)

    class Meta:
        verbose_name = _("payout step")
        verbose_name_plural = _("payout steps")
        ordering = ["payout_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.payout_id}: {self.from_state or '—'} → {self.to_state}"

    @property
    def action_label(self) -> str:
        return PAYOUT[self.action].label if self.action in PAYOUT else self.action
