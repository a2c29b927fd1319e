"""The staff lists' filter fields (``filter_field``) look exactly as crispy drew them: same
labels, chosen values, errors and help, field by field, for every list's filter form."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test.html import parse_html

from common.templatetags.filter_bar import filter_field
from consultations.forms.lists import RequestFilterForm, StateFilterForm
from corridors.forms.applications import ApplicationFilterForm
from corridors.forms.places import GroupFilterForm
from corridors.forms.street_filter import StreetYearFilterForm
from corridors.models import Neighbourhood, Street, Theme
from funds.forms.payouts import PayoutFilterForm


def _forms(world, data):
    neighbourhoods = Neighbourhood.objects.order_by("name")
    streets = Street.objects.all()
    return [
        lambda: GroupFilterForm(data, neighbourhoods=neighbourhoods),
        lambda: ApplicationFilterForm(
            data, neighbourhoods=neighbourhoods, themes=Theme.objects.all(), years=[2026, 2025]
        ),
        lambda: PayoutFilterForm(data, years=[2026, 2025]),
        lambda: RequestFilterForm(data, streets=[world.street.pk]),
        lambda: StateFilterForm(data),
        lambda: StreetYearFilterForm(data, streets=streets, years=[2026, 2025]),
    ]


def _assert_same_as_crispy(make_form):
    # Two forms: crispy adds its classes to the widget it draws.
    ours, theirs = make_form(), make_form()
    assert list(ours.fields), ours
    for name in ours.fields:
        drawn = filter_field(ours[name])
        assert parse_html(drawn) == parse_html(as_crispy_field(theirs[name])), name


@pytest.mark.parametrize(
    "data",
    [
        None,
        # Chosen values: the search text, a neighbourhood, a state, a year, the checkbox.
        {"q": "和平 <b>", "has_leader": "yes", "state": "submitted", "year": "2026", "overdue": "on"},
        # Values a form refuses: each field shows crispy's error under it.
        {"neighbourhood": "999999", "state": "nonsense", "year": "1900", "street": "x", "department": "y"},
    ],
)
def test_every_list_filter_field_is_drawn_as_crispy_drew_it(world, data):
    if data is not None and "q" in data:
        data = {**data, "neighbourhood": str(world.n1.pk), "street": str(world.street.pk)}
    for make_form in _forms(world, data):
        _assert_same_as_crispy(make_form)


class _Everything(forms.Form):
    name = forms.CharField(label="名称", help_text="<em>至少</em>两个字", min_length=2)
    count = forms.IntegerField(label="户数", required=False)
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    agree = forms.BooleanField(label="同意", help_text="请勾选")
    kind = forms.ChoiceField(label="类别", choices=[("组一", [("a", "甲"), ("b", "乙")]), ("c", "丙")])
    notes = forms.CharField(label="备注", widget=forms.Textarea, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


@pytest.mark.parametrize("data", [None, {"name": "x", "count": "many", "kind": "b"}, {"name": "好的", "agree": "on"}])
def test_required_help_errors_groups_and_other_widgets(data):
    """Required marks, help text, several errors, option groups, and the widgets left to crispy."""
    _assert_same_as_crispy(lambda: _Everything(data))


def test_chosen_filter_is_shown_chosen_in_chinese(world, as_user):
    page = as_user(world.alice).get(
        "/manage/places/groups/", {"q": "单元", "neighbourhood": world.n1.pk, "has_leader": "yes"}
    )
    html = page.content.decode()
    assert '<label for="id_neighbourhood" class="form-label">居民区</label>' in html
    assert f'<option value="{world.n1.pk}" selected>和平花园居民区</option>' in html
    assert '<option value="yes" selected>有楼组长</option>' in html
    assert 'value="单元"' in html
    assert "1单元" in html and "2单元" not in html
