"""Notifications: e-mails carry the full link (``SITE_URL``), and the generic ``notify`` that
other apps use (inbox row per recipient, never the actor, e-mail only after commit)."""

import os

import pytest
from django.urls import reverse

from corridors.models import Notification
from corridors.services.applications import application_submit
from corridors.services.notifications import absolute_url, notify
from tests.corridors.test_application_workflow import make_application, make_year


@pytest.fixture
def year(world):
    return make_year(world.street)


def test_site_url_defaults_to_the_local_server(settings):
    from config import settings as project_settings

    if not os.environ.get("SITE_URL"):
        assert project_settings.SITE_URL == "http://127.0.0.1:8000"
    assert absolute_url("/applications/1/") == settings.SITE_URL + "/applications/1/"
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"
    assert absolute_url("") == ""


def test_application_e_mails_carry_the_full_link(world, year, settings, mailoutbox, run_jobs_here):
    settings.SITE_URL = "https://corridors.example"
    world.carl.email = "carl@example.org"
    world.carl.save()
    application = make_application(world, year)
    with run_jobs_here():
        application_submit(application=application, actor=world.leo)
    assert f"https://corridors.example/applications/{application.pk}/" in mailoutbox[0].body.splitlines()
    # The inbox keeps the site path: it is opened on the site itself.
    assert Notification.objects.get().url == application.get_absolute_url()


def test_notify_tells_each_recipient_once_never_the_actor(world, mailoutbox, run_jobs_here, settings):
    world.fay.email = "fay@example.org"
    world.fay.save()
    with run_jobs_here() as ran:
        sent = notify(
            recipients=[world.fay, world.alice, world.fay, world.leo],
            actor=world.alice,
            verb="支付已提出",
            message="第一行\n第二行",
            url=reverse("home"),
            subject="主题",
        )
    assert len(ran) == 1
    assert sorted(n.recipient.username for n in sent) == ["fay", "leo"]
    rows = Notification.objects.order_by("recipient__username")
    assert [(n.recipient.username, n.verb, n.actor, n.application) for n in rows] == [
        ("fay", "支付已提出", world.alice, None),
        ("leo", "支付已提出", world.alice, None),
    ]
    assert [m.to for m in mailoutbox] == [["fay@example.org"]]
    assert mailoutbox[0].subject == "主题"
    assert mailoutbox[0].body == f"第一行\n第二行\n\n在网站上打开：\n{settings.SITE_URL}{reverse('home')}"


def test_notify_sends_nothing_without_recipients_or_addresses(world, mailoutbox, run_jobs_here):
    with run_jobs_here() as ran:
        assert notify(recipients=[world.alice], actor=world.alice, verb="x") == []
        assert len(notify(recipients=[world.leo], actor=world.alice, verb="x")) == 1
    assert ran == [] and mailoutbox == []


def test_the_inbox_shows_a_notification_without_an_application(world, as_user):
    notify(recipients=[world.leo], actor=world.alice, verb="支付已完成", message="#1 ¥2,000.00", url=reverse("home"))
    page = as_user(world.leo).get(reverse("inbox:list")).content.decode()
    assert "支付已完成" in page and "#1 ¥2,000.00" in page
