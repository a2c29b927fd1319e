"""The request table of the street overview and the committee's list reads its page's rows as
plain values: each row still links to its request and names its places, category, department
and conference (and, on the committee's list, its representative, masked); the page costs the
same queries with two requests or twenty."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import ConsultationRequest
from consultations.services.requests import request_accept
from tests import factories as f
from tests.consultations.conftest import file_request

pytestmark = pytest.mark.django_db


def _rows(response):
    return {row["pk"]: row for row in response.context["page_obj"]}


def test_each_overview_row_links_to_its_request_and_names_what_it_is_about(cw, as_user):
    w = cw.w
    at_conference = file_request(cw, title="电梯经常停运", conference=cw.upcoming)
    no_building = file_request(cw, title="垃圾桶太少", building=None, category=cw.garbage, department=cw.greening)
    request_accept(actor=w.otto, request=at_conference, due_date=timezone.localdate() + datetime.timedelta(days=7))
    # Test set-up only: the due date has passed since.
    ConsultationRequest.objects.filter(pk=at_conference.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = as_user(w.alice).get(reverse("consultations:overview"))
    html = response.content.decode()
    rows = _rows(response)
    first, second = rows[at_conference.pk], rows[no_building.pk]
    for request in (at_conference, no_building):
        url = reverse("consultations:request", args=[request.pk])
        assert rows[request.pk]["url"] == url
        assert f'href="{url}">#{request.pk} {request.title}</a>' in html
    assert (first["compound_name"], first["building_name"]) == (w.g1.building.compound.name, w.g1.building.name)
    assert (first["category_name"], first["department_name"], first["conference_name"]) == (
        "电梯",
        "房屋管理办事处",
        cw.upcoming.name,
    )
    assert (second["building_name"], second["category_name"], second["department_name"], second["conference_name"]) == (
        "",
        "垃圾分类",
        "绿化市容所",
        "",
    )
    # Overdue: the red row and its badge, as before.
    assert first["is_overdue"] is True and second["is_overdue"] is False
    assert f'data-request="{at_conference.pk}"\n                    class="table-danger"' in html
    assert "data-overdue" in html


def test_a_department_outside_the_filters_lists_is_still_named(cw, as_user, world):
    """The names come from the filter's lists where they are there; any other by key."""
    request = file_request(cw)
    elsewhere = f.DepartmentFactory(street=world.other_street, name="外街道的部门")
    ConsultationRequest.objects.filter(pk=request.pk).update(department=elsewhere)
    response = as_user(world.alice).get(reverse("consultations:overview"))
    assert _rows(response)[request.pk]["department_name"] == "外街道的部门"


def test_the_committee_list_shows_the_representative_masked(cw, as_user):
    w = cw.w
    request = file_request(cw)
    response = as_user(w.carl).get(reverse("consultations:neighbourhood"))
    html = response.content.decode()
    assert _rows(response)[request.pk]["representative_name"] == "r*"
    assert "rita姓名" not in html
    assert f'href="{reverse("consultations:request", args=[request.pk])}"' in html


@pytest.mark.parametrize(
    ("who", "name"), [("alice", "consultations:overview"), ("carl", "consultations:neighbourhood")]
)
def test_the_request_tables_cost_the_same_queries_as_requests_grow(cw, as_user, count_queries, who, name):
    client = as_user(getattr(cw.w, who))
    url = reverse(name)
    file_request(cw, title="第一条")
    small = count_queries(client.get, url)
    for i in range(20):
        extra = {"building": None} if i % 3 else {}
        file_request(
            cw,
            title=f"诉求{i}",
            conference=cw.upcoming if i % 2 else None,
            department=cw.greening if i % 2 else None,
            **extra,
        )
    assert count_queries(client.get, url) == small
    assert count_queries(client.get, url, {"sort": "conference"}) == small
    assert len(client.get(url).context["page_obj"]) == 21
