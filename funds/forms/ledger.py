"""The corridor ledger's entry."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import dates
from common.forms import ReceiptField
from funds.models import LedgerEntry


class LedgerEntryForm(forms.Form):
    spent_on = dates.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), initial=timezone.localdate
    )
    item = forms.CharField(label=_("Item"), max_length=LedgerEntry._meta.get_field("item").max_length)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    receipt = ReceiptField(label=_("Receipt photo"))
    receipt_amount = forms.DecimalField(
        label=_("Amount on the receipt (yuan)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )


class LedgerReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=200,
        help_text=_("For example: the amount was typed as 580.00; the receipt says 58.00."),
    )
    confirm = forms.BooleanField(label=_("I confirm reversing this entry"))
