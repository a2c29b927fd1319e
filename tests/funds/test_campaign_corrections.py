"""Corrections: a unit's roll data before any payment, and payments taken back by a new
negative payment plus a correction in the money log (never an UPDATE)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from funds.models import MoneyEvent, Payment, UnitChange
from funds.progress import collection_of
from funds.services.consents import unit_record_consent
from funds.services.payments import payment_correct, payment_record
from funds.services.units import unit_correct
from tests.funds.conftest import add_units


def pay(world, unit, amount):
    return payment_record(
        unit=unit, amount=Decimal(amount), paid_on=date.today(), channel="bank", recorded_by=world.alice
    )


# --- Unit corrections -----------------------------------------------------------------


def test_unit_correction_changes_the_roll_and_keeps_history(world, campaign):
    unit = add_units(campaign, 1)[0]
    change = unit_correct(
        unit=unit,
        floor=1,
        area_m2=Decimal("98.5"),
        owner_name="欧阳新",
        owner_phone="13900000000",
        reason="产权证面积为 98.50 m²",
        changed_by=world.carl,
    )
    unit.refresh_from_db()
    assert unit.area_m2 == Decimal("98.50") and unit.owner_name == "欧阳新"
    assert unit.due == Decimal("1477.50")
    assert change.changes == {
        "area_m2": ["100.00", "98.50"],
        "owner_name": ["欧阳0号", "欧阳新"],
        "owner_phone": ["13812340000", "13900000000"],
    }
    assert change.changed_by == world.carl
    assert not MoneyEvent.objects.exists()  # not money: no money-log row


def test_unit_correction_with_nothing_changed_writes_no_history(world, campaign):
    unit = add_units(campaign, 1)[0]
    result = unit_correct(
        unit=unit,
        floor=unit.floor,
        area_m2=Decimal("100"),
        owner_name=unit.owner_name,
        owner_phone=unit.owner_phone,
        reason="核对",
        changed_by=world.alice,
    )
    assert result is None and not UnitChange.objects.exists()


@pytest.mark.parametrize(
    ("area", "reason"), [(Decimal("0"), "x"), (Decimal("-1"), "x"), (Decimal("1.005"), "x"), (Decimal("90"), " ")]
)
def test_unit_correction_refuses_bad_input(world, campaign, area, reason):
    unit = add_units(campaign, 1)[0]
    with pytest.raises(ValidationError):
        unit_correct(
            unit=unit,
            floor=1,
            area_m2=area,
            owner_name="x",
            owner_phone="",
            reason=reason,
            changed_by=world.alice,
        )
    unit.refresh_from_db()
    assert unit.area_m2 == Decimal("100.00") and not UnitChange.objects.exists()


def test_unit_correction_refused_after_a_payment(world, campaign):
    unit = add_units(campaign, 1)[0]
    pay(world, unit, "10.00")
    with pytest.raises(ValidationError):
        unit_correct(
            unit=unit,
            floor=1,
            area_m2=Decimal("90"),
            owner_name=unit.owner_name,
            owner_phone="",
            reason="x",
            changed_by=world.alice,
        )


def test_unit_correction_page(world, campaign, as_user):
    unit = add_units(campaign, 1)[0]
    url = reverse("funds:unit_correct", args=[unit.pk])
    client = as_user(world.alice)
    assert client.get(url).status_code == 200
    data = {"floor": "2", "area_m2": "88.72", "owner_name": "王芳", "owner_phone": "", "reason": ""}
    response = client.post(url, data)
    assert response.status_code == 400  # the reason is required
    unit.refresh_from_db()
    assert unit.floor == 1
    response = client.post(url, {**data, "reason": "房号登记错误"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.floor, unit.area_m2, unit.owner_name) == (2, Decimal("88.72"), "王芳")
    html = client.get(reverse("funds:unit", args=[unit.pk])).content.decode()
    assert "房号登记错误" in html and "88.72" in html
    pay(world, unit, "10.00")
    assert "data-unit-locked" in client.get(url).content.decode()
    response = client.post(url, {**data, "floor": "3", "reason": "再改"})
    assert response.status_code == 400
    unit.refresh_from_db()
    assert unit.floor == 2


# --- Payment corrections --------------------------------------------------------------


def test_payment_correction_is_a_new_negative_payment_and_a_money_log_row(world, campaign):
    unit = add_units(campaign, 1)[0]
    payment = pay(world, unit, "1500.00")
    correction = payment_correct(
        payment=payment, amount=Decimal("500.00"), reason="多收，已退现金", recorded_by=world.carl
    )
    unit.refresh_from_db()
    assert unit.paid_total == Decimal("1000.00")
    assert correction.amount == Decimal("-500.00") and correction.corrects == payment
    payment.refresh_from_db()
    assert payment.amount == Decimal("1500.00")  # the original is untouched
    events = list(MoneyEvent.objects.order_by("pk").values_list("kind", "amount", "subject_id"))
    assert events == [
        ("contribution", Decimal("1500.00"), payment.pk),
        ("correction", Decimal("-500.00"), correction.pk),
    ]
    assert sum(e[1] for e in events) == unit.paid_total
    assert collection_of(campaign).collected == Decimal("1000.00")
    # The unit can be paid again up to its due.
    pay(world, unit, "500.00")


def test_payment_cannot_be_taken_back_twice(world, campaign):
    unit = add_units(campaign, 1)[0]
    payment = pay(world, unit, "100.00")
    payment_correct(payment=payment, amount=Decimal("60.00"), reason="错录", recorded_by=world.alice)
    with pytest.raises(ValidationError):
        payment_correct(payment=payment, amount=Decimal("40.01"), reason="错录", recorded_by=world.alice)
    payment_correct(payment=payment, amount=Decimal("40.00"), reason="错录", recorded_by=world.alice)
    unit.refresh_from_db()
    assert unit.paid_total == Decimal("0.00")


@pytest.mark.parametrize(("amount", "reason"), [("0", "x"), ("-5", "x"), ("1.001", "x"), ("10", "  ")])
def test_payment_correction_refuses_bad_input(world, campaign, amount, reason):
    unit = add_units(campaign, 1)[0]
    payment = pay(world, unit, "100.00")
    with pytest.raises(ValidationError):
        payment_correct(payment=payment, amount=Decimal(amount), reason=reason, recorded_by=world.alice)
    assert MoneyEvent.objects.count() == 1


def test_a_correction_cannot_be_corrected(world, campaign):
    unit = add_units(campaign, 1)[0]
    correction = payment_correct(
        payment=pay(world, unit, "100.00"), amount=Decimal("10"), reason="x", recorded_by=world.alice
    )
    with pytest.raises(ValidationError):
        payment_correct(payment=correction, amount=Decimal("1"), reason="x", recorded_by=world.alice)


def test_database_refuses_a_negative_payment_without_its_original(world, campaign):
    unit = add_units(campaign, 1)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            unit=unit, amount=Decimal("-1"), paid_on=date.today(), channel="cash", recorded_by=world.alice
        )


def test_payment_correction_page(world, campaign, as_user):
    unit = add_units(campaign, 1)[0]
    payment = pay(world, unit, "1500.00")
    url = reverse("funds:payment_correct", args=[payment.pk])
    client = as_user(world.carl)
    assert client.get(url).status_code == 200
    assert client.post(url, {"amount": "100.00", "reason": ""}).status_code == 400
    assert client.post(url, {"amount": "2000.00", "reason": "错录"}).status_code == 400
    # Not confirmed: nothing is taken back.
    assert client.post(url, {"amount": "100.00", "reason": "错录金额"}).status_code == 400
    assert not Payment.objects.filter(corrects=payment).exists()
    assert client.post(url, {"amount": "100.00", "reason": "错录金额", "confirm": "on"}).status_code == 302
    correction = Payment.objects.get(corrects=payment)
    html = client.get(reverse("funds:unit", args=[unit.pk])).content.decode()
    assert "data-correction" in html and "错录金额" in html and "−¥100.00" in html
    # A correction row offers no "correct" link, and its page is refused.
    assert reverse("funds:payment_correct", args=[correction.pk]) not in html
    assert client.get(reverse("funds:payment_correct", args=[correction.pk])).status_code == 403


def _history(world, unit, size):
    for i in range(size):
        unit_record_consent(
            unit=unit,
            status="agree" if i % 2 else "refuse",
            recorded_by=world.alice,
            confirmed=True,
            change_reason="改",
        )
    for _ in range(size):
        payment = pay(world, unit, "10.00")
        payment_correct(payment=payment, amount=Decimal("1.00"), reason="x", recorded_by=world.carl)


def test_unit_page_queries_equal_at_two_sizes(world, campaign, as_user, count_queries):
    small, large = add_units(campaign, 2)
    unit_correct(
        unit=small, floor=1, area_m2=Decimal("99"), owner_name="a", owner_phone="", reason="x", changed_by=world.alice
    )
    unit_correct(
        unit=large, floor=1, area_m2=Decimal("99"), owner_name="a", owner_phone="", reason="x", changed_by=world.alice
    )
    unit_correct(
        unit=large, floor=2, area_m2=Decimal("98"), owner_name="b", owner_phone="", reason="y", changed_by=world.carl
    )
    _history(world, small, 1)
    _history(world, large, 10)
    client = as_user(world.alice)
    client.get(reverse("funds:unit", args=[small.pk]))
    counts = [count_queries(client.get, reverse("funds:unit", args=[u.pk])) for u in (small, large)]
    assert counts[0] == counts[1]
