"""Keyset pages (common.listing.keyset_page): every row exactly once, whatever is added meanwhile."""

import datetime

from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from common.listing import keyset_page
from corridors.models import GalleryWork


def _published(world, title, when):
    return GalleryWork(group=world.g1, title=title, created_by=world.leo, state="published", published_at=when)


def test_paging_forward_shows_every_row_once_while_rows_are_added(world):
    start = timezone.now() - datetime.timedelta(days=30)
    # Pairs share a timestamp, so the pk must break the ties.
    GalleryWork.objects.bulk_create(
        [_published(world, f"作品{n}", start + datetime.timedelta(hours=n // 2)) for n in range(53)]
    )
    original = set(GalleryWork.objects.values_list("pk", flat=True))
    factory = RequestFactory()
    seen, params, pages = [], {}, 0
    while True:
        page = keyset_page(GalleryWork.objects.all(), factory.get("/", params), "-published_at", per_page=7)
        seen.extend(work.pk for work in page)
        pages += 1
        # Someone publishes a new work (newest) and a back-dated one in the middle while we page.
        GalleryWork.objects.bulk_create(
            [
                _published(world, "新作品", timezone.now()),
                _published(world, "补录", start + datetime.timedelta(hours=13, minutes=30)),
            ]
        )
        if not page.has_next:
            break
        params = {"after": page.next_cursor}
    assert len(seen) == len(set(seen)), "a row was shown twice"
    assert original <= set(seen), "a row was skipped"
    assert pages >= 8


def test_paging_back_returns_the_same_pages(world):
    start = timezone.now() - datetime.timedelta(days=3)
    GalleryWork.objects.bulk_create(
        [_published(world, f"作品{n}", start + datetime.timedelta(minutes=n)) for n in range(20)]
    )
    factory = RequestFactory()
    first = keyset_page(GalleryWork.objects.all(), factory.get("/"), "-published_at", per_page=6)
    second = keyset_page(
        GalleryWork.objects.all(), factory.get("/", {"after": first.next_cursor}), "-published_at", per_page=6
    )
    back = keyset_page(
        GalleryWork.objects.all(), factory.get("/", {"before": second.previous_cursor}), "-published_at", per_page=6
    )
    assert [w.pk for w in back] == [w.pk for w in first]
    assert not back.has_previous and back.has_next
    assert second.has_previous


def test_a_broken_cursor_shows_the_first_page(world, client):
    GalleryWork.objects.bulk_create([_published(world, "窗花", timezone.now())])
    for cursor in ["garbage", "2026-13-40~1", "~", "2026-01-01T00:00:00~x", "9" * 400 + "~1"]:
        response = client.get(reverse("public:gallery"), {"after": cursor})
        assert response.status_code == 200
        assert "窗花" in response.content.decode()
