"""Forms for a corridor's gallery works and activities."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import SafeImageField
from corridors.models import Activity, GalleryWork, WorkImage

ALT_MAX = WorkImage._meta.get_field("alt_text").max_length


def _image_help() -> str:
    return gettext("JPEG, PNG or WebP, up to %(limit)s. Location and other hidden data are removed.") % {
        "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)
    }


class AltTextField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Description of the picture"))
        kwargs.setdefault("max_length", ALT_MAX)
        kwargs.setdefault("help_text", _("Say what the picture shows, for people who cannot see it."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if len(value.strip()) < 2:
            raise forms.ValidationError(_("Please describe the picture in a few words."))
        return value


class WorkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of work"), choices=GalleryWork.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=GalleryWork._meta.get_field("title").max_length)
    text = forms.CharField(
        label=_("About the work"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    ingredients = forms.CharField(
        label=_("Ingredients (family recipes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One ingredient per line."),
        max_length=4000,
    )
    steps = forms.CharField(
        label=_("Steps (family recipes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One step per line."),
        max_length=8000,
    )
    author_consent = forms.BooleanField(
        label=_("The author agreed to have their name shown"),
        required=False,
        help_text=_("Without this agreement the work is signed 居民 (resident) and the name is not kept."),
    )
    author_name = forms.CharField(
        label=_("Author's name"), required=False, max_length=GalleryWork._meta.get_field("author_name").max_length
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == GalleryWork.Kind.RECIPE and not (data.get("ingredients") or data.get("steps")):
            self.add_error("ingredients", _("A family recipe needs its ingredients or its steps."))
        if data.get("author_consent") and not (data.get("author_name") or "").strip():
            self.add_error("author_name", _("Please give the name the author agreed to show."))
        return data

    @classmethod
    def initial_for(cls, work: GalleryWork) -> dict:
        return {name: getattr(work, name) for name in cls.base_fields}


class WorkCreateForm(WorkForm):
    image = SafeImageField(label=_("Picture"))
    alt_text = AltTextField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _image_help()


class PictureForm(forms.Form):
    image = SafeImageField(label=_("Picture"))
    alt_text = AltTextField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _image_help()


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("The group's leader sees this reason."),
    )


DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=Activity._meta.get_field("title").max_length)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=Activity._meta.get_field("place").max_length)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
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
