"""Stall consultations (DESIGN.md §3), one module per area; everything is importable from here."""

from consultations.models.categories import Category
from consultations.models.conferences import Conference, Stall
from consultations.models.requests import Attachment, Channel, ConsultationRequest, OverdueQuerySet, RequestEvent
from consultations.models.terms import RepresentativeTerm, TermQuerySet
from consultations.models.tickets import Ticket, TicketEvent

__all__ = [
    "Attachment",
    "Category",
    "Channel",
    "Conference",
    "ConsultationRequest",
    "OverdueQuerySet",
    "RepresentativeTerm",
    "RequestEvent",
    "Stall",
    "TermQuerySet",
    "Ticket",
    "TicketEvent",
]
