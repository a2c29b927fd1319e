"""Forms of the roll: its import and the correction of a unit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from funds.models import Unit


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roll file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_("Columns: unit, floor, area, owner name, phone, owner key. The first line names the columns."),
    )


class UnitCorrectForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=200,
        help_text=_("For example: the area on the property certificate is 88.72 m²."),
    )

    class Meta:
        model = Unit
        fields = ["floor", "area_m2", "owner_name", "owner_phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The owner is never shown in full here either: the fields open empty and keep the
        # recorded value unless a new one is typed (the unit's page has the recorded reveal).
        unit = self.instance
        for name, shown in (("owner_name", unit.shown_name), ("owner_phone", unit.shown_phone)):
            self.initial[name] = ""
            self.fields[name].required = False
            self.fields[name].help_text = _("Now %(shown)s. Leave empty to keep it.") % {"shown": shown or "—"}
