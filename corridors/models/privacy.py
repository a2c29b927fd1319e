"""Who saw whose personal data unmasked, and why (个人信息保护法): one log for the whole site.

Names and phone numbers are shown masked (张*, 138****1234) on every screen and export. A
manager may reveal one row, or export a list in full, for a stated purpose; each such act
is one row here (who, whose, which fields, when, why), which the superuser reads. Rows are
never changed: a PostgreSQL trigger refuses UPDATE and DELETE (like the money log), and the
app's database role may only read and add to the table (``manage.py db_roles``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    class Kind(models.TextChoices):
        REVEAL = "reveal", _("One row revealed")
        EXPORT = "export", _("Full export")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # What was revealed, e.g. ``funds.unit`` 17, and a label that carries no personal data
    # (the unit and building, the campaign): the log itself must not spread what it guards.
    subject_type = models.CharField(_("subject type"), max_length=50)
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    subject_label = models.CharField(_("whose"), max_length=200)
    fields = models.JSONField(_("fields"), default=list)
    rows = models.PositiveIntegerField(_("rows"), default=1)
    purpose = models.CharField(_("purpose"), max_length=300)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="pdaccess_subject")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(purpose=""), name="pdaccess_purpose_given"),
        ]

    def __str__(self):
        return f"{self.actor} {self.subject_label} {self.created_at:%Y-%m-%d %H:%M}"
