"""Form fields that run every upload through ``common.uploads``."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.refusals import Refused
from common.uploads import check_image, check_pdf, check_receipt


class SafeImageField(forms.FileField):
    """Cleans to an ``UploadedImage``: checked without decoding (size, format, pixel count);
    the worker makes its display sizes without metadata (``corridors.images``)."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
    default_error_messages = {"required": _("Please choose a picture.")}

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        return check_image(upload)


class PdfField(forms.FileField):
    widget = forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    default_error_messages = {"required": _("Please choose a PDF document.")}

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        return check_pdf(upload)


class ReceiptField(forms.FileField):
    """A PDF or a picture; cleans to ``(kind, ContentFile)``, checked without decoding (the
    service that stores it calls ``corridors.images.receipt_later`` for a picture)."""

    widget = forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"})
    default_error_messages = {"required": _("Please choose a file.")}

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        return check_receipt(upload)


def add_errors(form, error) -> None:
    """Put a service's refusal on the form it came from, so the page shows it beside the field.

    ``error`` is a ``common.refusals.Refused`` (its ``field`` if the form has it, else the
    whole form) or a ``ValidationError`` (its per-field messages where the form has the field).
    """
    if isinstance(error, Refused):
        form.add_error(error.field if error.field in form.fields else None, error.reason)
        return
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    form.add_error(None, error)
