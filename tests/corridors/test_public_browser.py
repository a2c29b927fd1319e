"""The public corridor page in a real Chromium: accessible (axe-core), usable on a phone,
and a leader's phone photo reaches residents without its GPS position."""

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from corridors.models import GalleryWork
from tests.common.test_uploads import gps_jpeg, webp_chunks
from tests.conftest import browser_login
from tests.corridors.test_activities import make_activity
from tests.corridors.test_gallery import make_work
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


def test_leader_publishes_a_gps_photo_and_a_resident_sees_it_without_the_position(world, live_server, page, phone):
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

    # What was served carries no EXIF, no GPS and no XMP, in both display sizes.
    sources = {picture.get_attribute("src")} | {
        part.strip().split(" ")[0] for part in picture.get_attribute("srcset").split(",")
    }
    assert len(sources) == 2
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
