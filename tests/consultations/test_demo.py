"""The demo world's consultations: the 2025 elevator resolved, overdue items carried over, 2026-12 pre-filed."""

import pytest

from consultations.demo import load_demo_consultations
from consultations.models import Conference, ConsultationRequest, RequestEvent, Stall
from consultations.workflow import OPEN_STATES, RequestState
from corridors.demo import load_demo

pytestmark = pytest.mark.django_db


def test_demo_tells_the_story_and_loads_twice():
    street = load_demo()
    counts = (ConsultationRequest.objects.count(), RequestEvent.objects.count(), Stall.objects.count())
    load_demo_consultations(street)
    assert (ConsultationRequest.objects.count(), RequestEvent.objects.count(), Stall.objects.count()) == counts

    past, upcoming = Conference.objects.filter(street=street).order_by("date")
    assert past.date.year == 2025 and (upcoming.date.year, upcoming.date.month) == (2026, 12)
    elevator = ConsultationRequest.objects.get(conference=past, category__name="电梯")
    assert elevator.representative.username == "rep" and elevator.building.name == "D座"
    assert elevator.state == RequestState.CONFIRMED and elevator.days_to_resolve > 300
    assert [e.action for e in elevator.events.all()] == ["file", "accept", "resolve", "confirm"]
    assert ConsultationRequest.objects.filter(conference=past).overdue().exists()
    assert ConsultationRequest.objects.filter(conference=past, state__in=OPEN_STATES).count() >= 2
    garbage = ConsultationRequest.objects.get(conference=upcoming, category__name="垃圾分类")
    assert garbage.channel == "pre_filed" and garbage.building.floors > 10


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
