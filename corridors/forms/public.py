"""Forms on the public pages (GET forms: anyone may send anything)."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils.translation import gettext_lazy as _


class GalleryFilterForm(forms.Form):
    """The public gallery's search and theme filter (a GET form: anyone may send anything).

    A CharField refuses NUL characters (PostgreSQL would reject them in a query) and the
    theme must be one of the listed themes; an unusable value is shown as an error and
    left out of the filter.
    """

    q = forms.CharField(label=_("Search by name"), required=False, max_length=50, widget=forms.SearchInput)
    theme = forms.ChoiceField(label=_("Theme"), required=False)

    def __init__(self, *args, themes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("All themes")), *((name, name) for name in themes)]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end mb-3"
        self.helper.attrs = {"role": "search"}
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div("q", css_class="col-12 col-md-5"),
            Div("theme", css_class="col-12 col-md-4"),
            Div(
                StrictButton(_("Show"), type="submit", css_class="btn-primary w-100"), css_class="col-12 col-md-3 mb-3"
            ),
        )

    def filters(self) -> tuple[str, str]:
        """``(query, theme)`` from the valid fields; an invalid one filters nothing."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("q", ""), data.get("theme", "")
