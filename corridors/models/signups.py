"""Residents signing up for a corridor activity (报名), with a waiting list.

A resident gives a name and a mobile number, with consent, on a public page; both are shown
masked to everyone, the organiser included, unless revealed on purpose. An activity with a
``capacity`` confirms that many and puts the rest on the waiting list; cancelling a confirmed
place promotes the first on the list. Writes go through ``corridors.services.signups``, which
locks the activity's row; the constraints below hold whatever a service does.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ActivitySignup(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(
        "corridors.Activity", on_delete=models.CASCADE, related_name="signups", verbose_name=_("activity")
    )
    name = models.CharField(_("name"), max_length=20)
    phone = models.CharField(_("mobile number"), max_length=11)
    consent = models.BooleanField(_("agreed to the use of the name and number"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # An HMAC of the cancel code (shown once to the resident); never the code itself.
    cancel_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("activity sign-up")
        verbose_name_plural = _("activity sign-ups")
        ordering = ["activity_id", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["confirmed", "waiting", "cancelled"]), name="signup_status_valid"
            ),
            models.CheckConstraint(condition=Q(consent=True), name="signup_has_consent"),
            models.CheckConstraint(condition=Q(phone__regex=r"^1[3-9][0-9]{9}$"), name="signup_phone_mobile"),
            models.CheckConstraint(condition=~Q(name=""), name="signup_name_present"),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="signup_cancelled_has_date",
            ),
            # One live sign-up per number and activity (cancelled ones are history).
            models.UniqueConstraint(
                fields=["activity", "phone"], condition=~Q(status="cancelled"), name="signup_one_live_per_phone"
            ),
        ]
        indexes = [models.Index(fields=["activity", "status", "created_at"])]

    def __str__(self):
        return f"{self.activity_id}: {self.get_status_display()}"
