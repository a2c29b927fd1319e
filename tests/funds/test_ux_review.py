"""Funds pages after the UX review: the nav shows what each role may open, the propose form
explains a refusal in place, the finance home links to what waits for payment."""

import re
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funds.models import Payout, PayoutKind
from funds.services.payouts import payout_approve, payout_propose
from tests.funds.test_acceptance import award_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def award(world):
    return award_for(world)


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _nav(body: str) -> str:
    start = body.index('aria-label="Warm-corridor awards and payouts"')
    return body[start : body.index("</nav>", start)]


def test_the_funds_nav_shows_only_what_the_user_may_open(world, award, en_client):
    links = {
        "inspections": reverse("funds:inspections"),
        "awards": reverse("funds:awards"),
        "payouts": reverse("funds:payouts"),
        "budget": reverse("funds:budget"),
    }
    en_client.force_login(world.alice)
    nav = _nav(en_client.get(links["payouts"]).content.decode())
    assert all(f'href="{url}"' in nav for url in links.values())
    assert re.search(rf'href="{links["payouts"]}"\s*aria-current="page"', nav)
    assert nav.count('aria-current="page"') == 1
    en_client.force_login(world.fay)
    nav = _nav(en_client.get(links["budget"]).content.decode())
    assert links["inspections"] not in nav and links["payouts"] in nav
    assert re.search(rf'href="{links["budget"]}"\s*aria-current="page"', nav)
    en_client.force_login(world.leo)
    nav = _nav(en_client.get(award.get_absolute_url()).content.decode())
    assert links["awards"] in nav
    assert links["inspections"] not in nav and links["payouts"] not in nav and links["budget"] not in nav


def test_a_proposal_over_the_limit_is_explained_on_the_form(world, award, en_client):
    en_client.force_login(world.alice)
    url = reverse("funds:payout_propose", args=[award.pk])
    data = {
        "kind": PayoutKind.RENOVATION,
        "amount": "999999.00",
        "note": "楼道粉刷",
        "token": str(uuid.uuid4()),
        "receipt": SimpleUploadedFile("r.pdf", PDF, "application/pdf"),
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


def test_the_finance_home_links_to_the_payouts_waiting_for_payment(world, award, en_client):
    en_client.force_login(world.fay)
    assert "data-to-pay" not in en_client.get(reverse("home")).content.decode()
    payout = payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    payout_approve(payout=payout, actor=world.fay)
    body = en_client.get(reverse("home")).content.decode()
    assert re.search(rf'href="{reverse("funds:payouts")}\?state=approved"\s*data-to-pay', body)


def test_award_status_labels_have_their_own_context():
    from django.utils import translation

    from funds.models import Award

    with translation.override("zh-hans"):
        # Not the accounts' "启用" (enabled): the award's own word once translated.
        assert str(Award.State.ACTIVE.label) != "启用"
    with translation.override("en"):
        assert [str(s.label) for s in Award.State] == ["Active", "Suspended", "Revoked"]
