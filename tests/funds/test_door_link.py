"""The "door to door: ask the next unit" button goes away once there is nobody left to ask or
the owners' decision has passed; the roll and the volunteer's home page say so instead."""

import pytest
from django.urls import reverse

from funds.models import ConsentStatus
from funds.services.campaigns import working_group_member_add
from funds.services.consents import unit_record_consent
from tests import factories as f
from tests.funds.conftest import add_units


def roll(client, campaign) -> str:
    return client.get(reverse("funds:units", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def answer(world, units, status):
    for unit in units:
        unit_record_consent(unit=unit, status=status, recorded_by=world.alice)


def test_the_roll_offers_the_next_visit_while_the_vote_is_open(world, campaign, as_user):
    add_units(campaign, 4)
    html = roll(as_user(world.carl), campaign)
    assert "data-door-link" in html and "data-door-state" not in html


def test_once_every_unit_is_asked_the_roll_says_all_asked_not_ask_the_next(world, campaign, as_user):
    units = add_units(campaign, 4)
    answer(world, units[:1], ConsentStatus.AGREE)
    answer(world, units[1:3], ConsentStatus.REFUSE)
    answer(world, units[3:], ConsentStatus.UNREACHABLE)
    html = roll(as_user(world.carl), campaign)
    assert "data-door-link" not in html
    assert 'data-door-state="answered"' in html and "已全部征询" in html


def test_once_the_decision_passes_the_roll_says_passed_even_with_units_still_pending(world, campaign, as_user):
    units = add_units(campaign, 4)
    answer(world, units[:3], ConsentStatus.AGREE)  # 3 of 4 owners and 300 of 400 m²: it passes
    html = roll(as_user(world.carl), campaign)
    assert 'data-decision="pass"' in html
    assert "data-door-link" not in html
    assert 'data-door-state="passed"' in html and "不必再上门征询" in html


@pytest.mark.parametrize("decided", [False, True])
def test_a_volunteers_home_page_offers_the_visits_only_while_there_is_someone_to_ask(world, campaign, client, decided):
    units = add_units(campaign, 4)
    mei = f.UserFactory(username="mei")
    working_group_member_add(campaign=campaign, actor=campaign.created_by, name="梅", side="owners", user=mei)
    if decided:
        answer(world, units[:3], ConsentStatus.AGREE)
    client.force_login(mei)
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    door = reverse("funds:door", args=[campaign.pk])
    if decided:
        assert door not in html and 'data-door-state="passed"' in html
    else:
        assert door in html and "data-door-state" not in html
