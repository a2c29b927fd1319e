"""Every message the system writes is kept as English source texts and parameters: the same
stored notification reads in English for an English reader and in Chinese for a Chinese one,
whatever language the step was taken in, and each e-mail is in its recipient's chosen
language (the site's, Chinese, when they chose none). Rows written before are shown as written.

The funds and consultations steps are in ``tests/funds/`` and ``tests/consultations/``
(``test_notifications_language.py``); they use the helpers here.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from corridors.models import NoticePreference, Notification
from corridors.services.applications import (
    application_approve,
    application_endorse,
    application_return_by_street,
    application_submit,
)
from corridors.services.contact import contact_leader
from corridors.services.gallery import work_hide
from corridors.workflows.application import State
from tests.corridors.test_application_workflow import make_application, make_year
from tests.corridors.test_gallery import make_work

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
ROOT = Path(__file__).resolve().parents[2]


# --- Helpers (the funds and consultations modules use them too) ---------------------------


def with_email(user, language=""):
    """Give ``user`` an address; ``language`` is the one they chose for e-mails ("" = none)."""
    user.email = f"{user.username}@example.org"
    user.save()
    if language:
        NoticePreference.objects.create(user=user, language=language)
    return user


def inbox(client, language, *, by_header=False) -> str:
    """The messages of the inbox page as a reader of ``language`` sees them."""
    if by_header:
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        response = client.get(reverse("inbox:list"), HTTP_ACCEPT_LANGUAGE=language)
    else:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(reverse("inbox:list"))
    assert response.status_code == 200
    return response.content.decode().split("data-inbox", 1)[1].split("</ul>", 1)[0]


def mail_to(mailoutbox, user) -> str:
    """Subject and body of the one e-mail sent to ``user``."""
    mails = [m for m in mailoutbox if m.to == [user.email]]
    assert len(mails) == 1, [m.subject for m in mails]
    return f"{mails[0].subject}\n{mails[0].body}"


def assert_sources_english(notifications) -> None:
    """Each kept source text (heading, lines, translated words) is an English msgid."""
    notifications = list(notifications)
    assert notifications
    for notification in notifications:
        assert notification.key and notification.parts, notification
        stored = [notification.parts["verb"]] if "verb" in notification.parts else []
        stored += [line for line in notification.parts.get("lines", []) if not isinstance(line, str)]
        for msgid, params in stored:
            assert not CJK.search(msgid), msgid
            for value in params.values():
                if isinstance(value, dict):
                    assert not CJK.search(value["t"]), value


# --- Corridors: applications, works, a resident's message --------------------------------


@pytest.fixture
def year(world):
    return make_year(world.street)


def test_application_steps_read_in_each_readers_language(world, year, as_user, run_jobs_here, mailoutbox):
    with_email(world.leo, "en")  # chose English e-mails
    with_email(world.carl)  # chose nothing: the site's language
    application = make_application(world, year, state=State.SUBMITTED)
    with run_jobs_here():
        with translation.override("zh-hans"):
            application_endorse(application=application, actor=world.carl)
        with translation.override("en"):
            application_return_by_street(application=application, actor=world.alice, note="预算表缺少发票")
    leo = as_user(world.leo)
    english = inbox(leo, "en")
    assert "Endorse" in english and "Return for revision" in english and "预算表缺少发票" in english
    assert "推荐" not in english and "退回修改" not in english
    chinese = inbox(leo, "zh-hans")
    assert "推荐" in chinese and "退回修改" in chinese and "Return for revision" not in chinese

    # Leo's e-mails are English, though carl endorsed in Chinese.
    leo_mails = "\n".join(m.subject + "\n" + m.body for m in mailoutbox if m.to == [world.leo.email])
    assert "百草园楼道: Endorse" in leo_mails and "carl姓名: Endorse." in leo_mails
    assert "The application is now “Endorsed by the committee”." in leo_mails
    assert "Note: 预算表缺少发票" in leo_mails and "备注" not in leo_mails and "居委会" not in leo_mails
    assert f"Open it on the site:\n{settings.SITE_URL}{application.get_absolute_url()}" in leo_mails
    # Carl's is Chinese, though alice returned it in English.
    carl_mail = mail_to(mailoutbox, world.carl)
    assert "百草园楼道：退回修改" in carl_mail and "alice姓名：退回修改。" in carl_mail
    assert "申报现在为“已退回修改”。" in carl_mail and "备注：预算表缺少发票" in carl_mail
    assert "Return" not in carl_mail and "在网站上打开：\n" in carl_mail

    # Approved after a new round: the stored rows of every step read the same way.
    with translation.override("en"), run_jobs_here():
        application_submit(application=application, actor=world.leo)
        application_endorse(application=application, actor=world.carl)
        application_approve(application=application, actor=world.alice)
    assert "Approve for creation" in inbox(leo, "en") and "批准创建" in inbox(leo, "zh-hans")
    approved = [m for m in mailoutbox if "“Approved for creation”" in m.body or "“已批准创建”" in m.body]
    assert sorted((m.to, m.subject) for m in approved) == [
        ([world.carl.email], "百草园楼道：批准创建"),
        ([world.leo.email], "百草园楼道: Approve for creation"),
    ]
    assert {n.key for n in Notification.objects.all()} >= {
        "corridors.application.endorse",
        "corridors.application.return_by_street",
        "corridors.application.approve",
    }


def test_the_inbox_follows_the_browsers_language_too(world, year, as_user):
    application = make_application(world, year, state=State.SUBMITTED)
    application_endorse(application=application, actor=world.carl)
    leo = as_user(world.leo)
    assert "Endorse" in inbox(leo, "en", by_header=True)
    assert "推荐" in inbox(leo, "zh-hans", by_header=True)


def test_a_hidden_work_is_told_in_the_leaders_language(world, as_user, run_jobs_here, mailoutbox):
    with_email(world.leo)  # no preference: his e-mail is in the site's language
    work = make_work(world.g1, world.leo, title="楼道的春天")
    with translation.override("en"), run_jobs_here():
        work_hide(work=work, reason="照片里能看清门牌号", by=world.alice)
    leo = as_user(world.leo)
    english, chinese = inbox(leo, "en"), inbox(leo, "zh-hans")
    assert "Hide" in english and "照片里能看清门牌号" in english and "隐藏" not in english
    assert "隐藏" in chinese and "Hide" not in chinese
    mail = mail_to(mailoutbox, world.leo)
    assert "楼道的春天：隐藏" in mail and "展廊作品现在为“已被工作人员隐藏”。" in mail
    assert "备注：照片里能看清门牌号" in mail and "Hidden" not in mail and "Note" not in mail
    assert Notification.objects.get().key == "corridors.gallerywork.hide"


def test_a_residents_message_is_framed_in_the_leaders_language(world, as_user, run_jobs_here, mailoutbox):
    with_email(world.leo, "en")
    with translation.override("zh-hans"), run_jobs_here():  # the resident writes on the Chinese page
        contact_leader(
            group=world.g1, name="王阿姨", reply_to="13800001111", message="楼道灯坏了。", address="203.0.113.7"
        )
    leo = as_user(world.leo)
    english = inbox(leo, "en")
    assert f"A resident wrote to you about {world.g1}" in english
    assert "楼道灯坏了。" in english and "From: 王阿姨" in english and "Reply to: 13800001111" in english
    chinese = inbox(leo, "zh-hans")
    assert f"有居民就{world.g1}给您留言" in chinese and "留言人：王阿姨" in chinese and "From:" not in chinese
    mail = mail_to(mailoutbox, world.leo)
    assert mail.startswith(f"A resident wrote to you about {world.g1}\n楼道灯坏了。\nFrom: 王阿姨\n")
    assert_sources_english(Notification.objects.all())


def test_a_message_written_before_is_shown_as_written(world, as_user):
    Notification.objects.create(recipient=world.leo, verb="支付已完成", message="#1 ¥2,000.00 已拨付")
    leo = as_user(world.leo)
    for language in ("en", "zh-hans"):
        page = inbox(leo, language)
        assert "支付已完成" in page and "#1 ¥2,000.00 已拨付" in page


# --- The source texts themselves ---------------------------------------------------------

WRITERS = [
    "corridors/notifications.py",
    "corridors/services/contact.py",
    "funds/notifications.py",
    "consultations/notifications.py",
]
REMINDERS = ["corridors/reminders.py", "funds/reminders.py", "consultations/reminders.py"]
SOURCE = re.compile(r"Text\(\s*(?:_|gettext_lazy)\(\s*\"((?:[^\"\\]|\\.)*)\"", re.S)


def test_every_system_message_has_an_english_msgid_translated_into_chinese():
    catalogue = {entry.msgid: entry for entry in polib.pofile(ROOT / "locale/zh_Hans/LC_MESSAGES/django.po")}
    found = []
    for name in WRITERS + REMINDERS:
        text = (ROOT / name).read_text()
        if name in WRITERS:
            assert "translation.override(settings.LANGUAGE_CODE)" not in text, name  # no sentence in one language
        found += SOURCE.findall(text)
    assert len(found) >= 15
    for msgid in found:
        assert not CJK.search(msgid), msgid
        entry = catalogue.get(msgid)
        assert entry is not None and entry.translated() and "fuzzy" not in entry.flags, msgid
        assert CJK.search(entry.msgstr), msgid
