"""Recording a unit's consent on a visit, and the signed form's scan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import add_errors
from common.http import safe_next
from common.permissions import require
from common.refusals import Refused
from common.uploads import serve_private_file
from funds.forms.consents import ConsentForm
from funds.selectors import campaign_access, get_consent_record_for_user, get_unit_for_user
from funds.services.consents import unit_record_consent
from funds.views.units import unit_page


@login_required
@require_POST
def unit_consent(request, pk):
    unit = get_unit_for_user(request.user, pk)
    require(request.user, "funds.record_consent", unit)
    form = ConsentForm(request.POST, request.FILES, unit=unit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = unit_record_consent(
                unit=unit,
                status=data["status"],
                reason=data["reason"],
                note=data["note"],
                scan=data["scan"] or None,
                recorded_by=request.user,
                expected_status=data["current"] or None,
                confirmed=data.get("confirm", False),
                change_reason=data.get("change_reason", ""),
            )
        except Refused as error:
            # Shown on the unit's page beside the confirmation it asks for, the entries kept.
            add_errors(form, error)
        else:
            if record is None:
                messages.info(
                    request,
                    _("Unit %(unit)s: “%(status)s” was already recorded; nothing changed.")
                    % {"unit": unit.label, "status": unit.get_consent_status_display()},
                )
            else:
                messages.success(
                    request,
                    _("Unit %(unit)s: %(status)s recorded.")
                    % {"unit": unit.label, "status": unit.get_consent_status_display()},
                )
            return redirect(safe_next(request, unit.get_absolute_url()))
    return unit_page(request, unit, campaign_access(request.user, unit.campaign), consent_form=form, status=400)


@login_required
def consent_scan(request, pk):
    record = get_consent_record_for_user(request.user, pk)
    require(request.user, "funds.manage_campaign", record.unit)
    if not record.scan:
        raise Http404
    return serve_private_file(record.scan, download_name=record.download_name)
