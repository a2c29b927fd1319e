"""Stall consultations at the representatives' conference (DESIGN.md §3).

Where things live (the same rooms as every app):

    models/         conferences (Conference, Stall), categories, terms, requests (ConsultationRequest,
                    Attachment, RequestEvent), tickets (Ticket, TicketEvent)
    workflows/      request.py and ticket.py: states, the step tables (who may, who is told)
    services/       one module per area: categories, terms, conferences (and stalls), requests
                    (filing and every step), attachments, tickets; roles.py holds shared role checks
    selectors.py    scoped reads (404 outside the scope) and the roles a user holds on a request or stall
    rules.py        page permissions with the reason a 403 page shows
    notifications.py  who is told of a request's step
    forms/, views/  per area; urls.py holds every pattern
    sections.py     the home page section (AppConfig hook, see apps.py)
    anonymise.py    the pre-fill of the public board's summary
    demo.py         this app's part of the demo world
    templates/consultations/<area>/…   tests/consultations/…, permission tables in tests/consultations/rules/
"""
