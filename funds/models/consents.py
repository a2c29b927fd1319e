"""Each unit's consent to re-raise the fund: its history, never edited (DESIGN.md §2)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.uploads import private_storage, receipt_suffix


class ConsentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    AGREE = "agree", _("Agree")
    REFUSE = "refuse", _("Refuse")
    ABSTAIN = "abstain", _("Abstain")
    UNREACHABLE = "unreachable", _("Unreachable")


# Answers that are votes: changing one of them needs a confirmation and a reason.
VOTES = frozenset({ConsentStatus.AGREE, ConsentStatus.REFUSE, ConsentStatus.ABSTAIN})


class ConsentReason(models.TextChoices):
    LOW_FLOOR = "low_floor", _("Low floor")
    RENTED_OUT = "rented_out", _("Rented out")
    ABROAD = "abroad", _("Owner abroad / no contact")
    DUPLEX_TOP = "duplex_top", _("Duplex top floor")
    OTHER = "other", _("Other")


class ConsentRecord(models.Model):
    """One change of a unit's consent; the history is never edited."""

    class ScanKind(models.TextChoices):
        PDF = "pdf", _("PDF document")
        IMAGE = "image", _("Picture")

    unit = models.ForeignKey("funds.Unit", on_delete=models.CASCADE, related_name="consents", verbose_name=_("unit"))
    # The unit's answer this record replaced, read under the unit's row lock: the records
    # of a unit form one chain (each ``previous_status`` is the status of the record before).
    previous_status = models.CharField(
        _("previous consent"), max_length=20, choices=ConsentStatus, default=ConsentStatus.PENDING
    )
    status = models.CharField(_("consent"), max_length=20, choices=ConsentStatus)
    reason = models.CharField(_("reason"), max_length=20, choices=ConsentReason, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Why a recorded vote (agree, refuse, abstain) was changed: required for such a change.
    change_reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
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
        return f"consent-{self.pk}.{receipt_suffix(self.scan_kind, self.scan.name)}"
