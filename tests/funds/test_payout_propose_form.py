"""The propose form explains a refusal in place and offers only what may still be proposed."""

import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funds.models import Payout, PayoutKind
from funds.services.payouts import payout_propose
from tests.factories import pdf_bytes
from tests.funds.test_acceptance import award_for

PDF = pdf_bytes()  # a real PDF: uploads are read with pypdf


@pytest.fixture
def award(world):
    return award_for(world)


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_proposal_over_the_limit_is_explained_on_the_form(world, award, en_client):
    en_client.force_login(world.alice)
    url = reverse("funds:payout_propose", args=[award.pk])
    data = {
        "kind": PayoutKind.RENOVATION,
        "amount": "999999.00",
        "note": "楼道粉刷",
        "token": str(uuid.uuid4()),
        "receipt": SimpleUploadedFile("r.pdf", PDF, "application/pdf"),
        "receipt_amounts": "999999.00",
    }
    response = en_client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "at most" in form.errors["amount"][0]
    body = response.content.decode()
    assert 'value="999999.00"' in body and 'value="楼道粉刷"' in body
    assert "Receipts (required for renovation claims)" in body
    assert not Payout.objects.filter(award=award).exists()


def test_a_second_culture_fund_gets_the_reason_not_a_generic_error(world, award, client):
    client.force_login(world.alice)
    url = reverse("funds:payout_propose", args=[award.pk])
    payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    body = client.get(url).content.decode()
    # Renovation is preselected; the form says why a culture fund is not to be proposed again.
    assert (
        f'value="{PayoutKind.RENOVATION}"' in body
        and "此称号的文化建设基金已提出、已批准或已拨付，如需拨付请选择装修费用报销" in body
    )
    response = client.post(url, {"kind": PayoutKind.CULTURE_FUND, "token": str(uuid.uuid4()), "note": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "选择一个有效的选项" not in html
    assert "此称号的文化建设基金拨付已提出、已批准或已拨付" in html
    assert Payout.objects.filter(award=award).count() == 1
