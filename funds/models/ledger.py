"""The corridor's own ledger: how the group spent its culture fund (public, item and amount only)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.uploads import private_storage, receipt_suffix
from funds.models.payouts import MONEY, PayoutReceipt


class LedgerEntry(models.Model):
    """How the group spent its culture fund; public (item and amount only)."""

    award = models.ForeignKey(
        "funds.Award", on_delete=models.PROTECT, related_name="ledger_entries", verbose_name=_("award")
    )
    spent_on = models.DateField(_("date"))
    item = models.CharField(_("item"), max_length=100)
    amount = models.DecimalField(_("amount"), **MONEY)
    receipt = models.FileField(_("receipt"), storage=private_storage, upload_to="ledger-receipts/%Y/%m", blank=True)
    receipt_kind = models.CharField(max_length=10, choices=PayoutReceipt.Kind.choices, blank=True, editable=False)
    # What the receipt says; an entry never exceeds it. NULL before amounts were recorded.
    receipt_amount = models.DecimalField(_("amount on the receipt"), null=True, blank=True, **MONEY)
    # A mistake is never edited: a reversing entry (negative amount, with the reason) cancels
    # it, and the right one is recorded anew. Both stay on the public ledger.
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal", verbose_name=_("reverses")
    )
    reason = models.CharField(_("reason for the correction"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["award_id", "spent_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, reverses__isnull=True) | Q(amount__lt=0, reverses__isnull=False),
                name="ledger_amount_sign",
            ),
            models.CheckConstraint(
                condition=Q(receipt_amount__isnull=True) | Q(receipt_amount__gte=F("amount")),
                name="ledger_amount_within_receipt",
            ),
            models.CheckConstraint(condition=Q(reverses__isnull=True) | ~Q(reason=""), name="ledger_reversal_reason"),
        ]

    def __str__(self):
        return f"{self.item} {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def download_name(self) -> str:
        return f"ledger-{self.pk}.{receipt_suffix(self.receipt_kind, self.receipt.name)}"
