"""Follow-ups due soon remind the officer; overdue past the street's limits, the department head, then
the street office too. Street staff mark who heads a department on its page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from consultations.models import ConsultationRequest
from consultations.workflows.request import RequestState
from corridors.models import NoticePreference, Notification, ReminderPolicy, RoleAssignment
from corridors.models.people import Role
from corridors.reminders import send_reminders
from corridors.services.people import role_assign
from corridors.services.places import department_head_set
from tests import factories as f
from tests.consultations.conftest import file_request

TODAY = datetime.date(2026, 6, 30)


def follow_up(cw, due_in_days, title):
    request = file_request(cw, title=title)
    # Test set-up only: an accepted request with its due date.
    ConsultationRequest.objects.filter(pk=request.pk).update(
        state=RequestState.ACCEPTED, due_date=TODAY + datetime.timedelta(days=due_in_days)
    )
    return request


def told_today(sent):
    return {person.username: sorted(item.kind for item in items) for person, items in sent}


def test_due_soon_and_overdue_follow_ups_reach_the_officer_then_the_street(cw):
    w = cw.w
    follow_up(cw, 2, "电梯经常停运")  # due in two days
    follow_up(cw, 10, "楼道灯不亮")  # not yet
    follow_up(cw, -1, "水管漏水")  # one day late: the officer only
    assert told_today(send_reminders(today=TODAY)) == {"otto": ["follow_up_due", "follow_up_overdue"]}

    # Three days later the leak is four days late (the default limit is three): alice is told too.
    later = TODAY + datetime.timedelta(days=3)
    sent = told_today(send_reminders(today=later))
    assert sent["alice"] == ["follow_up_overdue"] and "follow_up_overdue" in sent["otto"]
    digest = Notification.objects.filter(recipient=w.alice, key="reminders.digest").get()
    assert "水管漏水" in digest.text and "电梯经常停运" not in digest.text


def test_a_follow_up_with_an_assigned_officer_reminds_only_them(cw):
    request = follow_up(cw, 1, "电梯经常停运")
    ConsultationRequest.objects.filter(pk=request.pk).update(assigned_officer=cw.olga)
    assert told_today(send_reminders(today=TODAY)) == {"olga": ["follow_up_due"]}


# --- Escalation: officer → department head → street office ---------------------------------------


def with_head(cw):
    """hana, a second officer of the housing department, marked as its head by alice on its page."""
    w = cw.w
    hana = f.UserFactory(username="hana", full_name="韩主任")
    role_assign(user=hana, role=Role.OFFICER, street=w.street, department=w.housing)
    client = Client()
    client.force_login(w.alice)
    response = client.post(
        reverse("places:department_edit", args=[w.housing.pk]),
        {"name": w.housing.name, "is_active": "on", "head": hana.pk},
    )
    assert response.status_code == 302
    return hana


def test_an_overdue_follow_up_goes_to_the_officer_then_the_head_then_the_street_office(cw):
    w = cw.w
    hana = with_head(cw)
    request = follow_up(cw, -1, "水管漏水")
    ConsultationRequest.objects.filter(pk=request.pk).update(assigned_officer=w.otto)

    day = lambda n: TODAY + datetime.timedelta(days=n)  # noqa: E731
    assert told_today(send_reminders(today=TODAY)) == {"otto": ["follow_up_overdue"]}  # 1 day late
    assert told_today(send_reminders(today=day(2))) == {  # 3 days late: the head
        "otto": ["follow_up_overdue"],
        "hana": ["follow_up_overdue"],
    }
    assert told_today(send_reminders(today=day(4))).keys() == {"otto", "hana"}  # 5 days: not yet the street
    assert told_today(send_reminders(today=day(5))).keys() == {"otto", "hana", "alice"}  # 6 days (3 + 3)
    # Each once a day, in one digest each.
    assert send_reminders(today=day(5)) == []
    assert Notification.objects.filter(recipient=hana, key="reminders.digest").count() == 3

    # The street changes its limits on its settings page: the head at 2 days, the street 1 day later.
    ReminderPolicy.objects.create(street=w.street, escalate_days=2, street_escalate_days=1)
    assert told_today(send_reminders(today=day(6))).keys() == {"otto", "hana", "alice"}
    ConsultationRequest.objects.filter(pk=request.pk).update(due_date=day(7) - datetime.timedelta(days=2))
    assert told_today(send_reminders(today=day(7))).keys() == {"otto", "hana"}


def test_the_head_reads_the_reminder_in_their_language(cw, mailoutbox, run_jobs_here):
    hana = with_head(cw)
    hana.email = "hana@example.org"
    hana.save()
    NoticePreference.objects.create(user=hana, language="en")
    follow_up(cw, -4, "水管漏水")
    mailoutbox.clear()
    with run_jobs_here():
        send_reminders(today=TODAY)
    (mail,) = [m for m in mailoutbox if m.to == ["hana@example.org"]]
    assert "Follow-ups overdue (1):" in mail.body and "is 4 days overdue" in mail.body
    with translation.override("zh-hans"):
        text = Notification.objects.get(recipient=hana, key="reminders.digest").text
    assert "逾期的跟进事项（1）：" in text and "水管漏水" in text


# --- Who heads a department: street staff choose, on the department's page -----------------------


def test_street_staff_mark_the_head_and_the_list_shows_it(cw, as_user):
    w = cw.w
    hana = with_head(cw)
    assert RoleAssignment.objects.get(user=hana, department=w.housing).is_head
    page = as_user(w.alice).get(reverse("places:departments")).content.decode()
    assert hana.masked_name in page and hana.full_name not in page
    edit = as_user(w.alice).get(reverse("places:department_edit", args=[w.housing.pk])).content.decode()
    assert f'value="{hana.pk}" selected' in edit

    # Another officer takes over: one head only.
    as_user(w.alice).post(
        reverse("places:department_edit", args=[w.housing.pk]),
        {"name": w.housing.name, "is_active": "on", "head": w.otto.pk},
    )
    heads = RoleAssignment.objects.filter(department=w.housing, is_head=True)
    assert list(heads.values_list("user__username", flat=True)) == ["otto"]


def test_a_head_who_is_not_an_officer_of_the_department_is_refused_with_a_message(cw, as_user):
    w = cw.w
    url = reverse("places:department_edit", args=[w.housing.pk])
    for value in (cw.olga.pk, w.alice.pk, "abc", "²", "-1", "99999999999999999999", "<script>"):
        response = as_user(w.alice).post(url, {"name": w.housing.name, "is_active": "on", "head": value})
        assert response.status_code == 200, value
        assert "is-invalid" in response.content.decode(), value
    assert not RoleAssignment.objects.filter(is_head=True).exists()
    # The service refuses too, whoever calls it.
    with pytest.raises(ValidationError):
        department_head_set(department=w.housing, head=cw.olga)


@pytest.mark.parametrize("persona", ["otto", "carl", "rita", "fay", "bob"])
def test_only_the_streets_staff_may_choose_the_head(cw, as_user, persona):
    w = cw.w
    response = as_user(getattr(w, persona)).post(
        reverse("places:department_edit", args=[w.housing.pk]),
        {"name": w.housing.name, "is_active": "on", "head": w.otto.pk},
    )
    assert response.status_code in (403, 404)
    assert not RoleAssignment.objects.filter(is_head=True).exists()


def test_the_database_keeps_one_head_per_department_and_only_an_officer(cw):
    w = cw.w
    RoleAssignment.objects.filter(user=w.otto, department=w.housing).update(is_head=True)
    hana = f.UserFactory(username="hana")
    second = role_assign(user=hana, role=Role.OFFICER, street=w.street, department=w.housing)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.filter(pk=second.pk).update(is_head=True)
    staff = RoleAssignment.objects.get(user=w.alice, role=Role.STREET_STAFF)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.filter(pk=staff.pk).update(is_head=True)


def test_a_department_without_a_head_escalates_straight_to_the_street_office(cw):
    request = follow_up(cw, -3, "水管漏水")
    ConsultationRequest.objects.filter(pk=request.pk).update(assigned_officer=cw.w.otto)
    assert told_today(send_reminders(today=TODAY)).keys() == {"otto", "alice"}


def test_the_department_list_shows_heads_in_a_fixed_number_of_queries(cw, as_user, count_queries):
    w = cw.w
    client = as_user(w.alice)
    with_head(cw)
    few = count_queries(client.get, reverse("places:departments"))
    for i in range(5):
        department = f.DepartmentFactory(street=w.street, name=f"部门{i}")
        head = f.UserFactory(username=f"head{i}")
        role_assign(user=head, role=Role.OFFICER, street=w.street, department=department)
        department_head_set(department=department, head=head)
    page = client.get(reverse("places:departments")).content.decode()
    assert page.count("data-head") == 7
    assert count_queries(client.get, reverse("places:departments")) == few
