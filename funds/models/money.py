"""The append-only money log: every yuan that moves is one row here, never changed.

The migration installs a PostgreSQL trigger that refuses UPDATE and DELETE on this table,
so not even a bug, the admin or a hand-typed SQL statement can rewrite history; a
mistake is corrected by a new, opposite event. Rows point at what they are about through
``subject_type`` / ``subject_id`` (for example ``funds.payment`` / 17) so later kinds of
money (payouts, refunds) use the same log.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MoneyEvent(models.Model):
    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Owner contribution received")
        CORRECTION = "correction", _("Correction")
        PAYOUT_PROPOSED = "payout_proposed", _("Payout proposed")
        PAYOUT_APPROVED = "payout_approved", _("Payout approved")
        PAYOUT_REJECTED = "payout_rejected", _("Payout rejected")
        PAYOUT_PAID = "payout_paid", _("Payout paid")
        PAYOUT_CANCELLED = "payout_cancelled", _("Payout cancelled")
        LEDGER_SPENT = "ledger_spent", _("Culture fund spent (corridor ledger)")
        LEDGER_REVERSED = "ledger_reversed", _("Corridor ledger entry reversed")
        BUDGET_CHANGE = "budget_change", _("Programme year money settings changed")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    subject_type = models.CharField(_("subject type"), max_length=50)
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("money event")
        verbose_name_plural = _("money events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="moneyevent_subject")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"
