"""The consent recorded on a visit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import ReceiptField
from funds.models import ConsentReason, ConsentStatus


class ConsentForm(forms.Form):
    status = forms.ChoiceField(label=_("Consent"), choices=ConsentStatus.choices)
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *ConsentReason.choices], required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    scan = ReceiptField(label=_("Signed form (scan, private)"), required=False)
