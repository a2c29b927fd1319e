"""A district's building-group export is built by the job queue: the request answers at once."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from corridors import group_export
from jobs.models import Export
from tests.job_runner import run_jobs

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_large_group_export_goes_to_the_job_queue_with_the_same_filters(world, as_user, monkeypatch):
    monkeypatch.setattr(group_export, "EXPORT_INLINE_LIMIT", 1)
    client = as_user(world.alice)
    response = client.get(reverse("places:groups_export"), {"q": "单元"})
    export = Export.objects.get(requested_by=world.alice)
    assert response.status_code == 302 and response["Location"] == export.get_absolute_url()
    assert export.params == {"q": "单元"}

    run_jobs()
    export.refresh_from_db()
    assert export.state == Export.State.READY
    download = client.get(reverse("jobs:export_download", args=[export.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    # Alice's street only (g1 and g2), as on the page; not the other street's 3单元.
    assert sorted(row[3] for row in sheet.iter_rows(min_row=2, values_only=True)) == ["1单元", "2单元"]


def test_a_small_group_export_is_written_at_once(world, as_user):
    response = as_user(world.alice).get(reverse("places:groups_export"))
    assert response.status_code == 200
    assert not Export.objects.exists()
