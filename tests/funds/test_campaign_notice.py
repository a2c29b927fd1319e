"""The public notice (公示) is public only once a manager publishes it."""

import pytest
from django.urls import reverse

from funds.services.notice import notice_publish
from tests.funds.conftest import add_units


def test_new_campaigns_start_unpublished(campaign):
    assert not campaign.notice.is_published


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 404), ("nobody", 404), ("bob", 404), ("rita", 404), ("leo", 404), ("alice", 200), ("carl", 200)],
)
def test_unpublished_notice_is_a_managers_preview(world, campaign, client, who, status):
    if who:
        client.force_login(getattr(world, who))
    response = client.get(reverse("funds:notice", args=[campaign.pk]))
    assert response.status_code == status
    if status == 200:
        assert "data-notice-preview" in response.content.decode()


def test_publishing_and_withdrawing(world, campaign, client, as_user):
    url = reverse("funds:notice", args=[campaign.pk])
    publish = reverse("funds:notice_publish", args=[campaign.pk])
    assert as_user(world.leo).post(publish, {"published": "1"}).status_code == 403
    assert as_user(world.carl).post(publish, {"published": "1"}).status_code == 302
    campaign.notice.refresh_from_db()
    assert campaign.notice.is_published
    client.logout()
    response = client.get(url)
    assert response.status_code == 200 and "data-notice-preview" not in response.content.decode()
    assert as_user(world.alice).post(publish, {"published": "0"}).status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    # Who published and who withdrew it, and when, stay in the notice's history.
    steps = list(campaign.notice.transitions.values_list("action", "actor__username", "from_state", "to_state"))
    assert steps == [("publish", "carl", "unpublished", "published"), ("withdraw", "alice", "published", "withdrawn")]
    assert all(step.created_at for step in campaign.notice.transitions.all())


def test_a_second_click_on_publish_changes_nothing_and_says_why(world, campaign, as_user):
    publish = reverse("funds:notice_publish", args=[campaign.pk])
    client = as_user(world.alice)
    assert client.post(publish, {"published": "1", "state": "unpublished"}).status_code == 302
    response = client.post(publish, {"published": "1", "state": "unpublished"}, follow=True)
    assert any("已发布" in str(m) for m in response.context["messages"]), list(response.context["messages"])
    assert campaign.notice.transitions.count() == 1


def test_campaign_page_shows_the_switch_to_managers_only(world, campaign, as_user):
    url = reverse("funds:campaign", args=[campaign.pk])
    html = as_user(world.alice).get(url).content.decode()
    assert 'data-notice-state="unpublished"' in html
    assert reverse("funds:notice_publish", args=[campaign.pk]) in html
    assert reverse("funds:notice_publish", args=[campaign.pk]) not in as_user(world.leo).get(url).content.decode()


def test_published_notice_query_count_does_not_grow(world, campaign, client, count_queries):
    notice_publish(campaign=campaign, actor=campaign.created_by)
    url = reverse("funds:notice", args=[campaign.pk])
    add_units(campaign, 3)
    client.get(url)
    small = count_queries(client.get, url)
    add_units(campaign, 40, start=3)
    assert count_queries(client.get, url) == small
