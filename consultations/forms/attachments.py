"""Adding a photo or scan to a request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import ReceiptField


class AttachmentForm(forms.Form):
    attachment = ReceiptField(label=_("Photo or scan"))
