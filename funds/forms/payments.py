"""Payments received from owners, and their corrections."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import dates
from funds.models import Payment


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    paid_on = dates.DateField(label=_("Paid on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Payment.Channel.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "payment_%s")  # the unit page also has a consent form with a note
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate


class PaymentCorrectionForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to take back (yuan)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
    # A recorded payment is changed on purpose only: the page asks for the reason and this tick.
    confirm = forms.BooleanField(label=_("I confirm taking this amount back from the recorded payment"))
