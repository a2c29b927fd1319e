"""Filters of the request lists (a person's own, the street's, the neighbourhood's)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.listing import offer_names
from consultations.models import Category, Conference
from consultations.workflows.request import RequestState
from corridors.models import Department


class StateFilterForm(forms.Form):
    """Filter one person's list (follow-ups, my requests) by state and overdue."""

    state = forms.ChoiceField(label=_("State"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, states=None, **kwargs):
        super().__init__(*args, **kwargs)
        offered = [(value, label) for value, label in RequestState.choices if states is None or value in states]
        self.fields["state"].choices = [("", _("All states")), *offered]


class RequestFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("All departments"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.none(), empty_label=_("All categories")
    )
    conference = forms.ModelChoiceField(
        label=_("Conference"), required=False, queryset=Conference.objects.none(), empty_label=_("All conferences")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), *RequestState.choices]
        # ``names``: each list's reader of {key: name}, read once as plain values, offered in
        # the select and reused by the request table for its rows' names.
        self.names = {}
        for name, model in (("department", Department), ("category", Category), ("conference", Conference)):
            self.fields[name].queryset = model.objects.filter(street_id__in=streets)
            self.names[name] = offer_names(self.fields[name])
