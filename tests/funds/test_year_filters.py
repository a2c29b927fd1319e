"""The year filters of the funds lists: the years offered come from index reads (the first and
last campaign; one probe per programme year for awards and checks), not from every row."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from corridors.models import ProgrammeYear
from funds.models import Campaign
from tests.funds.conftest import make_campaign
from tests.funds.test_acceptance import award_for

pytestmark = pytest.mark.django_db


def offered_years(client, name) -> list[int]:
    response = client.get(reverse(name))
    assert response.status_code == 200
    field = response.context["filter_form"].fields.get("year")
    return [] if field is None else [int(value) for value, _label in field.choices if value != ""]


def test_campaign_years_run_from_the_first_campaign_to_the_last(world, client):
    first, last = make_campaign(world), make_campaign(world, purpose="加装扶手")
    local = timezone.get_current_timezone()
    # 1 January 00:30 in Shanghai is still the year before in UTC: the years are local ones.
    Campaign.objects.filter(pk=first.pk).update(created_at=datetime.datetime(2021, 1, 1, 0, 30, tzinfo=local))
    Campaign.objects.filter(pk=last.pk).update(created_at=datetime.datetime(2024, 6, 1, tzinfo=local))
    client.force_login(world.alice)
    assert offered_years(client, "funds:list") == [2024, 2023, 2022, 2021]
    client.force_login(world.bob)  # the other street's staff: none of these campaigns
    assert offered_years(client, "funds:list") == []


def test_award_and_check_years_are_the_programme_years_that_hold_one(world, client):
    award = award_for(world)
    this_year = award.programme_year.year
    # A programme year with no award and no check is not offered.
    ProgrammeYear.objects.create(
        street=world.street,
        year=this_year - 3,
        window_opens=datetime.date(this_year - 3, 3, 1),
        window_closes=datetime.date(this_year - 3, 4, 1),
        annual_budget=Decimal("100000.00"),
        renovation_cap=Decimal("800.00"),
    )
    client.force_login(world.alice)
    assert offered_years(client, "funds:awards") == [this_year]
    assert offered_years(client, "funds:inspections") == [this_year]
    client.force_login(world.bob)
    assert offered_years(client, "funds:awards") == []
    assert offered_years(client, "funds:inspections") == []
