"""Staff lists of the funds app as .xlsx, with the rows the page shows (same scope, same order):
awards, campaigns and the recorded acceptance checks. Through ``common.export.xlsx_download``
(openpyxl write-only mode); Chinese headers by the reader's language."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from common.export import xlsx_download
from common.permissions import require
from funds.models import AcceptanceCheck


@login_required
def award_export(request):
    from funds.views.awards import filtered_awards

    require(request.user, "funds.view_awards")
    _form, awards = filtered_awards(request)
    awards = awards.select_related("group__building__compound__neighbourhood__street", "programme_year")
    headers = [
        _("Certificate number"),
        _("Year"),
        _("Street"),
        _("Neighbourhood"),
        _("Building group"),
        _("Status"),
        _("Culture fund (yuan)"),
        _("Culture fund received (yuan)"),
    ]
    rows = (
        (
            a.certificate_number,
            a.programme_year.year,
            a.group.building.compound.neighbourhood.street.name,
            a.group.building.compound.neighbourhood.name,
            str(a.group),
            a.get_state_display(),
            a.culture_fund_amount,
            a.culture_fund_received,
        )
        for a in awards.iterator(chunk_size=500)
    )
    return xlsx_download(filename="awards.xlsx", sheet_title=_("Awards"), headers=headers, rows=rows)


@login_required
def campaign_export(request):
    from funds.views.campaigns import filtered_campaigns

    require(request.user, "funds.list_campaigns")
    _form, campaigns = filtered_campaigns(request)
    campaigns = campaigns.select_related("building__compound__neighbourhood__street")
    headers = [
        _("Street"),
        _("Neighbourhood"),
        _("Building"),
        _("Purpose"),
        _("Works cost (yuan)"),
        _("Fund balance (yuan)"),
        _("Gap (yuan)"),
    ]
    rows = (
        (
            c.building.compound.neighbourhood.street.name,
            c.building.compound.neighbourhood.name,
            str(c.building),
            c.purpose,
            c.works_cost,
            c.fund_balance,
            c.gap,
        )
        for c in campaigns.iterator(chunk_size=500)
    )
    return xlsx_download(filename="campaigns.xlsx", sheet_title=_("Campaigns"), headers=headers, rows=rows)


@login_required
def check_export(request):
    """The recorded checks of the inspections page (its paged list), newest first."""
    from funds.views.checks import street_checks

    require(request.user, "funds.view_checks")
    _form, _applications, checks = street_checks(request)
    checks = (
        checks.exclude(outcome=AcceptanceCheck.Outcome.SCHEDULED)
        .select_related("application__group__building__compound__neighbourhood__street")
        .order_by("-recorded_at", "-pk")
    )
    headers = [
        _("Street"),
        _("Neighbourhood"),
        _("Building group"),
        _("Application"),
        _("Inspection round"),
        _("Inspection date"),
        _("Outcome"),
        _("Recorded at"),
    ]
    rows = (
        (
            c.application.group.building.compound.neighbourhood.street.name,
            c.application.group.building.compound.neighbourhood.name,
            str(c.application.group),
            c.application.title,
            c.round,
            c.scheduled_for,
            c.get_outcome_display(),
            c.recorded_at,
        )
        for c in checks.iterator(chunk_size=500)
    )
    return xlsx_download(filename="checks.xlsx", sheet_title=_("Acceptance checks"), headers=headers, rows=rows)


@login_required
def budget_export(request):
    """The budget page for the chosen year: one row per neighbourhood, then the totals."""
    from funds.views.payouts import budget_figures

    require(request.user, "funds.view_payouts")
    _years, chosen, rows, totals = budget_figures(request)
    headers = [
        _("Programme year"),
        _("Neighbourhood"),
        _("Proposed (yuan)"),
        _("Approved, not yet paid (yuan)"),
        _("Paid (yuan)"),
    ]
    lines = [(str(chosen), r["neighbourhood"].name, r["proposed"], r["approved"], r["paid"]) for r in rows]
    if totals is not None:
        lines.append((str(chosen), _("Total"), totals["proposed"], totals["approved"], totals["paid"]))
        lines.append((str(chosen), _("Annual budget"), totals["budget"], None, None))
        lines.append((str(chosen), _("Remaining"), totals["remaining"], None, None))
    return xlsx_download(filename="budget.xlsx", sheet_title=_("Budget"), headers=headers, rows=lines)


@login_required
def unit_export(request, pk):
    """The roll with the page's filters (consent status, floor). Owners are masked (张*,
    138****1234) for every reader, as on the page: the unmasked list is the collection's full
    export, which records the reveal first (``funds.views.privacy``)."""
    from funds.selectors import get_campaign_for_user
    from funds.views.units import filtered_units

    campaign = get_campaign_for_user(request.user, pk)
    units, _status, _floor = filtered_units(request, campaign)
    headers = [
        _("Floor"),
        _("Unit"),
        _("Area (m²)"),
        _("Owner"),
        _("Phone"),
        _("Consent"),
        _("Due"),
        _("Paid"),
    ]

    def rows():
        for unit in units.iterator(chunk_size=500):
            unit.campaign = campaign
            yield (
                unit.floor,
                unit.label,
                unit.area_m2,
                unit.shown_name,
                unit.shown_phone,
                unit.get_consent_status_display(),
                unit.due,
                unit.paid_total,
            )

    return xlsx_download(filename="roll.xlsx", sheet_title=_("Roll"), headers=headers, rows=rows())
