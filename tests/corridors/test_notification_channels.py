"""How people are told: system messages in the reader's language, inbox only or also by
e-mail, a 企业微信 group robot (a real local HTTP receiver) and text messages through the
operator's adapter."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse
from django.utils import translation

from corridors.models import NoticePreference, Notification
from corridors.services.notifications import notify
from funds.models import PayoutKind
from funds.services.payouts import payout_propose
from tests.funds.test_acceptance import award_for


@pytest.fixture
def award(world):
    return award_for(world)


def propose(world, award):
    return payout_propose(award=award, kind=PayoutKind.CULTURE_FUND, actor=world.alice)


def test_an_english_reader_sees_a_payout_notification_in_english(world, award, as_user, run_jobs_here, mailoutbox):
    world.fay.email = "fay@example.org"
    world.fay.save()
    NoticePreference.objects.create(user=world.fay, language="en")
    with translation.override("zh-hans"), run_jobs_here():
        payout = propose(world, award)
    client = as_user(world.fay)
    english = client.get(reverse("inbox:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Payout #{payout.pk} to" in english and "Culture fund" in english and "¥2,000.00" in english
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("inbox:list")).content.decode()
    assert f"Payout #{payout.pk} to" not in chinese and "文化" in chinese
    # Her e-mail is in the language she chose, though the step was taken in Chinese.
    assert [m.to for m in mailoutbox] == [["fay@example.org"]]
    assert f"Payout #{payout.pk} to" in mailoutbox[0].body and "Culture fund" in mailoutbox[0].body


def test_a_person_who_chose_the_inbox_only_gets_no_e_mail(world, run_jobs_here, mailoutbox):
    for user in (world.fay, world.leo):
        user.email = f"{user.username}@example.org"
        user.save()
    NoticePreference.objects.create(user=world.fay, by_email=False)
    with run_jobs_here():
        notify(recipients=[world.fay, world.leo], actor=world.alice, verb="请审核", message="第一行")
    assert Notification.objects.filter(recipient=world.fay).exists()
    assert [m.to for m in mailoutbox] == [["leo@example.org"]]


class Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        Receiver.received.append((self.headers["Content-Type"], json.loads(self.rfile.read(length))))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def robot():
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=duty", Receiver.received
    server.shutdown()
    server.server_close()


def test_the_duty_groups_robot_gets_the_message(world, settings, robot, run_jobs_here):
    url, received = robot
    settings.NOTIFICATION_CHANNELS = [
        {"BACKEND": "corridors.channels.InboxChannel"},
        {"BACKEND": "corridors.channels.WeComWebhookChannel", "OPTIONS": {"url": url, "roles": ["officer"]}},
    ]
    with run_jobs_here() as ran:
        notify(recipients=[world.leo], actor=world.alice, verb="请审核", message="不会发到群里")
    assert ran == [] and received == []  # the leader is not the department's: no message to its group
    with run_jobs_here():
        notify(
            recipients=[world.otto], actor=world.alice, verb="跟进到期", message="百草园楼道的跟进明天到期", url="/x/"
        )
    assert len(received) == 1
    content_type, payload = received[0]
    assert content_type == "application/json" and payload["msgtype"] == "text"
    assert payload["text"]["content"].startswith("跟进到期\n百草园楼道的跟进明天到期\n")
    assert "/x/" in payload["text"]["content"] and str(world.otto) in payload["text"]["content"]


SENT_TEXTS = []


class RecordingSmsAdapter:
    """What an operator's adapter does: hand the text to a provider (here: a list)."""

    def send(self, *, phone, text):
        SENT_TEXTS.append((phone, text))


def test_text_messages_go_through_the_configured_adapter(world, settings, run_jobs_here):
    SENT_TEXTS.clear()
    settings.NOTIFICATION_CHANNELS = [
        {
            "BACKEND": "corridors.channels.SmsChannel",
            "OPTIONS": {"adapter": "tests.corridors.test_notification_channels.RecordingSmsAdapter"},
        }
    ]
    world.leo.phone = "13800001234"
    world.leo.save()
    world.fay.phone = ""  # no phone: no text message
    world.fay.save()
    with run_jobs_here():
        notify(recipients=[world.leo, world.fay], actor=world.alice, verb="请审核")
    assert SENT_TEXTS == [("13800001234", "请审核")]


def test_a_person_chooses_inbox_only_on_their_preferences_page(world, as_user, run_jobs_here, mailoutbox):
    world.leo.email = "leo@example.org"
    world.leo.save()
    client = as_user(world.leo)
    page = client.get(reverse("inbox:list")).content.decode()
    assert reverse("inbox:preferences") in page
    response = client.post(reverse("inbox:preferences"), {"by_email": "0", "language": "en"})
    assert response.status_code == 302
    preference = NoticePreference.objects.get(user=world.leo)
    assert (preference.by_email, preference.language) == (False, "en")
    with run_jobs_here():
        notify(recipients=[world.leo], actor=world.alice, verb="请审核")
    assert mailoutbox == [] and Notification.objects.filter(recipient=world.leo).exists()
    # A language that is not offered is refused in Chinese, nothing changed.
    response = client.post(reverse("inbox:preferences"), {"by_email": "1", "language": "fr"})
    assert response.status_code == 200 and "请从列表中选择“" in response.content.decode()
    assert NoticePreference.objects.get(user=world.leo).by_email is False
