"""funds' morning reminders on a frozen day: corridors waiting for their acceptance check, and
campaign units unpaid after the collection deadline. Each reaches who can act on it, once a
day, grouped in their digest, in their language; an owner is never written to."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone, translation

from corridors.models import ApplicationTransition, NoticePreference, Notification, ReminderPolicy
from corridors.reminders import send_reminders
from corridors.workflows.application import State
from funds.models import AcceptanceCheck, Campaign
from funds.services.campaigns import CAMPAIGN_FIELDS, working_group_member_add
from funds.services.payments import payment_record
from tests import factories as f
from tests.corridors.test_reminders import submitted
from tests.funds.conftest import add_units, make_campaign
from tests.funds.test_acceptance import programme_year, ready_for_inspection, schedule

TODAY = datetime.date(2026, 6, 30)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def asked_for_check(world, days_ago: int, title="百草园楼道", **kwargs):
    """An application whose leader asked for the acceptance check ``days_ago``."""
    application = ready_for_inspection(world, title=title, **kwargs)
    step = ApplicationTransition.objects.create(
        application=application,
        actor=world.leo,
        action="request_inspection",
        from_state=State.IN_CREATION,
        to_state=State.INSPECTION_REQUESTED,
    )
    ApplicationTransition.objects.filter(pk=step.pk).update(created_at=at(TODAY - datetime.timedelta(days=days_ago)))
    return application


def told(sent):
    return {person.username: sorted(item.kind for item in items) for person, items in sent}


def digest(user):
    return Notification.objects.filter(recipient=user, key="reminders.digest").order_by("-pk").first()


# --- Corridors waiting for their acceptance check -------------------------------------------


def test_a_corridor_not_inspected_in_time_reminds_the_street_staff_then_its_inspectors_too(world):
    application = asked_for_check(world, days_ago=20)
    asked_for_check(world, days_ago=5, title="向阳楼道", group=world.g2, leader=world.lena)  # within 14 days
    Notification.objects.all().delete()

    assert told(send_reminders(today=TODAY)) == {"alice": ["inspection_waiting"]}
    text = digest(world.alice).text
    assert "百草园楼道" in text and "20" in text and "向阳楼道" not in text
    assert reverse("applications:detail", args=[application.pk]) in text
    # Once a day.
    assert send_reminders(today=TODAY) == []

    # A check was scheduled for two days ago and never recorded: its inspectors are told too.
    check = schedule(world, application)
    AcceptanceCheck.objects.filter(pk=check.pk).update(scheduled_for=TODAY - datetime.timedelta(days=2))
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert told(send_reminders(today=tomorrow)) == {"alice": ["inspection_waiting"], "carl": ["inspection_waiting"]}

    # Scheduled for a day to come: the street has acted, nobody is reminded.
    AcceptanceCheck.objects.filter(pk=check.pk).update(scheduled_for=TODAY + datetime.timedelta(days=5))
    assert send_reminders(today=TODAY + datetime.timedelta(days=2)) == []


def test_an_approved_corridor_still_being_created_is_not_reminded_and_the_street_sets_the_days(world):
    application = asked_for_check(world, days_ago=20)
    ApplicationTransition.objects.filter(application=application).update(to_state=State.IN_CREATION)
    type(application).objects.filter(pk=application.pk).update(state=State.IN_CREATION)
    assert send_reminders(today=TODAY) == []

    asked_for_check(world, days_ago=8, title="向阳楼道", group=world.g2, leader=world.lena)
    assert send_reminders(today=TODAY) == []  # the default is 14 days
    ReminderPolicy.objects.create(street=world.street, inspection_days=7)
    assert told(send_reminders(today=TODAY)) == {"alice": ["inspection_waiting"]}


def test_the_inspection_reminder_is_in_the_readers_language(world, mailoutbox, run_jobs_here):
    asked_for_check(world, days_ago=20)
    world.alice.email = "alice@example.org"
    world.alice.save()
    NoticePreference.objects.create(user=world.alice, language="en")
    mailoutbox.clear()
    with run_jobs_here():
        send_reminders(today=TODAY)
    (mail,) = mailoutbox
    assert "asked for its acceptance check 20 days ago" in mail.body
    assert "Corridors waiting for their acceptance check (1):" in mail.body
    with translation.override("zh-hans"):
        text = digest(world.alice).text
    assert "验收" in text and "asked" not in text


# --- Units unpaid after the collection deadline ------------------------------------------------


def collecting(world, deadline):
    """A campaign with three units (¥1,500.00 each) and a property-company collector; one unit paid."""
    campaign = make_campaign(world, collection_deadline=deadline)
    units = add_units(campaign, 3)
    collector = f.UserFactory(username="pete", full_name="物业小王")
    working_group_member_add(campaign=campaign, actor=world.alice, name="物业小王", side="property", user=collector)
    working_group_member_add(
        campaign=campaign, actor=world.alice, name="居委会小李", side="committee", user=world.cindy
    )
    payment_record(unit=units[0], amount=Decimal("1500.00"), paid_on=TODAY, channel="cash", recorded_by=world.alice)
    payment_record(unit=units[1], amount=Decimal("500.00"), paid_on=TODAY, channel="cash", recorded_by=world.alice)
    return campaign, collector, units


def test_units_unpaid_after_the_deadline_are_one_line_for_the_collector_and_the_street_staff(world):
    campaign, collector, units = collecting(world, deadline=TODAY - datetime.timedelta(days=1))
    Notification.objects.all().delete()

    sent = told(send_reminders(today=TODAY))
    # The collector and the street office; not the committee member, and no owner (they have no account).
    assert sent == {"alice": ["campaign_unpaid"], "pete": ["campaign_unpaid"]}
    with translation.override("zh-hans"):
        text = digest(collector).text
    link = reverse("funds:units", args=[campaign.pk]) + "?payment=unpaid"
    assert "2" in text and link in text and "2026年6月29日" in text
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"alice", "pete"}
    assert send_reminders(today=TODAY) == []  # once a day

    # The link opens the roll filtered to the units not fully paid.
    from django.test import Client

    client = Client()
    client.force_login(world.alice)
    page = client.get(link).content.decode()
    assert units[1].label in page and units[2].label in page
    assert f">{units[0].label}<" not in page


def test_before_the_deadline_or_once_all_paid_nobody_is_reminded(world):
    campaign, _collector, units = collecting(world, deadline=TODAY)
    assert send_reminders(today=TODAY) == []  # the deadline is today: not past yet
    for unit in units[1:]:
        unit.refresh_from_db()
        payment_record(unit=unit, amount=unit.outstanding, paid_on=TODAY, channel="cash", recorded_by=world.alice)
    assert send_reminders(today=TODAY + datetime.timedelta(days=3)) == []
    Campaign.objects.filter(pk=campaign.pk).update(collection_deadline=None)
    assert send_reminders(today=TODAY + datetime.timedelta(days=3)) == []


# --- The digest groups what it holds -------------------------------------------------------------


def test_one_digest_groups_its_lines_under_a_heading_per_kind(world):
    year = programme_year(world.street)
    application = asked_for_check(world, days_ago=20)
    collecting(world, deadline=TODAY - datetime.timedelta(days=3))
    # An endorsed application waiting for the street office.
    endorsed = submitted(world, year, "向阳楼道", days_ago=20)
    type(endorsed).objects.filter(pk=endorsed.pk).update(state=State.ENDORSED)
    Notification.objects.all().delete()

    kinds = told(send_reminders(today=TODAY))["alice"]
    assert kinds == ["application_waiting", "campaign_unpaid", "inspection_waiting"]
    (only,) = Notification.objects.filter(recipient=world.alice)
    with translation.override("en"):
        lines = only.text.splitlines()
    assert lines[0] == "Applications waiting for a decision (1):" and "向阳楼道" in lines[1]
    assert lines[2] == "Corridors waiting for their acceptance check (1):" and "百草园楼道" in lines[3]
    assert lines[4].endswith(reverse("applications:detail", args=[application.pk]))  # its link, on a line of its own
    assert lines[5] == "Units not yet paid after the collection deadline (1):" and "2 units" in lines[6]
    assert lines[7].endswith("?payment=unpaid") and len(lines) == 8


def test_managers_set_the_collection_deadline_on_the_campaigns_form(world, as_user):
    campaign = make_campaign(world)
    client = as_user(world.alice)
    url = reverse("funds:edit", args=[campaign.pk])
    form = {name: getattr(campaign, name) or "" for name in CAMPAIGN_FIELDS if name != "collection_deadline"}
    for value in ("2026-13-45", "abc", "²"):
        response = client.post(url, {**form, "collection_deadline": value})
        assert response.status_code == 200 and "is-invalid" in response.content.decode(), value
    campaign.refresh_from_db()
    assert campaign.collection_deadline is None

    assert client.post(url, {**form, "collection_deadline": "2026-06-29"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.collection_deadline == datetime.date(2026, 6, 29)
    assert "2026年6月29日" in client.get(campaign.get_absolute_url()).content.decode()


def test_the_link_in_the_digest_opens_from_the_inbox(world, as_user):
    campaign, _collector, _units = collecting(world, deadline=TODAY - datetime.timedelta(days=1))
    send_reminders(today=TODAY)
    page = as_user(world.alice).get(reverse("inbox:list")).content.decode()
    link = reverse("funds:units", args=[campaign.pk]) + "?payment=unpaid"
    assert f'<a href="http://127.0.0.1:8000{link}"' in page


def test_dry_run_lists_the_new_kinds_with_their_links(world):
    from io import StringIO

    from django.core.management import call_command

    campaign, _collector, _units = collecting(world, deadline=timezone.localdate() - datetime.timedelta(days=1))
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    printed = out.getvalue()
    assert "pete: 1" in printed and "  - [campaign_unpaid] " in printed
    assert reverse("funds:units", args=[campaign.pk]) + "?payment=unpaid" in printed
    assert not Notification.objects.filter(key="reminders.digest").exists()
