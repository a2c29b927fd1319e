"""The three users carry an application from draft to approval in a real browser.

leader drafts and submits → committee endorses → street returns it with a reason →
leader revises and resubmits → committee endorses → street approves. The timeline then
shows the six steps. (Button texts come from the translation catalogue, so the test
finds controls by their data attributes and form field names.)
"""

import pytest
from playwright.sync_api import expect

from corridors.models import Application
from corridors.workflows.application import State
from tests.conftest import browser_login
from tests.corridors.test_application_workflow import make_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(page):
    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_load_state()


def _step(page, name, note=""):
    form = page.locator(f"form[data-step='{name}']")
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _state(page):
    return page.locator("[data-state]").first.get_attribute("data-state")


def test_draft_to_approval_with_one_return(world, live_server, page):
    make_year(world.street)
    base = live_server.url

    # The leader drafts from the home page.
    browser_login(page, live_server, "leo")
    page.goto(f"{base}/home/")
    page.locator(f"a[href='/applications/new/{world.g1.pk}/']").click()
    form = page.locator("form[data-application-form]")
    form.locator("select[name=theme]").select_option(index=1)
    form.locator("input[name=title]").fill("百草园楼道")
    form.locator("textarea[name=plan]").fill("粉刷墙面，布置绿植。")
    form.locator("textarea[name=convention]").fill("不堆放杂物。")
    form.locator("input[name=households_agreed]").fill("9")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    application = Application.objects.get(group=world.g1)
    detail = f"{base}{application.get_absolute_url()}"

    budget = page.locator("form[data-application-form] [data-budget-form]")
    budget.locator("input[name=item]").fill("内墙油漆")
    budget.locator("input[name=quantity]").fill("3")
    budget.locator("input[name=unit_price]").fill("66.60")
    budget.locator("button[value=add_item]").click()
    expect(page.locator("[data-budget-total]")).to_have_attribute("data-budget-total", "199.80")

    page.goto(detail)
    _step(page, "submit")
    assert _state(page) == State.SUBMITTED
    _sign_out(page)

    # The committee of the neighbourhood endorses.
    browser_login(page, live_server, "carl")
    page.goto(f"{base}/applications/queue/")
    page.locator(f"[data-queue=waiting] tr[data-application='{application.pk}'] a").click()
    _step(page, "endorse")
    assert _state(page) == State.ENDORSED
    _sign_out(page)

    # The street returns it with a reason.
    browser_login(page, live_server, "alice")
    page.goto(f"{base}/applications/?state=endorsed")
    page.locator(f"tr[data-application='{application.pk}'] a").click()
    _step(page, "return_by_street", note="请补充轮流打扫的安排。")
    assert _state(page) == State.RETURNED
    _sign_out(page)

    # The leader sees what to fix on the home page, revises and resubmits.
    browser_login(page, live_server, "leo")
    page.goto(f"{base}/home/")
    expect(page.locator("[data-home-applications=leader]")).to_contain_text("请补充轮流打扫的安排。")
    page.locator(f"a[href='/applications/{application.pk}/edit/']").first.click()
    page.locator("form[data-application-form] textarea[name=convention]").fill("不堆放杂物，每周轮流打扫。")
    page.locator("form[data-application-form] button[value=save]").first.click()
    page.wait_for_load_state()
    _step(page, "submit")
    assert _state(page) == State.SUBMITTED
    _sign_out(page)

    browser_login(page, live_server, "carl")
    page.goto(detail)
    _step(page, "endorse")
    _sign_out(page)

    browser_login(page, live_server, "alice")
    page.goto(detail)
    _step(page, "approve")
    assert _state(page) == State.APPROVED

    journey = ["submit", "endorse", "return_by_street", "submit", "endorse", "approve"]
    steps = page.locator("ol[data-timeline] > li")
    expect(steps).to_have_count(6)
    assert [steps.nth(i).get_attribute("data-action") for i in range(6)] == journey
    # Each step is labelled in Chinese, as the catalogue (locale/zh_Hans) words it.
    labels = ["提交", "推荐", "退回修改", "提交", "推荐", "批准创建"]
    for i, label in enumerate(labels):
        expect(steps.nth(i)).to_contain_text(label)
    expect(steps.nth(2)).to_contain_text("请补充轮流打扫的安排。")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert [v.number for v in application.convention_versions.order_by("number")] == [1, 2]
