"""Forms for a corridor's gallery works: the work, its pictures, hiding it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import SafeImageField
from corridors.forms.pictures import AltTextField, picture_help
from corridors.models import GalleryWork, WorkImage

ALT_MAX = WorkImage._meta.get_field("alt_text").max_length


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
    image = SafeImageField(label=_("Picture"), help_text=picture_help())
    alt_text = AltTextField(max_length=ALT_MAX)


class PictureForm(forms.Form):
    image = SafeImageField(label=_("Picture"), help_text=picture_help())
    alt_text = AltTextField(max_length=ALT_MAX)


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("The group's leader sees this reason."),
    )
