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
