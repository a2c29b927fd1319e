"""Forms for the street's programme set-up: programme years and themes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common import dates
from corridors.models import ProgrammeYear, ReminderPolicy, Theme
from corridors.services.programme import (
    REMINDER_FIELDS,
    YEAR_FIELDS,
    budget_below_committed,
    culture_fund_not_positive,
    programme_year_committed,
)


class ProgrammeYearForm(forms.ModelForm):
    street = forms.ModelChoiceField(label=_("Street"), queryset=None)

    class Meta:
        model = ProgrammeYear
        fields = YEAR_FIELDS
        field_classes = {"window_opens": dates.DateField, "window_closes": dates.DateField}
        widgets = {
            "window_opens": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "window_closes": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["street"]
        else:
            self.fields["street"].queryset = streets
            if streets.count() == 1:
                self.fields["street"].initial = streets.first()
                self.fields["street"].widget = forms.HiddenInput()
            self.order_fields(["street"])

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and not dates.EARLIEST.year <= year <= dates.LATEST.year:
            raise forms.ValidationError(
                _("Please give a year between %(earliest)s and %(latest)s.")
                % {"earliest": dates.EARLIEST.year, "latest": dates.LATEST.year}
            )
        return year

    def clean_culture_fund_amount(self):
        amount = self.cleaned_data["culture_fund_amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(culture_fund_not_positive())
        return amount

    def clean_annual_budget(self):
        # The service checks it again under the year's row lock; this shows the figures early.
        budget = self.cleaned_data["annual_budget"]
        if budget is not None and self.instance.pk and budget != self.instance.annual_budget:
            committed = programme_year_committed(self.instance)
            if budget < committed:
                raise forms.ValidationError(budget_below_committed(self.instance.year, budget, committed))
        return budget

    def _post_clean(self):
        # The service validates the model (and the street); the form only parses the fields.
        pass


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("Theme"), max_length=Theme._meta.get_field("name").max_length)


class ReminderPolicyForm(forms.ModelForm):
    """A street's reminder settings: on or off, and how many days each kind may wait."""

    class Meta:
        model = ReminderPolicy
        fields = REMINDER_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REMINDER_FIELDS[1:]:
            model_field = ReminderPolicy._meta.get_field(name)
            self.fields[name] = forms.IntegerField(
                label=model_field.verbose_name,
                help_text=model_field.help_text,
                min_value=1,
                max_value=365,
                error_messages={
                    "required": _("Give a number of days."),
                    "invalid": _("Give a whole number of days."),
                    "min_value": _("At least one day."),
                    "max_value": _("At most 365 days."),
                },
            )
