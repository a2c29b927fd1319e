"""Representatives' terms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common import dates
from consultations.forms.widgets import DATE_INPUT
from corridors.models import Role, RoleAssignment


class TermForm(forms.Form):
    """Street staff record the term a representative serves."""

    assignment = forms.ModelChoiceField(label=_("Representative"), queryset=RoleAssignment.objects.none())
    term = forms.CharField(label=_("Term"), max_length=20, help_text=_("As the street names it, e.g. 第四届."))
    starts_on = dates.DateField(label=_("Starts on"), widget=DATE_INPUT)
    ends_on = dates.DateField(label=_("Ends on"), widget=DATE_INPUT)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignment"]
        field.queryset = (
            RoleAssignment.objects.filter(role=Role.REPRESENTATIVE, street__in=streets, user__is_active=True)
            .select_related("user", "neighbourhood")
            .order_by("neighbourhood__name", "user__full_name")
        )
        field.label_from_instance = lambda a: f"{a.user.masked_name} · {a.neighbourhood}"

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("A term ends after it starts."))
        return data
