"""Public pages: fixed query counts, light pages, cacheable for anonymous visitors, no
image decoding while serving, the poster and the hook other apps add sections through."""

import datetime
import html as html_module
import re

import pytest
import segno
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from common.uploads import process_image
from corridors.demo.gallery import demo_picture
from corridors.models import Application, ConventionVersion, GalleryWork, ProgrammeYear, Theme
from corridors.services.gallery import activity_create
from tests.corridors.test_gallery import make_work

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_address(settings):
    """A site set up as in production: the poster has an address phones can open."""
    settings.SITE_URL = "https://louzu.example.cn"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "louzu.example.cn"]


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


def test_every_public_page_once_stored_costs_an_anonymous_visitor_no_query(world, client, django_assert_num_queries):
    approve(world.g1, world.leo)
    fill(world, 3)
    work = GalleryWork.objects.filter(group=world.g1).first()
    urls = [*public_urls(world), work.get_public_url(), reverse("consultations:public_board")]
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200 and first["X-Page-Cache"] == "miss", url
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again["X-Page-Cache"] == "hit" and again.content == first.content, url


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


GARBAGE = "q=%00&theme=%00&page=%00&year=x"


def test_garbage_parameters_never_give_a_server_error(world, client):
    approve(world.g1, world.leo)
    fill(world, 3)
    work = GalleryWork.objects.first()
    activity = world.g1.activities.first()
    urls = [*public_urls(world), work.get_public_url(), activity.get_public_url()]
    for url in urls:
        glue = "&" if "?" in url else "?"
        # The test client raises a view's exception, so a 500 fails here with its traceback.
        response = client.get(f"{url}{glue}{GARBAGE}")
        assert response.status_code == 200, url


def test_the_gallery_filter_refuses_garbage_with_a_message(world, client):
    make_work(world.g1, world.leo, title="福字长卷")
    url = reverse("public:gallery")
    for query in ["q=%00", "theme=%00", "theme=不存在的主题", "q=" + "长" * 51]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, query
        assert response.context["form"].errors, query
        # An unusable filter is ignored: the visitor still sees the gallery.
        assert "福字长卷" in response.content.decode(), query


def test_the_gallery_filter_form_keeps_the_visitors_choice(world, client):
    approve(world.g1, world.leo, theme_name="书法与太极")
    html = client.get(reverse("public:gallery"), {"q": "福字", "theme": "书法与太极"}).content.decode()
    assert re.search(r'<input[^>]*name="q"[^>]*value="福字"', html)
    assert re.search(r'<option value="书法与太极" selected>', html)


def test_unpublished_works_are_never_public(world, client):
    draft = make_work(world.g1, world.leo, title="草稿作品", publish=False)
    for url in public_urls(world):
        assert "草稿作品" not in client.get(url).content.decode()
    assert client.get(draft.get_public_url()).status_code == 404
    published = make_work(world.g1, world.leo, title="停用楼组的作品")
    world.g1.is_active = False
    world.g1.save()
    assert client.get(published.get_public_url()).status_code == 404
    assert "停用楼组的作品" not in client.get(reverse("public:gallery")).content.decode()


# --- Fast and light --------------------------------------------------------------------


def test_every_picture_carries_its_stored_size_and_all_but_the_first_load_lazily(world, client):
    # The page weight a phone really downloads is measured in Chromium
    # (test_public_browser.py::test_a_gallery_page_of_24_works_weighs_under_1_mb_on_a_phone).
    fill(world, 26)
    for url in [reverse("public:gallery"), world.g1.get_public_url()]:
        html = client.get(url).content.decode()
        tags = re.findall(r"<img[^>]*>", html)
        assert len(tags) >= 24, url
        assert all('width="' in t and 'height="' in t and "srcset=" in t and "sizes=" in t for t in tags)
        assert all(" 640w" in t for t in tags), url
        assert sum('loading="lazy"' in t for t in tags) >= len(tags) - 1


def test_no_picture_is_decoded_while_serving(world, client, monkeypatch):
    approve(world.g1, world.leo)
    fill(world, 3)

    def refuse(*args, **kwargs):
        raise AssertionError("a picture was decoded while serving a page")

    monkeypatch.setattr(Image, "open", refuse)
    for url in public_urls(world):
        assert client.get(url).status_code == 200


# --- Caching -------------------------------------------------------------------------


def fresh_urls(world) -> list[str]:
    """Pages that show gallery works: publishing or hiding must show on the very next view."""
    work = GalleryWork.objects.filter(state=GalleryWork.State.PUBLISHED).first()
    return [world.g1.get_public_url(), work.get_public_url(), reverse("public:gallery")]


def test_anonymous_pages_are_cacheable_and_vary_on_cookie(world, client):
    fill(world, 3)
    fresh = fresh_urls(world)
    for url in dict.fromkeys([*public_urls(world), *fresh]):
        first = client.get(url)
        response = client.get(url)
        assert not first.cookies and not response.cookies, url  # no CSRF, no session cookie
        assert first["X-Page-Cache"] == "miss" and response["X-Page-Cache"] == "hit", url
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        if url.split("?")[0] in fresh:
            # Cached, but checked with the server on every view.
            assert cache_control == {"public", "max-age=0", "must-revalidate"}, url
        else:
            assert cache_control == {"public", "max-age=60"}, url
        # A cookie chooses the language and the text size; a visitor with none shares the copy.
        assert "Cookie" in response["Vary"], url
        assert response["ETag"] == first["ETag"] and response.content == first.content, url


def test_pages_with_works_are_revalidated_even_on_a_first_visit(world, client):
    fill(world, 1)
    for url in fresh_urls(world):
        client.cookies.clear()
        cache_control = client.get(url)["Cache-Control"]
        assert "max-age=0" in cache_control and "must-revalidate" in cache_control, url


def test_a_first_visit_gets_no_cookie_and_a_publicly_cacheable_page(world, client):
    response = client.get(world.g1.get_public_url())
    # The language and text-size switches need no CSRF token, so nothing is set.
    assert not response.cookies
    assert "public" in response["Cache-Control"] and "private" not in response["Cache-Control"]


def test_signed_in_pages_are_never_cached(world, client):
    fill(world, 1)
    client.force_login(world.leo)
    for url in [*public_urls(world), *fresh_urls(world)]:
        response = client.get(url)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
        assert "public" not in response["Cache-Control"] and response["X-Page-Cache"] == "bypass", url


# --- Poster and the hook -----------------------------------------------------------------


def poster_qr(html: str) -> str:
    return html_module.unescape(re.search(r'<img class="poster-qr"\s+src="([^"]+)"', html).group(1))


def qr_of(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=8, border=2, dark="#000", light="#fff")


def test_poster_has_name_theme_and_a_qr_code_of_the_site_url(world, client, settings):
    settings.SITE_URL = "https://louzu.example.cn"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "louzu.example.cn"]
    approve(world.g1, world.leo)
    # Whatever host the request names (a proxy, a typo, a forged Host header), the poster
    # printed on the corridor wall leads to the site.
    html = client.get(reverse("public:poster", args=[world.g1.pk]), HTTP_HOST="localhost").content.decode()
    expected = f"https://louzu.example.cn{world.g1.get_public_url()}"
    assert "书法与太极" in html and world.g1.name in html
    assert expected in html and "localhost" not in html.split("<main")[1]
    assert poster_qr(html) == qr_of(expected)
    assert poster_qr(html) != qr_of(f"http://localhost{world.g1.get_public_url()}")
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


def test_the_home_page_lists_every_streets_neighbourhoods_by_name_in_two_queries(world, client, count_queries):
    from corridors.models import Neighbourhood, Street

    street = Street.objects.order_by("pk").first()
    Neighbourhood.objects.create(street=street, name="阿里巷居民区", committee_name="阿里巷居委会")
    html = client.get(reverse("public:home")).content.decode()
    for place in Street.objects.select_related("district"):
        assert f"{place.district} · {place.name}" in html
        assert reverse("public:street_activities", args=[place.pk]) in html
        assert reverse("public:street_calendar", args=[place.pk]) in html
        names = [n.name for n in place.neighbourhoods.order_by("name")]
        links = re.findall(r'href="(/neighbourhoods/\d+/)">([^<]+)</a>', html)
        assert [name for _url, name in links if name in names] == names
        for n in place.neighbourhoods.all():
            assert f'href="{reverse("public:neighbourhood", args=[n.pk])}">{n.name}</a>' in html
    assert count_queries(client.get, reverse("public:home")) == 2
