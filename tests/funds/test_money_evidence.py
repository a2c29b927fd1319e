"""Money evidence (issue 13, item 5): receipts carry amounts, a renovation payout never
exceeds its receipts (service and database), and a wrong ledger line is corrected by a
reversing entry, never edited, with the correction on the public ledger."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from common.refusals import Refused
from funds.models import LedgerEntry, MoneyEvent, PayoutKind, PayoutReceipt
from funds.services.ledger import ledger_entry_reverse
from funds.services.payouts import payout_approve, payout_propose, payout_receipts_add
from tests.funds.test_acceptance import award_for
from tests.funds.test_ledger import paid_award, spend
from tests.funds.test_payouts import receipt


def test_a_renovation_payout_cannot_exceed_its_receipts(world):
    award = award_for(world)
    with pytest.raises(Refused, match="¥300.00"):
        payout_propose(
            award=award,
            actor=world.alice,
            kind=PayoutKind.RENOVATION,
            amount=Decimal("500.00"),
            receipts=[receipt("200.00"), receipt("100.00")],
        )
    payout = payout_propose(
        award=award,
        actor=world.alice,
        kind=PayoutKind.RENOVATION,
        amount=Decimal("300.00"),
        receipts=[receipt("200.00"), receipt("100.00")],
    )
    assert sorted(payout.receipts.values_list("amount", flat=True)) == [Decimal("100.00"), Decimal("200.00")]
    payout_receipts_add(payout=payout, actor=world.alice, receipts=[receipt("50.00")])
    assert payout_approve(payout=payout, actor=world.fay).state == "approved"


def test_the_database_refuses_a_payout_above_its_receipts_at_commit(world):
    award = award_for(world)
    payout = payout_propose(
        award=award, actor=world.alice, kind=PayoutKind.RENOVATION, amount=Decimal("300.00"), receipts=[receipt("300")]
    )
    # The check is deferred to commit; IMMEDIATE runs it now, inside the test's transaction.
    for statement, params in [
        ("UPDATE funds_payoutreceipt SET amount = 299.99 WHERE payout_id = %s", [payout.pk]),
        ("UPDATE funds_payout SET amount = 300.01 WHERE id = %s", [payout.pk]),
        ("DELETE FROM funds_payoutreceipt WHERE payout_id = %s", [payout.pk]),
    ]:
        refused = pytest.raises((IntegrityError, DatabaseError), match="exceeds its receipts")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
            cursor.execute("SET CONSTRAINTS payout_within_receipts, payoutreceipt_within_receipts IMMEDIATE")
    assert PayoutReceipt.objects.get(payout=payout).amount == Decimal("300.00")


def test_the_receipts_and_their_total_are_on_the_payout_page(world, client):
    award = award_for(world)
    payout = payout_propose(
        award=award,
        actor=world.alice,
        kind=PayoutKind.RENOVATION,
        amount=Decimal("300.00"),
        receipts=[receipt("120.00"), receipt("180.00")],
    )
    client.force_login(world.fay)
    html = client.get(payout.get_absolute_url()).content.decode()
    assert html.count("data-receipt-amount") == 2 and "¥120.00" in html and "¥180.00" in html
    assert "收据合计 ¥300.00" in html


def test_a_receipt_amount_per_file_is_asked_on_the_form(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.funds.test_payouts import PDF

    award = award_for(world)
    client.force_login(world.alice)
    url = reverse("funds:payout_propose", args=[award.pk])
    data = {"kind": PayoutKind.RENOVATION, "amount": "100.00", "token": "8e2c1f0e-5b1a-4c1a-9a3b-0e0e0e0e0e0e"}
    files = [SimpleUploadedFile("a.pdf", PDF, "application/pdf"), SimpleUploadedFile("b.pdf", PDF, "application/pdf")]
    response = client.post(url, {**data, "receipt": files, "receipt_amounts": "60.00"})
    assert response.status_code == 200 and "一张收据一个金额" in response.content.decode()
    assert not award.payouts.exists()


def test_a_wrong_ledger_line_is_reversed_not_edited_and_the_public_ledger_shows_it(world, client):
    award = paid_award(world)
    wrong = spend(world, award, "580.00", item="绿萝")
    reversal = ledger_entry_reverse(entry=wrong, actor=world.leo, reason="金额录错，收据为58元")
    spend(world, award, "58.00", item="绿萝")
    award.refresh_from_db()
    assert award.ledger_spent == Decimal("58.00")
    wrong.refresh_from_db()
    assert (wrong.amount, wrong.item) == (Decimal("580.00"), "绿萝")  # untouched
    assert reversal.amount == Decimal("-580.00") and reversal.reverses == wrong
    assert MoneyEvent.objects.filter(kind=MoneyEvent.Kind.LEDGER_REVERSED, amount=Decimal("-580.00")).exists()
    with pytest.raises(Refused):
        ledger_entry_reverse(entry=wrong, actor=world.leo, reason="再来一次")
    with pytest.raises(Refused):
        ledger_entry_reverse(entry=wrong, actor=world.alice, reason="不是楼组长")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE funds_ledgerentry SET amount = 58 WHERE id = %s", [wrong.pk])
    html = client.get(reverse("public:corridor", args=[award.group_id])).content.decode()
    assert html.count("data-public-correction") == 1
    assert "−¥580.00" in html or "-¥580.00" in html or "¥-580.00" in html
    assert "更正" in html and "金额录错" not in html  # the reason stays off the public page


def test_the_leader_reverses_through_the_correction_page(world, client):
    award = paid_award(world)
    wrong = spend(world, award, "100.00")
    client.force_login(world.leo)
    url = reverse("funds:ledger_reverse", args=[wrong.pk])
    assert (
        reverse("funds:ledger_reverse", args=[wrong.pk])
        in client.get(reverse("funds:ledger", args=[award.pk])).content.decode()
    )
    assert client.post(url, {"reason": "重复录入"}).status_code == 400  # not confirmed
    assert client.post(url, {"reason": "重复录入", "confirm": "on"}).status_code == 302
    assert LedgerEntry.objects.filter(reverses=wrong).exists()
    client.force_login(world.carl)
    assert client.get(url).status_code == 403
    assert timezone.localdate()
