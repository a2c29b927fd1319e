"""The system administrator's forms for the place tree above the street and its staff."""

from django import forms
from django.utils.translation import gettext_lazy as _

from corridors.models import District, Role, Street


class DistrictForm(forms.Form):
    name = forms.CharField(label=_("District name"), max_length=100, help_text=_("For example 杨浦区"))


class StreetForm(forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.all())
    name = forms.CharField(label=_("Street name"), max_length=100, help_text=_("For example 四平路街道"))


class AccountFields(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(
        label=_("Full name"), max_length=50, required=False, help_text=_("Only for a new account.")
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Only for a new account; an existing account keeps its password."),
    )


class AppointForm(AccountFields):
    street = forms.ModelChoiceField(label=_("Street"), queryset=Street.objects.select_related("district"))
    role = forms.ChoiceField(
        label=_("Role"), choices=[(Role.STREET_STAFF, Role.STREET_STAFF.label), (Role.FINANCE, Role.FINANCE.label)]
    )
    field_order = ["street", "role", "username", "full_name", "password"]


class OversightForm(AccountFields):
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("Every district (city user)"),
    )
    field_order = ["district", "username", "full_name", "password"]
