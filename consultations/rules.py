"""Page permissions of stall consultations (``perms.consultations.…``), each with the sentence
its 403 page shows (``common.permissions``; ``rules`` autodiscovers this module).

Page-level only: which object a user may see at all is decided by ``consultations.selectors``
(404 outside the scope), which step they may take on a request or ticket by the workflow
tables in ``consultations.workflows``.
"""

import rules
from django.utils.translation import gettext_lazy as _

from common.permissions import add_perm
from consultations import selectors
from corridors.rules import is_street_staff, is_street_viewer
from corridors.selectors import scope_of


@rules.predicate
def uses_consultations(user):
    return selectors.can_use_consultations(user)


@rules.predicate
def is_representative(user):
    return selectors.is_representative(user)


@rules.predicate
def is_committee(user):
    return selectors.is_committee(user)


@rules.predicate
def runs_stalls(user):
    return selectors.runs_stalls(user)


@rules.predicate
def reads_conferences(user):
    return selectors.reads_conferences(user)


@rules.predicate
def runs_this_stall(user, stall):
    return stall is not None and selectors.can_run_stall(user, stall)


add_perm(
    "consultations.view_consultations",
    uses_consultations,
    _(
        "Stall consultations are for community representatives, department officers, "
        "residents' committees and the street office."
    ),
)
add_perm(
    "consultations.file_request",
    is_representative,
    _("Only community representatives file requests and queue at the stalls here."),
)
add_perm(
    "consultations.follow_up",
    runs_stalls,
    _("Only department officers and the street office follow requests up and run the stalls."),
)
add_perm(
    "consultations.run_stall",
    runs_this_stall,
    _("Only the officers of this stall's department and the street office run this stall."),
)


@rules.predicate
def oversees_stall(user, stall):
    return stall is not None and stall.conference.street_id in scope_of(user).viewer_streets


add_perm(
    "consultations.view_stall",
    runs_this_stall | oversees_stall,
    _("Only the officers of this stall's department, the street office and district and city users see this stall."),
)
add_perm(
    "consultations.view_overview",
    is_street_staff | is_street_viewer,
    _("Only the street office and district and city users see the overview of all the street's requests."),
)
add_perm(
    "consultations.view_conferences",
    reads_conferences,
    _("Only department officers, the street office and district and city users see conferences and their reports."),
)
add_perm(
    "consultations.manage_conferences",
    is_street_staff,
    _("Only the street office sets up conferences and opens their stalls."),
)
add_perm(
    "consultations.manage_categories",
    is_street_staff,
    _("Only the street office edits the request categories."),
)
add_perm(
    "consultations.manage_terms",
    is_street_staff,
    _("Only the street office records the representatives' terms."),
)
add_perm(
    "consultations.view_neighbourhood",
    is_committee,
    _("Only the residents' committee sees the requests of its neighbourhood here."),
)
add_perm(
    "consultations.file_on_behalf",
    is_committee,
    _("Only the residents' committee files requests on a representative's behalf."),
)
