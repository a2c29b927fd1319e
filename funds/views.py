"""Staff pages of the maintenance-fund campaigns, and the public progress notice."""

import re
from copy import copy
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.export import xlsx_response
from common.listing import paginate
from common.masking import mask_name, mask_phone
from common.uploads import serve_private_file
from funds import services
from funds.decision import decide_campaign
from funds.forms import (
    CampaignForm,
    ConsentForm,
    ImportForm,
    MemberForm,
    PaymentCorrectionForm,
    PaymentForm,
    UnitCorrectForm,
)
from funds.models import ConsentStatus
from funds.progress import collection_of, percent
from funds.selectors import (
    buildings_managed_by,
    campaign_access,
    campaigns_for_user,
    can_list_campaigns,
    can_open_campaigns,
    get_campaign_for_manager,
    get_campaign_for_notice,
    get_campaign_for_user,
    get_consent_record_for_manager,
    get_member_for_manager,
    get_payment_for_manager,
    get_unit_for_collector,
    get_unit_for_manager,
    get_unit_for_recorder,
)

ROLL_PAGE_SIZE = 50


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
def campaign_list(request):
    if not can_list_campaigns(request.user):
        raise PermissionDenied
    campaigns = campaigns_for_user(request.user).select_related("building__compound")
    return render(
        request,
        "funds/campaign_list.html",
        {"page_obj": paginate(campaigns, request), "can_open": can_open_campaigns(request.user)},
    )


@login_required
def campaign_create(request):
    if not can_open_campaigns(request.user):
        raise PermissionDenied
    buildings = buildings_managed_by(request.user)
    form = CampaignForm(request.POST or None, buildings=buildings)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Campaign opened. Next, import the roll of units."))
            return redirect("funds:import", campaign.pk)
    return render(request, "funds/campaign_form.html", {"form": form})


@login_required
def campaign_update(request, pk):
    campaign = get_campaign_for_manager(request.user, pk)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.CAMPAIGN_FIELDS}
        campaign.refresh_from_db()
        try:
            services.campaign_update(campaign=campaign, **fields)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect(campaign)
    return render(request, "funds/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    access = campaign_access(request.user, campaign)
    return render(
        request,
        "funds/campaign_detail.html",
        {
            "campaign": campaign,
            "decision": decide_campaign(campaign),
            "collection": collection_of(campaign),
            "members": campaign.members.select_related("user"),
            "access": access,
            "is_manager": access.manager,
            "member_form": MemberForm() if access.manager else None,
        },
    )


@login_required
@require_POST
def notice_publish(request, pk):
    campaign = get_campaign_for_manager(request.user, pk)
    published = request.POST.get("published") == "1"
    services.campaign_publish_notice(campaign=campaign, published=published)
    if published:
        messages.success(request, _("The public notice is published."))
    else:
        messages.success(request, _("The public notice is withdrawn; only managers can see it."))
    return redirect(campaign)


@login_required
@require_POST
def member_add(request, pk):
    campaign = get_campaign_for_manager(request.user, pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.working_group_member_add(
                campaign=campaign,
                name=data["name"],
                side=data["side"],
                is_leader=data["is_leader"],
                user=data["username"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Member added."))
    elif "username" in form.errors:
        messages.error(request, " ".join(form.errors["username"]))
    else:
        messages.error(request, _("Please give the member's name and side."))
    return redirect(campaign)


@login_required
@require_POST
def member_remove(request, pk):
    member = get_member_for_manager(request.user, pk)
    services.working_group_member_remove(member=member)
    messages.success(request, _("Member removed."))
    return redirect(member.campaign)


@login_required
def units_import(request, pk):
    campaign = get_campaign_for_manager(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = services.units_import(campaign=campaign, data=upload.read(), filename=upload.name)
        except services.ImportRejected as rejected:
            problems = rejected.problems
        else:
            messages.success(request, _("%(count)s units imported.") % {"count": count})
            return redirect("funds:units", campaign.pk)
    return render(
        request,
        "funds/units_import.html",
        {
            "campaign": campaign,
            "form": form,
            "problems": problems,
            "column_labels": [services.column_label(c) for c in services.IMPORT_COLUMNS],
        },
    )


def _masked(unit, sees_owners: bool):
    """What this viewer may see of the owner (funds/selectors.py says who sees names in full)."""
    if sees_owners:
        return unit.owner_name, unit.owner_phone
    return mask_name(unit.owner_name), mask_phone(unit.owner_phone)


@login_required
def unit_list(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    access = campaign_access(request.user, campaign)
    units = campaign.units.order_by("floor", "label")
    status = request.GET.get("status", "")
    if status in ConsentStatus.values:
        units = units.filter(consent_status=status)
    floor = request.GET.get("floor", "")
    if re.fullmatch(r"-?[0-9]{1,4}", floor):  # ASCII digits only: "²" and "--5" are not floors
        units = units.filter(floor=int(floor))
    page_obj = paginate(units, request, per_page=ROLL_PAGE_SIZE)
    for unit in page_obj:
        unit.campaign = campaign
        unit.shown_name, unit.shown_phone = _masked(unit, access.sees_owners)
    return render(
        request,
        "funds/unit_list.html",
        {
            "campaign": campaign,
            "decision": decide_campaign(campaign),
            "page_obj": page_obj,
            "access": access,
            "is_manager": access.manager,
            "statuses": ConsentStatus.choices,
            "status": status,
            "floor": floor,
        },
    )


@login_required
def unit_detail(request, pk):
    unit, access = get_unit_for_recorder(request.user, pk)
    return _unit_page(request, unit, access, ConsentForm(), PaymentForm())


def _unit_page(request, unit, access, consent_form, payment_form, status=200):
    unit.shown_name, unit.shown_phone = _masked(unit, access.sees_owners)
    return render(
        request,
        "funds/unit_detail.html",
        {
            "unit": unit,
            "campaign": unit.campaign,
            "access": access,
            "is_manager": access.manager,
            "consents": unit.consents.select_related("recorded_by"),
            "payments": unit.payments.select_related("recorded_by", "corrects"),
            "changes": unit.changes.select_related("changed_by") if access.manager else [],
            "consent_form": consent_form,
            "payment_form": payment_form if access.can_record_payment else None,
        },
        status=status,
    )


@login_required
@require_POST
def unit_consent(request, pk):
    unit, access = get_unit_for_recorder(request.user, pk)
    form = ConsentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        services.unit_record_consent(
            unit=unit,
            status=data["status"],
            reason=data["reason"],
            note=data["note"],
            scan=data["scan"] or None,
            recorded_by=request.user,
        )
        messages.success(
            request,
            _("Unit %(unit)s: %(status)s recorded.")
            % {"unit": unit.label, "status": unit.get_consent_status_display()},
        )
        return redirect(_next_url(request, unit.get_absolute_url()))
    return _unit_page(request, unit, access, form, PaymentForm(), status=400)


@login_required
@require_POST
def unit_payment(request, pk):
    unit, access = get_unit_for_collector(request.user, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.payment_record(unit=unit, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Payment recorded for unit %(unit)s.") % {"unit": unit.label})
            return redirect(_next_url(request, unit.get_absolute_url()))
    return _unit_page(request, unit, access, ConsentForm(), form, status=400)


@login_required
def unit_correct(request, pk):
    unit = get_unit_for_manager(request.user, pk)
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
                owner_name=data["owner_name"],
                owner_phone=data["owner_phone"],
                reason=data["reason"],
                changed_by=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if change is None:
                messages.info(request, _("Nothing changed."))
            else:
                messages.success(request, _("Unit %(unit)s corrected.") % {"unit": unit.label})
            return redirect(unit)
    return render(
        request,
        "funds/unit_correct.html",
        {"unit": unit, "campaign": unit.campaign, "form": form, "locked": locked},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def payment_correct(request, pk):
    payment = get_payment_for_manager(request.user, pk)
    unit = payment.unit
    if payment.is_correction:
        raise PermissionDenied(_("A correction cannot itself be corrected."))
    form = PaymentCorrectionForm(request.POST or None, initial={"amount": payment.amount})
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_correct(payment=payment, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Correction recorded for unit %(unit)s.") % {"unit": unit.label})
            return redirect(unit)
    return render(
        request,
        "funds/unit_payment_correct.html",
        {"unit": unit, "campaign": unit.campaign, "payment": payment, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def consent_scan(request, pk):
    record = get_consent_record_for_manager(request.user, pk)
    if not record.scan:
        raise PermissionDenied
    return serve_private_file(record.scan, download_name=record.download_name)


@login_required
def unit_print(request, pk):
    unit, access = get_unit_for_recorder(request.user, pk)
    unit.shown_name, _phone = _masked(unit, access.sees_owners)
    return render(request, "funds/unit_print.html", {"unit": unit, "campaign": unit.campaign})


@login_required
def collection(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    access = campaign_access(request.user, campaign)
    outstanding = []
    for unit in campaign.units.order_by("floor", "label"):
        unit.campaign = campaign
        if unit.paid_total < unit.due:
            unit.shown_name, unit.shown_phone = _masked(unit, access.sees_owners)
            outstanding.append(unit)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"outstanding-{campaign.pk}.xlsx",
            sheet_title=_("Outstanding"),
            headers=[_("Floor"), _("Unit"), _("Owner"), _("Phone"), _("Due"), _("Paid"), _("Outstanding")],
            rows=[
                [u.floor, u.label, u.shown_name, u.shown_phone, u.due, u.paid_total, u.outstanding] for u in outstanding
            ],
        )
    floors = [(floor, list(units)) for floor, units in groupby(outstanding, key=lambda u: u.floor)]
    return render(
        request,
        "funds/collection.html",
        {
            "campaign": campaign,
            "collection": collection_of(campaign),
            "floors": floors,
            "outstanding_count": len(outstanding),
            "access": access,
            "is_manager": access.manager,
        },
    )


def notice(request, pk):
    """The public progress notice (公示): counts and percentages, nothing personal.

    Public once published; before that a manager's preview, and 404 for everyone else.
    """
    campaign, preview = get_campaign_for_notice(request.user, pk)
    decision = decide_campaign(campaign)
    units = sum(decision.unit_counts.values())
    rows = [
        (label, decision.unit_counts.get(value, 0), percent(decision.unit_counts.get(value, 0), units))
        for value, label in ConsentStatus.choices
    ]
    return render(
        request,
        "funds/notice.html",
        {
            "campaign": campaign,
            "decision": decision,
            "collection": collection_of(campaign),
            "status_rows": rows,
            "units": units,
            "preview": preview,
        },
    )
