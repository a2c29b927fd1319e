"""Forms for a building group's photos and documents."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import ReceiptField, SafeImageField
from corridors.forms.pictures import picture_help
from corridors.models import GroupDocument, GroupPhoto


class GroupPhotoForm(forms.Form):
    image = SafeImageField(label=_("Picture"), help_text=picture_help())
    alt_text = forms.CharField(
        label=_("Description of the picture"),
        max_length=GroupPhoto._meta.get_field("alt_text").max_length,
        help_text=_("Say what the picture shows, for people who cannot see it."),
    )


class GroupDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=GroupDocument._meta.get_field("title").max_length)
    file = ReceiptField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A PDF document, or a JPEG, PNG or WebP picture, up to %(limit)s. Only the group's leaders, "
            "its neighbourhood committee and street staff can open it."
        ) % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
