"""The dashboard in a real browser on a phone: every chart drawn (SVG) under the strict CSP,
no console error, nothing wider than the screen; printing keeps the tables."""

import io

import pytest
from pypdf import PdfReader

from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_draws_its_charts_on_a_phone_without_console_errors(year_world, live_server, phone):
    browser_login(phone, live_server, "alice")
    problems = []

    def console(message):
        # Every console error counts, htmx's included (base.html tells it not to add the
        # indicator <style> the CSP would refuse).
        if message.type == "error":
            problems.append((message.text, message.location))

    phone.on("console", console)
    phone.on("pageerror", lambda error: problems.append(str(error)))
    phone.goto(f"{live_server.url}/dashboards/")
    phone.wait_for_selector("[data-chart-ready]")
    charts = phone.locator("[data-chart]")
    assert charts.count() >= 8
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.get_attribute("data-chart-ready") == "true", chart.get_attribute("data-chart")
        assert chart.locator("svg").count() >= 1
        assert chart.bounding_box()["height"] >= 200
    # The funnel's categories are drawn: the neighbourhood names appear in the SVG text.
    assert "和平花园居民区" in phone.locator('[data-chart="funnel"] svg').text_content()
    # A tooltip, drawn inside the SVG (no HTML with inline styles for the CSP to refuse).
    phone.locator('[data-chart="money_year"]').hover()
    phone.wait_for_timeout(300)
    scroll_width, inner_width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width == 390
    # Printing: the tables are shown, the filters and buttons are not.
    phone.emulate_media(media="print")
    assert phone.locator('[data-figure="funnel"]').is_visible()
    assert not phone.locator("[data-dashboard-filters]").is_visible()
    assert problems == []


def test_the_year_end_report_prints_on_one_a4_sheet(year_world, live_server, page):
    browser_login(page, live_server, "alice")
    page.goto(f"{live_server.url}/dashboards/year-end/")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    page.emulate_media(media="print")
    assert page.locator("table.figure-table").count() == 11
    assert not page.locator("[data-dashboard-filters]").is_visible()
