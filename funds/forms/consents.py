"""The consent recorded on a visit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import ReceiptField
from funds.models import ConsentReason, ConsentStatus
from funds.models.consents import VOTES


class ConsentForm(forms.Form):
    """Opens on the unit's current answer (``for_unit``): saving it untouched changes nothing."""

    status = forms.ChoiceField(label=_("Consent"), choices=ConsentStatus.choices)
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *ConsentReason.choices], required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    scan = ReceiptField(label=_("Signed form (scan, private)"), required=False)
    # The answer the page showed: a change recorded meanwhile by someone else is not overwritten.
    current = forms.ChoiceField(choices=ConsentStatus.choices, required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I confirm changing the recorded answer"),
        required=False,
        help_text=_("Only needed to change an answer already recorded as agree, refuse or abstain."),
    )
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        required=False,
        help_text=_("For example: the owner signed a new form on 12 May."),
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None and unit.consent_status not in VOTES:
            # Nothing recorded to change yet: no confirmation to ask for.
            del self.fields["confirm"], self.fields["change_reason"]

    @classmethod
    def for_unit(cls, unit):
        initial = {"status": unit.consent_status, "reason": unit.consent_reason, "current": unit.consent_status}
        return cls(initial=initial, unit=unit)
