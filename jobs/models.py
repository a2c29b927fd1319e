"""What a failed attempt of a job said (the queue's own tables keep no error text), and files built by jobs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.uploads import private_storage


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


class Export(models.Model):
    """A file built by a job for one person (a district-sized .xlsx), offered when it is ready."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    builder = models.CharField(_("export"), max_length=64)
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    file = models.FileField(storage=private_storage, upload_to="exports/%Y/%m", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("jobs:export", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.state == self.State.READY:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
