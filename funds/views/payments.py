"""Recording and correcting payments, and the collector's list of what is outstanding."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.export import xlsx_response
from common.forms import add_errors
from common.http import safe_next
from common.permissions import refuse, require
from common.refusals import Refused
from funds.exports import outstanding_headers, outstanding_rows, outstanding_units
from funds.forms.payments import PaymentCorrectionForm, PaymentForm
from funds.forms.privacy import PurposeForm
from funds.selectors import campaign_access, get_campaign_for_user, get_payment_for_user, get_unit_for_user
from funds.services import payments as services
from funds.totals import campaign_collection
from funds.views.units import unit_page


@login_required
@require_POST
def unit_payment(request, pk):
    unit = get_unit_for_user(request.user, pk)
    require(request.user, "funds.record_consent", unit)
    require(request.user, "funds.record_payment", unit)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.payment_record(unit=unit, recorded_by=request.user, **form.cleaned_data)
        except (ValidationError, Refused) as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Payment recorded for unit %(unit)s.") % {"unit": unit.label})
            return redirect(safe_next(request, unit.get_absolute_url()))
    return unit_page(request, unit, campaign_access(request.user, unit.campaign), payment_form=form, status=400)


@login_required
def payment_correct(request, pk):
    payment = get_payment_for_user(request.user, pk)
    unit = payment.unit
    require(request.user, "funds.manage_campaign", unit)
    if payment.is_correction:
        raise refuse(_("A correction cannot itself be corrected."))
    form = PaymentCorrectionForm(request.POST or None, initial={"amount": payment.amount})
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_correct(
                payment=payment,
                recorded_by=request.user,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, Refused) as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Correction recorded for unit %(unit)s.") % {"unit": unit.label})
            return redirect(unit)
    return render(
        request,
        "funds/payments/correct.html",
        {"unit": unit, "campaign": unit.campaign, "payment": payment, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def collection(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    access = campaign_access(request.user, campaign)
    outstanding = outstanding_units(campaign)
    if request.GET.get("format") == "xlsx":
        # Masked: a full export is asked for with a purpose (funds/views/privacy.py).
        return xlsx_response(
            filename=f"outstanding-{campaign.pk}.xlsx",
            sheet_title=_("Outstanding"),
            headers=outstanding_headers(),
            rows=outstanding_rows(outstanding),
        )
    floors = [(floor, list(units)) for floor, units in groupby(outstanding, key=lambda u: u.floor)]
    return render(
        request,
        "funds/payments/collection.html",
        {
            "campaign": campaign,
            "collection": campaign_collection(campaign),
            "floors": floors,
            "outstanding_count": len(outstanding),
            "access": access,
            "is_manager": access.manager,
            "purpose_form": PurposeForm() if access.can_reveal else None,
        },
    )
