"""A resident on a 390 px phone signs up from the corridor page, another waits, the first
cancels with the code and the waiting one moves up; the organiser sees the masked list."""

import pytest
from django.urls import reverse

from corridors.models import ActivitySignup
from tests.conftest import browser_login
from tests.corridors.test_activities import make_activity
from tests.corridors.test_public_browser import serious_violations, small_targets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up_on(phone, live_server, group, name, number):
    phone.goto(f"{live_server.url}{group.get_public_url()}")
    phone.locator("#activities-h ~ ul").get_by_role("link", name="报名").first.click()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.get_by_label("您的姓名", exact=True).fill(name)
    phone.get_by_label("手机号码", exact=True).fill(number)
    phone.get_by_label("我同意").check()
    phone.get_by_role("button", name="报名").click()
    return phone.locator(".cancel-code").inner_text()


def test_sign_up_wait_cancel_and_move_up_on_a_phone(world, live_server, phone, page):
    activity = make_activity(world.g1, world.leo, title="中秋做月饼")
    activity.capacity = 1
    activity.save()

    # A bad number first: the page says what is wrong, in Chinese, and keeps the name.
    phone.goto(f"{live_server.url}{reverse('public:signup', args=[activity.pk])}")
    assert serious_violations(phone) == []
    assert small_targets(phone) == []
    phone.get_by_label("您的姓名", exact=True).fill("王秀英")
    phone.get_by_label("手机号码", exact=True).fill("12345")
    phone.get_by_label("我同意").check()
    phone.get_by_role("button", name="报名").click()
    assert "请填写以1开头的11位手机号码" in phone.locator(".alert-danger").inner_text()
    assert phone.get_by_label("您的姓名", exact=True).input_value() == "王秀英"
    assert not ActivitySignup.objects.exists()

    code = sign_up_on(phone, live_server, world.g1, "王秀英", "13812345678")
    assert "您已报上名" in phone.locator(".signup-status").inner_text()
    phone.context.clear_cookies()
    sign_up_on(phone, live_server, world.g1, "李建国", "13987654321")
    assert "候补" in phone.locator(".signup-status").inner_text()

    # The organiser sees both, masked.
    browser_login(page, live_server, "leo")
    page.goto(f"{live_server.url}{reverse('gallery:activity_signups', args=[activity.pk])}")
    table = page.locator(".signup-table").inner_text()
    assert "王*" in table and "138****5678" in table and "李*" in table
    assert "王秀英" not in table and "13812345678" not in table

    # The first cancels with the code; the waiting one moves up.
    phone.goto(f"{live_server.url}{activity.get_public_url()}")
    phone.get_by_role("link", name="取消报名").click()
    phone.get_by_label("报名时填写的手机号码").fill("13812345678")
    phone.get_by_label("取消码").fill(code)
    phone.get_by_role("button", name="取消我的报名").click()
    assert "候补第一位" in phone.locator("main").inner_text()
    assert dict(ActivitySignup.objects.values_list("name", "status")) == {"王秀英": "cancelled", "李建国": "confirmed"}
    page.reload()
    assert "由候补转为正式" in page.locator(".signup-table").inner_text()
