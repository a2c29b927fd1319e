"""A campaign's public notice (公示): published and withdrawn by its managers (funds/workflows/notice.py)."""

from django.db import transaction

from corridors.models import User
from funds.models import Campaign, CampaignNotice, NoticeTransition
from funds.selectors import notice_roles
from funds.workflows.notice import NOTICE


def _step(name: str, *, campaign: Campaign, actor: User, expected_state: str | None) -> CampaignNotice:
    # Two managers clicking at once: the second waits here, then sees the first one's step.
    notice = (
        CampaignNotice.objects.select_for_update(of=("self",))
        .select_related("campaign__building__compound__neighbourhood")
        .get(pk=campaign.pk)
    )
    transition = NOTICE.check(name, notice, roles=notice_roles(actor, notice.campaign), expected_state=expected_state)
    before = notice.state
    notice.state = transition.target
    notice.save(update_fields=["state"])
    NoticeTransition.objects.create(notice=notice, actor=actor, action=name, from_state=before, to_state=notice.state)
    # Nobody is told (the table's notify roles are empty): the notice is for the public.
    campaign.notice = notice
    return notice


@transaction.atomic
def notice_publish(*, campaign: Campaign, actor: User, expected_state: str | None = None) -> CampaignNotice:
    """Show the public notice to everyone (counts and percentages only); who and when are kept."""
    return _step("publish", campaign=campaign, actor=actor, expected_state=expected_state)


@transaction.atomic
def notice_withdraw(*, campaign: Campaign, actor: User, expected_state: str | None = None) -> CampaignNotice:
    """Take the public notice down again: only the managers preview it (404 for everyone else)."""
    return _step("withdraw", campaign=campaign, actor=actor, expected_state=expected_state)
