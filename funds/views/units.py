"""Pages of a campaign's roll: importing it, the list, a unit's page, its correction, its printed form."""

import re
from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.forms import add_errors
from common.listing import paginate
from common.permissions import require
from common.refusals import Refused
from funds.forms.consents import ConsentForm
from funds.forms.payments import PaymentForm
from funds.forms.units import ImportForm, UnitCorrectForm
from funds.models import ConsentStatus
from funds.selectors import campaign_access, get_campaign_for_user, get_unit_for_user, unpaid_units
from funds.services import units as services
from funds.totals import campaign_decision

ROLL_PAGE_SIZE = 50


@login_required
def units_import(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    require(request.user, "funds.manage_campaign", campaign)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            count = services.units_import(campaign=campaign, actor=request.user, file=form.cleaned_data["file"])
        except services.ImportRejected as rejected:
            problems = rejected.problems
        except Refused as error:
            problems = [services.ImportProblem(0, error.reason)]
        else:
            messages.success(request, _("%(count)s units imported.") % {"count": count})
            return redirect("funds:units", campaign.pk)
    return render(
        request,
        "funds/units/import.html",
        {
            "campaign": campaign,
            "form": form,
            "problems": problems,
            "column_labels": [services.column_label(c) for c in services.IMPORT_COLUMNS],
        },
    )


@login_required
def unit_list(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    access = campaign_access(request.user, campaign)
    units, status, floor = filtered_units(request, campaign)
    page_obj = paginate(units, request, per_page=ROLL_PAGE_SIZE)
    for unit in page_obj:
        unit.campaign = campaign
    return render(
        request,
        "funds/units/list.html",
        {
            "campaign": campaign,
            "decision": campaign_decision(campaign),
            "page_obj": page_obj,
            "access": access,
            "is_manager": access.manager,
            "statuses": ConsentStatus.choices,
            "status": status,
            "floor": floor,
            "unpaid_only": request.GET.get("payment") == "unpaid",
        },
    )


def filtered_units(request, campaign):
    """The roll as filtered by the query string (the page and its export)."""
    units = campaign.units.order_by("floor", "label")
    status = request.GET.get("status", "")
    if status in ConsentStatus.values:
        units = units.filter(consent_status=status)
    floor = request.GET.get("floor", "")
    if re.fullmatch(r"-?[0-9]{1,4}", floor):  # ASCII digits only: "²" and "--5" are not floors
        units = units.filter(floor=int(floor))
    if request.GET.get("payment") == "unpaid":  # the link of the unpaid-units reminder
        units = units.filter(pk__in=unpaid_units(campaign).values("pk"))
    return units, status, floor


def unit_page(request, unit, access, *, consent_form=None, payment_form=None, status=200):
    """A unit's page (also re-shown, with the errors, by a consent or payment form that failed)."""
    return render(
        request,
        "funds/units/detail.html",
        {
            "unit": unit,
            "campaign": unit.campaign,
            "access": access,
            "is_manager": access.manager,
            "consents": unit.consents.select_related("recorded_by"),
            "payments": unit.payments.select_related("recorded_by", "corrects"),
            "changes": unit.changes.select_related("changed_by") if access.manager else [],
            "consent_form": consent_form or ConsentForm.for_unit(unit),
            "payment_form": (payment_form or PaymentForm()) if access.can_record_payment else None,
        },
        status=status,
    )


@login_required
def unit_detail(request, pk):
    unit = get_unit_for_user(request.user, pk)
    require(request.user, "funds.record_consent", unit)
    return unit_page(request, unit, campaign_access(request.user, unit.campaign))


@login_required
def unit_correct(request, pk):
    unit = get_unit_for_user(request.user, pk)
    require(request.user, "funds.manage_campaign", unit)
    locked = unit.payments.exists()
    # A copy: form validation writes into its instance, the service reads the locked row.
    form = UnitCorrectForm(request.POST or None, instance=copy(unit))
    if request.method == "POST" and not locked and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.unit_correct(
                unit=unit,
                floor=data["floor"],
                area_m2=data["area_m2"],
                owner_name=data["owner_name"] or unit.owner_name,
                owner_phone=data["owner_phone"] or unit.owner_phone,
                reason=data["reason"],
                changed_by=request.user,
            )
        except (ValidationError, Refused) as error:
            add_errors(form, error)
        else:
            if change is None:
                messages.info(request, _("Nothing changed."))
            else:
                messages.success(request, _("Unit %(unit)s corrected.") % {"unit": unit.label})
            return redirect(unit)
    return render(
        request,
        "funds/units/correct.html",
        {"unit": unit, "campaign": unit.campaign, "form": form, "locked": locked},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def unit_print(request, pk):
    unit = get_unit_for_user(request.user, pk)
    require(request.user, "funds.record_consent", unit)
    return render(request, "funds/units/print.html", {"unit": unit, "campaign": unit.campaign})
