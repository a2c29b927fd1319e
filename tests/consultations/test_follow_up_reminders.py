"""Follow-ups due soon remind the officer; overdue past the street's limit, the street office too."""

import datetime

from consultations.models import ConsultationRequest
from consultations.workflows.request import RequestState
from corridors.models import Notification
from corridors.reminders import send_reminders
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
