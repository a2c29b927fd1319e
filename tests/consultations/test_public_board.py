"""The public board filters by street, category and compound, stays anonymised, and keeps its query count."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Category, ConsultationRequest
from consultations.services.categories import category_ensure_defaults
from consultations.services.requests import request_accept, request_confirm, request_resolve
from corridors.models import Role
from corridors.services.people import role_assign
from tests import factories as f
from tests.consultations.conftest import file_request, fresh, suggested

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + datetime.timedelta(days=14)
BOARD = "consultations:public_board"


def confirmed(cw, *, rep=None, department=None, **kwargs):
    r = file_request(cw, rep=rep, department=department, **kwargs)
    officer = cw.w.otto if r.department == cw.w.housing else cw.kong_officer
    request_accept(actor=fresh(officer), request=r, due_date=SOON)
    request_resolve(
        actor=fresh(officer), request=r, resolution="已处理，联系人赵刚 13912345678。", public_summary=suggested(r)
    )
    request_confirm(actor=fresh(r.representative), request=r)
    return r


@pytest.fixture
def two_streets(cw):
    """A second street (控江路) with its own representative, department and categories."""
    w = cw.w
    category_ensure_defaults(street=w.other_street)
    department = f.DepartmentFactory(street=w.other_street, name="控江路房管办")
    officer = f.UserFactory(username="kofficer", full_name="孔官")
    role_assign(user=officer, role=Role.OFFICER, street=w.other_street, department=department)
    rep = f.UserFactory(username="krep", full_name="柯代表")
    role_assign(user=rep, role=Role.REPRESENTATIVE, street=w.other_street, neighbourhood=w.n_other)
    cw.kong_officer, cw.kong_department, cw.kong_rep = officer, department, rep
    compound = w.g_other.building.compound
    confirmed(
        cw, rep=rep, department=department, compound=compound, building=w.g_other.building,
        category=Category.objects.get(street=w.other_street, name="停车"), title="控江路停车位增加了",
    )  # fmt: skip
    return cw


def test_the_board_filters_by_street(two_streets, client):
    cw = two_streets
    confirmed(cw, title="四平路电梯修好了")
    page = client.get(reverse(BOARD)).content.decode()
    assert "四平路电梯修好了" in page and "控江路停车位增加了" in page
    assert "data-streets" in page and f'data-street="{cw.w.street.pk}"' in page
    page = client.get(reverse(BOARD), {"street": cw.w.street.pk}).content.decode()
    assert "四平路电梯修好了" in page and "控江路停车位增加了" not in page
    # Only this street's categories are offered once a street is chosen.
    assert f'data-category="{cw.elevator.pk}"' in page
    assert "停车" not in page
    # An unknown street is ignored rather than an error.
    assert client.get(reverse(BOARD), {"street": "999999"}).status_code == 200


def test_a_single_street_deployment_shows_no_street_choice(cw, client):
    confirmed(cw, title="四平路电梯修好了")
    assert "data-streets" not in client.get(reverse(BOARD)).content.decode()


def test_the_board_filters_by_category_and_compound(cw, client):
    w = cw.w
    other_group = f.BuildingGroupFactory(building__compound__neighbourhood=w.n1, name="9单元")
    confirmed(cw, title="和平花园电梯")
    confirmed(cw, title="和平花园垃圾房", category=cw.garbage)
    confirmed(
        cw, title="另一小区电梯", compound=other_group.building.compound, building=other_group.building
    )  # fmt: skip
    page = client.get(reverse(BOARD), {"category": cw.elevator.pk}).content.decode()
    assert "和平花园电梯" in page and "另一小区电梯" in page and "和平花园垃圾房" not in page
    compound = w.g1.building.compound
    page = client.get(reverse(BOARD), {"category": cw.elevator.pk, "compound": compound.pk}).content.decode()
    assert "和平花园电梯" in page and "另一小区电梯" not in page and "和平花园垃圾房" not in page
    # The compound links keep the chosen category.
    assert f"category={cw.elevator.pk}&amp;compound={compound.pk}" in page


def test_filtered_pages_stay_anonymised(two_streets, client):
    cw = two_streets
    w = cw.w
    confirmed(cw, title="rita姓名家1201室电梯坏了 13812345678")
    for params in ({}, {"street": w.street.pk}, {"category": cw.elevator.pk}, {"compound": w.g1.building.compound.pk}):
        page = client.get(reverse(BOARD), params).content.decode()
        for personal in (w.rita.full_name, "13812345678", "1201", w.otto.full_name, "13912345678", "赵刚", "柯代表"):
            assert personal not in page, (params, personal)


def test_the_filtered_board_does_not_query_per_row(two_streets, client, count_queries):
    cw = two_streets
    params = {"street": cw.w.street.pk, "category": cw.elevator.pk, "compound": cw.w.g1.building.compound.pk}

    def grow(start, n):
        for i in range(start, start + n):
            confirmed(cw, title=f"已办{i}")
            confirmed(cw, title=f"垃圾{i}", category=cw.garbage)

    grow(0, 2)
    small = count_queries(client.get, reverse(BOARD), params)
    small_all = count_queries(client.get, reverse(BOARD))
    grow(2, 6)
    assert count_queries(client.get, reverse(BOARD), params) == small
    assert count_queries(client.get, reverse(BOARD)) == small_all
    assert ConsultationRequest.objects.count() == 17


def test_the_compound_list_is_bounded_and_a_compound_beyond_it_still_filters(cw, client, monkeypatch):
    from consultations.views import public

    w = cw.w
    monkeypatch.setattr(public, "COMPOUNDS_SHOWN", 1)
    other_group = f.BuildingGroupFactory(building__compound__neighbourhood=w.n1, name="9单元")
    confirmed(cw, title="和平花园电梯")
    confirmed(cw, title="和平花园门禁")
    confirmed(cw, title="另一小区电梯", compound=other_group.building.compound, building=other_group.building)
    page = client.get(reverse(BOARD)).content.decode()
    # Only the busiest compound is listed...
    assert f'data-compound="{w.g1.building.compound.pk}"' in page
    assert f'data-compound="{other_group.building.compound.pk}"' not in page
    # ...and the other one's link (from its own page) still filters the board.
    page = client.get(reverse(BOARD), {"compound": other_group.building.compound.pk}).content.decode()
    assert "另一小区电梯" in page and "和平花园电梯" not in page


def test_the_counts_kept_in_the_cache_follow_a_newly_confirmed_request(cw, client):
    """The board's counts and entries come from the cache on a second render; a request
    confirmed since is counted and listed on the next one (the board's generation)."""
    client.cookies["messages"] = "render"  # the page cache renders every view
    confirmed(cw, title="和平花园电梯")
    first = client.get(reverse(BOARD)).content.decode()
    assert f'data-compound="{cw.w.g1.building.compound.pk}"' in first
    assert client.get(reverse(BOARD)).content.decode() == first
    confirmed(cw, title="和平花园门禁", category=cw.garbage)
    page = client.get(reverse(BOARD)).content.decode()
    assert page != first
    assert f'data-category="{cw.garbage.pk}"' in page and "(1)" in page
    assert page.count("data-public-request=") == 2


def test_the_board_reads_only_its_rows_once_the_counts_are_kept(two_streets, client, django_assert_num_queries):
    client.cookies["messages"] = "render"
    confirmed(two_streets, title="四平路电梯修好了")
    client.get(reverse(BOARD))
    with django_assert_num_queries(1):  # the page's rows; the counts and their total from the cache
        assert "四平路电梯修好了" in client.get(reverse(BOARD)).content.decode()
