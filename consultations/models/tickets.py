"""The queue at a stall: numbered tickets and their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import StateChange
from consultations.models.conferences import Stall
from consultations.models.requests import ConsultationRequest
from consultations.workflows.ticket import LIVE_TICKET_STATES, TicketState


class Ticket(models.Model):
    """A queue number at one stall; numbers are sequential per stall and never repeat."""

    stall = models.ForeignKey(Stall, on_delete=models.CASCADE, related_name="tickets", verbose_name=_("stall"))
    request = models.ForeignKey(
        ConsultationRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("request"),
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("representative")
    )
    number = models.PositiveIntegerField(_("number"))
    state = models.CharField(_("state"), max_length=10, choices=TicketState.choices, default=TicketState.WAITING)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["stall_id", "number"]
        constraints = [
            # The last line against two officers issuing the same number at once.
            models.UniqueConstraint(fields=["stall", "number"], name="ticket_unique_number"),
            models.UniqueConstraint(
                fields=["stall", "representative"],
                condition=Q(state__in=sorted(LIVE_TICKET_STATES)),
                name="ticket_one_live_per_representative",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="ticket_number_positive"),
        ]

    def __str__(self):
        return f"{self.stall} #{self.number}"


class TicketEvent(StateChange):
    """History of a ticket: issued, called, served, done, no-show, held, back in the queue."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("ticket"))
    # Blank for issuing, the step with no state before it.
    from_state = models.CharField(_("from"), max_length=24, choices=TicketState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=24, choices=TicketState.choices)

    class Meta:
        verbose_name = _("ticket step")
        verbose_name_plural = _("ticket steps")
        ordering = ["ticket_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.ticket_id}: {self.from_state} → {self.to_state}"
