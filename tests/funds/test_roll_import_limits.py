"""A roll file that is too large is refused before a byte of it is read; a damaged one gets a
sentence in Chinese; either way nothing is imported."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common import spreadsheets
from funds.services import units as unit_services

BIG = 12_600_000  # the 12.6 MB CSV that used to be parsed before it was refused


def test_an_oversized_roll_is_refused_without_being_parsed(world, campaign, as_user, monkeypatch):
    parsed = []
    for name in ("_read_csv", "_read_xlsx"):
        monkeypatch.setattr(spreadsheets, name, lambda *args, name=name: parsed.append(name))
    monkeypatch.setattr(unit_services, "_parse_roll", lambda *args: parsed.append("_parse_roll"))
    data = b"unit,floor,area,owner name\n" + b"101,1,100.00,Zhang\n" * (BIG // 19)
    assert len(data) > BIG
    response = as_user(world.alice).post(
        reverse("funds:import", args=[campaign.pk]), {"file": SimpleUploadedFile("roll.csv", data, "text/csv")}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "data-import-problems" in body
    assert "文件过大（最大 2.0\xa0MB）。" in body, body[body.find("data-import-problems") :][:600]
    assert parsed == []
    assert campaign.units.count() == 0


def test_the_size_is_checked_before_the_file_is_read(world, campaign):
    class Unreadable:
        name, size = "roll.csv", BIG

        def seek(self, *args):
            raise AssertionError("an oversized file must not be touched")

        read = seek

    try:
        unit_services.units_import(campaign=campaign, actor=world.alice, file=Unreadable())
    except unit_services.ImportRejected as rejected:
        assert rejected.problems[0].line == 0
    else:
        raise AssertionError("an oversized roll was imported")


def test_a_malformed_roll_is_explained_in_chinese(world, campaign, as_user):
    client = as_user(world.alice)
    url = reverse("funds:import", args=[campaign.pk])
    cases = [
        (
            "roll.xlsx",
            b"PK\x03\x04 not really a workbook",
            "该文件不是可读取的 Excel 工作簿（.xlsx），请重新另存为 .xlsx。",
        ),
        ("roll.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", ".xls"),
        ("roll.csv", b"unit,floor\x00,area\n", "不是"),
    ]
    for name, data, message in cases:
        body = client.post(url, {"file": SimpleUploadedFile(name, data)}).content.decode()
        assert "data-import-problems" in body and message in body, (name, body[:2000])
        assert "Nothing was imported" not in body  # the page speaks Chinese
    assert campaign.units.count() == 0
