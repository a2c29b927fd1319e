"""The inbox: one message per person told of a step (also e-mailed when they have an address).

Written only through ``corridors.services.notifications.notify`` (every app's one door to the
inbox); who is told of a corridors step is decided in ``corridors.notifications``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.systemtext import render, render_lines
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
    # A system message kept as source texts and parameters (common.systemtext), rendered in
    # the reader's language; ``verb`` and ``message`` then hold the site language's rendering.
    key = models.CharField(_("kind of message"), max_length=64, blank=True)
    parts = models.JSONField(_("message parts"), default=dict, blank=True)
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
        if self.parts.get("verb"):
            return render(self.parts["verb"])
        for table in (APPLICATION, WORK):
            if self.verb in table:
                return table[self.verb].label
        return self.verb

    @property
    def text(self) -> str:
        """The message in the reader's language (a system message), or as it was written."""
        if self.parts.get("lines"):
            return render_lines(self.parts["lines"])
        return self.message


class NoticePreference(models.Model):
    """How one person wants to be told: the inbox always, e-mail if they like, in which language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference", verbose_name=_("user")
    )
    by_email = models.BooleanField(_("also by e-mail"), default=True)
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Empty: the site's."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user_id)


# A number of days in a reminder setting: at least one, at most a year.
DAYS = [MinValueValidator(1), MaxValueValidator(365)]


class ReminderPolicy(models.Model):
    """A street's reminder settings (without a row, the defaults apply)."""

    street = models.OneToOneField(
        "corridors.Street", on_delete=models.CASCADE, related_name="reminder_policy", verbose_name=_("street")
    )
    enabled = models.BooleanField(_("send reminders"), default=True)
    waiting_days = models.PositiveSmallIntegerField(
        _("service time (days)"),
        default=14,
        validators=DAYS,
        help_text=_("An application waiting longer than this for the committee or the street is reminded."),
    )
    payout_days = models.PositiveSmallIntegerField(
        _("days a proposed payout may wait for approval"), default=3, validators=DAYS
    )
    inspection_days = models.PositiveSmallIntegerField(
        _("days a corridor may wait for its acceptance check"),
        default=14,
        validators=DAYS,
        help_text=_(
            "A corridor whose leader asked for the acceptance check longer ago than this, and not yet "
            "inspected, is reminded to the street office staff and the check's inspectors."
        ),
    )
    escalate_days = models.PositiveSmallIntegerField(
        _("days overdue before the department head is told"),
        default=3,
        validators=DAYS,
        help_text=_(
            "A follow-up overdue this many days is also sent to the head of its department "
            "(to the street office staff if the department has no head)."
        ),
    )
    street_escalate_days = models.PositiveSmallIntegerField(
        _("further days before the street office is told"),
        default=3,
        validators=DAYS,
        help_text=_("Counted after the department head was told: then the street office staff are told too."),
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self):
        return str(self.street)


class Reminder(models.Model):
    """One reminder given: to whom, of what, on which day (never twice the same day)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=64)
    subject = models.CharField(_("about"), max_length=64)
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "subject", "day"], name="reminder_once_a_day")
        ]

    def __str__(self):
        return f"{self.kind} {self.subject} → {self.recipient_id} ({self.day})"
