"""The corridor ledger: the leader records spending of the culture fund received; the
balance never goes below zero (service, row lock, database); the public corridor section
shows the award, the amount and the lines (no personal data) in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from common.refusals import Refused
from funds.models import Award, LedgerEntry, MoneyEvent, PayoutKind
from funds.sections import public_corridor_section
from funds.services.awards import award_revoke
from funds.services.ledger import ledger_entry_add
from funds.services.payouts import payout_approve, payout_mark_paid, payout_propose
from tests.funds.test_acceptance import award_for
from tests.funds.test_payouts import PDF


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def paid_award(world) -> Award:
    award = award_for(world)
    payout = payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    payout_approve(payout=payout, actor=world.fay)
    payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="B-1")
    award.refresh_from_db()
    return award


def spend(world, award, amount, item="绿植"):
    return ledger_entry_add(
        award=award, actor=world.leo, spent_on=timezone.localdate(), item=item, amount=Decimal(amount)
    )


def test_nothing_can_be_spent_before_the_fund_is_paid(world):
    award = award_for(world)
    with pytest.raises(ValidationError, match="balance is ¥0.00"):
        spend(world, award, "1.00")


def test_the_balance_never_goes_below_zero(world):
    award = paid_award(world)
    spend(world, award, "1500.00")
    with pytest.raises(ValidationError) as refused:
        spend(world, award, "500.01")
    assert "¥500.00" in str(refused.value) and "¥500.01" in str(refused.value)
    spend(world, award, "500.00")
    award.refresh_from_db()
    assert award.ledger_balance == Decimal("0.00")
    with pytest.raises(IntegrityError, match="award_ledger_balance_not_negative"), transaction.atomic():
        Award.objects.filter(pk=award.pk).update(ledger_spent=Decimal("2000.01"))
    events = MoneyEvent.objects.filter(kind=MoneyEvent.Kind.LEDGER_SPENT).order_by("pk")
    assert [e.amount for e in events] == [Decimal("1500.00"), Decimal("500.00")]


@pytest.mark.parametrize("persona", ["alice", "lena", "fay", "carl"])
def test_only_the_groups_leader_keeps_the_ledger(world, persona):
    award = paid_award(world)
    with pytest.raises(Refused):
        ledger_entry_add(
            award=award, actor=getattr(world, persona), spent_on=timezone.localdate(), item="x", amount=Decimal("1")
        )
    assert not LedgerEntry.objects.exists()


def test_the_ledger_page_with_a_receipt_photo(world, client):
    award = paid_award(world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.leo)
    url = reverse("funds:ledger", args=[award.pk])
    data = {
        "spent_on": timezone.localdate().isoformat(),
        "item": "绿萝",
        "amount": "120.50",
        "receipt_amount": "120.50",
    }
    response = client.post(url, {**data, "receipt": SimpleUploadedFile("r.pdf", PDF, "application/pdf")})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "¥1,879.50" in page and "绿萝" in page
    entry = LedgerEntry.objects.get()
    assert client.get(reverse("funds:ledger_receipt", args=[entry.pk])).status_code == 200
    too_much = client.post(
        url, {**data, "amount": "5000", "receipt_amount": "5000", "receipt": SimpleUploadedFile("r.pdf", PDF)}
    )
    assert too_much.status_code == 200 and "The balance is ¥1,879.50" in too_much.content.decode()
    # Others in scope see the ledger but cannot write; outsiders do not find it.
    client.force_login(world.carl)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    client.force_login(world.lena)
    assert client.get(url).status_code == 404
    assert client.get(reverse("funds:ledger_receipt", args=[entry.pk])).status_code == 404


def test_the_public_section_has_no_personal_data_and_fixed_queries(world, django_assert_num_queries):
    assert public_corridor_section(world.g1) == []  # no award yet
    award = paid_award(world)
    spend(world, award, "100.00", item="第一笔：绿植")

    def render_section():
        sections = public_corridor_section(world.g1)
        return "".join(render_to_string(name, {"section": section}) for name, section in sections)

    with django_assert_num_queries(3):  # award, ledger, published fund notices
        html = render_section()
    assert "¥2,000.00" in html and "第一笔：绿植" in html and "Warm corridor" in html
    assert "leo" not in html and world.leo.full_name not in html
    for n in range(5):
        spend(world, award, "10.00", item=f"第{n}笔")
    with django_assert_num_queries(3):
        render_section()
    award_revoke(award=award, actor=world.alice, reason="撤销")
    assert public_corridor_section(world.g1) == []


def test_the_ledger_page_keeps_its_query_count(world, client, count_queries):
    award = paid_award(world)
    spend(world, award, "100.00", item="第一笔")
    url = reverse("funds:ledger", args=[award.pk])
    for persona in (world.leo, world.alice):
        client.force_login(persona)
        small = count_queries(client.get, url)
        for n in range(5):
            spend(world, award, "10.00", item=f"{persona.username}第{n}笔")
        assert count_queries(client.get, url) == small, persona


def test_the_public_corridor_page_shows_the_award_and_ledger(world, client):
    award = paid_award(world)
    spend(world, award, "88.00", item="春联")
    body = client.get(world.g1.get_public_url()).content.decode()
    assert "¥2,000.00" in body and "春联" in body


@pytest.mark.django_db
def test_the_demo_has_an_awarded_corridor_and_a_payout_to_approve():
    from corridors.demo import load_demo
    from funds.models import Payout, PayoutState

    load_demo()
    load_demo()  # idempotent
    award = Award.objects.get(group__building__name="D座")
    assert award.culture_fund_received == Decimal("2000.00")
    assert award.ledger_entries.count() == 2
    waiting = Payout.objects.get(state=PayoutState.PROPOSED)
    assert waiting.award == award and waiting.proposed_by.username == "staff"
    assert MoneyEvent.objects.filter(subject_type="funds.payout").count() == 4
