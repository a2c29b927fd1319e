"""Malformed or hostile input is answered with a message, never with a server error.

Every POST endpoint of consultations gets garbage in every field it could read, as the
persona who may use it; the list pages get garbage in their query strings.
"""

import datetime

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from consultations import urls
from consultations.models import Category, Ticket
from consultations.services.requests import request_accept, request_answer_on_spot, request_resolve
from consultations.services.tickets import ticket_issue
from consultations.workflows.request import REQUEST
from consultations.workflows.ticket import TICKET
from tests.consultations.conftest import file_request, fresh

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + datetime.timedelta(days=14)
GARBAGE = [
    "abc",
    "²",
    "-1",
    "0",
    "1.5",
    "99999999999999999999",
    "",
    " ",
    "\x00",
    "<script>",
    "2026-13-45",
    "http://[::1",
    "on",
]
FIELDS = [
    "representative", "request", "compound", "building", "households", "category", "title", "text",
    "department", "conference", "state", "note", "due_date", "officer", "name", "date", "venue", "location",
    "officers", "street", "active", "assignment", "term", "starts_on", "ends_on", "next", "attachment",
]  # fmt: skip
# Pages that take no POST (their garbage is in the query string, below).
GET_ONLY = {
    "index", "public_board", "mine", "my_queues", "request", "attachment", "follow_ups", "overview",
    "overview_export", "neighbourhood", "conferences", "report", "report_export", "stall", "board",
}  # fmt: skip
QUERY = [
    "state", "overdue", "sort", "page", "street", "year", "category", "compound", "conference", "department",
    "q", "lang",
]  # fmt: skip


def test_check_in_with_a_request_that_is_not_a_number_is_refused_with_a_message(cw, as_user):
    client = as_user(cw.w.otto)
    url = reverse("consultations:check_in", args=[cw.stall.pk])
    for value in ("abc", "²", "1.5", "99999999999999999999"):
        response = client.post(url, {"representative": cw.w.rita.pk, "request": value})
        assert response.status_code == 400, value
        assert "alert-danger" in response.content.decode()
    assert not Ticket.objects.exists()


def test_check_in_links_only_an_open_request_of_this_stall_and_this_representative(cw, as_user):
    from corridors.models import Role
    from corridors.services.people import role_assign
    from tests import factories as f

    rosa = f.UserFactory(username="rosa", full_name="罗莎")
    role_assign(user=rosa, role=Role.REPRESENTATIVE, street=cw.w.street, neighbourhood=cw.w.n1)
    green = file_request(cw, department=cw.greening, conference=cw.upcoming, title="绿化")
    answered = file_request(cw, conference=cw.upcoming, title="已答复")
    request_answer_on_spot(actor=cw.w.otto, request=answered, answer="好。")
    hers = file_request(cw, rep=rosa, conference=cw.upcoming, title="罗莎的")
    client = as_user(cw.w.otto)
    url = reverse("consultations:check_in", args=[cw.stall.pk])
    for linked in (green, answered, hers):
        assert client.post(url, {"representative": cw.w.rita.pk, "request": linked.pk}).status_code == 400
    assert not Ticket.objects.exists()
    mine = file_request(cw, conference=cw.upcoming, title="我的")
    assert client.post(url, {"representative": cw.w.rita.pk, "request": mine.pk}).status_code == 302
    assert Ticket.objects.get().request == mine


@pytest.fixture
def endpoints(cw):
    """Every POST endpoint of consultations, with the persona who may use it."""
    w = cw.w
    submitted = file_request(cw, conference=cw.upcoming, title="待处理")
    accepted = file_request(cw, title="跟进中")
    request_accept(actor=fresh(w.otto), request=accepted, due_date=SOON)
    resolved = file_request(cw, title="已解决")
    request_accept(actor=fresh(w.otto), request=resolved, due_date=SOON)
    request_resolve(actor=w.otto, request=resolved, resolution="好了。", public_summary="已办结")
    ticket = ticket_issue(actor=w.otto, stall=cw.stall, representative=w.rita)
    category = Category.objects.filter(street=w.street).first()
    on_request = {
        "answer_on_spot": submitted, "accept": submitted, "refer": submitted, "decline": submitted,
        "resolve": accepted, "confirm": resolved, "reopen": resolved,
    }  # fmt: skip
    rows = [
        (w.rita, reverse("consultations:request_new")),
        (w.carl, reverse("consultations:request_on_behalf")),
        (w.otto, reverse("consultations:attachment_upload", args=[submitted.pk])),
        (w.alice, reverse("consultations:categories")),
        (w.alice, reverse("consultations:category_rename", args=[category.pk])),
        (w.alice, reverse("consultations:category_active", args=[category.pk])),
        (w.alice, reverse("consultations:representatives")),
        (w.alice, reverse("consultations:conference_new")),
        (w.alice, reverse("consultations:conference", args=[cw.upcoming.pk])),
        (w.otto, reverse("consultations:check_in", args=[cw.stall.pk])),
        (w.otto, reverse("consultations:walk_in", args=[cw.stall.pk])),
        (w.otto, reverse("consultations:call_next", args=[cw.stall.pk])),
    ]
    for action in (t.name for t in REQUEST):
        who = w.rita if action in ("confirm", "reopen") else w.otto
        rows.append((who, reverse("consultations:request_step", args=[on_request[action].pk, action])))
    # Every step of the ticket table ("call" is not a ticket button: it is answered "unknown step").
    for action in [*(t.name for t in TICKET), "bogus"]:
        rows.append((w.otto, reverse("consultations:ticket_step", args=[ticket.pk, action])))
    return rows


def test_garbage_posted_to_every_endpoint_is_never_a_server_error(cw, endpoints, client):
    # Every page of the app that takes a POST is here (a new one must be added).
    assert {resolve(url).url_name for _, url in endpoints} == {p.name for p in urls.urlpatterns} - GET_ONLY
    for user, url in endpoints:
        client.force_login(fresh(user))
        for value in GARBAGE:
            response = client.post(url, dict.fromkeys(FIELDS, value))
            assert response.status_code < 500, (url, value)
            # The same field given twice (a list where one value is expected).
            response = client.post(url, {name: [value, "1"] for name in FIELDS})
            assert response.status_code < 500, (url, value)


def test_garbage_in_query_strings_is_never_a_server_error(cw, client):
    w = cw.w
    r = file_request(cw, conference=cw.upcoming)
    pages = [
        (None, reverse("consultations:public_board")),
        (None, reverse("consultations:board", args=[cw.stall.pk])),
        (w.rita, reverse("consultations:mine")),
        (w.rita, reverse("consultations:my_queues")),
        (w.otto, reverse("consultations:follow_ups")),
        (w.otto, reverse("consultations:stall", args=[cw.stall.pk])),
        (w.otto, reverse("consultations:request", args=[r.pk])),
        (w.alice, reverse("consultations:overview")),
        (w.alice, reverse("consultations:overview_export")),
        (w.alice, reverse("consultations:conferences")),
        (w.alice, reverse("consultations:report", args=[cw.upcoming.pk])),
        (w.carl, reverse("consultations:neighbourhood")),
    ]
    for user, url in pages:
        if user is None:
            client.logout()
        else:
            client.force_login(fresh(user))
        for value in GARBAGE:
            response = client.get(url, dict.fromkeys([*QUERY, "next"], value))
            assert response.status_code < 500, (url, value)
