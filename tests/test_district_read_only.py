"""District (区) and city (市) users read their streets and change nothing, across the site.

dora oversees the world's district (both streets); she sees both streets' figures in stall
consultations and the funds, filters them by street and year (the exports have the rows on
screen), and every write she tries, with real objects and plausible data, is a 403 that says
why and changes nothing. The server refuses it (``corridors.readonly``), not the page: every
POST URL of the site refuses her, whatever its arguments.
"""

import io

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from openpyxl import load_workbook

from corridors.readonly import OWN_ACCOUNT_URLS
from tests import factories as f
from tests.consultations import conftest as consultations_conftest
from tests.consultations import test_object_scope as consultations_scope
from tests.funds import test_object_scope as funds_scope
from tests.funds.conftest import make_campaign

pytestmark = pytest.mark.django_db

scene = consultations_scope.scene
cw = consultations_conftest.cw
ours = funds_scope.ours

REASON = "区级和市级用户只查看所辖街道的页面和导出，不在其中做任何修改。"
# Plausible data for every form, so a refusal is not merely a form error.
FORM_DATA = {
    "name": "区里改的",
    "title": "区里改的",
    "reason": "区里",
    "amount": "1",
    "purpose": "区里看看",
    "status": "agree",
    "kind": "culture",
    "action": "district",
    "district-name": "区里建的",
    "households": "1",
}


def _snapshot():
    """Every row of the three apps' tables (the test world is small)."""
    rows = {}
    for label in ("corridors", "funds", "consultations"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return rows


def _rows(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [" ".join(str(v) for v in row if v is not None) for row in sheet.iter_rows(values_only=True)][1:]


def test_a_district_user_sees_both_streets_and_filters_them(world, scene, ours, client):
    make_campaign(world, building=world.g_other.building, purpose="控江的电梯", created_by=world.bob)
    client.force_login(scene.people["dora"])
    overview = client.get(reverse("consultations:overview")).content.decode()
    assert all(m in overview for m in ("甲-丽塔诉求", "乙-绿化诉求", "丙-控江诉求"))
    # One street chosen: the page and its export have that street's requests only.
    other = {"street": world.other_street.pk}
    page = client.get(reverse("consultations:overview"), other).content.decode()
    assert "丙-控江诉求" in page and "甲-丽塔诉求" not in page
    rows = _rows(client.get(reverse("consultations:overview_export"), other))
    assert len(rows) == 1 and "丙-控江诉求" in rows[0]
    conferences = client.get(reverse("consultations:conferences"), other).content.decode()
    assert "控江路第一次代表大会" in conferences and "2026年代表大会" not in conferences
    report = client.get(
        reverse("consultations:report", args=[scene.objects["conference"]["other street's conference"].pk])
    )
    assert report.status_code == 200
    stall = client.get(reverse("consultations:stall", args=[scene.objects["stall"]["housing stall"].pk]))
    assert stall.status_code == 200 and "data-call-next" not in stall.content.decode()

    campaigns = client.get(reverse("funds:list")).content.decode()
    assert funds_scope.PURPOSE in campaigns and "控江的电梯" in campaigns
    page = client.get(reverse("funds:list"), other).content.decode()
    assert "控江的电梯" in page and funds_scope.PURPOSE not in page
    rows = _rows(client.get(reverse("funds:campaigns_export"), other))
    assert len(rows) == 1 and "控江的电梯" in rows[0]
    # The roll is masked, the inspections list has no scheduling button, the notice previews.
    units = client.get(reverse("funds:units", args=[ours["campaign"].pk])).content.decode()
    assert ours["unit"].owner_name not in units
    inspections = client.get(reverse("funds:inspections")).content.decode()
    assert ours["application"].title in inspections and "data-to-schedule" in inspections
    assert reverse("funds:check_schedule", args=[ours["application"].pk]) not in inspections
    year = ours["award"].programme_year
    awards = client.get(reverse("funds:awards"), {"year": year.year, "street": world.street.pk}).content.decode()
    assert ours["award"].certificate_number in awards
    assert ours["award"].certificate_number not in client.get(reverse("funds:awards"), other).content.decode()
    assert _rows(client.get(reverse("funds:awards_export"), other)) == []
    payouts = _rows(client.get(reverse("funds:payouts_export")))
    assert payouts and all(row.endswith("四平路街道") for row in payouts)
    assert _rows(client.get(reverse("funds:payouts_export"), other)) == []
    assert client.get(reverse("funds:notice", args=[ours["campaign"].pk])).status_code == 200


def test_every_write_of_consultations_and_funds_refuses_a_district_user(world, scene, ours, client):
    client.force_login(scene.people["dora"])
    before = _snapshot()
    wrong = []
    for name, (kind, _method, extra) in consultations_scope.OBJECT_PAGES.items():
        for label, obj in scene.objects[kind].items():
            response = client.post(reverse(f"consultations:{name}", args=[obj.pk, *extra]), FORM_DATA)
            if response.status_code != 403 or REASON not in response.content.decode():
                wrong.append(f"POST consultations:{name} of {label}: {response.status_code}")
    for name in consultations_scope.LIST_PAGES:
        response = client.post(reverse(f"consultations:{name}"), FORM_DATA)
        if response.status_code != 403 or REASON not in response.content.decode():
            wrong.append(f"POST consultations:{name}: {response.status_code}")
    for name, (target, extra, _method) in funds_scope.OBJECT_URLS.items():
        response = client.post(reverse(f"funds:{name}", args=[ours[target].pk, *extra]), FORM_DATA)
        if response.status_code != 403 or REASON not in response.content.decode():
            wrong.append(f"POST funds:{name}: {response.status_code}")
    for name in [*funds_scope.LIST_URLS, "create"]:
        response = client.post(reverse(f"funds:{name}"), FORM_DATA)
        if response.status_code != 403 or REASON not in response.content.decode():
            wrong.append(f"POST funds:{name}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert _snapshot() == before


def _every_pattern(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _every_pattern(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def test_every_post_url_of_the_site_refuses_a_district_user(world, client):
    from tests.consultations.test_object_scope import overseers

    dora = overseers(world)["dora"]
    client.force_login(dora)
    before = _snapshot()
    wrong, tried = [], 0
    for name, pattern in _every_pattern():
        if name in OWN_ACCOUNT_URLS:
            continue
        converters = getattr(pattern.pattern, "converters", {})
        kwargs = {key: 1 if isinstance(c, IntConverter) else "x" for key, c in converters.items()}
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - a pattern with a regex of its own (admin): walk it bare
            continue
        response = client.post(url, FORM_DATA)
        tried += 1
        if response.status_code != 403 or REASON not in response.content.decode():
            wrong.append(f"POST {name}: {response.status_code}")
    assert tried > 150
    assert not wrong, "\n".join(wrong)
    assert _snapshot() == before
    # Their own account stays theirs: signing out is a POST too.
    assert client.post(reverse("logout")).status_code in (200, 302)


def test_the_corridors_lists_filter_by_street_and_export_the_rows_on_screen(world, client):
    from tests.consultations.test_object_scope import overseers

    client.force_login(overseers(world)["dora"])
    everything = _rows(client.get(reverse("places:groups_export")))
    other = {"street": world.other_street.pk}
    rows = _rows(client.get(reverse("places:groups_export"), other))
    assert len(everything) == 3 and len(rows) == 1 and world.n_other.name in rows[0]
    page = client.get(reverse("places:groups"), other).content.decode()
    assert 'name="street"' in page and world.n1.name not in page.split("<table", 1)[1]
    # Street staff of one street are offered no street choice (there is nothing to choose).
    client.force_login(world.alice)
    assert 'name="street"' not in client.get(reverse("places:groups")).content.decode()
    # A street outside the reader's streets is not a choice: the filter is ignored, the scope stays.
    rows = _rows(client.get(reverse("places:groups_export"), other))
    assert rows and all(world.n_other.name not in row for row in rows)


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999999999999", "2026\x00", "１２", "' OR 1=1 --"])
def test_garbage_in_the_street_and_year_filters_is_ignored_never_a_server_error(world, client, value):
    from tests.consultations.test_object_scope import overseers

    client.force_login(overseers(world)["dora"])
    for name in (
        "places:groups", "places:groups_export", "applications:list", "applications:export", "funds:list",
        "funds:campaigns_export", "funds:awards", "funds:awards_export", "funds:inspections", "funds:checks_export",
        "funds:payouts", "funds:payouts_export", "consultations:overview", "consultations:overview_export",
        "consultations:conferences",
    ):  # fmt: skip
        response = client.get(reverse(name), {"street": value, "year": value})
        assert response.status_code == 200, (name, value, response.status_code)


def test_a_district_users_lists_cost_the_same_queries_as_their_streets_grow(world, client, count_queries):
    from tests.consultations.test_object_scope import overseers

    client.force_login(overseers(world)["dora"])
    names = ("funds:list", "funds:campaigns_export", "places:groups", "applications:list", "consultations:conferences")
    make_campaign(world, purpose="第一次")
    small = {name: count_queries(client.get, reverse(name)) for name in names}
    for building, by in ((world.g_other.building, world.bob), (world.g2.building, world.alice)):
        make_campaign(world, building=building, purpose="又一次", created_by=by)
    for n in range(3):
        f.BuildingGroupFactory(building=world.g_other.building, name=f"新楼组{n}")
    large = {name: count_queries(client.get, reverse(name)) for name in names}
    assert large == small


def _change_forms(html: str) -> list[str]:
    """The POST forms of a page other than the header's (sign out, text size, language)."""
    import re

    own = ("/accounts/logout/", "/prefs/text-size/", "/i18n/setlang/")
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>", html, flags=re.IGNORECASE | re.DOTALL)
    return [form for form in forms if not any(path in form for path in own)]


def test_the_pages_a_district_user_reads_offer_no_change(world, scene, ours, client):
    client.force_login(scene.people["dora"])
    urls = [reverse(f"consultations:{name}") for name in ("overview", "conferences")]
    for name, (kind, method, extra) in consultations_scope.OBJECT_PAGES.items():
        if method == "get":
            urls += [reverse(f"consultations:{name}", args=[obj.pk, *extra]) for obj in scene.objects[kind].values()]
    for name, (target, extra, method) in funds_scope.OBJECT_URLS.items():
        if method == "get":
            urls.append(reverse(f"funds:{name}", args=[ours[target].pk, *extra]))
    urls += [reverse(f"funds:{name}") for name in ("list", "awards", "inspections", "payouts", "budget")]
    offered = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            offered += [f"{url}: {form}" for form in _change_forms(response.content.decode())]
    assert not offered, "\n".join(offered)
    # The same pages offer their changes to the street's staff (so the check above checks something).
    client.force_login(world.alice)
    assert _change_forms(client.get(reverse("funds:campaign", args=[ours["campaign"].pk])).content.decode())
    stall = scene.objects["stall"]["housing stall"]
    assert _change_forms(client.get(reverse("consultations:stall", args=[stall.pk])).content.decode())
