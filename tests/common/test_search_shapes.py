"""The search box's compiled queries (``common.search.first_matches``): each section's SQL is
compiled once per shape (the reader's scope and which ways a row matches) and kept in Django's
cache, then only filled with the word; a phrase in hundreds of rows is walked newest first.
Results, scope and query counts stay those of the full filter."""

from functools import reduce
from operator import or_

import pytest
from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse

from common import search
from common.search import first_matches, related_condition, search_filter
from corridors.models import Application, BuildingGroup, GalleryWork, Role
from corridors.selectors import groups_for_user
from corridors.services.people import role_assign
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def compiled(monkeypatch):
    """The section queries compiled (not read from the cache) while the test runs."""
    keys = []
    original = cache.set

    def spy(key, *args, **kwargs):
        if key.startswith("search:sql:"):
            keys.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(search.cache, "set", spy)
    return keys


def _newest(queryset, q):
    return list(search_filter(queryset, q).order_by("-pk").values_list("pk", flat=True)[:11])


def test_a_second_word_of_the_same_shape_reuses_the_compiled_query_and_finds_its_own_rows(world, compiled):
    heping = f.BuildingGroupFactory(building__compound=f.CompoundFactory(neighbourhood=world.n2, name="和平新苑"))
    xingfu = f.BuildingGroupFactory(building__compound=f.CompoundFactory(neighbourhood=world.n2, name="幸福家园"))
    scoped = groups_for_user(world.alice)
    assert first_matches(scoped, "和平新苑", 11) == [heping.pk]
    made = len(compiled)
    assert made == 1
    # Both words are the name of one compound: the same shape, filled with the other word.
    found = first_matches(groups_for_user(world.alice), "幸福家园", 11)
    assert len(compiled) == made
    assert found == [xingfu.pk] == _newest(scoped, "幸福家园")


def test_a_compiled_query_is_never_another_readers_and_follows_a_change_of_scope(world, as_user, compiled):
    ours = f.BuildingGroupFactory(building__compound=f.CompoundFactory(neighbourhood=world.n2, name="和平新苑"))
    assert ours.pk in first_matches(groups_for_user(world.alice), "和平", 11)
    # Bob works in the other street: his scope is another shape, compiled for him.
    made = len(compiled)
    assert ours.pk not in first_matches(groups_for_user(world.bob), "和平", 11)
    assert len(compiled) == made + 1
    # Given alice's street too, he finds her street's groups at once.
    role_assign(user=world.bob, role=Role.STREET_STAFF, street=world.street)
    bob = type(world.bob).objects.get(pk=world.bob.pk)
    assert ours.pk in first_matches(groups_for_user(bob), "和平", 11)
    page = as_user(bob).get(reverse("search"), {"q": "和平"}).content.decode()
    assert f'href="/manage/places/groups/{ours.pk}/"' in page


def test_the_page_makes_the_same_queries_whether_its_sql_is_compiled_or_cached(world, as_user, count_queries):
    f.BuildingGroupFactory(building__compound=f.CompoundFactory(neighbourhood=world.n2, name="和平新苑"))
    client = as_user(world.alice)
    url = reverse("search") + "?q=和平"
    client.get(url)
    warm = count_queries(client.get, url)
    cache.clear()
    assert count_queries(client.get, url) == warm


@pytest.fixture
def few_listed(monkeypatch):
    """Two matches are "many" here (``MAX_LISTED_KEYS`` is 300): the newest-first walk in place."""
    monkeypatch.setattr(search, "MAX_LISTED_KEYS", 2)


@pytest.mark.parametrize("q", ["三部电梯", "电梯", "罢工电梯", "电梯 月季", "梯"])
def test_a_phrase_in_many_rows_finds_the_same_rows_as_the_full_filter(world, few_listed, q):
    titles = [
        "三部电梯经常罢工",
        "工电梯罢工",
        "罢工电梯",
        "楼道里的月季",
        "外婆的红烧肉",
        "三部电梯又坏了",
        "三部电 梯",
    ]
    GalleryWork.objects.bulk_create(
        [
            GalleryWork(group=world.g1, title=t, text="电梯口摆了月季" if "月季" in t else "", created_by=world.leo)
            for t in titles
        ]
    )
    works = GalleryWork.objects.all()
    assert first_matches(works, q, 11) == _newest(works, q)


def test_words_of_the_same_count_but_other_lengths_are_another_shape(world, few_listed):
    titles = ["三部电梯 门厅", "三部电梯 门厅灯坏", "三部电梯", "门厅灯坏了", "电梯 门厅"]
    # Three of each: every query below matches more than the (lowered) listing threshold.
    GalleryWork.objects.bulk_create([GalleryWork(group=world.g1, title=t, created_by=world.leo) for t in titles * 3])
    works = GalleryWork.objects.all()
    for q in ("三部电梯 门厅", "三部电梯 门厅灯", "电梯 门厅", "电梯 门厅灯"):
        assert first_matches(works, q, 11) == _newest(works, q), q


def test_a_common_phrase_still_finds_the_sentence_it_is_in(world, few_listed):
    GalleryWork.objects.bulk_create(
        [GalleryWork(group=world.g1, title=t, created_by=world.leo) for t in ("三部电梯经常罢工", "三部电梯", "电梯")]
    )
    found = first_matches(GalleryWork.objects.all(), "三部电梯", 11)
    assert sorted(GalleryWork.objects.filter(pk__in=found).values_list("title", flat=True)) == [
        "三部电梯",
        "三部电梯经常罢工",
    ]
    assert len(first_matches(GalleryWork.objects.all(), "电梯", 11)) == 3


@pytest.mark.parametrize("q", ["和平", "7号", "单元", "新苑", "和平 7号", "不存在"])
def test_the_one_walk_over_related_lookups_matches_what_the_joins_match(world, q):
    building = f.BuildingFactory(compound=f.CompoundFactory(neighbourhood=world.n1, name="和平新苑"), name="7号")
    f.BuildingGroupFactory(building=building, name="2单元")
    for model in (BuildingGroup, Application):
        expected = set()
        for lookup in model.SEARCH_RELATED:
            # The reference: each lookup through the joins; an indexed table matches a term in
            # any of its own columns (its index covers them all).
            prefix, _sep, column = lookup.rpartition("__")
            last = search._last_model(model, lookup)
            columns = last.SEARCH_TEXT if column in getattr(last, "SEARCH_TEXT", ()) else (column,)
            one = Q()
            for term in q.split():
                one &= reduce(or_, [Q(**{f"{prefix}__{c}__icontains": term}) for c in columns])
            expected |= set(model.objects.filter(one).values_list("pk", flat=True))
        assert set(model.objects.filter(related_condition(model, q)).values_list("pk", flat=True)) == expected


def test_a_scope_narrowed_by_another_search_keeps_its_own_words(world):
    # The scope's own match is part of the shape's key (written into the text), not a slot.
    compound = f.CompoundFactory(neighbourhood=world.n2, name="和平新苑")
    stairs = f.BuildingGroupFactory(building__compound=compound, name="楼道一")
    court = f.BuildingGroupFactory(building__compound=compound, name="院落二")
    groups = BuildingGroup.objects.all()
    assert first_matches(search_filter(groups, "楼道"), "和平", 11) == [stairs.pk]
    assert first_matches(search_filter(groups, "院落"), "和平", 11) == [court.pk]
