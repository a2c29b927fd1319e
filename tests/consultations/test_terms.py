"""Representatives' terms (届): recorded by the street office, shown on the representative's pages."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from common.refusals import Refused
from consultations.models import RepresentativeTerm
from consultations.services.terms import representative_term_add
from corridors.models import Role, RoleAssignment
from corridors.services.people import role_assign
from tests import factories as f
from tests.consultations.conftest import file_request

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST_START, PAST_END = datetime.date(2018, 1, 1), datetime.date(2022, 12, 31)
START, END = TODAY - datetime.timedelta(days=400), TODAY + datetime.timedelta(days=1000)


def add_term(cw, term="第四届", starts_on=START, ends_on=END, **kwargs):
    values = {"actor": cw.w.alice, "representative": cw.w.rita, "neighbourhood": cw.w.n1}
    values.update(kwargs)
    return representative_term_add(term=term, starts_on=starts_on, ends_on=ends_on, **values)


def test_a_term_is_recorded_for_a_representative_of_the_neighbourhood(cw):
    term = add_term(cw)
    assert list(RepresentativeTerm.objects.current()) == [term]
    add_term(cw, term="第三届", starts_on=PAST_START, ends_on=PAST_END)
    assert list(RepresentativeTerm.objects.current()) == [term]
    with pytest.raises(Refused):
        add_term(cw)  # already recorded
    with pytest.raises(Refused):
        add_term(cw, term="第五届", starts_on=END, ends_on=START)
    with pytest.raises(Refused):
        add_term(cw, term="第五届", neighbourhood=cw.w.n2)  # rita does not represent N2
    with pytest.raises(Refused):
        add_term(cw, term="第五届", actor=cw.w.bob)  # another street's staff
    with pytest.raises(Refused):
        add_term(cw, term="第五届", representative=cw.w.carl)  # not a representative
    with pytest.raises(IntegrityError), transaction.atomic():
        RepresentativeTerm.objects.create(
            representative=cw.w.rita, neighbourhood=cw.w.n1, term="x", starts_on=END, ends_on=START
        )


def test_the_representative_sees_their_term_on_their_pages(cw, as_user):
    add_term(cw)
    add_term(cw, term="第三届", starts_on=PAST_START, ends_on=PAST_END)
    page = as_user(cw.w.rita).get(reverse("consultations:mine")).content.decode()
    assert "第四届" in page and "第三届" not in page and "data-my-term" in page
    r = file_request(cw)
    detail = as_user(cw.w.otto).get(reverse("consultations:request", args=[r.pk])).content.decode()
    assert "data-representative-term" in detail and "第四届" in detail


def test_the_street_records_terms_on_its_representatives_page(cw, as_user):
    client = as_user(cw.w.alice)
    url = reverse("consultations:representatives")
    page = client.get(url).content.decode()
    assert f'data-representative="{cw.w.rita.pk}"' in page
    assignment = RoleAssignment.objects.get(user=cw.w.rita, role=Role.REPRESENTATIVE)
    response = client.post(
        url, {"assignment": assignment.pk, "term": "第四届", "starts_on": START.isoformat(), "ends_on": END.isoformat()}
    )
    assert response.status_code == 302
    assert RepresentativeTerm.objects.get().term == "第四届"
    response = client.post(
        url, {"assignment": assignment.pk, "term": "第五届", "starts_on": END.isoformat(), "ends_on": START.isoformat()}
    )
    assert response.status_code == 400 and RepresentativeTerm.objects.count() == 1
    assert as_user(cw.w.otto).get(url).status_code == 403
    assert as_user(cw.w.rita).get(url).status_code == 403


def test_the_representatives_page_does_not_query_per_row(cw, as_user, count_queries):
    client = as_user(cw.w.alice)
    url = reverse("consultations:representatives")

    def grow(start, n):
        for i in range(start, start + n):
            rep = f.UserFactory(username=f"r{i}")
            role_assign(user=rep, role=Role.REPRESENTATIVE, street=cw.w.street, neighbourhood=cw.w.n1)
            add_term(cw, representative=rep)

    grow(0, 2)
    small = count_queries(client.get, url)
    grow(2, 6)
    assert count_queries(client.get, url) == small
