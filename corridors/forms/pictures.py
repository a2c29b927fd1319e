"""What every picture upload on a corridors form says and asks (gallery works, activities, corridor photos)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _picture_help() -> str:
    return gettext("JPEG, PNG or WebP, up to %(limit)s. Location and other hidden data are removed.") % {
        "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)
    }


# Worked out when the form is shown: in the reader's language, with the current upload limit.
picture_help = lazy(_picture_help, str)


class AltTextField(forms.CharField):
    """The description of a picture, for people who cannot see it (a few words at least)."""

    def __init__(self, *, max_length: int, **kwargs):
        kwargs.setdefault("label", _("Description of the picture"))
        kwargs.setdefault("help_text", _("Say what the picture shows, for people who cannot see it."))
        super().__init__(max_length=max_length, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if len(value.strip()) < 2:
            raise forms.ValidationError(_("Please describe the picture in a few words."))
        return value
