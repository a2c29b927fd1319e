"""Forms for a corridor's gallery works: the work, its pictures, hiding it."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import SafeImageField
from corridors.models import GalleryWork, WorkImage

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
