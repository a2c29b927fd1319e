"""Forms for a corridor's activities."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common import dates
from corridors.models import Activity

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=Activity._meta.get_field("title").max_length)
    starts_at = dates.DateTimeField(label=_("Starts"), widget=DATETIME_WIDGET)
    ends_at = dates.DateTimeField(label=_("Ends"), widget=DATETIME_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=Activity._meta.get_field("place").max_length)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_(
            "Residents sign up on the corridor page; beyond this many they join the waiting list. Empty: no limit."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The activity cannot end before it starts."))
        return data

    @classmethod
    def initial_for(cls, activity: Activity) -> dict:
        return {name: getattr(activity, name) for name in cls.base_fields}


class AttendanceForm(forms.Form):
    attendance = forms.IntegerField(
        label=_("People who came"),
        required=False,
        min_value=0,
        max_value=100000,
        help_text=_("A count only; no names."),
    )
