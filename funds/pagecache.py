"""What funds shows on public pages, and what retires those pages (see ``corridors.pagecache``).

- The public corridor page carries the award badge, the culture fund and the ledger
  (``public_corridor_sections``): an award, a payout or a ledger line retires its group's
  pages; a campaign, its notice, its units, consents and payments retire the pages of the
  corridors in its building.
- The public progress notice (公示) of a campaign depends on ``("campaign", pk)``, retired by
  the campaign, its notice, its units, consents and payments.
"""

from common.pagecache import bump
from corridors.pagecache import PLACES, bump_building_groups, on_change, on_change_bump


def notice_page(request, pk):
    return [PLACES, ("campaign", pk)]


def _campaign_changed(campaign_id) -> None:
    from funds.models import Campaign

    bump("campaign", campaign_id)
    bump_building_groups(Campaign.objects.filter(pk=campaign_id).values_list("building_id", flat=True))


def _campaign_of_unit(unit_id):
    from funds.models import Unit

    return Unit.objects.filter(pk=unit_id).values_list("campaign_id", flat=True).first()


def _group_of_award(award_id) -> list[int]:
    from funds.models import Award

    return list(Award.objects.filter(pk=award_id).values_list("group_id", flat=True))


def _group_of_application(application_id) -> list[int]:
    from corridors.models import Application

    return list(Application.objects.filter(pk=application_id).values_list("group_id", flat=True))


def campaign_units_changed(campaign_id) -> None:
    """Units written in bulk (an import) send no signal: the import calls this."""
    _campaign_changed(campaign_id)


def connect() -> None:
    """Called from ``FundsConfig.ready``."""
    from funds import models as m

    on_change_bump(m.Campaign, lambda campaign: _campaign_changed(campaign.pk))
    on_change_bump(m.CampaignNotice, lambda notice: _campaign_changed(notice.campaign_id))
    on_change_bump(m.Unit, lambda unit: _campaign_changed(unit.campaign_id))
    on_change_bump(m.ConsentRecord, lambda record: _campaign_changed(_campaign_of_unit(record.unit_id)))
    on_change_bump(m.Payment, lambda payment: _campaign_changed(_campaign_of_unit(payment.unit_id)))
    on_change(m.Award, lambda award: [award.group_id])
    on_change(m.LedgerEntry, lambda entry: _group_of_award(entry.award_id))
    on_change(m.Payout, lambda payout: _group_of_award(payout.award_id))
    on_change(m.AcceptanceCheck, lambda check: _group_of_application(check.application_id))
