"""Chinese substring search through the character-pair index (common.search)."""

from django.db import connection

from common.search import query_pieces, search_filter
from corridors.models import GalleryWork


def _work(group, by, title, text="", state="draft"):
    return GalleryWork(group=group, title=title, text=text, created_by=by, state=state)


def _titles(queryset):
    return sorted(queryset.values_list("title", flat=True))


def test_a_two_character_word_is_found_inside_a_sentence(world):
    GalleryWork.objects.bulk_create(
        [
            _work(world.g1, world.leo, "三部电梯经常罢工"),
            _work(world.g1, world.leo, "楼道里的月季", text="电梯口摆了一盆月季"),
            _work(world.g1, world.leo, "外婆的红烧肉"),
        ]
    )
    works = GalleryWork.objects.all()
    assert _titles(search_filter(works, "电梯")) == ["三部电梯经常罢工", "楼道里的月季"]
    assert _titles(search_filter(works, "经常罢工")) == ["三部电梯经常罢工"]
    assert _titles(search_filter(works, "烧")) == ["外婆的红烧肉"]
    # Both words must be there, anywhere.
    assert _titles(search_filter(works, "电梯 月季")) == ["楼道里的月季"]
    assert _titles(search_filter(works, "停车")) == []
    # An empty box leaves the list as it was.
    assert search_filter(works, "  ").count() == 3


def test_pairs_present_but_apart_do_not_match(world):
    # 罢工 and 工电 and 电梯 all occur in the first title, but never "罢工电梯" in a row.
    GalleryWork.objects.bulk_create([_work(world.g1, world.leo, "工电梯罢工"), _work(world.g1, world.leo, "罢工电梯")])
    assert query_pieces("罢工电梯") == ["罢工", "工电", "电梯"]
    assert _titles(search_filter(GalleryWork.objects.all(), "罢工电梯")) == ["罢工电梯"]


def test_the_column_follows_an_edit(world):
    work = GalleryWork.objects.create(group=world.g1, title="春节的窗花", created_by=world.leo)
    assert not search_filter(GalleryWork.objects.all(), "电梯").exists()
    work.title = "老式电梯的铁门"
    work.save()
    assert list(search_filter(GalleryWork.objects.all(), "电梯")) == [work]


def test_the_search_uses_the_index_on_a_large_table(world):
    filler = ["窗台上的月季", "外婆的红烧肉", "楼道里的全家福", "邻居家的小猫", "阳台上的多肉"]
    GalleryWork.objects.bulk_create(
        [
            _work(world.g1, world.leo, f"{filler[n % len(filler)]}{n}", text="楼组长带着大家一起布置")
            for n in range(20000)
        ]
        + [_work(world.g2, world.lena, "三部电梯经常罢工")]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE corridors_gallerywork")
    found = search_filter(GalleryWork.objects.all(), "电梯")
    plan = found.explain()
    assert "work_search_bigrams" in plan, plan
    assert "Seq Scan on corridors_gallerywork" not in plan, plan
    assert _titles(found) == ["三部电梯经常罢工"]


def test_places_are_found_by_name_and_address_through_their_indexes(world):
    """A building group is found by its compound's name or address, its building's or its
    neighbourhood's name: each matched in its own table's character-pair index, then by key."""
    from corridors.models import Building, BuildingGroup, Compound

    compounds = Compound.objects.bulk_create(
        [Compound(neighbourhood=world.n1, name=f"阳光苑{n}", address=f"国和路{n}弄") for n in range(5000)]
        + [Compound(neighbourhood=world.n2, name="电梯新村", address="靖宇东路8弄")]
    )
    lift = Building.objects.create(compound=compounds[-1], name="3号", floors=18, households=72)
    found_by_compound = BuildingGroup.objects.create(building=lift, name="1号门", households=36)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE corridors_compound")
    groups = BuildingGroup.objects.all()
    assert list(search_filter(groups, "电梯")) == [found_by_compound]
    # By address, by neighbourhood name (world.n1 is 和平花园居民区), never by pairs apart.
    assert list(search_filter(groups, "靖宇东路")) == [found_by_compound]
    assert set(search_filter(groups, "和平花园")) == {world.g1}
    assert not search_filter(groups, "电新").exists()
    plan = search_filter(groups, "电梯").explain()
    assert "compound_search_bigrams" in plan, plan
    # No reading of the 5,000 compounds to test each name (the hop from the neighbourhoods
    # may read them by neighbourhood: they all lie in one).
    lines = plan.splitlines()
    for n, line in enumerate(lines):
        if "Seq Scan on corridors_compound" in line:
            assert "search_bigrams" not in lines[n + 1] and "name" not in lines[n + 1], plan
