"""Staff management of places: create and edit each kind, who may, lists and export."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from corridors.models import Building, BuildingGroup, Compound, Department, Neighbourhood, Role
from corridors.services import places as services
from corridors.services.people import role_assign
from tests import factories as f

# --- Services ------------------------------------------------------------------------


def test_group_households_cannot_exceed_building(world):
    building = world.g1.building  # 24 households, g1 has 12
    with pytest.raises(ValidationError) as excinfo:
        services.group_create(building=building, name="全楼", households=25)
    assert "households" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        services.group_create(building=building, name="2单元", households=13)  # 12 + 13 > 24
    services.group_create(building=building, name="2单元", households=12)
    assert building.groups.count() == 2


def test_duplicate_names_are_refused_with_a_message(world):
    with pytest.raises(ValidationError) as excinfo:
        services.neighbourhood_create(street=world.street, name=world.n1.name, committee_name="x")
    assert excinfo.value.message_dict["name"]
    with pytest.raises(ValidationError):
        services.department_create(street=world.street, name=world.housing.name)
    with pytest.raises(ValidationError):
        services.group_create(building=world.g1.building, name=" 1单元 ", households=1)


def test_building_households_cannot_fall_below_its_groups(world):
    building = world.g1.building
    with pytest.raises(ValidationError):
        services.building_update(building=building, name=building.name, floors=6, households=11)
    building.refresh_from_db()
    assert building.households == 24


# --- Staff create and edit each kind -------------------------------------------------


def test_staff_creates_and_edits_a_neighbourhood(world, as_user):
    client = as_user(world.alice)
    response = client.post(
        reverse("places:neighbourhood_create"),
        {"street": world.street.pk, "name": "新村居民区", "committee_name": "新村居委会", "address": "", "phone": ""},
    )
    new = Neighbourhood.objects.get(name="新村居民区")
    assert response.status_code == 302
    assert new.street == world.street
    response = client.post(
        reverse("places:neighbourhood_edit", args=[new.pk]),
        {"name": "新村二居民区", "committee_name": "新村居委会", "address": "新村路1号", "phone": "021-1234"},
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert (new.name, new.address) == ("新村二居民区", "新村路1号")


def test_staff_cannot_create_a_neighbourhood_in_another_street(world, as_user):
    response = as_user(world.alice).post(
        reverse("places:neighbourhood_create"),
        {"street": world.other_street.pk, "name": "越界", "committee_name": "越界"},
    )
    assert response.status_code == 200
    assert not Neighbourhood.objects.filter(name="越界").exists()


def test_staff_creates_and_edits_compound_building_and_group(world, as_user):
    client = as_user(world.alice)
    response = client.post(reverse("places:compound_create", args=[world.n1.pk]), {"name": "和平花园", "address": ""})
    assert response.status_code == 302
    compound = Compound.objects.get(neighbourhood=world.n1, name="和平花园")

    response = client.post(
        reverse("places:building_create", args=[compound.pk]),
        {"name": "D座", "floors": 18, "households": 72, "elevators": 2, "year_built": 1998},
    )
    assert response.status_code == 302
    building = Building.objects.get(compound=compound, name="D座")
    assert (building.floors, building.elevators) == (18, 2)

    response = client.post(reverse("places:group_create", args=[building.pk]), {"name": "全楼", "households": 72})
    assert response.status_code == 302
    group = BuildingGroup.objects.get(building=building, name="全楼")

    client.post(reverse("places:compound_edit", args=[compound.pk]), {"name": "和平新苑", "address": "和平路"})
    client.post(
        reverse("places:building_edit", args=[building.pk]),
        {"name": "D座", "floors": 18, "households": 80, "elevators": 2, "year_built": ""},
    )
    response = client.post(reverse("places:group_edit", args=[group.pk]), {"name": "1号门", "households": 40})
    assert response.status_code == 302
    compound.refresh_from_db()
    building.refresh_from_db()
    group.refresh_from_db()
    assert compound.name == "和平新苑"
    assert (building.households, building.year_built) == (80, None)
    assert (group.name, group.households) == ("1号门", 40)


def test_bad_input_shows_a_message_and_changes_nothing(world, as_user):
    client = as_user(world.alice)
    group = world.g1
    response = client.post(reverse("places:group_edit", args=[group.pk]), {"name": "1单元", "households": 999})
    assert response.status_code == 200
    assert response.context["form"].errors["households"]
    group.refresh_from_db()
    assert group.households == 12
    response = client.post(reverse("places:building_create", args=[group.building.compound.pk]), {"name": "X"})
    assert response.status_code == 200
    assert not Building.objects.filter(name="X").exists()


def test_group_deactivate_and_activate(world, as_user):
    client = as_user(world.alice)
    assert client.get(reverse("places:group_deactivate", args=[world.g1.pk])).status_code == 405
    response = client.post(reverse("places:group_deactivate", args=[world.g1.pk]), follow=True)
    world.g1.refresh_from_db()
    assert not world.g1.is_active
    assert response.context["messages"]
    client.post(reverse("places:group_activate", args=[world.g1.pk]))
    world.g1.refresh_from_db()
    assert world.g1.is_active


def test_staff_creates_and_edits_a_department(world, as_user):
    client = as_user(world.alice)
    response = client.get(reverse("places:departments"))
    assert world.housing.name in response.content.decode()
    response = client.post(reverse("places:department_create"), {"street": world.street.pk, "name": "城管中队"})
    assert response.status_code == 302
    department = Department.objects.get(name="城管中队")
    assert department.street == world.street and department.is_active
    client.post(reverse("places:department_edit", args=[department.pk]), {"name": "城管中队", "is_active": ""})
    department.refresh_from_db()
    assert not department.is_active


def test_detail_pages_show_change_links_to_staff_only(world, as_user):
    url = reverse("places:neighbourhood", args=[world.n1.pk])
    edit = reverse("places:neighbourhood_edit", args=[world.n1.pk])
    assert edit in as_user(world.alice).get(url).content.decode()
    response = as_user(world.carl).get(url)
    assert response.status_code == 200  # the committee may view its neighbourhood
    assert edit not in response.content.decode()


# --- Who may not ---------------------------------------------------------------------


def _change_pages(world):
    compound = world.g1.building.compound
    return [
        ("get", reverse("places:neighbourhood_edit", args=[world.n1.pk])),
        ("get", reverse("places:compound_create", args=[world.n1.pk])),
        ("get", reverse("places:import", args=[world.n1.pk])),
        ("get", reverse("places:compound_edit", args=[compound.pk])),
        ("get", reverse("places:building_create", args=[compound.pk])),
        ("get", reverse("places:building_edit", args=[world.g1.building.pk])),
        ("get", reverse("places:group_create", args=[world.g1.building.pk])),
        ("get", reverse("places:group_edit", args=[world.g1.pk])),
        ("post", reverse("places:group_deactivate", args=[world.g1.pk])),
        ("get", reverse("places:department_edit", args=[world.housing.pk])),
    ]


@pytest.mark.parametrize("persona", ["carl", "leo", "rita", "fay", "otto", "cindy", "bob", "nobody"])
def test_others_cannot_change_our_places(world, as_user, persona):
    client = as_user(getattr(world, persona))
    for method, url in _change_pages(world):
        status = getattr(client, method)(url).status_code
        assert status in (403, 404), (persona, url, status)
    world.g1.refresh_from_db()
    assert world.g1.is_active


def test_committee_gets_403_in_its_neighbourhood_and_404_outside(world, as_user):
    client = as_user(world.carl)
    assert client.get(reverse("places:compound_create", args=[world.n1.pk])).status_code == 403
    assert client.get(reverse("places:compound_create", args=[world.n2.pk])).status_code == 404
    assert client.get(reverse("places:group_edit", args=[world.g1.pk])).status_code == 403


def test_leader_gets_403_on_own_group_and_404_elsewhere(world, as_user):
    client = as_user(world.leo)
    assert client.get(reverse("places:group_edit", args=[world.g1.pk])).status_code == 403
    assert client.get(reverse("places:group_edit", args=[world.g2.pk])).status_code == 404
    assert client.get(reverse("places:building_edit", args=[world.g1.building.pk])).status_code == 404


def test_other_street_staff_get_404_on_our_objects(world, as_user):
    client = as_user(world.bob)
    for method, url in _change_pages(world):
        assert getattr(client, method)(url).status_code == 404, url
    assert client.get(reverse("places:neighbourhood", args=[world.n1.pk])).status_code == 404


@pytest.mark.parametrize(
    "name", ["places:groups", "places:groups_export", "places:departments", "places:neighbourhood_create"]
)
@pytest.mark.parametrize("persona", ["carl", "leo", "otto"])
def test_street_pages_are_for_street_staff(world, as_user, name, persona):
    assert as_user(getattr(world, persona)).get(reverse(name)).status_code == 403


# --- The building-groups list and its export -----------------------------------------


def _more_groups(world, count):
    building = f.BuildingFactory(compound__neighbourhood=world.n1, households=1000)
    groups = [f.BuildingGroupFactory(building=building, households=10) for _ in range(count)]
    for group in groups[::2]:
        role_assign(user=f.UserFactory(), role=Role.LEADER, street=world.street, building_group=group)
    return groups


def test_group_list_shows_only_our_street(world, as_user):
    response = as_user(world.alice).get(reverse("places:groups"))
    names = {g.pk for g in response.context["groups"]}
    assert names == {world.g1.pk, world.g2.pk}


def test_group_list_filters_and_sorts(world, as_user):
    client = as_user(world.alice)
    url = reverse("places:groups")
    assert [g.pk for g in client.get(url, {"has_leader": "yes"}).context["groups"]] == sorted(
        [world.g1.pk, world.g2.pk], key=lambda pk: BuildingGroup.objects.get(pk=pk).building.compound.neighbourhood.name
    )
    _more_groups(world, 2)  # one with a leader, one without
    without = client.get(url, {"has_leader": "no"}).context["groups"]
    assert len(without) == 1 and not without[0].leaders
    by_n2 = client.get(url, {"neighbourhood": world.n2.pk}).context["groups"]
    assert [g.pk for g in by_n2] == [world.g2.pk]
    # A name no factory sequence can produce (factory names are numbered: "12单元" contains "2单元").
    BuildingGroup.objects.filter(pk=world.g2.pk).update(name="银杏单元")
    found = client.get(url, {"q": "银杏"}).context["groups"]
    assert [g.pk for g in found] == [world.g2.pk]
    households = [g.households for g in client.get(url, {"sort": "-households"}).context["groups"]]
    assert households == sorted(households, reverse=True)
    # A neighbourhood of another street is not a valid choice: ignored, not leaked.
    assert client.get(url, {"neighbourhood": world.n_other.pk}).status_code == 200


def test_group_list_paginates(world, as_user):
    _more_groups(world, 30)
    response = as_user(world.alice).get(reverse("places:groups"), {"page": 2})
    assert response.context["page_obj"].number == 2
    assert len(response.context["groups"]) == 32 - 25


def test_group_list_query_count_does_not_grow_with_rows(world, as_user, count_queries):
    client = as_user(world.alice)
    url = reverse("places:groups")
    _more_groups(world, 1)  # 3 groups
    few = count_queries(client.get, url)
    _more_groups(world, 27)  # 30 groups
    many = count_queries(client.get, url)
    assert few == many


def test_other_list_pages_have_a_fixed_query_count(world, as_user, count_queries):
    client = as_user(world.alice)
    pages = [reverse("places:list"), reverse("places:departments"), reverse("places:neighbourhood", args=[world.n1.pk])]
    few = [count_queries(client.get, url) for url in pages]
    _more_groups(world, 20)
    for i in range(5):
        f.DepartmentFactory(street=world.street, name=f"部门{i}")
        f.NeighbourhoodFactory(street=world.street)
    assert [count_queries(client.get, url) for url in pages] == few


def test_export_has_every_group_of_the_street(world, as_user):
    extra = _more_groups(world, 3)
    response = as_user(world.alice).get(reverse("places:groups_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 5  # header + g1, g2 and three more; not the other street's group
    names = {row[3] for row in rows[1:]}
    assert names == {world.g1.name, world.g2.name, *(g.name for g in extra)}
    g2_row = next(row for row in rows[1:] if row[3] == world.g2.name)
    assert g2_row[0] == world.n2.name and g2_row[4] == world.g2.households and g2_row[6] == 1


def test_nav_links_for_staff(world, as_user):
    html = as_user(world.alice).get(reverse("places:list")).content.decode()
    assert reverse("places:groups") in html and reverse("places:departments") in html
    html = as_user(world.carl).get(reverse("places:list")).content.decode()
    assert reverse("places:groups") not in html


@pytest.mark.parametrize(
    "name, data",
    [
        ("places:group_edit", {"name": "1单元", "households": 0}),
        ("places:building_edit", {"name": "D座", "floors": 0, "households": 24, "elevators": 0, "year_built": 1700}),
    ],
)
def test_out_of_range_figures_get_a_field_message(world, as_user, name, data):
    pk = world.g1.pk if name == "places:group_edit" else world.g1.building.pk
    response = as_user(world.alice).post(reverse(name, args=[pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) - {"__all__"} and "__all__" not in errors


def test_neighbourhood_counts_come_from_the_cache_until_a_place_changes(world, as_user):
    """The list's compound and group counts are kept in the cache (corridors.list_counts); a
    new group raises the generation, and the next view counts it."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def view():
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        row = html[html.index(f">{world.n1.name}</a>") :]
        return [int(n) for n in re.findall(r"<td>(\d+)</td>", row)[:2]], len(ctx.captured_queries)

    client = as_user(world.alice)
    url = reverse("places:list")
    before, miss = view()
    again, hit = view()
    # The second view reads the counts (and the header's unread count) from the cache.
    assert again == before and hit < miss
    f.BuildingGroupFactory(building=world.g1.building, name="新楼组")
    after, queries = view()  # the change retired the kept counts: counted again, in one query
    assert after == [before[0], before[1] + 1] and queries == hit + 1
    assert view() == (after, hit)
