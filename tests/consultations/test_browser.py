"""The loop in a real browser: pre-filed online → checked in at the stall → called (the board
shows it) → accepted for follow-up → resolved → confirmed → on the public board."""

import datetime

import pytest
from django.utils import timezone

from consultations.models import ConsultationRequest
from consultations.workflows.request import RequestState
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_request_from_filing_to_the_public_board(cw, live_server, page):
    w = cw.w
    base = f"{live_server.url}/consultations"

    # The representative pre-files a request for the coming conference.
    browser_login(page, live_server, "rita")
    page.goto(f"{base}/mine/new/")
    page.select_option("select[name=compound]", str(w.g1.building.compound.pk))
    page.select_option("select[name=building]", str(w.g1.building.pk))
    page.fill("input[name=households]", "12")
    page.select_option("select[name=category]", str(cw.garbage.pk))
    page.select_option("select[name=department]", str(w.housing.pk))
    page.select_option("select[name=conference]", str(cw.upcoming.pk))
    page.fill("input[name=title]", "高层垃圾分类投放点太少")
    page.fill("textarea[name=text]", "25层只有一楼一个投放点。")
    page.locator("form[data-once] button[type=submit]").click()
    page.wait_for_load_state()
    filed = ConsultationRequest.objects.get(title="高层垃圾分类投放点太少")
    assert page.url.endswith(f"/consultations/requests/{filed.pk}/")

    # At the conference, the housing office's stall checks her in and calls her number.
    page.context.clear_cookies()
    browser_login(page, live_server, "otto")
    stall = f"{base}/stalls/{cw.stall.pk}/"
    page.goto(stall)
    page.locator(f'[data-check-in="{filed.pk}"]').click()
    page.wait_for_load_state()
    assert page.locator('tr[data-ticket="1"][data-ticket-state="waiting"]').is_visible()
    page.locator("[data-call-next]").click()
    page.wait_for_load_state()
    assert page.locator('tr[data-ticket="1"][data-ticket-state="called"]').is_visible()
    page.goto(f"{base}/stalls/{cw.stall.pk}/board/")
    assert page.locator('[data-now-serving="1"]').inner_text().strip() == "1"
    assert page.locator("body").get_attribute("data-refresh-seconds")
    page.goto(stall)
    page.locator('tr[data-ticket="1"] [data-ticket-action="serve"]').click()
    page.wait_for_load_state()

    # From the queue to the request: accepted for follow-up, then resolved.
    page.locator('tr[data-ticket="1"] a').click()
    page.wait_for_load_state()
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    page.fill("form[data-step=accept] input[name=due_date]", due)
    page.locator("form[data-step=accept] button[type=submit]").click()
    page.wait_for_url(stall)
    assert ConsultationRequest.objects.get(pk=filed.pk).state == RequestState.ACCEPTED
    page.goto(f"{base}/requests/{filed.pk}/")
    page.fill("form[data-step=resolve] textarea[name=note]", "已在每层增设临时存放点，并增加晚间投放时段。")
    # The public summary comes pre-filled; the officer confirms it was checked for personal data.
    summary = page.locator("form[data-step=resolve] input[name=public_summary]")
    assert summary.input_value() == "高层垃圾分类投放点太少"
    page.check("form[data-step=resolve] input[name=summary_checked]")
    page.locator("form[data-step=resolve] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-resolution]").is_visible()

    # The representative reads the resolution and confirms it.
    page.context.clear_cookies()
    browser_login(page, live_server, "rita")
    page.goto(f"{base}/mine/")
    assert page.locator("[data-to-confirm]").is_visible()
    page.goto(f"{base}/requests/{filed.pk}/")
    assert "晚间投放时段" in page.locator("[data-resolution]").inner_text()
    page.locator("form[data-step=confirm] button[type=submit]").click()
    page.wait_for_load_state()
    assert ConsultationRequest.objects.get(pk=filed.pk).state == RequestState.CONFIRMED

    # Residents see it on the public board, without anyone's name.
    page.context.clear_cookies()
    page.goto(f"{base}/board/")
    card = page.locator(f'[data-public-request="{filed.pk}"]')
    assert "高层垃圾分类投放点太少" in card.inner_text()
    assert w.rita.full_name not in page.content()
