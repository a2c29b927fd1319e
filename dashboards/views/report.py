"""The year-end report (年度工作总结数据): one printable A4 page and one .xlsx with every figure.

Per street (a street chosen) or per district (every street the reader may see); the same
figures as the dashboard, computed from the data for the chosen year, so running it again on
the same data gives the same numbers. The page is read from the cache (``dashboards.cache``):
its filter bar and its rendered figures.
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
from dashboards.cache import chosen_filters, figures_for, report_for, year_end_body
from dashboards.figures import scope_label


@login_required
def year_end(request):
    require(request.user, "dashboards.view")
    chosen = chosen_filters(request.user, request.GET)
    body = year_end_body(chosen.places, chosen.query)
    return render(
        request,
        "dashboards/year_end.html",
        {
            "filters_html": chosen.html,
            "filters_summary": chosen.summary,
            "places": chosen.places,
            "query": chosen.query,
            "body": body.value,
        },
    )


@login_required
def year_end_xlsx(request):
    require(request.user, "dashboards.view")
    places = chosen_filters(request.user, request.GET).places
    figures, report = figures_for(places), report_for(places)
    headline, streets = report.value
    computed_at = min(figures.computed_at, report.computed_at)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Summary")
    sheet.append([_("Year-end figures %(year)s") % {"year": places.year}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Streets"), scope_label(places, streets)])
    sheet.append([_("Figures computed at"), _cell(computed_at)])
    sheet.append([])
    for label, value in headline:
        sheet.append([label, value])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 40
    for number, figure in enumerate(figures.value, start=1):
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
