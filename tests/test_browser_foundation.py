"""Browser journeys of the foundation, in a real Chromium (Debian's package)."""

import re

import pytest
from playwright.sync_api import expect

from corridors.models import Role
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_opens_the_public_site_on_a_phone(world, live_server, phone):
    phone.goto(f"{live_server.url}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("温馨楼道")
    phone.get_by_role("link", name=world.n1.name).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(world.n1.name)
    phone.get_by_role("link", name=re.compile(world.g1.name)).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(world.g1.name)
    # Body text for elderly readers is at least 18px, and nothing overflows sideways.
    font_size = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_size >= 18
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The large-text toggle persists from page to page.
    phone.get_by_role("button", name="大字号").click()
    phone.goto(f"{live_server.url}/")
    assert phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > font_size


def test_staff_signs_in_and_sees_their_street(world, live_server, page):
    browser_login(page, live_server, "alice")
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")
    page.get_by_role("link", name="管理区域").click()
    expect(page.get_by_role("link", name=world.n1.name)).to_be_visible()
    assert world.n_other.name not in page.content()
    assert Role.STREET_STAFF in {a.role for a in world.alice.roles.all()}
