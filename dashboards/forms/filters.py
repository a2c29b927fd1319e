"""The year and place filters every dashboard page and export shares."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridors.models import ProgrammeYear
from dashboards.figures import Places
from dashboards.selectors import neighbourhoods_for, streets_for


class FigureFilters(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    street = forms.ModelChoiceField(label=_("Street"), queryset=None, required=False, empty_label=_("All my streets"))
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=None, required=False, empty_label=_("All neighbourhoods")
    )

    def __init__(self, user, data=None):
        self.this_year = timezone.localdate().year
        super().__init__(data)
        self.streets = list(streets_for(user))
        self.fields["street"].queryset = streets_for(user)
        self.fields["neighbourhood"].queryset = neighbourhoods_for(user)
        years = set(
            ProgrammeYear.objects.filter(street__in=[s.pk for s in self.streets]).values_list("year", flat=True)
        )
        years.add(self.this_year)
        self.fields["year"].choices = [(y, str(y)) for y in sorted(years, reverse=True)]
        self.fields["year"].initial = self.this_year
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def clean(self):
        cleaned = super().clean()
        street, neighbourhood = cleaned.get("street"), cleaned.get("neighbourhood")
        if street and neighbourhood and neighbourhood.street_id != street.pk:
            self.add_error("neighbourhood", _("This neighbourhood is not in the street chosen."))
        return cleaned

    def places(self) -> Places:
        """The chosen places; on a bad choice (already shown as an error), the reader's whole scope this year."""
        chosen = self.cleaned_data if self.is_bound and self.is_valid() else {}
        neighbourhood = chosen.get("neighbourhood")
        street = chosen.get("street")
        if neighbourhood is not None:
            street_ids = (neighbourhood.street_id,)
        elif street is not None:
            street_ids = (street.pk,)
        else:
            street_ids = tuple(s.pk for s in self.streets)
        return Places(
            street_ids=street_ids,
            year=chosen.get("year") or self.this_year,
            neighbourhood_id=neighbourhood.pk if neighbourhood is not None else None,
        )

    def query(self) -> str:
        """The filters as a query string, for the export links."""
        places = self.places()
        parts = [f"year={places.year}"]
        chosen = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if chosen.get("street"):
            parts.append(f"street={chosen['street'].pk}")
        if chosen.get("neighbourhood"):
            parts.append(f"neighbourhood={chosen['neighbourhood'].pk}")
        return "&".join(parts)
