"""Overdue items stand out on the street's list and the department's; the conference report
says how long requests took (average and longest days) by category and department."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import ConsultationRequest
from consultations.services.requests import request_accept, request_resolve
from tests.consultations.conftest import file_request

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SOON = TODAY + datetime.timedelta(days=14)


def overdue(cw, title):
    r = file_request(cw, title=title)
    request_accept(actor=cw.w.otto, request=r, due_date=SOON)
    ConsultationRequest.objects.filter(pk=r.pk).update(due_date=TODAY - datetime.timedelta(days=5))
    return r


@pytest.mark.parametrize(("who", "name"), [("alice", "consultations:overview"), ("otto", "consultations:follow_ups")])
def test_overdue_stands_out_on_the_streets_and_the_departments_list(cw, as_user, who, name):
    late = overdue(cw, "逾期的诉求")
    on_time = file_request(cw, title="按期的诉求")
    request_accept(actor=cw.w.otto, request=on_time, due_date=SOON)
    page = as_user(getattr(cw.w, who)).get(reverse(name)).content.decode()
    assert 'data-overdue-count="1"' in page
    row = page[page.index(f'data-request="{late.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'class="table-danger"' in row and "data-overdue" in row
    row = page[page.index(f'data-request="{on_time.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "table-danger" not in row and "data-overdue" not in row


def test_the_streets_overview_filters_to_overdue_only(cw, as_user):
    overdue(cw, "逾期的诉求")
    file_request(cw, title="新的诉求")
    page = as_user(cw.w.alice).get(reverse("consultations:overview"), {"overdue": "on"}).content.decode()
    assert "逾期的诉求" in page and "新的诉求" not in page
    assert "?overdue=on" in as_user(cw.w.alice).get(reverse("consultations:overview")).content.decode()


def test_the_report_shows_average_and_longest_days_by_category_and_department(cw, as_user):
    w = cw.w

    def resolved_after(days, **kwargs):
        r = file_request(cw, **kwargs)
        officer = w.otto if r.department == w.housing else cw.olga
        request_accept(actor=officer, request=r, due_date=SOON)
        request_resolve(actor=officer, request=r, resolution="好了。", public_summary="已办结")
        r.refresh_from_db()
        ConsultationRequest.objects.filter(pk=r.pk).update(
            conference=cw.past, created_at=r.resolved_at - datetime.timedelta(days=days)
        )

    resolved_after(10, title="电梯一")
    resolved_after(30, title="电梯二")
    resolved_after(4, title="垃圾", category=cw.garbage, department=cw.greening)
    file_request(cw, title="未办结")
    ConsultationRequest.objects.filter(title="未办结").update(conference=cw.past)
    response = as_user(w.alice).get(reverse("consultations:report", args=[cw.past.pk]))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary["total"], summary["resolved"], summary["avg_days"], summary["max_days"]) == (4, 3, 14.7, 30.0)
    by_category = {row["category__name"]: row for row in response.context["by_category"]}
    assert (by_category["电梯"]["avg_days"], by_category["电梯"]["max_days"]) == (20.0, 30.0)
    assert (by_category["垃圾分类"]["avg_days"], by_category["垃圾分类"]["max_days"]) == (4.0, 4.0)
    by_department = {row["department__name"]: row for row in response.context["by_department"]}
    assert by_department["房屋管理办事处"]["max_days"] == 30.0 and by_department["房屋管理办事处"]["still_open"] == 1
    assert by_department["绿化市容所"]["max_days"] == 4.0
    page = response.content.decode()
    assert page.count("data-max-days") == 1 + len(by_category) + len(by_department)


def test_the_report_does_not_query_per_row(cw, as_user, count_queries):
    url = reverse("consultations:report", args=[cw.upcoming.pk])
    client = as_user(cw.w.alice)

    def grow(n):
        for i in range(n):
            file_request(cw, title=f"诉求{i}", conference=cw.upcoming, category=cw.garbage if i % 2 else cw.elevator)

    grow(2)
    small = count_queries(client.get, url)
    grow(6)
    assert count_queries(client.get, url) == small
