"""The funds staff lists as .xlsx: the rows the page shows (same scope), Chinese headers,
read back with openpyxl."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.export import write_xlsx
from tests.funds.conftest import add_units, make_campaign
from tests.funds.test_acceptance import award_for

pytestmark = pytest.mark.django_db


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_awards_export_matches_the_list_and_its_scope(world, client):
    award = award_for(world)
    client.force_login(world.alice)
    assert reverse("funds:awards_export") in client.get(reverse("funds:awards")).content.decode()
    headers, rows = sheet(client.get(reverse("funds:awards_export")))
    assert headers[0] == "证书编号" and "已收文化建设基金（元）" in headers
    assert [r[0] for r in rows] == [award.certificate_number]
    assert rows[0][2] == "四平路街道" and rows[0][6] == float(award.culture_fund_amount)
    client.force_login(world.bob)  # the other street's staff
    assert sheet(client.get(reverse("funds:awards_export")))[1] == []


def test_checks_export_lists_the_recorded_checks(world, client):
    award = award_for(world)
    client.force_login(world.alice)
    headers, rows = sheet(client.get(reverse("funds:checks_export")))
    assert headers[-1] == "记录时间"
    assert [(r[0], r[3], r[4]) for r in rows] == [("四平路街道", award.application.title, 1)]
    client.force_login(world.bob)
    assert sheet(client.get(reverse("funds:checks_export")))[1] == []
    client.force_login(world.leo)
    assert client.get(reverse("funds:checks_export")).status_code == 403


def test_campaigns_export_matches_the_list(world, client):
    campaign = make_campaign(world)
    client.force_login(world.alice)
    headers, rows = sheet(client.get(reverse("funds:campaigns_export")))
    assert headers[:4] == ("街道", "居民区", "楼栋", "用途")
    assert [(r[3], r[4]) for r in rows] == [(campaign.purpose, 895000)]
    client.force_login(world.bob)
    assert sheet(client.get(reverse("funds:campaigns_export")))[1] == []


def test_write_xlsx_keeps_numbers_and_defuses_formulas():
    data = write_xlsx(["金额", "说明"], [(12.5, '=HYPERLINK("x")')], sheet_title="表")
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows == [("金额", "说明"), (12.5, '\'=HYPERLINK("x")')]


def test_budget_export_has_the_pages_figures_for_the_chosen_year(world, client):
    award = award_for(world)
    year = award.programme_year
    client.force_login(world.fay)  # the finance approver reads the budget
    page = client.get(reverse("funds:budget"), {"year": year.pk}).content.decode()
    assert reverse("funds:budget_export") in page
    headers, rows = sheet(client.get(reverse("funds:budget_export"), {"year": year.pk}))
    assert headers[1] == "居民区"
    by_name = {r[1]: r for r in rows}
    assert by_name["年度预算"][2] == float(year.annual_budget)
    assert by_name["剩余"][2] == float(year.annual_budget)  # nothing approved or paid yet
    assert set(by_name) >= {world.n1.name, world.n2.name, "合计"}


def test_the_roll_export_has_the_pages_filters_and_masks_every_owner(world, campaign, client):
    from funds.models import Unit

    units = add_units(campaign, 8)  # floors 1 and 2, four units each
    client.force_login(world.alice)
    floor = units[-1].floor
    page = client.get(reverse("funds:units", args=[campaign.pk]), {"floor": floor}).content.decode()
    assert reverse("funds:units_export", args=[campaign.pk]) in page
    headers, rows = sheet(client.get(reverse("funds:units_export", args=[campaign.pk]), {"floor": floor}))
    on_floor = list(Unit.objects.filter(campaign=campaign, floor=floor).order_by("label"))
    assert len(on_floor) == 4 and len(rows) == 4
    assert [r[1] for r in rows] == [u.label for u in on_floor]
    assert headers[3] == "业主"
    for row, unit in zip(rows, on_floor, strict=True):
        assert unit.owner_name not in row and row[3] == unit.shown_name
        assert not unit.owner_phone or unit.owner_phone not in row
    # Out of scope: not found.
    client.force_login(world.bob)
    assert client.get(reverse("funds:units_export", args=[campaign.pk])).status_code == 404
