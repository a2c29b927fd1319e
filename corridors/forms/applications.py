"""Forms for warm-corridor applications: the leader's draft, budget lines, sketches, steps, filters."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import SafeImageField
from common.listing import offer_names
from corridors.models import Application, BudgetItem, SketchImage, Theme
from corridors.models.applications import BUDGET_CAP, ProgressPhoto
from corridors.services.applications import budget_line_too_large
from corridors.workflows.application import State


class ApplicationForm(forms.Form):
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none())
    title = forms.CharField(label=_("Title"), max_length=Application._meta.get_field("title").max_length)
    plan = forms.CharField(
        label=_("Decoration plan"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What will the corridor look like? Painting, decoration, who does what."),
    )
    convention = forms.CharField(
        label=_("Residents' convention"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The rules the households agree to keep the corridor tidy and friendly."),
    )
    households_agreed = forms.IntegerField(label=_("Households that agreed"), min_value=0)

    def __init__(self, *args, street, households: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(street=street, is_active=True)
        self.fields["households_agreed"].max_value = households
        self.fields["households_agreed"].help_text = _("Out of %(total)s households in the group.") % {
            "total": households
        }


class BudgetItemForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=BudgetItem._meta.get_field("item").max_length)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    unit_price = forms.DecimalField(label=_("Unit price (yuan)"), max_digits=12, decimal_places=2, min_value=0)

    def clean(self):
        cleaned = super().clean()
        quantity, unit_price = cleaned.get("quantity"), cleaned.get("unit_price")
        if quantity is not None and unit_price is not None and quantity * unit_price > BUDGET_CAP:
            # The service checks it again (and the application's total) under the row lock.
            raise forms.ValidationError(budget_line_too_large(quantity * unit_price))
        return cleaned


class SketchForm(forms.Form):
    image = SafeImageField(label=_("Sketch"))
    alt_text = forms.CharField(
        label=_("Description of the sketch"), max_length=SketchImage._meta.get_field("alt_text").max_length
    )


class ProgressPhotoForm(forms.Form):
    image = SafeImageField(label=_("Photo"))
    caption = forms.CharField(
        label=_("What the photo shows"),
        max_length=ProgressPhoto._meta.get_field("caption").max_length,
        help_text=_("For example: the walls are painted; the herb boxes are in place."),
    )


class StepForm(forms.Form):
    """A workflow step, carrying the state the page showed so a stale click is caught."""

    state = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), required=False, queryset=None, empty_label=_("All neighbourhoods")
    )
    theme = forms.ModelChoiceField(label=_("Theme"), required=False, queryset=None, empty_label=_("All themes"))
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, neighbourhoods, themes, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), *State.choices]
        self.fields["neighbourhood"].queryset = neighbourhoods
        self.fields["theme"].queryset = themes
        offer_names(self.fields["neighbourhood"])
        offer_names(self.fields["theme"])
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]
