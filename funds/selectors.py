"""Who may see and change a campaign (views never fetch funds objects bare).

The campaign roles, as a table (tests/funds/rules/test_campaign_rules.py checks it through
the services and pages; the services refuse with ``CAMPAIGN_ROLE_REFUSALS``):

=====================  ======  =======  ========  =======  ==========  ===========  ==========
role                   see     record   record    edit,    owner       reveal one   public
                       pages   consent  payments  import,  names and   row, full    notice
                                                  correct  phones      export       before
                                                                       (purpose)    published
=====================  ======  =======  ========  =======  ==========  ===========  ==========
manager                yes     yes      yes       yes      masked      yes          preview
member, committee or   yes     yes      no        no       masked      yes          no
owners' side
member, property side  yes     yes      yes       no       masked      no           no
member, elevator side  yes     yes      no        no       masked      no           no
building-group leader  yes     yes      no        no       masked      no           no
representative         yes     no       no        no       masked      no           no
district or city user  yes     no       no        no       masked      no           preview
anyone else            404     404      404       404      —           404          no
=====================  ======  =======  ========  =======  ==========  ===========  ==========

- **Owner names and phones are masked for everyone** (张*, 138****1234), on every page,
  printed form and export. Those the table calls *revealers* — the managers and the
  working-group members on the residents' committee's or the owner representatives' side,
  who speak for the owners and whose visits may need a name and number — may reveal one
  unit's owner, or export the outstanding list in full, each time for a stated purpose
  that is recorded in ``corridors.PersonalDataAccess`` (who, whose, which fields, when,
  why) and read by the superuser. Nobody sees them in full by default.
- **Managers**: street staff of the building's street and the residents' committee of
  its neighbourhood.
- **Members**: working-group members linked to an account (``WorkingGroupMember.user``).
  The managers put them in the group to do the door-to-door visits. The property
  company's and the elevator maintenance unit's members are outside parties: they never
  reveal an owner. The property company's member is the collector and records payments
  too (the unit label and the amount due are what a receipt needs).
- **Building-group leaders** of a building group in the campaign's building record
  consents as they knock on doors (the unit number is enough); they never reveal an owner
  unless the managers also make them members on the committee's or the owners' side.
- **Representatives** of the neighbourhood follow the campaign, masked, and change
  nothing (unless made members).
- **District and city users** (区, 市: ``scope.viewer_streets``) read their streets'
  campaigns, rolls (masked), collection and notice, and change nothing; they never reveal an
  owner (the district has no part in the door-to-door work).
- Everyone else: the campaign does not exist for them (404). The public notice is the
  only page without a sign-in, carries no personal data, and is seen only once a manager
  has published it (404 until then; managers preview it).
"""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Round
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.masking import mask_name, mask_phone
from common.refusals import Refused
from corridors.models import Application, Building, BuildingGroup, ProgrammeYear, Role
from corridors.selectors import scope_of
from corridors.workflows.application import State as ApplicationState
from funds.models import (
    AcceptanceCheck,
    Award,
    Campaign,
    ConsentRecord,
    LedgerEntry,
    Payment,
    Payout,
    PayoutReceipt,
    Unit,
    WorkingGroupMember,
)
from funds.workflows.payout import PROPOSER

# Working-group sides that speak for the owners and so may reveal one, for a stated purpose.
OWNER_SIDES = frozenset({WorkingGroupMember.Side.COMMITTEE, WorkingGroupMember.Side.OWNERS})


def _managed(scope, prefix: str = "") -> Q:
    return Q(**{f"{prefix}compound__neighbourhood__street_id__in": scope.staff_streets}) | Q(
        **{f"{prefix}compound__neighbourhood_id__in": scope.committee_neighbourhoods}
    )


def buildings_managed_by(user):
    """Buildings for which the user may open a campaign."""
    return Building.objects.filter(_managed(scope_of(user))).select_related("compound__neighbourhood")


def campaigns_for_user(user):
    if not user.is_authenticated:
        return Campaign.objects.none()
    scope = scope_of(user)
    return Campaign.objects.filter(
        _managed(scope, "building__")
        | Q(building_id__in=BuildingGroup.objects.filter(pk__in=scope.led_groups).values("building_id"))
        | Q(building__compound__neighbourhood_id__in=scope.representative_neighbourhoods)
        | Q(building__compound__neighbourhood__street_id__in=scope.viewer_streets)
        | Q(pk__in=WorkingGroupMember.objects.filter(user=user).values("campaign_id"))
    )


def campaign_years(campaigns) -> list[int]:
    """The years from the first of ``campaigns`` to the last (local time), for the list's year
    filter: the first and the last by ``created_at`` (``LIMIT 1`` each way, one query), which
    PostgreSQL reads from the ``campaign_created_order`` index, stopping at the first campaign
    in the user's scope; ``dates("created_at", "year")`` truncated and sorted every campaign."""
    ends = campaigns.order_by().values_list("created_at", flat=True)
    found = list(ends.order_by("created_at")[:1].union(ends.order_by("-created_at")[:1], all=True))
    if not found:
        return []
    years = [timezone.localtime(moment).year for moment in found]
    return list(range(min(years), max(years) + 1))


def programme_years_of(rows, field: str = "programme_year") -> list[int]:
    """The programme years (``ProgrammeYear.year``) that hold at least one of ``rows`` (a user's
    awards or checks), newest first, for their list's year filter: one ``EXISTS`` probe per
    programme year (a street has one a year) through the foreign key's index, which stops at
    the first row; ``DISTINCT`` over the rows read every award or check of the user's streets."""
    held = rows.order_by().filter(**{field: OuterRef("pk")}).values("pk")
    years = ProgrammeYear.objects.filter(Exists(held)).order_by("-year").values_list("year", flat=True).distinct()
    return list(years)


def oversees_campaign(user, campaign: Campaign) -> bool:
    """A district or city user of the campaign's street (reads it, changes nothing)."""
    return campaign.building.compound.neighbourhood.street_id in scope_of(user).viewer_streets


def is_manager(user, campaign: Campaign) -> bool:
    scope = scope_of(user)
    neighbourhood = campaign.building.compound.neighbourhood
    return neighbourhood.street_id in scope.staff_streets or neighbourhood.pk in scope.committee_neighbourhoods


@dataclass(frozen=True)
class CampaignAccess:
    """What one user may do in one campaign they can see (the table in the module docstring)."""

    manager: bool
    member: WorkingGroupMember | None
    building_leader: bool

    @property
    def can_record_consent(self) -> bool:
        return self.manager or self.member is not None or self.building_leader

    @property
    def can_record_payment(self) -> bool:
        return self.manager or (self.member is not None and self.member.side == WorkingGroupMember.Side.PROPERTY)

    @property
    def can_reveal(self) -> bool:
        """May reveal one owner, or export in full, for a stated purpose that is recorded: the
        managers and the members on the residents' committee's or the owners' side."""
        return self.manager or (self.member is not None and self.member.side in OWNER_SIDES)

    @property
    def can_manage(self) -> bool:
        """Edit the campaign, import, manage the group, correct units and payments, publish."""
        return self.manager

    def allows(self, what: str) -> bool:
        """``what`` is a key of ``CAMPAIGN_ROLE_REFUSALS``."""
        return {
            "manage": self.can_manage,
            "record_consent": self.can_record_consent,
            "record_payment": self.can_record_payment,
            "reveal": self.can_reveal,
        }[what]


def owner_masked(unit: Unit) -> tuple[str, str]:
    """The owner's name and phone as every page, form and export shows them: 张*, 138****1234.

    Only ``funds.services.privacy.unit_owner_reveal`` (one row) and the full export (after
    ``personal_data_reveal``) ever put the real values on a page.
    """
    return mask_name(unit.owner_name), mask_phone(unit.owner_phone)


# What someone is told when their role in a campaign does not allow a change (services and pages).
CAMPAIGN_ROLE_REFUSALS = {
    "manage": _("Only the street office and the residents' committee change this campaign."),
    "record_consent": _("Consents are recorded by the working group and the building's group leaders."),
    "record_payment": _("Payments are recorded by the managers and the property company's member."),
    "reveal": _(
        "Only the managers and the working group's members for the committee and the owners may reveal an owner's "
        "name and phone, for a stated purpose."
    ),
}


def require_campaign_role(actor, campaign: Campaign, what: str) -> CampaignAccess:
    """For services: refuse (with the reason) a change the actor's role in the campaign does not allow."""
    access = campaign_access(actor, campaign)
    if not access.allows(what):
        raise Refused(CAMPAIGN_ROLE_REFUSALS[what])
    return access


def campaign_access(user, campaign: Campaign) -> CampaignAccess:
    """The user's role in a campaign: at most two small queries beyond the cached scope."""
    if is_manager(user, campaign):
        return CampaignAccess(manager=True, member=None, building_leader=False)
    member = campaign.members.filter(user=user).first() if user.is_authenticated else None
    led = scope_of(user).led_groups
    leader = bool(led) and BuildingGroup.objects.filter(pk__in=led, building_id=campaign.building_id).exists()
    return CampaignAccess(manager=False, member=member, building_leader=leader)


def _is_member_anywhere(user) -> bool:
    cached = getattr(user, "_fund_member", None)
    if cached is None:
        cached = user.is_authenticated and WorkingGroupMember.objects.filter(user=user).exists()
        user._fund_member = cached
    return cached


def can_open_campaigns(user) -> bool:
    scope = scope_of(user)
    return bool(scope.staff_streets or scope.committee_neighbourhoods)


def can_list_campaigns(user) -> bool:
    scope = scope_of(user)
    return bool(
        scope.staff_streets
        or scope.committee_neighbourhoods
        or scope.led_groups
        or scope.representative_neighbourhoods
        or scope.viewer_streets
    ) or _is_member_anywhere(user)


def get_campaign_for_user(user, pk) -> Campaign:
    """A campaign the user may see (404 otherwise), with its building, places and notice."""
    return get_object_or_404(
        campaigns_for_user(user).select_related("building__compound__neighbourhood__street", "notice"), pk=pk
    )


def get_campaign_for_notice(user, pk) -> tuple[Campaign, bool]:
    """The campaign of a public notice and whether this is a manager's preview.

    An unpublished notice does not exist for anyone but the campaign's managers and its
    street's district or city users (404), who preview it.
    """
    campaign = get_object_or_404(Campaign.objects.select_related("building__compound__neighbourhood", "notice"), pk=pk)
    if campaign.notice.is_published:
        return campaign, False
    if user.is_authenticated and (is_manager(user, campaign) or oversees_campaign(user, campaign)):
        return campaign, True
    raise Http404


def get_unit_for_user(user, pk) -> Unit:
    """A unit of a campaign the user may see (404 otherwise), with its campaign."""
    unit = get_object_or_404(Unit, pk=pk)
    unit.campaign = get_campaign_for_user(user, unit.campaign_id)
    return unit


def get_member_for_user(user, pk) -> WorkingGroupMember:
    member = get_object_or_404(WorkingGroupMember, pk=pk)
    member.campaign = get_campaign_for_user(user, member.campaign_id)
    return member


def get_payment_for_user(user, pk) -> Payment:
    payment = get_object_or_404(Payment, pk=pk)
    payment.unit = get_unit_for_user(user, payment.unit_id)
    return payment


def get_consent_record_for_user(user, pk) -> ConsentRecord:
    record = get_object_or_404(ConsentRecord, pk=pk)
    record.unit = get_unit_for_user(user, record.unit_id)
    return record


def notice_roles(user, campaign: Campaign) -> set[str]:
    """The user's roles relative to a campaign's public notice (funds/workflows/notice.py)."""
    scope = scope_of(user)
    neighbourhood = campaign.building.compound.neighbourhood
    roles: set[str] = set()
    if neighbourhood.street_id in scope.staff_streets:
        roles.add(Role.STREET_STAFF)
    if neighbourhood.pk in scope.committee_neighbourhoods:
        roles.add(Role.COMMITTEE)
    return roles


# --- Acceptance checks, awards, payouts and the corridor ledger --------------------------
#
# Street office staff and finance approvers see their street's checks, awards and payouts;
# the committee sees its neighbourhood's checks and awards, a leader their own group's.
# Changes are decided by the services (who may do what), these only decide what is seen.

_APP_STREET = "group__building__compound__neighbourhood__street_id"
_APP_NEIGHBOURHOOD = "group__building__compound__neighbourhood_id"


def _group_scope(scope, prefix: str, *, finance: bool) -> Q:
    # District and city users read both (read-only); ``finance``: awards, which the finance
    # approvers see too.
    streets = scope.visible_streets | scope.finance_streets if finance else scope.visible_streets
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
    """Payouts of the streets the user is staff or finance approver of, or oversees (read-only)."""
    scope = scope_of(user)
    return Payout.objects.filter(
        award__programme_year__street_id__in=scope.staff_streets | scope.finance_streets | scope.viewer_streets
    ).select_related("award__group__building__compound__neighbourhood", "award__programme_year", "proposed_by")


def get_payout_for_user(user, pk) -> Payout:
    # The payout page and voucher name the approver and the payer: fetched with the row.
    return get_object_or_404(payouts_for_user(user).select_related("approved_by", "paid_by"), pk=pk)


def can_see_checks(user) -> bool:
    """The street's acceptance checks list: its staff, and district or city users (read-only)."""
    return bool(scope_of(user).visible_streets)


def can_see_payouts(user) -> bool:
    scope = scope_of(user)
    return bool(scope.staff_streets or scope.finance_streets or scope.viewer_streets)


def street_id_of_application(application: Application) -> int:
    return application.group.building.compound.neighbourhood.street_id


def checks_to_schedule_q() -> Q:
    """Applications whose leader asked for the check and that have no check scheduled yet."""
    return Q(state=ApplicationState.INSPECTION_REQUESTED) & ~Q(
        acceptance_checks__outcome=AcceptanceCheck.Outcome.SCHEDULED
    )


def award_roles(user, award: Award) -> set[str]:
    """The user's roles relative to an award: staff and finance of its street, committee of
    its neighbourhood, leader of its group (funds/workflows/award.py and payout.py)."""
    scope = scope_of(user)
    street_id = award.programme_year.street_id
    roles: set[str] = set()
    if street_id in scope.staff_streets:
        roles.add(Role.STREET_STAFF)
    if street_id in scope.finance_streets:
        roles.add(Role.FINANCE)
    if award.group.building.compound.neighbourhood_id in scope.committee_neighbourhoods:
        roles.add(Role.COMMITTEE)
    if award.group_id in scope.led_groups:
        roles.add(Role.LEADER)
    return roles


def payout_roles(user, payout: Payout) -> set[str]:
    """The user's roles relative to a payout: those on its award, and ``PROPOSER`` if they proposed it."""
    roles = award_roles(user, payout.award)
    if user.is_authenticated and payout.proposed_by_id == user.pk:
        roles.add(PROPOSER)
    return roles


def get_ledger_entry_for_user(user, pk) -> LedgerEntry:
    entry = get_object_or_404(LedgerEntry.objects.select_related("award"), pk=pk)
    entry.award = get_award_for_user(user, entry.award_id)
    return entry


def get_receipt_for_user(user, pk) -> PayoutReceipt:
    receipt = get_object_or_404(PayoutReceipt.objects.select_related("payout"), pk=pk)
    receipt.payout = get_payout_for_user(user, receipt.payout_id)
    return receipt


def unpaid_units(campaign: Campaign):
    """The campaign's units that have paid less than they owe (area × rate, to the fen, as ``Unit.due``)."""
    # PostgreSQL's round() of a numeric rounds halves away from zero: half-up, like to_fen.
    return campaign.units.annotate(owed=Round(F("area_m2") * campaign.rate_per_m2, 2)).filter(paid_total__lt=F("owed"))
