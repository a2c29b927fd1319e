"""The building-groups and applications lists read their page's rows as plain values: each row
still links to its own page, shows its places, leaders (masked), state and budget, and the
page costs the same queries with two groups or twenty."""

import re

import pytest
from django.urls import reverse

from corridors.models import BuildingGroup, Role
from corridors.services.people import role_assign
from corridors.workflows.application import State
from tests import factories as f
from tests.corridors.test_application_workflow import make_application, make_year

pytestmark = pytest.mark.django_db


def _links(html: str, prefix: str) -> list[str]:
    return re.findall(rf'href="({re.escape(prefix)}\d+/)"', html)


def test_each_group_row_links_to_its_group_and_shows_its_places_and_masked_leaders(world, as_user):
    BuildingGroup.objects.filter(pk=world.g2.pk).update(is_active=False)
    second = f.UserFactory(username="leo2", full_name="欧阳明")
    role_assign(user=second, role=Role.LEADER, street=world.street, building_group=world.g1)
    response = as_user(world.alice).get(reverse("places:groups"))
    html = response.content.decode()
    prefix = reverse("places:groups")
    assert sorted(_links(html, prefix)) == sorted(reverse("places:group", args=[g.pk]) for g in (world.g1, world.g2))
    rows = {row["pk"]: row for row in response.context["groups"]}
    g1 = rows[world.g1.pk]
    assert g1["url"] == reverse("places:group", args=[world.g1.pk])
    assert (g1["neighbourhood_name"], g1["compound_name"], g1["building_name"], g1["name"]) == (
        "和平花园居民区",
        world.g1.building.compound.name,
        world.g1.building.name,
        "1单元",
    )
    # Masked as on every staff page: the surname only, never the full name.
    assert list(g1["leaders"]) == ["l*", "欧*"]
    assert "leo姓名" not in html and "欧阳明" not in html
    assert rows[world.g2.pk]["is_active"] is False
    assert html.count("已停用") == 1  # the inactive group's badge
    # Another street's group is not listed.
    assert world.g_other.pk not in rows


def test_the_groups_list_keeps_its_order_and_its_queries_as_groups_grow(world, as_user, count_queries):
    client = as_user(world.alice)
    url = reverse("places:groups")
    small = count_queries(client.get, url, {"sort": "name"})
    for i in range(20):
        group = f.BuildingGroupFactory(building=world.g1.building, name=f"新{i:02d}单元")
        role_assign(user=f.UserFactory(), role=Role.LEADER, street=world.street, building_group=group)
    assert count_queries(client.get, url, {"sort": "name"}) == small
    response = client.get(url, {"sort": "name"})
    names = [row["name"] for row in response.context["groups"]]
    assert names == sorted(names) and len(names) == 22
    assert count_queries(client.get, url, {"sort": "-leaders"}) == small


def test_each_application_row_links_to_its_application_with_its_state_and_budget(world, as_user):
    year = make_year(world.street)
    first = make_application(world, year, title="第一份申请", state=State.SUBMITTED)
    second = make_application(world, year, group=world.g2, leader=world.lena, title="第二份申请")
    response = as_user(world.alice).get(reverse("applications:list"))
    html = response.content.decode()
    rows = {row["pk"]: row for row in response.context["page_obj"]}
    for application in (first, second):
        row = rows[application.pk]
        assert row["url"] == reverse("applications:detail", args=[application.pk])
        assert f'href="{row["url"]}"' in html
        assert row["group_label"] == str(application.group)
        assert row["theme_name"] == application.theme.name
        assert row["year"] == year.year
    assert rows[first.pk]["get_state_display"] == State.SUBMITTED.label
    assert f'data-state="{State.SUBMITTED}"' in html and f'data-state="{State.DRAFT}"' in html
    assert rows[first.pk]["budget"].startswith("¥")


def test_the_applications_list_costs_the_same_queries_as_applications_grow(world, as_user, count_queries):
    year = make_year(world.street)
    make_application(world, year, title="第一份申请")
    client = as_user(world.alice)
    url = reverse("applications:list")
    small = count_queries(client.get, url)
    for i in range(12):
        group = f.BuildingGroupFactory(building=world.g2.building, name=f"新{i:02d}单元")
        leader = f.UserFactory()
        role_assign(user=leader, role=Role.LEADER, street=world.street, building_group=group)
        make_application(world, year, group=group, leader=leader, title=f"申请{i:02d}")
    assert count_queries(client.get, url) == small
    assert len(client.get(url).context["page_obj"]) == 13
