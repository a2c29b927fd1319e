"""Public pages: fixed query counts, light pages, cacheable for anonymous visitors, no
image decoding while serving, the poster and the hook other apps add sections through."""

import datetime
import io
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from common.uploads import process_image
from corridors.demo_gallery import demo_picture
from corridors.models import Application, ConventionVersion, GalleryWork, ProgrammeYear, Theme
from corridors.services.gallery import activity_create, work_create, work_publish
from tests.corridors.test_gallery import make_work, upload

pytestmark = pytest.mark.django_db


def approve(group, leader, *, theme_name="书法与太极", title="书法与太极长廊", state=Application.State.IN_CREATION):
    street = group.building.compound.neighbourhood.street
    year = ProgrammeYear.objects.get_or_create(
        street=street,
        year=2026,
        defaults={"window_opens": datetime.date(2026, 1, 1), "window_closes": datetime.date(2026, 12, 31)},
    )[0]
    theme = Theme.objects.get_or_create(street=street, name=theme_name)[0]
    application = Application.objects.create(
        group=group,
        programme_year=year,
        theme=theme,
        title=title,
        state=state,
        plan="粉刷",
        households_agreed=group.households,
        households_total=group.households,
        created_by=leader,
    )
    ConventionVersion.objects.create(application=application, number=1, text="一、不堆放杂物。", author=leader)
    ConventionVersion.objects.create(
        application=application, number=2, text="一、楼道整洁，不停电动车。", author=leader
    )
    return application


def fill(world, count: int):
    """``count`` published works with two pictures each, a few activities, on g1."""
    for n in range(count):
        make_work(world.g1, world.leo, title=f"作品{n}", author_name=f"作者{n}", author_consent=n % 2 == 0)
    now = timezone.now()
    for n in range(min(count, 6)):
        starts = now + datetime.timedelta(days=n * 7 - 20)
        activity_create(
            group=world.g1,
            kind="food_day",
            title=f"美食日{n}",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place="楼下",
            by=world.leo,
        )


def public_urls(world):
    compound = world.g1.building.compound
    return [
        reverse("public:home"),
        reverse("public:neighbourhood", args=[world.n1.pk]),
        reverse("public:compound", args=[compound.pk]),
        world.g1.get_public_url(),
        reverse("public:gallery"),
        reverse("public:gallery") + "?q=作品&theme=书法与太极",
        reverse("public:corridor_activities", args=[world.g1.pk]),
        reverse("public:compound_activities", args=[compound.pk]),
        reverse("public:street_activities", args=[world.street.pk]),
        reverse("public:corridor_calendar", args=[world.g1.pk]),
        reverse("public:street_calendar", args=[world.street.pk]),
        reverse("public:poster", args=[world.g1.pk]),
    ]


def test_public_pages_make_the_same_number_of_queries_at_3_and_30_works(world, client, count_queries):
    approve(world.g1, world.leo)
    fill(world, 3)
    urls = public_urls(world)
    small = {url: count_queries(client.get, url) for url in urls}
    fill(world, 27)
    # Pages beyond the first and the work page of one with several pictures count the same too.
    large = {url: count_queries(client.get, url) for url in urls}
    assert small == large
    assert max(large.values()) <= 12


def test_work_page_queries_do_not_grow_with_pictures(world, client, count_queries):
    from corridors.services.gallery import work_image_add

    work = make_work(world.g1, world.leo)
    one = count_queries(client.get, work.get_public_url())
    for n in range(5):
        work_image_add(work=work, image=process_image(demo_picture("sky", f"x{n}")), alt_text=f"图{n}", by=world.leo)
    assert count_queries(client.get, work.get_public_url()) == one


def test_corridor_page_shows_theme_latest_convention_gallery_and_activities(world, client):
    approve(world.g1, world.leo)
    fill(world, 3)
    html = client.get(world.g1.get_public_url()).content.decode()
    assert "书法与太极长廊" in html and "书法与太极" in html
    assert "不停电动车" in html and "不堆放杂物" not in html  # the latest version only
    assert "作品0" in html and "美食日2" in html and "美食日0" in html


def test_a_draft_application_gives_no_theme(world, client):
    approve(world.g1, world.leo, state=Application.State.SUBMITTED, title="尚未批准的标题")
    assert "尚未批准的标题" not in client.get(world.g1.get_public_url()).content.decode()


def test_gallery_filters_by_theme_and_searches_by_name(world, client):
    approve(world.g1, world.leo, theme_name="书法与太极")
    approve(world.g2, world.lena, theme_name="烹饪与食谱", title="邻里食谱墙")
    make_work(world.g1, world.leo, title="福字长卷")
    make_work(world.g2, world.lena, title="红烧肉")
    url = reverse("public:gallery")

    html = client.get(url, {"theme": "烹饪与食谱"}).content.decode()
    assert "红烧肉" in html and "福字长卷" not in html
    html = client.get(url, {"q": "食谱墙"}).content.decode()
    assert "红烧肉" in html and "福字长卷" not in html
    html = client.get(url, {"q": world.g1.building.compound.name}).content.decode()
    assert "福字长卷" in html and "红烧肉" not in html
    html = client.get(url).content.decode()
    assert "福字长卷" in html and "红烧肉" in html


def test_unpublished_works_are_never_public(world, client):
    draft = make_work(world.g1, world.leo, title="草稿作品", publish=False)
    for url in public_urls(world):
        assert "草稿作品" not in client.get(url).content.decode()
    assert client.get(draft.get_public_url()).status_code == 404
    world.g1.is_active = False
    world.g1.save()
    published = make_work(world.g1, world.leo, title="停用楼组的作品")
    assert client.get(published.get_public_url()).status_code == 404
    assert "停用楼组的作品" not in client.get(reverse("public:gallery")).content.decode()


# --- Fast and light --------------------------------------------------------------------


def photo_like() -> bytes:
    """A 2400×1800 phone photo with fine colour grain that survives the 320 px display size
    (harder to compress than most real photos, so the budget below has a margin)."""
    grain = Image.merge("RGB", [Image.effect_noise((800, 600), 60) for _ in range(3)])
    buffer = io.BytesIO()
    grain.resize((2400, 1800), Image.Resampling.BICUBIC).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _bytes(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return len(b"".join(response.streaming_content) if response.streaming else response.content)


def test_a_gallery_page_of_24_works_stays_under_1_mb(world, client):
    for n in range(26):
        work = work_create(
            group=world.g1,
            kind=GalleryWork.Kind.PHOTO,
            title=f"照片{n}",
            image=process_image(upload(photo_like())),
            alt_text=f"第{n}张彩色图形的照片",
            by=world.leo,
        )
        work_publish(work=work, by=world.leo)
    for url in [reverse("public:gallery"), world.g1.get_public_url()]:
        response = client.get(url)
        html = response.content.decode()
        small = re.findall(r'<img[^>]*\ssrc="([^"]+)"', html)
        assert len(small) >= 24, url
        # Every picture carries its stored size, and all but the first load lazily.
        tags = re.findall(r"<img[^>]*>", html)
        assert all('width="' in t and 'height="' in t and "srcset=" in t and "sizes=" in t for t in tags)
        assert sum('loading="lazy"' in t for t in tags) >= len(tags) - 1
        pictures = sum(_bytes(client, src) for src in small)
        assert pictures > 24 * 10_000  # the pictures are photo-sized, not a trivial pass
        total = len(response.content) + pictures
        assert total < 1_000_000, (url, total)


def test_no_picture_is_decoded_while_serving(world, client, monkeypatch):
    approve(world.g1, world.leo)
    fill(world, 3)

    def refuse(*args, **kwargs):
        raise AssertionError("a picture was decoded while serving a page")

    monkeypatch.setattr(Image, "open", refuse)
    for url in public_urls(world):
        assert client.get(url).status_code == 200


# --- Caching -------------------------------------------------------------------------


def test_anonymous_pages_are_cacheable_for_a_minute_and_vary_on_cookie(world, client):
    fill(world, 3)
    for url in public_urls(world):
        client.get(url)  # the first visit receives its CSRF cookie (never cached publicly)
        response = client.get(url)
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert cache_control == {"public", "max-age=60"}, url
        assert "Cookie" in response["Vary"], url
        # At most the visitor's own CSRF cookie, renewed (Vary: Cookie keys the cache on it).
        assert set(response.cookies) <= {"csrftoken"}, url
        if response.cookies:
            assert response.cookies["csrftoken"].value == client.cookies["csrftoken"].value


def test_a_first_visit_that_sets_a_cookie_is_cached_privately(world, client):
    response = client.get(world.g1.get_public_url())
    assert response.cookies  # the language and text-size forms' CSRF cookie
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_signed_in_pages_are_never_cached(world, client):
    client.force_login(world.leo)
    for url in public_urls(world):
        response = client.get(url)
        assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"], url
        assert "public" not in response["Cache-Control"], url


# --- Poster and the hook -----------------------------------------------------------------


def test_poster_has_name_theme_and_a_qr_code_of_the_absolute_url(world, client):
    approve(world.g1, world.leo)
    html = client.get(reverse("public:poster", args=[world.g1.pk])).content.decode()
    assert "书法与太极" in html and world.g1.name in html
    assert f"http://testserver{world.g1.get_public_url()}" in html
    assert 'src="data:image/svg+xml' in html
    assert "<script" not in html.split("</main>")[0].split("<main")[1]


def test_other_apps_add_sections_to_the_corridor_page(world, client, settings, tmp_path):
    (tmp_path / "hook_section.html").write_text('<p id="hook">{{ section.message }}</p>')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]},
    ]
    config = apps.get_app_config("common")
    config.public_corridor_sections = lambda group: [("hook_section.html", {"message": f"奖牌 {group.name}"})]
    try:
        html = client.get(world.g1.get_public_url()).content.decode()
    finally:
        del config.public_corridor_sections
    assert f'<p id="hook">奖牌 {world.g1.name}</p>' in html
