"""The morning reminders on a frozen day: each overdue thing reaches who can act on it, once a
day, grouped in one digest per person, in their language."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation

from corridors.models import (
    ApplicationTransition,
    NoticePreference,
    Notification,
    Reminder,
    ReminderPolicy,
    Role,
    User,
)
from corridors.reminders import send_reminders
from corridors.services.applications import application_submit
from corridors.services.people import role_assign
from funds.models import Payout
from tests import factories as f
from tests.corridors.test_application_workflow import make_application, make_year
from tests.funds.test_acceptance import award_for
from tests.funds.test_payouts import culture

TODAY = datetime.date(2026, 6, 30)


def submitted(world, year, title, days_ago):
    """An application of a new group in n1 (carl's neighbourhood), submitted ``days_ago``."""
    group = f.BuildingGroupFactory(building__compound__neighbourhood=world.n1, name=title[:6])
    leader = f.UserFactory()
    role_assign(user=leader, role=Role.LEADER, street=world.street, building_group=group)
    application = make_application(world, year, group=group, leader=leader, title=title)
    application_submit(application=application, actor=leader)
    moment = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(9))) - datetime.timedelta(days=days_ago)
    ApplicationTransition.objects.filter(application=application).update(created_at=moment)
    return application


@pytest.fixture
def year(world):
    return make_year(world.street)


def digests(user):
    return list(Notification.objects.filter(recipient=user, key="reminders.digest"))


def test_a_waiting_application_reminds_its_committee_once_a_day_in_one_digest(world, year, run_jobs_here):
    submitted(world, year, "百草园楼道", days_ago=20)
    submitted(world, year, "向阳楼道", days_ago=15)
    submitted(world, year, "新来的楼道", days_ago=2)  # within the service time
    Notification.objects.all().delete()

    with run_jobs_here():
        sent = send_reminders(today=TODAY)
    assert [(person.username, len(items)) for person, items in sent] == [("carl", 2)]
    (digest,) = digests(world.carl)
    assert "百草园楼道" in digest.text and "向阳楼道" in digest.text and "新来的楼道" not in digest.text
    assert "20" in digest.text
    assert digests(world.cindy) == [] and digests(world.alice) == []

    # The same day again: nobody is reminded twice.
    assert send_reminders(today=TODAY) == []
    assert len(digests(world.carl)) == 1
    # The next day, still waiting: reminded again.
    assert [p.username for p, _ in send_reminders(today=TODAY + datetime.timedelta(days=1))] == ["carl"]


def test_the_database_refuses_a_second_reminder_of_the_same_thing_the_same_day(world):
    Reminder.objects.create(recipient=world.carl, kind="application_waiting", subject="application:1", day=TODAY)
    with pytest.raises(IntegrityError):
        Reminder.objects.create(recipient=world.carl, kind="application_waiting", subject="application:1", day=TODAY)


def test_a_payout_waiting_for_approval_reminds_the_finance_approvers_in_their_language(
    world, mailoutbox, run_jobs_here
):
    award = award_for(world)
    payout = culture(world, award)
    Payout.objects.filter(pk=payout.pk).update(
        proposed_at=timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(9))) - datetime.timedelta(days=5)
    )
    world.fay.email = "fay@example.org"
    world.fay.save()
    NoticePreference.objects.create(user=world.fay, language="en")
    mailoutbox.clear()
    with run_jobs_here():
        sent = send_reminders(today=TODAY)
    assert [p.username for p, _ in sent] == ["fay"]
    assert [m.to for m in mailoutbox] == [["fay@example.org"]]
    assert f"Payout #{payout.pk} to" in mailoutbox[0].body and "has waited 5 days for approval" in mailoutbox[0].body
    # In Chinese for a Chinese reader (the inbox renders in the page's language).
    with translation.override("zh-hans"):
        assert "等待审批" in digests(world.fay)[0].text


def test_a_street_can_turn_reminders_off_or_change_its_service_time(world, year):
    submitted(world, year, "百草园楼道", days_ago=20)
    ReminderPolicy.objects.create(street=world.street, enabled=False)
    assert send_reminders(today=TODAY) == []
    ReminderPolicy.objects.filter(street=world.street).update(enabled=True, waiting_days=30)
    assert send_reminders(today=TODAY) == []
    ReminderPolicy.objects.filter(street=world.street).update(waiting_days=10)
    assert [p.username for p, _ in send_reminders(today=TODAY)] == ["carl"]


def test_dry_run_says_what_would_be_sent_and_sends_nothing(world, year):
    submitted(world, year, "百草园楼道", days_ago=20)
    before = Notification.objects.count()
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "carl: 1" in out.getvalue() and "百草园楼道" in out.getvalue()
    assert Notification.objects.count() == before and not Reminder.objects.exists()


def test_dry_run_names_each_kind_for_each_person(world, year):
    submitted(world, year, "百草园楼道", days_ago=20)
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "  - [application_waiting] " in out.getvalue() and "1 people would be reminded." in out.getvalue()


# --- The street's reminder settings, on its programme page ---------------------------------------

SETTINGS = {
    "enabled": "on",
    "waiting_days": "10",
    "inspection_days": "21",
    "payout_days": "2",
    "escalate_days": "4",
    "street_escalate_days": "5",
}


def test_street_staff_change_the_reminder_settings_on_a_page(world, year, as_user):
    client = as_user(world.alice)
    home = client.get(reverse("programme:home")).content.decode()
    url = reverse("programme:reminders", args=[world.street.pk])
    assert url in home and "申报可等待14天" in home  # the defaults, before any row exists
    assert client.get(url).status_code == 200

    response = client.post(url, SETTINGS)
    assert response.status_code == 302
    policy = ReminderPolicy.objects.get(street=world.street)
    assert (policy.waiting_days, policy.inspection_days, policy.payout_days) == (10, 21, 2)
    assert (policy.escalate_days, policy.street_escalate_days, policy.enabled) == (4, 5, True)

    # The reminders read it: an application 12 days old is now late.
    submitted(world, year, "百草园楼道", days_ago=12)
    assert [p.username for p, _ in send_reminders(today=TODAY)] == ["carl"]

    client.post(url, {**SETTINGS, "enabled": ""})
    assert not ReminderPolicy.objects.get(street=world.street).enabled
    assert "本街道已关闭待办提醒" in client.get(reverse("programme:home")).content.decode()


def test_bad_settings_are_refused_with_a_message_and_nothing_changes(world, as_user):
    client = as_user(world.alice)
    url = reverse("programme:reminders", args=[world.street.pk])
    for value in ("0", "-1", "abc", "²", "1.5", "366", "99999999999999999999", "", "\x00", "<script>"):
        response = client.post(url, {**SETTINGS, "inspection_days": value})
        assert response.status_code == 200, value
        page = response.content.decode()
        assert "is-invalid" in page and "invalid-feedback" in page, value
    assert not ReminderPolicy.objects.exists()


@pytest.mark.parametrize("persona", ["bob", "carl", "fay", "leo", "otto", "nobody"])
def test_only_the_streets_own_staff_reach_its_reminder_settings(world, as_user, persona):
    client = as_user(getattr(world, persona))
    url = reverse("programme:reminders", args=[world.street.pk])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, SETTINGS).status_code in (403, 404)
    assert not ReminderPolicy.objects.exists()


def test_the_superuser_finds_the_jobs_page_in_the_menu(world, as_user):
    root = User.objects.create_superuser("root", "root@example.com", "Root-pass-2026")
    assert f'href="{reverse("jobs:list")}"' in as_user(root).get(reverse("home")).content.decode()
    assert f'href="{reverse("jobs:list")}"' not in as_user(world.alice).get(reverse("home")).content.decode()


def test_the_service_refuses_a_setting_out_of_range_whoever_calls_it(world):
    from django.core.exceptions import ValidationError

    from common.refusals import Refused
    from corridors.services.programme import reminder_policy_set

    with pytest.raises(ValidationError):
        reminder_policy_set(street=world.street, actor=world.alice, payout_days=0)
    with pytest.raises(Refused):
        reminder_policy_set(street=world.street, actor=world.bob, payout_days=5)
    assert not ReminderPolicy.objects.exists()
