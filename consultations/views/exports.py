"""The conference report as .xlsx: the page's figures, one row per line of its tables."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from common.export import xlsx_download
from common.permissions import require
from consultations.selectors import get_conference_for_user
from consultations.views.conferences import report_figures


@login_required
def conference_report_export(request, pk):
    require(request.user, "consultations.view_conferences")
    conference = get_conference_for_user(request.user, pk)
    figures = report_figures(conference)
    headers = [
        _("Table"),
        _("Conference, category or department"),
        _("Requests"),
        _("Resolved"),
        _("Still open"),
        _("Overdue"),
        _("Average days to resolve"),
        _("Longest days to resolve"),
    ]

    def line(table, name, row):
        return (
            table,
            name,
            row["total"],
            row["resolved"],
            row["still_open"],
            row["overdue"],
            row["avg_days"],
            row["max_days"],
        )

    rows = [line(_("Total"), conference.name, figures["summary"])]
    rows += [line(_("By category"), r["category__name"] or "—", r) for r in figures["by_category"]]
    rows += [line(_("By department"), r["department__name"] or "—", r) for r in figures["by_department"]]
    return xlsx_download(
        filename="conference-report.xlsx", sheet_title=_("Conference report"), headers=headers, rows=rows
    )
