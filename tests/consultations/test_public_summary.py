"""The public board shows only the summary that whoever resolved the request reviewed.

The scrubber pre-fills that summary (it masks rooms, phone numbers and people it recognises);
the resolver edits it and ticks "I checked"; requests resolved before the field existed got
the scrubbed summary from the data migration.
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from common.refusals import Refused
from consultations.anonymise import anonymise
from consultations.models import ConsultationRequest
from consultations.services.requests import request_accept, request_confirm, request_resolve
from consultations.workflows.request import RequestState
from tests.consultations.conftest import file_request, fresh

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + datetime.timedelta(days=14)
BOARD = "consultations:public_board"


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("D座1201电梯坏了", "D座**电梯坏了"),
        ("12层1号漏水", "**漏水"),
        ("张阿姨说楼道堆物", "**说楼道堆物"),
        ("联系人李明", "联系人**"),
        ("3号502室渗水", "**渗水"),
        ("5号楼302门口", "5号楼**门口"),
        ("3栋1102室", "3栋**"),
        ("2幢601", "2幢**"),
        ("1201室", "**"),
        ("王叔叔和李师傅都说", "**和**都说"),
        ("联系人：王芳 13812345678", "联系人** **"),
        # Not personal: floors, counts, dates and trades stay as they are.
        ("D座25层三台电梯", "D座25层三台电梯"),
        ("维修师傅说下周来", "维修师傅说下周来"),
        ("2026年10月更换", "2026年10月更换"),
    ],
)
def test_the_scrubber_masks_rooms_numbers_and_people(text, scrubbed):
    assert anonymise(text) == scrubbed


def accepted(cw, title):
    r = file_request(cw, title=title)
    request_accept(actor=fresh(cw.w.otto), request=r, due_date=SOON)
    return r


def test_the_resolve_form_offers_the_scrubbed_summary_and_needs_the_check(cw, as_user):
    r = accepted(cw, "D座1201电梯坏了，张阿姨说")
    client = as_user(cw.w.otto)
    page = client.get(reverse("consultations:request", args=[r.pk])).content.decode()
    assert 'name="public_summary"' in page and 'value="D座**电梯坏了，**说"' in page
    assert 'name="summary_checked"' in page

    url = reverse("consultations:request_step", args=[r.pk, "resolve"])
    data = {"state": "accepted", "note": "已更换主板。", "public_summary": "D座电梯主板已更换"}
    # Not ticked: nothing happens.
    response = client.post(url, data)
    assert response.status_code == 400
    assert ConsultationRequest.objects.get(pk=r.pk).state == RequestState.ACCEPTED

    response = client.post(url, {**data, "summary_checked": "on"})
    assert response.status_code == 302
    r.refresh_from_db()
    assert (r.state, r.public_summary, r.resolution) == (RequestState.RESOLVED, "D座电梯主板已更换", "已更换主板。")


def test_a_resolution_without_a_public_summary_is_refused(cw):
    r = accepted(cw, "电梯坏了")
    with pytest.raises(Refused):
        request_resolve(actor=cw.w.otto, request=r, resolution="好了。", public_summary="  ")
    assert ConsultationRequest.objects.get(pk=r.pk).state == RequestState.ACCEPTED


def test_the_board_shows_only_the_reviewed_summary(cw, client):
    title = "张阿姨说D座1201和12层1号电梯坏了，联系人李明"
    r = accepted(cw, title)
    request_resolve(actor=cw.w.otto, request=r, resolution="已更换。", public_summary="和平花园电梯已修好")
    request_confirm(actor=fresh(cw.w.rita), request=r)
    page = client.get(reverse(BOARD)).content.decode()
    assert f'data-public-request="{r.pk}"' in page and "和平花园电梯已修好" in page
    for personal in ("张阿姨", "1201", "12层1号", "李明", title):
        assert personal not in page, personal


def test_the_migration_gives_requests_resolved_before_it_the_scrubbed_summary(cw):
    migration = importlib.import_module("consultations.migrations.0003_consultationrequest_public_summary")
    title = "联系人李明说D座1201漏水"
    done = accepted(cw, title)
    request_resolve(actor=cw.w.otto, request=done, resolution="已修好。", public_summary="x")
    request_confirm(actor=fresh(cw.w.rita), request=done)
    waiting = accepted(cw, "rita姓名家3号502室门口堆物")
    request_resolve(actor=cw.w.otto, request=waiting, resolution="已清理。", public_summary="x")
    still_open = accepted(cw, "12层1号漏水")
    # As the rows were before the field existed.
    ConsultationRequest.objects.update(public_summary="")

    migration.copy_scrubbed_summaries(apps, None)

    summaries = dict(ConsultationRequest.objects.values_list("pk", "public_summary"))
    assert summaries[done.pk] == anonymise(title) == "联系人**D座**漏水"
    assert summaries[waiting.pk] == "**家**门口堆物"
    assert summaries[still_open.pk] == ""
