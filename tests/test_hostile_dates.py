"""Dates a person cannot mean are refused in Chinese, and a date already stored breaks no page."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from common.dates import DateField, DateTimeField
from consultations.forms.conferences import ConferenceForm
from consultations.forms.terms import TermForm
from corridors.forms.activities import ActivityForm
from corridors.models import Activity
from funds.forms.campaigns import CampaignForm
from funds.forms.checks import ScheduleForm
from funds.forms.ledger import LedgerEntryForm
from funds.forms.payments import PaymentForm
from funds.forms.payouts import MarkPaidForm

RANGE_MESSAGE = "请填写2000年1月1日至2100年12月31日之间的日期。"


@pytest.mark.parametrize("typed", ["0001-01-01T08:00", "9999-12-31T23:59", "1999-12-31T23:00", "2101-01-01T00:00"])
def test_an_activity_in_year_1_or_9999_is_refused_in_chinese(world, as_user, typed):
    data = {"kind": "other", "title": "百家宴", "starts_at": typed, "ends_at": typed, "place": "楼下"}
    response = as_user(world.leo).post(reverse("gallery:activity_add", args=[world.g1.pk]), data)
    assert response.status_code == 200
    assert RANGE_MESSAGE in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        (MarkPaidForm, "paid_on"),
        (LedgerEntryForm, "spent_on"),
        (PaymentForm, "paid_on"),
        (ScheduleForm, "scheduled_for"),
        (ConferenceForm, "date"),
        (TermForm, "starts_on"),
        (TermForm, "ends_on"),
        (ActivityForm, "starts_at"),
        (CampaignForm, "consent_deadline"),
    ],
)
@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31"])
def test_every_date_field_is_bounded(form_class, field, typed):
    form_field = form_class.base_fields[field]
    assert isinstance(form_field, DateField | DateTimeField)
    with pytest.raises(Exception) as caught:
        form_field.clean(typed if isinstance(form_field, DateField) else f"{typed}T08:00")
    assert RANGE_MESSAGE in str(caught.value)
    # The browser's date picker is told the same range.
    assert form_field.widget.attrs["min"].startswith("2000-01-01")


def test_the_programme_year_and_its_window_are_bounded(world, as_user):
    from corridors.forms.programme import ProgrammeYearForm
    from corridors.models import Street

    data = {"street": world.street.pk, "year": 9999, "window_opens": "0001-01-01", "window_closes": "9999-12-31"}
    form = ProgrammeYearForm(data, streets=Street.objects.filter(pk=world.street.pk))
    assert not form.is_valid()
    assert form.errors["year"] == ["请填写2000年至2100年之间的年份。"]
    assert form.errors["window_opens"] == [RANGE_MESSAGE] and form.errors["window_closes"] == [RANGE_MESSAGE]


def _stored_in_year_1(activity):
    # What the app did before the forms were bounded: 08:00 on 1 January of year 1 in
    # Shanghai's local mean time is a moment of 1 BC for PostgreSQL.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE corridors_activity SET starts_at = %s::timestamp AT TIME ZONE 'Asia/Shanghai', "
            "ends_at = %s::timestamp AT TIME ZONE 'Asia/Shanghai' WHERE id = %s",
            ["0001-01-01 08:00", "0001-01-01 10:00", activity.pk],
        )
        cursor.execute("SELECT starts_at::text FROM corridors_activity WHERE id = %s", [activity.pk])
        assert cursor.fetchone()[0].endswith("BC")


def test_an_activity_stored_in_year_1_breaks_no_page(world, as_user, client):
    from corridors.services.gallery import activity_create

    starts = timezone.now() + datetime.timedelta(days=3)
    kept = activity_create(
        group=world.g1, kind="other", title="正常的活动", starts_at=starts, ends_at=starts, place="楼下", by=world.leo
    )
    odd = activity_create(
        group=world.g1,
        kind="other",
        title="公元一年的活动",
        starts_at=starts,
        ends_at=starts,
        place="楼下",
        by=world.leo,
    )
    _stored_in_year_1(odd)
    group, compound, street = world.g1, world.g1.building.compound, world.street
    public_pages = [
        reverse("public:corridor", args=[group.pk]),
        reverse("public:corridor_activities", args=[group.pk]),
        reverse("public:corridor_calendar", args=[group.pk]),
        reverse("public:compound", args=[compound.pk]),
        reverse("public:compound_activities", args=[compound.pk]),
        reverse("public:street_activities", args=[street.pk]),
        reverse("public:street_calendar", args=[street.pk]),
        reverse("public:activity", args=[odd.pk]),
        reverse("public:home"),
    ]
    for url in public_pages:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "正常的活动" in client.get(reverse("public:street_activities", args=[street.pk])).content.decode()

    leader = as_user(world.leo)
    for url in [
        reverse("gallery:group", args=[group.pk]),
        reverse("gallery:activity", args=[odd.pk]),
        reverse("gallery:activity_edit", args=[odd.pk]),
        reverse("home"),
    ]:
        assert leader.get(url).status_code == 200, url
    # It can be corrected in the app...
    moved = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = {"kind": "other", "title": "公元一年的活动", "starts_at": moved, "ends_at": moved, "place": "楼下"}
    assert leader.post(reverse("gallery:activity_edit", args=[odd.pk]), data).status_code == 302
    assert Activity.objects.get(pk=odd.pk).starts_at > timezone.now()
    # ...or deleted.
    _stored_in_year_1(odd)
    assert leader.post(reverse("gallery:activity_delete", args=[odd.pk])).status_code == 302
    assert not Activity.objects.filter(pk=odd.pk).exists() and Activity.objects.filter(pk=kept.pk).exists()
