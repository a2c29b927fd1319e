"""Award and payout steps read in each reader's language, from the same stored notification,
and e-mail each recipient in the language they chose (helpers in
``tests/corridors/test_notifications_language.py``)."""

import pytest
from django.utils import timezone, translation

from corridors.models import Notification
from funds.services.awards import award_reinstate, award_suspend
from funds.services.payouts import payout_approve, payout_mark_paid
from tests.corridors.test_notifications_language import assert_sources_english, inbox, mail_to, with_email
from tests.funds.test_acceptance import award_for
from tests.funds.test_payouts import culture


@pytest.fixture
def award(world):
    return award_for(world)


def test_a_suspended_title_is_told_in_each_readers_language(world, award, as_user, run_jobs_here, mailoutbox):
    with_email(world.leo, "en")
    with_email(world.carl)  # no preference: Chinese, the site's language
    with translation.override("en"), run_jobs_here():
        award_suspend(award=award, actor=world.alice, reason="楼道堆物")
    title = f"Warm-corridor title {award.certificate_number} of {award.group} is now “Suspended”."
    for reader in (world.leo, world.carl):
        client = as_user(reader)
        english, chinese = inbox(client, "en"), inbox(client, "zh-hans")
        assert title in english and "alice姓名: Suspend." in english and "Reason: 楼道堆物" in english
        assert "已暂停" not in english
        assert f"{award.group}的温馨楼组称号（{award.certificate_number}）现为“已暂停”。" in chinese
        assert "理由：楼道堆物" in chinese and "Suspend" not in chinese
    assert title in mail_to(mailoutbox, world.leo) and f"{award.group}: Suspend" in mail_to(mailoutbox, world.leo)
    carl_mail = mail_to(mailoutbox, world.carl)
    assert f"{award.group}：暂停" in carl_mail and "现为“已暂停”" in carl_mail and "Suspend" not in carl_mail

    # The state's word keeps its context: an award "Active" is 有效, not an account's 启用.
    with translation.override("zh-hans"):
        award_reinstate(award=award, actor=world.alice, reason="已清理")
    english = inbox(as_user(world.leo), "en")
    assert "is now “Active”." in english
    assert "现为“有效”。" in inbox(as_user(world.leo), "zh-hans")
    told = Notification.objects.filter(key__startswith="funds.award.")
    assert {n.key for n in told} == {"funds.award.suspend", "funds.award.reinstate"}
    assert_sources_english(told)


def test_payout_steps_are_told_in_each_readers_language(world, award, as_user, run_jobs_here, mailoutbox):
    with_email(world.alice, "en")  # the proposer
    with_email(world.leo)  # the leader: Chinese
    payout = culture(world, award)
    with translation.override("zh-hans"), run_jobs_here():
        payout_approve(payout=payout, actor=world.fay)
    with translation.override("en"), run_jobs_here():
        payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="ICBC-1")
    line = f"Payout #{payout.pk} to {award.group} ({award.certificate_number}): Culture fund, ¥2,000.00."
    alice = as_user(world.alice)
    english = inbox(alice, "en")
    assert "Payout approved" in english and "Payout paid" in english and line in english
    assert "fay姓名: Payout approved." in english and "拨付" not in english
    chinese = inbox(alice, "zh-hans")
    assert "拨付已批准" in chinese and "拨付已完成" in chinese and "文化建设基金" in chinese
    assert "Payout" not in chinese
    leo = as_user(world.leo)
    assert line in inbox(leo, "en") and "拨付已完成" in inbox(leo, "zh-hans")

    alice_mails = "\n".join(m.subject + m.body for m in mailoutbox if m.to == [world.alice.email])
    assert "Payout approved" in alice_mails and "Payout paid" in alice_mails and "拨付" not in alice_mails
    leo_mails = "\n".join(m.subject + m.body for m in mailoutbox if m.to == [world.leo.email])
    assert "拨付已批准" in leo_mails and "拨付已完成" in leo_mails and "Payout" not in leo_mails
    assert_sources_english(Notification.objects.filter(key__startswith="funds.payout."))
