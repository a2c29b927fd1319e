"""Page permissions of the funds app, each with the sentence its 403 page shows.

Declared with ``common.permissions.add_perm``; views call ``common.permissions.require``
and templates ask ``perms.funds.…``. What a user cannot see at all is not here: the
``*_for_user`` querysets in ``funds.selectors`` answer 404 for it. The services check the
same roles again (``Refused``), so a page is never the only guard.
"""

import rules
from django.utils.translation import gettext_lazy as _

from common.permissions import add_perm
from corridors.models import Role
from corridors.selectors import scope_of
from funds.selectors import (
    CAMPAIGN_ROLE_REFUSALS,
    award_roles,
    campaign_access,
    can_list_campaigns,
    can_open_campaigns,
    can_see_checks,
    can_see_payouts,
    payout_roles,
    street_id_of_application,
)
from funds.workflows.payout import ROLE_REFUSALS

# --- Maintenance-fund campaigns ----------------------------------------------------------


@rules.predicate
def may_list_campaigns(user):
    return can_list_campaigns(user)


@rules.predicate
def may_open_campaigns(user):
    return can_open_campaigns(user)


def _campaign_of(obj):
    """A campaign, or the campaign of a unit (pages pass what they show)."""
    return getattr(obj, "campaign", obj)


@rules.predicate
def manages_campaign(user, obj):
    return obj is not None and campaign_access(user, _campaign_of(obj)).can_manage


@rules.predicate
def records_consent(user, obj):
    return obj is not None and campaign_access(user, _campaign_of(obj)).can_record_consent


@rules.predicate
def records_payment(user, obj):
    return obj is not None and campaign_access(user, _campaign_of(obj)).can_record_payment


add_perm(
    "funds.list_campaigns",
    may_list_campaigns,
    _(
        "Fund campaigns are followed by the street office, the residents' committees, building-group leaders, "
        "representatives, the working groups and district and city users."
    ),
)
add_perm(
    "funds.open_campaign",
    may_open_campaigns,
    _("Only the street office and the residents' committees open fund campaigns."),
)
add_perm("funds.manage_campaign", manages_campaign, CAMPAIGN_ROLE_REFUSALS["manage"])
add_perm("funds.record_consent", records_consent, CAMPAIGN_ROLE_REFUSALS["record_consent"])
add_perm("funds.record_payment", records_payment, CAMPAIGN_ROLE_REFUSALS["record_payment"])


@rules.predicate
def reveals_owner(user, obj):
    return obj is not None and campaign_access(user, _campaign_of(obj)).can_reveal


add_perm("funds.reveal_owner", reveals_owner, CAMPAIGN_ROLE_REFUSALS["reveal"])

# --- Acceptance checks, awards, payouts and the ledger ------------------------------------


@rules.predicate
def inspects(user):
    return bool(scope_of(user).staff_streets)


@rules.predicate
def sees_awards(user):
    scope = scope_of(user)
    return bool(
        scope.staff_streets
        or scope.finance_streets
        or scope.committee_neighbourhoods
        or scope.led_groups
        or scope.viewer_streets
    )


@rules.predicate
def sees_checks(user):
    return can_see_checks(user)


@rules.predicate
def sees_payouts(user):
    return can_see_payouts(user)


@rules.predicate
def inspects_application(user, application):
    return application is not None and street_id_of_application(application) in scope_of(user).staff_streets


@rules.predicate
def inspects_check(user, check):
    return check is not None and inspects_application(user, check.application)


@rules.predicate
def staff_of_award(user, award):
    return award is not None and Role.STREET_STAFF in award_roles(user, award)


@rules.predicate
def leads_award_group(user, award):
    return award is not None and Role.LEADER in award_roles(user, award)


@rules.predicate
def staff_of_payout(user, payout):
    return payout is not None and Role.STREET_STAFF in payout_roles(user, payout)


ONLY_STAFF = _("Only the street office staff of this street may do this.")

add_perm("funds.inspect", inspects, _("Acceptance checks are run by the street office staff."))
add_perm(
    "funds.view_checks",
    sees_checks,
    _("The street's acceptance checks are for its office staff and for district and city users."),
)
add_perm(
    "funds.view_awards",
    sees_awards,
    _(
        "Warm-corridor awards are for the street office, its finance approvers, the residents' committees, "
        "building-group leaders and district and city users."
    ),
)
add_perm(
    "funds.view_payouts",
    sees_payouts,
    _("Payouts and the budget are for the street office staff, its finance approvers and district and city users."),
)
add_perm(
    "funds.schedule_check", inspects_application, _("Only the street office staff of this street schedule checks.")
)
add_perm("funds.record_check", inspects_check, _("Only the street office staff of this street record the scores."))
add_perm("funds.change_award", staff_of_award, ONLY_STAFF)
add_perm("funds.propose_payout", staff_of_award, _("Only street staff propose payouts."))
add_perm("funds.add_receipts", staff_of_payout, ROLE_REFUSALS["receipts"])
add_perm("funds.keep_ledger", leads_award_group, _("Only the leader of this building group may keep its ledger."))
