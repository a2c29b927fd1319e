"""A request's steps read in each reader's language, from the same stored notification, and
e-mail each recipient in the language they chose (helpers in
``tests/corridors/test_notifications_language.py``)."""

import datetime

import pytest
from django.utils import timezone, translation

from consultations.services.requests import request_accept, request_answer_on_spot
from corridors.models import Notification
from tests.consultations.conftest import file_request
from tests.corridors.test_notifications_language import assert_sources_english, inbox, mail_to, with_email

pytestmark = pytest.mark.django_db


def test_filing_and_answering_are_told_in_each_readers_language(cw, as_user, run_jobs_here, mailoutbox):
    w = cw.w
    with_email(w.otto, "en")  # the officer chose English
    with_email(w.rita)  # the representative: Chinese, the site's language
    with translation.override("zh-hans"), run_jobs_here():
        r = file_request(cw)
    otto = as_user(w.otto)
    english = inbox(otto, "en")
    assert "Filed" in english and "rita姓名: Filed." in english
    assert "The request is now “Waiting for the department”." in english and f"#{r.pk} 电梯经常停运" in english
    chinese = inbox(otto, "zh-hans")
    assert "rita姓名：已提交。" in chinese and "诉求当前状态：" in chinese and "Filed" not in chinese
    otto_mail = mail_to(mailoutbox, w.otto)
    assert f"Request #{r.pk}: Filed" in otto_mail and "诉求" not in otto_mail

    with translation.override("en"), run_jobs_here():
        request_answer_on_spot(actor=w.otto, request=r, answer="下周修。")
    rita = as_user(w.rita)
    english, chinese = inbox(rita, "en"), inbox(rita, "zh-hans")
    assert "Answer on the spot" in english and "“Answered on the spot”" in english and "Note: 下周修。" in english
    assert "现场答复" in chinese and "备注：下周修。" in chinese and "Answer" not in chinese
    rita_mail = mail_to(mailoutbox, w.rita)
    assert f"诉求 #{r.pk}：现场答复" in rita_mail and "备注：下周修。" in rita_mail and "Answer" not in rita_mail
    assert_sources_english(Notification.objects.all())
    assert {n.key for n in Notification.objects.all()} == {
        "consultations.request.file",
        "consultations.request.answer_on_spot",
    }


def test_a_state_change_is_told_in_the_representatives_language(cw, as_user):
    w = cw.w
    r = file_request(cw)
    with translation.override("en"):
        request_accept(
            actor=w.alice, request=r, due_date=timezone.localdate() + datetime.timedelta(days=14), officer=w.otto
        )
    told = Notification.objects.get(recipient=w.rita)
    assert "Accepted for follow-up" in inbox(as_user(w.rita), "en")
    assert "Accepted for follow-up" not in inbox(as_user(w.rita), "zh-hans")
    # What is kept besides the parts reads in the site's language (for searches and the admin).
    assert "Accepted" not in told.message and "Accepted" not in told.verb
