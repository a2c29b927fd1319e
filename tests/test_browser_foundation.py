"""Browser journeys of the foundation, in a real Chromium (Debian's package)."""

import re

import pytest
from playwright.sync_api import expect

from corridors.models import BuildingGroup, Role
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_opens_the_public_site_on_a_phone(world, live_server, phone):
    phone.goto(f"{live_server.url}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("温馨楼组")
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


def test_staff_creates_a_group_and_its_leader_who_then_sees_it(world, live_server, page):
    building = world.g1.building
    browser_login(page, live_server, "alice")
    # Staff add a building group to an existing building…
    page.goto(f"{live_server.url}/manage/places/buildings/{building.pk}/groups/new/")
    page.get_by_label("名称").fill("银杏单元")
    page.get_by_label("户数").fill("8")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("银杏单元")
    # …and create its leader's account, choosing the new group as the scope.
    page.goto(f"{live_server.url}/manage/people/new/")
    page.get_by_label("用户名").fill("yinxing")
    page.get_by_label("姓名").fill("林银杏")
    page.get_by_label("手机号码").fill("13900002222")
    page.locator("#id_password1").fill("Ginkgo-leaf-2026")
    page.locator("#id_password2").fill("Ginkgo-leaf-2026")
    page.get_by_label("角色").select_option(label="楼组长")
    group = BuildingGroup.objects.get(name="银杏单元")
    page.get_by_label("楼组").select_option(value=str(group.pk))
    page.get_by_role("button", name="创建账号").click()
    expect(page.get_by_role("status")).to_contain_text("账号 yinxing 已创建")
    page.get_by_role("button", name="退出登录").click()

    # The new leader signs in and finds the group on their home page.
    browser_login(page, live_server, "yinxing", "Ginkgo-leaf-2026")
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.get_by_role("heading", name="我的楼组")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("银杏单元")).first).to_be_visible()
