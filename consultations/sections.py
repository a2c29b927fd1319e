"""What consultations adds to pages it does not own, through the AppConfig hooks in ``consultations/apps.py``.

The signed-in home page belongs to corridors, which never imports consultations: it asks every
app for ``(template name, context)`` pairs (``common.hooks.call_hooks_flat``).
"""

from consultations.selectors import my_requests_for_user, my_tickets, requests_for_user
from consultations.workflows.request import CLOSED_STATES, FOLLOW_UP_STATES, RequestState
from consultations.workflows.ticket import LIVE_TICKET_STATES
from corridors.selectors import scope_of

HOME_TEMPLATE = "consultations/home/includes/home_section.html"


def home_section(user) -> list[tuple[str, dict]]:
    """What a representative or an officer does next (a fixed number of queries)."""
    scope = scope_of(user)
    section = {}
    if scope.representative_neighbourhoods:
        mine = my_requests_for_user(user)
        section["consultations_rep"] = {
            "to_confirm": mine.filter(state=RequestState.RESOLVED).count(),
            "open": mine.exclude(state__in=CLOSED_STATES).count(),
            "live_tickets": my_tickets(user).filter(state__in=LIVE_TICKET_STATES).count(),
        }
    if scope.departments:
        department = requests_for_user(user).filter(department_id__in=scope.departments)
        section["consultations_officer"] = {
            "new": department.filter(state=RequestState.SUBMITTED).count(),
            "overdue": department.overdue().count(),
            "following": department.filter(state__in=FOLLOW_UP_STATES).count(),
        }
    return [(HOME_TEMPLATE, section)] if section else []
