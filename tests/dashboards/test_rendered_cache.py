"""The dashboard and year-end pages keep their filter bar and their rendered figures in the cache:
a second view renders neither again, and nothing of one reader, language, choice or state of
the place tree is ever shown for another."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from consultations.models import Category
from corridors.models import Department, ProgrammeYear, Role
from corridors.services.people import role_assign
from dashboards import cache as figure_cache
from tests.dashboards.conftest import add_request
from tests.dashboards.test_cache import FIGURE_TABLES, _queries
from tests.dashboards.test_pages import charts_of

pytestmark = pytest.mark.django_db

# Lists only the filter bar reads: a view served from the cache touches none of them.
FILTER_TABLES = ("corridors_neighbourhood", "corridors_programmeyear")


def options(html: str, name: str) -> list[str]:
    """The labels of the filter bar's ``name`` select, as offered."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]


def export_links(html: str) -> set[str]:
    return {unescape(link) for link in re.findall(r'href="(/dashboards/export/[^"]+)"', html)}


def _main(response) -> str:
    """The page's content (without the layout's per-request form tokens)."""
    html = re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _tables_read(sql: list[str], tables) -> list[str]:
    return [q for q in sql if any(f'"{table}"' in q for table in tables)]


def test_a_second_view_renders_nothing_again_and_shows_the_same_page(year_world, as_user):
    client = as_user(year_world.w.alice)
    for name in ("dashboards:dashboard", "dashboards:year_end"):
        first, first_sql = _queries(client, reverse(name))
        second, second_sql = _queries(client, reverse(name))
        assert _tables_read(first_sql, FILTER_TABLES)
        assert _tables_read(second_sql, FILTER_TABLES + FIGURE_TABLES) == [], name
        assert _main(first) == _main(second)


def test_every_chart_keeps_its_table_and_export_link(year_world, as_user):
    response = as_user(year_world.w.alice).get(reverse("dashboards:dashboard"))
    html = response.content.decode()
    for key in charts_of(response):
        assert re.search(rf'<table class="[^"]*figure-table"\s+data-figure="{key}">', html)
        assert f"/dashboards/export/{key}.xlsx?" in html
    # The tables are written without the template's indentation: a district's page was two thirds blanks.
    assert "\n        <tr>" not in html and "<tr><th" in html


def test_a_renamed_neighbourhood_shows_in_the_bar_and_the_figures_at_once(year_world, as_user):
    w = year_world.w
    client = as_user(w.alice)
    url = reverse("dashboards:dashboard")
    assert w.n1.name in options(client.get(url).content.decode(), "neighbourhood")
    w.n1.name = "和平新村居民区"
    w.n1.save(update_fields=["name"])
    response = client.get(url)
    assert "和平新村居民区" in options(response.content.decode(), "neighbourhood")
    assert "和平新村居民区" in charts_of(response)["funnel"]["categories"]
    year_end = client.get(reverse("dashboards:year_end")).content.decode()
    assert "和平新村居民区" in options(year_end, "neighbourhood")


def test_a_new_programme_year_is_offered_at_once(year_world, as_user):
    w = year_world.w
    client = as_user(w.alice)
    url = reverse("dashboards:dashboard")
    next_year = str(timezone.localdate().year + 1)
    assert next_year not in options(client.get(url).content.decode(), "year")
    this_year = ProgrammeYear.objects.get(street=w.street, year=timezone.localdate().year)
    ProgrammeYear.objects.create(
        street=w.street,
        year=int(next_year),
        window_opens=this_year.window_opens,
        window_closes=this_year.window_closes,
        annual_budget=this_year.annual_budget,
        renovation_cap=this_year.renovation_cap,
    )
    assert next_year in options(client.get(url).content.decode(), "year")
    # And it can be chosen: the bar's check of the year reads the new list too.
    html = client.get(url, {"year": next_year}).content.decode()
    assert re.search(rf'<option value="{next_year}" selected>', html)
    assert all(link.endswith(f"?year={next_year}") for link in export_links(html))


def test_readers_of_different_streets_never_share_a_bar(year_world, as_user):
    w = year_world.w
    url = reverse("dashboards:dashboard")
    bob_html = as_user(w.bob).get(url).content.decode()
    alice_html = as_user(w.alice).get(url).content.decode()
    assert options(bob_html, "street")[1:] == [w.other_street.name]
    assert options(alice_html, "street")[1:] == [w.street.name]
    assert w.n_other.name not in alice_html and w.n1.name not in bob_html


def test_a_street_given_to_a_reader_shows_at_once(year_world, as_user):
    w = year_world.w
    client = as_user(w.alice)
    url = reverse("dashboards:dashboard")
    assert w.other_street.name not in client.get(url).content.decode()
    role_assign(user=w.alice, role=Role.STREET_STAFF, street=w.other_street)
    html = client.get(url).content.decode()
    assert sorted(options(html, "street")[1:]) == sorted([w.street.name, w.other_street.name])
    assert w.n_other.name in options(html, "neighbourhood")


def test_a_refused_choice_keeps_its_message_and_shows_only_the_readers_streets(year_world, as_user):
    w = year_world.w
    client = as_user(w.alice)
    for _view in range(2):
        html = client.get(reverse("dashboards:dashboard"), {"neighbourhood": w.n_other.pk}).content.decode()
        assert "请从列表中选择“居民区”。" in html
        assert "控江" not in html


def test_each_choice_keeps_its_own_export_links(year_world, as_user):
    w = year_world.w
    client = as_user(w.alice)
    url = reverse("dashboards:dashboard")
    year = timezone.localdate().year
    everything = export_links(client.get(url).content.decode())
    one_street = export_links(client.get(url, {"year": year, "street": w.street.pk}).content.decode())
    # The same figures (alice has one street), but each page's links repeat its own choice.
    assert all(link.endswith(f"?year={year}") for link in everything)
    assert all(link.endswith(f"?year={year}&street={w.street.pk}") for link in one_street)


def test_the_bar_follows_the_readers_language(year_world, as_user):
    client = as_user(year_world.w.alice)
    url = reverse("dashboards:dashboard")
    assert "全部居民区" in options(client.get(url).content.decode(), "neighbourhood")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url).content.decode()
    assert "All neighbourhoods" in options(html, "neighbourhood")
    assert "全部居民区" not in html


def headline(html: str) -> dict[str, str]:
    found = re.search(r"<dl[^>]*data-headline>(.*?)</dl>", html, re.S).group(1)
    return dict(re.findall(r"<dt[^>]*>(.*?)</dt><dd[^>]*>(.*?)</dd>", found, re.S))


def test_a_new_request_changes_the_year_end_page_at_once(year_world, as_user):
    w = year_world.w
    client = as_user(w.alice)
    url = reverse("dashboards:year_end")
    before = int(headline(client.get(url).content.decode())["受理诉求数"])
    generation = figure_cache.generation()
    add_request(
        w,
        category=Category.objects.filter(street=w.street).first(),
        department=Department.objects.filter(street=w.street).first(),
        days_ago=1,
    )
    assert figure_cache.generation() > generation
    after, sql = _queries(client, url)
    assert _tables_read(sql, FIGURE_TABLES)  # computed again
    assert int(headline(after.content.decode())["受理诉求数"]) == before + 1
