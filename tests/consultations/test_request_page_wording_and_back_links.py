"""The request page: its own word for the channel, and a way back to where the user came from."""

import re

from django.conf import settings
from django.urls import reverse

from consultations.services.tickets import ticket_issue
from tests.consultations.conftest import file_request


def _back(body: str) -> tuple:
    match = re.search(r'<p class="mb-2 no-print" data-back>\s*<a href="([^"]*)"\s*(data-back-\w+)?', body)
    assert match, body[:2000]
    return match.group(1), match.group(2)


def test_the_channel_is_not_called_a_payment_method(cw, as_user):
    request = file_request(cw, conference=cw.upcoming)
    body = as_user(cw.w.rita).get(request.get_absolute_url()).content.decode()
    assert "缴款方式" not in body


def test_back_links_go_to_the_stall_my_requests_or_the_list(cw, as_user):
    w = cw.w
    request = file_request(cw, conference=cw.upcoming)
    url = request.get_absolute_url()
    assert _back(as_user(w.rita).get(url).content.decode()) == (reverse("consultations:mine"), "data-back-mine")
    assert _back(as_user(w.otto).get(url).content.decode()) == (reverse("consultations:index"), "data-back-list")
    ticket_issue(actor=w.otto, stall=cw.stall, representative=w.rita, request=request)
    stall = reverse("consultations:stall", args=[cw.stall.pk])
    assert _back(as_user(w.otto).get(url).content.decode()) == (stall, "data-back-stall")
    assert _back(as_user(w.alice).get(url).content.decode()) == (stall, "data-back-stall")
    # The representative holds the ticket but does not run the stall.
    assert _back(as_user(w.rita).get(url).content.decode()) == (reverse("consultations:mine"), "data-back-mine")
    # Coming from the stall page, its own link wins.
    body = as_user(w.otto).get(url, {"next": stall}).content.decode()
    assert _back(body) == (stall, None)


def test_select_boxes_say_what_to_choose(cw, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(cw.w.rita)
    body = client.get(reverse("consultations:request_new")).content.decode()
    assert "Choose a compound" in body and "The whole compound" in body and "Choose a category" in body
    assert "---------" not in body
