"""The gallery's search finds a work by every way it is named: its own title and text, its
corridor's name, building, compound and neighbourhood, and its corridor's approved title
(``corridors.views.public._matching_groups``: the place tables first, then the works)."""

import pytest
from django.urls import reverse

from corridors.services.gallery import work_update
from tests.corridors.test_gallery import make_work
from tests.corridors.test_public import approve

pytestmark = pytest.mark.django_db


def found(client, query) -> str:
    return client.get(reverse("public:gallery"), {"q": query}).content.decode()


def test_the_gallery_search_finds_works_by_each_name_of_their_corridor(world, client):
    mine = make_work(world.g1, world.leo, title="福字长卷")
    make_work(world.g2, world.lena, title="红烧肉")
    work_update(work=mine, kind=mine.kind, title=mine.title, text="三部电梯经常罢工")
    approve(world.g2, world.lena, title="邻里食谱墙")
    building = world.g1.building
    cases = {
        "和平": "福字长卷",  # the neighbourhood 和平花园居民区
        building.compound.name: "福字长卷",
        building.name: "福字长卷",
        "食谱墙": "红烧肉",  # g2's approved application
        "电梯": "福字长卷",  # the work's own text
    }
    for query, title in cases.items():
        html = found(client, query)
        other = ({"福字长卷", "红烧肉"} - {title}).pop()
        assert title in html and other not in html, query
    # The corridors list follows the same matches.
    html = found(client, "和平")
    assert str(world.g1) in html and str(world.g2) not in html
    assert "红烧肉" not in found(client, "没有这个词")


def test_a_common_word_is_tested_row_by_row_and_finds_the_same_works_and_corridors(world, client, monkeypatch):
    """Past ``WALK_FROM`` matching corridors the gallery stops listing them and tests each work
    and corridor as it walks them in page order: the same page either way."""
    client.cookies["messages"] = "render"  # every page rendered, none served stored
    mine = make_work(world.g1, world.leo, title="福字长卷")
    make_work(world.g2, world.lena, title="红烧肉")
    make_work(world.g2, world.lena, title="和平鸽")
    work_update(work=mine, kind=mine.kind, title=mine.title, text="三部电梯经常罢工")
    approve(world.g2, world.lena, title="邻里食谱墙")
    building = world.g1.building
    queries = ["和平", building.compound.name, building.name, world.g2.name, "食谱墙", "电梯", "没有这个词", "楼 和平"]
    listed = {query: found(client, query) for query in queries}
    monkeypatch.setattr("corridors.views.public.WALK_FROM", 0)
    for query in queries:
        assert found(client, query) == listed[query], query
    assert "福字长卷" in listed["和平"] and "和平鸽" in listed["和平"] and "红烧肉" not in listed["和平"]


def test_the_search_makes_as_many_queries_whichever_way_it_runs(world, client, monkeypatch, count_queries):
    client.cookies["messages"] = "render"
    make_work(world.g1, world.leo, title="福字长卷")
    url = reverse("public:gallery")
    listing = count_queries(client.get, url, {"q": "和平"})
    monkeypatch.setattr("corridors.views.public.WALK_FROM", 0)
    assert count_queries(client.get, url, {"q": "和平"}) == listing
