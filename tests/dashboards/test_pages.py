"""The dashboard and year-end pages: who may read them (with the reason), what they show of
which streets, the exports read back, and a query count that does not grow with the data."""

import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dashboards import figures
from dashboards.figures import Places
from tests import factories as f
from tests.dashboards.conftest import add_request
from tests.funds.conftest import add_units, make_campaign

pytestmark = pytest.mark.django_db

REASON = "数据看板和年度总结数据仅供街道办"


def charts_of(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="dashboard-charts" type="application/json">') + len(
        '<script id="dashboard-charts" type="application/json">'
    )
    return {c["key"]: c for c in json.loads(html[start : html.index("</script>", start)])}


@pytest.mark.parametrize("persona", ["leo", "rita", "carl", "otto", "nobody"])
def test_residents_leaders_and_committees_are_refused_with_the_reason(world, as_user, persona):
    for name in ("dashboards:dashboard", "dashboards:year_end", "dashboards:year_end_xlsx"):
        response = as_user(getattr(world, persona)).get(reverse(name))
        assert response.status_code == 403
        assert REASON in response.content.decode()
    response = as_user(getattr(world, persona)).get(reverse("dashboards:export", args=["funnel"]))
    assert response.status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("dashboards:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_see_their_street_only_and_the_chart_data_matches_the_tables(year_world, as_user):
    w = year_world.w
    response = as_user(w.alice).get(reverse("dashboards:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "控江" not in html  # the other street: not its neighbourhoods, departments or streets
    charts = charts_of(response)
    places = Places(street_ids=(w.street.pk,), year=timezone.localdate().year)
    for make in figures.FIGURES:
        figure = make(places)
        chart = charts[figure.key]
        assert chart["categories"] == [str(row[0]) for row in figure.rows]
        assert f'data-figure="{figure.key}"' in html
        if figure.rows:
            assert f'data-chart="{figure.key}"' in html


def test_finance_approvers_read_the_dashboard_too(year_world, as_user):
    assert as_user(year_world.w.fay).get(reverse("dashboards:dashboard")).status_code == 200


def test_another_streets_neighbourhood_cannot_be_chosen(year_world, as_user):
    w = year_world.w
    response = as_user(w.alice).get(reverse("dashboards:dashboard"), {"neighbourhood": w.n_other.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "控江" not in html
    assert "请从列表中选择“居民区”。" in html  # the form says the choice is not one of the offered ones


def test_the_superuser_sees_both_streets_named(year_world, as_user):
    admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    charts = charts_of(as_user(admin).get(reverse("dashboards:dashboard")))
    categories = charts["funnel"]["categories"]
    assert f"{year_world.w.other_street.name} {year_world.w.n_other.name}" in categories
    assert f"{year_world.w.street.name} {year_world.w.n1.name}" in categories


def test_a_chart_export_is_its_table(year_world, as_user):
    w = year_world.w
    year = timezone.localdate().year
    response = as_user(w.alice).get(reverse("dashboards:export", args=["requests_category"]), {"year": year})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    figure = figures.requests_by_category(Places((w.street.pk,), year))
    assert rows[0] == [str(c) for c in figure.columns]
    assert rows[1:] == figure.rows
    assert as_user(w.alice).get(reverse("dashboards:export", args=["nothing"])).status_code == 404


def test_the_year_end_workbook_holds_every_figure(year_world, as_user):
    w = year_world.w
    year = timezone.localdate().year
    response = as_user(w.alice).get(reverse("dashboards:year_end_xlsx"), {"year": year, "street": w.street.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    places = Places((w.street.pk,), year)
    summary = {row[0]: row[1] for row in book[book.sheetnames[0]].iter_rows(min_row=4, values_only=True) if row[0]}
    assert summary == dict(figures.summary(places))
    assert summary["获评温馨楼组数"] == 2 and summary["已拨付楼组金额（元）"] == 2000
    made = figures.all_figures(places)
    assert len(book.sheetnames) == 1 + len(made)
    for sheet_name, figure in zip(book.sheetnames[1:], made, strict=True):
        rows = [list(r) for r in book[sheet_name].iter_rows(values_only=True)]
        assert rows[0] == [str(c) for c in figure.columns]
        body = rows[1 : 1 + len(figure.rows)]
        assert body == [[float(v) if hasattr(v, "as_tuple") else v for v in row] for row in figure.rows]
    # Run again on the same data: the same figures.
    again = load_workbook(io.BytesIO(as_user(w.alice).get(reverse("dashboards:year_end_xlsx"), {"year": year}).content))
    for name in book.sheetnames:
        assert list(book[name].iter_rows(values_only=True)) == list(again[name].iter_rows(values_only=True))


def test_the_year_end_page_prints_the_figures(year_world, as_user):
    w = year_world.w
    response = as_user(w.alice).get(reverse("dashboards:year_end"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{timezone.localdate().year} 年度工作总结数据" in html
    assert w.street.name in html and "控江" not in html
    assert html.count("<table") == len(figures.FIGURES)
    assert "data-print" in html


def test_query_counts_do_not_grow_with_the_data(year_world, as_user, count_queries):
    w = year_world.w
    client = as_user(w.alice)
    url = reverse("dashboards:dashboard")
    small = count_queries(client.get, url)
    small_report = count_queries(client.get, reverse("dashboards:year_end"))
    # More of everything: a neighbourhood, groups' requests, another campaign with a roll.
    nb = f.NeighbourhoodFactory(street=w.street, name="新居民区")
    dept = f.DepartmentFactory(street=w.street, name="城管中队")
    from consultations.models import Category

    for days in (1, 2, 40):
        add_request(w, category=Category.objects.filter(street=w.street).last(), department=dept, days_ago=days)
    group = f.BuildingGroupFactory(building__compound__neighbourhood=nb)
    add_units(make_campaign(w, building=group.building), 12)
    assert count_queries(client.get, url) == small
    assert count_queries(client.get, reverse("dashboards:year_end")) == small_report


def test_echarts_is_served_from_node_modules_as_one_file():
    from django.contrib.staticfiles import finders

    found = finders.find("echarts/echarts.min.js")
    assert found and found.endswith("node_modules/echarts/dist/echarts.min.js")
    # Not the whole dist folder (some 100 MB once collected): only the file the page loads.
    assert finders.find("echarts/echarts.js") is None
    listed = [
        path
        for finder in finders.get_finders()
        for path, storage in finder.list([])
        if getattr(storage, "prefix", None) == "echarts"
    ]
    assert listed == ["echarts.min.js"]
