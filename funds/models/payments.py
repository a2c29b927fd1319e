"""Money received from a unit's owner; corrected by a reversing entry, never rewritten."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from funds.models.units import Unit


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
