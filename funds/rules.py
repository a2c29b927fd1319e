"""Permissions of the funds app that templates ask about (``perms.funds.…``)."""

import rules

from corridors.selectors import scope_of
from funds.selectors import can_list_campaigns, can_see_payouts


@rules.predicate
def may_list_campaigns(user):
    return can_list_campaigns(user)


rules.add_perm("funds.list_campaigns", may_list_campaigns)


@rules.predicate
def inspects(user):
    return bool(scope_of(user).staff_streets)


@rules.predicate
def sees_payouts(user):
    return can_see_payouts(user)


rules.add_perm("funds.inspect", inspects)
rules.add_perm("funds.view_payouts", sees_payouts)
