"""Who may read the dashboards and the year-end report, with the reason shown otherwise."""

import rules
from django.utils.translation import gettext_lazy as _

from common.permissions import add_perm
from dashboards.selectors import _streets_for


@rules.predicate
def reads_a_street(user):
    return user.is_authenticated and _streets_for(user).exists()


add_perm(
    "dashboards.view",
    reads_a_street,
    _(
        "The dashboards and the year-end report are for the street office (staff and finance approvers) "
        "and those above it; residents, group leaders and committees see their own pages."
    ),
)
