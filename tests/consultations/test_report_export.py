"""The conference report as .xlsx: the page's figures, read back with openpyxl."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations.models import ConsultationRequest
from consultations.services.requests import request_accept, request_resolve
from tests.consultations.conftest import file_request

pytestmark = pytest.mark.django_db


def test_the_report_export_has_the_pages_figures(cw, as_user):
    w = cw.w
    r = file_request(cw, title="电梯一")
    request_accept(actor=w.otto, request=r, due_date=timezone.localdate() + datetime.timedelta(days=14))
    request_resolve(actor=w.otto, request=r, resolution="好了。", public_summary="已办结")
    r.refresh_from_db()
    ConsultationRequest.objects.filter(pk=r.pk).update(
        conference=cw.past, created_at=r.resolved_at - datetime.timedelta(days=10)
    )
    file_request(cw, title="未办结")
    ConsultationRequest.objects.filter(title="未办结").update(conference=cw.past)
    client = as_user(w.alice)
    page = client.get(reverse("consultations:report", args=[cw.past.pk]))
    assert reverse("consultations:report_export", args=[cw.past.pk]) in page.content.decode()
    response = client.get(reverse("consultations:report_export", args=[cw.past.pk]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("表", "大会、类别或部门", "诉求", "已办结")
    total = rows[1]
    summary = page.context["summary"]
    assert total[2:] == (
        summary["total"],
        summary["resolved"],
        summary["still_open"],
        summary["overdue"],
        summary["avg_days"],
        summary["max_days"],
    )
    assert total[2:4] == (2, 1) and total[6] == 10.0
    by_department = [row for row in rows if row[0] == "按部门"]
    assert {row[1] for row in by_department} == {d["department__name"] for d in page.context["by_department"]}
    # Someone without the follow-up permission is refused.
    assert as_user(w.leo).get(reverse("consultations:report_export", args=[cw.past.pk])).status_code in {403, 404}
