"""The public progress notice (公示) of a campaign, and its publishing by the managers."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.pagecache import public_page
from common.permissions import require
from common.refusals import Refused
from funds.models import ConsentStatus, NoticeState
from funds.pagecache import notice_page
from funds.progress import percent
from funds.selectors import get_campaign_for_notice, get_campaign_for_user
from funds.services.notice import notice_publish as publish
from funds.services.notice import notice_withdraw as withdraw
from funds.totals import campaign_collection, campaign_decision

# 公示期: how long the notice stands for objections, counted from the day it is published.
NOTICE_PERIOD_DAYS = 7


@public_page(depends=notice_page)
def notice(request, pk):
    """The public progress notice (公示): counts and percentages, nothing personal.

    Public once published; before that a manager's preview, and 404 for everyone else.
    """
    campaign, preview = get_campaign_for_notice(request.user, pk)
    decision = campaign_decision(campaign, margin=False)  # the notice shows no door-to-door list
    units = sum(decision.unit_counts.values())
    rows = [
        (label, decision.unit_counts.get(value, 0), percent(decision.unit_counts.get(value, 0), units))
        for value, label in ConsentStatus.choices
    ]
    published = (
        campaign.notice.transitions.filter(to_state=NoticeState.PUBLISHED).order_by("-created_at", "-pk").first()
    )
    published_on = timezone.localdate(published.created_at) if published and not preview else None
    return render(
        request,
        "funds/notice/notice.html",
        {
            "campaign": campaign,
            "decision": decision,
            "collection": campaign_collection(campaign),
            "status_rows": rows,
            "units": units,
            "preview": preview,
            "published_on": published_on,
            "period_ends": published_on + datetime.timedelta(days=NOTICE_PERIOD_DAYS) if published_on else None,
            "period_days": NOTICE_PERIOD_DAYS,
            "committee": campaign.building.compound.neighbourhood,
        },
    )


@login_required
@require_POST
def notice_publish(request, pk):
    """Publish (``published=1``) or withdraw (``published=0``) the notice."""
    campaign = get_campaign_for_user(request.user, pk)
    require(request.user, "funds.manage_campaign", campaign)
    published = request.POST.get("published") == "1"
    step = publish if published else withdraw
    try:
        step(campaign=campaign, actor=request.user, expected_state=request.POST.get("state") or None)
    except Refused as error:
        messages.error(request, error.reason)
    else:
        if published:
            messages.success(request, _("The public notice is published."))
        else:
            messages.success(request, _("The public notice is withdrawn; only managers can see it."))
    return redirect(campaign)
