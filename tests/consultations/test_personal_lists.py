"""The department's follow-ups and the representative's own list filter by state and overdue
and sort by their columns, like the street's overview, without a query per row."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import ConsultationRequest
from consultations.services.requests import request_accept
from tests.consultations.conftest import file_request, fresh

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SOON = TODAY + datetime.timedelta(days=14)
LISTS = [("otto", "consultations:follow_ups"), ("rita", "consultations:mine")]


@pytest.fixture
def three(cw):
    """New (no due date), followed up (due in two weeks), overdue (three days late)."""
    new = file_request(cw, title="新的诉求", category=cw.garbage)
    following = file_request(cw, title="跟进中的诉求")
    request_accept(actor=fresh(cw.w.otto), request=following, due_date=SOON)
    late = file_request(cw, title="逾期的诉求")
    request_accept(actor=fresh(cw.w.otto), request=late, due_date=SOON)
    ConsultationRequest.objects.filter(pk=late.pk).update(due_date=TODAY - datetime.timedelta(days=3))
    return new, following, late


def shown(response) -> list[str]:
    return [r.title for r in response.context["page_obj"]]


@pytest.mark.parametrize(("who", "name"), LISTS)
def test_filter_by_state_and_overdue(cw, three, as_user, who, name):
    client = as_user(getattr(cw.w, who))
    url = reverse(name)
    assert sorted(shown(client.get(url))) == sorted(["新的诉求", "跟进中的诉求", "逾期的诉求"])
    assert sorted(shown(client.get(url, {"state": "accepted"}))) == ["跟进中的诉求", "逾期的诉求"]
    assert shown(client.get(url, {"state": "submitted"})) == ["新的诉求"]
    assert shown(client.get(url, {"overdue": "on"})) == ["逾期的诉求"]
    assert shown(client.get(url, {"state": "submitted", "overdue": "on"})) == []
    page = client.get(url).content.decode()
    assert "data-list-filter" in page and 'name="state"' in page and 'name="overdue"' in page
    # The overdue alert's link is this filter.
    assert 'href="?overdue=on"' in page
    # A state that is not offered is ignored rather than an error.
    assert len(shown(client.get(url, {"state": "nonsense"}))) == 3


@pytest.mark.parametrize(("who", "name"), LISTS)
def test_sort_by_the_columns(cw, three, as_user, who, name):
    client = as_user(getattr(cw.w, who))
    url = reverse(name)
    assert shown(client.get(url, {"sort": "due"})) == ["逾期的诉求", "跟进中的诉求", "新的诉求"]
    assert shown(client.get(url, {"sort": "filed"})) == ["新的诉求", "跟进中的诉求", "逾期的诉求"]
    assert shown(client.get(url, {"sort": "-filed"})) == ["逾期的诉求", "跟进中的诉求", "新的诉求"]
    assert shown(client.get(url, {"sort": "category"}))[-1] == "新的诉求"  # 垃圾分类 after 电梯
    response = client.get(url, {"sort": "-filed", "state": "accepted"})
    assert response.context["sort"] == "-filed"
    page = response.content.decode()
    # Column headers link the other directions and keep the filter.
    assert "?sort=filed&amp;state=accepted" in page or "?state=accepted&amp;sort=filed" in page
    assert "sort=due" in page and "sort=state" in page
    # An unknown sort falls back to the list's default.
    assert client.get(url, {"sort": "password"}).status_code == 200


def test_follow_ups_default_to_due_date_with_overdue_first(cw, three, as_user):
    response = as_user(cw.w.otto).get(reverse("consultations:follow_ups"))
    assert shown(response) == ["逾期的诉求", "跟进中的诉求", "新的诉求"]
    assert response.context["sort"] == "due"


def test_the_representatives_list_defaults_to_latest_change_first(cw, three, as_user):
    new, _following, _late = three
    ConsultationRequest.objects.filter(pk=new.pk).update(updated_at=timezone.now() + datetime.timedelta(hours=1))
    response = as_user(cw.w.rita).get(reverse("consultations:mine"))
    assert shown(response)[0] == "新的诉求" and response.context["sort"] == "-updated"


@pytest.mark.parametrize(("who", "name"), LISTS)
@pytest.mark.parametrize("params", [{"state": "accepted", "sort": "-due"}, {"overdue": "on", "sort": "category"}])
def test_filtered_and_sorted_lists_do_not_query_per_row(cw, as_user, count_queries, who, name, params):
    client = as_user(getattr(cw.w, who))
    url = reverse(name)

    def grow(n):
        for i in range(n):
            r = file_request(cw, title=f"诉求{i}", conference=cw.upcoming)
            request_accept(actor=fresh(cw.w.otto), request=r, due_date=SOON)
            if i % 2:
                ConsultationRequest.objects.filter(pk=r.pk).update(due_date=TODAY - datetime.timedelta(days=1))

    grow(2)
    small = count_queries(client.get, url, params)
    grow(6)
    assert count_queries(client.get, url, params) == small


def test_the_follow_ups_rows_from_the_cache_show_each_change_at_once(cw, three, as_user):
    """The rows are kept in the fragment cache under what they show: a second view is the same
    page, and an accepted request, a renamed compound or a due date passed show on the next."""
    new, following, _late = three
    client = as_user(cw.w.otto)
    url = reverse("consultations:follow_ups")

    def rows():
        page = client.get(url).content.decode()
        return page[page.index("<tbody>") : page.index("</tbody>")]

    first = rows()
    assert rows() == first and "逾期的诉求" in first
    request_accept(actor=fresh(cw.w.otto), request=new, due_date=SOON)
    compound = following.compound
    compound.name = "新名字花园"
    compound.save()
    ConsultationRequest.objects.filter(pk=following.pk).update(due_date=TODAY - datetime.timedelta(days=1))
    page = client.get(url).content.decode()
    row = page[page.index(f'data-request="{new.pk}"') :]
    assert 'data-state="accepted"' in row[: row.index("</tr>")]
    row = page[page.index(f'data-request="{following.pk}"') :]
    assert "新名字花园" in row[: row.index("</tr>")] and "data-overdue" in row[: row.index("</tr>")]
    assert 'class="table-danger"' in page[page.index(f'data-request="{following.pk}"') - 80 :][:200]
