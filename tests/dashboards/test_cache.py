"""The dashboards' figures come from the shared cache: a second view computes nothing, a change
to what a figure counts shows at once, and readers of different streets never share an entry."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Category
from corridors.models import Application, Department, Oversight, Street
from dashboards import cache as figure_cache
from dashboards import figures
from dashboards.figures import Places
from tests import factories as f
from tests.dashboards.conftest import add_request
from tests.dashboards.test_pages import charts_of

pytestmark = pytest.mark.django_db

# Tables only the figures read: a view served from the cache touches none of them.
FIGURE_TABLES = (
    "corridors_application",
    "corridors_applicationtransition",
    "funds_award",
    "funds_payout",
    "funds_unit",
    "funds_campaign",
    "consultations_consultationrequest",
    "consultations_requestevent",
)
# A view from the cache: the user only (the session and the reader's scope come from the cache
# too); the permission comes from that scope, the unread count from the cache, and the filter
# bar and the figures come rendered.
CACHED_DASHBOARD_QUERIES = 1


def _queries(client, url, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return response, [q["sql"] for q in ctx.captured_queries]


def _figure_queries(sql):
    return [q for q in sql if any(f'"{table}"' in q for table in FIGURE_TABLES)]


def test_a_second_view_reads_the_figures_from_the_cache(year_world, as_user):
    client = as_user(year_world.w.alice)
    url = reverse("dashboards:dashboard")
    first, first_sql = _queries(client, url)
    second, second_sql = _queries(client, url)
    assert _figure_queries(first_sql)
    assert _figure_queries(second_sql) == []
    assert len(second_sql) == CACHED_DASHBOARD_QUERIES < len(first_sql), "\n".join(second_sql)
    assert charts_of(second) == charts_of(first)
    # The year-end report shares the figures and keeps its own headline.
    _queries(client, reverse("dashboards:year_end"))
    report, report_sql = _queries(client, reverse("dashboards:year_end"))
    assert _figure_queries(report_sql) == []
    assert "数据更新于" in report.content.decode()


def test_the_page_says_when_its_figures_were_computed(year_world, as_user):
    response = as_user(year_world.w.alice).get(reverse("dashboards:dashboard"))
    today = timezone.localdate()
    assert f"数据更新于 {today.year}年{today.month}月{today.day}日" in response.content.decode()


def test_a_new_request_shows_at_once(year_world, as_user):
    w = year_world.w
    client = as_user(w.alice)
    url = reverse("dashboards:dashboard")
    before = charts_of(client.get(url))["requests_category"]
    category = Category.objects.filter(street=w.street).first()
    add_request(w, category=category, department=Department.objects.filter(street=w.street).first(), days_ago=1)
    after = charts_of(client.get(url))["requests_category"]
    assert after != before
    places = Places((w.street.pk,), timezone.localdate().year)
    figure = figures.requests_by_category(places)
    assert after["categories"] == [str(row[0]) for row in figure.rows]
    assert [s["data"] for s in after["series"]] == [
        [figures._number(row[i]) for row in figure.rows] for i in (figure.series or range(1, len(figure.columns)))
    ]


def test_an_application_change_shows_at_once(year_world, as_user):
    w = year_world.w
    client = as_user(w.alice)
    url = reverse("dashboards:dashboard")
    generation = figure_cache.generation()
    before = charts_of(client.get(url))["funnel"]
    application = Application.objects.filter(group__building__compound__neighbourhood__street=w.street).first()
    application.title = application.title + "（改）"
    application.save(update_fields=["title"])
    assert figure_cache.generation() > generation
    _response, sql = _queries(client, url)
    assert _figure_queries(sql)  # computed again
    assert charts_of(client.get(url))["funnel"] == before  # a title changes no number


def test_readers_of_different_streets_never_share_an_entry(year_world, as_user):
    w = year_world.w
    alice = charts_of(as_user(w.alice).get(reverse("dashboards:dashboard")))
    bob = charts_of(as_user(w.bob).get(reverse("dashboards:dashboard")))
    ours, theirs = w.n1.name, w.n_other.name  # one street: its neighbourhoods, unprefixed
    assert ours in alice["funnel"]["categories"] and theirs not in alice["funnel"]["categories"]
    assert theirs in bob["funnel"]["categories"] and ours not in bob["funnel"]["categories"]
    year = timezone.localdate().year
    assert figure_cache._key("figures", Places((w.street.pk,), year)) != figure_cache._key(
        "figures", Places((w.other_street.pk,), year)
    )


def test_the_district_user_and_the_street_staff_get_their_own_figures(year_world, as_user):
    w = year_world.w
    dora = f.UserFactory(username="dora")
    Oversight.objects.create(user=dora, district=w.street.district)
    street_view = charts_of(as_user(w.alice).get(reverse("dashboards:dashboard")))
    district_view = charts_of(as_user(dora).get(reverse("dashboards:dashboard")))
    district = tuple(Street.objects.filter(district=w.street.district).order_by("pk").values_list("pk", flat=True))
    assert len(district) > 1
    year = timezone.localdate().year
    for view, street_ids in ((district_view, district), (street_view, (w.street.pk,))):
        for make in figures.FIGURES:
            expected = make(Places(street_ids, year))
            assert view[expected.key] == expected.chart(), expected.key
