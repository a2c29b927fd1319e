"""The demo world's consultations: last year's elevator resolved, overdue items carried over, the
conference three weeks ahead pre-filed; dates follow the day of loading, a second load moves none."""

import datetime

import pytest
from django.utils import timezone

from consultations.demo import load_demo_consultations
from consultations.models import Conference, ConsultationRequest, RequestEvent, Stall
from consultations.workflows.request import OPEN_STATES, RequestState
from corridors.demo import load_demo

pytestmark = pytest.mark.django_db


def test_demo_tells_the_story_and_loads_twice():
    street = load_demo()
    counts = (ConsultationRequest.objects.count(), RequestEvent.objects.count(), Stall.objects.count())
    load_demo_consultations(street)
    assert (ConsultationRequest.objects.count(), RequestEvent.objects.count(), Stall.objects.count()) == counts

    past, upcoming = Conference.objects.filter(street=street).order_by("date")
    today = timezone.localdate()
    # Whatever day the demo is loaded: last year's conference and one still to come.
    assert upcoming.date > today
    assert datetime.timedelta(days=14) <= upcoming.date - today <= datetime.timedelta(days=28)
    assert datetime.timedelta(days=300) <= today - past.date <= datetime.timedelta(days=400)
    elevator = ConsultationRequest.objects.get(conference=past, category__name="电梯")
    assert elevator.representative.username == "rep" and elevator.building.name == "D座"
    assert elevator.state == RequestState.CONFIRMED and elevator.days_to_resolve > 300
    assert [e.action for e in elevator.events.all()] == ["file", "accept", "resolve", "confirm"]
    assert ConsultationRequest.objects.filter(conference=past).overdue().exists()
    assert ConsultationRequest.objects.filter(conference=past, state__in=OPEN_STATES).count() >= 2
    garbage = ConsultationRequest.objects.get(conference=upcoming, category__name="垃圾分类")
    assert garbage.channel == "pre_filed" and garbage.building.floors > 10


@pytest.mark.parametrize("days_later", [60, 400])
def test_the_demo_loaded_on_a_later_day_still_has_its_next_conference_ahead(monkeypatch, days_later):
    from types import SimpleNamespace

    from consultations import demo

    later = timezone.localdate() + datetime.timedelta(days=days_later)
    # The demo's own clock only: the services keep the real one.
    monkeypatch.setattr(
        demo, "timezone", SimpleNamespace(localdate=lambda: later, now=timezone.now, make_aware=timezone.make_aware)
    )
    street = load_demo()
    past, upcoming = Conference.objects.filter(street=street).order_by("date")
    assert later < upcoming.date <= later + datetime.timedelta(days=28)
    assert later - datetime.timedelta(days=400) <= past.date <= later - datetime.timedelta(days=300)


def test_a_later_load_finds_the_same_conferences_and_moves_no_date():
    street = load_demo()
    conferences = list(Conference.objects.filter(street=street).order_by("date").values_list("pk", "name", "date"))
    requests = list(ConsultationRequest.objects.order_by("pk").values_list("pk", "created_at", "due_date"))
    # Loaded again six weeks later (when the "upcoming" conference has taken place).
    load_demo_consultations(street, today=timezone.localdate() + datetime.timedelta(days=42))
    assert list(Conference.objects.filter(street=street).order_by("date").values_list("pk", "name", "date")) == (
        conferences
    )
    assert list(ConsultationRequest.objects.order_by("pk").values_list("pk", "created_at", "due_date")) == requests


def test_demo_story_dates_are_before_the_day_of_loading():
    load_demo()
    now = timezone.now()
    assert not ConsultationRequest.objects.filter(created_at__gt=now).exists()
    assert not ConsultationRequest.objects.filter(resolved_at__gt=now).exists()
    assert not RequestEvent.objects.filter(created_at__gt=now).exists()
    elevator = ConsultationRequest.objects.get(category__name="电梯", state=RequestState.CONFIRMED)
    assert elevator.public_summary and "D座" in elevator.public_summary


def test_demo_terms_and_the_committees_request(client):
    from django.urls import reverse

    from consultations.models import RepresentativeTerm
    from corridors.models import User

    load_demo()
    assert set(RepresentativeTerm.objects.current().values_list("representative__username", flat=True)) == {
        "rep",
        "rep363",
    }
    lamp = ConsultationRequest.objects.get(title="抚顺路363弄路灯不亮")
    assert (lamp.representative.username, lamp.registered_by.username) == ("rep363", "committee363")
    client.force_login(User.objects.get(username="committee363"))
    page = client.get(reverse("consultations:neighbourhood")).content.decode()
    assert "抚顺路363弄路灯不亮" in page and "和平花园" not in page
    client.force_login(User.objects.get(username="rep"))
    assert "第四届" in client.get(reverse("consultations:mine")).content.decode()
    client.force_login(User.objects.get(username="staff"))
    for name in ("categories", "representatives", "overview"):
        assert client.get(reverse(f"consultations:{name}")).status_code == 200
    assert client.get(reverse("consultations:public_board")).status_code == 200
