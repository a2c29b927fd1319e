"""Forms of the acceptance checks: scheduling, scores, photos."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common import dates
from common.forms import SafeImageField
from funds.models import SCORE_FIELDS, CheckPhoto, Criterion


class ScheduleForm(forms.Form):
    scheduled_for = dates.DateField(
        label=_("Inspection date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Inspectors"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, inspectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors


class ScoresForm(forms.Form):
    """One score per criterion, within the check's own rule."""

    remarks = forms.CharField(label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    rectification_items = forms.CharField(
        label=_("Rectification items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line; required when the check fails."),
    )

    def __init__(self, *args, criterion_max: int, **kwargs):
        super().__init__(*args, **kwargs)
        scores = {
            field: forms.IntegerField(label=Criterion(criterion).label, min_value=0, max_value=criterion_max)
            for criterion, field in SCORE_FIELDS.items()
        }
        self.fields = {**scores, **self.fields}

    def scores(self) -> dict[str, int]:
        return {criterion: self.cleaned_data[field] for criterion, field in SCORE_FIELDS.items()}


class CheckPhotoForm(forms.Form):
    image = SafeImageField(label=_("Photo"))
    alt_text = forms.CharField(
        label=_("Description of the photo"), max_length=CheckPhoto._meta.get_field("alt_text").max_length
    )
