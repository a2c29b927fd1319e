"""A large export is built by the worker and offered to the person who asked, with progress."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from corridors.models import BuildingGroup
from jobs.exports import export_prune, export_request, exporter
from jobs.models import Export
from tests.job_runner import run_jobs

pytestmark = pytest.mark.django_db(transaction=True)


@exporter("tests.groups")
def groups_export(*, params, user, progress):
    groups = list(BuildingGroup.objects.order_by("pk").values_list("pk", "name"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["#", params["heading"]])
    for done, row in enumerate(groups, start=1):
        sheet.append(list(row))
        progress(done, len(groups))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return "groups.xlsx", buffer.getvalue()


def test_an_export_is_built_by_the_worker_and_downloaded_by_its_requester(world, as_user):
    export = export_request(user=world.alice, builder="tests.groups", params={"heading": "楼组"}, title="楼组名单")
    client = as_user(world.alice)
    page = client.get(export.get_absolute_url()).content.decode()
    # The request answered at once; the page waits (and refreshes itself) until the file exists.
    assert 'data-export-state="pending"' in page and "data-polling" in page
    assert client.get(reverse("jobs:export_download", args=[export.pk])).status_code == 404

    run_jobs()
    export.refresh_from_db()
    assert export.state == Export.State.READY and export.done == export.total == BuildingGroup.objects.count()
    page = client.get(export.get_absolute_url()).content.decode()
    assert 'data-export-state="ready"' in page and "data-polling" not in page and 'value="100"' in page
    response = client.get(reverse("jobs:export_download", args=[export.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]] == ["#", "楼组"]
    assert sheet.max_row == BuildingGroup.objects.count() + 1

    # Someone else's export is not found, not even its progress.
    assert as_user(world.bob).get(export.get_absolute_url()).status_code == 404
    assert as_user(world.bob).get(reverse("jobs:export_download", args=[export.pk])).status_code == 404


def test_old_exports_are_pruned_with_their_files(world):
    import datetime

    from django.utils import timezone

    export = export_request(user=world.alice, builder="tests.groups", params={"heading": "x"}, title="x")
    run_jobs()
    export.refresh_from_db()
    storage, name = export.file.storage, export.file.name
    assert storage.exists(name)
    assert export_prune(now=timezone.now() + datetime.timedelta(days=8)) == 1
    assert not Export.objects.exists() and not storage.exists(name)
