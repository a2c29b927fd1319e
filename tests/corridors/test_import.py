"""Importing a neighbourhood's buildings and groups from .xlsx or .csv."""

import contextlib
import gc
import io
import threading
import zipfile
from types import SimpleNamespace

import psutil
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from corridors.imports import MAX_ROWS, import_places
from corridors.models import Building, BuildingGroup, Compound

HEADERS = ["小区", "楼栋", "楼层数", "总户数", "电梯数", "建成年份", "楼组", "楼组户数"]
GOOD_ROWS = [
    ["和平花园", "D座", 18, 72, 2, 1998, "1号门", 36],
    ["和平花园", "D座", 18, 72, 2, 1998, "2号门", 36],
    ["和平花园", "12号", 6, 24, 0, 1985, "全楼", 24],
    ["抚顺新村", "3号", 6, 30, None, None, "1单元", 15],
]


def xlsx(rows, headers=HEADERS, name="places.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows, headers=HEADERS, encoding="utf-8-sig", name="places.csv"):
    lines = [",".join(headers)] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(encoding))


def places_of(neighbourhood):
    return (
        Compound.objects.filter(neighbourhood=neighbourhood).count(),
        Building.objects.filter(compound__neighbourhood=neighbourhood).count(),
        BuildingGroup.objects.filter(building__compound__neighbourhood=neighbourhood).count(),
    )


def test_xlsx_happy_path(world):
    before = places_of(world.n1)
    result = import_places(neighbourhood=world.n1, file=xlsx(GOOD_ROWS))
    assert result.ok, result.errors
    assert (result.compounds_created, result.buildings_created, result.groups_created) == (2, 3, 4)
    assert places_of(world.n1) == (before[0] + 2, before[1] + 3, before[2] + 4)
    d = Building.objects.get(compound__neighbourhood=world.n1, compound__name="和平花园", name="D座")
    assert (d.floors, d.households, d.elevators, d.year_built) == (18, 72, 2, 1998)
    assert sorted(d.groups.values_list("name", flat=True)) == ["1号门", "2号门"]
    three = Building.objects.get(compound__name="抚顺新村", name="3号")
    assert (three.elevators, three.year_built) == (0, None)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_happy_path(world, encoding):
    result = import_places(neighbourhood=world.n1, file=csv_file(GOOD_ROWS, encoding=encoding))
    assert result.ok, result.errors
    assert result.groups_created == 4
    assert Compound.objects.filter(neighbourhood=world.n1, name="抚顺新村").exists()


def test_english_headers_are_accepted(world):
    headers = [
        "Compound",
        "Building",
        "Floors",
        "Building households",
        "Elevators",
        "Year built",
        "Group",
        "Group households",
    ]
    result = import_places(neighbourhood=world.n1, file=csv_file(GOOD_ROWS, headers=headers))
    assert result.ok, result.errors


def test_existing_compound_and_building_are_reused(world):
    building = world.g1.building  # 6 floors, 24 households, 0 elevators, 1980; g1 has 12
    row = [building.compound.name, building.name, 6, 24, 0, 1980, "2单元", 12]
    result = import_places(neighbourhood=world.n1, file=xlsx([row]))
    assert result.ok, result.errors
    assert (result.compounds_created, result.buildings_created, result.groups_created) == (0, 0, 1)
    assert building.groups.count() == 2


def test_reimport_changes_nothing(world):
    import_places(neighbourhood=world.n1, file=xlsx(GOOD_ROWS))
    before = places_of(world.n1)
    result = import_places(neighbourhood=world.n1, file=xlsx(GOOD_ROWS))
    assert result.ok, result.errors
    assert (result.groups_created, result.groups_present) == (0, 4)
    assert places_of(world.n1) == before


def test_one_bad_row_imports_nothing_and_reports_line_numbers(world):
    before = places_of(world.n1)
    rows = [
        GOOD_ROWS[0],
        ["和平花园", "D座", 18, 72, 2, 1998, "2号门", "三十"],  # line 3: not a number
        GOOD_ROWS[2],
        ["和平花园", "", 6, 24, 0, 1985, "1号门", 10],  # line 5: building missing
        GOOD_ROWS[0],  # line 6: duplicate of line 2
        ["和平花园", "D座", 17, 72, 2, 1998, "3号门", 10],  # line 7: building figures differ
        ["抚顺新村", "9号", 6, 20, 0, 1990, "1单元", 21],  # line 8: more than the building
    ]
    result = import_places(neighbourhood=world.n1, file=xlsx(rows))
    assert not result.ok
    assert [e.line for e in result.errors] == [3, 5, 6, 7, 8]
    assert "2" in result.errors[2].message  # names the earlier line
    assert places_of(world.n1) == before


def test_errors_against_the_database_import_nothing(world):
    building = world.g1.building
    rows = [
        ["新小区", "1号", 6, 24, 0, 1990, "1单元", 12],
        [building.compound.name, building.name, 7, 24, 0, 1980, "9单元", 1],  # figures differ from the database
    ]
    result = import_places(neighbourhood=world.n1, file=csv_file(rows))
    assert [e.line for e in result.errors] == [3]
    assert not Compound.objects.filter(name="新小区").exists()


def test_garbage_named_xlsx_gives_a_message(world, as_user):
    garbage = SimpleUploadedFile("places.xlsx", b"\x00\x01not a workbook at all" * 50)
    result = import_places(neighbourhood=world.n1, file=garbage)
    assert not result.ok and result.errors[0].message
    response = as_user(world.alice).post(
        reverse("places:import", args=[world.n1.pk]),
        {"file": SimpleUploadedFile("places.xlsx", b"PK\x03\x04garbage" * 100)},
    )
    assert response.status_code == 200
    assert response.context["result"].errors


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("places.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        SimpleUploadedFile("places.pdf", b"%PDF-1.4"),
        SimpleUploadedFile("places.xls", b"\xd0\xcf\x11\xe0"),
        SimpleUploadedFile("places.csv", b"\xef\xbb\xbf"),
        SimpleUploadedFile("places.csv", "小区,楼栋,楼层数,总户数,楼组,楼组户数\r\n".encode()),
    ],
    ids=["png-as-csv", "pdf", "old-xls", "only-bom", "header-only"],
)
def test_unreadable_or_empty_files_give_a_message(world, upload):
    result = import_places(neighbourhood=world.n1, file=upload)
    assert not result.ok
    assert result.errors[0].message


def test_missing_and_unknown_headers_are_reported(world):
    headers = ["小区", "楼栋", "楼层", "总户数", "楼组", "楼组户数"]
    result = import_places(neighbourhood=world.n1, file=csv_file([["a", "b", 1, 2, "c", 1]], headers=headers))
    assert [e.line for e in result.errors] == [1]
    assert "楼层" in result.errors[0].message


def test_too_many_rows(world):
    rows = [["和平花园", f"{i}号", 6, 24, 0, 1985, "全楼", 24] for i in range(MAX_ROWS + 1)]
    result = import_places(neighbourhood=world.n1, file=csv_file(rows))
    assert not result.ok
    assert str(MAX_ROWS) in result.errors[-1].message
    assert not Compound.objects.filter(name="和平花园").exists()


def test_import_page_success_message(world, as_user):
    response = as_user(world.alice).post(
        reverse("places:import", args=[world.n1.pk]), {"file": xlsx(GOOD_ROWS)}, follow=True
    )
    assert response.status_code == 200
    assert any("4" in str(m) for m in response.context["messages"])


def test_import_page_lists_errors(world, as_user):
    rows = [GOOD_ROWS[0], ["和平花园", "D座", 18, 72, 2, 1998, "2号门", ""]]
    response = as_user(world.alice).post(reverse("places:import", args=[world.n1.pk]), {"file": xlsx(rows)})
    assert response.status_code == 200
    assert [e.line for e in response.context["result"].errors] == [3]
    assert not Compound.objects.filter(name="和平花园").exists()


def test_import_page_needs_change_permission(world, as_user):
    url = reverse("places:import", args=[world.n1.pk])
    assert as_user(world.carl).post(url, {"file": xlsx(GOOD_ROWS)}).status_code == 403
    assert as_user(world.bob).post(url, {"file": xlsx(GOOD_ROWS)}).status_code == 404
    assert not Compound.objects.filter(name="和平花园").exists()


def test_template_download_has_the_headers(world, as_user):
    response = as_user(world.alice).get(reverse("places:import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert list(next(sheet.iter_rows(values_only=True))) == HEADERS


def test_numbers_as_people_type_them(world):
    text = (
        "小区,楼栋,楼层数,总户数,楼组,楼组户数\n"
        '和平花园,D座,6.0,"1,200",1号门,１２\n'  # a float, thousands separator, full-width digits
        "和平花园,E座,1e99999999,24,1号门,12\n"
    )
    result = import_places(neighbourhood=world.n1, file=SimpleUploadedFile("places.csv", text.encode()))
    assert [e.line for e in result.errors] == [3]
    text = text.rsplit("\n", 2)[0] + "\n"
    result = import_places(neighbourhood=world.n1, file=SimpleUploadedFile("places.csv", text.encode()))
    assert result.ok, result.errors
    assert BuildingGroup.objects.get(name="1号门", building__name="D座").households == 12
    assert Building.objects.get(name="D座").households == 1200


def test_csv_line_numbers_count_quoted_line_breaks(world):
    text = '小区;楼栋;楼层数;总户数;楼组;楼组户数\r\n"和平\r\n花园";D座;6;24;1门;12\r\n和平;D座;6;24;1门;x\r\n'
    result = import_places(neighbourhood=world.n1, file=SimpleUploadedFile("places.csv", text.encode("gb18030")))
    assert [e.line for e in result.errors] == [4]


# --- Hostile workbooks: refused cheaply, in Chinese, quoting at most a few characters ------------


@contextlib.contextmanager
def rss_growth():
    """The most this process's resident memory grew above its level on entry, sampled while the block runs."""
    process = psutil.Process()
    gc.collect()
    baseline = process.memory_info().rss
    measured = SimpleNamespace(growth=0)
    peak = [baseline]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            done.wait(0.002)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        yield measured
    finally:
        done.set()
        sampler.join()
        measured.growth = max(peak[0], process.memory_info().rss) - baseline


MB = 1024 * 1024
# 600 characters, longer than any cell an import reads; 16,384 of them unpack to about 18 MB,
# under the unpacked-size limit, so it is the width (and the cell length) that must be refused.
LONG_TEXT = "楼道公约 rule " * 60


def sixteen_thousand_columns_of_long_cells():
    """Excel's widest sheet (16,384 columns), every cell 600 characters, under the header row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    sheet.append([f"{LONG_TEXT}{column}" for column in range(16_384)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("places.xlsx", buffer.getvalue())


def workbook_unpacking_to(size: int):
    """A real workbook with a shared-strings part that unpacks to ``size`` bytes of cells.

    openpyxl loads that part whole when it opens a workbook, so a reader without an
    unpacked-size limit would hold all of it in memory.
    """
    template = io.BytesIO(xlsx(GOOD_ROWS).read())
    strings = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    relationship = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    added = {
        "[Content_Types].xml": (b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{strings}"/>'),
        "xl/_rels/workbook.xml.rels": (
            b"</Relationships>",
            f'<Relationship Id="rIdStrings" Type="{relationship}" Target="sharedStrings.xml"/>',
        ),
    }
    entry = b"<si><t>" + ("楼" * 300).encode() + b"</t></si>"
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename in added:
                end, element = added[info.filename]
                data = data.replace(end, element.encode() + end)
            target.writestr(info, data)
        with target.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = entry * (MB // len(entry))
            for _ in range(size // len(chunk)):
                part.write(chunk)
            part.write(b"</sst>")
    return SimpleUploadedFile("places.xlsx", out.getvalue())


def _assert_refused_in_chinese(result, *, says):
    assert not result.ok
    assert places_of_nothing_written()
    message = result.errors[0].message
    assert says in message, message
    # Never the file's contents, beyond the first few characters of one cell.
    assert "楼" * 13 not in message and "楼道公约 rule 楼道公约" not in message, message
    assert len(message) < 150, message


def places_of_nothing_written():
    return not Compound.objects.filter(name="和平花园").exists()


def test_a_sixteen_thousand_column_workbook_of_long_cells_is_refused_cheaply(world):
    upload = sixteen_thousand_columns_of_long_cells()
    with rss_growth() as memory:
        result = import_places(neighbourhood=world.n1, file=upload)
    # Refused before its cells are read: for its width (line 2), or, as openpyxl writes it
    # with lxml (larger XML), already for its unpacked size; either way in Chinese, cheaply.
    message = result.errors[0].message if result.errors else ""
    if "解压" in message:
        _assert_refused_in_chinese(result, says="解压")
    else:
        _assert_refused_in_chinese(result, says="列")
        assert result.errors[0].line == 2
    assert memory.growth < 200 * MB, f"{memory.growth / MB:.0f} MB"


def test_a_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused_before_it_is_read(world):
    upload = workbook_unpacking_to(400 * MB)
    assert upload.size < 5 * MB  # small on the wire: only its unpacked size gives it away
    with rss_growth() as memory:
        result = import_places(neighbourhood=world.n1, file=upload)
    _assert_refused_in_chinese(result, says="解压")
    assert memory.growth < 200 * MB, f"{memory.growth / MB:.0f} MB"


def test_an_over_long_cell_is_refused_quoting_only_its_first_characters(world):
    rows = [GOOD_ROWS[0], ["和平花园", "楼" * 100_000, 18, 72, 2, 1998, "2号门", 36]]
    result = import_places(neighbourhood=world.n1, file=xlsx(rows))
    _assert_refused_in_chinese(result, says="字符")
    assert result.errors[0].line == 3
    assert "“" + "楼" * 12 + "…”" in result.errors[0].message
