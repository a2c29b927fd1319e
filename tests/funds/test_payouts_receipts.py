"""A renovation payout carries several receipts: chosen together when it is proposed, or added
on the payout page until it is decided; each goes through ``common.forms.ReceiptField`` and
the approver sees them all."""

import io
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from common.refusals import Refused
from funds.forms.payouts import MAX_RECEIPTS
from funds.models import Payout, PayoutKind, PayoutReceipt, PayoutState
from funds.services.payouts import payout_approve, payout_propose, payout_receipts_add
from tests.funds.test_acceptance import award_for
from tests.funds.test_payouts import PDF, culture, receipt


@pytest.fixture
def award(world):
    return award_for(world)


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def pdf(name="r.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def png(name="r.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def amounts_for(files) -> str:
    """One amount per file (each 200.00), as the form asks."""
    count = len(files) if isinstance(files, list) else 1
    return " ".join(["200.00"] * count)


def propose_page(client, award, files, amount="300.00"):
    data = {
        "kind": PayoutKind.RENOVATION,
        "amount": amount,
        "token": str(uuid.uuid4()),
        "note": "",
        "receipt": files,
        "receipt_amounts": amounts_for(files),
    }
    return client.post(reverse("funds:payout_propose", args=[award.pk]), data)


def renovation(world, award):
    return payout_propose(award=award, actor=world.alice, kind=PayoutKind.RENOVATION, amount=100, receipts=[receipt()])


def test_several_receipts_in_one_proposal(world, award, en_client):
    en_client.force_login(world.alice)
    form = en_client.get(reverse("funds:payout_propose", args=[award.pk])).content.decode()
    assert 'name="receipt"' in form and "multiple" in form
    response = propose_page(en_client, award, [pdf(), png(), pdf("r2.pdf")])
    payout = Payout.objects.get(award=award)
    assert response.status_code == 302 and response.url == payout.get_absolute_url()
    assert sorted(payout.receipts.values_list("kind", flat=True)) == ["image", "pdf", "pdf"]


def test_a_bad_file_among_the_receipts_stores_nothing(world, award, en_client):
    en_client.force_login(world.alice)
    fake = SimpleUploadedFile("fake.pdf", b"<html>not a receipt</html>", "application/pdf")
    response = propose_page(en_client, award, [pdf(), fake])
    assert response.status_code == 200
    assert "fake.pdf" in response.content.decode()
    assert not Payout.objects.exists() and not PayoutReceipt.objects.exists()


def test_too_many_receipts_at_once(world, award, en_client):
    en_client.force_login(world.alice)
    response = propose_page(en_client, award, [pdf(f"r{i}.pdf") for i in range(MAX_RECEIPTS + 1)])
    assert f"At most {MAX_RECEIPTS} receipts at once." in response.content.decode()
    assert not Payout.objects.exists()


def test_a_renovation_proposal_still_needs_a_receipt(world, award, en_client):
    en_client.force_login(world.alice)
    response = propose_page(en_client, award, [])
    assert "A renovation payout needs its receipts." in response.content.decode()
    assert not Payout.objects.exists()


def test_staff_add_receipts_until_the_payout_is_decided(world, award, en_client):
    payout = renovation(world, award)
    en_client.force_login(world.alice)
    page = en_client.get(payout.get_absolute_url()).content.decode()
    assert "data-receipt-form" in page
    url = reverse("funds:payout_step", args=[payout.pk, "receipts"])
    response = en_client.post(url, {"state": "proposed", "receipt": [png(), pdf()], "receipt_amounts": "10.00, 20.00"})
    assert response.status_code == 302
    assert payout.receipts.count() == 3

    # The approver sees every receipt, and each opens.
    en_client.force_login(world.fay)
    page = en_client.get(payout.get_absolute_url()).content.decode()
    assert "3 receipts" in page and "data-receipt-form" not in page
    for item in payout.receipts.all():
        assert f'href="{reverse("funds:payout_receipt", args=[item.pk])}"' in page
        assert en_client.get(reverse("funds:payout_receipt", args=[item.pk])).status_code == 200
    voucher = en_client.get(reverse("funds:voucher", args=[payout.pk])).content.decode()
    assert all(item.download_name in voucher for item in payout.receipts.all())

    payout_approve(payout=payout, actor=world.fay)
    en_client.force_login(world.alice)
    assert "data-receipt-form" not in en_client.get(payout.get_absolute_url()).content.decode()
    en_client.post(url, {"state": "approved", "receipt": [pdf()], "receipt_amounts": "10.00"})
    assert payout.receipts.count() == 3


def test_the_service_refuses_receipts_after_the_decision_and_for_others(world, award):
    payout = renovation(world, award)
    with pytest.raises(Refused):
        payout_receipts_add(payout=payout, actor=world.fay, receipts=[receipt()])  # not street staff
    with pytest.raises(Refused):
        payout_receipts_add(payout=payout, actor=world.bob, receipts=[receipt()])  # another street
    with pytest.raises(Refused):  # a stale page
        payout_receipts_add(payout=payout, actor=world.alice, receipts=[receipt()], expected_state="approved")
    payout_approve(payout=payout, actor=world.fay)
    with pytest.raises(Refused):
        payout_receipts_add(payout=payout, actor=world.alice, receipts=[receipt()])
    fund = culture(world, award)
    with pytest.raises(Refused):
        payout_receipts_add(payout=fund, actor=world.alice, receipts=[receipt()])
    assert PayoutReceipt.objects.count() == 1
    assert Payout.objects.get(pk=payout.pk).state == PayoutState.APPROVED


@pytest.mark.parametrize(("persona", "status"), [("fay", 403), ("leo", 404), ("bob", 404)])
def test_only_the_streets_staff_add_receipts_through_the_page(world, award, en_client, persona, status):
    payout = renovation(world, award)
    en_client.force_login(getattr(world, persona))
    url = reverse("funds:payout_step", args=[payout.pk, "receipts"])
    assert (
        en_client.post(url, {"state": "proposed", "receipt": [pdf()], "receipt_amounts": "10.00"}).status_code == status
    )
    assert payout.receipts.count() == 1


def test_the_payout_page_keeps_its_query_count_with_more_receipts(world, award, en_client, count_queries):
    payout = renovation(world, award)
    urls = [payout.get_absolute_url(), reverse("funds:voucher", args=[payout.pk])]
    for user in (world.alice, world.fay):
        en_client.force_login(user)
        small = [count_queries(en_client.get, url) for url in urls]
        payout_receipts_add(payout=payout, actor=world.alice, receipts=[receipt(), receipt()])
        assert [count_queries(en_client.get, url) for url in urls] == small
