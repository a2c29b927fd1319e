"""Who may read the dashboards and the year-end report, with the reason shown otherwise."""

import rules
from django.utils.translation import gettext_lazy as _

from common.permissions import add_perm
from corridors.selectors import scope_of


@rules.predicate
def reads_a_street(user):
    """Whether ``user`` may read some street's figures (``dashboards.selectors._streets_for``),
    answered from the scope already loaded for the request: the scope's street ids come from
    role assignments and oversight rows whose streets exist, so no query is needed."""
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
