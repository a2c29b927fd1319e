"""Campaign figures, the roll import, consent history, payments and the money log."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import translation
from openpyxl import Workbook

from funds.models import ConsentRecord, ConsentStatus, MoneyEvent, Payment, WorkingGroupMember
from funds.services import units as units_services
from funds.services.campaigns import CAMPAIGN_FIELDS, campaign_update, working_group_member_add
from funds.services.consents import unit_record_consent
from funds.services.payments import payment_record
from funds.services.units import IMPORT_COLUMNS, ImportRejected, column_label
from tests.funds.conftest import add_units, import_roll, make_campaign, roll_csv


def test_story_figures_to_the_fen(campaign):
    assert campaign.reserve == Decimal("124000.00")
    assert campaign.gap == Decimal("163000.00")
    assert campaign.due_for(Decimal("20062.00")) == Decimal("300930.00")


def test_reserve_rounds_half_up_to_the_fen(world):
    campaign = make_campaign(world, initial_fund=Decimal("0.05"), reserve_share=Decimal("0.5"))
    assert campaign.reserve == Decimal("0.03")  # 0.025 → 0.03


# --- Import -------------------------------------------------------------------------


def test_import_csv_adds_units(campaign):
    units = add_units(campaign, 6)
    assert len(units) == 6
    assert units[0].owner_key == "K0"
    assert units[0].area_m2 == Decimal("100.00")


def test_import_without_owner_key_makes_each_unit_its_own_owner(campaign):
    data = "房号,楼层,面积,业主姓名,电话\n101,1,88.5,张三,13800000000\n102,1,90,李四,\n".encode()
    assert import_roll(campaign, data=data, filename="roll.csv") == 2
    assert set(campaign.units.values_list("owner_key", flat=True)) == {"#101", "#102"}


def test_import_xlsx(campaign):
    book = Workbook()
    sheet = book.active
    sheet.append(["unit", "floor", "area", "owner name", "phone", "owner key"])
    sheet.append(["101", 1, 102.35, "王五", "13900001111", "W"])
    sheet.append(["102", 1, 98, "王五", "13900001111", "W"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert import_roll(campaign, data=buffer.getvalue(), filename="roll.xlsx") == 2
    assert campaign.units.get(label="101").area_m2 == Decimal("102.35")


def test_every_bad_row_is_reported_and_nothing_imported(campaign):
    rows = [
        ("101", 1, "100", "张三", "", ""),
        ("", 1, "100", "李四", "", ""),  # line 3: no unit
        ("103", "二", "100", "王五", "", ""),  # line 4: floor
        ("104", 1, "-5", "赵六", "", ""),  # line 5: area
        ("101", 1, "100", "", "", ""),  # line 6: duplicate + no name
        ("106", 1, "100.123", "钱七", "abc", ""),  # line 7: decimals + phone
    ]
    with pytest.raises(ImportRejected) as caught:
        import_roll(campaign, data=roll_csv(rows), filename="roll.csv")
    lines = {p.line: p.message for p in caught.value.problems}
    assert sorted(lines) == [3, 4, 5, 6, 7]
    assert "第 2 行" in lines[6]  # the user reads it in Chinese
    assert campaign.units.count() == 0


def test_garbage_file_is_refused_clearly(campaign):
    for data, name in [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "roll.xlsx"),
        (b"\xff\xfe\x00\x00garbage", "roll.csv"),
        (b"x", "roll.pdf"),
    ]:
        with pytest.raises(ImportRejected) as caught:
            import_roll(campaign, data=data, filename=name)
        assert caught.value.problems[0].line == 0
    with pytest.raises(ImportRejected) as caught:
        import_roll(campaign, data=b"a,b,c\n1,2,3\n", filename="roll.csv")
    assert "缺少" in caught.value.problems[0].message  # "missing", in Chinese


def test_missing_columns_are_named_in_the_readers_language(campaign):
    data = "房号,电话\n101,13800000000\n".encode()
    with pytest.raises(ImportRejected) as caught:
        import_roll(campaign, data=data, filename="roll.csv")
    message = caught.value.problems[0].message
    assert "缺少：楼层, 面积（m²）, 业主。" in message
    assert "应为：房号, 楼层, 面积（m²）, 业主, 业主电话, 业主编号。" in message
    assert "owner name" not in message and "floor" not in message
    with translation.override("en"), pytest.raises(ImportRejected) as caught:
        import_roll(campaign, data=data, filename="roll.csv")
    assert "missing: floor, area (m²), owner." in caught.value.problems[0].message


def test_the_column_names_the_message_gives_work_as_headers(campaign):
    # Exactly the Chinese names listed by the error message, and the English ones.
    header = ",".join(column_label(c) for c in IMPORT_COLUMNS)
    data = f"{header}\n101,1,88.50,张三,13800000000,Z\n".encode()
    assert import_roll(campaign, data=data, filename="roll.csv") == 1
    with translation.override("en"):
        header = ",".join(column_label(c) for c in IMPORT_COLUMNS)
    data = f"{header}\n102,1,90,李四,,L\n".encode()
    assert import_roll(campaign, data=data, filename="roll.csv") == 1
    assert campaign.units.get(label="101").owner_key == "Z"


def test_one_owner_key_with_two_names_is_a_line_error(campaign):
    rows = [
        ("101", 1, "100", "张三", "", "K1"),
        ("102", 1, "100", "张三", "", "K1"),  # the same owner's second unit: fine
        ("103", 1, "100", "孙七", "", "K1"),  # line 4: K1 is 张三
        ("104", 1, "-5", "李四", "", "K1"),  # line 5: two reasons
    ]
    with translation.override("en"), pytest.raises(ImportRejected) as caught:
        import_roll(campaign, data=roll_csv(rows), filename="roll.csv")
    lines = {p.line: p.message for p in caught.value.problems}
    assert sorted(lines) == [4, 5]
    assert lines[4] == "owner key K1 is 张三 on line 2, not 孙七"
    assert lines[5] == "the area “-5” is not a positive number of m²; owner key K1 is 张三 on line 2, not 李四"
    assert campaign.units.count() == 0


def test_the_reasons_of_a_line_are_joined_by_the_languages_separator(campaign, monkeypatch):
    # The separator is a translatable string (zh: "；"); stand in for the catalogue here.
    separators = {("list separator", "; "): "；"}
    monkeypatch.setattr(units_services, "pgettext", lambda context, text: separators.get((context, text), text))
    rows = [("101", 1, "-5", "", "", "")]
    with pytest.raises(ImportRejected) as caught:
        import_roll(campaign, data=roll_csv(rows), filename="roll.csv")
    message = caught.value.problems[0].message
    assert message.count("；") == 1 and "; " not in message


def test_an_owner_key_already_on_the_roll_keeps_its_name(campaign):
    import_roll(campaign, data=roll_csv([("101", 1, "100", "张三", "", "K1")]), filename="a.csv")
    with translation.override("en"), pytest.raises(ImportRejected) as caught:
        import_roll(campaign, data=roll_csv([("102", 1, "90", "孙七", "", "K1")]), filename="b.csv")
    assert caught.value.problems[0].message == "owner key K1 is 张三 on the roll, not 孙七"
    import_roll(campaign, data=roll_csv([("102", 1, "90", "张三", "", "K1")]), filename="c.csv")
    assert campaign.units.filter(owner_key="K1").count() == 2


def test_units_already_on_the_roll_are_not_replaced(campaign):
    add_units(campaign, 2)
    with pytest.raises(ImportRejected):
        add_units(campaign, 1)
    assert campaign.units.count() == 2


# --- Consent ------------------------------------------------------------------------


def test_every_consent_change_is_kept(world, campaign):
    unit = add_units(campaign, 1)[0]
    unit_record_consent(unit=unit, status=ConsentStatus.REFUSE, reason="low_floor", recorded_by=world.carl)
    unit_record_consent(
        unit=unit,
        status=ConsentStatus.AGREE,
        note="二次上门",
        recorded_by=world.alice,
        confirmed=True,
        change_reason="业主二次上门后同意",
    )
    unit.refresh_from_db()
    assert unit.consent_status == ConsentStatus.AGREE
    history = list(ConsentRecord.objects.filter(unit=unit).order_by("pk").values_list("status", "recorded_by"))
    assert history == [("refuse", world.carl.pk), ("agree", world.alice.pk)]


# --- Payments and the money log -----------------------------------------------------


def test_partial_payments_up_to_the_due_each_logged(world, campaign):
    unit = add_units(campaign, 1)[0]  # 100 m² × ¥15 = ¥1,500
    payment_record(unit=unit, amount=Decimal("1000.00"), paid_on=date.today(), channel="cash", recorded_by=world.alice)
    payment_record(unit=unit, amount=Decimal("500.00"), paid_on=date.today(), channel="bank", recorded_by=world.alice)
    with pytest.raises(ValidationError):
        payment_record(unit=unit, amount=Decimal("0.01"), paid_on=date.today(), channel="cash", recorded_by=world.alice)
    unit.refresh_from_db()
    assert unit.paid_total == Decimal("1500.00")
    events = MoneyEvent.objects.filter(subject_type="funds.payment").order_by("pk")
    assert [e.amount for e in events] == [Decimal("1000.00"), Decimal("500.00")]
    assert [e.subject_id for e in events] == list(Payment.objects.order_by("pk").values_list("pk", flat=True))


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1"), Decimal("1.005")])
def test_bad_amounts_are_refused(world, campaign, amount):
    unit = add_units(campaign, 1)[0]
    with pytest.raises(ValidationError):
        payment_record(unit=unit, amount=amount, paid_on=date.today(), channel="cash", recorded_by=world.alice)
    assert not MoneyEvent.objects.exists()


def test_future_payment_date_is_refused(world, campaign):
    unit = add_units(campaign, 1)[0]
    with pytest.raises(ValidationError):
        payment_record(
            unit=unit,
            amount=Decimal("1"),
            paid_on=date.today() + timedelta(days=2),
            channel="cash",
            recorded_by=world.alice,
        )


def test_money_log_refuses_update_and_delete_in_the_database(world, campaign):
    unit = add_units(campaign, 1)[0]
    payment_record(unit=unit, amount=Decimal("10.00"), paid_on=date.today(), channel="cash", recorded_by=world.alice)
    event = MoneyEvent.objects.get()
    for sql in (
        "UPDATE funds_moneyevent SET amount = 0 WHERE id = %s",
        "DELETE FROM funds_moneyevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        MoneyEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.amount == Decimal("10.00")


# --- Working group ------------------------------------------------------------------


def test_one_leader_per_campaign(campaign):
    working_group_member_add(
        campaign=campaign, actor=campaign.created_by, name="许敏", side="committee", is_leader=True
    )
    working_group_member_add(campaign=campaign, actor=campaign.created_by, name="张怡", side="owners")
    with pytest.raises(ValidationError):
        working_group_member_add(
            campaign=campaign, actor=campaign.created_by, name="刘", side="property", is_leader=True
        )
    # The database is the last line.
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingGroupMember.objects.create(campaign=campaign, name="x", side="elevator", is_leader=True)


def test_rate_is_frozen_once_money_came_in(world, campaign):
    unit = add_units(campaign, 1)[0]
    payment_record(unit=unit, amount=Decimal("10.00"), paid_on=date.today(), channel="cash", recorded_by=world.alice)
    fields = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
    with pytest.raises(ValidationError):
        campaign_update(campaign=campaign, actor=campaign.created_by, **{**fields, "rate_per_m2": Decimal("16.00")})
    updated = campaign_update(campaign=campaign, actor=campaign.created_by, **{**fields, "purpose": "更换3台电梯"})
    assert updated.purpose == "更换3台电梯"
