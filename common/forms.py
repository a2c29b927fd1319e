"""Form fields that run every upload through ``common.uploads``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.uploads import check_pdf, process_image, process_receipt


class SafeImageField(forms.FileField):
    """Cleans to a ``ProcessedImage`` (display sizes, no metadata)."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
    default_error_messages = {"required": _("Please choose a picture.")}

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        return process_image(upload)


class PdfField(forms.FileField):
    widget = forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    default_error_messages = {"required": _("Please choose a PDF document.")}

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        return check_pdf(upload)


class ReceiptField(forms.FileField):
    """A PDF or a picture; cleans to ``(kind, ContentFile)``."""

    widget = forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"})
    default_error_messages = {"required": _("Please choose a file.")}

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        return process_receipt(upload)
