"""Setting up a conference and opening its stalls."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common import dates
from consultations.forms.widgets import DATE_INPUT
from corridors.models import Department, Role, User


class ConferenceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    date = dates.DateField(label=_("Date"), widget=DATE_INPUT)
    venue = forms.CharField(label=_("Venue"), max_length=200)


class StallForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    location = forms.CharField(label=_("Place in the lobby"), max_length=50, required=False)
    officers = forms.ModelMultipleChoiceField(
        label=_("Officers on duty"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            street_id=conference.street_id, is_active=True
        ).exclude(stalls__conference=conference)
        self.fields["officers"].queryset = (
            User.objects.filter(is_active=True, roles__role=Role.OFFICER, roles__street_id=conference.street_id)
            .distinct()
            .order_by("full_name")
        )

    def clean(self):
        data = super().clean()
        department = data.get("department")
        for officer in data.get("officers") or []:
            if department and not officer.roles.filter(role=Role.OFFICER, department=department).exists():
                self.add_error("officers", _("%(name)s is not an officer of this department.") % {"name": officer})
        return data
