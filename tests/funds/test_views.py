"""Pages: who sees what (role matrix), masking, the public notice, query budgets."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funds.models import ConsentStatus, Unit
from funds.services.consents import unit_record_consent
from funds.services.notice import notice_publish
from funds.services.payments import payment_record
from tests.funds.conftest import add_units, roll_csv

MANAGERS = ["alice", "carl"]
RECORDERS = ["leo"]  # leader of a building group in the campaign's building
VIEWERS = ["rita"]
OUTSIDERS = ["bob", "cindy", "lena", "otto", "fay", "nobody"]


def pages(campaign, unit):
    return {
        "campaign": reverse("funds:campaign", args=[campaign.pk]),
        "units": reverse("funds:units", args=[campaign.pk]),
        "collection": reverse("funds:collection", args=[campaign.pk]),
        "edit": reverse("funds:edit", args=[campaign.pk]),
        "import": reverse("funds:import", args=[campaign.pk]),
        "unit": reverse("funds:unit", args=[unit.pk]),
        "print": reverse("funds:unit_print", args=[unit.pk]),
    }


@pytest.mark.parametrize("who", MANAGERS + RECORDERS + VIEWERS + OUTSIDERS)
def test_role_matrix(world, campaign, as_user, who):
    unit = add_units(campaign, 1)[0]
    client = as_user(getattr(world, who))
    for name, url in pages(campaign, unit).items():
        status = client.get(url).status_code
        if who in MANAGERS:
            expected = 200
        elif who in RECORDERS:
            expected = 200 if name in ("campaign", "units", "collection", "unit", "print") else 403
        elif who in VIEWERS:
            expected = 200 if name in ("campaign", "units", "collection") else 403
        else:
            expected = 404
        assert status == expected, (who, name, status)


def test_anonymous_is_sent_to_sign_in(client, campaign):
    response = client.get(reverse("funds:units", args=[campaign.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_list_shows_only_campaigns_in_scope(world, campaign, as_user):
    assert campaign.purpose in as_user(world.alice).get(reverse("funds:list")).content.decode()
    assert as_user(world.bob).get(reverse("funds:list")).status_code == 200
    assert campaign.purpose not in as_user(world.bob).get(reverse("funds:list")).content.decode()


@pytest.mark.parametrize("who", ["rita", "leo"])
def test_volunteers_see_names_and_phones_masked(world, campaign, as_user, who):
    add_units(campaign, 3)
    client = as_user(getattr(world, who))
    for url in (reverse("funds:units", args=[campaign.pk]), reverse("funds:collection", args=[campaign.pk])):
        html = client.get(url).content.decode()
        assert "欧阳0号" not in html and "13812340000" not in html
        assert "欧*" in html and "138****0000" in html


def test_managers_see_names_masked_too_with_a_way_to_reveal(world, campaign, as_user):
    units = add_units(campaign, 3)
    client = as_user(world.carl)
    html = client.get(reverse("funds:units", args=[campaign.pk])).content.decode()
    assert "欧阳0号" not in html and "13812340000" not in html and "欧*" in html
    assert 'data-decision="fail"' in html and "data-margin" in html
    # The door-to-door list's areas in full-width brackets, as the Chinese around them.
    margin = html.split("data-margin", 1)[1].split("</ul>", 1)[0]
    assert "m²）" in margin and "m²)" not in margin
    # The counts and how owners are counted read as one run of Chinese (no space between).
    assert "联系不上 0。拥有多套房屋的业主按一人计" in html
    assert reverse("funds:unit_reveal", args=[units[0].pk]) in client.get(units[0].get_absolute_url()).content.decode()


def test_public_notice_has_counts_and_no_personal_data(client, world, campaign):
    notice_publish(campaign=campaign, actor=campaign.created_by)
    units = add_units(campaign, 4)
    unit_record_consent(unit=units[0], status=ConsentStatus.AGREE, recorded_by=world.alice)
    response = client.get(reverse("funds:notice", args=[campaign.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for unit in units:
        assert unit.owner_name not in html
        assert unit.owner_phone not in html
        assert unit.owner_phone[-4:] not in html
        assert f">{unit.label}<" not in html and f" {unit.label} " not in html
    assert "欧*" not in html
    assert "25.00%" in html  # 1 of 4 agreed
    assert "¥163,000.00" in html


def test_import_page_lists_bad_lines(world, campaign, as_user):
    client = as_user(world.alice)
    data = roll_csv([("101", 1, "100", "张三", "", ""), ("102", "x", "100", "李四", "", "")])
    response = client.post(
        reverse("funds:import", args=[campaign.pk]), {"file": SimpleUploadedFile("roll.csv", data, "text/csv")}
    )
    assert response.status_code == 200
    assert "data-import-problems" in response.content.decode()
    assert Unit.objects.count() == 0


def test_recording_consent_and_payment_through_the_pages(world, campaign, as_user):
    unit = add_units(campaign, 1)[0]
    client = as_user(world.carl)
    response = client.post(reverse("funds:unit_consent", args=[unit.pk]), {"status": "agree", "reason": "", "note": ""})
    assert response.status_code == 302
    response = client.post(
        reverse("funds:unit_payment", args=[unit.pk]),
        {"amount": "2000.00", "paid_on": date.today().isoformat(), "channel": "cash"},
    )
    assert response.status_code == 400  # more than the ¥1,500 due
    response = client.post(
        reverse("funds:unit_payment", args=[unit.pk]),
        {"amount": "1500.00", "paid_on": date.today().isoformat(), "channel": "cash"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.consent_status == "agree" and unit.paid_total == Decimal("1500.00")


def test_viewers_cannot_record(world, campaign, as_user):
    unit = add_units(campaign, 1)[0]
    response = as_user(world.rita).post(reverse("funds:unit_consent", args=[unit.pk]), {"status": "agree"})
    assert response.status_code == 403
    response = as_user(world.bob).post(reverse("funds:unit_consent", args=[unit.pk]), {"status": "agree"})
    assert response.status_code == 404


def test_campaign_create_only_for_buildings_in_scope(world, as_user):
    client = as_user(world.carl)
    data = {
        "purpose": "电梯",
        "works_cost": "100",
        "fund_balance": "0",
        "initial_fund": "0",
        "reserve_share": "0.30",
        "rate_per_m2": "15",
        "collector": "物业",
        "supervisor": "业委会",
        "rule_set": "civil_code_278",
    }
    response = client.post(reverse("funds:create"), {**data, "building": world.g2.building.pk})
    assert response.status_code == 200  # not a choice for carl
    response = client.post(reverse("funds:create"), {**data, "building": world.g1.building.pk})
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["campaign", "units", "collection", "notice"])
def test_query_count_does_not_grow_with_the_roll(world, campaign, client, django_assert_num_queries, name):
    client.force_login(world.alice)
    url = reverse(f"funds:{name}", args=[campaign.pk])
    add_units(campaign, 3)
    for unit in campaign.units.all()[:2]:
        unit_record_consent(unit=unit, status=ConsentStatus.AGREE, recorded_by=world.alice)
    client.get(url)  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    small_count = len(small)
    add_units(campaign, 40, start=3)
    for unit in campaign.units.all()[:30]:
        unit_record_consent(
            unit=unit, status=ConsentStatus.REFUSE, recorded_by=world.alice, confirmed=True, change_reason="改"
        )
        payment_record(
            unit=unit, amount=Decimal("100.00"), paid_on=date.today(), channel="cash", recorded_by=world.alice
        )
    # The margin is found on the roll once per change of the totals, then cached (funds/totals.py).
    client.get(url)
    with django_assert_num_queries(small_count):
        assert client.get(url).status_code == 200


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_consent_scan_is_private(world, campaign, as_user, client):
    unit = add_units(campaign, 1)[0]
    response = as_user(world.carl).post(
        reverse("funds:unit_consent", args=[unit.pk]),
        {"status": "agree", "scan": SimpleUploadedFile("form.png", _png(), "image/png")},
    )
    assert response.status_code == 302
    record = unit.consents.get()
    assert record.scan_kind == "image"
    url = reverse("funds:consent_scan", args=[record.pk])
    assert as_user(world.alice).get(url).status_code == 200
    assert as_user(world.rita).get(url).status_code == 403
    assert as_user(world.bob).get(url).status_code == 404


@pytest.mark.parametrize(("who", "shown"), [("alice", True), ("carl", True), ("rita", True), ("otto", False)])
def test_nav_link(world, as_user, who, shown):
    html = as_user(getattr(world, who)).get(reverse("funds:list") if shown else reverse("home")).content.decode()
    assert (f'href="{reverse("funds:list")}"' in html) is shown


def test_campaign_page_shows_the_use_of_the_fund_as_a_second_result(world, campaign, as_user):
    units = add_units(campaign, 5)
    # 3 agree, 2 refuse: 60% — more than half (the fund may be used), short of 3/4 (not raised).
    for unit, status in zip(units, ["agree", "agree", "agree", "refuse", "refuse"], strict=True):
        unit_record_consent(unit=unit, status=status, recorded_by=world.alice)
    client = as_user(world.leo)
    html = client.get(reverse("funds:campaign", args=[campaign.pk])).content.decode()
    assert 'data-decision="fail"' in html and 'data-use-decision="pass"' in html
    assert 'data-use-condition="use_area"' in html and "&gt; 50.00%" in html
    html = client.get(reverse("funds:units", args=[campaign.pk])).content.decode()
    assert "data-use-decision" not in html
