"""The campaign pages fit a phone: nothing wider than the screen, tables scroll inside themselves."""

import pytest

from tests.conftest import browser_login
from tests.funds.conftest import add_units, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_campaign_and_units_fit_a_phone(world, live_server, phone):
    campaign = make_campaign(world)
    add_units(campaign, 12)
    browser_login(phone, live_server, "alice")
    for path in (f"/funds/{campaign.pk}/", f"/funds/{campaign.pk}/units/"):
        phone.goto(f"{live_server.url}{path}")
        scroll_width, inner_width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        # A mobile browser widens its layout viewport to whatever overflows, so the page
        # must also keep the phone's own 390 px.
        assert scroll_width <= inner_width == 390, (path, scroll_width, inner_width)
