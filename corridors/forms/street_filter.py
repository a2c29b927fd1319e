"""The street (and year) filter of every list a reader sees across streets.

A district (区) or city (市) user reads several streets' lists at once: each list offers a
choice of street (only when the reader sees more than one) and, where its rows have a year,
a choice of year. The list's export reads the same query string, so it has the rows on
screen. Bad values are ignored like every list filter's (the list shows everything).
"""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from corridors.models import Street


def add_street_field(form: forms.Form, streets) -> None:
    """Give ``form`` a ``street`` choice among ``streets`` if there is more than one.

    ``streets`` is the reader's street ids (``scope_of(user).visible_streets``): a reader of a
    single street gets no field and costs no query. A queryset of streets is still taken (one
    query to count it)."""
    if isinstance(streets, QuerySet):
        streets = list(streets.values_list("pk", flat=True))
    if len(streets) > 1:
        form.fields["street"] = forms.ModelChoiceField(
            label=_("Street"),
            queryset=Street.objects.filter(pk__in=streets)
            .select_related("district")
            .order_by("district__name", "name"),
            required=False,
            empty_label=_("All streets"),
        )


def add_year_field(form: forms.Form, years) -> None:
    form.fields["year"] = forms.TypedChoiceField(
        label=_("Year"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All years")), *((y, y) for y in sorted(set(years), reverse=True))],
    )


def chosen_street(form: forms.Form):
    """The street chosen in a valid form, or None (every street the reader sees)."""
    if "street" not in form.fields or not form.is_valid():
        return None
    return form.cleaned_data.get("street")


def filter_by_street(queryset, form: forms.Form, path: str):
    """``queryset`` narrowed to the chosen street (``path`` leads from its rows to a street id)."""
    street = chosen_street(form)
    return queryset.filter(**{path: street.pk}) if street else queryset


class StreetYearFilterForm(forms.Form):
    """A list's street and year filter when the list has no filter form of its own."""

    def __init__(self, *args, streets, years=None, **kwargs):
        super().__init__(*args, **kwargs)
        add_street_field(self, streets)
        if years is not None:
            add_year_field(self, years)

    @property
    def has_fields(self) -> bool:
        return bool(self.fields)

    def apply(self, queryset, *, street: str, year: str | None = None):
        """``queryset`` narrowed to the chosen street and year (``street``/``year``: lookup paths)."""
        queryset = filter_by_street(queryset, self, street)
        if year and "year" in self.fields and self.is_valid() and self.cleaned_data.get("year"):
            queryset = queryset.filter(**{year: self.cleaned_data["year"]})
        return queryset
