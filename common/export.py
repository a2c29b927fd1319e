"""Staff lists export to Excel (.xlsx) through this one helper."""

import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BOLD = Font(bold=True)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "Sheet", out=None):
    """A one-sheet workbook written in openpyxl's write-only mode: a bold header row, then the rows.

    Rows are consumed one at a time and written straight out, so memory stays flat however
    many there are (pass an iterator, e.g. ``queryset.iterator()``); Decimals stay numbers.
    Writes into ``out`` (a binary file) when given, else returns the bytes.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(sheet_title)[:31])
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(str(header)) * 2 + 4)
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = BOLD
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = out if out is not None else io.BytesIO()
    workbook.save(buffer)
    if out is None:
        return buffer.getvalue()
    return None


def xlsx_response(*, filename: str, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """The workbook of ``write_xlsx`` as a download."""
    response = HttpResponse(write_xlsx(headers, rows, sheet_title=sheet_title), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# A text cell starting with one of these would be read by Excel as a formula (for example
# =HYPERLINK(...) typed into a request by a resident): keep it text with a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if _is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_aware(value) -> bool:
    return hasattr(value, "tzinfo") and hasattr(value, "hour") and value.tzinfo is not None


def xlsx_download(*, filename: str, headers: Sequence[str], rows: Iterable[Sequence], sheet_title: str) -> HttpResponse:
    """``write_xlsx`` as a download."""
    response = HttpResponse(write_xlsx(headers, rows, sheet_title=sheet_title), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
