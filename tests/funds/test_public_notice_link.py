"""Residents reach a building's published fund notice from its public corridor page."""

import re

from django.urls import reverse

from funds.services.notice import notice_publish


def test_the_corridor_page_links_to_the_published_notice_only(world, campaign, client):
    url = world.g1.get_public_url()
    notice = reverse("funds:notice", args=[campaign.pk])
    body = client.get(url).content.decode()
    assert "data-public-fund-notice" not in body and notice not in body
    notice_publish(campaign=campaign, actor=campaign.created_by)
    body = client.get(url).content.decode()
    assert "data-public-fund-notice" in body and f'href="{notice}"' in body
    # Another building's group does not show it.
    assert notice not in client.get(world.g2.get_public_url()).content.decode()


def test_the_notice_and_the_board_lead_back_to_the_public_home(world, campaign, client):
    notice_publish(campaign=campaign, actor=campaign.created_by)
    home = reverse("public:home")
    for url in (reverse("funds:notice", args=[campaign.pk]), reverse("consultations:public_board")):
        body = client.get(url).content.decode()
        assert re.search(rf'<a[^>]*href="{home}"[^>]*data-back-home', body), url


def test_the_public_home_links_to_the_request_board(db, client):
    body = client.get(reverse("public:home")).content.decode()
    assert re.search(rf'<a[^>]*href="{reverse("consultations:public_board")}"[^>]*data-request-board', body)
