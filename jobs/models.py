"""What a failed attempt of a job said (the queue's own tables keep no error text)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobError(models.Model):
    """The last error of one job (one row per job, rewritten by each failed attempt)."""

    job_id = models.BigIntegerField(_("job"), unique=True)
    task_name = models.CharField(_("task"), max_length=128)
    attempt = models.PositiveIntegerField(_("attempt"))
    error = models.TextField(_("error"))
    failed_at = models.DateTimeField(_("failed at"), auto_now=True)

    class Meta:
        verbose_name = _("job error")
        verbose_name_plural = _("job errors")

    def __str__(self):
        return f"{self.task_name} #{self.job_id}"
