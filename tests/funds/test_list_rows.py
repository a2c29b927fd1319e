"""The funds lists read only what their rows show: each row's text as before, and a number of
queries pinned for street staff and for a district reader, whatever the rows (issue 16)."""

import re

import pytest
from django.urls import reverse

from corridors.models import Oversight
from funds.services.checks import check_record_scores
from tests import factories as f
from tests.funds.test_acceptance import award_for, more_groups, ready_for_inspection, schedule, scores


@pytest.fixture
def dora(world):
    """A district user of our street's district (reads every list, changes nothing)."""
    user = f.UserFactory(username="dora", full_name="dora姓名")
    Oversight.objects.create(user=user, district=world.street.district)
    return user


def section(html: str, marker: str) -> str:
    text = html.split(marker, 1)[1].split("</section>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def queues(world):
    """One application in each of the page's queues and lists."""
    waiting = ready_for_inspection(world, group=world.g1, title="等待验收")
    scheduled = schedule(world, ready_for_inspection(world, group=world.g2, leader=world.lena, title="已排期"))
    failing = more_groups(world, 1)[0]
    check = schedule(world, ready_for_inspection(world, group=failing, title="整改中"))
    check_record_scores(
        check=check, actor=world.alice, scores=scores(2), remarks="需整改", rectification_items="补刷墙面"
    )
    return waiting, scheduled, failing


def test_the_checks_page_shows_each_queue_with_its_group_and_neighbourhood(world, as_user):
    waiting, scheduled, failing = queues(world)
    html = as_user(world.alice).get(reverse("funds:inspections")).content.decode()
    to_schedule = section(html, 'id="to-schedule-h"')
    assert f"等待验收 · {world.g1} · {world.n1.name}" in to_schedule
    assert reverse("funds:check_schedule", args=[waiting.pk]) in html
    assert "已排期" not in to_schedule and "整改中" not in to_schedule
    assert f"已排期 · {world.g2} ·" in section(html, 'id="scheduled-h"')
    assert f"整改中 · {failing}" in section(html, 'id="rectifying-h"')
    assert "整改中" in section(html, 'id="recorded-h"')


@pytest.mark.parametrize(("who", "queries"), [("alice", 10), ("dora", 11)])
def test_the_checks_page_makes_a_fixed_number_of_queries(world, dora, as_user, count_queries, who, queries):
    client = as_user(dora if who == "dora" else getattr(world, who))
    queues(world)
    assert count_queries(client.get, reverse("funds:inspections")) == queries
    for n, group in enumerate(more_groups(world, 4)):
        application = ready_for_inspection(world, group=group, title=f"楼组{n}")
        award_for(world, application) if n % 2 else schedule(world, application)
    assert count_queries(client.get, reverse("funds:inspections")) == queries


@pytest.mark.parametrize(("who", "awards", "payouts", "campaigns"), [("alice", 8, 7, 7), ("dora", 9, 8, 8)])
def test_the_other_funds_lists_make_a_fixed_number_of_queries(
    world, dora, as_user, count_queries, who, awards, payouts, campaigns
):
    client = as_user(dora if who == "dora" else getattr(world, who))
    award_for(world)
    pages = [reverse("funds:awards"), reverse("funds:payouts"), reverse("funds:list")]
    assert [count_queries(client.get, url) for url in pages] == [awards, payouts, campaigns]
    for group in more_groups(world, 3):
        award_for(world, ready_for_inspection(world, group=group, title=str(group.pk)))
    assert [count_queries(client.get, url) for url in pages] == [awards, payouts, campaigns]
