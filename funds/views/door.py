"""Door-to-door mode (issue 14): a volunteer on the stairs records one unit after another.

The page shows the next unit still pending on the floor (then the floors above), big
同意 / 反对 / 弃权 / 联系不上 buttons, the owner's number masked with a way to reveal it
through the reveal log (``funds.services.privacy``), and the decision's running margin. An
answer goes through ``funds.services.consents.unit_record_consent``, the one place the
rules of recording live. With htmx the panel is swapped in place; a failed save (no
network) leaves the panel and the answer as they were, with a retry (static/js/site.js).
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.permissions import require
from common.refusals import Refused
from funds.models import ConsentStatus
from funds.selectors import campaign_access, get_campaign_for_user, get_unit_for_user
from funds.services.consents import unit_record_consent
from funds.totals import campaign_decision

ANSWERS = [ConsentStatus.AGREE, ConsentStatus.REFUSE, ConsentStatus.ABSTAIN, ConsentStatus.UNREACHABLE]


def _floor(value) -> int | None:
    return int(value) if re.fullmatch(r"-?[0-9]{1,4}", value or "") else None


def next_pending(campaign, floor: int | None, after=None):
    """The next unit still pending: on this floor first (after the one just skipped), then above, then anywhere."""
    pending = campaign.units.filter(consent_status=ConsentStatus.PENDING).order_by("floor", "label")
    if after is not None:
        later = pending.filter(floor=after.floor, label__gt=after.label) | pending.filter(floor__gt=after.floor)
        if unit := later.order_by("floor", "label").first():
            return unit
    if floor is not None and (unit := pending.filter(floor__gte=floor).first()):
        return unit
    return pending.first()


def _panel(request, campaign, *, floor=None, after=None, done=None, error=None, status=200):
    unit = next_pending(campaign, floor, after)
    if unit is not None:
        unit.campaign = campaign
    access = campaign_access(request.user, campaign)
    context = {
        "campaign": campaign,
        "unit": unit,
        "floor": unit.floor if unit else floor,
        "decision": campaign_decision(campaign),
        "answers": [(s.value, s.label) for s in ANSWERS],
        "can_reveal": access.can_reveal,
        "done": done,
        "error": error,
        "pending_on_floor": campaign.units.filter(consent_status=ConsentStatus.PENDING, floor=unit.floor).count()
        if unit
        else 0,
    }
    template = "funds/door/panel.html" if request.htmx else "funds/door/door.html"
    return render(request, template, context, status=status)


@login_required
def door(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    require(request.user, "funds.record_consent", campaign)
    skip = request.GET.get("after", "")
    after = campaign.units.filter(pk=int(skip)).first() if skip.isdigit() else None
    return _panel(request, campaign, floor=_floor(request.GET.get("floor")), after=after)


@login_required
@require_POST
def door_answer(request, pk):
    unit = get_unit_for_user(request.user, pk)
    require(request.user, "funds.record_consent", unit)
    campaign = unit.campaign
    status = request.POST.get("status", "")
    if status not in {s.value for s in ANSWERS}:
        return _panel(
            request, campaign, floor=unit.floor, error=_("Please choose one of the four answers."), status=400
        )
    try:
        unit_record_consent(
            unit=unit,
            status=status,
            recorded_by=request.user,
            expected_status=request.POST.get("current") or ConsentStatus.PENDING,
        )
    except Refused as error:
        # Someone else answered meanwhile: say so, and show the next unit still pending.
        if request.htmx:
            return _panel(request, campaign, floor=unit.floor, error=error.reason)
        messages.error(request, error.reason)
        return redirect(f"{reverse('funds:door', args=[campaign.pk])}?floor={unit.floor}")
    done = _("Unit %(unit)s: %(status)s recorded.") % {"unit": unit.label, "status": ConsentStatus(status).label}
    if request.htmx:
        return _panel(request, campaign, floor=unit.floor, done=done)
    messages.success(request, done)
    return redirect(f"{reverse('funds:door', args=[campaign.pk])}?floor={unit.floor}")
