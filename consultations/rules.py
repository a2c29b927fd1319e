"""Permissions of stall consultations that templates and views ask about (``perms.consultations.…``).

Page-level only: which object a user may see is decided by ``consultations.selectors``, which
step they may take by the workflow table.
"""

import rules

from consultations import selectors as access
from corridors.rules import is_street_staff


@rules.predicate
def uses_consultations(user):
    return access.can_use_consultations(user)


@rules.predicate
def is_representative(user):
    return access.is_representative(user)


@rules.predicate
def is_committee(user):
    return access.is_committee(user)


@rules.predicate
def runs_stalls(user):
    return access.runs_stalls(user)


@rules.predicate
def runs_this_stall(user, stall):
    return stall is not None and access.can_run_stall(user, stall)


rules.add_perm("consultations.view_consultations", uses_consultations)
rules.add_perm("consultations.file_request", is_representative)
rules.add_perm("consultations.follow_up", runs_stalls)
rules.add_perm("consultations.run_stall", runs_this_stall)
rules.add_perm("consultations.view_overview", is_street_staff)
rules.add_perm("consultations.manage_conferences", is_street_staff)
rules.add_perm("consultations.manage_categories", is_street_staff)
rules.add_perm("consultations.manage_terms", is_street_staff)
rules.add_perm("consultations.view_neighbourhood", is_committee)
rules.add_perm("consultations.file_on_behalf", is_committee)
