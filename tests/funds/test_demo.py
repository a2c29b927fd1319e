"""The story's D座 campaign, reproduced to the fen by the demo world."""

from decimal import Decimal

import pytest
from django.urls import reverse

from corridors.demo import load_demo
from funds.decision import decide_campaign
from funds.demo import demo_roll
from funds.models import ConsentRecord, MoneyEvent, Payment
from funds.progress import collection_of


def test_demo_roll_sums_to_the_story():
    rows = demo_roll()
    assert len(rows) == 192
    assert len({r[0] for r in rows}) == 192
    assert sum(r[2] for r in rows) == Decimal("20062.00")
    assert {r[1] for r in rows} == set(range(1, 26))
    assert all(Decimal("50") < r[2] < Decimal("250") for r in rows)


@pytest.mark.django_db
def test_demo_world_reproduces_the_story(client):
    load_demo()
    load_demo()  # idempotent
    from funds.models import Campaign

    campaign = Campaign.objects.get(building__name="D座")
    assert campaign.units.count() == 192
    assert campaign.reserve == Decimal("124000.00")
    assert campaign.gap == Decimal("163000.00")
    assert campaign.rate_per_m2 == Decimal("15.00")
    assert campaign.members.filter(is_leader=True).count() == 1
    collection = collection_of(campaign)
    assert collection.collected == Decimal("300930.00")
    assert collection.total_due == Decimal("300930.00")
    assert collection.paid_full == 192 and collection.funded
    assert decide_campaign(campaign).passed
    assert Payment.objects.count() == 192
    assert ConsentRecord.objects.count() == 192
    contributions = MoneyEvent.objects.filter(kind=MoneyEvent.Kind.CONTRIBUTION)
    assert sum(contributions.values_list("amount", flat=True)) == Decimal("300930.00")

    html = client.get(reverse("funds:notice", args=[campaign.pk])).content.decode()
    assert "¥300,930.00" in html and "¥163,000.00" in html and "¥124,000.00" in html
