"""Who is told of each step, in the shared inbox (``inbox:list``) and by e-mail after commit.

The representative hears of every outcome (answered, accepted, referred, declined, resolved);
the department's officers hear of a new or referred request; the officer following it up
hears when the representative confirms or reopens. The one taking the step is never told.
"""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from common.refusals import Refused
from consultations.services.requests import (
    request_accept,
    request_answer_on_spot,
    request_confirm,
    request_decline,
    request_refer,
    request_reopen,
    request_resolve,
)
from consultations.workflows.request import ACTION_LABELS
from corridors.models import Notification, Role
from corridors.services.people import role_assign
from tests import factories as f
from tests.consultations.conftest import file_request

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + datetime.timedelta(days=14)


def told(request):
    """(recipient username, verb) per notification about this request, in order."""
    return [
        (n.recipient.username, n.verb)
        for n in Notification.objects.filter(url=request.get_absolute_url()).select_related("recipient").order_by("pk")
    ]


def label(action):
    """The heading the inbox shows: the step's label in the site's language (whatever the catalogue)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(ACTION_LABELS[action])


def recipients(request):
    return {username for username, _verb in told(request)}


def test_filing_tells_the_departments_officers_not_the_representative(cw):
    otto2 = f.UserFactory(username="otto2")
    role_assign(user=otto2, role=Role.OFFICER, street=cw.w.street, department=cw.w.housing)
    r = file_request(cw)
    assert recipients(r) == {"otto", "otto2"}
    notification = Notification.objects.filter(recipient=cw.w.otto).get()
    assert notification.application is None and notification.url == r.get_absolute_url()
    assert notification.actor == cw.w.rita
    assert r.title in notification.message
    assert notification.verb == label("file")


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("answer_on_spot", {"rita"}),
        ("decline", {"rita"}),
        ("refer", {"rita", "olga"}),  # the representative, and the new department's officers
    ],
)
def test_outcomes_tell_the_representative(cw, step, expected):
    r = file_request(cw)
    Notification.objects.all().delete()
    calls = {
        "answer_on_spot": lambda: request_answer_on_spot(actor=cw.w.otto, request=r, answer="下周修。"),
        "decline": lambda: request_decline(actor=cw.w.otto, request=r, reason="不属于公共部位。"),
        "refer": lambda: request_refer(actor=cw.w.otto, request=r, department=cw.greening, note="属于绿化。"),
    }
    calls[step]()
    assert recipients(r) == expected


def test_follow_up_resolve_confirm_and_reopen(cw):
    w = cw.w
    r = file_request(cw)
    Notification.objects.all().delete()
    # Street staff accept it for otto: otto and rita are told, alice (the actor) is not.
    request_accept(actor=w.alice, request=r, due_date=SOON, officer=w.otto)
    assert recipients(r) == {"rita", "otto"}
    Notification.objects.all().delete()
    request_resolve(actor=w.otto, request=r, resolution="已更换电梯。", public_summary="已办结")
    assert told(r) == [("rita", label("resolve"))]
    assert "已更换电梯。" in Notification.objects.get().message
    Notification.objects.all().delete()
    request_reopen(actor=w.rita, request=r, reason="又坏了。")
    assert told(r) == [("otto", label("reopen"))]
    request_resolve(actor=w.otto, request=r, resolution="更换了主板。", public_summary="已办结")
    Notification.objects.all().delete()
    request_confirm(actor=w.rita, request=r)
    assert recipients(r) == {"otto"}


def test_a_refused_step_tells_nobody(cw):
    r = file_request(cw)
    Notification.objects.all().delete()
    with pytest.raises(Refused):
        request_decline(actor=cw.olga, request=r, reason="no")
    assert not Notification.objects.exists()


def test_inactive_officers_are_not_told(cw):
    cw.w.otto.is_active = False
    cw.w.otto.save(update_fields=["is_active"])
    assert told(file_request(cw)) == []


def test_email_goes_out_after_commit_to_those_with_an_address(cw, mailoutbox, run_jobs_here):
    cw.w.rita.email = "rita@example.org"
    cw.w.rita.save(update_fields=["email"])
    r = file_request(cw)
    with run_jobs_here() as ran:
        request_decline(actor=cw.w.otto, request=r, reason="不属于公共部位。")
    assert len(ran) == 1
    assert [m.to for m in mailoutbox] == [["rita@example.org"]]
    assert r.get_absolute_url() in mailoutbox[0].body and "不属于公共部位。" in mailoutbox[0].body
    assert f"#{r.pk}" in mailoutbox[0].subject


def test_the_inbox_shows_a_request_notice_and_opens_the_request(cw, as_user):
    r = file_request(cw)
    request_decline(actor=cw.w.otto, request=r, reason="不属于公共部位。")
    notification = Notification.objects.get(recipient=cw.w.rita)
    client = as_user(cw.w.rita)
    page = client.get(reverse("inbox:list")).content.decode()
    assert f'data-notification="{notification.pk}"' in page
    assert (
        notification.verb == label("decline")
        and notification.verb in page
        and r.title in page
        and 'data-unread="1"' in page
    )
    response = client.post(reverse("inbox:open", args=[notification.pk]))
    assert response.status_code == 302 and response.url == r.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert client.get(response.url).status_code == 200
