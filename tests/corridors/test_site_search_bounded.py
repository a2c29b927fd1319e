"""The search box's sections read a bounded number of rows whatever a word matches: a common
word (和平, in many compounds' names) shows the newest ten of the reader's rows and says there
are more, with the same rows the full filter would give, in a query count that does not grow."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.search import first_matches, search_filter, shared_matches
from corridors.models import BuildingGroup
from corridors.selectors import groups_for_user
from tests import factories as f

pytestmark = pytest.mark.django_db


def _heping_groups(world, count, street_side="ours", compound="和平新苑"):
    neighbourhood = world.n2 if street_side == "ours" else world.n_other
    building = f.BuildingFactory(compound=f.CompoundFactory(neighbourhood=neighbourhood, name=compound), name="7号")
    return [f.BuildingGroupFactory(building=building, name=f"{n}楼道") for n in range(count)]


def _group_section(html: str) -> str:
    start = html.index('<h2 class="h5">楼组</h2>')
    return html[start : html.index("</section>", start)]


def test_a_common_word_shows_the_newest_ten_of_the_readers_rows_and_says_there_are_more(world, as_user):
    ours = _heping_groups(world, 12)
    theirs = _heping_groups(world, 3, street_side="other")
    html = as_user(world.alice).get(reverse("search"), {"q": "和平"}).content.decode()
    section = _group_section(html)
    shown = [int(pk) for pk in re.findall(r'href="/manage/places/groups/(\d+)/"', section)]
    newest = sorted([g.pk for g in ours] + [world.g1.pk], reverse=True)[:10]
    assert shown == newest
    assert "只显示前10条" in html
    assert not {g.pk for g in theirs} & set(shown)


@pytest.mark.parametrize("q", ["和平", "和平新苑", "楼道", "7号", "1单元", "新", "平 苑", "不存在"])
def test_the_first_matches_are_those_of_the_full_filter(world, q):
    _heping_groups(world, 14)
    _heping_groups(world, 2, street_side="other")
    scoped = groups_for_user(world.alice)
    expected = list(search_filter(scoped, q).order_by("-pk").values_list("pk", flat=True)[:11])
    assert first_matches(scoped, q, 11) == expected
    everything = BuildingGroup.objects.all()
    assert first_matches(everything, q, 11) == list(
        search_filter(everything, q).order_by("-pk").values_list("pk", flat=True)[:11]
    )


def test_pairs_present_but_apart_are_not_a_match_here_either(world):
    f.BuildingGroupFactory(building__compound__neighbourhood=world.n1, name="罢工电梯")
    groups = BuildingGroup.objects.all()
    assert first_matches(groups, "电梯罢工", 11) == []
    assert len(first_matches(groups, "罢工电梯", 11)) == 1


def test_each_place_table_is_read_once_for_all_the_sections(world, as_user):
    _heping_groups(world, 3)
    client = as_user(world.alice)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("search"), {"q": "和平"}).status_code == 200
    compounds_alone = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "corridors_compound"."id"')
    ]
    assert len(compounds_alone) == 1, compounds_alone
    # Outside a search page's block nothing is kept between calls.
    with shared_matches():
        pass
    with CaptureQueriesContext(connection) as ctx:
        first_matches(BuildingGroup.objects.all(), "和平", 11)
        first_matches(BuildingGroup.objects.all(), "和平", 11)
    assert len([q for q in ctx.captured_queries if q["sql"].startswith('SELECT "corridors_compound"."id"')]) == 2


def test_the_query_count_does_not_grow_with_the_matches(world, as_user, count_queries):
    # One compound named 和平 first: a way no row can match (no compound of that name) costs
    # no query at all, so the count is compared with every way in use.
    _heping_groups(world, 1, compound="和平东苑")
    client = as_user(world.alice)
    url = reverse("search") + "?q=和平"
    small = count_queries(client.get, url)
    _heping_groups(world, 30)
    for n in range(5):
        f.BuildingGroupFactory(building__compound=f.CompoundFactory(neighbourhood=world.n1, name=f"和平{n}村"))
    assert count_queries(client.get, url) == small


def _compound_queries(client, q):
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("search"), {"q": q}).content.decode()
    return html, [s["sql"] for s in ctx.captured_queries if s["sql"].startswith('SELECT "corridors_compound"."id"')]


def test_the_places_matching_a_word_are_read_once_for_every_reader_until_a_place_changes(world, as_user):
    group = _heping_groups(world, 1, compound="和平新苑")[0]
    alice = as_user(world.alice)
    html, read = _compound_queries(alice, "和平")
    assert len(read) == 1
    assert f'href="/manage/places/groups/{group.pk}/"' in html
    # The next page, and another reader's, reads no place table again; the other street's
    # staff still sees nothing of alice's street.
    assert _compound_queries(alice, "和平")[1] == []
    html, read = _compound_queries(as_user(world.bob), "和平")
    assert read == []
    assert f'href="/manage/places/groups/{group.pk}/"' not in html
    # A renamed compound is found by its new name only, at once.
    alice = as_user(world.alice)
    compound = group.building.compound
    compound.name = "幸福家园"
    compound.save()
    html, read = _compound_queries(alice, "和平")
    assert len(read) == 1
    assert f'href="/manage/places/groups/{group.pk}/"' not in html
    assert f'href="/manage/places/groups/{group.pk}/"' in _compound_queries(alice, "幸福")[0]


def test_the_funds_sections_show_their_rows_with_their_places_in_a_fixed_number_of_queries(
    world, as_user, count_queries
):
    from tests.funds.conftest import add_units, make_campaign

    campaign = make_campaign(world)
    add_units(campaign, 2)
    client = as_user(world.alice)
    html = client.get(reverse("search"), {"q": "电梯"}).content.decode()
    assert f"#{campaign.pk} 更换电梯" in html
    assert campaign.get_absolute_url() in html
    html = client.get(reverse("search"), {"q": "101"}).content.decode()
    assert f"{campaign.building} 101" in html
    small = count_queries(client.get, reverse("search") + "?q=1")
    add_units(campaign, 12, start=2)
    make_campaign(world, purpose="电梯维修")
    assert count_queries(client.get, reverse("search") + "?q=1") == small
