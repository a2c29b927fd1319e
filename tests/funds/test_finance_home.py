"""A finance approver's home page links to the payouts waiting for payment."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from funds.models import PayoutKind
from funds.services.payouts import payout_approve, payout_propose
from tests.funds.test_acceptance import award_for


@pytest.fixture
def award(world):
    return award_for(world)


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_finance_home_links_to_the_payouts_waiting_for_payment(world, award, en_client):
    en_client.force_login(world.fay)
    assert "data-to-pay" not in en_client.get(reverse("home")).content.decode()
    payout = payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    payout_approve(payout=payout, actor=world.fay)
    body = en_client.get(reverse("home")).content.decode()
    assert re.search(rf'href="{reverse("funds:payouts")}\?state=approved"\s*data-to-pay', body)
