"""A corridor's money from inspection to payment in a real browser, by two people.

alice (street staff) schedules and records a passing check → the award → she proposes the
culture fund → fay (finance) approves it and marks it paid → leo (the leader) records the
first spending → the public corridor page shows ¥2,000.00 and that ledger line. Controls
are found by data attributes and field names (texts come from the Chinese catalogue).
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from funds.models import AcceptanceCheck, Award, MoneyEvent, Payout, PayoutState
from tests.conftest import browser_login
from tests.funds.test_acceptance import award_for, ready_for_inspection
from tests.funds.test_payouts import PDF, culture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(page):
    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_load_state()


def _submit(form):
    form.locator("button[type=submit]").click()
    form.page.wait_for_load_state()


def test_inspection_to_payment_to_the_public_page(world, live_server, page):
    application = ready_for_inspection(world)
    base = live_server.url
    today = timezone.localdate().isoformat()
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions

    # Street staff schedule and record the check; it passes and the award is made.
    browser_login(page, live_server, "alice")
    page.goto(f"{base}/home/")
    page.locator(f"[data-home-funds=staff] a[href='/funds/inspections/schedule/{application.pk}/']").click()
    form = page.locator("form[data-schedule-form]")
    form.locator("input[name=scheduled_for]").fill(today)
    form.locator(f"input[name=inspectors][value='{world.alice.pk}']").check()
    _submit(form)
    form = page.locator("form[data-scores-form]")
    for name, score in [("tidy", 18), ("orderly", 17), ("civilised", 16), ("warm", 15), ("harmonious", 14)]:
        form.locator(f"input[name=score_{name}]").fill(str(score))
    _submit(form)
    expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict", "passed")
    assert AcceptanceCheck.objects.get(application=application).outcome == "passed"
    award = Award.objects.get(application=application)

    page.goto(f"{base}{award.get_absolute_url()}")
    expect(page.locator("[data-certificate]")).to_have_text(award.certificate_number)
    page.locator("a[data-propose]").click()
    form = page.locator("form[data-propose-form]")
    form.locator("input[name=kind][value=culture_fund]").check()
    _submit(form)
    payout = Payout.objects.get(award=award)
    expect(page.locator("[data-payout-state]")).to_have_attribute("data-payout-state", "proposed")
    # alice proposed it: she is offered no approval.
    expect(page.locator("form[data-payout-action=approve]")).to_have_count(0)
    _sign_out(page)

    # The finance approver approves and pays it.
    browser_login(page, live_server, "fay")
    page.goto(f"{base}/home/")
    page.locator(f"[data-home-funds=finance] a[href='{payout.get_absolute_url()}']").click()
    _submit(page.locator("form[data-payout-action=approve]"))
    expect(page.locator("[data-confirm-words]")).to_contain_text("贰仟元整")  # asked first, in capitals
    _submit(page.locator("form[data-payout-confirm=approve]"))
    expect(page.locator("[data-payout-state]")).to_have_attribute("data-payout-state", "approved")
    form = page.locator("form[data-payout-action=pay]")
    form.locator("input[name=paid_on]").fill(today)
    form.locator("input[name=reference]").fill("ICBC-20260001")
    _submit(form)
    _submit(page.locator("form[data-payout-confirm=pay]"))
    expect(page.locator("[data-payout-state]")).to_have_attribute("data-payout-state", "paid")
    expect(page.locator("[data-money-log] li")).to_have_count(3)
    _sign_out(page)

    # The leader records the first spending, with a receipt.
    browser_login(page, live_server, "leo")
    page.goto(f"{base}/home/")
    expect(page.locator("[data-home-funds=leader] [data-balance]")).to_have_text("¥2,000.00")
    page.goto(f"{base}/funds/awards/{award.pk}/ledger/")
    form = page.locator("form[data-ledger-form]")
    form.locator("input[name=item]").fill("绿萝十盆")
    form.locator("input[name=amount]").fill("180.00")
    form.locator("input[name=receipt_amount]").fill("180.00")
    form.locator("input[name=receipt]").set_input_files(
        files=[{"name": "receipt.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    _submit(form)
    expect(page.locator("[data-balance]")).to_have_text("¥1,820.00")
    _sign_out(page)

    # Residents see the title, the culture fund and the ledger line on the public page.
    page.goto(f"{base}/corridors/{world.g1.pk}/")
    section = page.locator("[data-public-funds]")
    expect(section.locator("[data-culture-fund]")).to_have_text("¥2,000.00")
    expect(section.locator("[data-public-ledger]")).to_contain_text("绿萝十盆")
    expect(section.locator("[data-public-ledger]")).to_contain_text("¥180.00")

    payout.refresh_from_db()
    assert (payout.state, payout.proposed_by, payout.approved_by) == (PayoutState.PAID, world.alice, world.fay)
    assert MoneyEvent.objects.filter(subject_type="funds.payout", subject_id=payout.pk).count() == 3


def test_the_inbox_tells_fay_then_leo_about_the_payout(world, live_server, page):
    """alice proposes → fay finds it in her inbox, opens it, approves and pays → leo finds both
    steps in his inbox, and the link takes him to the award page (he does not see payouts)."""
    award = award_for(world)
    payout = culture(world, award)
    base = live_server.url
    today = timezone.localdate().isoformat()

    browser_login(page, live_server, "fay")
    expect(page.locator("a[href='/inbox/'] .badge")).to_have_text("1")
    page.goto(f"{base}/inbox/")
    proposed = page.locator("[data-inbox] [data-notification]").filter(has_text="拨付已提出")
    expect(proposed).to_have_count(1)
    expect(proposed).to_have_attribute("data-unread", "1")
    expect(proposed).to_contain_text(award.certificate_number)
    expect(proposed).to_contain_text("¥2,000.00")
    proposed.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == f"{base}{payout.get_absolute_url()}"
    _submit(page.locator("form[data-payout-action=approve]"))
    expect(page.locator("[data-confirm-words]")).to_contain_text("贰仟元整")  # asked first, in capitals
    _submit(page.locator("form[data-payout-confirm=approve]"))
    form = page.locator("form[data-payout-action=pay]")
    form.locator("input[name=paid_on]").fill(today)
    form.locator("input[name=reference]").fill("ICBC-20260002")
    _submit(form)
    _submit(page.locator("form[data-payout-confirm=pay]"))
    expect(page.locator("[data-payout-state]")).to_have_attribute("data-payout-state", "paid")
    page.goto(f"{base}/inbox/")
    expect(page.locator("[data-notification][data-unread='0']").filter(has_text="拨付已提出")).to_have_count(1)
    _sign_out(page)

    browser_login(page, live_server, "leo")
    page.goto(f"{base}/inbox/")
    items = page.locator("[data-inbox] [data-notification]")
    expect(items.filter(has_text="拨付已批准")).to_have_count(1)
    paid = items.filter(has_text="拨付已完成")
    expect(paid).to_have_count(1)
    expect(paid).to_contain_text("fay")
    paid.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == f"{base}{award.get_absolute_url()}"
    expect(page.locator("[data-certificate]")).to_have_text(award.certificate_number)
