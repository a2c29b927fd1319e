"""A street's whole tree (neighbourhoods, compounds, buildings, groups, households) from one
spreadsheet: all or nothing, every bad row reported with its line in Chinese."""

import pytest
from django.urls import reverse
from django.utils import translation

from corridors.imports import import_street_tree
from corridors.models import Building, BuildingGroup, Compound, Neighbourhood
from tests.corridors.test_import import xlsx

pytestmark = pytest.mark.django_db

TREE_HEADERS = ["居民区", "居委会", "小区", "楼栋", "楼层数", "总户数", "电梯数", "建成年份", "楼组", "楼组户数"]
TREE_ROWS = [
    ["鞍山四村第一居民区", "鞍山四村第一居委会", "鞍山四村", "12号", 6, 24, 0, 1982, "1单元", 12],
    ["鞍山四村第一居民区", "鞍山四村第一居委会", "鞍山四村", "12号", 6, 24, 0, 1982, "2单元", 12],
    ["鞍山四村第一居民区", "鞍山四村第一居委会", "鞍山新苑", "3号", 18, 72, 2, 2001, "全楼", 72],
    ["同济新村居民区", "同济新村居委会", "同济新村", "5号", 6, 30, None, None, "1单元", 30],
    # An existing neighbourhood of the street (world.n1) gets a compound too.
    ["和平花园居民区", "", "和平花园", "D座", 25, 192, 3, 1996, "1号门", 96],
]


def tree(street):
    return (
        Neighbourhood.objects.filter(street=street).count(),
        Compound.objects.filter(neighbourhood__street=street).count(),
        Building.objects.filter(compound__neighbourhood__street=street).count(),
        BuildingGroup.objects.filter(building__compound__neighbourhood__street=street).count(),
    )


def test_the_whole_tree_loads_from_one_file_and_again_changes_nothing(world):
    before = tree(world.street)
    result = import_street_tree(street=world.street, file=xlsx(TREE_ROWS, headers=TREE_HEADERS))
    assert result.ok, result.errors
    assert (result.neighbourhoods_created, result.compounds_created, result.buildings_created) == (2, 4, 4)
    assert result.groups_created == 5
    after = tree(world.street)
    assert after == (before[0] + 2, before[1] + 4, before[2] + 4, before[3] + 5)
    anshan = Neighbourhood.objects.get(street=world.street, name="鞍山四村第一居民区")
    assert anshan.committee_name == "鞍山四村第一居委会"
    group = BuildingGroup.objects.get(building__compound__neighbourhood=anshan, building__name="12号", name="2单元")
    assert (group.households, group.building.households, group.building.floors) == (12, 24, 6)
    # The other street is untouched, and a second import adds nothing.
    again = import_street_tree(street=world.street, file=xlsx(TREE_ROWS, headers=TREE_HEADERS))
    assert again.ok and again.groups_present == 5 and again.groups_created == 0
    assert tree(world.street) == after


def test_one_bad_row_writes_nothing_and_every_bad_row_is_named_in_chinese(world):
    before = tree(world.street)
    rows = [
        *TREE_ROWS,
        ["", "", "某小区", "1号", 6, 24, 0, None, "1单元", 12],  # line 7: no neighbourhood
        ["同济新村居民区", "另一个居委会", "同济新村", "6号", 6, 20, 0, None, "1单元", 20],  # line 8
        ["同济新村居民区", "同济新村居委会", "同济新村", "7号", 6, 20, 0, None, "1单元", 30],  # line 9
    ]
    with translation.override("zh-hans"):
        result = import_street_tree(street=world.street, file=xlsx(rows, headers=TREE_HEADERS))
    assert not result.ok
    lines = {e.line: e.message for e in result.errors}
    assert "居民区" in lines[7] and "缺少" in lines[7]
    assert "居委会" in lines[8] and "第 5 行" in lines[8]
    assert "30 户" in lines[9]  # 30 households in a group of a 20-household building
    assert tree(world.street) == before
    assert not Neighbourhood.objects.filter(name="鞍山四村第一居民区").exists()


def test_an_existing_building_with_other_figures_refuses_the_whole_file(world):
    ok = import_street_tree(street=world.street, file=xlsx(TREE_ROWS[:1], headers=TREE_HEADERS))
    assert ok.ok
    before = tree(world.street)
    changed = [[*TREE_ROWS[1][:4], 7, *TREE_ROWS[1][5:]], *TREE_ROWS[2:]]
    with translation.override("zh-hans"):
        result = import_street_tree(street=world.street, file=xlsx(changed, headers=TREE_HEADERS))
    assert [e.line for e in result.errors] == [2]
    assert tree(world.street) == before


def test_staff_import_through_the_page_and_others_are_refused(world, client):
    url = reverse("places:street_import", args=[world.street.pk])
    client.force_login(world.alice)
    assert (
        reverse("places:street_import", args=[world.street.pk]) in client.get(reverse("places:list")).content.decode()
    )
    response = client.post(url, {"file": xlsx(TREE_ROWS, headers=TREE_HEADERS)})
    assert response.status_code == 302
    assert Neighbourhood.objects.filter(street=world.street, name="同济新村居民区").exists()
    # Another street's staff do not find it; a committee member may not import.
    client.force_login(world.bob)
    assert client.post(url, {"file": xlsx(TREE_ROWS, headers=TREE_HEADERS)}).status_code == 404
    client.force_login(world.carl)
    assert client.get(url).status_code in {403, 404}
