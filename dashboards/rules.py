"""Who may read the dashboards and the year-end report, with the reason shown otherwise."""

import rules
from django.utils.translation import gettext_lazy as _

from common.permissions import add_perm
from corridors.selectors import scope_of


@rules.predicate
def reads_a_street(user):
    # The streets of ``dashboards.selectors.streets_for``, from the scope the request already
    # read: every id in it is a street's (role assignments and oversights point at streets).
    if not user.is_authenticated:
        return False
    scope = scope_of(user)
    return bool(scope.visible_streets or scope.finance_streets)


add_perm(
    "dashboards.view",
    reads_a_street,
    _(
        "The dashboards and the year-end report are for the street office (staff and finance approvers) "
        "and those above it; residents, group leaders and committees see their own pages."
    ),
)
