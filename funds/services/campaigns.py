"""A campaign's figures and its working group (maintenance-fund re-raising, DESIGN.md §2)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.dates import require_sane_dates
from common.publictext import require_public_text
from common.refusals import Refused
from corridors.models import Building, User
from funds.models import Campaign, CampaignNotice, Payment, RuleSet, WorkingGroupMember
from funds.selectors import CAMPAIGN_ROLE_REFUSALS, buildings_managed_by, require_campaign_role
from funds.services.tallies import campaign_tally_recompute


@transaction.atomic
def campaign_create(
    *,
    building: Building,
    purpose: str,
    works_cost: Decimal,
    fund_balance: Decimal,
    initial_fund: Decimal,
    rate_per_m2: Decimal,
    collector: str,
    supervisor: str,
    created_by: User,
    reserve_share: Decimal = Decimal("0.30"),
    rule_set: str = RuleSet.CIVIL_CODE_278,
    collection_deadline: datetime.date | None = None,
    consent_deadline: datetime.date | None = None,
) -> Campaign:
    """Open a campaign for a building with its money figures (validated, to the fen).

    Refused unless ``created_by`` manages the building (its street's office staff or its
    neighbourhood's residents' committee).
    """
    if not buildings_managed_by(created_by).filter(pk=building.pk).exists():
        raise Refused(CAMPAIGN_ROLE_REFUSALS["manage"])
    _check_public_purpose(building, purpose)
    campaign = Campaign(
        building=building,
        purpose=purpose,
        works_cost=works_cost,
        fund_balance=fund_balance,
        initial_fund=initial_fund,
        reserve_share=reserve_share,
        rate_per_m2=rate_per_m2,
        collector=collector,
        supervisor=supervisor,
        rule_set=rule_set,
        collection_deadline=collection_deadline,
        consent_deadline=consent_deadline,
        created_by=created_by,
    )
    require_sane_dates(consent_deadline=consent_deadline, collection_deadline=collection_deadline)
    campaign.full_clean()
    campaign.save()
    CampaignNotice.objects.create(campaign=campaign)
    campaign_tally_recompute(campaign=campaign)
    return campaign


def _check_public_purpose(building: Building, purpose: str, owners=()) -> None:
    """The purpose heads the public notice: no phone, ID or room number, no owner's name."""
    require_public_text({"purpose": purpose}, names=owners, allowed=[building.name, building.compound.name])


CAMPAIGN_FIELDS = (
    "purpose",
    "works_cost",
    "fund_balance",
    "initial_fund",
    "reserve_share",
    "rate_per_m2",
    "collector",
    "supervisor",
    "rule_set",
    "collection_deadline",
    "consent_deadline",
)


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    actor: User,
    purpose: str,
    works_cost: Decimal,
    fund_balance: Decimal,
    initial_fund: Decimal,
    reserve_share: Decimal,
    rate_per_m2: Decimal,
    collector: str,
    supervisor: str,
    rule_set: str,
    collection_deadline: datetime.date | None = None,
    consent_deadline: datetime.date | None = None,
) -> Campaign:
    """Change the figures. The rate cannot change once money was collected at the old rate."""
    # Two managers saving at once: the second works on the first one's figures.
    locked = Campaign.objects.select_for_update(of=("self",)).select_related("building__compound").get(pk=campaign.pk)
    require_campaign_role(actor, locked, "manage")
    if rate_per_m2 != locked.rate_per_m2 and Payment.objects.filter(unit__campaign=locked).exists():
        raise ValidationError({"rate_per_m2": _("Payments were already collected at this rate; it cannot change.")})
    _check_public_purpose(locked.building, purpose, owners=locked.units.values_list("owner_name", flat=True))
    values = {
        "purpose": purpose,
        "works_cost": works_cost,
        "fund_balance": fund_balance,
        "initial_fund": initial_fund,
        "reserve_share": reserve_share,
        "rate_per_m2": rate_per_m2,
        "collector": collector,
        "supervisor": supervisor,
        "rule_set": rule_set,
        "collection_deadline": collection_deadline,
        "consent_deadline": consent_deadline,
    }
    require_sane_dates(consent_deadline=consent_deadline, collection_deadline=collection_deadline)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=list(CAMPAIGN_FIELDS))
    # The rate fixes every unit's due, the rule set the verdict: count them again.
    campaign_tally_recompute(campaign=locked)
    return locked


@transaction.atomic
def working_group_member_add(
    *, campaign: Campaign, actor: User, name: str, side: str, is_leader: bool = False, user: User | None = None
) -> WorkingGroupMember:
    """Add a member, optionally linked to their account (who then records consents, see funds/selectors.py).

    A second leader, or the same account twice, is refused (partial unique constraints are the last line).
    """
    # Two people adding a leader (or the same account) at once: lock the campaign so the checks below hold.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    require_campaign_role(actor, campaign, "manage")
    if is_leader and campaign.members.filter(is_leader=True).exists():
        raise ValidationError({"is_leader": _("The working group already has a leader.")})
    if user is not None and campaign.members.filter(user=user).exists():
        raise ValidationError({"user": _("This account is already in the working group.")})
    member = WorkingGroupMember(campaign=campaign, name=name.strip(), side=side, is_leader=is_leader, user=user)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def working_group_member_remove(*, member: WorkingGroupMember, actor: User) -> None:
    """Take a member out of the working group (their account no longer records for it)."""
    require_campaign_role(actor, member.campaign, "manage")
    member.delete()
