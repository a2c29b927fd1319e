"""The propose form explains a refusal in place and offers only what may still be proposed."""

import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funds.models import Payout, PayoutKind
from funds.services.payouts import payout_propose
from tests.funds.test_acceptance import award_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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


def test_no_second_culture_fund_is_offered(world, award, en_client):
    en_client.force_login(world.alice)
    url = reverse("funds:payout_propose", args=[award.pk])
    assert f'value="{PayoutKind.CULTURE_FUND}"' in en_client.get(url).content.decode()
    payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    body = en_client.get(url).content.decode()
    assert f'value="{PayoutKind.CULTURE_FUND}"' not in body and f'value="{PayoutKind.RENOVATION}"' in body
