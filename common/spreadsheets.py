"""The one spreadsheet reader every import uses (.xlsx or CSV), bounded before it parses.

A hostile or broken file must cost little and change nothing: the size of the upload, the
unpacked size of a workbook's parts (a 361 KB workbook can unpack to hundreds of MB of
cells), the number of rows and columns and the length of a cell are all checked before or
while reading, and every refusal is a ``SpreadsheetError`` whose message is a sentence in
the reader's language quoting at most a few characters of what was wrong. Importers turn
the rows into their own records and report their own row errors.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class SheetLimits:
    max_bytes: int = 5 * 1024 * 1024
    # The XML inside an .xlsx, all parts together, once unpacked.
    max_unpacked_bytes: int = 25 * 1024 * 1024
    max_rows: int = 2000
    max_columns: int = 40
    max_cell_chars: int = 500
    # A sheet formatted down to row 1,048,576 is read lazily; stop after this many blank rows.
    max_blank_run: int = 200


class SpreadsheetError(Exception):
    """The file cannot be read as a spreadsheet within the limits; ``message`` says why."""

    def __init__(self, message, line: int | None = None):
        super().__init__(str(message))
        self.message, self.line = str(message), line


def quote(value, limit: int = 12) -> str:
    """At most ``limit`` characters of a cell, for an error message: “前十二个字…”."""
    text = "" if value is None else str(value)
    text = re.sub(r"\s+", " ", text).strip()
    return "“" + (text[:limit] + "…" if len(text) > limit else text) + "”"


def cell_text(value) -> str:
    """A cell as the text a person typed (numbers without a spurious .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        # openpyxl gives floats for numeric cells; repr keeps the typed digits (102.35, not 102.3499…).
        return repr(value)
    return str(value).strip()


def is_blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_rows(file, *, limits: SheetLimits = SheetLimits()) -> list[tuple[int, list]]:
    """``(line number, [cell values])`` of the first sheet or the CSV text, trailing blank rows dropped.

    ``file`` is an uploaded file (anything with ``read``, ``seek``, ``name`` and maybe ``size``).
    Raises ``SpreadsheetError``; never anything else for a bad file.
    """
    name = (getattr(file, "name", "") or "").lower()
    size = getattr(file, "size", None)
    too_large = SpreadsheetError(
        _("The file is too large (at most %(limit)s).") % {"limit": filesizeformat(limits.max_bytes)}
    )
    if size is not None and size > limits.max_bytes:
        raise too_large
    file.seek(0)
    data = file.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise too_large
    if not data:
        raise SpreadsheetError(_("The file is empty."))
    if data[:4] == XLSX_MAGIC or name.endswith(".xlsx"):
        rows = _read_xlsx(data, limits)
    elif name.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SpreadsheetError(_("Old Excel files (.xls) cannot be read; save the file as .xlsx or .csv first."))
    elif name.endswith((".csv", ".txt")):
        rows = _read_csv(data, limits)
    else:
        raise SpreadsheetError(_("Please upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    return _bounded(rows, limits)


def _bounded(rows: Iterator[tuple[int, list]], limits: SheetLimits) -> list[tuple[int, list]]:
    kept: list[tuple[int, list]] = []
    blank_run = 0
    data_rows = 0
    for line, values in rows:
        if len(values) > limits.max_columns:
            # Trailing empty cells are formatting, not columns.
            while values and (values[-1] is None or values[-1] == ""):
                values = values[:-1]
            if len(values) > limits.max_columns:
                raise SpreadsheetError(
                    _("Line %(line)s has %(count)s columns; at most %(limit)s are read.")
                    % {"line": line, "count": len(values), "limit": limits.max_columns},
                    line,
                )
        for value in values:
            if isinstance(value, str) and len(value) > limits.max_cell_chars:
                raise SpreadsheetError(
                    _("A cell on line %(line)s is %(count)s characters long (at most %(limit)s): %(start)s")
                    % {"line": line, "count": len(value), "limit": limits.max_cell_chars, "start": quote(value)},
                    line,
                )
        if is_blank(values):
            blank_run += 1
            if blank_run > limits.max_blank_run:
                break
            kept.append((line, values))
            continue
        blank_run = 0
        data_rows += 1
        # The header row plus at most ``max_rows`` rows of data.
        if data_rows > limits.max_rows + 1:
            raise SpreadsheetError(
                _("The file has more than %(limit)s rows; split it into smaller files.") % {"limit": limits.max_rows}
            )
        kept.append((line, values))
    while kept and is_blank(kept[-1][1]):
        kept.pop()
    return kept


def _read_xlsx(data: bytes, limits: SheetLimits) -> Iterator[tuple[int, list]]:
    not_xlsx = SpreadsheetError(
        _("This file is not an Excel workbook (.xlsx) that can be read. Save it again as .xlsx.")
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise not_xlsx from error
    # Checked before openpyxl reads a byte: its shared-strings table is loaded whole.
    if unpacked > limits.max_unpacked_bytes:
        raise SpreadsheetError(
            _("This workbook unpacks to %(size)s, more than the %(limit)s an import may hold.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(limits.max_unpacked_bytes)}
        )
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook: never a 500
        raise not_xlsx from error
    return _xlsx_rows(workbook, not_xlsx, limits)


def _xlsx_rows(workbook, not_xlsx: SpreadsheetError, limits: SheetLimits) -> Iterator[tuple[int, list]]:
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        # One column more than allowed, so a wider row is seen and refused without keeping it all.
        for number, values in enumerate(sheet.iter_rows(max_col=limits.max_columns + 1, values_only=True), start=1):
            yield number, list(values)
    except SpreadsheetError:
        raise
    except Exception as error:  # a damaged sheet inside a valid zip
        raise not_xlsx from error
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data and not utf16:
        raise SpreadsheetError(_("This file is not a spreadsheet: save it as .xlsx or as CSV text."))
    # Chinese Excel saves "CSV" in GB18030 (GBK); newer versions in UTF-8 with a BOM;
    # "Unicode text" is UTF-16 with tabs.
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise SpreadsheetError(_("This file is not a spreadsheet: save it as .xlsx or as CSV text."))
        return text
    raise SpreadsheetError(_("The text of this CSV file could not be read; save it as “CSV UTF-8”."))


def _read_csv(data: bytes, limits: SheetLimits) -> Iterator[tuple[int, list]]:
    text = _decode(data)
    first_line = text.lstrip().split("\n", 1)[0]
    # Excel writes commas; "Unicode text" and some locales write tabs or semicolons.
    delimiter = ","
    if "," not in first_line:
        delimiter = next((d for d in "\t;" if d in first_line), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for values in reader:
            yield start, values
            start = reader.line_num + 1
    except csv.Error as error:
        raise SpreadsheetError(
            _("This CSV file is malformed near line %(line)s.") % {"line": reader.line_num}, reader.line_num
        ) from error
