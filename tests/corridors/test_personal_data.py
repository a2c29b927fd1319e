"""个人信息保护法 housekeeping: notices where data is collected, anonymising after the retention
period (on a frozen clock, the money log untouched), and one person's data on request."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations.models import Attachment, ConsultationRequest
from consultations.services.requests import request_accept, request_confirm, request_resolve
from corridors.models import PersonalDataAccess
from corridors.personal_data import ANONYMOUS, anonymise_expired
from funds.models import ConsentRecord, MoneyEvent, Payment, Unit
from funds.services.consents import unit_record_consent
from funds.services.payments import payment_record
from tests.consultations import conftest as consultations_fixtures
from tests.consultations.conftest import file_request, fresh
from tests.funds.conftest import add_units, make_campaign

pytestmark = pytest.mark.django_db
cw = consultations_fixtures.cw

# The frozen clock: "now" as the daily job would see it, years after what it looks at.
NOW = datetime.datetime(2031, 6, 1, 3, 0, tzinfo=datetime.UTC)
LONG_AGO = NOW - datetime.timedelta(days=6 * 365)


def closed_request(cw, title, text):
    r = file_request(cw, title=title, text=text)
    request_accept(actor=fresh(cw.w.otto), request=r, due_date=timezone.localdate() + datetime.timedelta(days=5))
    request_resolve(actor=fresh(cw.w.otto), request=r, resolution="已联系rita姓名处理。", public_summary="电梯已修好")
    request_confirm(actor=fresh(cw.w.rita), request=r)
    Attachment.objects.create(request=r, kind="pdf", file=ContentFile(b"%PDF-1.4", name="x.pdf"), uploaded_by=cw.w.rita)
    return r


def test_the_retention_job_anonymises_what_is_past_its_period_and_leaves_the_money_log(cw):
    w = cw.w
    old = closed_request(cw, "电梯坏了", "3号502室王建国家门口电梯坏了")
    recent = closed_request(cw, "楼道堆物", "1号楼道堆物")
    ConsultationRequest.objects.filter(pk=old.pk).update(closed_at=LONG_AGO, resolved_at=LONG_AGO)
    ConsultationRequest.objects.filter(pk=recent.pk).update(closed_at=NOW - datetime.timedelta(days=30))

    finished = make_campaign(w)
    add_units(finished, 4)
    units = list(finished.units.order_by("pk"))
    unit_record_consent(unit=units[0], status="agree", recorded_by=w.alice, note="欧阳0号本人签字")
    # Paid long ago (payments cannot be changed afterwards, not even by a test).
    payment_record(
        unit=units[0], amount=Decimal("100.00"), paid_on=LONG_AGO.date(), channel="cash", recorded_by=w.alice
    )
    # Two units of one owner stay one head.
    Unit.objects.filter(pk=units[1].pk).update(owner_key=units[0].owner_key)
    ConsentRecord.objects.filter(unit__campaign=finished).update(recorded_at=LONG_AGO)
    type(finished).objects.filter(pk=finished.pk).update(created_at=LONG_AGO)
    running = make_campaign(w, purpose="更换水泵")
    add_units(running, 2, start=10)
    type(running).objects.filter(pk=running.pk).update(created_at=NOW - datetime.timedelta(days=10))
    money_before = list(MoneyEvent.objects.order_by("pk").values())
    heads_before = finished.units.values("owner_key").distinct().count()

    counts = anonymise_expired(now=NOW)

    assert counts == {"consultation_requests": 1, "campaign_owners": 4, "activity_signups": 0}
    old.refresh_from_db()
    assert old.text == ANONYMOUS and "502室" not in old.title and "rita姓名" not in old.resolution
    assert old.public_summary == "电梯已修好" and old.category_id and old.department_id
    assert not Attachment.objects.filter(request=old).exists()
    assert ConsultationRequest.objects.get(pk=recent.pk).text == "1号楼道堆物"
    assert Attachment.objects.filter(request=recent).exists()

    rows = list(finished.units.values_list("owner_name", "owner_phone"))
    assert set(rows) == {(ANONYMOUS, "")}
    assert finished.units.values("owner_key").distinct().count() == heads_before == 3
    assert ConsentRecord.objects.get(unit=units[0]).note == ""
    assert Payment.objects.get(unit=units[0]).amount == Decimal("100.00")
    assert not running.units.filter(owner_name=ANONYMOUS).exists()
    # The money log is exactly as it was.
    assert list(MoneyEvent.objects.order_by("pk").values()) == money_before

    # Running it again changes nothing.
    assert anonymise_expired(now=NOW) == {"consultation_requests": 0, "campaign_owners": 0, "activity_signups": 0}


def test_the_command_runs_the_same_function(cw, capsys):
    from django.core.management import call_command

    call_command("anonymise_expired")
    assert "consultation_requests: 0" in capsys.readouterr().out


# --- One person's data -----------------------------------------------------------------------


def test_street_staff_export_every_record_about_a_person_and_it_is_logged(cw, as_user):
    w = cw.w
    campaign = make_campaign(w)
    add_units(campaign, 2)
    owner = campaign.units.order_by("pk").first()
    file_request(cw, title="电梯坏了", text=f"{owner.owner_name}反映电梯坏了")
    client = as_user(w.alice)
    url = reverse("people:person_data")

    found = client.get(url, {"name": owner.owner_name})
    assert found.status_code == 200
    page = found.content.decode()
    assert "续筹名册上的业主" in page and "诉求" in page

    # Without a purpose nothing leaves the database.
    refused = client.get(url, {"name": owner.owner_name, "export": "1"})
    assert refused.status_code == 200 and not PersonalDataAccess.objects.exists()
    export = client.get(url, {"name": owner.owner_name, "export": "1", "purpose": "本人申请查阅"})
    assert export["Content-Disposition"].startswith("attachment")
    assert "no-store" in export["Cache-Control"]
    sheet = load_workbook(io.BytesIO(export.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any(owner.owner_phone in c for c in cells) and any("反映电梯坏了" in c for c in cells)
    logged = PersonalDataAccess.objects.get()
    assert (logged.actor, logged.kind, logged.rows) == (w.alice, "export", sheet.max_row - 1)
    assert logged.purpose == "本人申请查阅" and owner.owner_name[0] + "*" in logged.subject_label
    assert owner.owner_name not in logged.subject_label  # the log itself shows the person masked

    # By phone number, too.
    by_phone = client.get(url, {"phone": owner.owner_phone}).content.decode()
    assert "续筹名册上的业主" in by_phone


def test_staff_of_another_street_find_nothing_of_ours_and_others_may_not_search(cw, as_user):
    w = cw.w
    campaign = make_campaign(w)
    add_units(campaign, 1)
    owner = campaign.units.get()
    page = as_user(w.bob).get(reverse("people:person_data"), {"name": owner.owner_name}).content.decode()
    assert "续筹名册上的业主" not in page and "没有与此姓名或号码相符的记录" in page
    assert as_user(w.carl).get(reverse("people:person_data")).status_code == 403


# --- Privacy notices ---------------------------------------------------------------------------


def test_pages_that_collect_personal_data_say_why_who_sees_it_and_how_long(cw, as_user):
    w = cw.w
    campaign = make_campaign(w)
    add_units(campaign, 1)
    unit = campaign.units.get()
    pages = [
        (w.alice, reverse("people:create"), "account"),
        (w.rita, reverse("consultations:request_new"), "request"),
        (w.alice, reverse("funds:import", args=[campaign.pk]), "roll"),
        (w.alice, reverse("funds:unit", args=[unit.pk]), "consent"),
    ]
    for user, url, notice in pages:
        page = as_user(user).get(url).content.decode()
        assert f'data-privacy-notice="{notice}"' in page, url
        assert "个人信息" in page


def test_the_nightly_housekeeping_job_anonymises_what_is_past_its_period(cw, run_jobs_here):
    """The queue's nightly job (corridors.housekeeping) runs the retention rule: nobody has to
    remember the command."""
    from corridors.tasks import housekeeping_job

    old = closed_request(cw, "电梯坏了", "3号502室王建国家门口电梯坏了")
    years_ago = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)
    ConsultationRequest.objects.filter(pk=old.pk).update(closed_at=years_ago, resolved_at=years_ago)

    with run_jobs_here() as ran:
        housekeeping_job.defer(timestamp=0)

    assert [job.task_name for job in ran] == ["corridors.housekeeping"]

    old.refresh_from_db()
    assert old.text == ANONYMOUS
