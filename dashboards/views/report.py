"""The year-end report (年度工作总结数据): one printable A4 page and one .xlsx with every figure.

Per street (a street chosen) or per district (every street the reader may see); the same
figures as the dashboard, computed from the data for the chosen year, so running it again on
the same data gives the same numbers.
"""

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from common.export import XLSX_TYPE, _cell
from common.permissions import require
from dashboards.cache import figures_for, report_for
from dashboards.forms.filters import FigureFilters


def _report(request):
    require(request.user, "dashboards.view")
    filters = FigureFilters(request.user, request.GET or None)
    places = filters.places()
    figures, report = figures_for(places), report_for(places)
    headline, streets = report.value
    computed_at = min(figures.computed_at, report.computed_at)
    return filters, places, headline, figures.value, streets, computed_at


def _scope_label(places, streets) -> str:
    if places.neighbourhood_id is not None:
        return _("One neighbourhood of %(street)s") % {"street": "、".join(streets)}
    return "、".join(streets)


@login_required
def year_end(request):
    filters, places, headline, figures, streets, computed_at = _report(request)
    return render(
        request,
        "dashboards/year_end.html",
        {
            "filters": filters,
            "places": places,
            "headline": headline,
            "figures": figures,
            "scope": _scope_label(places, streets),
            "query": filters.query(),
            "computed_at": computed_at,
        },
    )


@login_required
def year_end_xlsx(request):
    _filters, places, headline, figures, streets, computed_at = _report(request)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Summary")
    sheet.append([_("Year-end figures %(year)s") % {"year": places.year}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Streets"), _scope_label(places, streets)])
    sheet.append([_("Figures computed at"), _cell(computed_at)])
    sheet.append([])
    for label, value in headline:
        sheet.append([label, value])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 40
    for number, figure in enumerate(figures, start=1):
        page = workbook.create_sheet(f"{number} {figure.title}"[:31].replace("/", "-"))
        page.append([str(c) for c in figure.columns])
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in figure.rows:
            page.append([_cell(v) for v in row])
        if figure.note:
            page.append([])
            page.append([figure.note])
        for index, header in enumerate(figure.columns, start=1):
            page.column_dimensions[get_column_letter(index)].width = max(12, len(str(header)) * 2 + 4)
        page.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="year-end-{places.year}.xlsx"'
    return response
