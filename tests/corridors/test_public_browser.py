"""The public corridor page in a real Chromium: accessible (axe-core), usable on a phone,
and a leader's phone photo reaches residents without its GPS position."""

import gzip
import io
import random
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from PIL import Image, ImageChops, ImageDraw, ImageFilter
from playwright.sync_api import expect

from common.uploads import process_image
from corridors.models import GalleryWork
from corridors.services.gallery import work_create, work_publish
from jobs.core import run_pending_jobs
from tests.common.test_uploads import gps_jpeg, webp_chunks
from tests.conftest import browser_login
from tests.corridors.test_activities import make_activity
from tests.corridors.test_gallery import make_work, upload
from tests.corridors.test_public import approve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def small_targets(page) -> list[str]:
    """Links and buttons of the main content and header smaller than 44 px tall."""
    return page.evaluate(
        """() => [...document.querySelectorAll('header a, header button, main a, main button, main input,'
                 + ' main select')]
            .filter(el => el.offsetParent !== null)
            .filter(el => { const r = el.getBoundingClientRect(); return r.height < 44 || r.width < 24; })
            .map(el => el.outerHTML.slice(0, 80))"""
    )


def corridor_with_content(world):
    approve(world.g1, world.leo)
    for n in range(4):
        make_work(world.g1, world.leo, title=f"作品{n}", author_name="王伯伯", author_consent=n == 0)
    make_activity(world.g1, world.leo, title="亲子运动会", days=5)
    make_activity(world.g1, world.leo, title="烹饪比赛", days=-5)


@pytest.mark.parametrize("fixture", ["page", "phone"])
def test_corridor_page_has_no_serious_accessibility_violations(world, live_server, request, fixture):
    browser_page = request.getfixturevalue(fixture)
    corridor_with_content(world)
    for url in [
        world.g1.get_public_url(),
        reverse("public:gallery"),
        GalleryWork.objects.first().get_public_url(),
        reverse("public:compound", args=[world.g1.building.compound_id]),
    ]:
        browser_page.goto(f"{live_server.url}{url}")
        assert serious_violations(browser_page) == [], url
        assert small_targets(browser_page) == [], url
        assert browser_page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18
        assert browser_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url


def test_leader_publishes_a_gps_photo_and_a_resident_sees_it_without_the_position(
    world, live_server, page, phone, settings
):
    # The poster prints the site's own address (SITE_URL), here the test server.
    settings.SITE_URL = live_server.url
    settings.POSTER_ALLOW_LOCAL_ADDRESS = True  # the test server is on this machine
    # The leader, on a computer, adds a phone photo that still carries its GPS position.
    browser_login(page, live_server, "leo")
    page.goto(f"{live_server.url}{reverse('gallery:work_add', args=[world.g1.pk])}")
    page.locator("[name=kind]").select_option("photo")
    page.locator("[name=title]").fill("楼道口的樱花")
    page.locator("[name=alt_text]").fill("樱花树下的楼道口，蓝色的天空")
    page.locator("[name=image]").set_input_files(
        {"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": gps_jpeg()}
    )
    page.locator("form[data-once] button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("楼道口的樱花")
    # The page answered before the sizes were made: the leader sees the picture is processing.
    expect(page.locator("[data-picture-state=processing]")).to_contain_text("处理中")
    run_pending_jobs()  # the worker
    page.reload()
    expect(page.locator("[data-picture-state]")).to_have_count(0)
    page.locator("form[action$='/publish/'] button").click()
    expect(page.locator(".badge.text-bg-success")).to_be_visible()

    # The resident reads the address printed on the corridor poster and opens it on a phone.
    phone.goto(f"{live_server.url}{reverse('public:poster', args=[world.g1.pk])}")
    expect(phone.locator("img.poster-qr")).to_be_visible()
    poster_url = phone.locator(".poster-url").inner_text().strip()
    assert poster_url == f"{live_server.url}{world.g1.get_public_url()}"
    phone.goto(poster_url)
    expect(phone.get_by_role("link", name="楼道口的樱花")).to_be_visible()
    picture = phone.get_by_role("img", name="樱花树下的楼道口，蓝色的天空")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0")

    # What was served carries no EXIF, no GPS and no XMP, in every display size.
    sources = {picture.get_attribute("src")} | {
        part.strip().split(" ")[0] for part in picture.get_attribute("srcset").split(",")
    }
    assert len(sources) == 3
    for src in sources:
        response = phone.request.get(f"{live_server.url}{src}" if src.startswith("/") else src)
        assert response.ok
        data = response.body()
        assert set(webp_chunks(data)).isdisjoint({b"EXIF", b"XMP ", b"ICCP"})
        served = Image.open(io.BytesIO(data))
        assert served.format == "WEBP"
        assert not served.getexif() and "exif" not in served.info and "xmp" not in served.info
        assert b"PhoneMaker" not in data and b"<x:xmpmeta" not in data
        # Orientation 6 was applied before stripping: the 1600×800 photo stands upright.
        assert served.height > served.width
    assert re.search(r"31\.\d+|121\.\d+", phone.content()) is None


# --- Page weight on a real phone -----------------------------------------------------------


def phone_photo(seed: int) -> bytes:
    """A 2400×1800 JPEG that compresses like a phone photo of a corridor or a painting.

    Colour gradients and overlapping shapes carrying a texture at several scales (walls,
    leaves, fabric) and a light grain: its 1280 px WebP weighs about 140 KB and its 640 px
    one about 50 KB, like real photos. Pure noise would be several times heavier than any
    photo, and flat shapes a few KB; either would make the budget below meaningless.
    """
    rng = random.Random(seed)
    top = tuple(rng.randint(60, 230) for _ in range(3))
    bottom = tuple(rng.randint(20, 200) for _ in range(3))
    mask = Image.linear_gradient("L").resize((600, 450))
    image = Image.composite(Image.new("RGB", (600, 450), bottom), Image.new("RGB", (600, 450), top), mask)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y, r = rng.randint(0, 580), rng.randint(0, 430), rng.randint(6, 120)
        draw.ellipse((x, y, x + r, y + r * 0.8), fill=tuple(rng.randint(0, 255) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(1)).resize((2400, 1800), Image.Resampling.BICUBIC)
    for size, sigma in [((150, 112), 20), ((600, 450), 7), ((2400, 1800), 4)]:
        # Grey noise centred on 128, added around zero: texture, not colour speckle.
        layer = Image.effect_noise(size, sigma).convert("RGB").resize((2400, 1800), Image.Resampling.BICUBIC)
        image = ImageChops.add(image, layer, offset=-128)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def transferred_bytes(response) -> int:
    """The bytes a phone downloads for one response.

    Static files are served uncompressed by the test server, but WhiteNoise serves the
    pre-compressed .gz of CSS and JavaScript in production, so those count at their gzip
    size. Pictures and fonts are already compressed and count as they are.
    """
    try:
        body = response.body()
    except Exception:  # a redirect has no body
        return int(response.headers.get("content-length") or 0)
    content_type = response.headers.get("content-type", "")
    if "css" in content_type or "javascript" in content_type:
        return len(gzip.compress(body, compresslevel=9))
    return len(body)


def test_a_gallery_page_of_24_works_weighs_under_1_mb_on_a_phone(world, live_server, phone):
    for n in range(24):
        work = work_create(
            group=world.g1,
            kind=GalleryWork.Kind.PHOTO,
            title=f"照片{n}",
            image=process_image(upload(phone_photo(n))),
            alt_text=f"第{n}张楼道里的照片",
            by=world.leo,
        )
        work_publish(work=work, by=world.leo)
    responses = []
    phone.on("response", lambda response: responses.append(response))
    # A first view, without scrolling: the browser loads what lazy loading asks for.
    phone.goto(f"{live_server.url}{reverse('public:gallery')}", wait_until="networkidle")
    assert phone.locator(".work-card").count() == 24
    sizes = {response.url: transferred_bytes(response) for response in responses}
    pictures = {url: size for url, size in sizes.items() if "/media/public/" in url}
    assert len(pictures) >= 4, sizes  # the pictures on screen were loaded, not a trivial pass
    total = sum(sizes.values())
    assert total < 1_000_000, (total, sizes)
    # A 390 px phone at device pixel ratio 2 shows a half-width card with the 640 px size.
    assert all(url.endswith("-640.webp") for url in pictures), list(pictures)
