"""The inbox: one message per person told of a step (also e-mailed when they have an address).

Written only through ``corridors.services.notifications.notify`` (every app's one door to the
inbox); who is told of a corridors step is decided in ``corridors.notifications``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from corridors.workflows.application import APPLICATION
from corridors.workflows.work import WORK


class Notification(models.Model):
    """An in-app message to one user about one step (also e-mailed when they have an address)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    application = models.ForeignKey(
        "corridors.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("application"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    verb = models.CharField(_("what happened"), max_length=32)
    message = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.verb} → {self.recipient_id}"

    @property
    def verb_label(self) -> str:
        """The heading: the label of a corridors workflow step, or the verb itself (other apps pass a label)."""
        for table in (APPLICATION, WORK):
            if self.verb in table:
                return table[self.verb].label
        return self.verb
