"""Who may see and change a campaign (views never fetch funds objects bare).

- **Managers** — street staff of the building's street and the residents' committee of
  its neighbourhood — see everything, full owner names and phones included, and make
  every change.
- **Volunteers** — leaders of a building group in the building and resident
  representatives of its neighbourhood — see the campaign, the roll and the outstanding
  list with owner names and phones masked (张*, 138****1234); they change nothing.
- Everyone else: the campaign does not exist for them (404). The public notice is the
  only page without a sign-in, and it carries no personal data.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from corridors.access import scope_of
from corridors.models import Building, BuildingGroup
from funds.models import AcceptanceCheck, Award, Campaign, ConsentRecord, LedgerEntry, Payout, PayoutReceipt, Unit


def _managed(scope, prefix: str = "") -> Q:
    return Q(**{f"{prefix}compound__neighbourhood__street_id__in": scope.staff_streets}) | Q(
        **{f"{prefix}compound__neighbourhood_id__in": scope.committee_neighbourhoods}
    )


def buildings_managed_by(user):
    """Buildings for which the user may open a campaign."""
    return Building.objects.filter(_managed(scope_of(user))).select_related("compound__neighbourhood")


def campaigns_for_user(user):
    scope = scope_of(user)
    return Campaign.objects.filter(
        _managed(scope, "building__")
        | Q(building_id__in=BuildingGroup.objects.filter(pk__in=scope.led_groups).values("building_id"))
        | Q(building__compound__neighbourhood_id__in=scope.representative_neighbourhoods)
    )


def is_manager(user, campaign: Campaign) -> bool:
    scope = scope_of(user)
    neighbourhood = campaign.building.compound.neighbourhood
    return neighbourhood.street_id in scope.staff_streets or neighbourhood.pk in scope.committee_neighbourhoods


def can_open_campaigns(user) -> bool:
    scope = scope_of(user)
    return bool(scope.staff_streets or scope.committee_neighbourhoods)


def can_list_campaigns(user) -> bool:
    scope = scope_of(user)
    return bool(
        scope.staff_streets or scope.committee_neighbourhoods or scope.led_groups or scope.representative_neighbourhoods
    )


def get_campaign_for_user(user, pk) -> Campaign:
    """A campaign the user may see (404 otherwise), with its building and places."""
    return get_object_or_404(
        campaigns_for_user(user).select_related("building__compound__neighbourhood__street"), pk=pk
    )


def get_campaign_for_manager(user, pk) -> Campaign:
    """A campaign the user may change: 404 if they cannot see it, 403 if they only see it."""
    campaign = get_campaign_for_user(user, pk)
    if not is_manager(user, campaign):
        raise PermissionDenied
    return campaign


def get_unit_for_manager(user, pk) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("campaign"), pk=pk)
    campaign = get_campaign_for_manager(user, unit.campaign_id)
    unit.campaign = campaign
    return unit


def get_consent_record_for_manager(user, pk) -> ConsentRecord:
    record = get_object_or_404(ConsentRecord.objects.select_related("unit"), pk=pk)
    record.unit = get_unit_for_manager(user, record.unit_id)
    return record


# --- Acceptance checks, awards, payouts and the corridor ledger --------------------------
#
# Street office staff and finance approvers see their street's checks, awards and payouts;
# the committee sees its neighbourhood's checks and awards, a leader their own group's.
# Changes are decided by the services (who may do what), these only decide what is seen.

_APP_STREET = "group__building__compound__neighbourhood__street_id"
_APP_NEIGHBOURHOOD = "group__building__compound__neighbourhood_id"


def _group_scope(scope, prefix: str, *, finance: bool) -> Q:
    streets = scope.staff_streets | scope.finance_streets if finance else scope.staff_streets
    return (
        Q(**{f"{prefix}{_APP_STREET}__in": streets})
        | Q(**{f"{prefix}{_APP_NEIGHBOURHOOD}__in": scope.committee_neighbourhoods})
        | Q(**{f"{prefix}group_id__in": scope.led_groups})
    )


def checks_for_user(user):
    return AcceptanceCheck.objects.filter(_group_scope(scope_of(user), "application__", finance=False)).select_related(
        "application__group__building__compound__neighbourhood__street", "application__programme_year"
    )


def get_check_for_user(user, pk) -> AcceptanceCheck:
    return get_object_or_404(checks_for_user(user), pk=pk)


def awards_for_user(user):
    return Award.objects.filter(_group_scope(scope_of(user), "", finance=True)).select_related(
        "group__building__compound__neighbourhood__street", "programme_year", "application"
    )


def get_award_for_user(user, pk) -> Award:
    return get_object_or_404(awards_for_user(user), pk=pk)


def payouts_for_user(user):
    """Payouts of the streets the user is staff or finance approver of."""
    scope = scope_of(user)
    return Payout.objects.filter(
        award__programme_year__street_id__in=scope.staff_streets | scope.finance_streets
    ).select_related("award__group__building__compound__neighbourhood", "award__programme_year", "proposed_by")


def get_payout_for_user(user, pk) -> Payout:
    return get_object_or_404(payouts_for_user(user), pk=pk)


def can_see_payouts(user) -> bool:
    scope = scope_of(user)
    return bool(scope.staff_streets or scope.finance_streets)


def is_staff_of(user, street_id: int) -> bool:
    return street_id in scope_of(user).staff_streets


def is_finance_of(user, street_id: int) -> bool:
    return street_id in scope_of(user).finance_streets


def leads(user, group_id: int) -> bool:
    return group_id in scope_of(user).led_groups


def get_ledger_entry_for_user(user, pk) -> LedgerEntry:
    entry = get_object_or_404(LedgerEntry.objects.select_related("award"), pk=pk)
    entry.award = get_award_for_user(user, entry.award_id)
    return entry


def get_receipt_for_user(user, pk) -> PayoutReceipt:
    receipt = get_object_or_404(PayoutReceipt.objects.select_related("payout"), pk=pk)
    receipt.payout = get_payout_for_user(user, receipt.payout_id)
    return receipt
