"""The application's edit page is one form (issue 14): nothing typed is lost by another button,
and the errors are summarised at the top in words that name the field."""

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login
from tests.corridors.test_application_workflow import make_application, make_year


def _post(client, application, **changes):
    data = {
        "state": application.state,
        "theme": application.theme_id,
        "title": application.title,
        "plan": application.plan,
        "convention": "不堆放杂物。",
        "households_agreed": application.households_agreed,
        "action": "save",
        **changes,
    }
    return client.post(f"/applications/{application.pk}/edit/", data)


@pytest.mark.django_db
def test_adding_a_budget_line_keeps_the_title_typed_before(world, as_user):
    application = make_application(world, make_year(world.street))
    client = as_user(world.leo)
    response = _post(
        client, application, title="向阳楼道", action="add_item", item="内墙油漆", quantity="3", unit_price="66.60"
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title == "向阳楼道"
    assert [(i.item, str(i.total)) for i in application.budget_items.all()] == [("内墙油漆", "199.80")]


@pytest.mark.django_db
def test_a_bad_budget_line_is_named_at_the_top_and_the_entries_are_kept(world, as_user):
    application = make_application(world, make_year(world.street))
    client = as_user(world.leo)
    response = _post(
        client, application, title="向阳楼道", action="add_item", item="内墙油漆", quantity="", unit_price="x"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "data-error-summary" in page
    assert "请填写“数量”。" in page
    assert "内墙油漆" in page  # the line typed is still in its field
    application.refresh_from_db()
    assert application.title == "向阳楼道"  # what was typed above it is saved
    assert not application.budget_items.exists()


@pytest.mark.django_db
def test_a_missing_title_is_named_in_plain_chinese(world, as_user):
    application = make_application(world, make_year(world.street))
    response = _post(as_user(world.leo), application, title="", item="内墙油漆", quantity="1", unit_price="10")
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写“标题”。" in page
    assert "内墙油漆" in page
    application.refresh_from_db()
    assert application.title == "百草园楼道"
    assert not application.budget_items.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_title_typed_before_adding_a_budget_line_survives_in_the_browser(world, live_server, phone):
    application = make_application(world, make_year(world.street))
    browser_login(phone, live_server, "leo")
    phone.goto(f"{live_server.url}/applications/{application.pk}/edit/")
    phone.get_by_label("标题").fill("向阳楼道")
    phone.get_by_label("项目").fill("内墙油漆")
    phone.get_by_label("数量").fill("3")
    phone.get_by_label("单价（元）").fill("66.60")
    phone.get_by_role("button", name="添加项目").click()
    expect(phone.locator("[data-budget-total]")).to_have_attribute("data-budget-total", "199.80")
    expect(phone.get_by_label("标题")).to_have_value("向阳楼道")
    application.refresh_from_db()
    assert application.title == "向阳楼道"
    # On the phone the budget is a card per line: nothing scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
