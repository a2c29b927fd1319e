"""The shared kernel: workflow tables refuse with reasons, money reads as people write it."""

from types import SimpleNamespace

import pytest
from django.db import models
from django.test import RequestFactory
from django.utils import translation

from common.http import safe_next
from common.money import yuan, yuan_in_words
from common.refusals import Refused
from common.workflows import Transition, Workflow


class Light(models.TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"


GO = Transition("go", "Go", frozenset({Light.RED}), Light.GREEN, frozenset({"driver"}), reason_required=True)
LIGHTS = Workflow("lights", Light, [GO])


@pytest.fixture(autouse=True)
def english():
    """The refusals in English, as these tests read them (the site's default is Chinese, now translated)."""
    with translation.override("en"):
        yield


def _row(state):
    meta = SimpleNamespace(verbose_name="light")
    return SimpleNamespace(state=state, _meta=meta, get_state_display=lambda: Light(state).label)


def test_a_step_from_a_state_the_page_no_longer_shows_is_refused_as_stale():
    with pytest.raises(Refused, match="changed while you were looking"):
        LIGHTS.check("go", _row(Light.GREEN), roles={"driver"}, expected_state=Light.RED, reason="x")


def test_a_step_from_the_wrong_state_says_which_state_it_is_in():
    with pytest.raises(Refused, match="“Go” is not possible while the light is “Green”"):
        LIGHTS.check("go", _row(Light.GREEN), roles={"driver"}, reason="x")


def test_a_step_by_a_role_the_table_does_not_name_is_refused():
    with pytest.raises(Refused, match="Your role does not allow"):
        LIGHTS.check("go", _row(Light.RED), roles={"passenger"}, reason="x")


def test_a_step_that_needs_a_reason_points_at_the_reason_field():
    with pytest.raises(Refused) as refused:
        LIGHTS.check("go", _row(Light.RED), roles={"driver"}, reason="  ")
    assert refused.value.field == "note"
    assert LIGHTS.check("go", _row(Light.RED), roles={"driver"}, reason="late") is GO


def test_a_table_naming_a_state_that_does_not_exist_is_an_error_at_import():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow("broken", Light, [Transition("x", "X", frozenset({"blue"}), Light.RED, frozenset())])


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("2000", "贰仟元整"),
        ("1234.50", "壹仟贰佰叁拾肆元伍角整"),
        ("300930.00", "叁拾万零玖佰叁拾元整"),
        ("163000", "壹拾陆万叁仟元整"),
        ("100.07", "壹佰元零柒分"),
        ("0.05", "伍分"),
        ("1010", "壹仟零壹拾元整"),
    ],
)
def test_amounts_in_capital_numerals_as_a_voucher_needs_them(amount, words):
    assert yuan_in_words(amount) == words


def test_money_on_screen_has_two_places_and_groups():
    assert yuan("1234567.891") == "¥1,234,567.89"
    assert yuan("-12.5") == "-¥12.50"
    assert yuan(None) == ""


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/work/", "/work/"), ("https://evil.example/", "/home/"), ("//evil.example/x", "/home/"), ("", "/home/")],
)
def test_next_urls_stay_on_this_site(target, expected):
    request = RequestFactory().post("/x/", {"next": target}, HTTP_HOST="testserver")
    assert safe_next(request, "/home/") == expected
