"""Permissions of the funds app that templates ask about (``perms.funds.…``)."""

import rules

from funds.access import can_list_campaigns


@rules.predicate
def may_list_campaigns(user):
    return can_list_campaigns(user)


rules.add_perm("funds.list_campaigns", may_list_campaigns)
