"""Revealing an owner on purpose: one unit's name and phone, or the outstanding list in full.

The answer to the POST is the only page that shows the values (nothing is kept in the
session), after the service recorded who, whose, which fields, when and why.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.export import xlsx_response
from common.forms import add_errors
from common.permissions import require
from common.refusals import Refused
from funds.exports import outstanding_headers
from funds.forms.privacy import PurposeForm
from funds.selectors import get_campaign_for_user, get_unit_for_user
from funds.services.privacy import outstanding_export_full, unit_owner_reveal


@login_required
def unit_reveal(request, pk):
    unit = get_unit_for_user(request.user, pk)
    require(request.user, "funds.reveal_owner", unit)
    form = PurposeForm(request.POST or None)
    revealed = None
    if request.method == "POST" and form.is_valid():
        try:
            revealed = unit_owner_reveal(unit=unit, actor=request.user, purpose=form.cleaned_data["purpose"])
        except Refused as error:
            add_errors(form, error)
    status = 400 if request.method == "POST" and revealed is None else 200
    context = {"unit": unit, "campaign": unit.campaign, "form": form, "revealed": revealed}
    return render(request, "funds/units/reveal.html", context, status=status)


@login_required
@require_POST
def collection_export_full(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    require(request.user, "funds.reveal_owner", campaign)
    form = PurposeForm(request.POST)
    form.error_summary_heading = _("Please correct the problems marked below and try the download again:")
    if form.is_valid():
        try:
            rows = outstanding_export_full(campaign=campaign, actor=request.user, purpose=form.cleaned_data["purpose"])
        except Refused as error:
            add_errors(form, error)
        else:
            return xlsx_response(
                filename=f"outstanding-{campaign.pk}-full-{timezone.localdate().isoformat()}.xlsx",
                sheet_title=_("Outstanding"),
                headers=outstanding_headers(),
                rows=rows,
            )
    return render(request, "funds/payments/export_full.html", {"campaign": campaign, "form": form}, status=400)
