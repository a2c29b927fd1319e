"""Forms that never lose work (issue 14), in a browser: a long form warns before the page is
left with changes not saved, saving it does not; a form that came back with errors shows
them at the top, in words naming the field, and takes the focus there."""

import pytest
from django.urls import reverse

from tests.conftest import browser_login
from tests.funds.conftest import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def leave_and_count_warnings(page, url):
    """Follow a link away; answer "stay" to a warning. Returns how many warnings were shown."""
    warnings = []

    def on_dialog(dialog):
        warnings.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.evaluate(
        "(url) => { const a = document.createElement('a'); a.href = url; a.id = 'away';"
        " document.querySelector('main').append(a); a.textContent = 'away'; }",
        url,
    )
    page.click("#away", no_wait_after=True)
    page.wait_for_timeout(500)
    page.remove_listener("dialog", on_dialog)
    return warnings


def test_a_changed_long_form_warns_before_leaving_and_saving_does_not(world, live_server, phone):
    campaign = make_campaign(world)
    browser_login(phone, live_server, "alice")
    edit = f"{live_server.url}{reverse('funds:edit', args=[campaign.pk])}"
    phone.goto(edit)
    assert phone.locator("main form[data-guarded]").count() == 1
    # Untouched: leaving asks nothing.
    assert leave_and_count_warnings(phone, "/inbox/") == []
    phone.goto(edit)
    phone.locator("#id_purpose").fill("更换电梯和门禁")
    assert leave_and_count_warnings(phone, "/inbox/") == ["beforeunload"]
    assert phone.url == edit, "the person chose to stay: what they typed is still there"
    assert phone.locator("#id_purpose").input_value() == "更换电梯和门禁"
    # Saving the form itself is not leaving it.
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_load_state()
    assert phone.url.rstrip("/").endswith(str(campaign.pk))


def test_errors_are_summarised_at_the_top_naming_the_field_and_focused(world, live_server, phone):
    campaign = make_campaign(world)
    browser_login(phone, live_server, "alice")
    phone.goto(f"{live_server.url}{reverse('funds:edit', args=[campaign.pk])}")
    phone.locator("#id_purpose").fill("")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_load_state()
    summary = phone.locator("[data-error-summary]")
    assert summary.is_visible()
    assert "请填写“用途”。" in summary.inner_text()
    assert phone.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    # Above the form, and the field's own message says the same plain words.
    top = summary.bounding_box()["y"]
    assert top < phone.locator("main form").bounding_box()["y"]
    assert phone.locator("main form .invalid-feedback").first.inner_text().strip() == "请填写“用途”。"
    assert "这个字段是必填项" not in phone.content()
    # Its link puts the cursor in the field.
    summary.get_by_role("link").first.click()
    assert phone.evaluate("document.activeElement.id") == "id_purpose"
